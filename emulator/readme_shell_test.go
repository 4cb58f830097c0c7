package emulator

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// docShell is the small shell that runs the sh blocks of README.md and
// docs/*.md against a test server. It knows exactly what the documents use:
// comments (whole-line and trailing), backslash-newline continuations,
// NAME=word, NAME=$(pipeline), here-documents writing a file
// (cat > FILE <<'EOF'), pipelines of curl, echo, cat FILE and
// sed -E 's/re/repl/', and a final > FILE redirect. Anything else fails the
// test, so a document cannot show a command the test does not run.
//
// curl speaks HTTP/1.1 over a real connection to the test server as curl
// does: Host is the host of the URL written in the document
// (127.0.0.1:8080), User-Agent and Accept: */* are curl's, -d without a
// Content-Type header sends application/x-www-form-urlencoded, and -i prints
// the status line and the headers as they came over the wire.
type docShell struct {
	t        *testing.T
	ts       *testServer
	dir      string            // the working directory of FILE names
	vars     map[string]string // shell variables
	statuses []int             // every status curl got, in order
}

// docHost is the address the documents' URLs name; the test server answers
// in its place.
const docHost = "127.0.0.1:8080"

func newDocShell(t *testing.T, ts *testServer) *docShell {
	return &docShell{t: t, ts: ts, dir: t.TempDir(), vars: map[string]string{}}
}

var (
	shellAssignment = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	hereDocument    = regexp.MustCompile(`^cat > (\S+) <<'([A-Z]+)'$`)
)

// runBlock runs the lines of one sh block and returns what it printed.
func (sh *docShell) runBlock(where string, body string) string {
	t := sh.t
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(body, "\\\n", ""), "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		at := fmt.Sprintf("%s, line %d of the block", where, i+1)
		if m := hereDocument.FindStringSubmatch(line); m != nil {
			var doc strings.Builder
			for i++; i < len(lines) && lines[i] != m[2]; i++ {
				doc.WriteString(lines[i] + "\n")
			}
			require.Less(t, i, len(lines), "%s: here-document without its %s line", at, m[2])
			require.NoError(t, os.WriteFile(sh.path(m[1]), []byte(doc.String()), 0o600))
			continue
		}
		out.WriteString(sh.run(at, line))
	}
	return out.String()
}

// run runs one command line and returns what it printed.
func (sh *docShell) run(at, line string) string {
	t := sh.t
	t.Helper()
	if m := shellAssignment.FindStringSubmatch(line); m != nil {
		name, value := m[1], m[2]
		if strings.HasPrefix(value, "$(") && strings.HasSuffix(value, ")") {
			sh.vars[name] = strings.TrimRight(sh.pipeline(at, shellWords(t, at, value[2:len(value)-1], sh.vars)), "\n")
			return ""
		}
		words := shellWords(t, at, value, sh.vars)
		require.Len(t, words, 1, "%s: %s", at, line)
		sh.vars[name] = words[0]
		return ""
	}
	words := shellWords(t, at, line, sh.vars)
	if len(words) == 0 {
		return ""
	}
	if n := len(words); n >= 2 && words[n-2] == opRedirect {
		require.NoError(t, os.WriteFile(sh.path(words[n-1]), []byte(sh.pipeline(at, words[:n-2])), 0o600))
		return ""
	}
	return sh.pipeline(at, words)
}

// Operators in a word list (quoted | and > are ordinary words, never these).
const (
	opPipe     = "\x00|"
	opRedirect = "\x00>"
)

// pipeline runs cmd | cmd | ... and returns what the last one printed.
func (sh *docShell) pipeline(at string, words []string) string {
	t := sh.t
	t.Helper()
	input := ""
	for len(words) > 0 {
		cmd := words
		rest := []string(nil)
		for i, w := range words {
			if w == opPipe {
				cmd, rest = words[:i], words[i+1:]
				break
			}
		}
		require.NotEmpty(t, cmd, "%s: empty command in a pipeline", at)
		input = sh.command(at, cmd, input)
		words = rest
	}
	return input
}

// command runs one command with its standard input and returns its output.
func (sh *docShell) command(at string, args []string, stdin string) string {
	t := sh.t
	t.Helper()
	for _, a := range args {
		require.False(t, strings.HasPrefix(a, "\x00"), "%s: the shell does not run %q here", at, a[1:])
	}
	switch args[0] {
	case "curl":
		return sh.curl(at, args[1:])
	case "echo":
		return strings.Join(args[1:], " ") + "\n"
	case "cat":
		require.Len(t, args, 2, "%s: cat FILE", at)
		b, err := os.ReadFile(sh.path(args[1]))
		require.NoError(t, err, at)
		return string(b)
	case "sed":
		require.Len(t, args, 3, "%s: sed -E 's/re/repl/'", at)
		require.Equal(t, "-E", args[1], at)
		var out strings.Builder
		for _, l := range strings.SplitAfter(stdin, "\n") {
			if l == "" {
				continue
			}
			body := strings.TrimSuffix(l, "\n")
			out.WriteString(sed(t, at, args[2], body) + l[len(body):])
		}
		return out.String()
	}
	t.Fatalf("%s: the test does not run %q", at, args[0])
	return ""
}

// path resolves a file name of the documents in the shell's directory.
func (sh *docShell) path(name string) string {
	require.False(sh.t, filepath.IsAbs(name) || strings.Contains(name, ".."), "file %q is outside the working directory", name)
	return filepath.Join(sh.dir, name)
}

// curl sends one request as curl would and returns what curl prints.
func (sh *docShell) curl(at string, args []string) string {
	t := sh.t
	t.Helper()
	method, target, include := "", "", false
	var headers [][2]string
	var body *string
	for i := 0; i < len(args); i++ {
		next := func() string {
			i++
			require.Less(t, i, len(args), "%s: %s needs a value", at, args[i-1])
			return args[i]
		}
		a := args[i]
		switch {
		case a == "-s" || a == "--silent":
		case a == "-i" || a == "--include":
			include = true
		case a == "-X" || a == "--request":
			method = next()
		case strings.HasPrefix(a, "-X") && len(a) > 2:
			method = a[2:]
		case a == "-H" || a == "--header":
			k, v, ok := strings.Cut(next(), ":")
			require.True(t, ok, "%s: header %q", at, args[i])
			headers = append(headers, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		case a == "-d" || a == "--data":
			d := next()
			require.False(t, strings.HasPrefix(d, "@"), "%s: use --data-binary @FILE (-d @FILE strips newlines)", at)
			body = &d
		case a == "--data-binary":
			d := next()
			if strings.HasPrefix(d, "@") {
				b, err := os.ReadFile(sh.path(d[1:]))
				require.NoError(t, err, at)
				d = string(b)
			}
			body = &d
		default:
			require.False(t, strings.HasPrefix(a, "-"), "%s: the test does not know curl option %s", at, a)
			require.Empty(t, target, "%s: two URLs", at)
			target = a
		}
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target // curl's default scheme
	}
	u, err := url.Parse(target)
	require.NoError(t, err, at)
	require.Equal(t, docHost, u.Host, "%s: %q is not on the emulator's default address", at, target)
	if method == "" {
		method = http.MethodGet
		if body != nil {
			method = http.MethodPost
		}
	}
	status, head, respBody := sh.exchange(at, method, u.RequestURI(), headers, body)
	sh.statuses = append(sh.statuses, status)
	if include {
		return head + "\n" + respBody
	}
	return respBody
}

// exchange makes one HTTP/1.1 request with curl's default headers and
// returns the status, the status line and headers as received (lines ending
// in \n) and the body.
func (sh *docShell) exchange(at, method, requestURI string, headers [][2]string, body *string) (int, string, string) {
	t := sh.t
	t.Helper()
	send := [][2]string{{"Host", docHost}, {"User-Agent", "curl/8.5.0"}, {"Accept", "*/*"}}
	for _, h := range headers {
		replaced := false
		for i := range send {
			if strings.EqualFold(send[i][0], h[0]) {
				send[i], replaced = h, true
			}
		}
		if !replaced {
			send = append(send, h)
		}
	}
	if body != nil {
		send = append(send, [2]string{"Content-Length", fmt.Sprint(len(*body))})
		hasType := false
		for _, h := range send {
			hasType = hasType || strings.EqualFold(h[0], "Content-Type")
		}
		if !hasType {
			send = append(send, [2]string{"Content-Type", "application/x-www-form-urlencoded"})
		}
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\n", method, requestURI)
	for _, h := range send {
		fmt.Fprintf(&req, "%s: %s\r\n", h[0], h[1])
	}
	req.WriteString("\r\n")
	if body != nil {
		req.WriteString(*body)
	}

	conn, err := net.Dial("tcp", strings.TrimPrefix(sh.ts.URL, "http://"))
	require.NoError(t, err, at)
	defer conn.Close()
	_, err = conn.Write(req.Bytes())
	require.NoError(t, err, at)
	br := bufio.NewReader(conn)
	var head strings.Builder
	for {
		l, err := br.ReadString('\n')
		require.NoError(t, err, "%s: reading the answer's head", at)
		if l == "\r\n" {
			break
		}
		head.WriteString(strings.TrimSuffix(l, "\r\n") + "\n")
	}
	resp, err := http.ReadResponse(bufio.NewReader(io.MultiReader(strings.NewReader(strings.ReplaceAll(head.String(), "\n", "\r\n")+"\r\n"), br)), &http.Request{Method: method})
	require.NoError(t, err, at)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err, at)
	return resp.StatusCode, head.String(), string(b)
}

// sed applies a sed -E 's/re/repl/' script to the first match in one line of
// input, as sed does.
func sed(t *testing.T, at, script, input string) string {
	t.Helper()
	parts := strings.Split(script, "/")
	require.Len(t, parts, 4, "%s: sed script %q is not s/re/repl/", at, script)
	require.Equal(t, "s", parts[0])
	re, err := regexp.Compile(parts[1])
	require.NoError(t, err, at)
	loc := re.FindStringSubmatchIndex(input)
	if loc == nil {
		return input
	}
	repl := regexp.MustCompile(`\\([0-9])`).ReplaceAllString(parts[2], "$${$1}")
	out := re.ExpandString(nil, repl, input, loc)
	return input[:loc[0]] + string(out) + input[loc[1]:]
}

// shellWords splits a command line into words as a POSIX shell does for the
// forms the documents use: single quotes (literal), double quotes ($NAME
// expanded, \" \\ \$ escapes), bare words ($NAME expanded), adjacent pieces
// joined into one word, a # that starts a word ending the line, and the
// operators | and > as the words opPipe and opRedirect. Other shell syntax
// fails the test.
func shellWords(t *testing.T, at, line string, vars map[string]string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	expand := func(s string, i int) (string, int) {
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'z') {
			j++
		}
		name := s[i+1 : j]
		v, ok := vars[name]
		require.True(t, ok, "%s: $%s is not set", at, name)
		return v, j
	}
	endWord := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			endWord()
			i++
		case c == '#' && !inWord:
			return words
		case c == '|' || c == '>':
			endWord()
			words = append(words, "\x00"+string(c))
			i++
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			require.GreaterOrEqual(t, end, 0, "%s: unclosed '", at)
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 2
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				switch {
				case line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$", line[i+1]) >= 0:
					i++
					cur.WriteByte(line[i])
				case line[i] == '$':
					v, j := expand(line, i)
					cur.WriteString(v)
					i = j - 1
				default:
					cur.WriteByte(line[i])
				}
			}
			require.Less(t, i, len(line), "%s: unclosed \"", at)
			i++
			inWord = true
		case c == '$':
			v, j := expand(line, i)
			cur.WriteString(v)
			i = j
			inWord = true
		default:
			require.NotContains(t, ";&<()`", string(c), "%s: the test does not run shell syntax %q", at, string(c))
			cur.WriteByte(c)
			i++
			inWord = true
		}
	}
	endWord()
	return words
}
