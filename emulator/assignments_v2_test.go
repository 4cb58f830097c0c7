package emulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Version 2 assignments over HTTP, on the default fixtures: customer 6 is a
// version 2 customer with three blocks (assignments 5-10); customers 7 and 8
// take the guide's create example.

const assignmentsV2Path = "/v2/aws_account_assignments"

func assignmentV2Path(id int) string { return fmt.Sprintf("%s/%d", assignmentsV2Path, id) }

// guideV2Create is the guide's create example with the fixtures' ids.
var guideV2Create = map[string]any{"aws_account_assignments": []any{
	map[string]any{"target_client_api_id": 7, "billing_block_name": "block name1", "billing_block_type": "Family", "owner_id": "300000000101"},
	map[string]any{"target_client_api_id": 8, "billing_block_name": "block name2", "billing_block_type": "Consolidated",
		"owner_id": []string{"300000000102", "300000000103"}, "payer_account_owner_id": "300000000102"},
	map[string]any{"target_client_api_id": "8", "billing_block_name": "block name3", "billing_block_type": "Standalone", "owner_id": []string{"300000000104"}},
}}

func v2Item(id int, owner string, target int, payer, family, typ, name string) map[string]any {
	return map[string]any{"id": float64(id), "owner_id": owner, "target_client_api_id": float64(target), "payer_account_owner_id": payer,
		"billing_family_owner_id": family, "billing_block_type": typ, "billing_block_name": name}
}

func withErrors(item map[string]any) map[string]any {
	item["errors"] = map[string]any{}
	return item
}

func TestV2GuideCreateExample(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.post(assignmentsV2Path, guideV2Create)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Empty(t, r.Header.Get("Location"))
	require.Equal(t, map[string]any{"aws_account_assignments": []any{
		withErrors(v2Item(11, "300000000101", 7, "300000000101", "300000000101", "Family", "block name1")),
		withErrors(v2Item(12, "300000000102", 8, "300000000102", "300000000106", "Consolidated", "block name2")),
		withErrors(v2Item(13, "300000000103", 8, "300000000102", "300000000106", "Consolidated", "block name2")),
		withErrors(v2Item(14, "300000000104", 8, "300000000104", "300000000107", "Standalone", "block name3")),
	}}, r.Object())
	// The customers' own accounts got the AWS accounts; both are version 2 now.
	require.Len(t, customerAccounts(t, ts, 8, "300000000103"), 1)
	r = ts.post(assignmentsPath, assignmentBody("000000000003", 7, "000000000003"))
	require.Equal(t, []string{"customer 7 uses version 2 account assignments: use /v2/aws_account_assignments"}, requireJSONErrors(t, r))
	require.Equal(t, v2Item(12, "300000000102", 8, "300000000102", "300000000106", "Consolidated", "block name2"), ts.get(assignmentV2Path(12)).Object())
}

func TestV2FamilyExpands(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.post(assignmentsV2Path, map[string]any{"aws_account_assignments": []any{
		map[string]any{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": []string{"300000000106"}}}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, map[string]any{"aws_account_assignments": []any{
		withErrors(v2Item(11, "300000000106", 7, "300000000106", "300000000106", "Family", "")),
		withErrors(v2Item(12, "300000000102", 7, "300000000106", "300000000106", "Family", "")),
		withErrors(v2Item(13, "300000000103", 7, "300000000106", "300000000106", "Family", "")),
	}}, r.Object())
}

// Every rule, all or nothing: the 422 lists every requested member, {} for
// those that would pass, and nothing changes.
func TestV2CreateRefused(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name string
		body any
		want []any
	}{
		{"unknown owner, taken owner, and a member that would pass", map[string]any{"aws_account_assignments": []any{
			map[string]any{"target_client_api_id": 8, "billing_block_type": "Standalone", "owner_id": "300000000104, 399999999999,000000000002"}}},
			[]any{
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Standalone", "owner_id": "300000000104", "errors": map[string]any{}},
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Standalone", "owner_id": "399999999999", "errors": map[string]any{
					"owner_id": []any{`"399999999999" does not match an AWS account of the partner`}}},
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Standalone", "owner_id": "000000000002", "errors": map[string]any{
					"owner_id": []any{`"000000000002" is already assigned by AWS account assignment 1`}}},
			}},
		{"merging two families, a payer that is no member", map[string]any{"aws_account_assignments": []any{
			map[string]any{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": []string{"300000000102", "300000000104"}, "payer_account_owner_id": "300000000102"},
			map[string]any{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": []string{"300000000103"}, "payer_account_owner_id": "300000000101"}}},
			[]any{
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Consolidated", "owner_id": "300000000102", "payer_account_owner_id": "300000000102", "errors": map[string]any{}},
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Consolidated", "owner_id": "300000000104", "payer_account_owner_id": "300000000102", "errors": map[string]any{
					"owner_id": []any{`"300000000104" is in the billing family of "300000000107", the payer "300000000102" in that of "300000000106": accounts of two billing families cannot be merged into one partner generated billing account`}}},
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Consolidated", "owner_id": "300000000103", "payer_account_owner_id": "300000000101", "errors": map[string]any{
					"payer_account_owner_id": []any{`"300000000101" is not one of the block's owner_id`}}},
			}},
		{"a family member as Family head, named twice, unknown customer, bad type, taken name", map[string]any{"aws_account_assignments": []any{
			map[string]any{"target_client_api_id": 7, "billing_block_type": "Family", "owner_id": "300000000102"},
			map[string]any{"target_client_api_id": 999, "billing_block_type": "Standalone", "owner_id": []string{"300000000102"}},
			map[string]any{"target_client_api_id": 6, "billing_block_type": "Linked", "billing_block_name": "family block", "owner_id": []string{"300000000104"}}}},
			[]any{
				map[string]any{"target_client_api_id": float64(7), "billing_block_type": "Family", "owner_id": "300000000102", "errors": map[string]any{
					"owner_id": []any{`"300000000102" is named more than once in this request`,
						`"300000000102" is not the head of a billing family: it belongs to the family of "300000000106"`}}},
				map[string]any{"target_client_api_id": float64(999), "billing_block_type": "Standalone", "owner_id": "300000000102", "errors": map[string]any{
					"owner_id":             []any{`"300000000102" is named more than once in this request`},
					"target_client_api_id": []any{"999 does not match a customer of the partner"}}},
				map[string]any{"target_client_api_id": float64(6), "billing_block_type": "Linked", "billing_block_name": "family block", "owner_id": "300000000104", "errors": map[string]any{
					"billing_block_type": []any{`"Linked" is not Family, Consolidated or Standalone`},
					"billing_block_name": []any{`"family block" is already the name of a billing block of the customer`}}},
			}},
		{"required fields", map[string]any{"aws_account_assignments": []any{map[string]any{}, map[string]any{"target_client_api_id": 8, "billing_block_type": "Consolidated", "owner_id": []string{"300000000102"}}}},
			[]any{
				map[string]any{"errors": map[string]any{"owner_id": []any{"is required"}, "target_client_api_id": []any{"is required"}, "billing_block_type": []any{"is required"}}},
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Consolidated", "owner_id": "300000000102", "errors": map[string]any{
					"payer_account_owner_id": []any{"is required for a Consolidated block"}}},
			}},
		// It answered 500: the payer check read the owner ids the item
		// did not give.
		{"a Consolidated payer without owner_id", map[string]any{"aws_account_assignments": []any{
			map[string]any{"target_client_api_id": 8, "billing_block_type": "Consolidated", "payer_account_owner_id": "300000000104"}}},
			[]any{
				map[string]any{"target_client_api_id": float64(8), "billing_block_type": "Consolidated", "payer_account_owner_id": "300000000104", "errors": map[string]any{
					"owner_id":               []any{"is required"},
					"payer_account_owner_id": []any{`"300000000104" is not one of the block's owner_id`}}},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts.unchanged(func() {
				r := ts.post(assignmentsV2Path, tc.body)
				require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
				require.Equal(t, map[string]any{"aws_account_assignments": tc.want}, r.Object())
			})
		})
	}
	// Not of the documented shape: the {"errors": [...]} form.
	for _, body := range []any{`[]`, `{}`, `{"aws_account_assignments": []}`, `{"aws_account_assignments": [1]}`, `{"aws_account_assignments": {}}`,
		`{"aws_account_assignments": [{"owner_id": 5}]}`, `{"aws_account_assignments": [{"target_client_api_id": "x1"}]}`, `{`, `null`} {
		ts.unchanged(func() { requireJSONErrors(t, ts.post(assignmentsV2Path, body)) })
	}
	ts.unchanged(func() {
		requireJSONErrors(t, ts.do(request{Method: http.MethodPost, Path: assignmentsV2Path, Key: demoKey, Body: `{"aws_account_assignments": [{}]}`, ContentType: "text/plain"}))
	})
}

func TestV2ListAndRead(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.get(assignmentsV2Path + "?target_client_api_id=6")
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "6", r.Header.Get("X-Total"))
	require.Equal(t, map[string]any{"aws_account_assignments": []any{
		v2Item(5, "300000000001", 6, "300000000001", "300000000001", "Family", "family block"),
		v2Item(6, "300000000002", 6, "300000000001", "300000000001", "Family", "family block"),
		v2Item(7, "300000000003", 6, "300000000001", "300000000001", "Family", "family block"),
		v2Item(8, "300000000011", 6, "300000000011", "300000000010", "Consolidated", "consolidated block"),
		v2Item(9, "300000000012", 6, "300000000011", "300000000010", "Consolidated", "consolidated block"),
		v2Item(10, "300000000020", 6, "300000000020", "300000000020", "Standalone", "standalone block"),
	}}, r.Object())
	// Version 1 assignments through version 2: no name, the pattern's type.
	require.Equal(t, v2Item(1, "000000000002", 1, "000000000002", "999999999999", "Standalone", ""), ts.get(assignmentV2Path(1)).Object())
	require.Equal(t, v2Item(3, "000000000012", 2, "000000000011", "888888888888", "Consolidated", ""), ts.get(assignmentV2Path(3)).Object())
	all := ts.get(assignmentsV2Path + "?per_page=4&page=2")
	require.Equal(t, "9", all.Header.Get("X-Total"), "every assignment of the partner")
	require.Len(t, all.Object()["aws_account_assignments"], 4)
	requireJSONError(t, ts.get(assignmentsV2Path+"?target_client_api_id=5"), http.StatusNotFound)
	requireJSONErrors(t, ts.get(assignmentsV2Path+"?target_client_api_id=x"))
	requireJSONError(t, ts.get(assignmentV2Path(4)), http.StatusNotFound)
}

func TestV1LockOut(t *testing.T) {
	ts := newTestServer(t, Options{})
	locked := []string{"customer 6 uses version 2 account assignments: use /v2/aws_account_assignments"}
	ts.unchanged(func() {
		require.Equal(t, locked, requireJSONErrors(t, ts.get(assignmentPath(5))))
		require.Equal(t, locked, requireJSONErrors(t, ts.put(assignmentPath(8), map[string]any{})))
		require.Equal(t, locked, requireJSONErrors(t, ts.del(assignmentPath(10))))
		require.Equal(t, locked, requireJSONErrors(t, ts.post(assignmentsPath, assignmentBody("000000000003", 6, "000000000003"))))
		require.Equal(t, locked, requireJSONErrors(t, ts.put(assignmentPath(1), map[string]any{"customer_id": 6})))
	})
	r := ts.get(assignmentsPath)
	require.Equal(t, "3", r.Header.Get("X-Total"), "the version 2 customer's assignments are left out")
	require.Equal(t, []int{1, 2, 3}, listIDs(t, r))
	// v1 rule 3 counts version 2 assignments.
	ts.unchanged(func() {
		r := ts.post(assignmentsPath, assignmentBody("300000000002", 4, "300000000002"))
		require.Contains(t, requireJSONErrors(t, r), errAlreadyAssigned("300000000002", 6))
	})
}

func TestV2UpdatePayer(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.put(assignmentV2Path(6), map[string]any{"billing_block_name": "consolidated block", "payer_account_owner_id": "300000000012"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, map[string]any{"aws_account_assignments": []any{
		withErrors(v2Item(8, "300000000011", 6, "300000000012", "300000000010", "Consolidated", "consolidated block")),
		withErrors(v2Item(9, "300000000012", 6, "300000000012", "300000000010", "Consolidated", "consolidated block")),
	}}, r.Object())
	for _, tc := range []struct {
		body any
		want []string
	}{
		{map[string]any{"billing_block_name": "nope", "payer_account_owner_id": "300000000012"}, []string{`billing_block_name "nope" is not the name of a billing block of customer 6`}},
		{map[string]any{"billing_block_name": "family block", "payer_account_owner_id": "300000000002"}, []string{`billing block "family block" is a Family block: only a Consolidated block's payer can change`}},
		{map[string]any{"billing_block_name": "consolidated block", "payer_account_owner_id": "300000000001"}, []string{`payer_account_owner_id "300000000001" is not a member of billing block "consolidated block"`}},
		{map[string]any{"billing_block_name": "", "payer_account_owner_id": "300000000012"}, []string{`billing_block_name "" is not the name of a billing block of customer 6`}},
	} {
		ts.unchanged(func() { require.Equal(t, tc.want, requireJSONErrors(t, ts.put(assignmentV2Path(6), tc.body))) })
	}
	ts.unchanged(func() {
		requireJSONErrors(t, ts.put(assignmentV2Path(6), map[string]any{"billing_block_name": "consolidated block"}))
		requireJSONErrors(t, ts.put(assignmentV2Path(6), `{"billing_block_name": null, "payer_account_owner_id": "300000000012"}`))
		requireJSONError(t, ts.put(assignmentV2Path(5), `{`), http.StatusNotFound)
	})
}

func TestV2Delete(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.unchanged(func() {
		requireJSONError(t, ts.del(assignmentV2Path(5)), http.StatusBadRequest) // the family's head
		requireJSONError(t, ts.del(assignmentV2Path(8)), http.StatusBadRequest) // the consolidated payer
		requireJSONError(t, ts.del(assignmentV2Path(2)), http.StatusBadRequest) // a v1 consolidated one still named
		requireJSONError(t, ts.del(assignmentV2Path(4)), http.StatusNotFound)   // the other partner's
	})
	r := ts.del(assignmentV2Path(9))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, v2Item(9, "300000000012", 6, "300000000011", "300000000010", "Consolidated", "consolidated block"), r.Object())
	require.Equal(t, http.StatusOK, ts.del(assignmentV2Path(8)).Status, "the payer goes last")
	// The block went with its last member: its name is free again.
	r = ts.post(assignmentsV2Path, map[string]any{"aws_account_assignments": []any{map[string]any{"target_client_api_id": 6,
		"billing_block_name": "consolidated block", "billing_block_type": "Standalone", "owner_id": "300000000011"}}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Len(t, customerAccounts(t, ts, 6, "300000000012"), 1, "the customer's AWS account stays")
	requireJSONError(t, ts.get(assignmentV2Path(9)), http.StatusNotFound)
}

func TestV2CustomerDeleteTakesItsBlocks(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Equal(t, http.StatusNoContent, ts.del(customerPathOf(6)).Status)
	require.Equal(t, "3", ts.get(assignmentsV2Path).Header.Get("X-Total"))
	r := ts.post(assignmentsV2Path, map[string]any{"aws_account_assignments": []any{map[string]any{"target_client_api_id": 8,
		"billing_block_type": "Family", "owner_id": "300000000001"}}})
	require.Equal(t, http.StatusOK, r.Status, "the family's accounts are free again; body: %s", r.Body)
	require.Len(t, r.Object()["aws_account_assignments"], 3)
}

// The state dump carries the blocks and the version: replacing the state
// with its own dump changes nothing.
func TestV2StateRoundTrips(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Equal(t, http.StatusOK, ts.post(assignmentsV2Path, guideV2Create).Status)
	require.Equal(t, http.StatusOK, ts.del(assignmentV2Path(6)).Status)
	ts.unchanged(func() {
		r := ts.do(request{Method: http.MethodPut, Path: statePath, Body: ts.stateDump()})
		require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)
	})
	require.Equal(t, "customer 7 uses version 2 account assignments: use /v2/aws_account_assignments", requireJSONErrors(t, ts.get(assignmentPath(11)))[0])
}

func TestExternalID(t *testing.T) {
	ts := newTestServer(t, Options{})
	partner := ts.get("/v1/aws_accounts/:id/generate_external_id")
	require.Equal(t, http.StatusOK, partner.Status, "body: %s", partner.Body)
	id := partner.Object()["generated_external_id"]
	require.Regexp(t, `^[0-9a-f]{12}$`, id)
	require.Equal(t, id, ts.get("/v1/aws_accounts/123/generate_external_id").Object()["generated_external_id"], "the segment is not looked up")
	other := ts.do(request{Method: http.MethodGet, Path: "/v1/aws_accounts/x/generate_external_id", Key: otherKey}).Object()["generated_external_id"]
	require.NotEqual(t, id, other, "each partner has its own")
	requireJSONError(t, ts.get("/v1/aws_accounts/x/generate_external_id?client_api_id=5"), http.StatusNotFound)
	requireJSONError(t, ts.get("/v1/aws_accounts/x/generate_external_id?client_api_id=abc"), http.StatusUnprocessableEntity)
	// A customer made through the API has its own.
	c := createCustomer(t, ts, customerBody("External Co"))
	r := ts.get(fmt.Sprintf("/v1/aws_accounts/x/generate_external_id?client_api_id=%d", int64(c["client_api_id"].(float64))))
	require.Equal(t, c["generated_external_id"], r.Object()["generated_external_id"])
}
