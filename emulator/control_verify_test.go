package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// GET /__emulator/journal/count counts what the journal's filters select,
// and refuses a status that is not one (422, as the journal does).
func TestJournalCount(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	ts.get("/v1/customers")
	ts.get("/v1/customers/999999")
	ts.get("/v1/customers")
	ts.post("/v1/customers", `{"name": 5}`)
	ts.get("/v1/no_such_thing")
	notFound, unprocessable := 404, 422
	tests := []struct {
		name   string
		filter JournalFilter
		want   int
	}{
		{"everything", JournalFilter{}, 5},
		{"by method", JournalFilter{Method: "get"}, 4},
		{"by path prefix", JournalFilter{PathPrefix: "/v1/customers"}, 4},
		{"by operation", JournalFilter{Operation: "listCustomers"}, 2},
		{"by status", JournalFilter{Status: &notFound}, 2},
		{"all of them", JournalFilter{Method: "POST", PathPrefix: "/v1/", Operation: "createCustomer", Status: &unprocessable}, 1},
		{"none", JournalFilter{Operation: "deleteCustomer"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := ctl.JournalCount(tc.filter)
			require.NoError(t, err)
			require.Equal(t, tc.want, n)
			entries, err := ctl.Journal(tc.filter)
			require.NoError(t, err)
			require.Len(t, entries, tc.want, "the journal and its count agree")
		})
	}
	for _, bad := range []string{"abc", "-1", "1000", ""} {
		r := ts.do(request{Method: http.MethodGet, Path: "/__emulator/journal/count?status=" + bad})
		requireJSONError(t, r, http.StatusUnprocessableEntity)
	}
}

// GET /__emulator/coverage lists every operation of openapi.yaml with the
// documented statuses the client reached, the operations never called, and
// the unmatched requests; a reset or a journal clear starts it again.
func TestCoverage(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	ts.get("/v1/customers")
	ts.get("/v1/customers")
	ts.get("/v1/customers/999999")
	ts.do(request{Method: http.MethodGet, Path: "/v1/customers"}) // no key: 401
	ts.get("/v1/no_such_thing")
	_, err := ctl.AddFault(FaultRule{Path: "/v1/customers/{id}", Status: 418, Times: 1})
	require.NoError(t, err)
	ts.get("/v1/customers/1")

	cov, err := ctl.Coverage()
	require.NoError(t, err)
	byOp := map[string]OperationCoverage{}
	for _, oc := range cov.Operations {
		byOp[oc.Operation] = oc
	}
	require.Len(t, byOp, len(ts.srv.api.ops), "every operation of openapi.yaml")
	counts := func(oc OperationCoverage) map[string]int {
		out := map[string]int{}
		for _, s := range oc.Statuses {
			out[s.Status] = s.Count
		}
		return out
	}
	list := counts(byOp["listCustomers"])
	require.Equal(t, 2, list["200"])
	require.Equal(t, 1, list["401"])
	require.Zero(t, list["422"])
	require.Equal(t, 3, byOp["listCustomers"].Requests)
	get := byOp["getCustomer"]
	require.Equal(t, 1, counts(get)["404"])
	require.Equal(t, []StatusCount{{Status: "418", Count: 1}}, get.Undocumented, "an injected status openapi.yaml does not document")
	require.Equal(t, 1, cov.Unmatched)
	require.NotContains(t, cov.NeverCalled, "listCustomers")
	require.Contains(t, cov.NeverCalled, "createAwsAccountAssignment")
	require.Len(t, cov.NeverCalled, len(ts.srv.api.ops)-2)
	require.Equal(t, 3, cov.Reached)

	for name, restart := range map[string]func() error{"reset": ctl.Reset, "journal clear": ctl.ClearJournal} {
		ts.get("/v1/customers")
		require.NoError(t, restart(), name)
		cov, err := ctl.Coverage()
		require.NoError(t, err)
		require.Zero(t, cov.Reached, name)
		require.Zero(t, cov.Unmatched, name)
		require.Len(t, cov.NeverCalled, len(ts.srv.api.ops), name)
	}
}
