package emulator

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
)

// operation is one operation of openapi.yaml, prepared once at start-up: the
// route kin-openapi validates against and how its 422s are shaped.
type operation struct {
	id    string
	route *routers.Route
	// errorsForm is true where the operation's 422 is {"errors": [...]}.
	errorsForm bool
	// bodyChecks holds the compiled check of each response body schema
	// that compiles (fastcheck.go), by schema.
	bodyChecks map[*openapi3.Schema]bodyCheck
}

// kinSetup installs, once per process, the emulator's faster equivalents
// in kin-openapi's registries.
var kinSetup sync.Once

// loadSpec parses and validates the embedded openapi.yaml and prepares every
// operation in it.
func loadSpec() (*openapi3.T, map[string]*operation, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(cloudhealthemulator.OpenAPI)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	kinSetup.Do(registerJSONDecoder)
	// Validating the document compiles its patterns into kin-openapi's
	// process-wide cache, with compilePattern.
	if err := doc.Validate(context.Background(), openapi3.SetRegexCompiler(compilePattern)); err != nil {
		return nil, nil, fmt.Errorf("openapi.yaml is not valid: %w", err)
	}
	// The servers name the real host; requests here come to 127.0.0.1.
	doc.Servers = nil
	ops := map[string]*operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return nil, nil, fmt.Errorf("openapi.yaml: %s %s has no operationId", method, path)
			}
			ops[op.OperationID] = &operation{
				id:         op.OperationID,
				route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
				errorsForm: uses422Errors(op),
				bodyChecks: compileResponseChecks(doc, op),
			}
		}
	}
	return doc, ops, nil
}

// compileResponseChecks compiles the schema of every response body of op
// that bodyCheck handles. The checks follow OpenAPI 3.0's schemas: a 3.1
// document (JSON Schema 2020-12 in kin-openapi) gets none.
func compileResponseChecks(doc *openapi3.T, op *openapi3.Operation) map[*openapi3.Schema]bodyCheck {
	checks := map[*openapi3.Schema]bodyCheck{}
	if doc.IsOpenAPI31OrLater() {
		return checks
	}
	for _, ref := range op.Responses.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		for _, mt := range ref.Value.Content {
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				continue
			}
			if check, ok := compileBodyCheck(mt.Schema); ok {
				checks[mt.Schema.Value] = check
			}
		}
	}
	return checks
}

func uses422Errors(op *openapi3.Operation) bool {
	ref := op.Responses.Status(http.StatusUnprocessableEntity)
	if ref == nil || ref.Value == nil {
		return false
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return false
	}
	_, ok := mt.Schema.Value.Properties["errors"]
	return ok
}

// validationOptions are kin-openapi's options for every check: all failures
// at once, read-only fields accepted in requests (clients send id), every
// status checked against the documented ones, and the request left as sent.
func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:                 true,
		ExcludeReadOnlyValidations: true,
		IncludeResponseStatus:      true,
		SkipSettingDefaults:        true,
		AuthenticationFunc:         openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions:    []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(compilePattern)},
	}
}

// describeValidation turns kin-openapi's errors into short messages that name
// the parameter or field, one per failure.
func describeValidation(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				walk(inner)
			}
		case *openapi3filter.RequestError:
			switch {
			case e.Parameter != nil:
				out = append(out, fmt.Sprintf("%s parameter %s: %s", e.Parameter.In, e.Parameter.Name, reason(e.Err, e.Reason)))
			case e.Err != nil:
				walk(e.Err)
			default:
				out = append(out, e.Reason)
			}
		case *openapi3.SchemaError:
			field := strings.Join(e.JSONPointer(), ".")
			if field == "" {
				out = append(out, "request body: "+e.Reason)
			} else {
				out = append(out, field+": "+e.Reason)
			}
		default:
			out = append(out, err.Error())
		}
	}
	walk(err)
	sort.Strings(out)
	return out
}

func reason(err error, fallback string) string {
	if err == nil {
		return fallback
	}
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		err = me[0]
	}
	if se, ok := err.(*openapi3.SchemaError); ok {
		return se.Reason
	}
	return err.Error()
}
