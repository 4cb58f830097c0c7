package emulator

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README's walk-through (the ```sh walkthrough block) is run here, line
// by line, against a test server: HOST is the test server, every curl must
// answer 2xx, and the ids the block captures with sed are the ones it uses
// next. The block may only use what this small interpreter knows (comments,
// NAME=word, NAME=$(curl ...), NAME=$(echo "$X" | sed -E 's/re/repl/'),
// echo, curl with -s, -X/--request, -H, -d), so README and test cannot drift.

func TestREADMEWalkthrough(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)```sh walkthrough\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, m, "README.md has a ```sh walkthrough block")
	ts := newTestServer(t, Options{})
	w := &walkthrough{t: t, ts: ts, vars: map[string]string{}}
	lines := strings.Split(strings.ReplaceAll(string(m[1]), "\\\n", " "), "\n")
	for i, line := range lines {
		w.run(i+1, strings.TrimSpace(line))
	}
	require.Greater(t, w.requests, 5, "the walk-through makes its requests")

	// What the walk-through built, seen through the API.
	customerID, err := strconv.Atoi(w.vars["CUSTOMER_ID"])
	require.NoError(t, err, "CUSTOMER_ID %q", w.vars["CUSTOMER_ID"])
	clientAPIID, err := strconv.Atoi(w.vars["CLIENT_API_ID"])
	require.NoError(t, err, "CLIENT_API_ID %q", w.vars["CLIENT_API_ID"])
	c := ts.get(customerPathOf(customerID)).Object()
	require.Equal(t, float64(clientAPIID), c["client_api_id"])
	assignments := dumpedCustomer(t, ts, int64(customerID)).AWSAccountAssignments
	require.Len(t, assignments, 1)
	require.Equal(t, "000000000003", assignments[0].OwnerID)
	azure := ts.get(fmt.Sprintf("/v1/azure_partner_customer_accounts/list/%d", clientAPIID)).Object()["azure_partner_customer_accounts"].([]any)
	require.Len(t, azure, 1)
	require.Equal(t, "kln456", azure[0].(map[string]any)["azure_partner_customer_account"].(map[string]any)["azure_customer_id"])
	require.Equal(t, "govcloud", ts.get(awsAccountPathOf(w.vars["GOV_ID"], clientAPIID)).Object()["region"])
	require.Equal(t, "global", ts.get(awsAccountPathOf(w.vars["COM_ID"], clientAPIID)).Object()["region"])
	linkages := dumpedCustomer(t, ts, int64(customerID)).GovcloudLinkages
	require.Len(t, linkages, 1)
	require.Equal(t, w.vars["GOV_ID"], strconv.FormatInt(linkages[0].GovcloudAcctID, 10))
	require.Equal(t, w.vars["COM_ID"], strconv.FormatInt(linkages[0].CommercialAcctID, 10))
}

type walkthrough struct {
	t        *testing.T
	ts       *testServer
	vars     map[string]string
	requests int
}

var (
	shellAssignment = regexp.MustCompile(`^([A-Z_][A-Z0-9_]*)=(.*)$`)
	sedCommand      = regexp.MustCompile(`^\$\(echo "\$([A-Z_][A-Z0-9_]*)" \| sed -E '(.*)'\)$`)
)

func (w *walkthrough) run(n int, line string) {
	t := w.t
	t.Helper()
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
	case strings.HasPrefix(line, "echo "):
	case strings.HasPrefix(line, "curl "):
		w.curl(n, line)
	case shellAssignment.MatchString(line):
		m := shellAssignment.FindStringSubmatch(line)
		name, value := m[1], m[2]
		switch {
		case name == "HOST":
			w.vars[name] = w.ts.URL // the test server stands in for the emulator
		case strings.HasPrefix(value, "$(curl ") && strings.HasSuffix(value, ")"):
			w.vars[name] = w.curl(n, strings.TrimSuffix(strings.TrimPrefix(value, "$("), ")"))
		case sedCommand.MatchString(value):
			sm := sedCommand.FindStringSubmatch(value)
			w.vars[name] = sed(t, n, sm[2], w.vars[sm[1]])
		default:
			words := shellWords(t, n, value, w.vars)
			require.Len(t, words, 1, "line %d: %s", n, line)
			w.vars[name] = words[0]
		}
	default:
		t.Fatalf("README walk-through line %d: the test cannot run %q", n, line)
	}
}

// curl runs one curl command line and returns the response body.
func (w *walkthrough) curl(n int, line string) string {
	t := w.t
	t.Helper()
	args := shellWords(t, n, line, w.vars)[1:]
	req := request{Method: http.MethodGet, Header: http.Header{}}
	var target string
	for i := 0; i < len(args); i++ {
		next := func() string {
			i++
			require.Less(t, i, len(args), "line %d: %s needs a value", n, args[i-1])
			return args[i]
		}
		switch args[i] {
		case "-s", "--silent":
		case "-X", "--request":
			req.Method = next()
		case "-H", "--header":
			k, v, ok := strings.Cut(next(), ":")
			require.True(t, ok, "line %d: header %q", n, args[i])
			req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		case "-d", "--data":
			req.Body = next()
			if req.Method == http.MethodGet {
				req.Method = http.MethodPost
			}
		default:
			require.False(t, strings.HasPrefix(args[i], "-"), "line %d: the test does not know curl option %s", n, args[i])
			require.Empty(t, target, "line %d: two URLs", n)
			target = args[i]
		}
	}
	require.True(t, strings.HasPrefix(target, w.ts.URL+"/"), "line %d: %q is not on $HOST", n, target)
	req.Path = strings.TrimPrefix(target, w.ts.URL)
	if ct := req.Header.Get("Content-Type"); ct != "" {
		req.ContentType = ct
		req.Header.Del("Content-Type")
	}
	r := w.ts.do(req)
	w.requests++
	require.True(t, r.Status >= 200 && r.Status < 300, "README walk-through line %d: %s %s answered %d: %s", n, req.Method, req.Path, r.Status, r.Body)
	return strings.TrimRight(string(r.Body), "\n")
}

// sed applies a sed -E 's/re/repl/' script to the first match in input, as
// sed does on one line.
func sed(t *testing.T, n int, script, input string) string {
	t.Helper()
	parts := strings.Split(script, "/")
	require.Len(t, parts, 4, "line %d: sed script %q is not s/re/repl/", n, script)
	require.Equal(t, "s", parts[0])
	re, err := regexp.Compile(parts[1])
	require.NoError(t, err, "line %d", n)
	loc := re.FindStringSubmatchIndex(input)
	require.NotNil(t, loc, "line %d: %q does not match %s", n, parts[1], input)
	repl := regexp.MustCompile(`\\([0-9])`).ReplaceAllString(parts[2], "$${$1}")
	out := re.ExpandString(nil, repl, input, loc)
	return input[:loc[0]] + string(out) + input[loc[1]:]
}

// shellWords splits a command line into words as a POSIX shell does for the
// forms the walk-through uses: single quotes (literal), double quotes ($NAME
// expanded, \" \\ \$ escapes), bare words ($NAME expanded), and adjacent
// pieces joined into one word.
func shellWords(t *testing.T, n int, line string, vars map[string]string) []string {
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
		require.True(t, ok, "line %d: $%s is not set", n, name)
		return v, j
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			i++
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			require.GreaterOrEqual(t, end, 0, "line %d: unclosed '", n)
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
			require.Less(t, i, len(line), "line %d: unclosed \"", n)
			i++
			inWord = true
		case c == '$':
			v, j := expand(line, i)
			cur.WriteString(v)
			i = j
			inWord = true
		default:
			require.NotContains(t, "|;&<>()`", string(c), "line %d: the test does not run shell syntax %q", n, string(c))
			cur.WriteByte(c)
			i++
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
