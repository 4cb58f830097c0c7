package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The admin token of the control API, and bad input to every control
// operation.

// controlOps is one request per control operation, each one that succeeds
// on a fresh emulator, with the status of its success.
var controlOps = []struct {
	name         string
	method, path string
	body         string
	status       int
}{
	{"reset", http.MethodPost, resetPath, "", http.StatusNoContent},
	{"getState", http.MethodGet, statePath, "", http.StatusOK},
	{"putState", http.MethodPut, statePath, `{"partners": [{"name": "p", "api_keys": ["demo-partner-key"]}]}`, http.StatusNoContent},
	{"getJournal", http.MethodGet, journalPath, "", http.StatusOK},
	{"clearJournal", http.MethodDelete, journalPath, "", http.StatusNoContent},
	{"addFault", http.MethodPost, faultsPath, `{"path": "/nowhere", "status": 500}`, http.StatusCreated},
	{"listFaults", http.MethodGet, faultsPath, "", http.StatusOK},
	{"getFault", http.MethodGet, faultsPath + "/1", "", http.StatusOK},
	{"removeFault", http.MethodDelete, faultsPath + "/1", "", http.StatusNoContent},
	{"clearFaults", http.MethodDelete, faultsPath, "", http.StatusNoContent},
	{"getClock", http.MethodGet, clockPath, "", http.StatusOK},
	{"setClock", http.MethodPut, clockPath, `{"time": "2030-01-01T00:00:00Z"}`, http.StatusOK},
	{"advanceClock", http.MethodPost, clockPath + "/advance", `{"seconds": 5}`, http.StatusOK},
	{"releaseClock", http.MethodDelete, clockPath, "", http.StatusOK},
}

func TestAdminToken(t *testing.T) {
	const token = "s3cret-admin"
	ts := newTestServer(t, Options{AdminToken: token})

	// Health never needs it.
	require.Equal(t, http.StatusOK, ts.do(request{Method: http.MethodGet, Path: healthPath}).Status)
	require.NoError(t, NewControlClient(ts.URL, "").Health())

	for _, op := range controlOps {
		t.Run(op.name, func(t *testing.T) {
			ts := ts.sub(t)
			var body any
			if op.body != "" {
				body = op.body
			}
			for name, header := range map[string]http.Header{
				"none":            nil,
				"wrong bearer":    {"Authorization": {"Bearer nope"}},
				"wrong header":    {"X-Emulator-Admin-Token": {"nope"}},
				"partner key":     {"Authorization": {"Bearer " + demoKey}},
				"token as basic":  {"Authorization": {"Basic " + token}},
				"prefix of token": {"X-Emulator-Admin-Token": {token[:5]}},
			} {
				ts.unchanged(func() {
					r := ts.do(request{Method: op.method, Path: op.path, Body: body, Header: header})
					requireJSONError(t, r, http.StatusUnauthorized)
					require.Contains(t, r.Error(), "admin token", name)
				})
			}
			for _, header := range []http.Header{
				{"Authorization": {"Bearer " + token}},
				{"Authorization": {"bearer " + token}},
				{"X-Emulator-Admin-Token": {token}},
				// Either header carrying the token is enough: a partner key in
				// Authorization does not hide it.
				{"Authorization": {"Bearer " + demoKey}, "X-Emulator-Admin-Token": {token}},
				{"Authorization": {"Bearer nope"}, "X-Emulator-Admin-Token": {token}},
				{"Authorization": {"Bearer " + token}, "X-Emulator-Admin-Token": {"nope"}},
			} {
				r := ts.do(request{Method: op.method, Path: op.path, Body: body, Header: header})
				require.Equal(t, op.status, r.Status, "%v: %s", header, r.Body)
				if op.name == "addFault" || op.name == "removeFault" {
					break // once: the second would be another rule, or a 404
				}
			}
		})
	}

	// The typed client sends it; a client without it is refused.
	require.NoError(t, ts.inst.Control.Reset())
	var ce *ControlError
	require.ErrorAs(t, NewControlClient(ts.URL, "").Reset(), &ce)
	require.Equal(t, http.StatusUnauthorized, ce.Status)

	// The CloudHealth API still wants a partner key, not the token.
	require.Equal(t, http.StatusOK, ts.get(assignmentsPath).Status)
	requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: assignmentsPath, Header: http.Header{"X-Emulator-Admin-Token": {token}}}), http.StatusUnauthorized)
}

// Without a token, every control operation works without credentials.
func TestNoAdminToken(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, op := range controlOps {
		var body any
		if op.body != "" {
			body = op.body
		}
		r := ts.do(request{Method: op.method, Path: op.path, Body: body})
		require.Equal(t, op.status, r.Status, "%s: %s", op.name, r.Body)
	}
}

// Bad input to every control operation: a 4xx JSON error, nothing changed.
func TestControlBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	_, err := ts.inst.Control.AddFault(FaultRule{Path: "/nowhere", Status: 500})
	require.NoError(t, err)
	cases := []struct {
		name, method, path, contentType, body string
		status                                int
	}{
		{"reset with a query", http.MethodPost, resetPath + "/now", "", "", http.StatusNotFound},
		{"state: wrong method", http.MethodPost, statePath, "", "", http.StatusNotFound},
		{"putState: bad document", http.MethodPut, statePath, "application/json", `{"partners": 1}`, http.StatusUnprocessableEntity},
		{"putState: malformed", http.MethodPut, statePath, "application/json", `{`, http.StatusUnprocessableEntity},
		{"getJournal: bad status", http.MethodGet, journalPath + "?status=ok", "", "", http.StatusUnprocessableEntity},
		{"journal: wrong method", http.MethodPost, journalPath, "", "", http.StatusNotFound},
		{"addFault: bad rule", http.MethodPost, faultsPath, "application/json", `{"status": 5}`, http.StatusUnprocessableEntity},
		{"addFault: not JSON", http.MethodPost, faultsPath, "text/plain", `x`, http.StatusUnprocessableEntity},
		{"faults: wrong method", http.MethodPut, faultsPath, "", "", http.StatusNotFound},
		{"getFault: unknown", http.MethodGet, faultsPath + "/99", "", "", http.StatusNotFound},
		{"getFault: not a number", http.MethodGet, faultsPath + "/abc", "", "", http.StatusNotFound},
		{"removeFault: unknown", http.MethodDelete, faultsPath + "/99", "", "", http.StatusNotFound},
		{"removeFault: negative", http.MethodDelete, faultsPath + "/-1", "", "", http.StatusNotFound},
		{"removeFault: huge", http.MethodDelete, faultsPath + "/99999999999999999999", "", "", http.StatusNotFound},
		{"setClock: bad time", http.MethodPut, clockPath, "application/json", `{"time": "now"}`, http.StatusUnprocessableEntity},
		{"advanceClock: bad amount", http.MethodPost, clockPath + "/advance", "application/json", `{"seconds": "x"}`, http.StatusUnprocessableEntity},
		{"clock: wrong method", http.MethodPost, clockPath, "", "", http.StatusNotFound},
		{"advance: wrong method", http.MethodGet, clockPath + "/advance", "", "", http.StatusNotFound},
	}
	clk, err := ts.inst.Control.Clock()
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			var body any
			if tc.body != "" {
				body = tc.body
			}
			ts.unchanged(func() {
				requireJSONError(t, ts.do(request{Method: tc.method, Path: tc.path, Body: body, ContentType: tc.contentType}), tc.status)
			})
		})
	}
	faults, err := ts.inst.Control.Faults()
	require.NoError(t, err)
	require.Len(t, faults, 1)
	after, err := ts.inst.Control.Clock()
	require.NoError(t, err)
	require.Equal(t, clk, after)
}
