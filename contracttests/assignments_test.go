package contracttests

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// AWS account assignments, version 1 (the guide's assignment pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "AWS account
// assignments (v1)").

const assignmentsPath = "/v1/aws_account_assignments"

var _ = addFamily(family{
	tag: "aws-account-assignments",
	probes: func(p Profile) []probe {
		one := assignmentPath(p.UnknownAssignmentID)
		return []probe{
			{op: "createAwsAccountAssignment", method: http.MethodPost, path: assignmentsPath, body: true},
			{op: "listAwsAccountAssignments", method: http.MethodGet, path: assignmentsPath},
			{op: "getAwsAccountAssignment", method: http.MethodGet, path: one},
			{op: "updateAwsAccountAssignment", method: http.MethodPut, path: one, body: true},
			{op: "deleteAwsAccountAssignment", method: http.MethodDelete, path: one},
		}
	},
})

// assignment is an AWS account assignment as the API shows it.
type assignment struct {
	ID         int64  `json:"id"`
	OwnerID    string `json:"owner_id"`
	CustomerID int64  `json:"customer_id"`
	Payer      string `json:"payer_account_owner_id"`
}

func assignmentPath(id int64) string { return fmt.Sprintf("%s/%d", assignmentsPath, id) }

// createAssignment creates an assignment of owner to the profile's customer
// with payer and checks the 200 answer. Before it sends anything it registers
// the cleanup that deletes the customer's assignment of owner, so that even a
// create the test fails on (a 201, a broken body) is removed.
func createAssignment(t *testing.T, owner, payer string) assignment {
	t.Helper()
	t.Cleanup(func() { deleteAssignmentsOf(t, owner) })
	r := do(t, call{method: http.MethodPost, path: assignmentsPath,
		body: map[string]any{"owner_id": owner, "customer_id": suite.profile.CustomerID, "payer_account_owner_id": payer}})
	require.Equal(t, http.StatusOK, r.status, "create is 200, not 201; body: %s", r.body)
	var a assignment
	r.decode(t, &a)
	require.Equal(t, assignment{ID: a.ID, OwnerID: owner, CustomerID: suite.profile.CustomerID, Payer: payer}, a)
	requireLocation(t, r, a.ID)
	return a
}

// deleteAssignmentsOf deletes the profile customer's assignments of owner
// (a test's cleanup; there is at most one, unless the target broke rule 3).
func deleteAssignmentsOf(t *testing.T, owner string) {
	for _, a := range listAssignments(t) {
		if a.OwnerID != owner || a.CustomerID != suite.profile.CustomerID {
			continue
		}
		r := do(t, call{method: http.MethodDelete, path: assignmentPath(a.ID)})
		if r.status != http.StatusNoContent && r.status != http.StatusNotFound {
			t.Errorf("cleanup: deleting assignment %d answered %d: %s", a.ID, r.status, r.body)
		}
	}
}

// requireLocation checks the Location header: the absolute URL of assignment id.
func requireLocation(t *testing.T, r reply, id int64) {
	t.Helper()
	loc, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	require.True(t, loc.IsAbs(), "Location %q is not absolute", loc)
	require.Equal(t, assignmentPath(id), loc.Path)
}

// getAssignment reads one assignment and returns it with its status.
func getAssignment(t *testing.T, id int64) (assignment, int) {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: assignmentPath(id)})
	var a assignment
	if r.status == http.StatusOK {
		r.decode(t, &a)
	} else {
		requireError(t, r, http.StatusNotFound)
	}
	return a, r.status
}

// listAssignments reads every page of the partner's assignments.
func listAssignments(t *testing.T) []assignment {
	t.Helper()
	var all []assignment
	for page := 1; ; page++ {
		r := do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?per_page=100&page=%d", assignmentsPath, page)})
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var body struct {
			Items []assignment `json:"aws_account_assignments"`
		}
		r.decode(t, &body)
		all = append(all, body.Items...)
		total, err := strconv.Atoi(r.header.Get("X-Total"))
		require.NoError(t, err)
		if len(body.Items) == 0 || len(all) >= total {
			return all
		}
	}
}

// Create, read, list, update with nothing, delete: the life of a standalone
// assignment, with each answer's status, headers and body.
func TestAssignmentLifecycle(t *testing.T) {
	requireWrites(t)
	owner := suite.profile.AssignableOwnerIDs[0]
	a := createAssignment(t, owner, owner)

	got, status := getAssignment(t, a.ID)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, a, got)
	require.Contains(t, listAssignments(t), a)

	r := do(t, call{method: http.MethodPut, path: assignmentPath(a.ID), body: map[string]any{}})
	require.Equal(t, http.StatusOK, r.status, "PUT {} changes nothing; body: %s", r.body)
	var same assignment
	r.decode(t, &same)
	require.Equal(t, a, same)
	requireLocation(t, r, a.ID)

	// Clients send the read-only id back on writes; it is ignored.
	r = do(t, call{method: http.MethodPut, path: assignmentPath(a.ID), body: map[string]any{"id": a.ID, "owner_id": owner}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)

	r = do(t, call{method: http.MethodDelete, path: assignmentPath(a.ID)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Empty(t, r.body)
	_, status = getAssignment(t, a.ID)
	require.Equal(t, http.StatusNotFound, status)
	require.NotContains(t, listAssignments(t), a)
}

// A consolidated assignment with a linked one: the consolidated one cannot be
// deleted while the linked one names it as payer; once the linked one is
// made standalone, it can.
func TestAssignmentConsolidatedAndLinked(t *testing.T) {
	requireWrites(t)
	payer, linked := suite.profile.AssignableOwnerIDs[0], suite.profile.AssignableOwnerIDs[1]
	head := createAssignment(t, payer, payer)
	link := createAssignment(t, linked, payer)

	errs := requireErrors(t, do(t, call{method: http.MethodDelete, path: assignmentPath(head.ID)}))
	require.NotEmpty(t, errs)
	got, status := getAssignment(t, head.ID)
	require.Equal(t, http.StatusOK, status, "a refused delete leaves the assignment")
	require.Equal(t, head, got)

	r := do(t, call{method: http.MethodPut, path: assignmentPath(link.ID), body: map[string]any{"payer_account_owner_id": linked}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var standalone assignment
	r.decode(t, &standalone)
	require.Equal(t, assignment{ID: link.ID, OwnerID: linked, CustomerID: link.CustomerID, Payer: linked}, standalone)

	r = do(t, call{method: http.MethodDelete, path: assignmentPath(head.ID)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
}

// Every failed rule is reported in one 422, and nothing is created.
func TestAssignmentRulesAreReportedTogether(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	owner := p.AssignableOwnerIDs[0]
	cases := []struct {
		name string
		body map[string]any
		min  int // at least this many messages
	}{
		{"nothing given", map[string]any{}, 1},
		{"rule 4 and rule 5", map[string]any{"owner_id": p.UnassignableOwnerID, "customer_id": p.UnknownCustomerID, "payer_account_owner_id": p.UnassignableOwnerID}, 2},
		{"owner id not the partner's and unknown customer", map[string]any{"owner_id": "000000000000", "customer_id": p.UnknownCustomerID, "payer_account_owner_id": "000000000000"}, 2},
		{"payer missing", map[string]any{"owner_id": owner, "customer_id": p.CustomerID}, 1},
		{"linked to an account that is not assigned", map[string]any{"owner_id": owner, "customer_id": p.CustomerID, "payer_account_owner_id": p.AssignableOwnerIDs[1]}, 1},
	}
	before := listAssignments(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := requireErrors(t, do(t, call{method: http.MethodPost, path: assignmentsPath, body: tc.body}))
			require.GreaterOrEqual(t, len(errs), tc.min, "errors: %q", errs)
		})
	}
	require.Equal(t, before, listAssignments(t), "a refused create creates nothing")
}

// Bodies that are not JSON, not an object of the right types, or not sent as
// application/json: 422 {"errors": [...]} on create and update, and nothing
// changes.
func TestAssignmentBadBodies(t *testing.T) {
	requireWrites(t)
	owner := suite.profile.AssignableOwnerIDs[0]
	a := createAssignment(t, owner, owner)
	cases := []struct {
		name, contentType string
		body              any
	}{
		{"malformed JSON", "", `{"owner_id": `},
		{"trailing data", "", `{} {}`},
		{"an array", "", `[]`},
		{"customer_id as a string", "", map[string]any{"customer_id": "1"}},
		{"owner_id as a number", "", map[string]any{"owner_id": 1}},
		{"a null field", "", `{"owner_id": null}`},
		{"form-encoded", "application/x-www-form-urlencoded", "owner_id=" + owner},
		{"text/plain", "text/plain", "{}"},
	}
	before := listAssignments(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireErrors(t, do(t, call{method: http.MethodPost, path: assignmentsPath, body: tc.body, contentType: tc.contentType, invalid: true}))
			requireErrors(t, do(t, call{method: http.MethodPut, path: assignmentPath(a.ID), body: tc.body, contentType: tc.contentType, invalid: true}))
		})
	}
	require.Equal(t, before, listAssignments(t))
}

// An id the partner has no assignment with: 404 on every operation of one
// assignment, even with a body that would be refused (404 comes first).
func TestAssignmentUnknownID(t *testing.T) {
	id := suite.profile.UnknownAssignmentID
	_, status := getAssignment(t, id)
	require.Equal(t, http.StatusNotFound, status)
	requireError(t, do(t, call{method: http.MethodGet, path: assignmentsPath + "/not-a-number", invalid: true}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: assignmentsPath + "/99999999999999999999", invalid: true}), http.StatusNotFound)

	t.Run("writes", func(t *testing.T) {
		requireWrites(t)
		requireError(t, do(t, call{method: http.MethodPut, path: assignmentPath(id), body: map[string]any{}}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPut, path: assignmentPath(id), body: `{`, invalid: true}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodDelete, path: assignmentPath(id)}), http.StatusNotFound)
	})
}

// The list: X-Total and X-Per-Page on every page, ids in order, pages as
// every list pages (walkPages, requireListPagingRules): relations only where
// they apply, page and per_page never refused.
func TestAssignmentListPaging(t *testing.T) {
	r := do(t, call{method: http.MethodGet, path: assignmentsPath, auth: authQuery})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "30", r.header.Get("X-Per-Page"))
	total, err := strconv.Atoi(r.header.Get("X-Total"))
	require.NoError(t, err)

	all := listAssignments(t)
	require.Len(t, all, total)
	for i := 1; i < len(all); i++ {
		require.Less(t, all[i-1].ID, all[i].ID, "ordered by id")
	}
	require.Len(t, walkPages(t, assignmentsPath, "aws_account_assignments", 1), total)
	require.Len(t, walkPages(t, assignmentsPath, "aws_account_assignments", 2), total)
	requireListPagingRules(t, assignmentsPath, "aws_account_assignments")
}

// The list shows an assignment the test created, on the page its position
// puts it, with Link rel="prev" on pages after the first.
func TestAssignmentListShowsCreated(t *testing.T) {
	requireWrites(t)
	owner := suite.profile.AssignableOwnerIDs[0]
	a := createAssignment(t, owner, owner)
	all := listAssignments(t)
	pos := -1
	for i, x := range all {
		if x.ID == a.ID {
			pos = i
		}
	}
	require.GreaterOrEqual(t, pos, 0, "created assignment in the list")
	if pos > 0 {
		r := do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?per_page=1&page=%d", assignmentsPath, pos+1)})
		require.Equal(t, http.StatusOK, r.status)
		require.True(t, strings.Contains(r.header.Get("Link"), `rel="prev"`), "Link: %s", r.header.Get("Link"))
		var body struct {
			Items []assignment `json:"aws_account_assignments"`
		}
		r.decode(t, &body)
		require.Equal(t, []assignment{a}, body.Items)
	}
}
