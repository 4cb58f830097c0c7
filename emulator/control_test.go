package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The control API under /__emulator/ (control-openapi.yaml; README, the
// control API): health, reset, and the state as a fixture document. It never
// asks for a key.

const (
	healthPath = "/__emulator/health"
	resetPath  = "/__emulator/reset"
	statePath  = "/__emulator/state"
)

// changeSomething makes changes of every kind through the API.
func changeSomething(t testing.TB, ts *testServer) {
	t.Helper()
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("000000000003", 4, "000000000003")).Status)
	require.Equal(t, http.StatusOK, ts.put(assignmentPath(1), map[string]any{"customer_id": 4}).Status)
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(3)).Status)
}

func TestHealth(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, req := range []request{
		{Method: http.MethodGet, Path: healthPath},
		{Method: http.MethodGet, Path: healthPath, Key: "nope"},
		{Method: http.MethodGet, Path: healthPath, Key: demoKey},
		{Method: http.MethodGet, Path: "//__emulator//health/"},
	} {
		r := ts.do(req)
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", req.Path, r.Body)
		require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
		require.JSONEq(t, `{"status": "ok"}`, string(r.Body))
	}
}

func TestReset(t *testing.T) {
	ts := newTestServer(t, Options{})
	initial := ts.stateDump()
	changeSomething(t, ts)
	require.NotEqual(t, initial, ts.stateDump())

	r := ts.do(request{Method: http.MethodPost, Path: resetPath})
	require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)
	require.Empty(t, r.Body)
	require.Equal(t, initial, ts.stateDump(), "back to the start-up state")

	// Ids start again after the fixtures' largest.
	created := ts.post(assignmentsPath, assignmentBody("000000000003", 4, "000000000003"))
	require.Equal(t, assignment(newAssignmentID, "000000000003", 4, "000000000003"), created.Object())

	// A reset restores the start-up fixtures, not a state put since.
	put := ts.do(request{Method: http.MethodPut, Path: statePath, Body: `{"partners": []}`})
	require.Equal(t, http.StatusNoContent, put.Status, "body: %s", put.Body)
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath, Key: "nope"}).Status)
	require.Equal(t, initial, ts.stateDump())
}

func TestResetOfGivenFixtures(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: pagingFixtures(t, 3)})
	initial := ts.stateDump()
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("900000000001", 1, "900000000001")).Status)
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath}).Status)
	require.Equal(t, initial, ts.stateDump())
}

func TestStateRoundTrip(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, changed := range []bool{false, true} {
		if changed {
			changeSomething(t, ts)
		}
		// JSON: a PUT of a GET changes nothing.
		ts.unchanged(func() {
			got := ts.do(request{Method: http.MethodGet, Path: statePath})
			require.Equal(t, http.StatusOK, got.Status)
			require.Equal(t, "application/json; charset=utf-8", got.Header.Get("Content-Type"))
			put := ts.do(request{Method: http.MethodPut, Path: statePath, Body: got.Body})
			require.Equal(t, http.StatusNoContent, put.Status, "body: %s", put.Body)
			require.Empty(t, put.Body)
		})
		// YAML, asked for by Accept and sent by Content-Type.
		ts.unchanged(func() {
			got := ts.do(request{Method: http.MethodGet, Path: statePath, Header: http.Header{"Accept": {"application/yaml"}}})
			require.Equal(t, http.StatusOK, got.Status)
			require.Equal(t, "application/yaml", got.Header.Get("Content-Type"))
			require.True(t, strings.HasPrefix(string(got.Body), "partners:"), "YAML: %.100s", got.Body)
			put := ts.do(request{Method: http.MethodPut, Path: statePath, Body: got.Body, ContentType: "application/yaml"})
			require.Equal(t, http.StatusNoContent, put.Status, "body: %s", put.Body)
		})
	}
}

func TestStateDumpShowsTheAPIsView(t *testing.T) {
	ts := newTestServer(t, Options{})
	var doc fixture.Document
	require.NoError(t, json.Unmarshal([]byte(ts.stateDump()), &doc))
	require.Len(t, doc.Partners, 2)
	require.Equal(t, []string{demoKey}, doc.Partners[0].APIKeys)
	require.Equal(t, []fixture.Assignment{{ID: 2, OwnerID: "000000000011", PayerAccountOwnerID: "000000000011"},
		{ID: 3, OwnerID: "000000000012", PayerAccountOwnerID: "000000000011"}}, doc.Partners[0].Customers[1].AWSAccountAssignments)
}

func TestPutStateReplacesTheState(t *testing.T) {
	ts := newTestServer(t, Options{})
	var doc fixture.Document
	require.NoError(t, json.Unmarshal([]byte(ts.stateDump()), &doc))
	// Customer 3 gets partner billing, the demo partner a new key.
	doc.Partners[0].APIKeys = []string{"new-key"}
	doc.Partners[0].Customers[2].PartnerBillingConfiguration.Enabled = true
	doc.Partners[0].Customers[2].AWSAccountAssignments = []fixture.Assignment{{ID: 40, OwnerID: "000000000004", PayerAccountOwnerID: "000000000004"}}
	r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: doc})
	require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)

	requireJSONError(t, ts.get(assignmentsPath), http.StatusForbidden)
	r = ts.do(request{Method: http.MethodGet, Path: assignmentPath(40), Key: "new-key"})
	require.Equal(t, assignment(40, "000000000004", 3, "000000000004"), r.Object())
	created := ts.do(request{Method: http.MethodPost, Path: assignmentsPath, Key: "new-key", Body: assignmentBody("000000000003", 3, "000000000003")})
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	require.Equal(t, assignment(41, "000000000003", 3, "000000000003"), created.Object(), "ids continue after the largest")
}

func TestPutStateRefusesABadDocument(t *testing.T) {
	ts := newTestServer(t, Options{})
	dump := ts.stateDump()
	// Three problems at once: a key used twice, a standalone account
	// assigned, which leaves the linked assignment of the customer without
	// its consolidated one.
	bad := strings.Replace(dump, `"api_keys":["other-partner-key"]`, `"api_keys":["demo-partner-key"]`, 1)
	bad = strings.Replace(bad, `{"id":2,"owner_id":"000000000011","payer_account_owner_id":"000000000011"}`,
		`{"id":2,"owner_id":"000000000005","payer_account_owner_id":"000000000005"}`, 1)
	require.NotEqual(t, dump, bad)

	ts.unchanged(func() {
		r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: bad})
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
		require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
		var body struct {
			Error    string   `json:"error"`
			Problems []string `json:"problems"`
		}
		require.NoError(t, json.Unmarshal(r.Body, &body))
		require.NotEmpty(t, body.Error)
		require.ElementsMatch(t, []string{
			`partners[0].customers[1].aws_account_assignments[0]: ` + errNotInFamily("000000000005"),
			`partners[0].customers[1].aws_account_assignments[1]: ` + errNoPattern(2),
			`partners[0].customers[1].aws_account_assignments[1]: ` + errPayerNotConsolidated("000000000011", 2),
			`partners[1].api_keys[0]: key "demo-partner-key" is already the key of partners[0] (keys are unique across the document)`,
		}, body.Problems)
	})
	// The demo key still works: nothing was replaced.
	require.Equal(t, http.StatusOK, ts.get(assignmentsPath).Status)
}

func TestPutStateRefusesUnreadableDocuments(t *testing.T) {
	cases := []struct {
		name, contentType, body string
	}{
		{"malformed JSON", "application/json", `{"partners": [`},
		{"trailing data", "application/json", `{"partners": []} {}`},
		{"empty", "application/json", ``},
		{"empty YAML", "application/yaml", ``},
		{"malformed YAML", "application/yaml", "partners: [\n"},
		{"two YAML documents", "application/yaml", "partners: []\n---\npartners: []\n"},
		{"YAML sent as JSON", "application/json", "partners: []\n"},
		{"unknown field", "application/json", `{"partnerz": []}`},
		{"unknown nested field", "application/yaml", "partners:\n  - name: x\n    api_keys: [k]\n    keys: [k]\n"},
		{"wrong type", "application/json", `{"partners": {"name": "x"}}`},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				requireJSONError(t, ts.do(request{Method: http.MethodPut, Path: statePath, Body: tc.body, ContentType: tc.contentType}), http.StatusUnprocessableEntity)
			})
		})
	}
}

func TestControlRoutes(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct{ method, path string }{
		{http.MethodGet, "/__emulator/nope"},
		{http.MethodPost, healthPath},
		{http.MethodGet, resetPath},
		{http.MethodDelete, statePath},
		{http.MethodPost, statePath},
		{http.MethodGet, "/__emulator/health/extra"},
		{http.MethodGet, "/__emulator/../__emulator/health"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				// No key needed to learn that a control path does not exist.
				requireJSONError(t, ts.do(request{Method: tc.method, Path: tc.path}), http.StatusNotFound)
			})
		})
	}
}

// The control API never asks for a key and ignores a bad one.
func TestControlNeedsNoKey(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, key := range []string{"", "nope", demoKey} {
		require.Equal(t, http.StatusOK, ts.do(request{Method: http.MethodGet, Path: healthPath, Key: key}).Status)
		got := ts.do(request{Method: http.MethodGet, Path: statePath, Key: key})
		require.Equal(t, http.StatusOK, got.Status)
		require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPut, Path: statePath, Key: key, Body: got.Body}).Status)
		require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath, Key: key}).Status)
	}
}
