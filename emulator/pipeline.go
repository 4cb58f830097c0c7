package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// handler serves one operation of openapi.yaml or control-openapi.yaml: it
// reads what it needs from the call and writes the answer to rq.w.
type handler func(*Server, *call)

// call is one request on its way through serveAPI (or serveControl): what the
// pipeline has learned of it, passed explicitly to the handler and to every
// helper the handler calls. Nothing of ours travels in the request's context.
type call struct {
	// w receives the answer: a recorder, whose content is checked against
	// the operation's responses before it is written to the client.
	w http.ResponseWriter
	r *http.Request
	// op is the operation the request matched (nil: no route), and vars
	// its path parameters.
	op   *operation
	vars map[string]string
	// partner is the id of the partner the API key names (0 before the
	// credentials are checked).
	partner int64
	// x is the journal's record of the request (nil on the control API).
	x *exchange
	// closeAfter: the answer is sent at once and the connection closed,
	// the rest of the request's body unread (refuse).
	closeAfter bool
}

// serveAPI serves one request of the CloudHealth surface. Read it top to
// bottom: each step either answers and returns, or passes the request on.
// The answers come in the order docs/fidelity.md section "Order of checks"
// gives (CloudHealth's): limits, credentials, route, parameters, body.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	// The journal entry: every request, whatever answers it.
	x := s.journal.begin(s.clock.Now(), w, r)
	defer x.finish()
	w = x.w
	rq := &call{r: r, x: x}
	// The route is matched first (matching answers nothing), so that every
	// answer, the early ones too, is checked against its operation.
	rq.op, rq.vars = s.api.match(r)
	x.describe(rq.op, s.store)

	// A fault rule: it answers instead, or closes the connection, or delays
	// the real answer.
	if s.serveFault(w, rq) {
		return
	}
	// Limits: a URI over 4000 characters, a declared body over 1 MiB.
	if len(r.RequestURI) > maxURILength {
		s.refuse(w, rq, http.StatusRequestURITooLong, msgURITooLong)
		return
	}
	if r.ContentLength > maxBodyBytes {
		s.refuse(w, rq, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	// Credentials: none is a 401, a key of no partner a 403.
	key := apiKey(r)
	if key == "" {
		s.refuse(w, rq, http.StatusUnauthorized, msgNoCredentials)
		return
	}
	if rq.partner = s.partnerByKey(key); rq.partner == 0 {
		s.refuse(w, rq, http.StatusForbidden, msgBadKey)
		return
	}
	// The route: no path or no method of it is a 404.
	if rq.op == nil {
		x.diagnose(s.unmatched(r))
		s.refuse(w, rq, http.StatusNotFound, msgNotFound)
		return
	}
	// Path and query parameters, against openapi.yaml: a 422.
	if errs := s.checkParameters(rq); len(errs) > 0 {
		x.diagnose(parameterDiagnostic(errs))
		s.respond(w, rq, func(s *Server, rq *call) { writeUnprocessable(rq, errs...) })
		return
	}
	// The handler: it decodes the body (decodeBody), asks the state and the
	// rules, and writes its answer; respond checks that answer against
	// openapi.yaml and only then writes it to the client.
	s.respond(w, rq, rq.op.handler)
}

// refuse answers an error decided before the body is read (414, 413, 401,
// 403, 404) through respond, without waiting for a body that the emulator
// will never read: when one is still to come, the answer is sent at once and
// the connection closed (answerAndClose). A small body that a client sends
// right away is kept for the journal instead (exchange.finish).
func (s *Server) refuse(w http.ResponseWriter, rq *call, status int, msg string) {
	rq.closeAfter = bodyPending(rq.r)
	s.respond(w, rq, func(_ *Server, rq *call) { writeError(rq.w, status, msg) })
}

// bodyPending reports whether r declares a body that the journal does not
// read whole: a large one, a chunked one, or one the client sends only after
// a 100 Continue.
func bodyPending(r *http.Request) bool {
	n := r.ContentLength
	return n < 0 || n > maxJournalBody || (n > 0 && r.Header.Get("Expect") != "")
}

// respond runs h with a recorder as rq.w, checks what it recorded against
// c's operation (respcheck.go), and writes it to the client when it passes.
// A response that breaks openapi.yaml is an emulator bug: it is logged,
// journaled, reported to Options.OnSpecViolation and answered as a 500.
func (s *Server) respond(w http.ResponseWriter, rq *call, h handler) {
	rec := newRecorder()
	defer rec.release()
	rq.w = rec
	h(s, rq)
	if !s.opts.DisableValidation {
		if err := s.checkResponse(rq, rec); err != nil {
			s.specViolation(w, rq, rec.status, err)
			return
		}
	}
	s.rewriteResponse(rq, rec)
	if rq.closeAfter {
		answerAndClose(w, rq.x, rec, rq.r.Method == http.MethodHead)
		return
	}
	rec.copyTo(w, rq.r.Method == http.MethodHead)
}

// partnerByKey returns the id of the partner whose key this is, or 0.
func (s *Server) partnerByKey(key string) int64 {
	var id int64
	s.store.Read(func(st *state.State) {
		if p, ok := st.PartnerByKey(key); ok {
			id = p.ID
		}
	})
	return id
}
