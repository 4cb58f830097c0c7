package emulator

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Every sh block of README.md and docs/*.md is either run here or marked
// ```sh norun, and a norun block may only hold commands a test cannot run
// (docker, podman, make, go, the binary itself). The runnable blocks of one
// page run in order on one fresh emulator (default fixtures, real clock) in
// the shell of readme_shell_test.go; what a block prints must be what the
// ```text block right after it shows (a block with no ```text block must
// print nothing), once the values that vary from run to run are replaced
// (normaliseDocOutput).
//
// go test -run TestREADMEExamples ./emulator/ -update-doc-examples rewrites
// the ```text blocks with what the blocks printed (review the diff).

var updateDocExamples = flag.Bool("update-doc-examples", false, "rewrite the ```text output blocks of README.md and docs/*.md with what their sh blocks print")

// docPages are the pages whose examples run, README first.
func docPages(t *testing.T) []string {
	pages, err := filepath.Glob("../docs/*.md")
	require.NoError(t, err)
	return append([]string{"../README.md"}, pages...)
}

// fence is one fenced code block of a Markdown page.
type fence struct {
	info       string // what follows the opening ```
	body       string
	line       int // of the opening fence, from 1
	start, end int // byte offsets of the whole block, closing fence included
	bodyStart  int
	bodyEnd    int
}

// fences returns the fenced blocks of a Markdown page in order.
func fences(t *testing.T, page string, src string) []fence {
	var out []fence
	var open *fence
	offset := 0
	for n, line := range strings.SplitAfter(src, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		switch {
		case open == nil && strings.HasPrefix(trimmed, "```"):
			open = &fence{info: strings.TrimSpace(trimmed[3:]), line: n + 1, start: offset, bodyStart: offset + len(line)}
		case open != nil && trimmed == "```":
			open.bodyEnd = offset
			open.end = offset + len(line)
			open.body = src[open.bodyStart:open.bodyEnd]
			out = append(out, *open)
			open = nil
		}
		offset += len(line)
	}
	require.Nil(t, open, "%s: a fence is not closed", page)
	return out
}

// The values that differ from one run to the next; both what a page shows
// and what the run printed have them replaced before they are compared:
// net/http's Date header (the real time of the answer), the timestamps of
// the run (the clock runs in real time; see normaliseShown and
// normalisePrinted), and how long the journal says a request took.
var (
	dateHeader      = regexp.MustCompile(`(?m)^Date: .*$`)
	timestamp       = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z`)
	journalDuration = regexp.MustCompile(`"duration_ms":[0-9.e+-]+`)
)

// docRunFloor is the first instant of the day the pages' examples were run
// on: a timestamp a page shows from then on is that run's.
var docRunFloor = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// normaliseDocOutput replaces the volatile values of s, where a timestamp is
// the run's when it lies in [from, to]; it also reads CRLF as LF.
func normaliseDocOutput(s string, from, to time.Time) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = dateHeader.ReplaceAllString(s, "Date: <now>")
	s = timestamp.ReplaceAllStringFunc(s, func(ts string) string {
		at, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil || at.Before(from) || at.After(to) {
			return ts
		}
		return "<now>"
	})
	return journalDuration.ReplaceAllString(s, `"duration_ms":<duration>`)
}

// normaliseShown and normalisePrinted normalise what a page shows and what
// this run printed: a run's timestamps are within a day of the run (a set
// clock's are not: the examples set it months back).
func normaliseShown(s string) string {
	return normaliseDocOutput(s, docRunFloor, time.Now().AddDate(100, 0, 0))
}

func normalisePrinted(s string, start time.Time) string {
	return normaliseDocOutput(s, start.Add(-24*time.Hour), time.Now().Add(24*time.Hour))
}

// commandLine is a line that starts a command the shell blocks would hold.
var commandLine = regexp.MustCompile(`(?m)^\s*(\$ )?(curl|make|go|docker|podman|cloudhealth-emulator) `)

// Commands of a ```sh norun block: what needs a container engine, a build,
// the network or a server of its own.
var norunCommands = map[string]bool{"make": true, "go": true, "docker": true, "podman": true, "cloudhealth-emulator": true, "mkdir": true, "sudo": true, "awk": true}

func requireNorun(t *testing.T, where, body string) {
	for i, line := range strings.Split(strings.ReplaceAll(body, "\\\n", ""), "\n") {
		words := strings.Fields(line)
		for len(words) > 0 && shellAssignment.MatchString(words[0]) {
			words = words[1:] // VAR=value command ...
		}
		if len(words) == 0 || strings.HasPrefix(words[0], "#") {
			continue
		}
		require.True(t, norunCommands[words[0]], "%s, line %d: %q can run in the test: put it in a ```sh block", where, i+1, words[0])
	}
}

// runDocPage runs the examples of one page and returns its shell, and the
// page with its output blocks rewritten from what was printed.
func runDocPage(t *testing.T, page string) (*docShell, string) {
	src, err := os.ReadFile(page)
	require.NoError(t, err)
	blocks := fences(t, page, string(src))
	start := time.Now()
	sh := newDocShell(t, newTestServer(t, Options{Now: time.Now}))
	var updated strings.Builder
	last := 0
	for i, b := range blocks {
		where := fmt.Sprintf("%s:%d", filepath.Base(page), b.line)
		switch strings.Fields(b.info + " x")[0] {
		case "bash", "shell", "console", "zsh":
			t.Fatalf("%s: a shell block is ```sh (run by this test) or ```sh norun", where)
		case "sh":
		default:
			require.NotRegexp(t, commandLine, b.body, "%s: a command in a ```%s block: put it in a ```sh block (run) or ```sh norun", where, b.info)
			continue
		}
		if b.info == "sh norun" {
			requireNorun(t, where, b.body)
			continue
		}
		require.Equal(t, "sh", b.info, "%s: a shell block is ```sh or ```sh norun", where)
		printed := sh.runBlock(where, b.body)
		var shown *fence
		if i+1 < len(blocks) && blocks[i+1].info == "text" && strings.TrimSpace(string(src[b.end:blocks[i+1].start])) == "" {
			shown = &blocks[i+1]
		}
		switch {
		case shown != nil:
			if *updateDocExamples {
				updated.WriteString(string(src[last:shown.bodyStart]) + printed)
				last = shown.bodyEnd
			}
			if !*updateDocExamples {
				require.Equal(t, normaliseShown(shown.body), normalisePrinted(printed, start), "%s: what the block prints is not what the page shows", where)
			}
		case printed != "":
			if *updateDocExamples {
				updated.WriteString(string(src[last:b.end]) + "```text\n" + printed + "```\n")
				last = b.end
				continue
			}
			t.Errorf("%s: the block prints this, and the page shows no ```text block after it:\n%s", where, printed)
		}
	}
	updated.WriteString(string(src[last:]))
	return sh, updated.String()
}

func TestREADMEExamples(t *testing.T) {
	for _, page := range docPages(t) {
		t.Run(filepath.Base(page), func(t *testing.T) {
			sh, updated := runDocPage(t, page)
			if page == "../README.md" {
				require.Greater(t, len(sh.statuses), 20, "the README's examples make their requests")
			}
			if *updateDocExamples {
				require.NoError(t, os.WriteFile(page, []byte(updated), 0o644))
			}
		})
	}
}

func TestREADMEExamplesNormalisation(t *testing.T) {
	run := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, c := range []struct{ in, want string }{
		{"Date: Wed, 02 Dec 2026 00:19:37 GMT\n", "Date: <now>\n"},
		{`{"created_at":"2027-03-04T05:06:09Z","x":"2018-05-16T20:18:58Z"}`, `{"created_at":"<now>","x":"2018-05-16T20:18:58Z"}`},
		{`{"time":"2027-03-04T03:36:09.4353Z"}`, `{"time":"<now>"}`},
		{`{"time":"2026-01-02T03:04:05Z"}`, `{"time":"2026-01-02T03:04:05Z"}`},
		{`{"time":"2027-03-06T05:06:07Z"}`, `{"time":"2027-03-06T05:06:07Z"}`},
		{`"duration_ms":1.156,`, `"duration_ms":<duration>,`},
		{"HTTP/1.1 200 OK\r\nX: 1\r\n", "HTTP/1.1 200 OK\nX: 1\n"},
	} {
		require.Equal(t, c.want, normaliseDocOutput(c.in, run.Add(-24*time.Hour), run.Add(24*time.Hour)), c.in)
	}
	require.Equal(t, `"<now>" "2026-11-30T23:59:59Z"`, normaliseShown(`"2026-12-02T00:19:37Z" "2026-11-30T23:59:59Z"`))
}
