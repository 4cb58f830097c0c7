package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// The journal, fault and clock operations of the control API
// (control-openapi.yaml).

// maxClockShift bounds a clock advance: a hundred years either way.
const maxClockShift = 100 * 365 * 24 * time.Hour

// journalBody is the answer of GET /__emulator/journal.
type journalBody struct {
	Capacity int            `json:"capacity"`
	Entries  []JournalEntry `json:"entries"`
}

// getJournal: GET /__emulator/journal?method=&path_prefix=&operation=&status= -> the
// journaled requests the filters select, oldest first.
func (s *Server) getJournal(rq *call) {
	f, problem := parseJournalFilter(rq.r.URL.Query())
	if problem != "" {
		writeError(rq.w, http.StatusUnprocessableEntity, problem)
		return
	}
	writeJSON(rq.w, http.StatusOK, journalBody{Capacity: s.journal.capacity(), Entries: s.journal.list(f)})
}

// clearJournal: DELETE /__emulator/journal -> 204.
func (s *Server) clearJournal(rq *call) {
	s.journal.clear()
	rq.w.WriteHeader(http.StatusNoContent)
}

// faultsBody is the answer of GET /__emulator/faults.
type faultsBody struct {
	Faults []Fault `json:"faults"`
}

// addFault: POST /__emulator/faults -> 201 with the rule and its id, or 422
// naming every problem.
func (s *Server) addFault(rq *call) {
	var rule FaultRule
	if !decodeControl(rq, &rule) {
		return
	}
	if problems := rule.normalize(); len(problems) > 0 {
		writeJSON(rq.w, http.StatusUnprocessableEntity, problemsBody{Error: "the fault rule was refused", Problems: problems})
		return
	}
	fault, err := s.faults.add(rule)
	if err != nil {
		writeJSON(rq.w, http.StatusUnprocessableEntity, problemsBody{Error: "the fault rule was refused", Problems: []string{err.Error()}})
		return
	}
	s.log.Info("fault rule added", "fault", fault.ID, "method", rule.Method, "path", rule.Path+rule.PathPrefix, "status", rule.Status)
	rq.w.Header().Set("Location", controlPrefix+"faults/"+strconv.FormatInt(fault.ID, 10))
	writeJSON(rq.w, http.StatusCreated, fault)
}

// listFaults: GET /__emulator/faults -> the rules, in the order they are tried.
func (s *Server) listFaults(rq *call) {
	writeJSON(rq.w, http.StatusOK, faultsBody{Faults: s.faults.list()})
}

// getFault: GET /__emulator/faults/{id} -> the rule, or 404.
func (s *Server) getFault(rq *call) {
	id, _ := strconv.ParseInt(rq.vars["id"], 10, 64)
	fault, ok := s.faults.get(id)
	if !ok {
		writeError(rq.w, http.StatusNotFound, msgNoFault)
		return
	}
	writeJSON(rq.w, http.StatusOK, fault)
}

// removeFault: DELETE /__emulator/faults/{id} -> 204, or 404.
func (s *Server) removeFault(rq *call) {
	id, _ := strconv.ParseInt(rq.vars["id"], 10, 64)
	if !s.faults.remove(id) {
		writeError(rq.w, http.StatusNotFound, msgNoFault)
		return
	}
	rq.w.WriteHeader(http.StatusNoContent)
}

// clearFaults: DELETE /__emulator/faults -> 204.
func (s *Server) clearFaults(rq *call) {
	s.faults.clear()
	rq.w.WriteHeader(http.StatusNoContent)
}

// msgNoFault is the 404 of an unknown (or spent) fault rule.
const msgNoFault = "Not found: no fault rule has this id (a rule with times is removed when spent)"

// getClock: GET /__emulator/clock.
func (s *Server) getClock(rq *call) {
	writeJSON(rq.w, http.StatusOK, s.clock.State())
}

// setClock: PUT /__emulator/clock {"time": RFC 3339} -> the clock, stopped.
func (s *Server) setClock(rq *call) {
	var body struct {
		Time *string `json:"time"`
	}
	if !decodeControl(rq, &body) {
		return
	}
	if body.Time == nil {
		writeError(rq.w, http.StatusUnprocessableEntity, `time: required, an RFC 3339 time such as "2026-01-02T03:04:05Z"`)
		return
	}
	t, err := time.Parse(time.RFC3339Nano, *body.Time)
	if err != nil {
		writeError(rq.w, http.StatusUnprocessableEntity, fmt.Sprintf("time: %q is not an RFC 3339 time such as \"2026-01-02T03:04:05Z\"", *body.Time))
		return
	}
	st, err := s.clock.Set(t)
	if err != nil {
		writeError(rq.w, http.StatusUnprocessableEntity, "time: "+err.Error())
		return
	}
	s.log.Info("clock set", "time", st.Time)
	writeJSON(rq.w, http.StatusOK, st)
}

// advanceClock: POST /__emulator/clock/advance {"seconds": n} or
// {"duration": "1h30m"} -> the clock, moved.
func (s *Server) advanceClock(rq *call) {
	var body struct {
		Seconds  *float64 `json:"seconds"`
		Duration *string  `json:"duration"`
	}
	if !decodeControl(rq, &body) {
		return
	}
	var d time.Duration
	switch {
	case (body.Seconds == nil) == (body.Duration == nil):
		writeError(rq.w, http.StatusUnprocessableEntity, `give exactly one of seconds (a number) and duration (such as "90s" or "1h30m")`)
		return
	case body.Seconds != nil:
		if math.Abs(*body.Seconds) > maxClockShift.Seconds() {
			writeError(rq.w, http.StatusUnprocessableEntity, fmt.Sprintf("seconds: %v is more than a hundred years", *body.Seconds))
			return
		}
		d = time.Duration(*body.Seconds * float64(time.Second))
	default:
		var err error
		if d, err = time.ParseDuration(*body.Duration); err != nil {
			writeError(rq.w, http.StatusUnprocessableEntity, fmt.Sprintf("duration: %q is not a duration such as \"90s\" or \"1h30m\"", *body.Duration))
			return
		}
		if d > maxClockShift || d < -maxClockShift {
			writeError(rq.w, http.StatusUnprocessableEntity, fmt.Sprintf("duration: %q is more than a hundred years", *body.Duration))
			return
		}
	}
	st, err := s.clock.Advance(d)
	if err != nil {
		writeError(rq.w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.log.Info("clock advanced", "by", d, "time", st.Time)
	writeJSON(rq.w, http.StatusOK, st)
}

// releaseClock: DELETE /__emulator/clock -> the clock, on real time again.
func (s *Server) releaseClock(rq *call) {
	st := s.clock.Release()
	s.log.Info("clock released to real time")
	writeJSON(rq.w, http.StatusOK, st)
}

// decodeControl reads a control request's JSON body into v, strictly: JSON
// Content-Type, at most 1 MiB (413), one well-formed value, no unknown
// fields. On failure it answers with the problem and returns false.
func decodeControl(rq *call, v any) bool {
	mediaType, _, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		writeError(rq.w, http.StatusUnprocessableEntity, msgContentType)
		return false
	}
	data, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, maxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(rq.w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
		} else {
			writeError(rq.w, http.StatusUnprocessableEntity, "the request body could not be read")
		}
		return false
	}
	if !json.Valid(data) {
		writeError(rq.w, http.StatusUnprocessableEntity, msgMalformedJSON)
		return false
	}
	if bytes.TrimSpace(data)[0] != '{' {
		writeError(rq.w, http.StatusUnprocessableEntity, "the request body must be a JSON object")
		return false
	}
	// Names match exactly, and an unknown one (or one in another case) is
	// refused, as in a state document.
	if err := jsonv2.Unmarshal(data, v, jsonv2.RejectUnknownMembers(true)); err != nil {
		writeError(rq.w, http.StatusUnprocessableEntity, "the request body does not fit the operation: "+err.Error())
		return false
	}
	return true
}
