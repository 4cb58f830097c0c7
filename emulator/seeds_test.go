package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The source documents' examples, run verbatim against the default fixtures
// (host swapped, placeholders filled): they must answer what the documents
// show, ids aside.

// Seed 000 (and seed 003's create example): curl --request POST -H
// 'Content-Type: application/json' -d '{...}' '.../v1/aws_account_assignments?api_key=<api_key>'.
// Then seed 003's update example: {"payer_account_owner_id": "000000000002"}.
func TestSeedCreateThenUpdateAssignment(t *testing.T) {
	ts := newTestServer(t, Options{})
	created := ts.do(request{Method: http.MethodPost, Path: "/v1/aws_account_assignments?api_key=" + demoKey,
		Body: `{
          "owner_id": "000000000001",
          "customer_id": 1,
          "payer_account_owner_id": "000000000001"
        }`})
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	body := created.Object()
	id := body["id"]
	require.NotNil(t, id)
	delete(body, "id")
	require.Equal(t, map[string]any{"customer_id": 1.0, "owner_id": "000000000001", "payer_account_owner_id": "000000000001"}, body)
	idStr := strconv.Itoa(int(id.(float64)))
	require.Equal(t, ts.URL+"/v1/aws_account_assignments/"+idStr, created.Header.Get("Location"))

	updated := ts.do(request{Method: http.MethodPut, Path: "/v1/aws_account_assignments/" + idStr + "?api_key=" + demoKey,
		Body: `{"payer_account_owner_id": "000000000002"}`})
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	require.Equal(t, map[string]any{"customer_id": 1.0, "id": id, "owner_id": "000000000001", "payer_account_owner_id": "000000000002"}, updated.Object())
	require.Equal(t, ts.URL+"/v1/aws_account_assignments/"+idStr, updated.Header.Get("Location"))

	// The guide's read example, with a Bearer header.
	read := ts.get("/v1/aws_account_assignments/" + idStr)
	require.Equal(t, http.StatusOK, read.Status)
	require.Equal(t, updated.Object(), read.Object())

	// Seed 003's delete: 204, no body; the customer's AWS account stays.
	gone := ts.del("/v1/aws_account_assignments/" + idStr)
	require.Equal(t, http.StatusNoContent, gone.Status)
	require.Empty(t, gone.Body)
	require.Equal(t, http.StatusNotFound, ts.get("/v1/aws_account_assignments/"+idStr).Status)
	require.Contains(t, customerOwnerIDs(t, ts, 1), "000000000001", "the customer's AWS account was created and stays")
}

// customerOwnerIDs returns the owner ids of a customer's own AWS accounts, as
// the state dump shows them.
func customerOwnerIDs(t *testing.T, ts *testServer, customerID int64) []string {
	t.Helper()
	var doc fixture.Document
	require.NoError(t, json.Unmarshal([]byte(ts.stateDump()), &doc))
	var out []string
	for _, p := range doc.Partners {
		for _, c := range p.Customers {
			if c.ID == customerID {
				for _, a := range c.AWSAccounts {
					out = append(out, a.OwnerID)
				}
			}
		}
	}
	return out
}

// Seed 002 (and post-govcloud-account-linkage.md): curl -H 'Authorization:
// Bearer <your_api_key>' -H 'Content-Type: application/json' -XPOST
// '.../api/v1/govcloud_linkages?client_api_id=<customer_api_id>' -d '{...}'.
// Then the guide's list and read examples with the same headers.
func TestSeedCreateGovcloudLinkage(t *testing.T) {
	ts := newTestServer(t, Options{})
	headers := http.Header{"Content-Type": {"application/json"}}
	created := ts.do(request{Method: http.MethodPost, Path: "/api/v1/govcloud_linkages?client_api_id=1", Key: demoKey, Header: headers,
		Body: `{
        "govcloud_acct_id": 1,
        "commercial_acct_id": 2
      }`})
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	body := created.Object()
	id := body["id"]
	require.NotNil(t, id)
	delete(body, "id")
	require.Equal(t, map[string]any{"customer_id": 1.0, "govcloud_acct": 1.0, "commercial_acct": 2.0,
		"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"}, body)
	body["id"] = id

	list := ts.do(request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages?client_api_id=1", Key: demoKey, Header: headers})
	require.Equal(t, http.StatusOK, list.Status, "body: %s", list.Body)
	items, ok := list.JSON().([]any)
	require.True(t, ok, "the list is a top-level array: %s", list.Body)
	require.Contains(t, items, any(body))

	idStr := strconv.Itoa(int(id.(float64)))
	read := ts.do(request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages/" + idStr + "?client_api_id=1", Key: demoKey, Header: headers})
	require.Equal(t, http.StatusOK, read.Status, "body: %s", read.Body)
	require.Equal(t, body, read.Object())
}
