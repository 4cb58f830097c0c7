package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The journal's bounds in bytes and the masking of a secret the 4 KiB cut
// falls inside.

// secretBody is a body whose secret_key value holds an escaped quote and a
// backslash, so that a cut can fall inside an escape.
const secretBody = `{"name": "x", "authentication": {"protocol": "access_key", "secret_key": "wJalr\"XUt\\nFEMI/K7MDENG"}, "tail": 1}`

// secretValue returns where the value of secret_key starts (its opening
// quote) and ends (after its closing quote) in secretBody.
func secretValue(t *testing.T) (start, end int) {
	t.Helper()
	start = strings.Index(secretBody, `"secret_key": `) + len(`"secret_key": `)
	end = strings.Index(secretBody, `}, "tail"`)
	require.Equal(t, byte('"'), secretBody[start])
	require.Equal(t, byte('"'), secretBody[end-1])
	return start, end
}

func TestMaskSecretsAtEveryCut(t *testing.T) {
	start, end := secretValue(t)
	// A cut anywhere from just after the opening quote to just before the
	// closing one leaves an unterminated value: masked to the end.
	for cut := start + 1; cut < end; cut++ {
		t.Run(secretBody[start:cut], func(t *testing.T) {
			require.Equal(t, secretBody[:start]+`"***"`, maskSecrets(secretBody[:cut]))
		})
	}
	for _, c := range []struct{ name, in, want string }{
		{"whole", secretBody, secretBody[:start] + `"***"` + secretBody[end:]},
		{"cut before the value", secretBody[:start], secretBody[:start]},
		{"cut at the closing quote", secretBody[:end], secretBody[:start] + `"***"`},
		{"cut in the name", `{"secret_k`, `{"secret_k`},
		{"not a secret", `{"name": "wJalr`, `{"name": "wJalr`},
		{"two secrets, the second cut", `{"api_key": "a", "token": "bcd`, `{"api_key": "***", "token": "***"`},
		{"a name with escaped letters", `{"s\u0065cret_k\u0045Y": "wJ", "n": 1}`, `{"s\u0065cret_k\u0045Y": "***", "n": 1}`},
		{"every letter escaped", `{"\u0074\u006f\u006b\u0065\u006e": "wJ"}`, `{"\u0074\u006f\u006b\u0065\u006e": "***"}`},
		{"an escaped Kelvin sign", `{"\u212aey": "wJ"}`, `{"\u212aey": "***"}`},
		{"an escape of another letter", `{"s\u0066cret": "wJ"}`, `{"s\u0066cret": "wJ"}`},
		{"a number", `{"secret_key": 12345, "password": -1.5e3}`, `{"secret_key": "***", "password": "***"}`},
		{"a number cut", `{"secret_key": 123`, `{"secret_key": "***"`},
		{"true is no secret", `{"token": true}`, `{"token": true}`},
	} {
		t.Run(c.name, func(t *testing.T) { require.Equal(t, c.want, maskSecrets(c.in)) })
	}
}

// Over HTTP: wherever the journal's 4 KiB cut falls inside secret_key's
// value, no byte of the secret reaches the journal.
func TestJournalMasksASecretTheCutFallsIn(t *testing.T) {
	ts := newTestServer(t, Options{})
	start, end := secretValue(t)
	for cut := start + 1; cut < end; cut++ {
		// Padding in front moves the secret so that byte maxJournalBody falls
		// at cut within it.
		pad := strings.Repeat(" ", maxJournalBody-cut)
		body := secretBody[:1] + pad + secretBody[1:]
		ts.do(request{Method: http.MethodPost, Path: "/v1/aws_accounts", Key: demoKey, Body: body})
		entries, err := ts.inst.Control.Journal(JournalFilter{})
		require.NoError(t, err)
		e := entries[len(entries)-1]
		require.True(t, e.RequestBodyTruncated)
		require.Equal(t, body[:1+len(pad)+start-1]+`"***"`, e.RequestBody, "cut at %d", cut)
		require.NotContains(t, e.RequestBody, "wJ")
	}
}

// Over HTTP: a secret member spelled with JSON escapes, or sent as a
// number, is masked too.
func TestJournalMasksEscapedAndNumericSecrets(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, body := range []string{
		`{"name": "x", "authentication": {"protocol": "access_key", "access_key": "AKIA", "s\u0065cret_key": "wJsecret"}}`,
		`{"name": "x", "authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": 31415926}}`,
	} {
		ts.do(request{Method: http.MethodPost, Path: "/v1/aws_accounts", Key: demoKey, Body: body})
		entries, err := ts.inst.Control.Journal(JournalFilter{})
		require.NoError(t, err)
		e := entries[len(entries)-1]
		require.NotContains(t, e.RequestBody, "wJsecret")
		require.NotContains(t, e.RequestBody, "31415926")
		require.Contains(t, e.RequestBody, `"***"`)
	}
}

// A journal entry keeps at most 8 KiB of path and query, however long the
// request's were (a URI over 4000 characters is answered 414 but journaled).
func TestJournalBoundsPathAndQuery(t *testing.T) {
	ts := newTestServer(t, Options{})
	longQuery := "api_key=" + strings.Repeat("k", 100) + "&q=" + strings.Repeat("x", 60_000)
	ts.do(request{Method: http.MethodGet, Path: "/v1/customers?" + longQuery})
	longPath := "/v1/" + strings.Repeat("p", 20_000)
	ts.do(request{Method: http.MethodGet, Path: longPath + "?a=b"})
	ts.do(request{Method: http.MethodGet, Path: "/v1/customers?per_page=1", Key: demoKey})

	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 3)

	require.Equal(t, http.StatusRequestURITooLong, entries[0].Status)
	require.Equal(t, "/v1/customers", entries[0].Path)
	require.Len(t, entries[0].Query, maxJournalURL-len("/v1/customers"))
	require.True(t, strings.HasPrefix(entries[0].Query, "api_key=***&q=xxx"), "the key is masked before the cut")
	require.True(t, entries[0].URLTruncated)

	require.Equal(t, longPath[:maxJournalURL], entries[1].Path)
	require.Empty(t, entries[1].Query)
	require.True(t, entries[1].URLTruncated)

	require.Equal(t, "per_page=1", entries[2].Query)
	require.False(t, entries[2].URLTruncated)
}

func TestCutText(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"}, // é is two bytes: not cut in half
		{"aé", 3, "aé"},
		{"€", 2, ""},
		{"", 0, ""},
	} {
		got := cutText(c.in, c.n)
		require.Equal(t, c.want, got, "cutText(%q, %d)", c.in, c.n)
		require.True(t, utf8.ValidString(got))
	}
}

// FuzzMayHoldSecret: wherever the masking expression matches, the cheap
// test that spares it says it may; and masking a body it passes over changes
// nothing.
func FuzzMayHoldSecret(f *testing.F) {
	for _, seed := range []string{
		`{"api_key":"abc"}`, `{"Secret" : "x"}`, "{\"tok\u212Aen\":\"x\"}", "{\"\u017Fecret\":\"x\"}",
		`{"PassWord":"unterminated`, `{"key"` + "\t:\n" + `"v"}`, `{"id":1,"owner_id":"000000000001"}`,
		`"key": 1`, `key:"x"`, `{"a":"key","b":"c"}`, `"x\"key":"v"`, "\"ke\xffy\":\"v\"",
		`{"s\u0065cret":"x"}`, `{"\u004bEY": 7}`, `{"\u212Aey":"x"}`, `{"password": -0.5}`, `{"k\\ey":"x"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !mayHoldSecret(body) {
			require.False(t, secretMember.MatchString(body), "the expression matches %q", body)
			require.Equal(t, body, maskSecrets(body))
		}
	})
}

// The 4 KiB cut of a journaled body never leaves half a character: a
// request body and an answer whose two-byte é straddles the bound are
// journaled up to the character before it, as valid UTF-8 (not with the
// U+FFFD that half a character becomes in the entry's JSON).
func TestJournalCutKeepsWholeCharacters(t *testing.T) {
	ts := newTestServer(t, Options{})
	prefix := `{"name":"`
	text := prefix + strings.Repeat("a", maxJournalBody-len(prefix)-1) + "éé\"}"
	_, err := ts.inst.Control.AddFault(FaultRule{Method: http.MethodGet, Path: "/v1/customers", Status: http.StatusServiceUnavailable, Body: json.RawMessage(mustJSON(t, text))})
	require.NoError(t, err)
	ts.do(request{Method: http.MethodPost, Path: "/v1/customers", Key: demoKey, Body: text})
	ts.do(request{Method: http.MethodGet, Path: "/v1/customers", Key: demoKey})
	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(entries), 2)
	post, get := entries[len(entries)-2], entries[len(entries)-1]
	require.True(t, post.RequestBodyTruncated)
	assert.Equal(t, text[:maxJournalBody-1], post.RequestBody, "the request body, cut before the é")
	require.True(t, get.ResponseBodyTruncated)
	assert.Equal(t, text[:maxJournalBody-1], get.ResponseBody, "the answer's body, cut before the é")
	for _, c := range []struct{ in, want string }{
		{"abc", "abc"}, {"ab\xc3", "ab"}, {"ab\xc3\xa9", "abé"}, {"a\xe2\x82", "a"}, {"\xf0\x9f\x98", ""},
		{"a\x80", "a\x80"}, // not a cut sequence: left as it is
	} {
		assert.Equal(t, c.want, dropCutRune(c.in), "dropCutRune(%q)", c.in)
	}
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return data
}
