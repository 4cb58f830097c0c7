package parity_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/emulatortest"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity/record"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// demoKey is the default fixtures' first partner's key.
const demoKey = "demo-partner-key"

// script is a short client session: the sweep, then reads and writes of
// every family, named as tests.
type step struct {
	test, method, path, body string
}

func script(customerID, clientAPIID int64) []step {
	return []step{
		{"create", http.MethodPost, "/v1/customers", `{"name": "parity customer", "partner_billing_configuration": {"enabled": true}}`},
		{"read", http.MethodGet, "/v1/customers/{new}", ""},
		{"update", http.MethodPut, "/v1/customers/{new}", `{"name": "parity customer renamed"}`},
		{"page", http.MethodGet, "/v1/customers?page=1&per_page=2", ""},
		{"page", http.MethodGet, "/v1/customers?page=2&per_page=2", ""},
		{"account", http.MethodPost, fmt.Sprintf("/v1/aws_accounts?client_api_id=%d", clientAPIID), `{"name": "parity account", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::123456789012:role/x", "assume_role_external_id": "very-secret-external-id"}}`},
		{"azure", http.MethodGet, fmt.Sprintf("/v1/azure_partner_customer_accounts/list/%d", clientAPIID), ""},
		{"missing", http.MethodGet, "/v1/customers/987654321", ""},
		{"delete", http.MethodDelete, "/v1/customers/{new}", ""},
		{"read", http.MethodGet, fmt.Sprintf("/v1/customers/%d", customerID), ""},
	}
}

// recordSession runs the sweep and the script against an emulator started with
// opts, recording into a cassette file, and returns its path.
func recordSession(t *testing.T, opts emulator.Options) string {
	t.Helper()
	inst := emulatortest.Start(t, opts)
	path := filepath.Join(t.TempDir(), "session.yaml")
	rec, err := record.New(path, nil, demoKey)
	require.NoError(t, err)
	client := &http.Client{Transport: rec}
	require.NoError(t, parity.Sweep(client, inst.URL, demoKey))
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	first := doc.Partners[0].Customers[0]
	var created int64
	for _, s := range script(first.ID, first.ClientAPIID) {
		var body io.Reader
		if s.body != "" {
			body = strings.NewReader(s.body)
		}
		req, err := http.NewRequest(s.method, inst.URL+strings.ReplaceAll(s.path, "{new}", fmt.Sprint(created)), body)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+demoKey)
		if s.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(parity.WithTest(req, s.test))
		require.NoError(t, err)
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if s.test == "create" {
			var c struct {
				ID int64 `json:"id"`
			}
			require.NoError(t, json.Unmarshal(out, &c), "%s", out)
			created = c.ID
		}
	}
	require.NoError(t, rec.Stop())
	return path
}

// families are the default fixtures' billing families, which the API does
// not show.
func families(t *testing.T) map[string]string {
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	out := map[string]string{}
	for _, a := range doc.Partners[0].AWSAccounts {
		if a.BillingFamilyOwnerID != "" {
			out[a.OwnerID] = a.BillingFamilyOwnerID
		}
	}
	return out
}

func TestReplayAgainstAnUnchangedEmulatorMatches(t *testing.T) {
	path := recordSession(t, emulator.Options{})
	rep, err := parity.ReplayFiles([]string{path}, parity.Options{BillingFamilies: families(t)})
	require.NoError(t, err)
	for _, x := range rep.Exchanges {
		require.Equal(t, parity.VerdictMatch, x.Verdict, "#%d %s %s: %+v", x.Index, x.Method, x.Path, x.Diffs)
	}
	require.False(t, rep.Failed())
	require.Greater(t, rep.Counts[parity.VerdictMatch], 10)
	require.Empty(t, rep.Spec, "the emulator's own answers are described by openapi.yaml")
}

func TestRecordedCassetteHoldsNoSecret(t *testing.T) {
	path := recordSession(t, emulator.Options{})
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	require.NotContains(t, text, demoKey)
	require.NotContains(t, text, "very-secret-external-id")
	require.Contains(t, text, "Bearer "+parity.RedactedKey)
	require.Contains(t, text, `"assume_role_external_id":"`+parity.Redacted+`"`)
	require.Contains(t, text, parity.HeaderTest+":\n                - sweep")
	var generated int
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, `"generated_external_id":"`) && !strings.Contains(line, `"generated_external_id":"`+parity.Redacted+`"`) && !strings.Contains(line, `"generated_external_id":""`) {
			generated++
		}
	}
	require.Zero(t, generated, "a generated_external_id was written unredacted")
}

// rewrite perturbs the answers of one operation.
func rewrite(op string, f func(status int, h http.Header, body map[string]any) int) func(string, int, http.Header, []byte) (int, []byte) {
	return func(operation string, status int, h http.Header, body []byte) (int, []byte) {
		if operation != op {
			return status, body
		}
		var m map[string]any
		if json.Unmarshal(body, &m) != nil {
			m = nil
		}
		status = f(status, h, m)
		if m == nil {
			return status, body
		}
		out, _ := json.Marshal(m)
		return status, out
	}
}

func TestReplayAgainstAPerturbedEmulatorReportsEachDifference(t *testing.T) {
	path := recordSession(t, emulator.Options{})
	cases := []struct {
		name, op, path string
		tests          []string
		perturb        func(int, http.Header, map[string]any) int
	}{
		{"a field renamed", "getCustomer", "body.name", []string{"read"}, func(s int, _ http.Header, m map[string]any) int {
			if name, ok := m["name"]; ok {
				m["title"] = name
				delete(m, "name")
			}
			return s
		}},
		{"a status changed", "createCustomer", "status", []string{"create"}, func(int, http.Header, map[string]any) int { return http.StatusCreated }},
		{"a header dropped", "listCustomers", "header.X-Total", []string{"sweep", "page"}, func(s int, h http.Header, _ map[string]any) int {
			h.Del("X-Total")
			return s
		}},
		{"an item missing from a page", "listCustomers", "body.customers[1]", []string{"sweep", "page"}, func(s int, _ http.Header, m map[string]any) int {
			if list, ok := m["customers"].([]any); ok && len(list) > 1 {
				m["customers"] = list[:1]
			}
			return s
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := parity.ReplayFiles([]string{path}, parity.Options{BillingFamilies: families(t),
				Emulator: emulator.Options{RewriteResponse: rewrite(tc.op, tc.perturb)}})
			require.NoError(t, err)
			require.True(t, rep.Failed())
			found := false
			for _, x := range rep.Exchanges {
				if x.Verdict != parity.VerdictDiff {
					continue
				}
				require.Equal(t, tc.op, x.Operation, "only %s was perturbed: #%d %+v", tc.op, x.Index, x.Diffs)
				require.Contains(t, tc.tests, x.Test)
				for _, d := range x.Diffs {
					found = found || d.Path == tc.path
				}
			}
			require.True(t, found, "no DIFF at %s", tc.path)
		})
	}
}

func TestAllowlistTurnsADiffIntoKnown(t *testing.T) {
	path := recordSession(t, emulator.Options{})
	fidelity, err := os.ReadFile("../../docs/fidelity.md")
	require.NoError(t, err)
	allow, err := parity.ParseAllowlist([]byte(`known:
  - operation: listCustomers
    path: header.X-Total
    fidelity: "AWS account assignments (v1): Paging"
    reason: test
`), fidelity)
	require.NoError(t, err)
	rep, err := parity.ReplayFiles([]string{path}, parity.Options{BillingFamilies: families(t), Allowlist: allow,
		Emulator: emulator.Options{RewriteResponse: rewrite("listCustomers", func(s int, h http.Header, _ map[string]any) int {
			h.Del("X-Total")
			return s
		})}})
	require.NoError(t, err)
	require.False(t, rep.Failed())
	require.Equal(t, 3, rep.Counts[parity.VerdictKnown], "the sweep's list and the two pages")
	var md bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&md))
	require.Contains(t, md.String(), "AWS account assignments (v1): Paging")
}

func TestAllowlistEntriesNameTheirFidelityRow(t *testing.T) {
	fidelity, err := os.ReadFile("../../docs/fidelity.md")
	require.NoError(t, err)
	for name, doc := range map[string]string{
		"no fidelity":   "known:\n  - path: status\n",
		"no such row":   "known:\n  - path: status\n    fidelity: \"Everywhere: no such topic\"\n",
		"no path":       "known:\n  - fidelity: \"Everywhere: Ids\"\n",
		"unknown field": "known:\n  - path: status\n    fidelity: \"Everywhere: Ids\"\n    typo: 1\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parity.ParseAllowlist([]byte(doc), fidelity)
			require.Error(t, err)
		})
	}
	_, err = parity.ParseAllowlist([]byte("known:\n  - path: status\n    fidelity: \"Everywhere: `Accept-Encoding: gzip`\"\n"), fidelity)
	require.NoError(t, err)
}

// The real API's answers are checked against openapi.yaml apart: a field it
// does not know is a finding, an undocumented status a violation.
func TestRecordedAnswersAreCheckedAgainstOpenAPI(t *testing.T) {
	path := recordSession(t, emulator.Options{RewriteResponse: func(op string, status int, h http.Header, body []byte) (int, []byte) {
		switch op {
		case "getCustomer":
			return status, bytes.Replace(body, []byte(`{`), []byte(`{"undocumented_field":1,`), 1)
		case "deleteCustomer":
			return http.StatusAccepted, body
		}
		return status, body
	}})
	rep, err := parity.ReplayFiles([]string{path}, parity.Options{BillingFamilies: families(t)})
	require.NoError(t, err)
	kinds := map[string]string{}
	for _, f := range rep.Spec {
		kinds[f.Operation] = f.Kind
	}
	require.Equal(t, map[string]string{"getCustomer": "finding", "deleteCustomer": "violation"}, kinds, "%+v", rep.Spec)
}

// A hand-made cassette with real-looking ids and timestamps: the recorded ids
// (customer 8123, client_api_id 77001, a new customer 9100123) are not the
// emulator's, and the replay pairs them by reference.
func TestHandMadeCassetteMapsIDsByReference(t *testing.T) {
	rep, err := parity.ReplayFiles([]string{"testdata/handmade.yaml"}, parity.Options{})
	require.NoError(t, err)
	var paths []string
	for _, x := range rep.Exchanges {
		require.Equal(t, parity.VerdictMatch, x.Verdict, "#%d %s %s: %+v", x.Index, x.Method, x.Path, x.Diffs)
		paths = append(paths, x.Method+" "+x.Path)
	}
	require.Equal(t, []string{
		"GET /v1/customers?page=1&per_page=100",
		"GET /v1/aws_accounts?page=1&per_page=100",
		"GET /v1/aws_account_assignments?page=1&per_page=100",
		"GET /v1/azure_partner_customer_accounts/list",
		"GET /v1/aws_accounts?client_api_id=<id:1>&page=1&per_page=100",
		"GET /v1/azure_partner_customer_accounts/list/<id:1>",
		"GET /api/v1/govcloud_linkages?client_api_id=<id:1>",
		"POST /v1/customers",
		"GET /v1/customers/<id:3>", // 9100123 recorded, the emulator's own id replayed
		"GET /v1/customers/<id:2>", // 8123 on both sides
	}, paths)
}

// The allowlist shipped in docs/ names real rows of docs/fidelity.md.
func TestShippedAllowlistNamesFidelityRows(t *testing.T) {
	fidelity, err := os.ReadFile("../../docs/fidelity.md")
	require.NoError(t, err)
	allow, err := parity.LoadAllowlist("../../docs/parity-allowlist.yaml", fidelity)
	require.NoError(t, err)
	require.NotEmpty(t, allow.Known)
}
