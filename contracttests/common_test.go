package contracttests

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The answers every operation shares, checked through each family's probes.
// None of these requests gets past the limits or the credentials check, so
// they change nothing on any target and always run.

// Without credentials, or with an Authorization header that is not Bearer: 401.
func TestEveryOperationRefusesMissingCredentials(t *testing.T) {
	for _, p := range allProbes() {
		for _, a := range []auth{authNone, authBasic} {
			t.Run(p.op, func(t *testing.T) {
				requireError(t, do(t, call{method: p.method, path: p.path, body: probeBody(p), auth: a, invalid: true}), http.StatusUnauthorized)
			})
		}
	}
}

// A key that matches no partner: 403, in the header or in the query.
func TestEveryOperationRefusesAnUnknownKey(t *testing.T) {
	for _, p := range allProbes() {
		t.Run(p.op, func(t *testing.T) {
			requireError(t, do(t, call{method: p.method, path: p.path, body: probeBody(p), auth: authBadKey, invalid: true}), http.StatusForbidden)
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			requireError(t, do(t, call{method: p.method, path: p.path + sep + "api_key=" + badKey, body: probeBody(p), auth: authNone, invalid: true}), http.StatusForbidden)
		})
	}
}

// A URI over 4000 characters: 414, before credentials are looked at.
func TestEveryOperationRefusesALongURI(t *testing.T) {
	for _, p := range allProbes() {
		t.Run(p.op, func(t *testing.T) {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			long := p.path + sep + "padding=" + strings.Repeat("a", 4001)
			requireError(t, do(t, call{method: p.method, path: long, body: probeBody(p), auth: authNone, invalid: true}), http.StatusRequestURITooLong)
		})
	}
}

// A body over 1 MiB: 413, before credentials are looked at. Sent to every
// operation that takes a body, and to every other one whose 413 openapi.yaml
// documents (a GET or DELETE with a body is refused by its declared size too).
func TestEveryOperationWithABodyRefusesAnOversizedOne(t *testing.T) {
	for _, p := range allProbes() {
		if !p.body && !documents(t, p.op, http.StatusRequestEntityTooLarge) {
			continue
		}
		t.Run(p.op, func(t *testing.T) {
			big := bytes.Repeat([]byte(" "), 1<<20)
			big = append(append([]byte(`{"padding": "x"`), big...), '}')
			requireError(t, do(t, call{method: p.method, path: p.path, body: big, auth: authNone, invalid: true}), http.StatusRequestEntityTooLarge)
		})
	}
}

// probeBody is a small JSON body for operations that take one.
func probeBody(p probe) any {
	if p.body {
		return "{}"
	}
	return nil
}

// A Bearer header wins over an api_key query parameter: a good header with a
// bad query key is served, a bad header with the good query key is a 403.
// Checked on every read operation (a GET changes nothing).
func TestBearerHeaderWinsOverQueryKey(t *testing.T) {
	for _, p := range allProbes() {
		if p.method != http.MethodGet {
			continue
		}
		t.Run(p.op, func(t *testing.T) {
			sep := "?"
			if strings.Contains(p.path, "?") {
				sep = "&"
			}
			r := do(t, call{method: p.method, path: p.path + sep + "api_key=" + badKey, invalid: true})
			require.NotEqual(t, http.StatusUnauthorized, r.status, "body: %s", r.body)
			require.NotEqual(t, http.StatusForbidden, r.status, "body: %s", r.body)
			requireError(t, do(t, call{method: p.method, path: p.path + sep + "api_key=" + suite.apiKey, auth: authBadKey, invalid: true}), http.StatusForbidden)
		})
	}
}

// An unknown path, or a method a path does not serve: 404 with a JSON error
// body, never HTML or plain text.
func TestUnknownRoutesAreJSON404s(t *testing.T) {
	cases := []struct{ method, path string }{
		{http.MethodGet, "/v1/no_such_collection"},
		{http.MethodGet, "/v1/aws_account_assignments/1/no_such_thing"},
		{http.MethodDelete, "/v1/aws_account_assignments"},
		{http.MethodPost, "/v1/azure_partner_customer_accounts/list"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			requireError(t, do(t, call{method: tc.method, path: tc.path, invalid: true}), http.StatusNotFound)
		})
	}
}
