package parity

import (
	"context"
	"net/http"
)

type testKey struct{}
type skipKey struct{}

// WithTest marks a request with the name of the test that sends it; the
// recorder (package record) writes it to the cassette (HeaderTest) and never
// sends it.
func WithTest(r *http.Request, name string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), testKey{}, name))
}

// WithSkip marks a request whose exchange replay must skip, and why (an answer
// only the target's own controls can produce, such as an emulator fault rule).
func WithSkip(r *http.Request, reason string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), skipKey{}, reason))
}

// Marks returns the test name and the skip reason a request was marked with.
func Marks(ctx context.Context) (test, skip string) {
	test, _ = ctx.Value(testKey{}).(string)
	skip, _ = ctx.Value(skipKey{}).(string)
	return test, skip
}
