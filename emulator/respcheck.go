package emulator

import (
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	jsonv2 "github.com/go-json-experiment/json"
)

// noRouteStatuses are the answers a request that matches no operation can
// get: the early refusals (section "Order of checks" of docs/fidelity.md) and
// a fault rule's 429, 500 or 503.
var noRouteStatuses = map[int]bool{
	http.StatusUnauthorized: true, http.StatusForbidden: true, http.StatusNotFound: true,
	http.StatusRequestEntityTooLarge: true, http.StatusRequestURITooLong: true,
	http.StatusTooManyRequests: true, http.StatusInternalServerError: true, http.StatusServiceUnavailable: true,
}

// checkParameters checks every path and query parameter of c's operation
// against its document and returns a message for each failure.
func (s *Server) checkParameters(rq *call) []string {
	if s.opts.DisableValidation {
		return nil
	}
	input := &openapi3filter.RequestValidationInput{Request: rq.r, PathParams: rq.vars, Route: rq.op.route, Options: rq.op.opts}
	var me openapi3.MultiError
	check := func(p *openapi3.Parameter) {
		if err := openapi3filter.ValidateParameter(rq.r.Context(), input, p); err != nil {
			me = append(me, err)
		}
	}
	op := rq.op.route.Operation
	for _, ref := range rq.op.route.PathItem.Parameters {
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

// checkResponse checks what rec recorded against the responses c's operation
// documents: the status and headers with kin-openapi's ValidateResponse, the
// body with checkResponseBody (responsebody.go). An answer to a request that
// matched no operation must be an {"error": ...} body of one of
// noRouteStatuses.
func (s *Server) checkResponse(rq *call, rec *recorder) error {
	if rq.op == nil {
		return s.checkNoRouteResponse(rec)
	}
	input := &openapi3filter.RequestValidationInput{Request: rq.r, PathParams: rq.vars, Route: rq.op.route, Options: rq.op.opts}
	err := openapi3filter.ValidateResponse(rq.r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: rec.status, Header: rec.header,
		Body: http.NoBody, Options: rq.op.headOpts,
	})
	if err != nil {
		return err
	}
	return checkResponseBody(rq.op.route.Operation, rec.status, rec.header, rec.body.Bytes(), rec.encodedFrom(), rq.op.bodyOpts)
}

// checkNoRouteResponse checks the answer to a request that matched no
// operation against openapi.yaml's Error schema.
func (s *Server) checkNoRouteResponse(rec *recorder) error {
	if !noRouteStatuses[rec.status] {
		return fmt.Errorf("status %d is not an answer a request without a route can get", rec.status)
	}
	if ct := rec.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		return fmt.Errorf("response header Content-Type has unexpected value: %q", ct)
	}
	var value any
	if err := jsonv2.Unmarshal(rec.body.Bytes(), &value); err != nil {
		return fmt.Errorf("failed to decode response body: %w", err)
	}
	schema := s.api.doc.Components.Schemas["Error"]
	if schema == nil || schema.Value == nil {
		return fmt.Errorf("%s has no Error schema", s.api.name)
	}
	if err := schema.Value.VisitJSON(value); err != nil {
		return fmt.Errorf("response body doesn't match schema Error: %w", err)
	}
	return nil
}

// specViolation answers a response that broke its document as a 500, after
// logging, journaling and reporting it.
func (s *Server) specViolation(w http.ResponseWriter, rq *call, status int, err error) {
	v := SpecViolation{Method: rq.r.Method, Path: rq.r.URL.Path, Status: status, Problem: err.Error()}
	spec := s.api.name
	if rq.op != nil {
		v.Operation, spec = rq.op.id, rq.op.spec
	}
	s.log.Error("emulator bug: a response breaks "+spec, "operation", v.Operation, "method", v.Method,
		"path", v.Path, "status", v.Status, "problem", v.Problem)
	if rq.x != nil {
		rq.x.markViolation(v.Problem)
	}
	if s.opts.OnSpecViolation != nil {
		s.opts.OnSpecViolation(v)
	}
	what := "the response to " + v.Operation
	if rq.op == nil {
		what = "the response to a request without a route"
	}
	writeError(w, http.StatusInternalServerError, "emulator bug: "+what+" breaks "+spec+": "+v.Problem)
}
