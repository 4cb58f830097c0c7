package emulator

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
)

// Limits of CloudHealth's API (the guide's "How to use the API" page).
const (
	maxURILength = 4000
	maxBodyBytes = 1 << 20
)

// recoverPanic, deferred, answers a panic of the request's handling with a
// 500 JSON error and logs it with its stack; the server goes on.
// http.ErrAbortHandler (a connection dropped on purpose) passes through.
func recoverPanic(log *slog.Logger, w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	log.Error("panic while serving a request", "method", r.Method, "path", r.URL.Path,
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	writeError(w, http.StatusInternalServerError, msgInternalFailure)
}

// normalizeSlashes serves `//api/v1/x` as `/api/v1/x` (one public client
// builds such paths) and `/v1/x/` as `/v1/x` (the guide's own list example
// ends in a slash, and Rails routing ignores it). It rewrites rather than
// redirects: a 301 would turn a client's POST into a GET.
func normalizeSlashes(r *http.Request) *http.Request {
	// The escaped path, so that an encoded slash (%2F) stays what it is: a
	// character of its segment.
	p := r.URL.EscapedPath()
	if !strings.Contains(p, "//") && (len(p) <= 1 || !strings.HasSuffix(p, "/")) {
		return r
	}
	clean := cleanSlashes(p)
	u := *r.URL
	u.Path, u.RawPath = clean, ""
	if path, err := url.PathUnescape(clean); err == nil && path != clean {
		u.Path, u.RawPath = path, clean
	}
	r2 := r.Clone(r.Context())
	r2.URL = &u
	return r2
}

// cleanSlashes folds runs of slashes into one and drops a trailing slash.
func cleanSlashes(p string) string {
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	out := b.String()
	if len(out) > 1 {
		out = strings.TrimSuffix(out, "/")
	}
	return out
}

// apiKey returns the key a request authenticates with: the Bearer header
// wins over the api_key query parameter; an Authorization header that is not
// "Bearer <key>" counts as no credentials of its own.
func apiKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, key, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			if key = strings.TrimSpace(key); key != "" {
				return key
			}
		}
	}
	return r.URL.Query().Get("api_key")
}
