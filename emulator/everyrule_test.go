package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A v1 assignment whose owner is already assigned (rule 3) and whose
// customer has partner billing off (rule 5) also reports the pattern and
// payer failures (rules 6 and 7) over HTTP, and changes nothing.
func TestAssignmentReportsEveryRule(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.unchanged(func() {
		r := ts.post(assignmentsPath, assignmentBody("000000000002", 3, "000000000004"))
		require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
		require.Equal(t, []string{
			`owner_id "000000000002" is already assigned by AWS account assignment 1`,
			"customer_id 3 does not have partner billing enabled (partner_billing_configuration.enabled is false)",
			"customer_id 3: the assignments would be neither all standalone nor one consolidated account with every other one linked to it",
			`payer_account_owner_id "000000000004" is not the owner_id of a consolidated AWS account assignment of customer 3`,
		}, r.Errors())
	})
}
