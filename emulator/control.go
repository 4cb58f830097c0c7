package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// controlPrefix is where the control API lives: outside the CloudHealth
// surface, never validated against openapi.yaml, never asking for a key.
const controlPrefix = "/__emulator/"

// msgNoAdminToken is the 401 of a control request without the admin token.
const msgNoAdminToken = "Unauthorized: this emulator has an admin token; send it as 'Authorization: Bearer <token>' or 'X-Emulator-Admin-Token: <token>'"

// maxStateBytes bounds a state document sent to PUT /__emulator/state.
const maxStateBytes = 256 << 20

// problemsBody is the 422 of a refused fixture document.
type problemsBody struct {
	Error    string   `json:"error"`
	Problems []string `json:"problems"`
}

// health: GET /__emulator/health -> {"status": "ok"}.
func (s *Server) health(rq *call) {
	writeJSON(rq.w, http.StatusOK, map[string]string{"status": "ok"})
}

// reset: POST /__emulator/reset -> 204, the state as it was at start-up
// (the writes made since taken back from the undo log: no rebuild through
// the rules, no copy). When it drops a whole state (one a replace
// installed), that state's memory goes back to the OS after the answer.
func (s *Server) reset(rq *call) {
	dropped := s.resetState()
	s.journal.coverage.Clear() // the coverage is since the last reset
	s.log.Info("state reset to the start-up fixtures")
	rq.w.WriteHeader(http.StatusNoContent)
	if dropped {
		s.memory.request()
	}
}

// getState: GET /__emulator/state -> the whole state as a fixture document
// (JSON; YAML when the request accepts application/yaml), streamed to the
// client under the read lock (fixture.WriteJSON, fixture.WriteYAML), never
// held whole in memory.
func (s *Server) getState(rq *call) {
	write, contentType := fixture.WriteJSON, "application/json; charset=utf-8"
	if accepts(rq.r, "application/yaml") {
		write, contentType = fixture.WriteYAML, "application/yaml"
	}
	rq.w.Header().Set("Content-Type", contentType)
	rq.w.WriteHeader(http.StatusOK)
	var err error
	s.store.Read(func(st *state.State) { err = write(rq.w, st) })
	if err != nil { // the client went away: the status is sent already
		s.log.Info("state dump not completed", "error", err)
	}
}

// streamedDump reports whether a request is for the state dump, which
// getState streams: respondControl lets it through unbuffered (its bytes are
// those of the fixture document, JSON or YAML, tested against the encoding
// of the whole document).
func streamedDump(op *operation, _ *http.Request) bool {
	return op.id == "getState"
}

// putState: PUT /__emulator/state with a fixture document (JSON, or YAML by
// Content-Type) -> 204, or 422 naming every problem; all or nothing. The
// Content-Type must say which (application/json or application/yaml), and
// the document must not be empty or null.
func (s *Server) putState(rq *call) {
	mediaType, _, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if err != nil || (mediaType != "application/json" && mediaType != "application/yaml") {
		writeError(rq.w, http.StatusUnprocessableEntity, msgStateContentType)
		return
	}
	data, err := readStateBody(rq)
	if err != nil {
		writeError(rq.w, http.StatusRequestEntityTooLarge, "state document too large or unreadable")
		return
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		writeError(rq.w, http.StatusUnprocessableEntity, "the state document is empty (an empty state is {\"partners\": []})")
		return
	case mediaType == "application/json" && trimmed[0] != '{':
		// JSON that is not an object (null, an array, a number) or not
		// JSON at all; Parse would take it for YAML.
		if json.Valid(trimmed) {
			writeError(rq.w, http.StatusUnprocessableEntity, "the state document must be a JSON object with a partners list")
		} else {
			writeError(rq.w, http.StatusUnprocessableEntity, msgMalformedJSON)
		}
		return
	}
	doc, err := fixture.Parse(data)
	if err != nil {
		writeError(rq.w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	st, err := fixture.Build(doc, s.now())
	if err != nil {
		var problems fixture.Problems
		if errors.As(err, &problems) {
			writeJSON(rq.w, http.StatusUnprocessableEntity, problemsBody{Error: "the state document was refused", Problems: problems})
			return
		}
		writeError(rq.w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.replaceState(st)
	s.log.Info("state replaced through the control API")
	rq.w.WriteHeader(http.StatusNoContent)
	s.memory.request()
}

// msgStateContentType is the 422 of a state document whose Content-Type
// names neither format.
const msgStateContentType = "Content-Type must be application/json or application/yaml (the format of the state document)"

// readStateBody reads a state document of at most maxStateBytes, in one
// buffer sized from Content-Length when the client sent it (no doubling of a
// growing buffer for a document of hundreds of megabytes).
func readStateBody(rq *call) ([]byte, error) {
	body := http.MaxBytesReader(rq.w, rq.r.Body, maxStateBytes)
	if rq.r.ContentLength > 0 && rq.r.ContentLength <= maxStateBytes {
		buf := bytes.NewBuffer(make([]byte, 0, rq.r.ContentLength+1))
		_, err := buf.ReadFrom(body)
		return buf.Bytes(), err
	}
	return io.ReadAll(body)
}

// accepts reports whether the request's Accept headers name mediaType.
func accepts(r *http.Request, mediaType string) bool {
	for _, header := range r.Header.Values("Accept") {
		for _, part := range strings.Split(header, ",") {
			if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == mediaType {
				return true
			}
		}
	}
	return false
}
