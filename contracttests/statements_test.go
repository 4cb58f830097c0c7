package contracttests

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// Customer statements (docs/fidelity.md, "Customer statements and price
// books"): read-only, so every test runs against any target.

const statementsPath = "/v1/customer_statements"

var _ = addFamily(family{
	tag: "customer-statements",
	probes: func(p Profile) []probe {
		return []probe{{op: "listCustomerStatements", method: http.MethodGet, path: statementsPath}}
	},
})

var statementTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$`)

// statements reads one page of statements (query may be empty) and checks
// each item's shape beyond what openapi.yaml checks.
func statements(t *testing.T, query string) []map[string]any {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: statementsPath + "?" + query})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var body struct {
		Items []map[string]any `json:"billing_artifacts"`
	}
	r.decode(t, &body)
	for _, s := range body.Items {
		require.Regexp(t, statementTime, s["statement_generation_time"])
		require.IsType(t, float64(0), s["total_amount"], "total_amount is a JSON number")
	}
	return body.Items
}

// The list, each filter alone and together: every item matches what the
// request asked for.
func TestStatementsFilters(t *testing.T) {
	all := statements(t, "per_page=100")
	for _, s := range statements(t, "status=Final&per_page=100") {
		require.Equal(t, "Final", s["status"])
	}
	for _, s := range statements(t, "status=Estimated&per_page=100") {
		require.Equal(t, "Estimated", s["status"])
	}
	mine := statements(t, fmt.Sprintf("client_api_id=%d&per_page=100", suite.profile.ClientAPIID))
	for _, s := range mine {
		require.Equal(t, float64(suite.profile.CustomerID), s["customer_id"])
	}
	if len(all) == 0 {
		return
	}
	period, status := all[0]["billing_period"].(string), all[0]["status"].(string)
	both := statements(t, fmt.Sprintf("billing_period=%s&status=%s&per_page=100", period, status))
	require.NotEmpty(t, both, "the first statement matches its own period and status")
	for _, s := range both {
		require.Equal(t, period, s["billing_period"])
		require.Equal(t, status, s["status"])
	}
}

// The paging contract of every list.
func TestStatementsPaging(t *testing.T) {
	requireListPagingRules(t, statementsPath, "billing_artifacts")
}

// An unknown customer is a 404; a bad filter value a 422.
func TestStatementsRefused(t *testing.T) {
	requireError(t, do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?client_api_id=%d", statementsPath, suite.profile.UnknownClientAPIID)}), http.StatusNotFound)
	for _, q := range []string{"status=final", "billing_period=2020-13", "billing_period=2020-1", "client_api_id=abc"} {
		t.Run(q, func(t *testing.T) {
			requireError(t, do(t, call{method: http.MethodGet, path: statementsPath + "?" + q, invalid: true}), http.StatusUnprocessableEntity)
		})
	}
}
