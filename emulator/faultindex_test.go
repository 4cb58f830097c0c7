package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// The index of the fault rules picks what a scan of every rule in order
// would: the first rule added that matches, wherever it sits in the index.
func TestFaultIndexPicksTheFirstMatchingRule(t *testing.T) {
	rules := []FaultRule{
		{Path: "/v1/customers/{id}", Status: 500},                   // 1
		{PathPrefix: "/v1/cust", Status: 501},                       // 2: unfinished segment, indexed under v1
		{Method: "GET", Path: "/v1/customers/7", Status: 502},       // 3
		{PathPrefix: "/", Status: 503},                              // 4: the root
		{Path: "/{version}/customers", Status: 504},                 // 5: a parameter first
		{Path: "/api/v1/customers/7/aws_accounts", Status: 505},     // 6: deeper than the index
		{PathPrefix: "/api/v1/customers/7/aws_acc", Status: 506},    // 7
		{Method: "DELETE", Path: "/v1/customers/{id}", Status: 507}, // 8
	}
	cases := []struct {
		method, path string
		order        []int64 // the ids that match, in the order tried
	}{
		{"GET", "/v1/customers/7", []int64{1, 2, 3, 4}},
		{"DELETE", "/v1/customers/7", []int64{1, 2, 4, 8}},
		{"GET", "/v1/customers", []int64{2, 4, 5}},
		{"GET", "/v1/customersx", []int64{2, 4}},
		{"GET", "/v2/customers", []int64{4, 5}},
		{"GET", "/api/v1/customers/7/aws_accounts", []int64{4, 6, 7}},
		{"GET", "/api/v1/customers/7/aws_accounts/9", []int64{4, 7}},
		{"GET", "/", []int64{4}},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			f := &faults{}
			for _, rule := range rules {
				require.Empty(t, rule.normalize())
				_, err := f.add(rule)
				require.NoError(t, err)
			}
			req := httptest.NewRequest(c.method, c.path, nil)
			// Each pick answers the first matching rule; removing it shows the
			// next one.
			var got []int64
			for {
				fault, ok := f.pick(req)
				if !ok {
					break
				}
				got = append(got, fault.ID)
				require.True(t, f.remove(fault.ID))
			}
			require.Equal(t, c.order, got)
		})
	}
}

// Spent rules leave the index (and its empty nodes); clear empties it.
func TestFaultIndexRemovesSpentRules(t *testing.T) {
	f := &faults{}
	_, err := f.add(FaultRule{Path: "/v1/customers/5", Status: 500, Times: 2})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/v1/customers/5", nil)
	for range 2 {
		_, ok := f.pick(req)
		require.True(t, ok)
	}
	_, ok := f.pick(req)
	require.False(t, ok, "a spent rule still fires")
	require.Empty(t, f.list())
	require.Empty(t, f.root.children, "the empty nodes stay in the index")
	require.Zero(t, f.count.Load())

	_, err = f.add(FaultRule{PathPrefix: "/v1/", Status: 500})
	require.NoError(t, err)
	f.clear()
	_, ok = f.pick(req)
	require.False(t, ok)
}

// The 1,001st rule is refused; removing one makes room again.
func TestFaultRulesAreBounded(t *testing.T) {
	f := &faults{}
	for range maxFaultRules {
		_, err := f.add(FaultRule{Path: "/v1/customers", Status: 500})
		require.NoError(t, err)
	}
	_, err := f.add(FaultRule{Path: "/v1/customers", Status: 500})
	require.ErrorIs(t, err, errTooManyFaults)
	require.True(t, f.remove(1))
	_, err = f.add(FaultRule{Path: "/v1/customers", Status: 500})
	require.NoError(t, err)
}
