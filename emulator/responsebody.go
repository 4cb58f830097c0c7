package emulator

import (
	"fmt"
	"net/http"
	"strings"

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
// a list request (pprof; README, "Performance"). v2 is also the
// stricter reader: a response with a duplicate key or invalid UTF-8 fails.
//
// value, when not nil, is what body was encoded from (recorder.encodedFrom):
// when its type knows the value decoding body gives (wireTree,
// wirevalue.go), that value is checked and the decoding spared.
//
// openapi.yaml describes only JSON bodies; any other media type is reported
// as a spec violation rather than passed unchecked.
func checkResponseBody(op *openapi3.Operation, status int, header http.Header, body []byte, value any, schemaOpts []openapi3.SchemaValidationOption) error {
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
	if mediaType, _, _ := strings.Cut(contentType, ";"); !strings.EqualFold(strings.TrimSpace(mediaType), "application/json") {
		return fmt.Errorf("response media type %q is not application/json, the only one the emulator checks", contentType)
	}
	ms := newWireMaps()
	tree, ok := wireTree(value, ms)
	if !ok {
		ms.release() // unused, or half filled by a value that could not say
		ms = nil
		if err := jsonv2.Unmarshal(body, &tree); err != nil {
			return fmt.Errorf("failed to decode response body: %w", err)
		}
	}
	if err := media.Schema.Value.VisitJSON(tree, schemaOpts...); err != nil {
		// The error may refer to the value: its maps are not recycled.
		return fmt.Errorf("response body doesn't match schema: %w", err)
	}
	if ms != nil {
		ms.release()
	}
	return nil
}

// bodySchemaOptions are the schema options ValidateResponse derives from
// opts for the response bodies of op, an operation of doc.
//
// ValidateResponse always adds VisitAsResponse. That mode changes a result
// only through writeOnly properties (they must not appear in a response and
// so are not required there), and it costs a sorted copy of every object's
// property names: nearly a third of the schema walk of a list page. It is
// passed where op's response schemas declare a writeOnly property, or where
// the document is OpenAPI 3.1 (whose keywords declaresWriteOnly does not
// follow); elsewhere the result is the same without it.
func bodySchemaOptions(doc *openapi3.T, op *openapi3.Operation, opts *openapi3filter.Options) []openapi3.SchemaValidationOption {
	var out []openapi3.SchemaValidationOption
	if opts.MultiError {
		out = append(out, openapi3.MultiErrors())
	}
	if opts.ExcludeWriteOnlyValidations {
		out = append(out, openapi3.DisableWriteOnlyValidation())
	}
	out = append(out, opts.SchemaValidationOptions...)
	if doc.IsOpenAPI31OrLater() {
		return append(out, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse())
	}
	if responsesDeclareWriteOnly(op) {
		out = append(out, openapi3.VisitAsResponse())
	}
	return out
}

// responsesDeclareWriteOnly reports whether a response schema of op has a
// writeOnly property anywhere.
func responsesDeclareWriteOnly(op *openapi3.Operation) bool {
	seen := map[*openapi3.Schema]bool{}
	for _, ref := range op.Responses.Map() {
		if ref.Value == nil {
			continue
		}
		for _, media := range ref.Value.Content {
			if declaresWriteOnly(media.Schema, seen) {
				return true
			}
		}
	}
	return false
}

// declaresWriteOnly reports whether the schema of ref, or one it contains
// (properties, items, additionalProperties, allOf, anyOf, oneOf, not), is
// writeOnly. seen holds the schemas already looked at, so that recursive
// schemas end.
func declaresWriteOnly(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) bool {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return false
	}
	s := ref.Value
	seen[s] = true
	if s.WriteOnly {
		return true
	}
	children := []*openapi3.SchemaRef{s.Items, s.AdditionalProperties.Schema, s.Not}
	for _, p := range s.Properties {
		children = append(children, p)
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		children = append(children, list...)
	}
	for _, c := range children {
		if declaresWriteOnly(c, seen) {
			return true
		}
	}
	return false
}
