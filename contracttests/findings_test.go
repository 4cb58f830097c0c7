package contracttests

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Against the real API (Findings set), a field openapi.yaml does not know and
// a required field left out are findings, not failures; a wrong type still
// fails. Against the emulator (no Findings) all three fail.
func TestTransportReportsFindingsAgainstTheRealAPI(t *testing.T) {
	cases := []struct {
		name, body string
		finding    bool
	}{
		{"an unknown field", `{"id": 1, "owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001", "region": "us"}`, true},
		{"a required field left out", `{"id": 1, "owner_id": "000000000001", "payer_account_owner_id": "000000000001"}`, true},
		{"a wrong type", `{"id": "1", "owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001"}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, real := range []bool{true, false} {
				client, _, _, url := fakeAPI(t, http.StatusOK, nil, tc.body)
				findings := NewFindings()
				if real {
					client.Transport.(*Transport).Findings = findings
				}
				req, err := http.NewRequest(http.MethodGet, url+"/v1/aws_account_assignments/1", nil)
				require.NoError(t, err)
				_, err = send(client, req)
				if real && tc.finding {
					require.NoError(t, err)
					require.Equal(t, 1, findings.Len(), findings.Report())
					require.Contains(t, findings.Report(), "getAwsAccountAssignment 200")
				} else {
					var v *Violation
					require.ErrorAs(t, err, &v)
					require.Zero(t, findings.Len())
				}
			}
		})
	}
}
