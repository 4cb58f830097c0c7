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
			err := checkResponseBody(op, tc.status, http.Header{"Content-Type": {tc.contentType}}, []byte(tc.body), nil, nil)
			if tc.problem == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.problem)
		})
	}
}

// declaresWriteOnly finds a writeOnly property wherever a schema can hold
// one, and ends on a schema that contains itself.
func TestDeclaresWriteOnly(t *testing.T) {
	secret := func() *openapi3.SchemaRef {
		s := openapi3.NewStringSchema()
		s.WriteOnly = true
		return s.NewRef()
	}
	object := func(name string, p *openapi3.SchemaRef) *openapi3.SchemaRef {
		return openapi3.NewObjectSchema().WithPropertyRef(name, p).NewRef()
	}
	recursive := openapi3.NewObjectSchema()
	recursive.WithPropertyRef("child", recursive.NewRef())
	withAdditional := openapi3.NewObjectSchema()
	withAdditional.AdditionalProperties = openapi3.AdditionalProperties{Schema: object("password", secret())}
	for _, tc := range []struct {
		name   string
		schema *openapi3.SchemaRef
		want   bool
	}{
		{"none", object("name", openapi3.NewStringSchema().NewRef()), false},
		{"nil", nil, false},
		{"property", object("password", secret()), true},
		{"array items", openapi3.NewArraySchema().WithItems(object("password", secret()).Value).NewRef(), true},
		{"allOf", openapi3.NewAllOfSchema(openapi3.NewObjectSchema(), object("password", secret()).Value).NewRef(), true},
		{"oneOf", openapi3.NewOneOfSchema(object("password", secret()).Value).NewRef(), true},
		{"additionalProperties", withAdditional.NewRef(), true},
		{"recursive, none", recursive.NewRef(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, declaresWriteOnly(tc.schema, map[*openapi3.Schema]bool{}))
		})
	}
}

// Where a response schema declares a writeOnly property, the body is checked
// as a response: the property must not be sent, and need not be.
func TestWriteOnlyPropertiesInResponses(t *testing.T) {
	secret := openapi3.NewStringSchema()
	secret.WriteOnly = true
	schema := openapi3.NewObjectSchema().
		WithProperty("name", openapi3.NewStringSchema()).
		WithProperty("password", secret).
		WithRequired([]string{"name", "password"})
	op := openapi3.NewOperation()
	op.AddResponse(http.StatusOK, openapi3.NewResponse().WithDescription("ok").WithJSONSchema(schema))
	doc := &openapi3.T{OpenAPI: "3.0.3"}
	opts := bodySchemaOptions(doc, op, validationOptions())
	check := func(body string) error {
		return checkResponseBody(op, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, []byte(body), nil, opts)
	}
	assert.NoError(t, check(`{"name":"a"}`))
	assert.ErrorContains(t, check(`{"name":"a","password":"p"}`), "writeOnly")
}
