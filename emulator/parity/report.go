package parity

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Summary is the one-line count of verdicts.
func (r *Report) Summary() string {
	return fmt.Sprintf("%d exchanges: %d MATCH, %d DIFF, %d KNOWN, %d SKIP; %d spec findings, %d spec violations in the recorded answers",
		len(r.Exchanges), r.Counts[VerdictMatch], r.Counts[VerdictDiff], r.Counts[VerdictKnown], r.Counts[VerdictSkip],
		r.specCount("finding"), r.specCount("violation"))
}

func (r *Report) specCount(kind string) int {
	n := 0
	for _, f := range r.Spec {
		if f.Kind == kind {
			n++
		}
	}
	return n
}

// WriteMarkdown writes the report for people: the counts, then every DIFF
// and KNOWN exchange with its differences, the SKIPs with their reasons, a
// table of every exchange, and the recorded answers that openapi.yaml does
// not describe.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Parity report\n\nCassettes: %s\n\n%s.\n\n", strings.Join(r.Cassettes, ", "), r.Summary())
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "- Note: %s\n", n)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	for _, verdict := range []string{VerdictDiff, VerdictKnown} {
		var xs []Exchange
		for _, x := range r.Exchanges {
			if x.Verdict == verdict {
				xs = append(xs, x)
			}
		}
		if len(xs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n", verdict)
		for _, x := range xs {
			fmt.Fprintf(&b, "### #%d %s %s (%s)\n\n", x.Index, x.Method, cell(x.Path), orDash(x.Operation))
			fmt.Fprintf(&b, "Test: %s. Recorded %d, emulated %d.\n\n", orDash(x.Test), x.Recorded, x.Emulated)
			b.WriteString("| Path | Recorded | Emulated | Known (docs/fidelity.md) |\n| --- | --- | --- | --- |\n")
			for _, d := range x.Diffs {
				fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", d.Path, code(d.Recorded), code(d.Emulated), orDash(d.Known))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("## Every exchange\n\n| # | Verdict | Test | Operation | Request | Status (recorded / emulated) | Note |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, x := range r.Exchanges {
		note := x.Reason
		if len(x.Diffs) > 0 {
			note = fmt.Sprintf("%d differences", len(x.Diffs))
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | `%s %s` | %d / %d | %s |\n", x.Index, x.Verdict, cell(orDash(x.Test)), orDash(x.Operation),
			x.Method, cell(x.Path), x.Recorded, x.Emulated, cell(orDash(note)))
	}
	b.WriteString("\n## Recorded answers against openapi.yaml\n\n")
	if len(r.Spec) == 0 {
		b.WriteString("Every recorded answer is described by openapi.yaml.\n")
	} else {
		b.WriteString("A finding is a field openapi.yaml does not know, or a required one the answer leaves out; a violation is anything else.\n\n| # | Kind | Operation | Request | Status | Problem |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, f := range r.Spec {
			fmt.Fprintf(&b, "| %d | %s | %s | `%s %s` | %d | %s |\n", f.Exchange, f.Kind, f.Operation, f.Method, cell(f.Path), f.Status, cell(f.Problem))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// cell makes text safe inside a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// code shows a value in a table cell.
func code(s string) string {
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return "`" + strings.ReplaceAll(cell(s), "`", "'") + "`"
}
