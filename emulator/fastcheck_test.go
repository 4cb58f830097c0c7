package emulator

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compiledChecks returns every compiled response check of openapi.yaml with
// its schema, in a fixed order.
func compiledChecks(t testing.TB) ([]*openapi3.Schema, []bodyCheck) {
	_, ops, err := loadSpec()
	require.NoError(t, err)
	ids := make([]string, 0, len(ops))
	for id := range ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var schemas []*openapi3.Schema
	var checks []bodyCheck
	seen := map[*openapi3.Schema]bool{}
	for _, id := range ids {
		for s, c := range ops[id].bodyChecks {
			if !seen[s] {
				seen[s] = true
				schemas, checks = append(schemas, s), append(checks, c)
			}
		}
	}
	return schemas, checks
}

// kinAccepts is kin-openapi's verdict on v as a response body.
func kinAccepts(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.SetSchemaRegexCompiler(compilePattern)) == nil
}

// checkSamples are response bodies and near misses: wrong types, missing,
// extra and null fields, bad owner ids, numbers that are not int64s.
var checkSamples = []string{
	`{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":1,"owner_id":"123456789012","customer_id":2}`,
	`{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012","x":1}`,
	`{"id":1,"owner_id":"12345678901","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":1,"owner_id":"123456789012\n","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":1.5,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":1e3,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":99999999999999999999,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":-7,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":"1","owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"id":null,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}`,
	`{"aws_account_assignments":[]}`,
	`{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}]}`,
	`{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2}]}`,
	`{"aws_account_assignments":null}`,
	`{"aws_account_assignments":{}}`,
	`{"error":"Not found"}`,
	`{"error":""}`,
	`{"error":1}`,
	`{"error":"x","errors":["y"]}`,
	`{"errors":["a","b"]}`,
	`{"errors":[]}`,
	`{"errors":[1]}`,
	`{"errors":null}`,
	`{"error":"a","error":"b"}`,
	`{"error":"caf\u00e9"}`,
	`{"error":"x"} {"error":"y"}`,
	`{"error":"x"}]`,
	` {"error" : "x" } `,
	`{"errors":["a",]}`,
	`{"aws_account_assignments":[{"id":01,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}]}`,
	`{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"},]}`,
	`{}`,
	`[]`,
	`"x"`,
	`null`,
	`true`,
	`12`,
}

// A compiled check accepts only what kin-openapi accepts, and accepts the
// emulator's usual responses (else it would save nothing).
func TestBodyChecksAcceptOnlyWhatKinOpenAPIAccepts(t *testing.T) {
	schemas, checks := compiledChecks(t)
	require.NotEmpty(t, checks)
	accepted := 0
	for _, sample := range checkSamples {
		v, err := stdDecode([]byte(sample))
		for i, check := range checks {
			if err != nil {
				assert.False(t, checkBody(check, []byte(sample)), "check accepts %s, which is not JSON", sample)
				continue
			}
			if checkBody(check, []byte(sample)) {
				accepted++
				assert.True(t, kinAccepts(schemas[i], v), "check accepts %s, kin-openapi refuses it", sample)
			}
		}
	}
	for _, sample := range []string{checkSamples[0], checkSamples[11], checkSamples[12], checkSamples[16], checkSamples[20]} {
		found := false
		for _, check := range checks {
			found = found || checkBody(check, []byte(sample+"\n"))
		}
		assert.True(t, found, "no check accepts %s", sample)
	}
	assert.Greater(t, accepted, 5)
}

// The compiled checks refuse schemas with keywords they do not handle.
func TestCompileBodyCheckRefusesUnhandledKeywords(t *testing.T) {
	for _, tc := range []struct {
		schema string
		ok     bool
	}{
		{`{"type":"object","properties":{"a":{"type":"string","pattern":"^[0-9]{12}$"}},"required":["a"],"additionalProperties":false}`, true},
		{`{"type":"array","items":{"type":"integer","format":"int64"},"minItems":1}`, true},
		{`{"type":"string","enum":["a","b"],"minLength":1}`, true},
		{`{"type":"boolean"}`, true},
		{`{"type":"string","format":"date-time"}`, false},
		{`{"type":"string","nullable":true}`, false},
		{`{"type":"integer","minimum":1}`, false},
		{`{"type":"integer","format":"int32"}`, false},
		{`{"type":"number"}`, false},
		{`{"type":"object","additionalProperties":{"type":"string"}}`, false},
		{`{"type":"object","minProperties":1}`, false},
		{`{"oneOf":[{"type":"string"},{"type":"integer"}]}`, false},
		{`{"type":"object","properties":{"a":{"type":"string","writeOnly":true}}}`, false},
		{`{"type":"array","items":{"type":"string"},"uniqueItems":true}`, false},
		{`{}`, false},
	} {
		var s openapi3.Schema
		require.NoError(t, json.Unmarshal([]byte(tc.schema), &s), tc.schema)
		_, ok := compileBodyCheck(openapi3.NewSchemaRef("", &s))
		assert.Equal(t, tc.ok, ok, tc.schema)
	}
}

// Any JSON: when a compiled check of openapi.yaml accepts it, so does
// kin-openapi.
func FuzzBodyChecks(f *testing.F) {
	for _, s := range checkSamples {
		f.Add([]byte(s))
	}
	schemas, checks := compiledChecks(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, check := range checks {
			if !checkBody(check, data) {
				continue
			}
			v, err := stdDecode(data)
			if err != nil {
				t.Fatalf("check accepts %s, encoding/json refuses it: %v", data, err)
			}
			if !kinAccepts(schemas[i], v) {
				t.Fatalf("check accepts %s, kin-openapi refuses it", data)
			}
		}
	})
}
