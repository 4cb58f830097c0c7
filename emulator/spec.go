package emulator

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// operation is one operation of an OpenAPI document, prepared once per
// process: the route kin-openapi validates against, its handler, how its 422s
// are shaped, and the options of each check.
type operation struct {
	id      string
	spec    string // the file it comes from
	route   *routers.Route
	handler handler
	// errorsForm is true where the operation's 422 is {"errors": [...]}.
	errorsForm bool
	// opts are kin-openapi's options for the parameters and, with
	// headOpts (the body excluded), the status and headers of a response.
	opts, headOpts *openapi3filter.Options
	// bodyOpts are the schema options of the response body check
	// (responsebody.go), requestOpts those of the request body.
	bodyOpts, requestOpts []openapi3.SchemaValidationOption
}

// loadSpec parses and validates an embedded OpenAPI document (openapi.yaml or
// control-openapi.yaml) and prepares every operation in it.
func loadSpec(name string, data []byte) (*openapi3.T, map[string]*operation, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	// Validating the document compiles its patterns into kin-openapi's
	// process-wide cache, with compilePattern (specpattern.go).
	if err := doc.Validate(context.Background(), openapi3.SetRegexCompiler(compilePattern)); err != nil {
		return nil, nil, fmt.Errorf("%s is not valid: %w", name, err)
	}
	// The servers name the real host; requests here come to 127.0.0.1.
	doc.Servers = nil
	ops := map[string]*operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return nil, nil, fmt.Errorf("%s: %s %s has no operationId", name, method, path)
			}
			opts := validationOptions()
			headOpts := validationOptions()
			headOpts.ExcludeResponseBody = true
			ops[op.OperationID] = &operation{
				id:          op.OperationID,
				spec:        name,
				route:       &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: op},
				errorsForm:  uses422Errors(op),
				opts:        opts,
				headOpts:    headOpts,
				bodyOpts:    bodySchemaOptions(doc, op, opts),
				requestOpts: requestSchemaOptions(opts),
			}
		}
	}
	return doc, ops, nil
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
				out = append(out, parameterMessage(e))
			case e.Err != nil:
				walk(e.Err)
			default:
				out = append(out, e.Reason)
			}
		case *openapi3.SchemaError:
			out = append(out, schemaMessage(e)) // messages.go
		default:
			out = append(out, err.Error())
		}
	}
	walk(err)
	sort.Strings(out)
	return out
}

// requestSchemaOptions are the schema options ValidateRequestBody derives
// from opts for a JSON request body, so that decodeBody can check a body it
// decoded once with the same result.
func requestSchemaOptions(opts *openapi3filter.Options) []openapi3.SchemaValidationOption {
	out := []openapi3.SchemaValidationOption{openapi3.VisitAsRequest()}
	if opts.MultiError {
		out = append(out, openapi3.MultiErrors())
	}
	if opts.ExcludeReadOnlyValidations {
		out = append(out, openapi3.DisableReadOnlyValidation())
	}
	return append(out, opts.SchemaValidationOptions...)
}
