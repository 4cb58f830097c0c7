package emulator

// Fuzz targets of the write endpoints' bodies and of the query and path
// parameters. Every input starts from the default fixtures and must hold to
// what BEHAVIOR.md promises for any input at all: never a 5xx (a panic is
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
// of it) and seeds, as fuzz_accounts_test.go does for GovCloud linkages,
// customers and AWS accounts:
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
func (fz *fuzzServer) session(t testing.TB) *testServer {
	t.Helper()
	ts := &testServer{t: t, srv: fz.srv, URL: fz.url}
	r := ts.do(request{Method: http.MethodPost, Path: "/__emulator/reset"})
	require.Equal(t, http.StatusNoContent, r.Status, "reset: %s", r.Body)
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
// reached, loads back through PUT /__emulator/state unchanged (BEHAVIOR.md
// section 9: the dump round-trips).
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
