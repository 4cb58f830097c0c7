package contracttests

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// Deleting a customer deletes its AWS account assignments, GovCloud linkages
// and own AWS accounts, and unassigns its Azure partner customer accounts
// (docs/fidelity.md, "Partner customers": DELETE). The test builds all of it
// on a customer it creates itself, so it never deletes anything it did not
// make: the assignment of one of the profile's assignable owner ids, one of
// the profile's Azure ids, two accounts of its own and their linkage (which
// only this delete can remove). Afterwards the owner id and the Azure id are
// free again.
func TestCustomerDeleteCascades(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	c := createCustomer(t, guideCustomer(t)) // partner billing enabled
	cid := idOf(t, c)
	capi := int64(c["client_api_id"].(float64))
	owner, azureID := p.AssignableOwnerIDs[0], p.AzureCustomerIDs[0]

	// Cleanups for a test that fails before the delete (they run before the
	// customer's own, and find nothing left once the delete has cascaded).
	t.Cleanup(func() {
		for _, a := range listAssignments(t) {
			if a.CustomerID == cid {
				if r := do(t, call{method: http.MethodDelete, path: assignmentPath(a.ID)}); r.status != http.StatusNoContent && r.status != http.StatusNotFound {
					t.Errorf("cleanup: deleting assignment %d answered %d: %s", a.ID, r.status, r.body)
				}
			}
		}
	})
	r := do(t, call{method: http.MethodPost, path: assignmentsPath, body: map[string]any{"owner_id": owner, "customer_id": cid, "payer_account_owner_id": owner}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var a assignment
	r.decode(t, &a)

	t.Cleanup(func() {
		if r := do(t, call{method: http.MethodGet, path: azureListPath(capi)}); r.status == http.StatusOK {
			azureUnassign(t, capi, azureID)
		}
	})
	require.NotNil(t, azureChange(t, azureAddPath(capi), azureID)[0].Account, "Azure id %s assigned", azureID)

	gov := createAWSAccount(t, capi, govcloudAccount(t))
	body, _ := guideAccount(t)
	com := createAWSAccount(t, capi, body)
	r = do(t, call{method: http.MethodPost, path: linkagesOf(capi), body: linkageBody(ref(idOf(t, gov)), ref(idOf(t, com)))})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var l linkage
	r.decode(t, &l)
	require.Equal(t, cid, l.CustomerID)

	// While the linkage and the assignment exist, their accounts cannot go.
	requireError(t, do(t, call{method: http.MethodDelete, path: awsAccountPath(idOf(t, gov), capi)}), http.StatusUnprocessableEntity)
	require.Equal(t, gov, getAWSAccount(t, idOf(t, gov), capi))
	customerAccounts := listAll(t, awsAccountsOf(capi), "aws_accounts")
	require.Len(t, customerAccounts, 3, "the two accounts created and the one the assignment created")

	r = do(t, call{method: http.MethodDelete, path: customerPath(cid)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Empty(t, r.body)

	requireError(t, do(t, call{method: http.MethodGet, path: customerPath(cid)}), http.StatusNotFound)
	for _, x := range listAll(t, customersPath, "customers") {
		require.NotEqual(t, cid, idOf(t, x), "the customer is not listed")
	}
	_, status := getAssignment(t, a.ID)
	require.Equal(t, http.StatusNotFound, status, "its assignment is gone")
	require.NotContains(t, listAssignments(t), a)
	require.NotContains(t, assignedIDs(azureList(t, azurePath+"/list")), azureID, "its Azure account is unassigned")
	requireError(t, do(t, call{method: http.MethodGet, path: azureListPath(capi)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: linkagesOf(capi)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: linkagePath(l.ID, capi)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountsOf(capi)}), http.StatusNotFound)
	for _, x := range customerAccounts {
		requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(idOf(t, x), 0)}), http.StatusNotFound)
	}
	// The partner's own account of the owner id stays.
	owners := []any{}
	for _, x := range listAll(t, awsAccountsPath, "aws_accounts") {
		owners = append(owners, x["owner_id"])
	}
	require.True(t, slices.Contains(owners, any(owner)), "the partner's account %s stays", owner)

	// The owner id and the Azure id can be assigned again.
	createAssignment(t, owner, owner)
	azureAssign(t, p.ClientAPIID, azureID)
}
