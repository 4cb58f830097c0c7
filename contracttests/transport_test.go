package contracttests

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
)

// The transport itself, pointed at a small fake server that answers what a
// broken CloudHealth (or emulator) might: it must catch each break with the
// operation, the status and the violation. These tests need no target.

// fakeAPI answers every request with status, header and body, and counts the
// requests that reached it.
func fakeAPI(t *testing.T, status int, header http.Header, body string) (*http.Client, *Coverage, *atomic.Int32, string) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	cov := NewCoverage()
	tr, err := NewTransport(cloudhealthemulator.OpenAPI, nil, cov)
	require.NoError(t, err)
	return &http.Client{Transport: tr}, cov, &hits, srv.URL
}

func send(client *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := client.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	return resp, err
}

func TestTransportCatchesBrokenResponses(t *testing.T) {
	location := http.Header{"Location": {"https://chapi.cloudhealthtech.com/v1/aws_account_assignments/1"}}
	const good = `{"id": 1, "owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001"}`
	const createBody = `{"owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001"}`
	cases := []struct {
		name           string
		method, path   string
		body           string
		status         int
		header         http.Header
		respBody       string
		op             string
		problemMatches []string
	}{
		{name: "customer_id as a string", method: http.MethodGet, path: "/v1/aws_account_assignments/1", status: 200,
			respBody: `{"id": 1, "owner_id": "000000000001", "customer_id": "1", "payer_account_owner_id": "000000000001"}`,
			op:       "getAwsAccountAssignment", problemMatches: []string{"customer_id"}},
		{name: "201 where the spec says 200", method: http.MethodPost, path: "/v1/aws_account_assignments", body: createBody,
			status: 201, header: location, respBody: good, op: "createAwsAccountAssignment", problemMatches: []string{"status 201 is not documented", "200"}},
		{name: "create without Location", method: http.MethodPost, path: "/v1/aws_account_assignments", body: createBody,
			status: 200, respBody: good, op: "createAwsAccountAssignment", problemMatches: []string{"Location"}},
		{name: "an owner id of 11 digits and an unknown field", method: http.MethodGet, path: "/v1/aws_account_assignments/1", status: 200,
			respBody: `{"id": 1, "owner_id": "00000000001", "customer_id": 1, "payer_account_owner_id": "000000000001", "extra": true}`,
			op:       "getAwsAccountAssignment", problemMatches: []string{"owner_id", "extra"}},
		{name: "a 422 in the error form of the other families", method: http.MethodPost, path: "/v1/aws_account_assignments", body: createBody,
			status: 422, respBody: `{"error": "owner_id is required"}`, op: "createAwsAccountAssignment", problemMatches: []string{"errors"}},
		{name: "Azure add answering 200", method: http.MethodPut, path: "/v1/azure_partner_customer_accounts/add/1",
			body: `{"azure_customer_ids": ["ab123"]}`, status: 200, respBody: `{"azure_partner_customer_accounts": []}`,
			op: "addAzurePartnerCustomerAccounts", problemMatches: []string{"status 200 is not documented", "207"}},
		{name: "Azure item with the seed's old key", method: http.MethodGet, path: "/v1/azure_partner_customer_accounts/list", status: 200,
			respBody: `{"azure_partner_customer_accounts": [{"customer_tenant_name": "x", "partner_customer_account": {"name": "n", "domain": "d", "azure_customer_id": "ab123", "created_at": "2018-12-27T17:36:36Z", "updated_at": "2019-04-26T20:49:59Z"}}]}`,
			op:       "listAzurePartnerCustomerAccounts", problemMatches: []string{"azure_partner_customer_account"}},
		{name: "an HTML 404", method: http.MethodDelete, path: "/v1/aws_account_assignments/9", status: 404,
			respBody: `<html>not found</html>`, op: "deleteAwsAccountAssignment", problemMatches: []string{"decode"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client, cov, hits, url := fakeAPI(t, tc.status, tc.header, tc.respBody)
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequest(tc.method, url+tc.path, body)
			require.NoError(t, err)
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			_, err = send(client, req)
			var v *Violation
			require.True(t, errors.As(err, &v), "want a *Violation, got %v", err)
			require.Equal(t, tc.op, v.Operation)
			require.Equal(t, tc.status, v.Status)
			require.Equal(t, tc.method, v.Method)
			require.Equal(t, tc.path, v.Path)
			for _, m := range tc.problemMatches {
				require.Contains(t, v.Problem, m)
			}
			require.Contains(t, err.Error(), tc.op)
			require.EqualValues(t, 1, hits.Load())
			require.Equal(t, 1, cov.Count(tc.op, tc.status), "the response is recorded even when it is broken")
		})
	}
}

// A correct response passes, with its body intact, and is recorded.
func TestTransportPassesValidResponses(t *testing.T) {
	const good = `{"id": 1, "owner_id": "000000000001", "customer_id": 1, "payer_account_owner_id": "000000000001"}`
	client, cov, _, url := fakeAPI(t, 200, nil, good)
	resp, err := client.Get(url + "/v1/aws_account_assignments/1")
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, good, string(got))
	require.Equal(t, 1, cov.Count("getAwsAccountAssignment", 200))
	require.Equal(t, 0, cov.Count("getAwsAccountAssignment", 404))
}

// A request the test did not mark invalid is checked and, when it breaks the
// spec, refused before it is sent; marked with ExpectInvalid it is sent as it
// is and only its response is checked.
func TestTransportChecksRequestsUnlessMarkedInvalid(t *testing.T) {
	client, cov, hits, url := fakeAPI(t, 422, nil, `{"errors": ["customer_id: value must be an integer"]}`)
	newReq := func() *http.Request {
		req, err := http.NewRequest(http.MethodPost, url+"/v1/aws_account_assignments", strings.NewReader(`{"customer_id": "1"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	_, err := send(client, newReq())
	var v *Violation
	require.True(t, errors.As(err, &v), "want a *Violation, got %v", err)
	require.Equal(t, "createAwsAccountAssignment", v.Operation)
	require.Zero(t, v.Status, "a request violation has no status")
	require.Contains(t, v.Problem, "customer_id")
	require.Contains(t, err.Error(), "request breaks openapi.yaml")
	require.Zero(t, hits.Load(), "not sent")

	resp, err := send(client, ExpectInvalid(newReq()))
	require.NoError(t, err)
	require.Equal(t, 422, resp.StatusCode)
	require.EqualValues(t, 1, hits.Load())
	require.Equal(t, 1, cov.Count("createAwsAccountAssignment", 422))
}

// A path or method of no operation is sent unchecked and recorded under no
// operation.
func TestTransportLetsUnknownRoutesThrough(t *testing.T) {
	client, cov, hits, url := fakeAPI(t, 404, nil, `<html>whatever</html>`)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v1/no_such_thing"},
		{http.MethodDelete, "/v1/aws_account_assignments"},
	} {
		req, err := http.NewRequest(tc.method, url+tc.path, nil)
		require.NoError(t, err)
		resp, err := send(client, req)
		require.NoError(t, err)
		require.Equal(t, 404, resp.StatusCode)
	}
	require.EqualValues(t, 2, hits.Load())
	require.Equal(t, 2, cov.Count("", 404))
}

// The report lists every documented status, marks what was seen, what is
// declared unreachable and what is missing, and Gaps returns the missing.
func TestCoverageReport(t *testing.T) {
	cov := NewCoverage()
	cov.Record("getAwsAccountAssignment", 200)
	cov.Record("getAwsAccountAssignment", 200)
	entries, err := Report(cov, cloudhealthemulator.OpenAPI, map[string]map[int]string{"getAwsAccountAssignment": {414: "because"}})
	require.NoError(t, err)
	byKey := map[string]Entry{}
	for _, e := range entries {
		byKey[e.Operation+" "+e.Status] = e
	}
	require.Equal(t, 2, byKey["getAwsAccountAssignment 200"].Count)
	require.False(t, byKey["getAwsAccountAssignment 200"].Gap())
	require.Equal(t, "because", byKey["getAwsAccountAssignment 414"].Unreachable)
	require.False(t, byKey["getAwsAccountAssignment 414"].Gap())
	require.True(t, byKey["getAwsAccountAssignment 404"].Gap())
	require.Len(t, Gaps(entries), len(entries)-2)
	text := FormatReport(entries)
	require.Contains(t, text, "getAwsAccountAssignment")
	require.Contains(t, text, "2 seen")
	require.Contains(t, text, "unreachable: because")
	require.Contains(t, text, "MISSING")
}
