package contracttests

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// AWS account assignments, version 2: billing blocks (docs/fidelity.md,
// "Version 2 assignments"), and the external id. The blocks are made for the
// profile's version 2 customer and deleted afterwards.

const (
	assignmentsV2Path = "/v2/aws_account_assignments"
	externalIDPath    = "/v1/aws_accounts/:id/generate_external_id"
)

var _ = addFamily(family{
	tag: "aws-account-assignments-v2",
	probes: func(p Profile) []probe {
		one := assignmentV2Path(p.UnknownAssignmentID)
		return []probe{
			{op: "createAwsAccountAssignmentsV2", method: http.MethodPost, path: assignmentsV2Path, body: true},
			{op: "listAwsAccountAssignmentsV2", method: http.MethodGet, path: assignmentsV2Path},
			{op: "getAwsAccountAssignmentV2", method: http.MethodGet, path: one},
			{op: "updateAwsAccountBlockV2", method: http.MethodPut, path: assignmentV2Path(p.UnknownClientAPIID), body: true},
			{op: "deleteAwsAccountAssignmentV2", method: http.MethodDelete, path: one},
		}
	},
})

func assignmentV2Path(id int64) string { return fmt.Sprintf("%s/%d", assignmentsV2Path, id) }

// assignmentV2 is an assignment as version 2 shows it.
type assignmentV2 struct {
	ID          int64               `json:"id"`
	OwnerID     string              `json:"owner_id"`
	Target      int64               `json:"target_client_api_id"`
	Payer       string              `json:"payer_account_owner_id"`
	Family      string              `json:"billing_family_owner_id"`
	Type        string              `json:"billing_block_type"`
	Name        string              `json:"billing_block_name"`
	ErrorFields map[string][]string `json:"errors,omitempty"`
}

// v2Left reports whether owner is one the version 2 tests assign: the
// customer account its first assignment creates stays (main_test.go).
func v2Left(owner string) bool {
	p := suite.profile
	return slices.Contains(p.v2Owners(), owner) || owner != "" && familyOfHead(owner)
}

// familyOfHead reports whether owner is an account of the profile's
// version 2 family head, as the last Family create answered it.
func familyOfHead(owner string) bool { return slices.Contains(suite.v2FamilyMembers, owner) }

// createBlocks posts items and returns the 200 answer's assignments; the
// cleanup that deletes them (payers last) is registered first.
func createBlocks(t *testing.T, items ...map[string]any) []assignmentV2 {
	t.Helper()
	var made []assignmentV2
	t.Cleanup(func() { deleteBlocks(t, made) })
	r := do(t, call{method: http.MethodPost, path: assignmentsV2Path, body: map[string]any{"aws_account_assignments": items}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var body struct {
		Items []assignmentV2 `json:"aws_account_assignments"`
	}
	r.decode(t, &body)
	made = body.Items
	return made
}

// deleteBlocks deletes the assignments, those that pay for others last.
func deleteBlocks(t *testing.T, asgs []assignmentV2) {
	ordered := append([]assignmentV2(nil), asgs...)
	slices.SortStableFunc(ordered, func(a, b assignmentV2) int {
		return boolInt(a.OwnerID == a.Payer) - boolInt(b.OwnerID == b.Payer)
	})
	for _, a := range ordered {
		r := do(t, call{method: http.MethodDelete, path: assignmentV2Path(a.ID)})
		if r.status != http.StatusOK && r.status != http.StatusNotFound {
			t.Errorf("cleanup: deleting assignment %d answered %d: %s", a.ID, r.status, r.body)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// One create of a block of each type; read, list, change the payer, delete:
// every success status of the five operations, and the 400, 404 and 422s.
func TestBlocksLifecycle(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	cons := p.V2ConsolidatedOwnerIDs[:2]
	made := createBlocks(t,
		map[string]any{"target_client_api_id": p.V2ClientAPIID, "billing_block_name": "contract-tests family", "billing_block_type": "Family", "owner_id": p.V2FamilyHead},
		map[string]any{"target_client_api_id": fmt.Sprint(p.V2ClientAPIID), "billing_block_name": "contract-tests consolidated", "billing_block_type": "Consolidated",
			"owner_id": cons, "payer_account_owner_id": cons[0]},
		map[string]any{"target_client_api_id": p.V2ClientAPIID, "billing_block_name": "contract-tests standalone", "billing_block_type": "Standalone", "owner_id": []string{p.V2StandaloneOwnerID}},
	)
	require.GreaterOrEqual(t, len(made), 5, "the family expands to its head and at least one more account")
	var family []assignmentV2
	for _, a := range made {
		require.Equal(t, p.V2ClientAPIID, a.Target)
		require.NotNil(t, a.ErrorFields)
		require.Empty(t, a.ErrorFields)
		if a.Type == "Family" {
			family = append(family, a)
			require.Equal(t, p.V2FamilyHead, a.Payer)
			suite.v2FamilyMembers = append(suite.v2FamilyMembers, a.OwnerID)
		}
	}
	require.Equal(t, p.V2FamilyHead, family[0].OwnerID, "the head comes first")

	// Read one and the customer's list.
	r := do(t, call{method: http.MethodGet, path: assignmentV2Path(made[0].ID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var one assignmentV2
	r.decode(t, &one)
	want := made[0]
	want.ErrorFields = nil
	require.Equal(t, want, one)
	r = do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?target_client_api_id=%d&per_page=100", assignmentsV2Path, p.V2ClientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.NotEmpty(t, r.header.Get("X-Total"))

	// Version 1 no longer serves this customer's assignments.
	r = do(t, call{method: http.MethodGet, path: assignmentPath(made[0].ID)})
	require.Len(t, requireErrors(t, r), 1)

	// The consolidated block's payer moves to its second member.
	r = do(t, call{method: http.MethodPut, path: assignmentV2Path(p.V2ClientAPIID),
		body: map[string]any{"billing_block_name": "contract-tests consolidated", "payer_account_owner_id": cons[1]}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var moved struct {
		Items []assignmentV2 `json:"aws_account_assignments"`
	}
	r.decode(t, &moved)
	require.Len(t, moved.Items, 2)
	for _, a := range moved.Items {
		require.Equal(t, cons[1], a.Payer)
	}
	for i := range made {
		if made[i].Type == "Consolidated" {
			made[i].Payer = cons[1] // for the cleanup's order
		}
	}
	r = do(t, call{method: http.MethodPut, path: assignmentV2Path(p.V2ClientAPIID),
		body: map[string]any{"billing_block_name": "contract-tests family", "payer_account_owner_id": p.V2FamilyHead}})
	require.NotEmpty(t, requireErrors(t, r), "only a Consolidated block's payer changes")
	r = do(t, call{method: http.MethodPut, path: assignmentV2Path(p.UnknownClientAPIID),
		body: map[string]any{"billing_block_name": "x", "payer_account_owner_id": cons[0]}})
	requireError(t, r, http.StatusNotFound)

	// The family's head cannot go while its family stays.
	r = do(t, call{method: http.MethodDelete, path: assignmentV2Path(family[0].ID)})
	requireError(t, r, http.StatusBadRequest)
	// The standalone one goes, answering what it was.
	for _, a := range made {
		if a.Type == "Standalone" {
			r = do(t, call{method: http.MethodDelete, path: assignmentV2Path(a.ID)})
			require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
			var gone assignmentV2
			r.decode(t, &gone)
			require.Equal(t, a.ID, gone.ID)
			r = do(t, call{method: http.MethodGet, path: assignmentV2Path(a.ID)})
			requireError(t, r, http.StatusNotFound)
		}
	}
}

// A create with a failing member assigns nothing and lists every member
// with its errors; a body of the wrong shape is an {"errors": [...]}.
func TestBlocksRefused(t *testing.T) {
	p := suite.profile
	r := do(t, call{method: http.MethodPost, path: assignmentsV2Path, body: map[string]any{"aws_account_assignments": []any{
		map[string]any{"target_client_api_id": p.V2ClientAPIID, "billing_block_type": "Standalone", "owner_id": []string{p.V2StandaloneOwnerID}},
		map[string]any{"target_client_api_id": p.UnknownClientAPIID, "billing_block_type": "Standalone", "owner_id": p.UnassignableOwnerID},
	}}})
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "body: %s", r.body)
	var body struct {
		Items []assignmentV2 `json:"aws_account_assignments"`
	}
	r.decode(t, &body)
	require.Len(t, body.Items, 2)
	require.Empty(t, body.Items[0].ErrorFields, "the first member would have passed")
	require.NotEmpty(t, body.Items[1].ErrorFields["target_client_api_id"])

	for _, bad := range []any{`[]`, map[string]any{}, map[string]any{"aws_account_assignments": []any{}}, map[string]any{"aws_account_assignments": []any{"x"}}} {
		require.NotEmpty(t, requireErrors(t, do(t, call{method: http.MethodPost, path: assignmentsV2Path, body: bad, invalid: true})))
	}
	requireError(t, do(t, call{method: http.MethodGet, path: assignmentsV2Path + fmt.Sprintf("?target_client_api_id=%d", p.UnknownClientAPIID)}), http.StatusNotFound)
	require.NotEmpty(t, requireErrors(t, do(t, call{method: http.MethodGet, path: assignmentsV2Path + "?target_client_api_id=abc", invalid: true})))
	requireError(t, do(t, call{method: http.MethodGet, path: assignmentV2Path(p.UnknownAssignmentID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodDelete, path: assignmentV2Path(p.UnknownAssignmentID)}), http.StatusNotFound)
}

// The external id: the partner's, or a customer's; the {id} segment is not
// looked up.
func TestExternalID(t *testing.T) {
	p := suite.profile
	for _, path := range []string{externalIDPath, "/v1/aws_accounts/12345/generate_external_id",
		fmt.Sprintf("%s?client_api_id=%d", externalIDPath, p.ClientAPIID)} {
		r := do(t, call{method: http.MethodGet, path: path})
		require.Equal(t, http.StatusOK, r.status, "%s: %s", path, r.body)
		var body struct {
			ID string `json:"generated_external_id"`
		}
		r.decode(t, &body)
		require.NotEmpty(t, body.ID)
	}
	requireError(t, do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?client_api_id=%d", externalIDPath, p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: externalIDPath + "?client_api_id=abc", invalid: true}), http.StatusUnprocessableEntity)
}
