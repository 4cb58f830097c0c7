package emulator

// FuzzStateDocument fuzzes the fixture document of PUT /__emulator/state
// (the same loader as --fixtures). A document is refused as a whole (422,
// naming its problems, the state unchanged) or loaded; a loaded state keeps
// every invariant (the harness checks them after the request), and whatever
// loads is served without a 5xx or a
// response that breaks openapi.yaml, and dumps to a document that loads back
// unchanged.

import (
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// stateReadPaths are read after a document loads, with both keys.
var stateReadPaths = []string{
	"/v1/aws_account_assignments",
	"/v1/azure_partner_customer_accounts/list",
	"/v1/customers",
	"/v1/aws_accounts",
	"/v1/aws_accounts?client_api_id=1",
	"/v1/aws_accounts?client_api_id=5",
	"/api/v1/govcloud_linkages?client_api_id=1",
	"/api/v1/govcloud_linkages?client_api_id=5",
}

func FuzzStateDocument(f *testing.F) {
	fz := newFuzzServer(f)
	for _, s := range []string{
		fz.baseline,
		`{"partners": []}`,
		`{"partners": [{"id": 1, "name": "P", "api_keys": ["demo-partner-key"], "aws_accounts": [{"id": 100, "name": "no owner"}],
		  "customers": [{"id": 1, "client_api_id": 1, "name": "c", "tags": [{"key": "k", "value": ""}],
		  "aws_accounts": [{"id": 1, "name": "g", "is_govcloud": true, "owner_id": "100000000001",
		  "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws-us-gov:iam::100000000001:role/x", "assume_role_external_id": "e"},
		  "primary_aws_region": "us-gov-west-1", "cloudwatch": {"enabled": true, "namespaces": "CWAgent", "runtime": 24}},
		  {"id": 2, "name": "c"}], "govcloud_linkages": [{"govcloud_acct_id": 1, "commercial_acct_id": 2}]}]}]}`,
		"partners:\n- id: 1\n  name: P\n  api_keys: [demo-partner-key]\n  aws_accounts:\n  - {owner_id: \"999999999999\", name: head}\n" +
			"  - {owner_id: \"000000000001\", name: one, billing_family_owner_id: \"999999999999\"}\n  customers:\n" +
			"  - {id: 1, client_api_id: 1, name: c, partner_billing_configuration: {enabled: false},\n" +
			"     aws_account_assignments: [{owner_id: \"000000000001\", payer_account_owner_id: \"000000000001\"}]}\n",
		// Refused (docs/limits.md, "State documents" and "Ids"): empty,
		// null, duplicate keys, ids above 2^53 - 1.
		"", " \n", "null", "~\n", "partners:\n", `{}`, `{"partners": null}`,
		`{"partners": [], "partners": []}`,
		`{"partners": [{"id": 1, "name": "P", "name": "Q", "api_keys": ["k"]}]}`,
		`{"partners": [{"id": 9007199254740992, "name": "P", "api_keys": ["k"]}]}`,
		`{"partners": [{"name": "P", "api_keys": ["k"], "customers": [{"name": "c", "client_api_id": 9223372036854775807}]}]}`,
		`{"partners": [{"id": 9007199254740991, "name": "P", "api_keys": ["k"]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		ts := fz.session(t)
		contentType := "application/json"
		if len(doc) > 0 && doc[0] != '{' {
			contentType = "application/yaml"
		}
		req := request{Method: http.MethodPut, Path: "/__emulator/state", Body: doc, ContentType: contentType}
		r := ts.do(req) // checks the invariants
		require.Contains(t, []int{http.StatusNoContent, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge}, r.Status, "body: %s", r.Body)
		if r.Status != http.StatusNoContent {
			require.NotContains(t, strings.ToLower(string(r.Body)), "emulator bug", "a document passed every check yet broke the invariants")
			require.Equal(t, fz.baseline, ts.stateDump(), "a refused document changed the state")
			return
		}
		loaded := ts.stateDump()
		for _, path := range stateReadPaths {
			for _, key := range []string{demoKey, otherKey} {
				fz.step(t, ts, loaded, request{Method: http.MethodGet, Path: path, Key: key}, nil)
			}
		}
		requireDumpLoads(t, ts, loaded)
	})
}

// FuzzStateDocumentMediaType fuzzes the Content-Type of PUT
// /__emulator/state with documents that load: only application/json and
// application/yaml (with parameters) replace the state; anything else, none
// included, is a 422 JSON with the state unchanged.
func FuzzStateDocumentMediaType(f *testing.F) {
	fz := newFuzzServer(f)
	for _, ct := range []string{"", "text/plain", "application/json", "application/yaml", "application/json; charset=utf-8",
		"application/x-yaml", "text/yaml", "APPLICATION/JSON", "application/json; =", "application/json,application/yaml", "*/*"} {
		f.Add(ct, false)
		f.Add(ct, true)
	}
	f.Fuzz(func(t *testing.T, contentType string, yamlDoc bool) {
		// A client cannot send control characters in a header: drop them.
		contentType = strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' || r == 0x7f {
				return -1
			}
			return r
		}, contentType)
		ts := fz.session(t)
		doc := `{"partners": []}`
		if yamlDoc {
			doc = "partners: []\n"
		}
		r := putStateRaw(t, ts, doc, contentType)
		mediaType, _, err := mime.ParseMediaType(contentType)
		ok := err == nil && (mediaType == "application/json" && !yamlDoc || mediaType == "application/yaml")
		if ok {
			require.Equal(t, http.StatusNoContent, r.Status, "%q: %s", contentType, r.Body)
			return
		}
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Equal(t, fz.baseline, ts.stateDump(), "a refused document changed the state")
	})
}
