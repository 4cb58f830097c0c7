package emulator

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	jsonv2 "github.com/go-json-experiment/json"
)

// checkResponseBody checks a recorded API response's body against the schema
// openapi.yaml gives its operation, status and media type, with kin-openapi's
// schema validator (VisitJSON) and the options it would use itself.
//
// It is the body half of openapi3filter.ValidateResponse, which validate
// calls with ExcludeResponseBody for the status and the headers. Doing the
// body here lets it be decoded straight from the recorder's buffer with
// encoding/json/v2 (the go-json-experiment module, which becomes the standard
// library's in Go 1.27): kin-openapi would copy the body, then decode it with
// encoding/json v1 into json.Number values, which together took a quarter of
// a list request (pprof, docs/architecture.md "Speed"). v2 is also the
// stricter reader: a response with a duplicate key or invalid UTF-8 fails.
//
// openapi.yaml describes only JSON bodies; any other media type is reported
// as a spec violation rather than passed unchecked.
func checkResponseBody(op *openapi3.Operation, status int, header http.Header, body []byte, schemaOpts []openapi3.SchemaValidationOption) error {
	ref := op.Responses.Status(status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		// An undocumented status is ValidateResponse's to report; a
		// documented one without content has no body to check.
		return nil
	}
	contentType := header.Get("Content-Type")
	media := ref.Value.Content.Get(contentType)
	if media == nil {
		return fmt.Errorf("response header Content-Type has unexpected value: %q", contentType)
	}
	if media.Schema == nil {
		return nil
	}
	if mediaType, _, err := mime.ParseMediaType(contentType); err != nil || mediaType != "application/json" {
		return fmt.Errorf("response media type %q is not application/json, the only one the emulator checks", contentType)
	}
	var value any
	if err := jsonv2.Unmarshal(body, &value); err != nil {
		return fmt.Errorf("failed to decode response body: %w", err)
	}
	if err := media.Schema.Value.VisitJSON(value, schemaOpts...); err != nil {
		return fmt.Errorf("response body doesn't match schema: %w", err)
	}
	return nil
}

// bodySchemaOptions are the schema options ValidateResponse derives from
// opts for a response body of the document doc.
func bodySchemaOptions(doc *openapi3.T, opts *openapi3filter.Options) []openapi3.SchemaValidationOption {
	var out []openapi3.SchemaValidationOption
	if opts.MultiError {
		out = append(out, openapi3.MultiErrors())
	}
	if opts.ExcludeWriteOnlyValidations {
		out = append(out, openapi3.DisableWriteOnlyValidation())
	}
	out = append(out, opts.SchemaValidationOptions...)
	if doc.IsOpenAPI31OrLater() {
		out = append(out, openapi3.EnableJSONSchema2020())
	}
	return append(out, openapi3.VisitAsResponse())
}
