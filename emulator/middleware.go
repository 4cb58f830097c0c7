package emulator

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
)

// Limits of CloudHealth's API (how-to-use-api.md; BEHAVIOR.md section 1).
const (
	maxURILength = 4000
	maxBodyBytes = 1 << 20
)

// recoverPanics answers a panic anywhere below with a 500 JSON error and logs
// it with its stack; the server goes on.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic while serving a request", "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeError(w, http.StatusInternalServerError, msgInternalFailure)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// normalizeSlashes serves `//api/v1/x` as `/api/v1/x` (one public client
// builds such paths) and `/v1/x/` as `/v1/x` (the guide's own list example
// ends in a slash, and Rails routing ignores it). It rewrites rather than
// redirects: a 301 would turn a client's POST into a GET.
func normalizeSlashes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.Contains(p, "//") || (len(p) > 1 && strings.HasSuffix(p, "/")) {
			u := *r.URL
			u.Path = cleanSlashes(u.Path)
			if u.RawPath != "" {
				u.RawPath = cleanSlashes(u.RawPath)
			}
			r2 := r.Clone(r.Context())
			r2.URL = &u
			r = r2
		}
		next.ServeHTTP(w, r)
	})
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

// enforceLimits answers 414 for a URI over 4000 characters and 413 for a
// declared body over 1 MiB, before anything else looks at the request, and
// caps what a handler can read of an undeclared (chunked) body.
func enforceLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURILength {
			writeError(w, http.StatusRequestURITooLong, msgURITooLong)
			return
		}
		if r.ContentLength > maxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
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
