package contracttests

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Azure partner customer account assignments (the guide's Azure assignment
// pages, https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "Azure
// partner customer account assignments").

const azurePath = "/v1/azure_partner_customer_accounts"

var _ = addFamily(family{
	tag: "azure-assignments",
	probes: func(p Profile) []probe {
		return []probe{
			{op: "addAzurePartnerCustomerAccounts", method: http.MethodPut, path: azureAddPath(p.ClientAPIID), body: true},
			{op: "removeAzurePartnerCustomerAccounts", method: http.MethodPut, path: azureRemovePath(p.ClientAPIID), body: true},
			{op: "listAzurePartnerCustomerAccounts", method: http.MethodGet, path: azurePath + "/list"},
			{op: "listCustomerAzurePartnerCustomerAccounts", method: http.MethodGet, path: azureListPath(p.ClientAPIID)},
		}
	},
})

func azureAddPath(clientAPIID int64) string { return fmt.Sprintf("%s/add/%d", azurePath, clientAPIID) }
func azureRemovePath(clientAPIID int64) string {
	return fmt.Sprintf("%s/remove/%d", azurePath, clientAPIID)
}
func azureListPath(clientAPIID int64) string {
	return fmt.Sprintf("%s/list/%d", azurePath, clientAPIID)
}

// azureAccount is an Azure partner customer account as the API shows it.
type azureAccount struct {
	Name            string `json:"name"`
	Domain          string `json:"domain"`
	AzureCustomerID string `json:"azure_customer_id"`
	CreatedAt       string `json:"created_at"`
	UpdatedAt       string `json:"updated_at"`
}

// azureItem is one item of a 207 or of a list: a success (the account, and
// on add and in lists the customer's name) or an error.
type azureItem struct {
	CustomerTenantName string        `json:"customer_tenant_name,omitempty"`
	Account            *azureAccount `json:"azure_partner_customer_account,omitempty"`
	HTTPStatus         int           `json:"http_status,omitempty"`
	Error              string        `json:"error,omitempty"`
	AzureCustomerID    string        `json:"azure_customer_id,omitempty"`
}

// id is the Azure customer id the item is about.
func (it azureItem) id() string {
	if it.Account != nil {
		return it.Account.AzureCustomerID
	}
	return it.AzureCustomerID
}

type azureItems struct {
	Items []azureItem `json:"azure_partner_customer_accounts"`
}

// azureChange sends an add or remove (path) of ids and returns the 207's items.
func azureChange(t *testing.T, path string, ids ...string) []azureItem {
	t.Helper()
	r := do(t, call{method: http.MethodPut, path: path, body: map[string]any{"azure_customer_ids": ids}})
	require.Equal(t, http.StatusMultiStatus, r.status, "body: %s", r.body)
	var out azureItems
	r.decode(t, &out)
	require.Len(t, out.Items, len(ids), "one item per requested id")
	for i, it := range out.Items {
		require.Equal(t, ids[i], it.id(), "items in request order")
	}
	return out.Items
}

// azureAssign adds ids to the customer, expects every item to succeed, and
// removes them from it when the test ends.
func azureAssign(t *testing.T, clientAPIID int64, ids ...string) []azureItem {
	t.Helper()
	t.Cleanup(func() { azureUnassign(t, clientAPIID, ids...) })
	items := azureChange(t, azureAddPath(clientAPIID), ids...)
	for _, it := range items {
		require.NotNil(t, it.Account, "success item for %s: %+v", it.id(), it)
		require.NotEmpty(t, it.CustomerTenantName)
	}
	return items
}

// azureUnassign removes the ids that are still assigned to the customer (a
// test's cleanup: each id on its own, so that one already removed does not
// keep the others assigned).
func azureUnassign(t *testing.T, clientAPIID int64, ids ...string) {
	assigned := map[string]bool{}
	for _, it := range azureList(t, azureListPath(clientAPIID)) {
		assigned[it.id()] = true
	}
	for _, id := range ids {
		if assigned[id] {
			r := do(t, call{method: http.MethodPut, path: azureRemovePath(clientAPIID), body: map[string]any{"azure_customer_ids": []string{id}}})
			if r.status != http.StatusMultiStatus {
				t.Errorf("cleanup: removing %s from %d answered %d: %s", id, clientAPIID, r.status, r.body)
			}
		}
	}
}

// azureList reads a list (every assignment, or one customer's).
func azureList(t *testing.T, path string) []azureItem {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: path})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var out azureItems
	r.decode(t, &out)
	return out.Items
}

// assignedIDs are the Azure ids a list shows.
func assignedIDs(items []azureItem) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.id())
	}
	return out
}

// Add, list, add again (idempotent), remove: every item a success, every
// list agreeing, every success item the same account.
func TestAzureAssignAndRemove(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	ids := p.AzureCustomerIDs[:2]
	added := azureAssign(t, p.ClientAPIID, ids...)
	name := added[0].CustomerTenantName
	require.Equal(t, name, added[1].CustomerTenantName)

	mine := azureList(t, azureListPath(p.ClientAPIID))
	all := azureList(t, azurePath+"/list")
	for _, a := range added {
		require.Contains(t, mine, a)
		require.Contains(t, all, a)
	}

	again := azureChange(t, azureAddPath(p.ClientAPIID), ids...)
	require.Equal(t, added, again, "adding what is already assigned to the customer succeeds and changes nothing")

	removed := azureChange(t, azureRemovePath(p.ClientAPIID), ids...)
	for i, it := range removed {
		require.Equal(t, azureItem{Account: added[i].Account}, it, "a removal success carries the account only")
	}
	require.NotSubset(t, assignedIDs(azureList(t, azureListPath(p.ClientAPIID))), ids[:1])
	require.NotSubset(t, assignedIDs(azureList(t, azureListPath(p.ClientAPIID))), ids[1:])
}

// One failing item and nothing of the request is applied, though the items
// that would have succeeded are listed as successes.
func TestAzureAllOrNothing(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	ok, unknown := p.AzureCustomerIDs[0], p.UnknownAzureCustomerID
	t.Cleanup(func() { azureUnassign(t, p.ClientAPIID, ok) })

	items := azureChange(t, azureAddPath(p.ClientAPIID), ok, unknown)
	require.NotNil(t, items[0].Account, "the id that would succeed is listed as a success")
	require.Equal(t, azureItem{HTTPStatus: 422, Error: "azure_customer_id not found", AzureCustomerID: unknown}, items[1])
	require.NotContains(t, assignedIDs(azureList(t, azureListPath(p.ClientAPIID))), ok, "nothing of the request was assigned")

	azureAssign(t, p.ClientAPIID, ok)
	items = azureChange(t, azureRemovePath(p.ClientAPIID), ok, unknown)
	require.NotNil(t, items[0].Account)
	require.Equal(t, azureItem{HTTPStatus: 422, Error: "azure_customer_id not found", AzureCustomerID: unknown}, items[1])
	require.Contains(t, assignedIDs(azureList(t, azureListPath(p.ClientAPIID))), ok, "nothing of the request was removed")
}

// An id assigned to one customer cannot be added to another, nor removed
// from a customer it is not assigned to.
func TestAzureOtherCustomer(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	id, free := p.AzureCustomerIDs[0], p.AzureCustomerIDs[1]
	t.Cleanup(func() { azureUnassign(t, p.SecondClientAPIID, id) }) // should the target assign it after all
	azureAssign(t, p.ClientAPIID, id)

	items := azureChange(t, azureAddPath(p.SecondClientAPIID), id)
	require.Equal(t, azureItem{HTTPStatus: 422, Error: "azure_customer_id already assigned to another customer", AzureCustomerID: id}, items[0])
	items = azureChange(t, azureRemovePath(p.SecondClientAPIID), id)
	require.Equal(t, azureItem{HTTPStatus: 422, Error: "azure_customer_id not assigned to this customer", AzureCustomerID: id}, items[0])
	items = azureChange(t, azureRemovePath(p.ClientAPIID), free)
	require.Equal(t, azureItem{HTTPStatus: 422, Error: "azure_customer_id not assigned to this customer", AzureCustomerID: free}, items[0])
	require.Contains(t, assignedIDs(azureList(t, azureListPath(p.ClientAPIID))), id)
	require.NotContains(t, assignedIDs(azureList(t, azureListPath(p.SecondClientAPIID))), id)
}

// Bodies that are not {"azure_customer_ids": [<non-empty string>, ...]}, or
// not sent as application/json: 422 {"error": "..."}; an unknown
// client_api_id: 404, before the body is looked at.
func TestAzureBadRequests(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	cases := []struct {
		name, contentType string
		body              any
	}{
		{"no ids", "", map[string]any{"azure_customer_ids": []string{}}},
		{"an empty id", "", map[string]any{"azure_customer_ids": []string{""}}},
		{"ids missing", "", map[string]any{}},
		{"an id as a number", "", map[string]any{"azure_customer_ids": []any{1}}},
		{"malformed JSON", "", `{"azure_customer_ids": [`},
		{"form-encoded", "application/x-www-form-urlencoded", "azure_customer_ids=" + p.AzureCustomerIDs[0]},
	}
	before := azureList(t, azurePath+"/list")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{azureAddPath(p.ClientAPIID), azureRemovePath(p.ClientAPIID)} {
				requireError(t, do(t, call{method: http.MethodPut, path: path, body: tc.body, contentType: tc.contentType, invalid: true}), http.StatusUnprocessableEntity)
			}
		})
	}
	ids := map[string]any{"azure_customer_ids": p.AzureCustomerIDs[:1]}
	for _, path := range []string{azureAddPath(p.UnknownClientAPIID), azureRemovePath(p.UnknownClientAPIID)} {
		requireError(t, do(t, call{method: http.MethodPut, path: path, body: ids}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPut, path: path, body: `{`, invalid: true}), http.StatusNotFound)
	}
	require.Equal(t, before, azureList(t, azurePath+"/list"), "nothing changed")
}

// The lists: each item a success item; one customer's list is the part of the
// whole list with its name; an unknown or non-integer client_api_id is a 404.
func TestAzureLists(t *testing.T) {
	p := suite.profile
	all := azureList(t, azurePath+"/list")
	mine := azureList(t, azureListPath(p.ClientAPIID))
	for _, it := range mine {
		require.Contains(t, all, it)
		require.Equal(t, mine[0].CustomerTenantName, it.CustomerTenantName)
	}
	for _, it := range all {
		require.NotNil(t, it.Account)
		require.NotEmpty(t, it.CustomerTenantName)
	}
	r := do(t, call{method: http.MethodGet, path: azurePath + "/list", auth: authQuery})
	require.Equal(t, http.StatusOK, r.status)

	requireError(t, do(t, call{method: http.MethodGet, path: azureListPath(p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: azurePath + "/list/abc", invalid: true}), http.StatusNotFound)
}
