package emulator

import (
	"bytes"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gorilla/mux"
)

// validate wraps the handler of one operation: it checks the path and query
// parameters against openapi.yaml (422 in the operation's error form), runs
// the handler on a buffer, and checks the response before it leaves. A
// response that breaks openapi.yaml is an emulator bug: it is logged,
// reported to Options.OnSpecViolation, and answered as a 500.
//
// The body is checked later, by decodeBody in the handler, so that an
// unknown id or client_api_id answers 404 before a bad body answers 422
// (BEHAVIOR.md section 9).
func (s *Server) validate(op *operation, h http.Handler) http.Handler {
	opts := validationOptions()
	// The status and headers go through ValidateResponse, the body through
	// checkResponseBody (responsebody.go).
	headOpts := validationOptions()
	headOpts.ExcludeResponseBody = true
	bodyOpts := bodySchemaOptions(op.route.Spec, op.route.Operation, opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = withOperation(r, op)
		if s.opts.DisableValidation {
			h.ServeHTTP(w, r)
			return
		}
		input := &openapi3filter.RequestValidationInput{Request: r, PathParams: mux.Vars(r), Route: op.route, Options: opts}
		if errs := validateParameters(r, input); len(errs) > 0 {
			writeUnprocessable(w, r, errs...)
			return
		}
		rec := newRecorder()
		defer rec.release()
		h.ServeHTTP(rec, r)
		err := openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input, Status: rec.status, Header: rec.header,
			Body: http.NoBody, Options: headOpts,
		})
		if err == nil {
			err = checkResponseBody(op.route.Operation, rec.status, rec.header, rec.body.Bytes(), bodyOpts)
		}
		if err != nil {
			s.specViolation(w, r, op, rec.status, err)
			return
		}
		rec.copyTo(w)
	})
}

// validateResponse checks every response of a control operation against
// control-openapi.yaml before it leaves, as validate does for the API, but
// with openapi3filter.ValidateResponse whole: the control API also answers
// YAML (a state dump), which checkResponseBody does not read, and its speed
// is not measured against a target.
func (s *Server) validateResponse(op *operation, h http.Handler) http.Handler {
	opts := validationOptions()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The JSON state dump is streamed, not buffered (control.go).
		if s.opts.DisableValidation || streamedDump(op, r) {
			h.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		input := &openapi3filter.RequestValidationInput{Request: r, PathParams: mux.Vars(r), Route: op.route, Options: opts}
		err := openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input, Status: rec.status, Header: rec.header,
			Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: opts,
		})
		if err != nil {
			s.specViolation(w, r, op, rec.status, err)
			return
		}
		rec.copyTo(w)
	})
}

// validateParameters checks every path and query parameter of the operation.
func validateParameters(r *http.Request, input *openapi3filter.RequestValidationInput) []string {
	var me openapi3.MultiError
	check := func(p *openapi3.Parameter) {
		if err := openapi3filter.ValidateParameter(r.Context(), input, p); err != nil {
			me = append(me, err)
		}
	}
	op := input.Route.Operation
	for _, ref := range input.Route.PathItem.Parameters {
		if op.Parameters.GetByInAndName(ref.Value.In, ref.Value.Name) == nil {
			check(ref.Value)
		}
	}
	for _, ref := range op.Parameters {
		check(ref.Value)
	}
	if len(me) == 0 {
		return nil
	}
	return describeValidation(me)
}

func (s *Server) specViolation(w http.ResponseWriter, r *http.Request, op *operation, status int, err error) {
	v := SpecViolation{Method: r.Method, Path: r.URL.Path, Operation: op.id, Status: status, Problem: err.Error()}
	s.log.Error("emulator bug: a response breaks "+op.spec, "operation", v.Operation, "method", v.Method,
		"path", v.Path, "status", v.Status, "problem", v.Problem)
	if x := exchangeOf(r); x != nil {
		x.mu.Lock()
		x.specViolation = v.Problem
		x.mu.Unlock()
	}
	if s.opts.OnSpecViolation != nil {
		s.opts.OnSpecViolation(v)
	}
	writeError(w, http.StatusInternalServerError, "emulator bug: the response to "+op.id+" breaks "+op.spec+": "+v.Problem)
}

// recorder buffers a handler's response so it can be checked before it is
// sent. Recorders are pooled: the buffer of one response serves the next.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// maxPooledBody is the largest buffer a recorder keeps for the next response.
const maxPooledBody = 64 << 10

func newRecorder() *recorder {
	rec := recorders.Get().(*recorder)
	rec.header, rec.status = http.Header{}, http.StatusOK
	return rec
}

// release returns rec to the pool once the response is written.
func (rec *recorder) release() {
	if rec.body.Cap() > maxPooledBody {
		return
	}
	rec.body.Reset()
	rec.header, rec.wrote = nil, false
	recorders.Put(rec)
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if !rec.wrote {
		rec.status, rec.wrote = status, true
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(b)
}

func (rec *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}
