package parity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SpecFinding is a recorded answer of the real API that openapi.yaml does not
// describe. Kind "finding" is a field openapi.yaml does not know, or a
// required one the answer leaves out: worth sending upstream or documenting,
// but no test failure. Kind "violation" is anything else (a wrong type, an
// undocumented status, a body that is not JSON).
type SpecFinding struct {
	Exchange  int    `json:"exchange"`
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    int    `json:"status"`
	Kind      string `json:"kind"`
	Problem   string `json:"problem"`
}

// specChecker routes requests to openapi.yaml's operations and checks
// answers against them.
type specChecker struct{ router routers.Router }

func newSpecChecker() (*specChecker, error) {
	doc, err := openapi3.NewLoader().LoadFromData(cloudhealthemulator.OpenAPI)
	if err != nil {
		return nil, err
	}
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &specChecker{router: router}, nil
}

// route finds the operation of a request ("" when none).
func (s *specChecker) route(req *http.Request) (*routers.Route, map[string]string) {
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, nil
	}
	return route, params
}

// check validates an answer; it returns the findings and the violations.
func (s *specChecker) check(req *http.Request, status int, header http.Header, body []byte) (findings, violations []string) {
	route, params := s.route(req)
	if route == nil {
		return nil, nil
	}
	op := route.Operation
	if op.Responses.Status(status) == nil && op.Responses.Default() == nil {
		var documented []string
		for st := range op.Responses.Map() {
			documented = append(documented, st)
		}
		sort.Strings(documented)
		return nil, []string{fmt.Sprintf("status %d is not documented (documented: %s)", status, strings.Join(documented, ", "))}
	}
	opts := &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true, ExcludeReadOnlyValidations: true,
		SkipSettingDefaults: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	})
	return SplitSpecErrors(err)
}

// SplitSpecErrors sorts kin-openapi's validation errors of a response into
// findings (a property openapi.yaml does not know; a required property left
// out) and violations (everything else), one clause each. Against the real
// API the contract suite reports the findings and fails only on violations.
func SplitSpecErrors(err error) (findings, violations []string) {
	if err == nil {
		return nil, nil
	}
	for _, leaf := range leaves(err, "") {
		var se *openapi3.SchemaError
		if errors.As(leaf.err, &se) {
			text := fmt.Sprintf("%sat %q: %s", leaf.prefix, "/"+strings.Join(se.JSONPointer(), "/"), se.Reason)
			if se.SchemaField == "required" || (se.SchemaField == "properties" && strings.HasSuffix(se.Reason, "is unsupported")) {
				findings = append(findings, text)
			} else {
				violations = append(violations, text)
			}
			continue
		}
		violations = append(violations, leaf.prefix+leaf.err.Error())
	}
	return findings, violations
}

type leaf struct {
	prefix string
	err    error
}

// leaves flattens multi-errors and response errors into single checks.
func leaves(err error, prefix string) []leaf {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []leaf
		for _, inner := range e {
			out = append(out, leaves(inner, prefix)...)
		}
		return out
	case *openapi3filter.ResponseError:
		if e.Err == nil {
			return []leaf{{prefix, errors.New(e.Reason)}}
		}
		return leaves(e.Err, prefix+e.Reason+": ")
	}
	return []leaf{{prefix, err}}
}
