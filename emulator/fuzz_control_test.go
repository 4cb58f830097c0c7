package emulator

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// Fuzz targets of the control API bodies and headers: the fault rule parser
// (POST /__emulator/faults) and the guard (Host, Origin, Content-Type).

var faultRuleSeeds = []string{
	`{"method": "get", "path": "/v1/aws_account_assignments/{id}", "status": 429, "headers": {"Retry-After": "1"}, "times": 2}`,
	`{"path_prefix": "/v1/", "status": 503, "body": "busy", "probability": 0.5}`,
	`{"path": "/v1/customers", "latency_ms": 5}`,
	`{"path": "/v1/customers", "close_connection": true}`,
	`{"path": "/__emulator/state", "status": 500}`,
	`{"path_prefix": "/__emulator/", "status": 500}`,
	`{"path": "/v1/customers/", "status": 500}`,
	`{"path": "/a", "status": 500, "headers": {"Content-Length": "1"}}`,
	`{"path": "/a", "status": 500, "headers": {"transfer-encoding": "chunked"}}`,
	`{"path": "/a", "status": 500, "headers": {"Connection": "close", "Upgrade": "h2c", "TE": "trailers"}}`,
	`{"path": "/a", "status": 500, "headers": {"X-A": "a\u0000b"}}`,
	`{"path": "/a", "status": 500, "headers": {"X-A": "a\u007fb\tc"}}`,
	`{"path": "/a", "status": 500, "probability": 1e-300}`,
	`{"path": "/a", "status": 500, "probability": 1.1102230246251565e-16}`,
	`{"path": "/a", "status": 500, "probability": 5e-324}`,
	`{"path": "/a", "status": 500, "body": {"error": "x"}, "headers": {"Content-Type": "application/problem+json"}}`,
	`{"path": "/{a}/{b}", "status": 204, "body": "x"}`,
	`{"path": "/a", "status": 500, "body": "\xff"}`,
	`{}`,
	`[]`,
	``,
}

func FuzzAddFault(f *testing.F) {
	for _, s := range faultRuleSeeds {
		f.Add([]byte(s))
	}
	fz := newFuzzServer(f)
	ctl := NewControlClient(fz.url, "")
	f.Fuzz(func(t *testing.T, body []byte) {
		ts := fz.session(t)
		require.NoError(t, ctl.ClearFaults())
		r := fz.step(t, ts, fz.baseline, request{Method: http.MethodPost, Path: faultsPath, Body: body}, nil)
		faults, err := ctl.Faults()
		require.NoError(t, err)
		if r.Status != http.StatusCreated {
			require.Empty(t, faults, "a refused rule (%d) was added: %s", r.Status, r.Body)
			return
		}
		require.Len(t, faults, 1)
		// What was accepted is a rule the parser itself accepts again, within
		// the bounds.
		rule := faults[0].FaultRule
		require.Empty(t, rule.normalize(), "an accepted rule has problems: %s", r.Body)
		require.LessOrEqual(t, len(rule.Body), maxFaultBody)
		for name, value := range rule.Headers {
			require.False(t, framingHeaders[http.CanonicalHeaderKey(name)], name)
			for _, c := range value {
				require.False(t, isControlChar(c), "%q", value)
			}
		}
		var echoed Fault
		require.NoError(t, json.Unmarshal(r.Body, &echoed))
		require.Equal(t, faults[0], echoed)
		require.NoError(t, ctl.ClearFaults())
	})
}

// FuzzControlGuard sends POST /__emulator/reset and GET /__emulator/state
// with fuzzed Host, Origin and Content-Type: whatever the guard lets through,
// it never answers 5xx or non-JSON, and a refused reset changes nothing.
func FuzzControlGuard(f *testing.F) {
	for _, s := range []struct{ host, origin, contentType, body string }{
		{"", "", "", ""},
		{"evil.example", "", "", ""},
		{"localhost", "http://localhost", "application/json", "{}"},
		{"127.0.0.1", "null", "", ""},
		{"[::1]:80", "http://[::1]", "text/plain", "x"},
		{"", "http://evil.example", "application/x-www-form-urlencoded", "a=b"},
		{"", "", "application/yaml", "a: b"},
		{"localhost:1", "http://localhost:1", "application/json; charset=utf-8", "{}"},
	} {
		f.Add(s.host, s.origin, s.contentType, []byte(s.body))
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, host, origin, contentType string, body []byte) {
		ts := fz.session(t)
		// Make the state differ from the fixtures, so that a reset shows.
		changed := ts.post("/v1/customers", `{"name": "Fuzz Guard", `+validAddress+`}`)
		require.Equal(t, http.StatusOK, changed.Status)
		before := ts.stateDump()
		req := request{Method: http.MethodPost, Path: resetPath, ContentType: contentType, Host: host}
		if len(body) > 0 {
			req.Body = body
		}
		if origin != "" {
			req.Header = http.Header{"Origin": {origin}}
		}
		if !validHostHeader(host) || !validHeaderValue(origin) || !validHeaderValue(contentType) {
			return // net/http refuses to send it
		}
		r := fz.step(t, ts, before, req, nil)
		if r.Status == http.StatusNoContent {
			require.True(t, host == "" || isLoopbackHost(host), "reset through Host %q", host)
		}
	})
}

// validHostHeader and validHeaderValue tell which fuzzed values net/http's
// client sends.
func validHostHeader(h string) bool {
	for i := 0; i < len(h); i++ {
		if c := h[i]; c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
