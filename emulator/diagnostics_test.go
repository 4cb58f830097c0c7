package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// diagnosticsFixture has two partners, each with a customer (client_api_id
// given, so that the test does not depend on the default fixtures'), an
// own AWS account, a customer account, an assignment and a linkage.
const diagnosticsFixture = `
partners:
  - id: 1
    name: Mine
    api_keys: ["mine-key"]
    aws_accounts:
      - {id: 100, owner_id: "111111111111", name: Own payer}
      - {id: 101, owner_id: "000000000101", name: Own linked, billing_family_owner_id: "111111111111"}
    customers:
      - id: 1
        client_api_id: 30001
        name: My Customer
        partner_billing_configuration: {enabled: true, folder: ""}
        aws_accounts:
          - {id: 1, owner_id: "100000000001", name: GovCloud, is_govcloud: true}
          - {id: 2, owner_id: "100000000002", name: Commercial, is_govcloud: false}
        aws_account_assignments:
          - {id: 1, owner_id: "000000000101", payer_account_owner_id: "000000000101"}
      - id: 2
        client_api_id: 30002
        name: My Other Customer
        partner_billing_configuration: {enabled: true, folder: ""}
        aws_accounts:
          - {id: 3, owner_id: "100000000003", name: GovCloud two, is_govcloud: true}
          - {id: 4, owner_id: "100000000004", name: Commercial two, is_govcloud: false}
        govcloud_linkages:
          - {id: 1, govcloud_acct_id: 3, commercial_acct_id: 4}
  - id: 2
    name: Theirs
    api_keys: ["their-key"]
    aws_accounts:
      - {id: 200, owner_id: "222222222222", name: Their payer}
      - {id: 201, owner_id: "000000000201", name: Their linked, billing_family_owner_id: "222222222222"}
    customers:
      - id: 5
        client_api_id: 40001
        name: Their Customer
        partner_billing_configuration: {enabled: true, folder: ""}
        aws_accounts:
          - {id: 7, owner_id: "200000000001", name: Their GovCloud, is_govcloud: true}
          - {id: 8, owner_id: "200000000002", name: Their commercial, is_govcloud: false}
        aws_account_assignments:
          - {id: 4, owner_id: "000000000201", payer_account_owner_id: "000000000201"}
        govcloud_linkages:
          - {id: 2, govcloud_acct_id: 7, commercial_acct_id: 8}
`

// Every 404 and 422 is journaled with why, in the emulator's terms; the API
// answer stays CloudHealth's (no diagnostic in it), and the state is
// unchanged.
func TestJournalDiagnostics(t *testing.T) {
	var unmatched []string
	ts := newTestServer(t, Options{Fixtures: []byte(diagnosticsFixture), OnUnmatched: func(method, path string) {
		unmatched = append(unmatched, method+" "+path)
	}})
	ctl := ts.inst.Control
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		want   []string // substrings of the diagnostic
	}{
		{"GovCloud path without /api", http.MethodGet, "/v1/govcloud_linkages?client_api_id=30002", nil, 404,
			[]string{"no route serves GET /v1/govcloud_linkages", "nearest: GET /api/v1/govcloud_linkages (GovCloud linkage paths start with /api)"}},
		{"/api on a path without it", http.MethodGet, "/api/v1/customers", nil, 404,
			[]string{"nearest: GET /v1/customers (only GovCloud linkage paths start with /api)"}},
		{"v2 of a v1 path", http.MethodGet, "/v2/customers/1", nil, 404,
			[]string{"nearest: GET /v1/customers/{id} (v1, not v2: this path has no v2)"}},
		{"a trailing segment", http.MethodGet, "/v1/customers/1/accounts", nil, 404,
			[]string{`GET /v1/customers/{id} (a trailing segment "accounts" too many)`}},
		{"a segment missing", http.MethodPut, "/v1/azure_partner_customer_accounts/add", nil, 404,
			[]string{"PUT /v1/azure_partner_customer_accounts/add/{client_api_id} (the last segment, {client_api_id}, is missing)"}},
		{"a wrong method", http.MethodPatch, "/v1/customers/1", nil, 404,
			[]string{"the path serves only DELETE /v1/customers/{id}, GET /v1/customers/{id}, PUT /v1/customers/{id}"}},
		{"an id that is not digits", http.MethodGet, "/v1/customers/abc", nil, 404,
			[]string{`"abc" is {id} of GET /v1/customers/{id}, an integer`}},
		{"dot segments", http.MethodGet, "/v1/customers/../customers", nil, 404,
			[]string{"a path with . or .. segments matches no route"}},
		{"far from everything", http.MethodGet, "/v1/nothing_like_it/at/all/here/x", nil, 404,
			[]string{"no route serves GET /v1/nothing_like_it/at/all/here/x"}},
		{"another partner's customer", http.MethodGet, "/v1/customers/5", nil, 404,
			[]string{"customer 5 is partner 2 (Theirs)'s, not partner 1 (Mine)'s"}},
		{"nobody's customer", http.MethodDelete, "/v1/customers/99", nil, 404,
			[]string{"no customer 99 exists, of any partner"}},
		{"another partner's assignment", http.MethodGet, "/v1/aws_account_assignments/4", nil, 404,
			[]string{"AWS account assignment 4 is partner 2 (Theirs)'s"}},
		{"another partner's client_api_id", http.MethodGet, "/v1/azure_partner_customer_accounts/list/40001", nil, 404,
			[]string{"client_api_id 40001 is customer 5 of partner 2 (Theirs), not of partner 1 (Mine)"}},
		{"nobody's client_api_id", http.MethodGet, "/api/v1/govcloud_linkages?client_api_id=99999", nil, 404,
			[]string{"no customer of any partner has client_api_id 99999"}},
		{"another customer's linkage", http.MethodGet, "/api/v1/govcloud_linkages/1?client_api_id=30001", nil, 404,
			[]string{"GovCloud linkage 1 is customer 2 (My Other Customer)'s, not customer 1 (My Customer)'s"}},
		{"a customer's account without client_api_id", http.MethodGet, "/v1/aws_accounts/1", nil, 404,
			[]string{"AWS account 1 is an account of customer 1 (My Customer): without client_api_id=30001"}},
		{"the partner's own account with client_api_id", http.MethodGet, "/v1/aws_accounts/100?client_api_id=30001", nil, 404,
			[]string{"AWS account 100 is the partner's own account"}},
		{"another partner's account", http.MethodGet, "/v1/aws_accounts/200", nil, 404,
			[]string{"AWS account 200 is partner 2 (Theirs)'s"}},
		{"rules that failed", http.MethodPost, "/v1/aws_account_assignments", map[string]any{"owner_id": "000000000101", "customer_id": 2, "payer_account_owner_id": "000000000101"}, 422,
			[]string{"refused (422): "}},
		{"a body that breaks the schema", http.MethodPost, "/v1/customers", `{"name": 5}`, 422,
			[]string{"refused (422): ", "name"}},
		{"a parameter that breaks openapi.yaml", http.MethodGet, "/api/v1/govcloud_linkages?client_api_id=abc", nil, 422,
			[]string{"the parameters break openapi.yaml (422): ", "client_api_id"}},
	}
	var noRoute []string
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, ctl.ClearJournal())
			var r response
			ts.unchanged(func() {
				r = ts.do(request{Method: tc.method, Path: tc.path, Key: "mine-key", Body: tc.body})
			})
			require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			entries, err := ctl.Journal(JournalFilter{})
			require.NoError(t, err)
			require.Len(t, entries, 1)
			if strings.HasPrefix(entries[0].Diagnostic, "no route serves") {
				noRoute = append(noRoute, tc.method+" "+strings.Split(tc.path, "?")[0])
			}
			for _, want := range tc.want {
				require.Contains(t, entries[0].Diagnostic, want)
			}
			require.NotContains(t, string(r.Body), entries[0].Diagnostic, "the API answer stays CloudHealth's")
			require.NotContains(t, string(r.Body), "partner 2", "the API answer names no other partner")
		})
	}
	// A success has no diagnostic.
	require.NoError(t, ctl.ClearJournal())
	ok := ts.do(request{Method: http.MethodGet, Path: "/v1/customers/1", Key: "mine-key"})
	require.Equal(t, http.StatusOK, ok.Status)
	entries, err := ctl.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Equal(t, "getCustomer", entries[0].Operation)
	require.Empty(t, entries[0].Diagnostic)

	// OnUnmatched heard of every request that matched no route, and of no other.
	require.Equal(t, noRoute, unmatched)
	require.Len(t, unmatched, 9)
}
