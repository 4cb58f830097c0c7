package contracttests

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Violation is a request or response that openapi.yaml does not allow. The
// transport returns it (wrapped by http.Client in a *url.Error) instead of the
// response, so the test that caused it fails with the operation, the status
// and what is wrong.
type Violation struct {
	// Operation is the operationId the request was routed to.
	Operation string
	// Method and Path are those of the request.
	Method, Path string
	// Status is the response's status; 0 for a request violation.
	Status int
	// Problem is kin-openapi's description of every failed check.
	Problem string
}

// Error names the operation, the status and the problem.
func (v *Violation) Error() string {
	if v.Status == 0 {
		return fmt.Sprintf("request breaks openapi.yaml: %s (%s %s): %s", v.Operation, v.Method, v.Path, v.Problem)
	}
	return fmt.Sprintf("response breaks openapi.yaml: %s (%s %s) answered %d: %s", v.Operation, v.Method, v.Path, v.Status, v.Problem)
}

type invalidKey struct{}

// ExpectInvalid marks a request that breaks openapi.yaml on purpose (no
// credentials are fine; a bad page number, a wrong Content-Type, malformed
// JSON, a non-integer id are not): the transport sends it as it is instead of
// refusing it. Its response is still checked. Requests not marked are checked
// before they are sent, and a violation is returned without sending them: a
// test that believes it sends a valid request and does not is a suite bug.
func ExpectInvalid(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), invalidKey{}, true))
}

func expectsInvalid(r *http.Request) bool {
	v, _ := r.Context().Value(invalidKey{}).(bool)
	return v
}

// Transport is an http.RoundTripper that checks every request and response
// against openapi.yaml and records, in Coverage, each (operationId, status)
// it saw. A request that matches no operation of the spec (an unknown path or
// method) is sent unchecked and recorded under no operation.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Coverage, when set, records every operation and status seen.
	Coverage *Coverage
	// Findings, when set, collects the response problems that are findings
	// (a property openapi.yaml does not know, a required one left out)
	// instead of failing on them; other problems still fail. Set it only
	// against the real API.
	Findings *Findings

	router routers.Router
}

// NewTransport builds the router once from the spec (openapi.yaml's bytes),
// with its servers cleared so that any host matches.
func NewTransport(spec []byte, base http.RoundTripper, cov *Coverage) (*Transport, error) {
	doc, err := loadSpec(spec)
	if err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing openapi.yaml: %w", err)
	}
	return &Transport{Base: base, Coverage: cov, router: router}, nil
}

// loadSpec parses and validates an OpenAPI document, servers cleared.
func loadSpec(spec []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is not valid: %w", err)
	}
	doc.Servers = nil
	return doc, nil
}

// validationOptions: every failure at once, each status checked against the
// documented ones, read-only fields (id) accepted in requests as the API
// accepts them, the request left exactly as sent, and credentials not checked
// (the suite tests the API's own answers to missing and bad keys).
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:                 true,
		IncludeResponseStatus:      true,
		ExcludeReadOnlyValidations: true,
		SkipSettingDefaults:        true,
		AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
	}
}

// RoundTrip checks the request (unless ExpectInvalid marked it), sends it,
// checks the response, records the pair, and returns the response with its
// body intact, or a *Violation.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	route, params, err := t.router.FindRoute(req)
	if err != nil {
		// Not an operation of the spec: nothing to check it against.
		resp, err := base.RoundTrip(req)
		if err == nil {
			t.Coverage.Record("", resp.StatusCode)
		}
		return resp, err
	}
	opID := route.Operation.OperationID
	reqBody, err := readBody(&req.Body)
	if err != nil {
		return nil, err
	}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: validationOptions()}
	if !expectsInvalid(req) {
		check := req.Clone(req.Context())
		check.Body = io.NopCloser(bytes.NewReader(reqBody))
		in := *input
		in.Request = check
		if err := openapi3filter.ValidateRequest(req.Context(), &in); err != nil {
			return nil, &Violation{Operation: opID, Method: req.Method, Path: req.URL.Path, Problem: describe(err)}
		}
	}
	if reqBody != nil {
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := readBody(&resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.Coverage.Record(opID, resp.StatusCode)
	if problem := undocumentedStatus(route.Operation, resp.StatusCode); problem != "" {
		return nil, &Violation{Operation: opID, Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Problem: problem}
	}
	err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: validationOptions(),
	})
	if err != nil && t.Findings != nil {
		findings, violations := parity.SplitSpecErrors(err)
		for _, f := range findings {
			t.Findings.add(opID, resp.StatusCode, f)
		}
		if len(violations) == 0 {
			return resp, nil
		}
		return nil, &Violation{Operation: opID, Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Problem: strings.Join(violations, "; ")}
	}
	if err != nil {
		return nil, &Violation{Operation: opID, Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Problem: describe(err)}
	}
	return resp, nil
}

// undocumentedStatus names the documented statuses when status is not one of
// them (and there is no default response); "" when it is.
func undocumentedStatus(op *openapi3.Operation, status int) string {
	if op.Responses.Status(status) != nil || op.Responses.Default() != nil {
		return ""
	}
	var documented []string
	for s := range op.Responses.Map() {
		documented = append(documented, s)
	}
	sort.Strings(documented)
	return fmt.Sprintf("status %d is not documented for this operation (documented: %s)", status, strings.Join(documented, ", "))
}

// readBody reads and closes *body (which may be nil) and returns its bytes.
func readBody(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(*body)
	_ = (*body).Close()
	return data, err
}

// describe flattens kin-openapi's errors into one short clause per failed
// check ("body /customer_id: value must be an integer"), without the schema
// dumps of their Error().
func describe(err error) string {
	switch e := err.(type) {
	case openapi3.MultiError:
		parts := make([]string, 0, len(e))
		for _, inner := range e {
			parts = append(parts, describe(inner))
		}
		return strings.Join(parts, "; ")
	case *openapi3filter.ResponseError:
		if e.Err == nil {
			return e.Reason
		}
		return e.Reason + ": " + describe(e.Err)
	case *openapi3filter.RequestError:
		prefix := e.Reason
		if e.Parameter != nil {
			prefix = fmt.Sprintf("%s parameter %q", e.Parameter.In, e.Parameter.Name)
		}
		if e.Err == nil {
			return prefix
		}
		if prefix == "" {
			return describe(e.Err)
		}
		return prefix + ": " + describe(e.Err)
	case *openapi3.SchemaError:
		return fmt.Sprintf("at %q: %s", "/"+strings.Join(e.JSONPointer(), "/"), e.Reason)
	default:
		return err.Error()
	}
}

// Operation returns the operationId of openapi.yaml that req routes to, or ""
// when it matches none.
func (t *Transport) Operation(req *http.Request) string {
	route, _, err := t.router.FindRoute(req)
	if err != nil {
		return ""
	}
	return route.Operation.OperationID
}
