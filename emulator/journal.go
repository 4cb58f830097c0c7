package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/coverage"
)

// DefaultJournalSize is how many requests the journal keeps when
// Options.JournalSize is 0.
const DefaultJournalSize = 1000

// Bounds of one journal entry, in bytes (docs/limits-journal-faults.md): a
// full journal holds at most DefaultJournalSize times their sum.
const (
	// maxJournalBody bounds the request body a journal entry keeps.
	maxJournalBody = 4 << 10
	// maxJournalURL bounds the path and query a journal entry keeps together.
	maxJournalURL = 8 << 10
)

// JournalEntry is one CloudHealth API request as the journal keeps it.
type JournalEntry struct {
	// Seq counts every journaled request since start-up.
	Seq int64 `json:"seq"`
	// Time is when the request arrived, by the emulator's clock.
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	// Path is the request's path, cut to 8 KiB.
	Path string `json:"path"`
	// Query is the raw query with the api_key value masked, cut so that path
	// and query keep at most 8 KiB together.
	Query string `json:"query"`
	// URLTruncated is true when the path or the query was cut.
	URLTruncated bool `json:"url_truncated,omitempty"`
	// Status is the status answered; 0 when there was no answer (a fault
	// closed the connection, or the client left during a fault's latency).
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	// RequestBody is the first 4 KiB of the body, secrets masked.
	RequestBody          string `json:"request_body,omitempty"`
	RequestBodyTruncated bool   `json:"request_body_truncated,omitempty"`
	// SpecViolation is set when the emulator's answer broke openapi.yaml.
	SpecViolation string `json:"spec_violation,omitempty"`
	// Injected is true when a fault rule made the answer.
	Injected bool `json:"injected"`
	// FaultID is the fault rule that applied, if any.
	FaultID int64 `json:"fault_id,omitempty"`
	// ResponseBody is the first 4 KiB of the answer's body, secrets masked
	// as in the request's; ResponseType its Content-Type.
	ResponseBody          string `json:"response_body,omitempty"`
	ResponseBodyTruncated bool   `json:"response_body_truncated,omitempty"`
	ResponseType          string `json:"response_type,omitempty"`
	// Operation is the operationId of openapi.yaml the request matched; ""
	// when it matched no route.
	Operation string `json:"operation,omitempty"`
	// Diagnostic says, for a 404 or 422, why in the emulator's terms (no
	// such route and the nearest ones, an id of another partner or of
	// nobody, the rules that failed); the API answer stays CloudHealth's.
	Diagnostic string `json:"diagnostic,omitempty"`
}

// JournalFilter selects journal entries; a zero field selects everything.
type JournalFilter struct {
	Method     string
	PathPrefix string
	// Operation selects one operationId of openapi.yaml.
	Operation string
	// Status, when not nil, selects one status (0: closed connections).
	Status *int
}

func (f JournalFilter) matches(e *JournalEntry) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		strings.HasPrefix(e.Path, f.PathPrefix) &&
		(f.Operation == "" || f.Operation == e.Operation) &&
		(f.Status == nil || *f.Status == e.Status)
}

// journal is a ring buffer of the most recent requests: memory stays bounded
// by its capacity. It is safe for concurrent use.
type journal struct {
	mu      sync.Mutex
	entries []JournalEntry // the ring; it grows as entries come, up to size
	size    int
	next    int // where the next entry goes once the ring is full
	seq     int64
	// coverage counts every journaled (operation, status) since the last
	// clear or reset, however many entries the ring keeps.
	coverage *coverage.Counts
}

func newJournal(size int) *journal { return &journal{size: size, coverage: coverage.New()} }

func (j *journal) add(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.coverage.Record(e.Operation, e.Status)
	if len(j.entries) < j.size {
		j.entries = append(j.entries, e)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
}

// list returns the entries f selects, oldest first.
func (j *journal) list(f JournalFilter) []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []JournalEntry{}
	for i := range j.entries {
		e := &j.entries[(j.next+i)%len(j.entries)]
		if f.matches(e) {
			out = append(out, *e)
		}
	}
	return out
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next = j.entries[:0], 0
	j.coverage.Clear()
}

func (j *journal) capacity() int { return j.size }

// bodyCapture keeps the first bytes a handler reads of the request body.
type bodyCapture struct {
	io.ReadCloser
	buf       bytes.Buffer
	truncated bool
}

func (b *bodyCapture) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := maxJournalBody - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(n, room)])
		if n > room {
			b.truncated = true
		}
	} else if n > 0 {
		b.truncated = true
	}
	return n, err
}

// fill reads what the handler left of the body, up to the journal's bound.
func (b *bodyCapture) fill() {
	if room := maxJournalBody - b.buf.Len(); room >= 0 && !b.truncated {
		_, _ = io.CopyN(io.Discard, b, int64(room)+1)
	}
}

func (b *bodyCapture) text() (string, bool) {
	return journaledText(b.buf.String(), b.truncated), b.truncated
}

// journaledText is a journaled body's text: cut (when the 4 KiB bound cut it)
// at the start of a UTF-8 sequence, so that the cut never leaves half a
// character (which the entry's JSON would show as U+FFFD), and with its
// secrets masked.
func journaledText(body string, truncated bool) string {
	if truncated {
		body = dropCutRune(body)
	}
	return maskSecrets(body)
}

// dropCutRune drops the start of a UTF-8 sequence that the end of s cuts
// short; the rest of s is left as it is, valid or not.
func dropCutRune(s string) string {
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if !utf8.FullRuneInString(s[i:]) {
				return s[:i]
			}
			return s
		}
	}
	return s
}

// secretMember finds a JSON member whose name says it holds a secret (its
// letters as they are or as JSON \u escapes, in any case): a string value
// whole, or, where the journal's cut fell inside it (or a malformed body
// ends in it), up to the end of the text; or a number.
var secretMember = regexp.MustCompile(`("[^"]*(?i:` + secretWordPattern("key", "secret", "token", "password") + `)[^"]*"\s*:\s*)` +
	`(?:"(?:(?:[^"\\]|\\.)*"|(?:[^"\\]|\\.)*\\?$)|-?[0-9][0-9.eE+-]*)`)

// secretWordPattern is the alternation of the words, each letter either
// itself or its JSON escape in either case (\u006b or \u004B for k; the
// expression's case folding adds K as U+212A and s as U+017F, so their
// escapes are accepted too).
func secretWordPattern(words ...string) string {
	alts := make([]string, len(words))
	for i, w := range words {
		var b strings.Builder
		for _, c := range w {
			fmt.Fprintf(&b, `(?:%c|\\u00[%x%x]%x`, c, c>>4, (c-0x20)>>4, c&0xf)
			switch c {
			case 'k':
				b.WriteString(`|\\u212a`)
			case 's':
				b.WriteString(`|\\u017f`)
			}
			b.WriteString(`)`)
		}
		alts[i] = b.String()
	}
	return strings.Join(alts, "|")
}

// maskSecrets hides the values of JSON members named like key, secret, token
// or password, including a value the 4 KiB cut left unterminated.
func maskSecrets(body string) string {
	if !mayHoldSecret(body) { // most bodies: no regular expression run at all
		return body
	}
	return secretMember.ReplaceAllString(body, `$1"***"`)
}

// mayHoldSecret reports whether secretMember may match body: whether a
// member name (the text between two quotes that a colon and a quote follow,
// with blanks around the colon) holds one of the words in any case.
// Without one, the regular expression cannot match; running it over every
// journaled body cost most of a list request, and looking at every byte
// for the words a sixth of one.
func mayHoldSecret(body string) bool {
	for i := 0; ; {
		colon := strings.IndexByte(body[i:], ':')
		if colon < 0 {
			return false
		}
		colon += i
		i = colon + 1
		end := colon - 1 // the closing quote of the name
		for end >= 0 && isBlank(body[end]) {
			end--
		}
		if end < 0 || body[end] != '"' {
			continue
		}
		value := colon + 1 // the opening quote of the value
		for value < len(body) && isBlank(body[value]) {
			value++
		}
		if value == len(body) || (body[value] != '"' && body[value] != '-' && (body[value] < '0' || body[value] > '9')) {
			continue
		}
		if start := strings.LastIndexByte(body[:end], '"'); start >= 0 && nameMayHoldSecret(body[start+1:end]) {
			return true
		}
	}
}

// isBlank reports whether c is a blank that \s matches in secretMember, or
// a vertical tab (more is harmless: it only sends a body to the regular
// expression).
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// secretWord is the word of secretMember that starts with the letter c in
// either case, or "".
func secretWord(c byte) string {
	switch c | 0x20 {
	case 'k':
		return "key"
	case 's':
		return "secret"
	case 't':
		return "token"
	case 'p':
		return "password"
	}
	return ""
}

// nameMayHoldSecret reports whether name holds one of the words in ASCII
// letters of any case, or holds a byte that is not ASCII or a backslash: the
// regular expression's case folding also matches K as U+212A (the Kelvin
// sign) and s as U+017F, and it reads letters written as JSON escapes, so
// any such name goes to it.
func nameMayHoldSecret(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf || c == '\\' {
			return true
		}
		w := secretWord(c)
		if w == "" || len(name)-i < len(w) {
			continue
		}
		j := 1
		for j < len(w) && name[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// journalURL returns path and query cut so that they keep at most
// maxJournalURL bytes together (the path first), copied so that the entry
// does not hold the request's longer strings.
func journalURL(path, query string) (string, string, bool) {
	cutPath := cutText(path, maxJournalURL)
	cutQuery := cutText(query, maxJournalURL-len(cutPath))
	return cutPath, cutQuery, len(cutPath) < len(path) || len(cutQuery) < len(query)
}

// cutText returns a copy of at most n bytes of s, cut at the start of a
// UTF-8 sequence.
func cutText(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n])
}

// maskQuery hides the value of the api_key query parameter, leaving the rest
// of the query as sent.
func maskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil && n == "api_key" {
			parts[i] = name + "=***"
		}
	}
	return strings.Join(parts, "&")
}
