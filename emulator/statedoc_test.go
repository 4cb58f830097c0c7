package emulator

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A state document that is empty, null, has a duplicate key, or whose
// Content-Type does not say JSON or YAML is refused (422 JSON) and the state
// stays as it was: never a replace with nothing.
func TestStateDocumentRefused(t *testing.T) {
	const valid = `{"partners": [{"id": 1, "name": "P", "api_keys": ["k"]}]}`
	rows := []struct {
		name, body, contentType string
		want                    string // a substring of the error
	}{
		{name: "empty JSON body", body: "", contentType: "application/json", want: "empty"},
		{name: "empty YAML body", body: "", contentType: "application/yaml", want: "empty"},
		{name: "white space only", body: " \n\t", contentType: "application/yaml", want: "empty"},
		{name: "YAML null", body: "null\n", contentType: "application/yaml", want: "no partners list"},
		{name: "YAML tilde", body: "~", contentType: "application/yaml", want: "no partners list"},
		{name: "YAML comment only", body: "# nothing\n", contentType: "application/yaml", want: "empty"},
		{name: "YAML partners null", body: "partners:\n", contentType: "application/yaml", want: "no partners list"},
		{name: "JSON null", body: "null", contentType: "application/json", want: "JSON object"},
		{name: "JSON array", body: "[]", contentType: "application/json", want: "JSON object"},
		{name: "JSON empty object", body: "{}", contentType: "application/json", want: "no partners list"},
		{name: "JSON partners null", body: `{"partners": null}`, contentType: "application/json", want: "no partners list"},
		{name: "YAML sent as JSON", body: "partners: []\n", contentType: "application/json", want: msgMalformedJSON},
		{name: "JSON duplicate top-level key", body: `{"partners": [], "partners": []}`, contentType: "application/json", want: "duplicate"},
		{name: "JSON duplicate key in a partner", body: `{"partners": [{"id": 1, "name": "P", "name": "Q", "api_keys": ["k"]}]}`,
			contentType: "application/json", want: "duplicate"},
		{name: "JSON duplicate key sent as YAML", body: `{"partners": [{"id": 1, "id": 2, "name": "P", "api_keys": ["k"]}]}`,
			contentType: "application/yaml", want: "duplicate"},
		{name: "YAML duplicate key", body: "partners: []\npartners: []\n", contentType: "application/yaml", want: "already defined"},
		{name: "no Content-Type", body: valid, contentType: "", want: "application/json or application/yaml"},
		{name: "text/plain", body: valid, contentType: "text/plain", want: "application/json or application/yaml"},
		{name: "text/yaml", body: valid, contentType: "text/yaml", want: "application/json or application/yaml"},
		{name: "unparsable Content-Type", body: valid, contentType: "application/json; =", want: "application/json or application/yaml"},
	}
	ts := newTestServer(t, Options{})
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ts.unchanged(func() {
				r := putStateRaw(t, ts, row.body, row.contentType)
				requireJSONError(t, r, http.StatusUnprocessableEntity)
				require.Contains(t, r.Error(), row.want)
			})
		})
	}
	// The same document with a format named is taken, in either.
	for _, ct := range []string{"application/json", "application/yaml", "application/json; charset=utf-8"} {
		r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: valid, ContentType: ct})
		require.Equal(t, http.StatusNoContent, r.Status, "%s: %s", ct, r.Body)
	}
}

// putStateRaw sends a state document with exactly the Content-Type given
// (none when empty: the harness would default it to JSON).
func putStateRaw(t *testing.T, ts *testServer, body, contentType string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, ts.URL+statePath, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	ts.requireInvariants("PUT " + statePath)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Ids and client_api_ids are at most 2^53 - 1: a document naming a larger
// one is refused with its path, so no counter can go past it (before, a
// document with ids near the int64 maximum loaded and the next create
// answered negative ids).
func TestStateDocumentIDsAtMost2To53(t *testing.T) {
	const maxID, tooBig = 1<<53 - 1, 1 << 53
	doc := func(partnerID, accountID, customerID, clientAPIID, assignmentID, linkageID int64) string {
		return fmt.Sprintf(`{"partners": [{"id": %d, "name": "P", "api_keys": ["%s"],
		"aws_accounts": [{"id": %d, "owner_id": "999999999999", "name": "head"},
		  {"id": 10, "owner_id": "000000000001", "name": "one", "billing_family_owner_id": "999999999999"}],
		"customers": [{"id": %d, "client_api_id": %d, "name": "c", "partner_billing_configuration": {"enabled": true, "folder": ""},
		  "aws_accounts": [{"id": 20, "owner_id": "100000000001", "name": "gov", "is_govcloud": true}, {"id": 21, "owner_id": "100000000002", "name": "com"}],
		  "aws_account_assignments": [{"id": %d, "owner_id": "000000000001", "payer_account_owner_id": "000000000001"}],
		  "govcloud_linkages": [{"id": %d, "govcloud_acct_id": 20, "commercial_acct_id": 21}]}]}]}`,
			partnerID, demoKey, accountID, customerID, clientAPIID, assignmentID, linkageID)
	}
	rows := []struct {
		name string
		body string
		path string
	}{
		{"partner id", doc(tooBig, 1, 1, 1, 1, 1), "partners[0]: id 9007199254740992"},
		{"AWS account id", doc(1, tooBig, 1, 1, 1, 1), "partners[0].aws_accounts[0]: id 9007199254740992"},
		{"customer id", doc(1, 1, tooBig, 1, 1, 1), "partners[0].customers[0]: id 9007199254740992"},
		{"client_api_id", doc(1, 1, 1, tooBig, 1, 1), "partners[0].customers[0]: client_api_id 9007199254740992"},
		{"assignment id", doc(1, 1, 1, 1, tooBig, 1), "partners[0].customers[0].aws_account_assignments[0]: id 9007199254740992"},
		{"linkage id", doc(1, 1, 1, 1, 1, 1<<62), "partners[0].customers[0].govcloud_linkages[0]: id 4611686018427387904"},
		{"int64 maximum", doc(1, 1, 1, 1<<63-1, 1, 1), "partners[0].customers[0]: client_api_id 9223372036854775807 is larger than 9007199254740991"},
	}
	ts := newTestServer(t, Options{})
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ts.unchanged(func() {
				r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: row.body})
				require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
				problems, _ := r.Object()["problems"].([]any)
				require.Len(t, problems, 1, "%s", r.Body)
				require.True(t, strings.HasPrefix(problems[0].(string), row.path), "%s", r.Body)
			})
		})
	}
	// 2^53 - 1 itself loads, and the API shows it exactly.
	r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: doc(1, 1, maxID, maxID, maxID, maxID)})
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
	r = ts.get(assignmentsPath)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	require.Contains(t, string(r.Body), `"id":9007199254740991`)
}

// A state whose id counter stands at 2^53 - 1 hands out no more ids: every
// create answers 422 with nothing created, instead of answering id 2^53
// (which a JavaScript client cannot hold exactly); reads and updates still
// work, and a reset brings the ids back.
func TestCreatesRefusedWhenIDsAreUsedUp(t *testing.T) {
	const maxID = 1<<53 - 1
	ts := newTestServer(t, Options{})
	full := fmt.Sprintf(`{"partners": [{"id": 1, "name": "P", "api_keys": ["%s"],
		"aws_accounts": [{"id": 3, "owner_id": "999999999999", "name": "head"},
		  {"id": 1, "owner_id": "000000000001", "name": "one", "billing_family_owner_id": "999999999999"},
		  {"id": 2, "owner_id": "000000000002", "name": "two", "billing_family_owner_id": "999999999999"}],
		"customers": [{"id": 7, "client_api_id": 7, "name": "c", "partner_billing_configuration": {"enabled": true, "folder": ""},
		  "aws_account_assignments": [{"id": %d, "owner_id": "000000000001", "payer_account_owner_id": "000000000001"}]}]}]}`, demoKey, maxID-10)
	r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: full})
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
	creates := []request{
		{Method: http.MethodPost, Key: demoKey, Path: "/v1/customers", Body: `{"name": "New", "partner_billing_configuration": {"enabled": true}}`},
		{Method: http.MethodPost, Key: demoKey, Path: assignmentsPath, Body: `{"owner_id": "000000000002", "customer_id": 7, "payer_account_owner_id": "000000000002"}`},
		{Method: http.MethodPost, Key: demoKey, Path: "/v1/aws_accounts", Body: `{"name": "three", "owner_id": "000000000003", "authentication": {"protocol": "access_key", "access_key": "AK", "secret_key": "SK"}}`},
		{Method: http.MethodPost, Key: demoKey, Path: "/v2/aws_account_assignments", Body: `{"aws_account_assignments": [{"target_client_api_id": 7, "billing_block_name": "b", "billing_block_type": "Standalone", "owner_id": ["000000000002"]}]}`},
		{Method: http.MethodPost, Key: demoKey, Path: "/v1/price_books", Body: `{"book_name": "Gold", "specification": "<CHTBillingRules date=\"2018-01-01\"/>"}`},
	}
	for _, c := range creates {
		t.Run(c.Path, func(t *testing.T) {
			ts.unchanged(func() {
				r := ts.do(c)
				require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
				require.Contains(t, string(r.Body), "no ids left", "%s", r.Body)
			})
		})
	}
	// Reads and updates go on.
	r = ts.get(customerPathOf(7))
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	r = ts.do(request{Method: http.MethodPut, Key: demoKey, Path: customerPathOf(7), Body: `{"name": "renamed"}`})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	// With room for what one request may take (two ids per AWS account of
	// the state, plus 16; four accounts: the three partner accounts and the
	// customer's copy of the assigned one), a create answers an id still at
	// most 2^53 - 1; one id less and it is refused.
	withCounter := func(id int64) string { return strings.Replace(full, fmt.Sprint(maxID-10), fmt.Sprint(id), 1) }
	r = ts.do(request{Method: http.MethodPut, Path: statePath, Body: withCounter(maxID - 2*4 - 15)})
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
	r = ts.do(creates[1])
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "%s", r.Body)
	r = ts.do(request{Method: http.MethodPut, Path: statePath, Body: withCounter(maxID - 2*4 - 16)})
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
	r = ts.do(creates[1])
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	require.LessOrEqual(t, r.Object()["id"].(float64), float64(maxID))
}
