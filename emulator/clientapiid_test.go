package emulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// client_api_id defaults to the customer's id (docs/fidelity.md,
// "client_api_id"); a fixture may still give a distinct one, which is kept,
// and then only that value names the customer.

// distinctClientAPIIDFixtures has customer 1 with client_api_id 501, and
// customer 2 without one, whose id 2 customer 3 takes as its client_api_id.
const distinctClientAPIIDFixtures = `{"partners": [{"name": "p", "api_keys": ["demo-partner-key"], "customers": [
	{"id": 1, "client_api_id": 501, "name": "distinct",
	 "aws_accounts": [{"id": 10, "owner_id": "100000000001", "name": "gov", "is_govcloud": true}],
	 "azure_customer_ids": []},
	{"id": 2, "name": "id taken"},
	{"id": 3, "client_api_id": 2, "name": "takes 2"}]}]}`

func TestClientAPIIDDistinctInAFixture(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: []byte(distinctClientAPIIDFixtures)})
	got := map[string][2]int{}
	for _, c := range ts.get(customersPath).Object()["customers"].([]any) {
		m := c.(map[string]any)
		got[m["name"].(string)] = [2]int{int(m["id"].(float64)), int(m["client_api_id"].(float64))}
	}
	require.Equal(t, map[string][2]int{"distinct": {1, 501}, "id taken": {2, 502}, "takes 2": {3, 2}}, got)

	// Only the client_api_id names the customer, wherever one goes.
	for _, path := range []string{awsAccountsPath + "?client_api_id=%d", "/api/v1/govcloud_linkages?client_api_id=%d", azureList + "/%d"} {
		require.Equal(t, http.StatusOK, ts.get(fmt.Sprintf(path, 501)).Status, path)
		requireJSONErrorOrErrors(t, ts.get(fmt.Sprintf(path, 1)), http.StatusNotFound)
	}
	// A customer created through the API gets its id (4) as client_api_id.
	c := createCustomer(t, ts, customerBody("new"))
	require.Equal(t, []any{4.0, 4.0}, []any{c["id"], c["client_api_id"]})
}

// With the default fixtures every customer's client_api_id is its id, and a
// customer created through the API gets its own id too; when that value is
// already another customer's client_api_id, one above the largest.
func TestClientAPIIDIsTheID(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, key := range []string{demoKey, otherKey} {
		r := ts.do(request{Method: http.MethodGet, Path: customersPath, Key: key})
		require.Equal(t, http.StatusOK, r.Status)
		for _, c := range r.Object()["customers"].([]any) {
			m := c.(map[string]any)
			require.Equal(t, m["id"], m["client_api_id"], "customer %v", m["name"])
		}
	}
	c := createCustomer(t, ts, customerBody("new"))
	require.Equal(t, []any{float64(newCustomerID), float64(newCustomerID)}, []any{c["id"], c["client_api_id"]})

	ts = newTestServer(t, Options{Fixtures: []byte(`{"partners": [{"name": "p", "api_keys": ["demo-partner-key"], "customers": [
		{"id": 1, "client_api_id": 2, "name": "takes 2"}]}]}`)})
	c = createCustomer(t, ts, customerBody("second"))
	require.Equal(t, []any{2.0, 3.0}, []any{c["id"], c["client_api_id"]}, "2 is taken: one above the largest")
}

// requireJSONErrorOrErrors checks a JSON error answer of either shape.
func requireJSONErrorOrErrors(t testing.TB, r response, status int) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.True(t, r.Error() != "" || len(r.Errors()) > 0, "body: %s", r.Body)
}
