package emulatortest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// Verify fails t unless exactly want journaled requests match f, like
// WireMock's verify. The failure lists the journal's near misses: the
// requests of the same method or path prefix, with their status and
// diagnostic.
func Verify(t testing.TB, c *emulator.ControlClient, f emulator.JournalFilter, want int) {
	t.Helper()
	got, err := c.JournalCount(f)
	if err != nil {
		t.Fatalf("emulator journal count: %v", err)
	}
	if got == want {
		return
	}
	t.Errorf("emulator: %d requests match %s, want %d%s", got, describe(f), want, nearMisses(c, f))
}

// FailOnUnmatched returns an Options.OnUnmatched that fails t on every
// CloudHealth API request that matched no route of openapi.yaml (the client
// got a 404 for a path or method CloudHealth does not serve).
func FailOnUnmatched(t testing.TB) func(method, path string) {
	return func(method, path string) {
		t.Errorf("emulator: %s %s matches no route of openapi.yaml (answered 404)", method, path)
	}
}

func describe(f emulator.JournalFilter) string {
	var parts []string
	if f.Method != "" {
		parts = append(parts, "method "+f.Method)
	}
	if f.PathPrefix != "" {
		parts = append(parts, "path prefix "+f.PathPrefix)
	}
	if f.Operation != "" {
		parts = append(parts, "operation "+f.Operation)
	}
	if f.Status != nil {
		parts = append(parts, fmt.Sprintf("status %d", *f.Status))
	}
	if len(parts) == 0 {
		return "any request"
	}
	return strings.Join(parts, ", ")
}

// nearMisses lists up to ten journaled requests that share f's method or
// path prefix but were not counted.
func nearMisses(c *emulator.ControlClient, f emulator.JournalFilter) string {
	entries, err := c.Journal(emulator.JournalFilter{})
	if err != nil {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, e := range entries {
		sameMethod := f.Method != "" && strings.EqualFold(e.Method, f.Method)
		samePath := f.PathPrefix != "" && strings.HasPrefix(e.Path, f.PathPrefix)
		sameOp := f.Operation != "" && e.Operation == f.Operation
		if !sameMethod && !samePath && !sameOp {
			continue
		}
		if n == 10 {
			b.WriteString("\n  ...")
			break
		}
		n++
		fmt.Fprintf(&b, "\n  #%d %s %s -> %d", e.Seq, e.Method, e.Path, e.Status)
		if e.Operation != "" {
			fmt.Fprintf(&b, " (%s)", e.Operation)
		}
		if e.Diagnostic != "" {
			b.WriteString(": " + e.Diagnostic)
		}
	}
	if n == 0 {
		return "; the journal holds no request near it"
	}
	return "; near misses in the journal:" + b.String()
}
