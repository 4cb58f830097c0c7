package emulator

// Fuzz targets of the write endpoints' bodies and of the query and path
// parameters. Every input starts from the default fixtures, and what holds
// for any input at all is checked: never a 5xx (a panic is
// recovered into a 500, so it counts), never a response that breaks
// openapi.yaml, the invariants hold after every write (testServer.do checks
// them), a refused request leaves the state dump byte for byte unchanged, and
// the dump of any state reached loads back unchanged.
//
// `go test` runs the f.Add seeds and the committed corpus under
// testdata/fuzz/<FuzzName>/; `make fuzz FUZZTIME=30s` fuzzes each target in
// turn. A new write endpoint gets its target in a few lines: the method, the
// path (fixedPath; pickPath or pickOf to try ids and client_api_ids that
// exist, are the other partner's, or are unknown; a query string may be part
// of it) and seeds, as the targets of GovCloud linkages, customers and AWS
// accounts below do:
//
//	func FuzzUpdateCustomer(f *testing.F) {
//		fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/customers/%d", fuzzCustomerIDs...)}, customerSeeds...)
//	}
//
// Set bodyTarget.refused when a non-4xx answer can also mean "nothing
// changed" (as azureRefused does for a 207 with a failed item). A new GET
// path goes in queryPaths or accountQueryPaths (at most 8 paths each; a
// further list gets its own target calling fuzzQuery), which fuzz its page,
// per_page, api_key and client_api_id query parameters. Bodiless requests
// with an id in the path (DELETE) use fuzzPathSegment; a new write also
// belongs in FuzzSequence's menu (fuzz_sequence_test.go). Commit interesting
// inputs as files under testdata/fuzz/<FuzzName>/ (the `go test fuzz v1`
// format).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzServer is one emulator shared by every input of a fuzz target. Each
// input starts from the default fixtures (POST /__emulator/reset), so an
// input that fails, fails on its own too.
type fuzzServer struct {
	srv *Server
	url string
	// baseline is the state dump right after a reset: what a refused
	// request must leave.
	baseline string

	mu         sync.Mutex
	violations []SpecViolation
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	fz := &fuzzServer{}
	srv, err := New(Options{
		Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		OnSpecViolation: func(v SpecViolation) {
			fz.mu.Lock()
			defer fz.mu.Unlock()
			fz.violations = append(fz.violations, v)
		},
	})
	require.NoError(f, err)
	hs := httptest.NewServer(srv)
	f.Cleanup(hs.Close)
	fz.srv, fz.url = srv, hs.URL
	fz.baseline = fz.session(f).stateDump()
	return fz
}

// session resets the emulator and returns a harness client reporting to t.
// Each input is also a test of the reset: whatever the last input wrote,
// the reset must give the start-up state back (its dump, byte for byte).
func (fz *fuzzServer) session(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{t: t, srv: fz.srv, URL: fz.url}
	r := ts.do(request{Method: http.MethodPost, Path: "/__emulator/reset"})
	require.Equal(t, http.StatusNoContent, r.Status, "reset: %s", r.Body)
	if fz.baseline != "" {
		require.Equal(t, fz.baseline, dumpOf(t, fz.srv), "the reset gives the start-up state back")
	}
	return ts
}

// check sends req on a fresh state and asserts what must hold for any input.
// refused says which responses must have changed nothing (nil: any 4xx); a
// GET must never change anything.
func (fz *fuzzServer) check(t *testing.T, req request, refused func(response) bool) response {
	t.Helper()
	ts := fz.session(t)
	r := fz.step(t, ts, fz.baseline, req, refused)
	if dump := ts.stateDump(); dump != fz.baseline {
		requireDumpLoads(t, ts, dump)
	}
	return r
}

// requireDumpLoads asserts that dump, the state dump of a state the API
// reached, loads back through PUT /__emulator/state unchanged (the dump
// round-trips everything the API shows).
func requireDumpLoads(t *testing.T, ts *testServer, dump string) {
	t.Helper()
	put := ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: dump})
	require.Equal(t, http.StatusNoContent, put.Status, "the dump of a reached state does not load: %s", put.Body)
	require.Equal(t, dump, ts.stateDump(), "the dump changed through a load")
}

// step sends req on the state ts is in (whose dump is before) and asserts
// what must hold for any input, as check does.
func (fz *fuzzServer) step(t *testing.T, ts *testServer, before string, req request, refused func(response) bool) response {
	t.Helper()
	r := ts.do(req) // checks the invariants after any non-GET
	require.Less(t, r.Status, 500, "%s %s answered %d: %s", req.Method, req.Path, r.Status, r.Body)
	fz.mu.Lock()
	violations := fz.violations
	fz.violations = nil
	fz.mu.Unlock()
	require.Empty(t, violations, "responses that break openapi.yaml")
	if r.Status != http.StatusNoContent {
		require.Contains(t, r.Header.Get("Content-Type"), "application/json", "body: %s", r.Body)
		require.True(t, json.Valid(r.Body), "body is not JSON: %s", r.Body)
	}
	if refused == nil {
		refused = func(r response) bool { return r.Status >= 400 }
	}
	if req.Method == http.MethodGet || refused(r) {
		require.Equal(t, before, ts.stateDump(), "%s %s answered %d and changed the state", req.Method, req.Path, r.Status)
	}
	return r
}

// bodyTarget is a write endpoint whose JSON body is fuzzed.
type bodyTarget struct {
	method string
	// path returns the request path; pick is fuzzed, so that endpoints with
	// an id in the path try ids that exist, are another partner's, or are
	// unknown (see pickPath).
	path func(pick uint8) string
	// refused reports a response that must have changed nothing; nil means
	// any 4xx.
	refused func(response) bool
}

// fuzzBody fuzzes target's body (sent as application/json with the demo
// partner's key, or the other partner's when pick's top bit is set), seeded
// with seeds.
func fuzzBody(f *testing.F, target bodyTarget, seeds ...string) {
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		key := demoKey
		if pick&0x80 != 0 {
			key = otherKey
		}
		fz.check(t, request{Method: target.method, Path: target.path(pick & 0x7f), Key: key, Body: body}, target.refused)
	})
}

// fixedPath is the path of an endpoint without path parameters.
func fixedPath(path string) func(uint8) string { return func(uint8) string { return path } }

// pickPath fills format's one %d with one of ids, chosen by pick.
func pickPath(format string, ids ...int64) func(uint8) string {
	return func(pick uint8) string { return fmt.Sprintf(format, ids[int(pick)%len(ids)]) }
}

// pickOf returns one of paths, chosen by pick.
func pickOf(paths ...string) func(uint8) string {
	return func(pick uint8) string { return paths[int(pick)%len(paths)] }
}

// Ids of the default fixtures: assignments 1-3 are the demo partner's, 4 the
// other partner's; client_api_ids 1-4 are the demo partner's
// customers, 5 the other partner's.
var (
	fuzzAssignmentIDs = []int64{1, 2, 3, 4, 99, 0}
	fuzzClientAPIIDs  = []int64{1, 2, 3, 4, 5, 99999}
)

// azureRefused: a 4xx, or a 207 with any failed item (all or nothing).
func azureRefused(r response) bool {
	if r.Status >= 400 {
		return true
	}
	var body struct {
		Items []map[string]any `json:"azure_partner_customer_accounts"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		return false
	}
	for _, item := range body.Items {
		if _, failed := item["http_status"]; failed {
			return true
		}
	}
	return false
}

var assignmentSeeds = []string{
	`{"owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001"}`,
	`{"owner_id": "000000000003", "customer_id": 1, "payer_account_owner_id": "000000000002"}`,
	`{"owner_id": "000000000013", "customer_id": 2, "payer_account_owner_id": "000000000011"}`,
	`{"owner_id": "000000000004", "customer_id": 3, "payer_account_owner_id": "000000000004"}`,
	`{"owner_id": "999999999999", "customer_id": 4, "payer_account_owner_id": "999999999999"}`,
	`{"payer_account_owner_id": "000000000011"}`,
	`{"customer_id": 2}`,
	`{"id": 7, "created_at": "0001-01-01T00:00:00Z", "owner_id": "000000000004", "customer_id": 4, "payer_account_owner_id": "000000000004"}`,
	`{}`,
	`{"owner_id": null}`,
	`{"owner_id": 1, "customer_id": "1"}`,
	`{"customer_id": 1e400}`,
	`{"customer_id": -9223372036854775808}`,
	`{"owner_id": "000000000001"} {}`,
	`[]`,
	`null`,
	``,
	`{"owner_id": "\u0000"}`,
	`{"Owner_ID": "000000000005", "customer_id": 4, "PAYER_ACCOUNT_OWNER_ID": "000000000005"}`,
}

func FuzzCreateAssignment(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/aws_account_assignments")}, assignmentSeeds...)
}

func FuzzUpdateAssignment(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/aws_account_assignments/%d", fuzzAssignmentIDs...)},
		assignmentSeeds...)
}

var azureSeeds = []string{
	`{"azure_customer_ids": ["ab123"]}`,
	`{"azure_customer_ids": ["ab123", "fgh345"]}`,
	`{"azure_customer_ids": ["xof194", "dfg234"]}`,
	`{"azure_customer_ids": ["rtq683", "rtq683"]}`,
	`{"azure_customer_ids": ["kln456", "oth001"]}`,
	`{"azure_customer_ids": []}`,
	`{"azure_customer_ids": [""]}`,
	`{"azure_customer_ids": [null]}`,
	`{"azure_customer_ids": "ab123"}`,
	`{"azure_customer_ids": [1]}`,
	`{}`,
	`azure_customer_ids[]=ab123`,
}

func FuzzAzureAdd(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/azure_partner_customer_accounts/add/%d", fuzzClientAPIIDs...),
		refused: azureRefused}, azureSeeds...)
}

func FuzzAzureRemove(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/azure_partner_customer_accounts/remove/%d", fuzzClientAPIIDs...),
		refused: azureRefused}, azureSeeds...)
}

// queryPaths are the GET paths whose query parameters FuzzQuery fuzzes; a
// new endpoint's list (and get) path goes here.
var queryPaths = []string{
	"/v1/aws_account_assignments",
	"/v1/aws_account_assignments/1",
	"/v1/azure_partner_customer_accounts/list",
	"/v1/azure_partner_customer_accounts/list/1",
	"/v1/customer_statements?status=Final",
	"/v1/price_book_assignments",
	"/v1/price_books",
}

// querySeed is one seed input of a query-parameter target.
type querySeed struct {
	pick                               uint8
	page, perPage, apiKey, clientAPIID string
}

// FuzzQuery fuzzes page, per_page, api_key and client_api_id on every path of
// queryPaths (see fuzzQuery).
func FuzzQuery(f *testing.F) {
	fuzzQuery(f, queryPaths, []querySeed{
		{0x80 | 0x78, "1", "30", "", "1"},
		{0x80 | 0x18, "2", "1", "", ""},
		{0x80 | 0x18, "0", "-1", "", ""},
		{0x80 | 0x18, "999999999999999999999", "1000", "", ""},
		{0x80 | 0x18, "1.5", "abc", "", ""},
		{0x80 | 0x1a, "", "", "", ""},
		{0x20, "", "", demoKey, ""},
		{0x20, "", "", otherKey, ""},
		{0x20, "", "", "nope", ""},
		{0x21, "", "", "", ""},
		{0x80 | 0x43, "", "", "", "abc"},
		{0x80 | 0x43, "", "", "", "5"},
		// Near the int64 boundaries: a page past the end, never an overflow.
		{0x80 | 0x18, "9223372036854775807", "100", "", ""},
		{0x80 | 0x18, "9223372036854775808", "1", "", ""},
		{0x80 | 0x18, "-9223372036854775808", "30", "", ""},
		{0x80 | 0x18, "99999999999999999999", "30", "", ""},
		{0x80 | 0x18, "307445734561825862", "30", "", ""},
		{0x80 | 0x18, "2", "9223372036854775807", "", ""},
		{0x80 | 0x18, "2", "9223372036854775808", "", ""},
		{0x80 | 0x18, "2", "-9223372036854775808", "", ""},
		{0x80 | 0x18, "2", "99999999999999999999", "", ""},
		{0x80 | 0x18, " +2x", "1_0", "", ""},
	})
}

// fuzzQuery fuzzes page, per_page, api_key and client_api_id on every path of
// paths (at most 8). pick chooses the path (low bits), which parameters are
// sent at all (an empty value is still sent: `page=`), and whether the demo
// key goes in a Bearer header (top bit).
func fuzzQuery(f *testing.F, paths []string, seeds []querySeed) {
	for _, s := range seeds {
		f.Add(s.pick, s.page, s.perPage, s.apiKey, s.clientAPIID)
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, page, perPage, apiKey, clientAPIID string) {
		path := paths[int(pick&0x07)%len(paths)]
		q := url.Values{}
		for i, p := range []struct{ name, value string }{
			{"page", page}, {"per_page", perPage}, {"api_key", apiKey}, {"client_api_id", clientAPIID},
		} {
			if pick&(0x08<<i) != 0 {
				q.Set(p.name, p.value)
			}
		}
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
		req := request{Method: http.MethodGet, Path: path}
		if pick&0x80 != 0 {
			req.Key = demoKey
		}
		fz.check(t, req, nil)
	})
}

// FuzzClientAPIIDPath fuzzes the client_api_id path segment of the Azure
// endpoints (list, add and remove; add and remove with a valid body).
func FuzzClientAPIIDPath(f *testing.F) {
	for i, s := range []string{"1", "5", "0", "-1", "abc", "1.0", "99999999999999999999", "1/x", "..", "%", " 1"} {
		f.Add(uint8(i), s)
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, segment string) {
		action := []string{"list", "add", "remove"}[int(pick)%3]
		req := request{Method: http.MethodGet, Key: demoKey,
			Path: "/v1/azure_partner_customer_accounts/" + action + "/" + url.PathEscape(segment)}
		if action != "list" {
			req.Method, req.Body = http.MethodPut, `{"azure_customer_ids": ["ab123", "xof194"]}`
		}
		fz.check(t, req, azureRefused)
	})
}

// The GovCloud linkage, partner customer and AWS account targets, on the
// helpers above: the same properties hold.

// Ids of the default fixtures used below: customers 1-4 (client_api_ids
// 1-4) are the demo partner's, customer 5 (5) the other
// partner's. GovCloud linkage 1 is customer 1's. Partner AWS accounts
// 100-113 are the demo partner's (100 and 110 head billing families, 102,
// 111 and 112 are assigned), 200-202 the other partner's; customer accounts
// 1-5 are customer 1's (3 and 4 linked), 6 customer 3's, 7-8 customer 5's.
var fuzzCustomerIDs = []int64{1, 2, 3, 4, 5, 99, 0}

var linkageSeeds = []string{
	`{"govcloud_acct_id": 1, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 5, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 2, "commercial_acct_id": 1}`,
	`{"govcloud_acct_id": 3, "commercial_acct_id": 4}`,
	`{"govcloud_acct_id": 1, "commercial_acct_id": 4}`,
	`{"govcloud_acct_id": 7, "commercial_acct_id": 8}`,
	`{"govcloud_acct_id": 1, "commercial_acct_id": 6}`,
	`{"govcloud_acct_id": 100, "commercial_acct_id": 101}`,
	`{"govcloud_acct_id": 1}`,
	`{"commercial_acct_id": 2}`,
	`{"id": 9, "customer_id": 2, "govcloud_acct_id": 5, "commercial_acct_id": 2, "created_at": "x"}`,
	`{"govcloud_acct_id": "1", "commercial_acct_id": 2.5}`,
	`{"govcloud_acct_id": null, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 1e30, "commercial_acct_id": -2}`,
	`{"govcloud_acct_id": 9223372036854775807, "commercial_acct_id": 0}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreateLinkage(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: pickOf(
		"/api/v1/govcloud_linkages?client_api_id=1",
		"/api/v1/govcloud_linkages?client_api_id=3",
		"/api/v1/govcloud_linkages?client_api_id=5",
		"/api/v1/govcloud_linkages?client_api_id=99999",
		"/api/v1/govcloud_linkages?client_api_id=abc",
		"/api/v1/govcloud_linkages",
	)}, linkageSeeds...)
}

func FuzzUpdateLinkage(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickOf(
		"/api/v1/govcloud_linkages/1?client_api_id=1",
		"/api/v1/govcloud_linkages/1?client_api_id=2",
		"/api/v1/govcloud_linkages/1?client_api_id=5",
		"/api/v1/govcloud_linkages/2?client_api_id=1",
		"/api/v1/govcloud_linkages/0?client_api_id=1",
		"/api/v1/govcloud_linkages/1",
		"/api/v1/govcloud_linkages/1?client_api_id=1.5",
	)}, linkageSeeds...)
}

var customerSeeds = []string{
	`{"name": "New Co", "address": {"street1": "1 Main St", "street2": "", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}, "classification": "managed_without_access", "trial_expiration": "2026-12-31T00:00:00", "billing_contact": "a@b.c", "partner_billing_configuration": {"enabled": "true", "folder": "x"}, "tags": [{"key": "env", "value": "prod"}]}`,
	`{"name": "Azure Two", "address": {"street1": "a", "city": "b", "state": "c", "zipcode": "d", "country": "e"}}`,
	`{"name": "Other Customer", "address": {"street1": "a", "city": "b", "state": "c", "zipcode": "d", "country": "e"}}`,
	`{"name": "renamed"}`,
	`{"name": ""}`,
	`{"name": "  "}`,
	`{"name": null}`,
	`{"address": {"city": ""}}`,
	`{"classification": "managed"}`,
	`{"trial_expiration": "tomorrow"}`,
	`{"trial_expiration": ""}`,
	`{"partner_billing_configuration": {"enabled": "false"}}`,
	`{"partner_billing_configuration": {"enabled": "yes"}}`,
	`{"partner_billing_configuration": {"enabled": 1, "folder": null}}`,
	`{"tags": [{"key": "1"}, {"key": "2"}, {"key": "3"}, {"key": "4"}, {"key": "5"}, {"key": "6"}, {"key": "7"}, {"key": "8"}, {"key": "9"}, {"key": "10"}, {"key": "11"}, {"key": "12"}, {"key": "13"}, {"key": "14"}, {"key": "15"}, {"key": "16"}, {"key": "17"}, {"key": "18"}, {"key": "19"}, {"key": "20"}, {"key": "21"}]}`,
	`{"tags": [{"key": "", "value": "v"}]}`,
	`{"tags": null}`,
	`{"id": 7, "client_api_id": 2, "created_at": "0001-01-01T00:00:00Z", "_links": {}}`,
	`{"NAME": "case", "Address": {"City": "x"}, "address": {"CITY": "y", "street1": "a", "city": "b", "state": "c", "zipcode": "d", "country": "e"}, "name": "exact"}`,
	`{}`,
	`[]`,
	`null`,
	``,
}

func FuzzCreateCustomer(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/customers")}, customerSeeds...)
}

func FuzzUpdateCustomer(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/customers/%d", fuzzCustomerIDs...)}, customerSeeds...)
}

var awsAccountSeeds = []string{
	`{"name": "new", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::123456789012:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "gov", "region": "govcloud", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws-us-gov:iam::100000000001:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "dup", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::000000000002:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "key", "authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": "s"}, "billing": {"bucket": "b"}, "cost_and_usage_report": {"bucket": "c", "path": "p"}, "cloudtrail": {"enabled": true, "bucket": "t", "prefix": "p"}, "cloudwatch": {"enabled": true, "namespaces": "CWAgent,System/Linux", "runtime": 24}, "tags": [{"key": "k", "value": "v"}], "hide_public_fields": true, "primary_aws_region": "eu-central-1"}`,
	`{"name": "x", "authentication": {"protocol": "access_key", "access_key": "AKIA"}}`,
	`{"region": "govcloud", "is_govcloud": false}`,
	`{"region": "govcloud"}`,
	`{"is_govcloud": true, "primary_aws_region": "us-east-1"}`,
	`{"region": "mars"}`,
	`{"authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::000000000099:role/CH", "assume_role_external_id": "e"}}`,
	`{"authentication": {"protocol": "magic"}}`,
	`{"cloudwatch": {"runtime": 5, "namespaces": "Nope"}}`,
	`{"cloudtrail": {"enabled": true}}`,
	`{"cost_and_usage_report": {"path": "p"}}`,
	`{"billing": {"bucket": ""}}`,
	`{"tags": [{"key": ""}]}`,
	`{"name": ""}`,
	`{"name": null}`,
	`{"id": 1, "owner_id": "000000000001", "created_at": "x", "status": {"level": "green"}}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreateAWSAccount(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: pickOf(
		"/v1/aws_accounts",
		"/v1/aws_accounts?client_api_id=1",
		"/v1/aws_accounts?client_api_id=3",
		"/v1/aws_accounts?client_api_id=5",
		"/v1/aws_accounts?client_api_id=99999",
		"/v1/aws_accounts?client_api_id=x",
	)}, awsAccountSeeds...)
}

// fuzzAWSAccountPaths are the AWS account paths with an id: the partner's
// own accounts (assigned, family heads, free, the other partner's) and
// customers' (linked, free, another customer's, the other partner's).
var fuzzAWSAccountPaths = []string{
	"/v1/aws_accounts/100",
	"/v1/aws_accounts/102",
	"/v1/aws_accounts/104",
	"/v1/aws_accounts/105",
	"/v1/aws_accounts/110",
	"/v1/aws_accounts/200",
	"/v1/aws_accounts/1",
	"/v1/aws_accounts/2?client_api_id=1",
	"/v1/aws_accounts/3?client_api_id=1",
	"/v1/aws_accounts/5?client_api_id=1",
	"/v1/aws_accounts/6?client_api_id=1",
	"/v1/aws_accounts/6?client_api_id=3",
	"/v1/aws_accounts/7?client_api_id=5",
	"/v1/aws_accounts/99?client_api_id=1",
}

func FuzzUpdateAWSAccount(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickOf(fuzzAWSAccountPaths...)}, awsAccountSeeds...)
}

// fuzzPathSegment fuzzes one path segment of a body-less request: format's
// one %s gets the segment (path-escaped), chosen among formats by pick; the
// other partner's key is used when pick's top bit is set.
func fuzzPathSegment(f *testing.F, method string, formats []string, seeds ...string) {
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, segment string) {
		key := demoKey
		if pick&0x80 != 0 {
			key = otherKey
		}
		format := formats[int(pick&0x7f)%len(formats)]
		fz.check(t, request{Method: method, Key: key, Path: fmt.Sprintf(format, url.PathEscape(segment))}, nil)
	})
}

var idSegmentSeeds = []string{"1", "2", "3", "4", "5", "6", "7", "99", "100", "102", "110", "0", "-1", "abc", "1.0",
	"99999999999999999999", "1/x", "..", "%", " 1", "０"}

func FuzzDeleteCustomer(f *testing.F) {
	fuzzPathSegment(f, http.MethodDelete, []string{"/v1/customers/%s"}, idSegmentSeeds...)
}

func FuzzDeleteAWSAccount(f *testing.F) {
	fuzzPathSegment(f, http.MethodDelete, []string{
		"/v1/aws_accounts/%s",
		"/v1/aws_accounts/%s?client_api_id=1",
		"/v1/aws_accounts/%s?client_api_id=3",
		"/v1/aws_accounts/%s?client_api_id=5",
		"/v1/aws_accounts/%s?client_api_id=99999",
	}, idSegmentSeeds...)
}

// accountQueryPaths are the GET paths of GovCloud linkages, customers and
// AWS accounts whose query parameters FuzzQueryAccounts fuzzes (at most 8).
var accountQueryPaths = []string{
	"/api/v1/govcloud_linkages",
	"/api/v1/govcloud_linkages/1",
	"/v1/customers",
	"/v1/customers/1",
	"/v1/aws_accounts",
	"/v1/aws_accounts/100",
	"/v1/aws_accounts/1",
}

// FuzzQueryAccounts is FuzzQuery over accountQueryPaths.
func FuzzQueryAccounts(f *testing.F) {
	fuzzQuery(f, accountQueryPaths, []querySeed{
		{0x80 | 0x40, "", "", "", "1"},
		{0x80 | 0x58, "1", "1", "", "1"},
		{0x80 | 0x41, "", "", "", "2"},
		{0x80 | 0x40, "", "", "", "abc"},
		{0x80 | 0x1a, "2", "2", "", ""},
		{0x80 | 0x5c, "1", "2", "", "1"},
		{0x80 | 0x44, "", "", "", "5"},
		{0x80 | 0x46, "", "", "", "1"},
		{0x80 | 0x45, "", "", "", "1"},
		{0x63, "", "", otherKey, "5"},
		{0x20, "", "", "nope", ""},
		// Near the int64 boundaries on the customers and AWS account lists.
		{0x80 | 0x1a, "9223372036854775807", "100", "", ""},
		{0x80 | 0x1a, "9223372036854775808", "9223372036854775808", "", ""},
		{0x80 | 0x1c, "-9223372036854775808", "-9223372036854775808", "", ""},
		{0x80 | 0x1c, "99999999999999999999", "1", "", ""},
		{0x80 | 0x5c, "9223372036854775807", "9223372036854775807", "", "1"},
	})
}
