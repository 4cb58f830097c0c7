package emulator

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// The walk-through (docs/walkthrough.md) builds a customer's whole world
// through the API. TestREADMEExamples checks what each of its blocks prints;
// this test checks that every request succeeded and that the ids the page
// captures with sed are the ones it built, seen through the API.
func TestREADMEWalkthrough(t *testing.T) {
	sh, _ := runDocPage(t, "../docs/walkthrough.md")
	require.Greater(t, len(sh.statuses), 5, "the walk-through makes its requests")
	for i, status := range sh.statuses {
		require.True(t, status >= 200 && status < 300, "request %d of the walk-through answered %d", i+1, status)
	}
	ts := sh.ts
	customerID, err := strconv.Atoi(sh.vars["CUSTOMER_ID"])
	require.NoError(t, err, "CUSTOMER_ID %q", sh.vars["CUSTOMER_ID"])
	clientAPIID, err := strconv.Atoi(sh.vars["CLIENT_API_ID"])
	require.NoError(t, err, "CLIENT_API_ID %q", sh.vars["CLIENT_API_ID"])
	c := ts.get(customerPathOf(customerID)).Object()
	require.Equal(t, float64(clientAPIID), c["client_api_id"])
	assignments := dumpedCustomer(t, ts, int64(customerID)).AWSAccountAssignments
	require.Len(t, assignments, 1)
	require.Equal(t, "000000000003", assignments[0].OwnerID)
	azure := ts.get(fmt.Sprintf("/v1/azure_partner_customer_accounts/list/%d", clientAPIID)).Object()["azure_partner_customer_accounts"].([]any)
	require.Len(t, azure, 1)
	require.Equal(t, "kln456", azure[0].(map[string]any)["azure_partner_customer_account"].(map[string]any)["azure_customer_id"])
	require.Equal(t, "govcloud", ts.get(awsAccountPathOf(sh.vars["GOV_ID"], clientAPIID)).Object()["region"])
	require.Equal(t, "global", ts.get(awsAccountPathOf(sh.vars["COM_ID"], clientAPIID)).Object()["region"])
	linkages := dumpedCustomer(t, ts, int64(customerID)).GovcloudLinkages
	require.Len(t, linkages, 1)
	require.Equal(t, sh.vars["GOV_ID"], strconv.FormatInt(linkages[0].GovcloudAcctID, 10))
	require.Equal(t, sh.vars["COM_ID"], strconv.FormatInt(linkages[0].CommercialAcctID, 10))
}
