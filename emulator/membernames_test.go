package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A body's member names match exactly, as Rails' params do: "NAME" or
// "Owner_Id" is an unknown field, ignored, never taken for "name" or
// "owner_id" (encoding/json v1 matched them case-insensitively, so the
// emulator renamed a customer a real client's typo would have left alone).
// An update with only such fields answers 200 and changes nothing; a create
// that needs the field misses it.
func TestMemberNamesMatchExactly(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name         string
		method, path string
		body         string
		status       int
		errorHas     string
	}{
		{"a customer's name", http.MethodPut, customerPathOf(4), `{"NAME": "renamed by case"}`, http.StatusOK, ""},
		{"an address field", http.MethodPut, customerPathOf(4), `{"Address": {"city": "Elsewhere"}, "address": {"City": "Elsewhere"}}`, http.StatusOK, ""},
		{"a v1 assignment's owner id", http.MethodPost, assignmentsPath,
			`{"Owner_Id": "000000000005", "customer_id": 4, "payer_account_owner_id": "000000000005"}`, http.StatusUnprocessableEntity, `"owner_id is required"`},
		{"a v2 block's type", http.MethodPost, assignmentsV2Path,
			`{"aws_account_assignments": [{"target_client_api_id": 8, "Billing_Block_Type": "Standalone", "owner_id": "300000000101"}]}`, http.StatusUnprocessableEntity, `"billing_block_type":["is required"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.do(request{Method: tc.method, Path: tc.path, Key: demoKey, Body: tc.body})
				require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
				if tc.errorHas != "" {
					require.Contains(t, string(r.Body), tc.errorHas)
				}
			})
		})
	}
}

// The same holds for the body a price book assignment list may filter by,
// and, strictly, for the control API's bodies: there a name in another case
// is an unknown field and refused, as in a state document.
func TestMemberNamesMatchExactlyInFiltersAndControlBodies(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.do(request{Method: http.MethodGet, Path: "/v1/price_book_assignments", Key: demoKey, Body: `{"Target_Client_API_ID": 999999}`})
	require.Equal(t, http.StatusOK, r.Status, "an unknown field filters nothing: %s", r.Body)
	r = ts.do(request{Method: http.MethodGet, Path: "/v1/price_book_assignments", Key: demoKey, Body: `{"target_client_api_id": 999999}`})
	require.Equal(t, http.StatusNotFound, r.Status, "the exact name filters: %s", r.Body)

	r = ts.do(request{Method: http.MethodPost, Path: "/__emulator/faults", Body: `{"Method": "GET", "path": "/v1/customers", "status": 503}`})
	requireJSONError(t, r, http.StatusUnprocessableEntity)
	require.Contains(t, r.Error(), "Method")
	faults, err := ts.inst.Control.Faults()
	require.NoError(t, err)
	require.Empty(t, faults, "no rule was added")
}
