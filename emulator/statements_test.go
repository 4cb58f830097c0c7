package emulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// statementKeys returns "customer cloud period status" of each statement of a
// billing_artifacts answer.
func statementKeys(t *testing.T, r response) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var out []string
	for _, it := range r.Object()["billing_artifacts"].([]any) {
		m := it.(map[string]any)
		out = append(out, fmt.Sprintf("%v %v %v %v", m["customer_id"], m["cloud"], m["billing_period"], m["status"]))
	}
	return out
}

// The statements of every customer of the partner, or of one, filtered and
// paged, in the default fixtures' order (customer, period, cloud); another
// partner's are never shown.
func TestStatementLists(t *testing.T) {
	ts := newTestServer(t, Options{})
	first, second := demoClientAPIID(ts, 1), demoClientAPIID(ts, 2)
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"every customer's", "", []string{"1 AWS 2020-10 Final", "1 AWS 2020-11 Final", "1 AWS 2020-12 Final", "1 Azure 2020-12 Final",
			"1 AWS 2021-01 Estimated", "2 AWS 2020-11 Final", "2 AWS 2020-12 Final", "2 AWS 2021-01 Estimated"}},
		{"estimated", "status=Estimated", []string{"1 AWS 2021-01 Estimated", "2 AWS 2021-01 Estimated"}},
		{"one period", "billing_period=2020-12", []string{"1 AWS 2020-12 Final", "1 Azure 2020-12 Final", "2 AWS 2020-12 Final"}},
		{"one customer", fmt.Sprintf("client_api_id=%d", second), []string{"2 AWS 2020-11 Final", "2 AWS 2020-12 Final", "2 AWS 2021-01 Estimated"}},
		{"one customer, final, one period", fmt.Sprintf("client_api_id=%d&status=Final&billing_period=2020-11", first), []string{"1 AWS 2020-11 Final"}},
		{"nothing matches", "billing_period=1999-01", nil},
		{"the guide's example", "page=1&status=Final&billing_period=2020-12&per_page=2", []string{"1 AWS 2020-12 Final", "1 Azure 2020-12 Final"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.get("/v1/customer_statements?" + tc.query)
			require.Equal(t, tc.want, statementKeys(t, r))
		})
	}

	// Paging: X-Total counts every match, Link names the pages.
	r := ts.get("/v1/customer_statements?status=Final&per_page=2&page=2")
	require.Equal(t, []string{"1 AWS 2020-12 Final", "1 Azure 2020-12 Final"}, statementKeys(t, r))
	require.Equal(t, "6", r.Header.Get("X-Total"))
	require.Equal(t, "2", r.Header.Get("X-Per-Page"))
	require.Contains(t, r.Header.Get("Link"), `status=Final`)
	require.Contains(t, r.Header.Get("Link"), `rel="next"`)

	// The guide's trailing slash is the same list.
	require.Equal(t, statementKeys(t, ts.get("/v1/customer_statements")), statementKeys(t, ts.get("/v1/customer_statements/")))

	// The other partner sees its own customer's statement only.
	r = ts.do(request{Method: http.MethodGet, Path: "/v1/customer_statements", Key: otherKey})
	require.Len(t, statementKeys(t, r), 1)
}

// A statement shows every field of the guide, the amount as a JSON number,
// and the invoice only when it has one.
func TestStatementFields(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.get("/v1/customer_statements?billing_period=2020-12&client_api_id=" + fmt.Sprint(demoClientAPIID(ts, 1)))
	require.Equal(t, http.StatusOK, r.Status)
	items := r.Object()["billing_artifacts"].([]any)
	require.Equal(t, map[string]any{
		"customer_id": float64(1), "cloud": "AWS", "billing_period": "2020-12", "total_amount": 211523.09, "status": "Final",
		"detailed_billing_records_generation_time": "2020-12-23 23:59:11",
		"statement_generation_time":                "2020-12-23 23:59:41",
		"statement_summary_generation_time":        "2020-12-23 23:59:53",
		"currency":                                 map[string]any{"name": "USD", "symbol": "$"},
	}, items[0])
	r = ts.get("/v1/customer_statements?billing_period=2020-10")
	item := r.Object()["billing_artifacts"].([]any)[0].(map[string]any)
	require.Equal(t, "INV-2020-10-0001", item["invoice_id"])
	require.Equal(t, "2020-11-02", item["invoice_date"])
}

// Bad filters are 422s and unknown customers 404s, each a JSON error.
func TestStatementRefusals(t *testing.T) {
	ts := newTestServer(t, Options{})
	otherClient := demoClientAPIIDOther(ts)
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"status=final", 422},
		{"status=", 422},
		{"billing_period=2020-13", 422},
		{"billing_period=2020-1", 422},
		{"billing_period=december", 422},
		{"client_api_id=abc", 422},
		{"client_api_id=999999", 404},
		{fmt.Sprintf("client_api_id=%d", otherClient), 404},
	} {
		t.Run(tc.query, func(t *testing.T) {
			requireJSONError(t, ts.get("/v1/customer_statements?"+tc.query), tc.status)
		})
	}
}

// Deleting a customer removes its statements from every list.
func TestStatementsGoWithTheirCustomer(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Equal(t, http.StatusNoContent, ts.del("/v1/customers/2").Status)
	r := ts.get("/v1/customer_statements?status=Estimated")
	require.Equal(t, []string{"1 AWS 2021-01 Estimated"}, statementKeys(t, r))
	require.Equal(t, "1", r.Header.Get("X-Total"))
}
