package contracttests

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// GovCloud linkages (the guide's GovCloud linkage pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "GovCloud
// linkages"). The API documents no DELETE for a linkage, so a linkage cannot
// be removed once created: the suite creates at most one, of the profile's
// first GovCloud account and its commercial account, and only when both are
// free; a later run finds that linkage and reuses it (profileLinkage). Every
// test that changes the linkage puts it back as it found it.

const linkagesPath = "/api/v1/govcloud_linkages"

var _ = addFamily(family{
	tag: "govcloud-linkages",
	probes: func(p Profile) []probe {
		one := linkagePath(p.UnknownLinkageID, p.GovcloudClientAPIID)
		return []probe{
			{op: "createGovcloudLinkage", method: http.MethodPost, path: linkagesOf(p.GovcloudClientAPIID), body: true},
			{op: "listGovcloudLinkages", method: http.MethodGet, path: linkagesOf(p.GovcloudClientAPIID)},
			{op: "getGovcloudLinkage", method: http.MethodGet, path: one},
			{op: "updateGovcloudLinkage", method: http.MethodPut, path: one, body: true},
		}
	},
})

// linkage is a GovCloud linkage as the API shows it.
type linkage struct {
	ID             int64  `json:"id"`
	CustomerID     int64  `json:"customer_id"`
	GovcloudAcct   int64  `json:"govcloud_acct"`
	CommercialAcct int64  `json:"commercial_acct"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

// linkagesOf is the collection path of a customer's linkages.
func linkagesOf(clientAPIID int64) string {
	return fmt.Sprintf("%s?client_api_id=%d", linkagesPath, clientAPIID)
}

// linkagePath is the path of one linkage of a customer.
func linkagePath(id, clientAPIID int64) string {
	return fmt.Sprintf("%s/%d?client_api_id=%d", linkagesPath, id, clientAPIID)
}

// linkageBody is a create or update body; a nil id is left out.
func linkageBody(gov, com *int64) map[string]any {
	b := map[string]any{}
	if gov != nil {
		b["govcloud_acct_id"] = *gov
	}
	if com != nil {
		b["commercial_acct_id"] = *com
	}
	return b
}

func ref(id int64) *int64 { return &id }

// listLinkages reads a customer's linkages (a top-level array, not paged).
func listLinkages(t *testing.T, clientAPIID int64) []linkage {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: linkagesOf(clientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var out []linkage
	r.decode(t, &out)
	return out
}

// getLinkage reads one linkage of the profile's GovCloud customer.
func getLinkage(t *testing.T, id int64) linkage {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: linkagePath(id, suite.profile.GovcloudClientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var l linkage
	r.decode(t, &l)
	return l
}

// putLinkage updates a linkage of the profile's GovCloud customer and
// checks the 200 answer.
func putLinkage(t *testing.T, id int64, body any) linkage {
	t.Helper()
	r := do(t, call{method: http.MethodPut, path: linkagePath(id, suite.profile.GovcloudClientAPIID), body: body})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var l linkage
	r.decode(t, &l)
	return l
}

// profileLinkage returns the linkage of the profile's first GovCloud account
// (or the second, which tests switch to for a while) and its commercial
// account: the one this run or an earlier one created, found in the list, or
// else a new one. Creating it is the one write of the suite that nothing can
// undo (the API has no DELETE for linkages): against the in-process emulator
// TestMain accepts it as left behind; a real account keeps it, and later runs
// reuse it.
func profileLinkage(t *testing.T) linkage {
	t.Helper()
	requireWrites(t)
	p := suite.profile
	for _, l := range listLinkages(t, p.GovcloudClientAPIID) {
		if l.CommercialAcct == p.CommercialAcctID && slices.Contains(p.GovcloudAcctIDs, l.GovcloudAcct) {
			return l
		}
	}
	r := do(t, call{method: http.MethodPost, path: linkagesOf(p.GovcloudClientAPIID), body: linkageBody(ref(p.GovcloudAcctIDs[0]), ref(p.CommercialAcctID))})
	if r.status == http.StatusOK {
		var l linkage
		r.decode(t, &l)
		suite.leftLinkages = append(suite.leftLinkages, l)
	}
	require.Equal(t, http.StatusOK, r.status,
		"creating the linkage of govcloud_acct_ids[0] and commercial_acct_id (the profile must name accounts in no linkage, contracttests/README.md); body: %s", r.body)
	var l linkage
	r.decode(t, &l)
	require.Equal(t, linkage{ID: l.ID, CustomerID: p.GovcloudCustomerID, GovcloudAcct: p.GovcloudAcctIDs[0], CommercialAcct: p.CommercialAcctID,
		CreatedAt: l.CreatedAt, UpdatedAt: l.CreatedAt}, l, "create is 200 with the object, names govcloud_acct and commercial_acct, updated_at = created_at")
	return l
}

// restoreLinkage puts the linkage back on the GovCloud account it had (a
// test's cleanup).
func restoreLinkage(t *testing.T, l linkage) {
	r := do(t, call{method: http.MethodPut, path: linkagePath(l.ID, suite.profile.GovcloudClientAPIID),
		body: linkageBody(ref(l.GovcloudAcct), ref(l.CommercialAcct))})
	if r.status != http.StatusOK {
		t.Errorf("cleanup: putting linkage %d back on %d and %d answered %d: %s", l.ID, l.GovcloudAcct, l.CommercialAcct, r.status, r.body)
	}
}

// The linkage of the profile's accounts: read, listed, updated with nothing,
// moved to the other GovCloud account and back, and not deletable.
func TestGovcloudLinkageLifecycle(t *testing.T) {
	l := profileLinkage(t)
	p := suite.profile
	require.Equal(t, l, getLinkage(t, l.ID))
	require.Contains(t, listLinkages(t, p.GovcloudClientAPIID), l)

	require.Equal(t, l, putLinkage(t, l.ID, map[string]any{}), "PUT {} changes nothing")
	// Clients send the read-only fields back; they are ignored.
	require.Equal(t, l, putLinkage(t, l.ID, map[string]any{"id": l.ID, "created_at": l.CreatedAt, "govcloud_acct_id": l.GovcloudAcct}))

	other := p.GovcloudAcctIDs[0]
	if other == l.GovcloudAcct {
		other = p.GovcloudAcctIDs[1]
	}
	t.Cleanup(func() { restoreLinkage(t, l) })
	moved := putLinkage(t, l.ID, linkageBody(ref(other), nil))
	require.Equal(t, linkage{ID: l.ID, CustomerID: l.CustomerID, GovcloudAcct: other, CommercialAcct: l.CommercialAcct,
		CreatedAt: l.CreatedAt, UpdatedAt: moved.UpdatedAt}, moved, "the GovCloud account changes, created_at does not")
	require.GreaterOrEqual(t, moved.UpdatedAt, l.UpdatedAt, "updated_at moves forward")
	require.Equal(t, moved, getLinkage(t, l.ID))

	back := putLinkage(t, l.ID, linkageBody(ref(l.GovcloudAcct), ref(l.CommercialAcct)))
	require.Equal(t, l.GovcloudAcct, back.GovcloudAcct)

	// No DELETE is documented, and none is served: the linkage stays.
	requireError(t, do(t, call{method: http.MethodDelete, path: linkagePath(l.ID, p.GovcloudClientAPIID), invalid: true}), http.StatusNotFound)
	require.Equal(t, back, getLinkage(t, l.ID))
}

// The list: a top-level array of the customer's linkages ordered by id, each
// readable on its own; api_key in the query works too.
func TestGovcloudLinkageList(t *testing.T) {
	p := suite.profile
	all := listLinkages(t, p.GovcloudClientAPIID)
	for i, l := range all {
		require.Equal(t, p.GovcloudCustomerID, l.CustomerID)
		if i > 0 {
			require.Less(t, all[i-1].ID, l.ID, "ordered by id")
		}
		require.Equal(t, l, getLinkage(t, l.ID))
	}
	r := do(t, call{method: http.MethodGet, path: linkagesOf(p.GovcloudClientAPIID), auth: authQuery})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, byte('['), r.body[0], "a top-level array: %s", r.body)
}

// Every failed rule of a create is reported in one 422, and nothing is
// created. The profile's linkage exists first, so that its accounts are
// "already in a GovCloud linkage".
func TestGovcloudLinkageCreateRules(t *testing.T) {
	l := profileLinkage(t)
	p := suite.profile
	free := p.GovcloudAcctIDs[1]
	if free == l.GovcloudAcct {
		free = p.GovcloudAcctIDs[0]
	}
	unknown := p.UnknownAWSAccountID
	cases := []struct {
		name    string
		body    map[string]any
		min     int  // at least this many messages
		invalid bool // the body breaks the request schema (a field missing)
	}{
		{"nothing given", linkageBody(nil, nil), 1, true},
		{"commercial account missing", linkageBody(ref(free), nil), 1, true},
		{"accounts not the customer's", linkageBody(ref(unknown), ref(unknown+1)), 2, false},
		{"commercial account already linked", linkageBody(ref(free), ref(l.CommercialAcct)), 1, false},
		{"GovCloud account already linked", linkageBody(ref(l.GovcloudAcct), ref(unknown)), 2, false},
		{"sides swapped: a commercial GovCloud account and a GovCloud commercial one", linkageBody(ref(l.CommercialAcct), ref(free)), 2, false},
		{"one account on both sides", linkageBody(ref(free), ref(free)), 1, false},
	}
	before := listLinkages(t, p.GovcloudClientAPIID)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := requireErrors(t, do(t, call{method: http.MethodPost, path: linkagesOf(p.GovcloudClientAPIID), body: tc.body, invalid: tc.invalid}))
			require.GreaterOrEqual(t, len(errs), tc.min, "errors: %q", errs)
		})
	}
	require.Equal(t, before, listLinkages(t, p.GovcloudClientAPIID), "a refused create creates nothing")
}

// An update is checked against every rule, ignoring the linkage itself; a
// refused one changes nothing.
func TestGovcloudLinkageUpdateRules(t *testing.T) {
	l := profileLinkage(t)
	p := suite.profile
	t.Cleanup(func() { restoreLinkage(t, l) }) // should the target accept one after all
	cases := []struct {
		name string
		body map[string]any
	}{
		{"a GovCloud account on the commercial side", linkageBody(nil, ref(p.GovcloudAcctIDs[1]))},
		{"the commercial account on the GovCloud side", linkageBody(ref(l.CommercialAcct), nil)},
		{"an account not the customer's", linkageBody(ref(p.UnknownAWSAccountID), nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireErrors(t, do(t, call{method: http.MethodPut, path: linkagePath(l.ID, p.GovcloudClientAPIID), body: tc.body}))
			require.Equal(t, l, getLinkage(t, l.ID), "a refused update changes nothing")
		})
	}
}

// Bodies that are not a JSON object of integer ids, or not sent as
// application/json: 422 {"errors": [...]} on create and update, and nothing
// changes.
func TestGovcloudLinkageBadBodies(t *testing.T) {
	l := profileLinkage(t)
	p := suite.profile
	cases := []struct {
		name, contentType string
		body              any
	}{
		{"malformed JSON", "", `{"govcloud_acct_id": 1,`},
		{"trailing data", "", `{} {}`},
		{"a bare array", "", `[1, 2]`},
		{"strings for ids", "", map[string]any{"govcloud_acct_id": fmt.Sprint(p.GovcloudAcctIDs[1]), "commercial_acct_id": fmt.Sprint(p.CommercialAcctID)}},
		{"nulls", "", `{"govcloud_acct_id": null, "commercial_acct_id": null}`},
		{"a fraction", "", `{"govcloud_acct_id": 1.5, "commercial_acct_id": 2}`},
		{"form-encoded", "application/x-www-form-urlencoded", fmt.Sprintf("govcloud_acct_id=%d&commercial_acct_id=%d", p.GovcloudAcctIDs[1], p.CommercialAcctID)},
		{"text/plain", "text/plain", "{}"},
	}
	before := listLinkages(t, p.GovcloudClientAPIID)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireErrors(t, do(t, call{method: http.MethodPost, path: linkagesOf(p.GovcloudClientAPIID), body: tc.body, contentType: tc.contentType, invalid: true}))
			requireErrors(t, do(t, call{method: http.MethodPut, path: linkagePath(l.ID, p.GovcloudClientAPIID), body: tc.body, contentType: tc.contentType, invalid: true}))
		})
	}
	require.Equal(t, before, listLinkages(t, p.GovcloudClientAPIID))
}

// client_api_id is required on every call and is an integer: missing or not
// an integer, 422 {"errors": [...]}.
func TestGovcloudClientAPIIDParameter(t *testing.T) {
	p := suite.profile
	for _, q := range []string{"", "?client_api_id=", "?client_api_id=abc", "?client_api_id=1.5"} {
		t.Run("query "+q, func(t *testing.T) {
			requireErrors(t, do(t, call{method: http.MethodGet, path: linkagesPath + q, invalid: true}))
			requireErrors(t, do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s/%d%s", linkagesPath, p.UnknownLinkageID, q), invalid: true}))
			t.Run("writes", func(t *testing.T) {
				requireWrites(t)
				body := linkageBody(ref(p.GovcloudAcctIDs[1]), ref(p.CommercialAcctID))
				requireErrors(t, do(t, call{method: http.MethodPost, path: linkagesPath + q, body: body, invalid: true}))
				requireErrors(t, do(t, call{method: http.MethodPut, path: fmt.Sprintf("%s/%d%s", linkagesPath, p.UnknownLinkageID, q), body: body, invalid: true}))
			})
		})
	}
}

// An unknown client_api_id, or a linkage id the customer has none with: 404
// on every operation, before the body is looked at; so is a non-integer id
// (no route), and another customer's linkage.
func TestGovcloudUnknownIDs(t *testing.T) {
	p := suite.profile
	requireError(t, do(t, call{method: http.MethodGet, path: linkagesOf(p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: linkagePath(p.UnknownLinkageID, p.GovcloudClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: linkagePath(p.UnknownLinkageID, p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s/abc?client_api_id=%d", linkagesPath, p.GovcloudClientAPIID), invalid: true}), http.StatusNotFound)

	t.Run("writes", func(t *testing.T) {
		requireWrites(t)
		body := linkageBody(ref(p.GovcloudAcctIDs[1]), ref(p.CommercialAcctID))
		for _, path := range []string{linkagesOf(p.UnknownClientAPIID)} {
			requireError(t, do(t, call{method: http.MethodPost, path: path, body: body}), http.StatusNotFound)
			requireError(t, do(t, call{method: http.MethodPost, path: path, body: `{`, invalid: true}), http.StatusNotFound)
		}
		for _, path := range []string{linkagePath(p.UnknownLinkageID, p.GovcloudClientAPIID), linkagePath(p.UnknownLinkageID, p.UnknownClientAPIID)} {
			requireError(t, do(t, call{method: http.MethodPut, path: path, body: linkageBody(nil, ref(p.CommercialAcctID))}), http.StatusNotFound)
			requireError(t, do(t, call{method: http.MethodPut, path: path, body: `{`, invalid: true}), http.StatusNotFound)
		}
		if p.ClientAPIID != p.GovcloudClientAPIID {
			// The linkage is the GovCloud customer's, not the other one's.
			l := profileLinkage(t)
			requireError(t, do(t, call{method: http.MethodGet, path: linkagePath(l.ID, p.ClientAPIID)}), http.StatusNotFound)
			requireError(t, do(t, call{method: http.MethodPut, path: linkagePath(l.ID, p.ClientAPIID), body: map[string]any{}}), http.StatusNotFound)
			require.NotContains(t, listLinkages(t, p.ClientAPIID), l)
			require.Equal(t, l, getLinkage(t, l.ID))
		}
	})
}
