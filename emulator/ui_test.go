package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The page's files are served from the binary under /__emulator/ui/ with a
// strict content security policy; they hold no data, so they need no admin
// token (the page asks for it); anything else under the prefix is a JSON 404.
func TestUIFiles(t *testing.T) {
	ts := newTestServer(t, Options{AdminToken: "secret"})
	tests := []struct {
		method, path string
		status       int
		contentType  string
	}{
		{http.MethodGet, "/__emulator/ui/", 200, "text/html"},
		{http.MethodGet, "/__emulator/ui", 200, "text/html"},
		{http.MethodGet, "/__emulator/ui/index.html", 200, "text/html"},
		{http.MethodGet, "/__emulator/ui/app.js", 200, "text/javascript"},
		{http.MethodGet, "/__emulator/ui/style.css", 200, "text/css"},
		{http.MethodHead, "/__emulator/ui/app.js", 200, "text/javascript"},
		{http.MethodGet, "/__emulator/ui/nothing.js", 404, "application/json"},
		{http.MethodGet, "/__emulator/ui/../state", 404, "application/json"},
		{http.MethodGet, "/__emulator/ui/.hidden", 404, "application/json"},
		{http.MethodPost, "/__emulator/ui/", 404, "application/json"},
		{http.MethodGet, "/__emulator/uix", 404, "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := ts.do(request{Method: tc.method, Path: tc.path})
			require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			require.Contains(t, r.Header.Get("Content-Type"), tc.contentType)
			if tc.status == 200 {
				require.Contains(t, r.Header.Get("Content-Security-Policy"), "script-src 'self'")
				require.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"))
			}
			if tc.status == 200 && tc.method == http.MethodGet && tc.contentType == "text/html" {
				require.Contains(t, string(r.Body), `<script src="/__emulator/ui/app.js"`)
			}
		})
	}
	// The data stays behind the token.
	requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: "/__emulator/journal"}), http.StatusUnauthorized)
}
