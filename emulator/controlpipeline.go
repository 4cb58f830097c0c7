package emulator

import (
	"bytes"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// serveControl serves one request of the control API (/__emulator/...), a
// short chain of its own, each step an early return: what a browser could be
// made to send (a foreign Host while listening on loopback, a cross-site
// request: 403; docs/control-api.md), the web page's files (/__emulator/ui/),
// the route (404), the admin token (401;
// health needs none), a body that is not JSON or YAML where the operation
// takes it (422), then the handler; every answer is checked against
// control-openapi.yaml. Control requests are never journaled or faulted.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	rq := &call{r: r}
	rq.op, rq.vars = s.control.match(r)
	if !hostAllowed(r) {
		s.refuseControl(w, rq, http.StatusForbidden, msgForeignHost)
		return
	}
	if crossSite(r) {
		s.refuseControl(w, rq, http.StatusForbidden, msgCrossSite)
		return
	}
	// The web page's files (ui.go) hold no data: they need no token.
	if s.serveUI(w, r) {
		return
	}
	if rq.op == nil {
		writeError(w, http.StatusNotFound, msgNotFound)
		return
	}
	if !isHealth(rq.op) && !s.adminOK(r) {
		s.refuseControl(w, rq, http.StatusUnauthorized, msgNoAdminToken)
		return
	}
	if hasBody(r) && !bodyTypeAllowed(r, rq.op) {
		s.refuseControl(w, rq, http.StatusUnprocessableEntity, msgControlType)
		return
	}
	s.respondControl(w, rq, rq.op.handler)
}

// refuseControl answers a control request with an error, checked against
// its operation when it has one.
func (s *Server) refuseControl(w http.ResponseWriter, rq *call, status int, msg string) {
	if rq.op == nil {
		writeError(w, status, msg)
		return
	}
	s.respondControl(w, rq, func(_ *Server, rq *call) { writeError(rq.w, status, msg) })
}

// respondControl runs h, the control handler, on a recorder and checks its
// answer with openapi3filter.ValidateResponse whole: the control API also
// answers YAML (a state dump), which checkResponseBody does not read, and
// its speed is not measured against a target.
func (s *Server) respondControl(w http.ResponseWriter, rq *call, h handler) {
	if streamedDump(rq.op, rq.r) {
		// The state dump is streamed to the client, not buffered: its
		// byte-for-byte identity with the document is tested instead
		// (fixture.WriteJSON, fixture.WriteYAML).
		rq.w = w
		h(s, rq)
		return
	}
	rec := newRecorder()
	defer rec.release()
	rq.w = rec
	h(s, rq)
	if !s.opts.DisableValidation {
		input := &openapi3filter.RequestValidationInput{Request: rq.r, PathParams: rq.vars, Route: rq.op.route, Options: rq.op.opts}
		err := openapi3filter.ValidateResponse(rq.r.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input, Status: rec.status, Header: rec.header,
			Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: rq.op.opts,
		})
		if err != nil {
			s.specViolation(w, rq, rec.status, err)
			return
		}
	}
	rec.copyTo(w, false)
}

// controlHandlers maps each operationId of control-openapi.yaml to its
// handler. A control handler has the API's shape: it takes the call, reads
// its path parameters from rq.vars and writes to rq.w.
func controlHandlers() map[string]handler {
	return map[string]handler{
		"health":       (*Server).health,
		"reset":        (*Server).reset,
		"getState":     (*Server).getState,
		"putState":     (*Server).putState,
		"getJournal":   (*Server).getJournal,
		"clearJournal": (*Server).clearJournal,
		"listFaults":   (*Server).listFaults,
		"addFault":     (*Server).addFault,
		"clearFaults":  (*Server).clearFaults,
		"getFault":     (*Server).getFault,
		"removeFault":  (*Server).removeFault,
		"getClock":     (*Server).getClock,
		"setClock":     (*Server).setClock,
		"releaseClock": (*Server).releaseClock,
		"advanceClock": (*Server).advanceClock,
		"journalCount": (*Server).journalCount,
		"getCoverage":  (*Server).getCoverage,
	}
}
