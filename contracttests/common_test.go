package contracttests

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
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

// A body over 1 MiB: 413, before credentials are looked at.
func TestEveryOperationWithABodyRefusesAnOversizedOne(t *testing.T) {
	for _, p := range allProbes() {
		if !p.body {
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
