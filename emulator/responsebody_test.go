package emulator

import (
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
)

// checkResponseBody reads JSON only; a body of any other documented media
// type is refused, not waved through, and a status without content has no
// body to check.
func TestCheckResponseBodyMediaTypes(t *testing.T) {
	schema := openapi3.NewObjectSchema().WithProperty("n", openapi3.NewIntegerSchema())
	op := openapi3.NewOperation()
	op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("ok").
		WithContent(openapi3.Content{
			"application/json": openapi3.NewMediaType().WithSchema(schema),
			"application/yaml": openapi3.NewMediaType().WithSchema(schema),
		}))
	op.AddResponse(http.StatusNoContent, openapi3.NewResponse().WithDescription("none"))
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		problem                 string // "" for no error
	}{
		{"JSON", "application/json", `{"n":1}`, http.StatusOK, ""},
		{"JSON with parameters", "application/json; charset=utf-8", `{"n":1}`, http.StatusOK, ""},
		{"JSON breaking the schema", "application/json", `{"n":"one"}`, http.StatusOK, "doesn't match schema"},
		{"YAML", "application/yaml", "n: 1\n", http.StatusOK, "not application/json"},
		{"no content documented", "", "", http.StatusNoContent, ""},
		{"undocumented status", "application/json", `{"n":1}`, http.StatusTeapot, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkResponseBody(op, tc.status, http.Header{"Content-Type": {tc.contentType}}, []byte(tc.body), nil)
			if tc.problem == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.problem)
		})
	}
}
