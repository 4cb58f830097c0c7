package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The control API closed to browsers: cross-site requests, foreign Hosts
// (DNS rebinding) and bodies a form or fetch could send without a preflight.

// changeState makes the state differ from the start-up fixtures, so that a
// reset would show.
func changeState(t *testing.T, ts *testServer) {
	t.Helper()
	r := ts.post("/v1/customers", map[string]any{"name": "Guard Test Customer", "address": map[string]any{
		"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
}

func TestControlRefusesCrossSiteRequests(t *testing.T) {
	ts := newTestServer(t, Options{})
	changeState(t, ts)
	own := ts.URL
	for name, header := range map[string]http.Header{
		"another origin":             {"Origin": {"http://evil.example"}},
		"another port":               {"Origin": {strings.Replace(own, "127.0.0.1:", "127.0.0.1:1", 1)}},
		"localhost, not the IP":      {"Origin": {strings.Replace(own, "127.0.0.1", "localhost", 1)}},
		"https":                      {"Origin": {strings.Replace(own, "http:", "https:", 1)}},
		"null":                       {"Origin": {"null"}},
		"not an origin":              {"Origin": {own + "/page"}},
		"two origins":                {"Origin": {own, "http://evil.example"}},
		"sec-fetch-site":             {"Sec-Fetch-Site": {"cross-site"}},
		"sec-fetch-site, own origin": {"Origin": {own}, "Sec-Fetch-Site": {"cross-site"}},
	} {
		t.Run(name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.do(request{Method: http.MethodPost, Path: resetPath, Header: header})
				requireJSONError(t, r, http.StatusForbidden)
				require.Equal(t, msgCrossSite, r.Error())
				r = ts.do(request{Method: http.MethodPost, Path: faultsPath, Header: header, Body: `{"path": "/v1/customers", "status": 500}`})
				requireJSONError(t, r, http.StatusForbidden)
				r = ts.do(request{Method: http.MethodGet, Path: statePath, Header: header})
				requireJSONError(t, r, http.StatusForbidden)
				require.NotContains(t, string(r.Body), demoKey)
				requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: healthPath, Header: header}), http.StatusForbidden)
			})
			faults, err := ts.inst.Control.Faults()
			require.NoError(t, err)
			require.Empty(t, faults)
		})
	}
	// The emulator's own origin (a page it serves), same-origin and same-site
	// fetches are served.
	for _, header := range []http.Header{
		{"Origin": {own}},
		{"Origin": {strings.ToUpper(own)}},
		{"Sec-Fetch-Site": {"same-origin"}},
		{"Sec-Fetch-Site": {"none"}},
	} {
		require.Equal(t, http.StatusOK, ts.do(request{Method: http.MethodGet, Path: healthPath, Header: header}).Status, "%v", header)
	}
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath, Header: http.Header{"Origin": {own}}}).Status)
}

// While listening on 127.0.0.1, a page whose DNS name was rebound to it
// cannot read the state (every partner's keys) or change it.
func TestControlRefusesAForeignHost(t *testing.T) {
	ts := newTestServer(t, Options{})
	changeState(t, ts)
	port := ts.URL[strings.LastIndex(ts.URL, ":")+1:]
	for _, host := range []string{"evil.example:" + port, "evil.example", "10.0.0.1:" + port, "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port} {
		t.Run(host, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.do(request{Method: http.MethodGet, Path: statePath, Host: host})
				requireJSONError(t, r, http.StatusForbidden)
				require.Equal(t, msgForeignHost, r.Error())
				require.NotContains(t, string(r.Body), demoKey)
				requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: resetPath, Host: host}), http.StatusForbidden)
				requireJSONError(t, ts.do(request{Method: http.MethodPut, Path: statePath, Host: host, Body: `{"partners": []}`}), http.StatusForbidden)
				requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: healthPath, Host: host}), http.StatusForbidden)
			})
		})
	}
	for _, host := range []string{"localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "127.1.2.3:" + port, "[::1]:" + port, "[::1]"} {
		r := ts.do(request{Method: http.MethodGet, Path: statePath, Host: host})
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", host, r.Body)
	}
	// The CloudHealth API itself is not guarded by Host.
	require.Equal(t, http.StatusOK, ts.do(request{Method: http.MethodGet, Path: "/v1/customers", Key: demoKey, Host: "evil.example"}).Status)
}

// Every control operation, health included, refuses a foreign Host and a
// cross-site request; the 403 is documented in control-openapi.yaml (the
// harness fails on an undocumented answer).
func TestControlGuardCoversEveryOperation(t *testing.T) {
	ts := newTestServer(t, Options{})
	ops := append(controlOps[:len(controlOps):len(controlOps)], struct {
		name         string
		method, path string
		body         string
		status       int
	}{"health", http.MethodGet, healthPath, "", http.StatusOK})
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			ts := ts.sub(t)
			var body any
			if op.body != "" {
				body = op.body
			}
			ts.unchanged(func() {
				requireJSONError(t, ts.do(request{Method: op.method, Path: op.path, Body: body, Host: "evil.example"}), http.StatusForbidden)
				requireJSONError(t, ts.do(request{Method: op.method, Path: op.path, Body: body, Header: http.Header{"Origin": {"null"}}}), http.StatusForbidden)
			})
			// A body a form or a no-preflight fetch sends: 422, nothing done.
			ts.unchanged(func() {
				for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json-patch+json"} {
					b := op.body
					if b == "" {
						b = "{}"
					}
					r := ts.do(request{Method: op.method, Path: op.path, Body: b, ContentType: ct})
					requireJSONError(t, r, http.StatusUnprocessableEntity)
				}
				requireJSONError(t, sendWithoutContentType(t, ts, op.method, op.path, "{}"), http.StatusUnprocessableEntity)
			})
		})
	}
	faults, err := ts.inst.Control.Faults()
	require.NoError(t, err)
	require.Empty(t, faults)
}

// POST /__emulator/reset takes no body, or JSON; anything else is refused and
// the state stays as it is.
func TestControlResetContentType(t *testing.T) {
	ts := newTestServer(t, Options{})
	changeState(t, ts)
	for _, c := range []struct{ contentType, body string }{
		{"text/plain", "x"},
		{"application/x-www-form-urlencoded", "a=b"},
		{"application/yaml", "a: b"},
		{"application/jsonx", "{}"},
	} {
		ts.unchanged(func() {
			r := ts.do(request{Method: http.MethodPost, Path: resetPath, Body: c.body, ContentType: c.contentType})
			requireJSONError(t, r, http.StatusUnprocessableEntity)
			require.Equal(t, msgControlType, r.Error())
		})
	}
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath, Body: "{}"}).Status)
	changeState(t, ts)
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath}).Status)
	// YAML where the operation takes it.
	require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPut, Path: statePath, Body: "partners: []\n", ContentType: "application/yaml"}).Status)
	r := ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: "path: /a\nstatus: 500\n", ContentType: "application/yaml"})
	requireJSONError(t, r, http.StatusUnprocessableEntity)
}

// Checks run in order: Host and Origin (403), the admin token (401), then the
// Content-Type (422).
func TestControlGuardOrder(t *testing.T) {
	const token = "guard-token"
	ts := newTestServer(t, Options{AdminToken: token})
	withToken := http.Header{"X-Emulator-Admin-Token": {token}}
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: resetPath, Body: "x", ContentType: "text/plain", Host: "evil.example", Header: withToken}), http.StatusForbidden)
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: resetPath, Body: "x", ContentType: "text/plain", Header: http.Header{"Origin": {"null"}}}), http.StatusForbidden)
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: resetPath, Body: "x", ContentType: "text/plain"}), http.StatusUnauthorized)
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: resetPath, Body: "x", ContentType: "text/plain", Header: withToken}), http.StatusUnprocessableEntity)
	// Health needs no token, but is still guarded.
	requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: healthPath, Host: "evil.example"}), http.StatusForbidden)
	require.Equal(t, http.StatusOK, ts.do(request{Method: http.MethodGet, Path: healthPath}).Status)
}

// Served without a listener (a handler called directly), the Host is not
// checked: there is no loopback address to protect.
func TestControlHostCheckNeedsALoopbackListener(t *testing.T) {
	srv, err := New(Options{})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, healthPath, nil)
	req.Host = "evil.example"
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	var body map[string]string
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Equal(t, "ok", body["status"])
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost:8080": true, "127.0.0.1": true, "127.255.0.9:1": true,
		"[::1]": true, "[::1]:8080": true, "::1": true, "[::ffff:127.0.0.1]:80": true,
		"evil.example": false, "localhost.evil.example": false, "10.0.0.1": false, "[::2]:80": false,
		"0.0.0.0": false, "": false, "127.0.0.1.nip.io": false,
	} {
		require.Equal(t, want, isLoopbackHost(host), host)
	}
}

func TestCrossSite(t *testing.T) {
	for _, c := range []struct {
		host, origin, fetchSite string
		want                    bool
	}{
		{"127.0.0.1:8080", "", "", false},
		{"127.0.0.1:8080", "http://127.0.0.1:8080", "", false},
		{"localhost", "http://localhost:80", "", false},
		{"localhost:80", "http://LOCALHOST", "", false},
		{"127.0.0.1:8080", "http://127.0.0.1:8081", "", true},
		{"127.0.0.1:8080", "null", "", true},
		{"127.0.0.1:8080", "file://", "", true},
		{"127.0.0.1:8080", "", "cross-site", true},
		{"127.0.0.1:8080", "", "same-site", false},
		{"127.0.0.1:8080", "http://127.0.0.1:8080", "Cross-Site", true},
		{"127.0.0.1:8080", "http://user@127.0.0.1:8080", "", true},
		{"127.0.0.1:8080", "%zz", "", true},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://"+c.host+"/__emulator/health", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if c.fetchSite != "" {
			r.Header.Set("Sec-Fetch-Site", c.fetchSite)
		}
		require.Equal(t, c.want, crossSite(r), "%+v", c)
	}
}

// sendWithoutContentType sends a body with no Content-Type header at all.
func sendWithoutContentType(t *testing.T, ts *testServer, method, path, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}
