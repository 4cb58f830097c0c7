package emulator

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A response that breaks openapi.yaml, in its status, its headers or its
// body, becomes a 500 and a SpecViolation naming the problem, and one that
// keeps to it goes out byte for byte.
func TestResponsesAreCheckedAgainstTheSpec(t *testing.T) {
	const good = `{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}]}` + "\n"
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		violation               bool
		total                   string
		// problem is part of the SpecViolation's Problem.
		problem string
	}{
		{"conforming", "application/json; charset=utf-8", good, http.StatusOK, false, "", ""},
		{"conforming, empty list", "application/json; charset=utf-8", `{"aws_account_assignments":[]}`, http.StatusOK, false, "", ""},
		{"conforming, escaped text", "application/json", `{"aws_account_assignments":[{"id":1,"owner_id":"\u0031\u0032\u0033456789012","customer_id":2,"payer_account_owner_id":"123456789012"}]}`, http.StatusOK, false, "", ""},
		{"unknown field", "application/json", `{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012","x":1}]}`, http.StatusOK, true, "", "response body doesn't match schema"},
		{"missing field", "application/json", `{"aws_account_assignments":[{"id":1,"owner_id":"123456789012","customer_id":2}]}`, http.StatusOK, true, "", ""},
		{"bad owner id", "application/json", `{"aws_account_assignments":[{"id":1,"owner_id":"12345678901","customer_id":2,"payer_account_owner_id":"123456789012"}]}`, http.StatusOK, true, "", ""},
		{"fractional id", "application/json", `{"aws_account_assignments":[{"id":1.5,"owner_id":"123456789012","customer_id":2,"payer_account_owner_id":"123456789012"}]}`, http.StatusOK, true, "", ""},
		{"null list", "application/json", `{"aws_account_assignments":null}`, http.StatusOK, true, "", ""},
		{"not JSON", "application/json", `{"aws_account_assignments":[`, http.StatusOK, true, "", ""},
		{"undocumented content type", "text/plain", good, http.StatusOK, true, "", "Content-Type"},
		{"undocumented status", "application/json", good, http.StatusTeapot, true, "", "status is not supported"},
		{"error body on a success status", "application/json", `{"error":"x"}`, http.StatusOK, true, "", ""},
		{"bad header", "application/json", good, http.StatusOK, true, "many", "X-Total"},
		{"duplicate key", "application/json", `{"aws_account_assignments":[],"aws_account_assignments":[]}`, http.StatusOK, true, "", "duplicate object member name"},
		{"invalid UTF-8", "application/json", "{\"aws_account_assignments\":[{\"id\":1,\"owner_id\":\"\xff\",\"customer_id\":2,\"payer_account_owner_id\":\"123456789012\"}]}", http.StatusOK, true, "", "invalid UTF-8"},
		{"empty body", "application/json", "", http.StatusOK, true, "", "failed to decode response body"},
		{"two values", "application/json", good + good, http.StatusOK, true, "", "failed to decode response body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var violations []SpecViolation
			srv, err := New(Options{OnSpecViolation: func(v SpecViolation) { violations = append(violations, v) }})
			require.NoError(t, err)
			rec := serveAs(srv, "listAwsAccountAssignments", func(_ *Server, rq *call) {
				rq.w.Header().Set("Content-Type", tc.contentType)
				rq.w.Header().Set("X-Total", cmp.Or(tc.total, "1"))
				rq.w.Header().Set("X-Per-Page", "30")
				rq.w.WriteHeader(tc.status)
				_, _ = rq.w.Write([]byte(tc.body))
			}, httptest.NewRequest(http.MethodGet, assignmentsPath, nil))
			if tc.violation {
				assert.Equal(t, http.StatusInternalServerError, rec.Code, rec.Body.String())
				require.Len(t, violations, 1)
				assert.Equal(t, "listAwsAccountAssignments", violations[0].Operation)
				assert.Equal(t, tc.status, violations[0].Status)
				assert.Contains(t, violations[0].Problem, tc.problem)
				return
			}
			assert.Empty(t, violations)
			assert.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.body, rec.Body.String())
			assert.Equal(t, tc.contentType, rec.Header().Get("Content-Type"))
		})
	}
}

// serveAs answers r through the pipeline's respond step as the openapi.yaml
// operation id with h for its handler, journaled like any API request.
func serveAs(srv *Server, id string, h handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	x := srv.journal.begin(srv.clock.Now(), rec, r)
	defer x.finish()
	srv.respond(x.w, &call{r: r, op: srv.api.ops[id], x: x}, h)
	return rec
}
