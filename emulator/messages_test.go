package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// kin-openapi's wording never reaches a client: every schema failure is
// said in the emulator's words, naming the field, and every failure of the
// request is listed (docs/fidelity.md, "One message style").
func TestSchemaFailuresInTheEmulatorsWords(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		want   []string // the messages of the answer, in order
	}{
		{"enabled as yes, with the other problems", http.MethodPut, customerPathOf(1),
			`{"partner_billing_configuration": {"enabled": "yes", "folder": 3}, "name": 5}`,
			[]string{"name: must be a string", `partner_billing_configuration.enabled: must be true or false (or the strings "true"/"false")`,
				"partner_billing_configuration.folder: must be a string"}},
		{"zipcode a boolean", http.MethodPut, customerPathOf(1), `{"address": {"zipcode": true}}`,
			[]string{"address.zipcode: must be a string or an integer"}},
		{"a tag's key a number, its value missing", http.MethodPut, customerPathOf(1), `{"tags": [{"key": 1}]}`,
			[]string{"tags[0].key: must be a string", "tags[0].value: is required"}},
		{"null", http.MethodPut, customerPathOf(1), `{"name": null}`, []string{"name: must not be null"}},
		{"too many tags", http.MethodPut, customerPathOf(1), `{"tags": [` + strings.Repeat(`{"key": "k", "value": "v"},`, 20) + `{"key": "k", "value": "v"}]}`,
			[]string{"tags: must have at most 20 items"}},
		{"not an object", http.MethodPut, customerPathOf(1), `[]`, []string{"request body: must be an object"}},
		{"assignment fields of the wrong types", http.MethodPost, assignmentsPath, `{"owner_id": 5, "customer_id": "x", "payer_account_owner_id": "000000000001"}`,
			[]string{"customer_id: must be an integer", "owner_id: must be a string"}},
		{"linkage ids", http.MethodPost, "/api/v1/govcloud_linkages?client_api_id=1", `{"govcloud_acct_id": "a", "commercial_acct_id": null}`,
			[]string{"commercial_acct_id: must not be null", "govcloud_acct_id: must be an integer"}},
		{"a client_api_id that is no integer", http.MethodGet, "/api/v1/govcloud_linkages?client_api_id=x", "",
			[]string{"query parameter client_api_id: must be an integer"}},
		{"no client_api_id", http.MethodGet, "/api/v1/govcloud_linkages", "",
			[]string{"query parameter client_api_id: is required (an integer)"}},
		{"azure ids not an array", http.MethodPut, "/v1/azure_partner_customer_accounts/add/1", `{"azure_customer_ids": "x"}`,
			[]string{"azure_customer_ids: must be an array"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			var body any
			if tc.body != "" {
				body = tc.body
			}
			ts.unchanged(func() {
				r := ts.do(request{Method: tc.method, Path: tc.path, Key: demoKey, Body: body})
				require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
				got := r.Errors()
				if got == nil {
					got = strings.Split(r.Error(), "; ")
				}
				require.Equal(t, tc.want, got)
				for _, kin := range []string{"doesn't match", "Value is not", "property \"", "value must be", "invalid syntax", "must have a value"} {
					require.NotContains(t, string(r.Body), kin, "kin-openapi's wording")
				}
			})
		})
	}
}
