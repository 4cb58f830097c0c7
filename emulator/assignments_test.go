package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// AWS account assignments, version 1, through the full HTTP stack against the
// default fixtures (the guide's assignment pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "AWS account
// assignments (v1)"). In fixtures/default.yaml, partner 1 (demoKey) has
// assignments 1 (customer 1: 000000000002, consolidated), 2 and 3 (customer
// 2: 000000000011 consolidated, 000000000012 linked to it); partner 2
// (otherKey) has assignment 4 (customer 5: 000000000001). New assignments get
// id 5.

const assignmentsPath = "/v1/aws_account_assignments"

// assignmentPath is the path of one assignment.
func assignmentPath(id int) string { return fmt.Sprintf("%s/%d", assignmentsPath, id) }

// assignmentBody is a create or update body; nil fields are left out.
func assignmentBody(owner any, customer any, payer any) map[string]any {
	b := map[string]any{}
	if owner != nil {
		b["owner_id"] = owner
	}
	if customer != nil {
		b["customer_id"] = customer
	}
	if payer != nil {
		b["payer_account_owner_id"] = payer
	}
	return b
}

// assignment is the object the API shows, as the JSON decoder gives it.
func assignment(id int, owner string, customer int, payer string) map[string]any {
	return map[string]any{"id": float64(id), "owner_id": owner, "customer_id": float64(customer), "payer_account_owner_id": payer}
}

// The messages of the v1 assignment rules (docs/fidelity.md, "AWS account
// assignments (v1)"), as the emulator words them.
func errRequired(field string) string { return field + " is required" }

func errNotPartnerAccount(owner string) string {
	return fmt.Sprintf("owner_id %q does not match an AWS account of the partner", owner)
}

func errAlreadyAssigned(owner string, by int) string {
	return fmt.Sprintf("owner_id %q is already assigned by AWS account assignment %d", owner, by)
}

func errNotInFamily(owner string) string {
	return fmt.Sprintf("owner_id %q does not belong to another account's consolidated billing family", owner)
}

func errNotCustomer(customer int) string {
	return fmt.Sprintf("customer_id %d does not match a customer of the partner", customer)
}

func errBillingDisabled(customer int) string {
	return fmt.Sprintf("customer_id %d does not have partner billing enabled (partner_billing_configuration.enabled is false)", customer)
}

func errNoPattern(customer int) string {
	return fmt.Sprintf("customer_id %d: the assignments would be neither all standalone nor one consolidated account with every other one linked to it", customer)
}

func errWrongPayer(customer int, consolidated, payer string) string {
	return fmt.Sprintf("customer_id %d: linked assignments must name the consolidated account %q as payer, not %q", customer, consolidated, payer)
}

func errPayerNotConsolidated(payer string, customer int) string {
	return fmt.Sprintf("payer_account_owner_id %q is not the owner_id of a consolidated AWS account assignment of customer %d", payer, customer)
}

func errOtherFamily(owner, payer string) string {
	return fmt.Sprintf("owner_id %q and payer_account_owner_id %q do not belong to the same consolidated billing family", owner, payer)
}

func errStillNamed(id int, owner string, customer, linked int) string {
	return fmt.Sprintf("AWS account assignment %d is the consolidated account %q of customer %d: %d linked assignment(s) still name it as payer_account_owner_id",
		id, owner, customer, linked)
}

// dumpedCustomer returns the customer with the id as the state dump shows it.
func dumpedCustomer(t testing.TB, ts *testServer, id int64) fixture.Customer {
	t.Helper()
	var doc fixture.Document
	require.NoError(t, json.Unmarshal([]byte(ts.stateDump()), &doc))
	for _, p := range doc.Partners {
		for _, c := range p.Customers {
			if c.ID == id {
				return c
			}
		}
	}
	t.Fatalf("customer %d is not in the state dump", id)
	return fixture.Customer{}
}

// customerAccounts returns the customer's AWS accounts with the owner id.
func customerAccounts(t testing.TB, ts *testServer, customer int64, owner string) []fixture.AWSAccount {
	t.Helper()
	var out []fixture.AWSAccount
	for _, a := range dumpedCustomer(t, ts, customer).AWSAccounts {
		if a.OwnerID == owner {
			out = append(out, a)
		}
	}
	return out
}

// listIDs returns the ids of a list response, in order.
func listIDs(t testing.TB, r response) []int {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var body struct {
		Assignments []struct {
			ID int `json:"id"`
		} `json:"aws_account_assignments"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body))
	ids := make([]int, 0, len(body.Assignments))
	for _, a := range body.Assignments {
		ids = append(ids, a.ID)
	}
	return ids
}

// requireLocation checks that a Location header is the absolute URL of the
// assignment on the server the request went to.
func requireLocation(t testing.TB, ts *testServer, r response, id int) {
	t.Helper()
	loc := r.Header.Get("Location")
	u, err := url.Parse(loc)
	require.NoError(t, err)
	require.True(t, u.IsAbs(), "Location %q is not absolute", loc)
	require.Equal(t, ts.URL+assignmentPath(id), loc)
}

func TestCreateAssignment(t *testing.T) {
	cases := []struct {
		name        string
		owner       string
		customer    int
		payer       string
		accountName string // of the partner's AWS account, given to the customer's new one
	}{
		{"standalone, customer without assignments", "000000000003", 4, "000000000003", "Linked three"},
		{"linked to the customer's consolidated assignment", "000000000003", 1, "000000000002", "Linked three"},
		{"another standalone beside a lone consolidated one", "000000000004", 1, "000000000004", "Linked four"},
		{"linked in the second billing family", "000000000013", 2, "000000000011", "Family two third"},
		{"an owner id the other partner has assigned", "000000000001", 4, "000000000001", "Linked one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			require.Empty(t, customerAccounts(t, ts, int64(tc.customer), tc.owner))

			r := ts.post(assignmentsPath, assignmentBody(tc.owner, tc.customer, tc.payer))
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			require.Contains(t, r.Header.Get("Content-Type"), "application/json")
			want := assignment(newAssignmentID, tc.owner, tc.customer, tc.payer)
			require.Equal(t, want, r.Object(), "ids continue after the largest fixture id (4, of the other partner)")
			requireLocation(t, ts, r, newAssignmentID)

			read := ts.get(assignmentPath(newAssignmentID))
			require.Equal(t, http.StatusOK, read.Status)
			require.Equal(t, want, read.Object())
			require.Equal(t, []int{1, 2, 3, newAssignmentID}, listIDs(t, ts.get(assignmentsPath)))

			// Side effect: the customer's own CloudHealth account gets the AWS account.
			accts := customerAccounts(t, ts, int64(tc.customer), tc.owner)
			require.Len(t, accts, 1)
			require.Equal(t, tc.accountName, accts[0].Name)
			require.Equal(t, "2026-01-02T03:04:05Z", accts[0].CreatedAt)
		})
	}
}

func TestCreateAssignmentKeepsAnExistingCustomerAccount(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Len(t, customerAccounts(t, ts, 1, "000000000002"), 1)
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(1)).Status)
	r := ts.post(assignmentsPath, assignmentBody("000000000002", 1, "000000000002"))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Len(t, customerAccounts(t, ts, 1, "000000000002"), 1, "no second account for the same owner id")
}

func TestCreateAssignmentIgnoresUnknownAndReadOnlyFields(t *testing.T) {
	ts := newTestServer(t, Options{})
	// What a Go SDK sends: the id and a zero created_at, plus anything else.
	r := ts.post(assignmentsPath, map[string]any{
		"id": 999, "created_at": "0001-01-01T00:00:00Z", "updated_at": "0001-01-01T00:00:00Z", "comment": "x",
		"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003",
	})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, assignment(newAssignmentID, "000000000003", 4, "000000000003"), r.Object())
	requireJSONError(t, ts.get(assignmentPath(999)), http.StatusNotFound)
}

func TestCreateAssignmentRules(t *testing.T) {
	const (
		two, three, four, five     = "000000000002", "000000000003", "000000000004", "000000000005"
		eleven, twelve, thirteen   = "000000000011", "000000000012", "000000000013"
		head, unknown, otherLinked = "999999999999", "000000000099", "000000000021"
		otherHead                  = "777777777777"
	)
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		// Rule 1, each field alone and all three.
		{"rule 1: nothing", assignmentBody(nil, nil, nil), []string{errRequired("owner_id"), errRequired("customer_id"), errRequired("payer_account_owner_id")}},
		{"rule 1: no owner_id", assignmentBody(nil, 4, three), []string{errRequired("owner_id")}},
		{"rule 1: no customer_id", assignmentBody(three, nil, three), []string{errRequired("customer_id")}},
		{"rule 1: no payer_account_owner_id", assignmentBody(three, 4, nil), []string{errRequired("payer_account_owner_id")}},
		// Rule 2.
		{"rule 2: unknown owner id", assignmentBody(unknown, 4, unknown), []string{errNotPartnerAccount(unknown)}},
		{"rule 2: the other partner's account", assignmentBody(otherLinked, 4, otherLinked), []string{errNotPartnerAccount(otherLinked)}},
		{"rule 2: the other partner's payer", assignmentBody(otherHead, 4, otherHead), []string{errNotPartnerAccount(otherHead)}},
		// Rule 3.
		{"rule 3: owner id already assigned", assignmentBody(twelve, 4, twelve), []string{errAlreadyAssigned(twelve, 3)}},
		{"rule 3: a consolidated owner id already assigned", assignmentBody(two, 4, two), []string{errAlreadyAssigned(two, 1)}},
		// Rule 4.
		{"rule 4: standalone account", assignmentBody(five, 4, five), []string{errNotInFamily(five)}},
		{"rule 4: family head", assignmentBody(head, 4, head), []string{errNotInFamily(head)}},
		// Rule 5.
		{"rule 5: unknown customer", assignmentBody(three, 99, three), []string{errNotCustomer(99)}},
		{"rule 5: the other partner's customer", assignmentBody(three, 5, three), []string{errNotCustomer(5)}},
		{"rule 5: partner billing disabled", assignmentBody(three, 3, three), []string{errBillingDisabled(3)}},
		// Rule 6.
		{"rule 6: a second self-paying beside a consolidated family", assignmentBody(thirteen, 2, thirteen), []string{errNoPattern(2)}},
		// Rule 7 (its first half cannot fail without rule 6 on a create).
		{"rule 7: payer in another billing family", assignmentBody(thirteen, 1, two), []string{errOtherFamily(thirteen, two)}},
		{"rule 7: payer is another customer's consolidated account", assignmentBody(three, 4, eleven), []string{errNoPattern(4), errPayerNotConsolidated(eleven, 4)}},
		{"rule 7: payer is a linked assignment", assignmentBody(thirteen, 2, twelve), []string{errNoPattern(2), errPayerNotConsolidated(twelve, 2)}},
		{"rules 6 and 7: payer has no assignment", assignmentBody(three, 1, four), []string{errWrongPayer(1, two, four), errPayerNotConsolidated(four, 1)}},
		// Several rules at once: every failure, in rule order.
		{"rules 4 and 5", assignmentBody(five, 3, five), []string{errNotInFamily(five), errBillingDisabled(3)}},
		{"rules 1, 2 and 5", assignmentBody(unknown, 99, nil), []string{errRequired("payer_account_owner_id"), errNotPartnerAccount(unknown), errNotCustomer(99)}},
		{"rule 1 and rule 4 on what was given", assignmentBody(five, nil, nil), []string{errRequired("customer_id"), errRequired("payer_account_owner_id"), errNotInFamily(five)}},
		{"rules 3 and 5 do not hide 6 and 7", assignmentBody(twelve, 3, eleven), []string{errAlreadyAssigned(twelve, 3), errBillingDisabled(3),
			errNoPattern(3), errPayerNotConsolidated(eleven, 3)}},
		{"rules 4 and 7", assignmentBody(head, 1, two), []string{errNotInFamily(head), errOtherFamily(head, two)}},
		{"rules 2 and 5: the other partner's account and customer", assignmentBody(otherLinked, 5, otherLinked), []string{errNotPartnerAccount(otherLinked), errNotCustomer(5)}},
		{"rules 1, 4 and 5, nothing else", assignmentBody(head, 3, nil), []string{errRequired("payer_account_owner_id"), errNotInFamily(head), errBillingDisabled(3)}},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.post(assignmentsPath, tc.body)
				require.Equal(t, tc.want, requireJSONErrors(t, r))
				require.Len(t, r.Object(), 1, "the body is {\"errors\": [...]} only: %s", r.Body)
			})
		})
	}
}

func TestReadAssignment(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.get(assignmentPath(3))
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, assignment(3, "000000000012", 2, "000000000011"), r.Object())

	other := ts.do(request{Method: http.MethodGet, Path: assignmentPath(4), Key: otherKey})
	require.Equal(t, http.StatusOK, other.Status)
	require.Equal(t, assignment(4, "000000000001", 5, "000000000001"), other.Object())

	for _, id := range []int{0, 4, newAssignmentID, 999, 999999999999999999} {
		requireJSONError(t, ts.get(assignmentPath(id)), http.StatusNotFound)
	}
}

func TestListAssignmentsOfTheDefaultFixtures(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.get(assignmentsPath)
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, map[string]any{"aws_account_assignments": []any{
		assignment(1, "000000000002", 1, "000000000002"),
		assignment(2, "000000000011", 2, "000000000011"),
		assignment(3, "000000000012", 2, "000000000011"),
	}}, r.Object())
	require.Equal(t, "3", r.Header.Get("X-Total"))
	require.Equal(t, "30", r.Header.Get("X-Per-Page"))
	require.Empty(t, r.Header.Values("Link"), "one page: no Link")
}

func TestUpdateAssignment(t *testing.T) {
	cases := []struct {
		name string
		id   int
		body any
		want map[string]any
	}{
		{"a linked assignment becomes standalone", 3, map[string]any{"payer_account_owner_id": "000000000012"}, assignment(3, "000000000012", 2, "000000000012")},
		{"a lone consolidated assignment moves to another customer", 1, map[string]any{"customer_id": 4}, assignment(1, "000000000002", 4, "000000000002")},
		{"owner and payer together", 1, map[string]any{"owner_id": "000000000003", "payer_account_owner_id": "000000000003"}, assignment(1, "000000000003", 1, "000000000003")},
		{"all three fields", 1, map[string]any{"owner_id": "000000000013", "customer_id": 4, "payer_account_owner_id": "000000000013"}, assignment(1, "000000000013", 4, "000000000013")},
		{"the same values", 2, map[string]any{"owner_id": "000000000011", "customer_id": 2, "payer_account_owner_id": "000000000011"}, assignment(2, "000000000011", 2, "000000000011")},
		{"read-only and unknown fields ignored", 1, map[string]any{"id": 77, "created_at": "0001-01-01T00:00:00Z", "x": 1, "customer_id": 4}, assignment(1, "000000000002", 4, "000000000002")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			r := ts.put(assignmentPath(tc.id), tc.body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			require.Equal(t, tc.want, r.Object())
			requireLocation(t, ts, r, tc.id)
			require.Equal(t, tc.want, ts.get(assignmentPath(tc.id)).Object())
			customer := int64(tc.want["customer_id"].(float64))
			owner := tc.want["owner_id"].(string)
			require.Len(t, customerAccounts(t, ts, customer, owner), 1, "the customer has the AWS account")
		})
	}
}

// Seed 003's update: a standalone assignment of customer 1 becomes linked to
// the customer's consolidated one, in the same billing family.
func TestUpdateAssignmentLinksToTheConsolidatedAccount(t *testing.T) {
	ts := newTestServer(t, Options{})
	created := ts.post(assignmentsPath, assignmentBody("000000000004", 1, "000000000004"))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	r := ts.put(assignmentPath(newAssignmentID), `{"payer_account_owner_id": "000000000002"}`)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, assignment(newAssignmentID, "000000000004", 1, "000000000002"), r.Object())
	requireLocation(t, ts, r, newAssignmentID)
	require.Equal(t, r.Object(), ts.get(assignmentPath(newAssignmentID)).Object())
}

func TestUpdateAssignmentWithNothingChangesNothing(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, body := range []string{`{}`, `{"id": 3}`, `{"unknown": [1, 2]}`} {
		ts.unchanged(func() {
			r := ts.put(assignmentPath(3), body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			require.Equal(t, assignment(3, "000000000012", 2, "000000000011"), r.Object())
			requireLocation(t, ts, r, 3)
		})
	}
}

func TestUpdateMovingAnAssignmentKeepsTheOldCustomerAccount(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.put(assignmentPath(1), map[string]any{"customer_id": 4})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Len(t, customerAccounts(t, ts, 1, "000000000002"), 1, "customer 1 keeps its AWS account")
	require.Len(t, customerAccounts(t, ts, 4, "000000000002"), 1, "customer 4 gets one")
}

func TestUpdateAssignmentRules(t *testing.T) {
	const (
		two, three, five      = "000000000002", "000000000003", "000000000005"
		eleven, twelve, thirt = "000000000011", "000000000012", "000000000013"
		otherLinked           = "000000000021"
	)
	cases := []struct {
		name string
		id   int
		body map[string]any
		want []string
	}{
		{"rule 2: another partner's account", 1, map[string]any{"owner_id": otherLinked, "payer_account_owner_id": otherLinked}, []string{errNotPartnerAccount(otherLinked)}},
		{"rule 3: an owner id assigned elsewhere", 1, map[string]any{"owner_id": eleven, "payer_account_owner_id": eleven}, []string{errAlreadyAssigned(eleven, 2)}},
		{"rule 4: a standalone account", 1, map[string]any{"owner_id": five, "payer_account_owner_id": five}, []string{errNotInFamily(five)}},
		{"rule 5: billing disabled", 1, map[string]any{"customer_id": 3}, []string{errBillingDisabled(3)}},
		{"rule 5: the other partner's customer", 1, map[string]any{"customer_id": 5}, []string{errNotCustomer(5)}},
		{"rule 5: unknown customer", 3, map[string]any{"customer_id": 99}, []string{errNotCustomer(99)}},
		// The merged result is checked: a new owner_id keeps the old payer.
		{"merged: new owner of a standalone becomes linked to a vanished payer", 1, map[string]any{"owner_id": three},
			[]string{errNoPattern(1), errPayerNotConsolidated(two, 1)}},
		{"merged: new owner of a consolidated one", 2, map[string]any{"owner_id": thirt},
			[]string{errNoPattern(2), errPayerNotConsolidated(eleven, 2)}},
		// Rule 6 for the customer left behind, and for both.
		{"rule 6: moving the consolidated assignment away from its linked one", 2, map[string]any{"customer_id": 4}, []string{errNoPattern(2)}},
		{"rules 6 and 7: moving a linked assignment to another customer", 3, map[string]any{"customer_id": 4}, []string{errNoPattern(4), errPayerNotConsolidated(eleven, 4)}},
		{"rules 6 and 7: consolidated becomes linked to its linked one", 2, map[string]any{"payer_account_owner_id": twelve},
			[]string{errNoPattern(2), errPayerNotConsolidated(twelve, 2)}},
		{"rules 6 and 7: linked to another customer's consolidated account", 3, map[string]any{"payer_account_owner_id": two},
			[]string{errWrongPayer(2, eleven, two), errPayerNotConsolidated(two, 2)}},
		{"rules 3, 5 together", 1, map[string]any{"owner_id": twelve, "payer_account_owner_id": twelve, "customer_id": 3},
			[]string{errAlreadyAssigned(twelve, 3), errBillingDisabled(3)}},
		{"rules 2 and 5 together", 2, map[string]any{"owner_id": "000000000099", "customer_id": 99},
			[]string{errNotPartnerAccount("000000000099"), errNotCustomer(99)}},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.put(assignmentPath(tc.id), tc.body)
				require.Equal(t, tc.want, requireJSONErrors(t, r))
				require.Len(t, r.Object(), 1, "body: %s", r.Body)
			})
		})
	}
}

func TestUpdateAssignmentRuleSixNamesTheConsolidatedAccount(t *testing.T) {
	ts := newTestServer(t, Options{})
	// Customer 1: 000000000002 consolidated, 000000000003 linked to it.
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("000000000003", 1, "000000000002")).Status)
	ts.unchanged(func() {
		// The consolidated assignment changes owner while 000000000003 still names 000000000002.
		r := ts.put(assignmentPath(1), map[string]any{"owner_id": "000000000004", "payer_account_owner_id": "000000000004"})
		require.Equal(t, []string{errWrongPayer(1, "000000000004", "000000000002")}, requireJSONErrors(t, r))
	})
	// Linking across billing families on update: rule 7.
	ts.unchanged(func() {
		r := ts.put(assignmentPath(newAssignmentID), map[string]any{"owner_id": "000000000013"})
		require.Equal(t, []string{errOtherFamily("000000000013", "000000000002")}, requireJSONErrors(t, r))
	})
}

func TestUpdateAssignmentRefusesNullsAndWrongTypes(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		fields []string // each message names one of these, in order
	}{
		{"null owner_id", `{"owner_id": null}`, []string{"owner_id"}},
		{"null customer_id and payer", `{"customer_id": null, "payer_account_owner_id": null}`, []string{"customer_id", "payer_account_owner_id"}},
		{"customer_id as a string", `{"customer_id": "1"}`, []string{"customer_id"}},
		{"owner_id as a number", `{"owner_id": 1}`, []string{"owner_id"}},
		{"every field wrong", `{"owner_id": 1, "customer_id": "1", "payer_account_owner_id": false}`, []string{"customer_id", "owner_id", "payer_account_owner_id"}},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				msgs := requireJSONErrors(t, ts.put(assignmentPath(1), tc.body))
				require.Len(t, msgs, len(tc.fields), "messages: %q", msgs)
				for i, f := range tc.fields {
					require.True(t, strings.HasPrefix(msgs[i], f+":"), "message %q names %s", msgs[i], f)
				}
			})
		})
	}
}

func TestDeleteAssignment(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.del(assignmentPath(1))
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Empty(t, r.Body)
	require.Empty(t, r.Header.Get("Content-Type"))
	requireJSONError(t, ts.get(assignmentPath(1)), http.StatusNotFound)
	require.Equal(t, []int{2, 3}, listIDs(t, ts.get(assignmentsPath)))
	require.Empty(t, dumpedCustomer(t, ts, 1).AWSAccountAssignments)
	require.Len(t, customerAccounts(t, ts, 1, "000000000002"), 1, "the customer's AWS account stays")

	ts.unchanged(func() { requireJSONError(t, ts.del(assignmentPath(1)), http.StatusNotFound) })
}

func TestDeleteConsolidatedAssignmentStillNamed(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.unchanged(func() {
		r := ts.del(assignmentPath(2))
		require.Equal(t, []string{errStillNamed(2, "000000000011", 2, 1)}, requireJSONErrors(t, r))
	})
	// Once the linked one is gone, the consolidated one can go.
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(3)).Status)
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(2)).Status)
	require.Equal(t, []int{1}, listIDs(t, ts.get(assignmentsPath)))
	require.Len(t, customerAccounts(t, ts, 2, "000000000011"), 1)
	require.Len(t, customerAccounts(t, ts, 2, "000000000012"), 1)
}

func TestDeleteConsolidatedAssignmentNamedTwice(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("000000000013", 2, "000000000011")).Status)
	ts.unchanged(func() {
		require.Equal(t, []string{errStillNamed(2, "000000000011", 2, 2)}, requireJSONErrors(t, ts.del(assignmentPath(2))))
	})
}

func TestAssignmentsAcrossPartners(t *testing.T) {
	ts := newTestServer(t, Options{})
	other := func(method, path string, body any) response {
		return ts.do(request{Method: method, Path: path, Key: otherKey, Body: body})
	}

	r := other(http.MethodGet, assignmentsPath, nil)
	require.Equal(t, []int{4}, listIDs(t, r))
	require.Equal(t, "1", r.Header.Get("X-Total"))

	ts.unchanged(func() {
		// The other partner cannot see or touch partner 1's assignments...
		for _, id := range []int{1, 2, 3} {
			requireJSONError(t, other(http.MethodGet, assignmentPath(id), nil), http.StatusNotFound)
			requireJSONError(t, other(http.MethodPut, assignmentPath(id), map[string]any{}), http.StatusNotFound)
			requireJSONError(t, other(http.MethodDelete, assignmentPath(id), nil), http.StatusNotFound)
		}
		// ...nor partner 1 the other's.
		requireJSONError(t, ts.get(assignmentPath(4)), http.StatusNotFound)
		requireJSONError(t, ts.put(assignmentPath(4), map[string]any{}), http.StatusNotFound)
		requireJSONError(t, ts.del(assignmentPath(4)), http.StatusNotFound)
		// Partner 1 cannot assign to customer 5 nor the other partner's accounts.
		require.Equal(t, []string{errNotCustomer(5)}, requireJSONErrors(t, ts.post(assignmentsPath, assignmentBody("000000000003", 5, "000000000003"))))
		require.Equal(t, []string{errNotPartnerAccount("000000000021")}, requireJSONErrors(t, ts.post(assignmentsPath, assignmentBody("000000000021", 4, "000000000021"))))
		// And the other partner cannot assign to partner 1's customers.
		require.Equal(t, []string{errNotCustomer(4)}, requireJSONErrors(t, other(http.MethodPost, assignmentsPath, assignmentBody("000000000021", 4, "000000000021"))))
	})

	// The other partner's own work goes on: 000000000021 linked to its consolidated 000000000001.
	created := other(http.MethodPost, assignmentsPath, assignmentBody("000000000021", 5, "000000000001"))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	require.Equal(t, assignment(newAssignmentID, "000000000021", 5, "000000000001"), created.Object())
	require.Equal(t, []int{4, newAssignmentID}, listIDs(t, other(http.MethodGet, assignmentsPath, nil)))
	require.Equal(t, "3", ts.get(assignmentsPath).Header.Get("X-Total"), "partner 1 still counts only its own")
}

// Concurrent creates of the same owner id: exactly one wins, the others fail
// rule 3, and the state holds one assignment of it.
func TestConcurrentCreatesOfOneOwner(t *testing.T) {
	ts := newTestServer(t, Options{})
	const n = 16
	type result struct {
		status int
		body   string
		err    error
	}
	results := make(chan result, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, ts.URL+assignmentsPath,
				strings.NewReader(`{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003"}`))
			if err != nil {
				results <- result{err: err}
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+demoKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			results <- result{status: resp.StatusCode, body: string(b), err: err}
		}()
	}
	wg.Wait()
	close(results)
	var ok, refused int
	for r := range results {
		require.NoError(t, r.err)
		switch r.status {
		case http.StatusOK:
			ok++
		case http.StatusUnprocessableEntity:
			refused++
			require.JSONEq(t, fmt.Sprintf(`{"errors": [%q]}`, errAlreadyAssigned("000000000003", newAssignmentID)), r.body)
		default:
			t.Fatalf("unexpected answer %d: %s", r.status, r.body)
		}
	}
	require.Equal(t, 1, ok)
	require.Equal(t, n-1, refused)
	require.Equal(t, []int{1, 2, 3, newAssignmentID}, listIDs(t, ts.get(assignmentsPath)))
	require.Len(t, customerAccounts(t, ts, 4, "000000000003"), 1)
}

// Bug: once a customer's partner billing was disabled while it had
// assignments (which stay: docs/fidelity.md, Partner
// customers: disabling partner billing), the state dump no longer
// loaded: PUT /__emulator/state refused it (rule 5), so the dump did not
// round-trip. The loader now accepts the assignments of such a customer; the
// API still refuses new ones.
func TestStateDumpRoundTripsAssignmentsOfCustomerWithBillingDisabled(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.put("/v1/customers/2", map[string]any{"partner_billing_configuration": map[string]any{"enabled": false}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	ts.unchanged(func() {
		put := ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: ts.stateDump()})
		require.Equal(t, http.StatusNoContent, put.Status, "body: %s", put.Body)
	})
	require.Equal(t, http.StatusOK, ts.get("/v1/aws_account_assignments/3").Status, "the assignment stays")
	ts.unchanged(func() {
		errs := requireJSONErrors(t, ts.post("/v1/aws_account_assignments", assignmentBody("000000000013", 2, "000000000011")))
		require.Contains(t, errs, "customer_id 2 does not have partner billing enabled (partner_billing_configuration.enabled is false)")
	})
}

// The seeds' assignment examples (000 and 003), run verbatim against the
// default fixtures (host swapped, placeholders filled): they must answer what
// the documents show, ids aside.
//
// Seed 000 (and seed 003's create example): curl --request POST -H
// 'Content-Type: application/json' -d '{...}' '.../v1/aws_account_assignments?api_key=<api_key>'.
// Then seed 003's update example: {"payer_account_owner_id": "000000000002"}.
func TestSeedCreateThenUpdateAssignment(t *testing.T) {
	ts := newTestServer(t, Options{})
	created := ts.do(request{Method: http.MethodPost, Path: "/v1/aws_account_assignments?api_key=" + demoKey,
		Body: `{
          "owner_id": "000000000001",
          "customer_id": 1,
          "payer_account_owner_id": "000000000001"
        }`})
	body, id := createdWithoutID(t, created)
	require.Equal(t, map[string]any{"customer_id": 1.0, "owner_id": "000000000001", "payer_account_owner_id": "000000000001"}, body)
	idStr := strconv.Itoa(int(id.(float64)))
	require.Equal(t, ts.URL+"/v1/aws_account_assignments/"+idStr, created.Header.Get("Location"))

	updated := ts.do(request{Method: http.MethodPut, Path: "/v1/aws_account_assignments/" + idStr + "?api_key=" + demoKey,
		Body: `{"payer_account_owner_id": "000000000002"}`})
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	require.Equal(t, map[string]any{"customer_id": 1.0, "id": id, "owner_id": "000000000001", "payer_account_owner_id": "000000000002"}, updated.Object())
	require.Equal(t, ts.URL+"/v1/aws_account_assignments/"+idStr, updated.Header.Get("Location"))

	// The guide's read example, with a Bearer header.
	read := ts.get("/v1/aws_account_assignments/" + idStr)
	require.Equal(t, http.StatusOK, read.Status)
	require.Equal(t, updated.Object(), read.Object())

	// Seed 003's delete: 204, no body; the customer's AWS account stays.
	gone := ts.del("/v1/aws_account_assignments/" + idStr)
	require.Equal(t, http.StatusNoContent, gone.Status)
	require.Empty(t, gone.Body)
	require.Equal(t, http.StatusNotFound, ts.get("/v1/aws_account_assignments/"+idStr).Status)
	require.Contains(t, customerOwnerIDs(t, ts, 1), "000000000001", "the customer's AWS account was created and stays")
}

// customerOwnerIDs returns the owner ids of a customer's own AWS accounts, as
// the state dump shows them.
func customerOwnerIDs(t *testing.T, ts *testServer, customerID int64) []string {
	t.Helper()
	var out []string
	for _, a := range dumpedCustomer(t, ts, customerID).AWSAccounts {
		out = append(out, a.OwnerID)
	}
	return out
}
