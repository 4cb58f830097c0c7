package emulator

// Regression tests of emulator bugs found while hardening (the invariant
// checker, the fuzz targets and the soak test).

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// ownerlessFixtures has a partner account and a customer account that have
// no owner id yet and were never configured, and a customer with tags.
const ownerlessFixtures = `partners:
- id: 1
  name: P
  api_keys: [demo-partner-key]
  aws_accounts:
  - {id: 100, name: no owner yet}
  customers:
  - id: 1
    client_api_id: 1
    name: c
    tags: [{key: env, value: prod}]
    aws_accounts:
    - {id: 1, name: customer account without owner}
`

// Bug: an account without an owner id shows an access_key authentication
// without a key, and a PUT of that GET was refused ("authentication.access_key
// is required"), though a PUT of a GET must change nothing (BEHAVIOR.md
// section 9). The shown authentication is now accepted as unchanged; a
// changed one is still checked.
func TestAWSAccountPutOfGetWithoutOwnerID(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: []byte(ownerlessFixtures)})
	for _, path := range []string{"/v1/aws_accounts/100", "/v1/aws_accounts/1?client_api_id=1"} {
		before := ts.get(path)
		require.Equal(t, http.StatusOK, before.Status, "body: %s", before.Body)
		require.Equal(t, map[string]any{"protocol": "access_key"}, before.Object()["authentication"])
		r := ts.put(path, before.Body)
		require.Equal(t, http.StatusOK, r.Status, "%s: body: %s", path, r.Body)
		require.Equal(t, string(before.Body), string(r.Body))
		require.Equal(t, string(before.Body), string(ts.get(path).Body))
	}
	ts.unchanged(func() {
		r := ts.put("/v1/aws_accounts/100", map[string]any{"authentication": map[string]any{"protocol": "access_key", "access_key": " "}})
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Contains(t, r.Error(), "authentication.access_key is required")
	})
	r := ts.put("/v1/aws_accounts/100", map[string]any{"authentication": map[string]any{"protocol": "access_key", "access_key": "AKIA"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "AKIA", r.Object()["authentication"].(map[string]any)["access_key"])
}

// Bug: the fixture loader accepted a customer tag without a key, which every
// request refuses ("tags[0].key is required"), so a PUT of a GET of that
// customer was refused. The loader now refuses it, naming its path.
func TestFixtureCustomerTagWithoutKeyIsRefused(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: []byte(ownerlessFixtures)})
	before := ts.get("/v1/customers/1")
	r := ts.put("/v1/customers/1", before.Body)
	require.Equal(t, http.StatusOK, r.Status, "a customer with keyed tags: body: %s", r.Body)

	bad := `{"partners": [{"id": 1, "name": "P", "api_keys": ["demo-partner-key"], "customers": [
		{"id": 1, "client_api_id": 1, "name": "c", "tags": [{"key": "env", "value": "x"}, {"key": " ", "value": "x"}]}]}]}`
	ts.unchanged(func() {
		r := ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: bad})
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Contains(t, r.Object()["problems"], "partners[0].customers[0].tags[1]: key is required")
	})
	_, err := New(Options{Fixtures: []byte(bad)})
	require.ErrorContains(t, err, "partners[0].customers[0].tags[1]: key is required")
}

// Bug: once a customer's partner billing was disabled while it had
// assignments (which stay, BEHAVIOR.md section 9), the state dump no longer
// loaded: PUT /__emulator/state refused it (rule 5), so the dump did not
// round-trip. The loader now accepts the assignments of such a customer; the
// API still refuses new ones.
func TestStateDumpRoundTripsAssignmentsOfCustomerWithBillingDisabled(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.put("/v1/customers/2", map[string]any{"partner_billing_configuration": map[string]any{"enabled": false}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	ts.unchanged(func() {
		put := ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: ts.stateDump()})
		require.Equal(t, http.StatusNoContent, put.Status, "body: %s", put.Body)
	})
	require.Equal(t, http.StatusOK, ts.get("/v1/aws_account_assignments/3").Status, "the assignment stays")
	ts.unchanged(func() {
		errs := requireJSONErrors(t, ts.post("/v1/aws_account_assignments", assignmentBody("000000000013", 2, "000000000011")))
		require.Contains(t, errs, "customer_id 2 does not have partner billing enabled (partner_billing_configuration.enabled is false)")
	})
}
