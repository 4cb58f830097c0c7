package parity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// Verdicts of an exchange.
const (
	VerdictMatch = "MATCH" // the same answer, after normalisation
	VerdictDiff  = "DIFF"  // a difference no allowlist entry allows
	VerdictKnown = "KNOWN" // differences, every one allowed
	VerdictSkip  = "SKIP"  // not replayed (control API, fault rule, marked)
)

// otherKey is the key replay sends where the recording had RedactedOther: no
// partner has it.
const otherKey = "parity-not-a-key"

// Source is one cassette's interactions, in recorded order.
type Source struct {
	Name         string
	Interactions []*Interaction
}

// Options tune a replay.
type Options struct {
	// Allowlist lists the known differences; nil: none.
	Allowlist *Allowlist
	// BillingFamilies gives the consolidated billing family (owner id to
	// payer owner id) of partner AWS accounts the sweep cannot show
	// (PreState).
	BillingFamilies map[string]string
	// Emulator is the emulator's configuration; Fixtures is replaced by
	// the recorded pre-state. Tests set RewriteResponse here.
	Emulator emulator.Options
}

// Exchange is the verdict on one recorded exchange.
type Exchange struct {
	Index     int    `json:"index"`
	Cassette  string `json:"cassette"`
	ID        int    `json:"id"`
	Test      string `json:"test,omitempty"`
	Operation string `json:"operation,omitempty"`
	Method    string `json:"method"`
	// Path is the recorded path and query, normalised.
	Path     string `json:"path"`
	Verdict  string `json:"verdict"`
	Reason   string `json:"reason,omitempty"`
	Recorded int    `json:"recorded_status"`
	Emulated int    `json:"emulated_status,omitempty"`
	Diffs    []Diff `json:"diffs,omitempty"`
}

// Report is the outcome of a replay.
type Report struct {
	Cassettes []string       `json:"cassettes"`
	Counts    map[string]int `json:"counts"`
	Exchanges []Exchange     `json:"exchanges"`
	// Spec lists what openapi.yaml does not describe in the recorded
	// answers, apart from the comparison.
	Spec []SpecFinding `json:"spec,omitempty"`
	// Notes say what the pre-state had to guess.
	Notes []string `json:"notes,omitempty"`
}

// Failed reports whether any exchange is an unknown DIFF.
func (r *Report) Failed() bool { return r.Counts[VerdictDiff] > 0 }

// ReplayFiles loads cassette files and replays them in the order given.
func ReplayFiles(paths []string, opts Options) (*Report, error) {
	var sources []Source
	for _, p := range paths {
		c, err := LoadCassette(p)
		if err != nil {
			return nil, err
		}
		sources = append(sources, Source{Name: p, Interactions: c.Interactions})
	}
	return Replay(sources, opts)
}

// Replay loads the sweep of the sources into a fresh emulator (PreState),
// replays every recorded request in order with the recorded ids mapped to the
// emulator's, and compares each answer with the recorded one.
func Replay(sources []Source, opts Options) (*Report, error) {
	var all []*Interaction
	rep := &Report{Counts: map[string]int{VerdictMatch: 0, VerdictDiff: 0, VerdictKnown: 0, VerdictSkip: 0}}
	for _, s := range sources {
		rep.Cassettes = append(rep.Cassettes, s.Name)
		all = append(all, s.Interactions...)
	}
	doc, notes, err := PreState(all, opts.BillingFamilies)
	if err != nil {
		return nil, err
	}
	rep.Notes = notes
	fixtures, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	eo := opts.Emulator
	eo.Fixtures = fixtures
	srv, err := emulator.New(eo)
	if err != nil {
		return nil, fmt.Errorf("loading the recorded pre-state into the emulator: %w", err)
	}
	spec, err := newSpecChecker()
	if err != nil {
		return nil, err
	}
	cmp := &comparer{ids: newIDs()}
	index := 0
	for _, s := range sources {
		for _, i := range s.Interactions {
			index++
			x := replayOne(srv, spec, cmp, opts.Allowlist, i)
			x.Index, x.Cassette = index, s.Name
			rep.Counts[x.Verdict]++
			rep.Exchanges = append(rep.Exchanges, x)
			rep.Spec = append(rep.Spec, checkRecorded(spec, index, i)...)
		}
	}
	return rep, nil
}

// replayOne replays one interaction and compares the answers.
func replayOne(srv http.Handler, spec *specChecker, cmp *comparer, allow *Allowlist, i *Interaction) Exchange {
	rq := i.Request
	x := Exchange{ID: i.ID, Test: rq.Headers.Get(HeaderTest), Method: rq.Method, Recorded: i.Response.Code}
	u, err := url.Parse(rq.URL)
	if err != nil {
		x.Verdict, x.Reason = VerdictSkip, "the recorded URL does not parse: "+err.Error()
		return x
	}
	x.Path = cmp.normURL(u.RequestURI(), true)
	if len(x.Path) > 160 {
		x.Path = x.Path[:160] + "..."
	}
	if probe, err := http.NewRequest(rq.Method, "http://replay"+u.RequestURI(), nil); err == nil {
		if route, _ := spec.route(probe); route != nil {
			x.Operation = route.Operation.OperationID
		}
	}
	switch {
	case rq.Headers.Get(HeaderSkip) != "":
		x.Verdict, x.Reason = VerdictSkip, rq.Headers.Get(HeaderSkip)
		return x
	case strings.HasPrefix(u.Path, "/__emulator/"):
		x.Verdict, x.Reason = VerdictSkip, "the emulator's control API, not CloudHealth's"
		return x
	case unswept(u.Path):
		x.Verdict, x.Reason = VerdictSkip, "customer statements, price books and version 2 assignments are not in the sweep's pre-state yet"
		return x
	}
	req, err := buildRequest(cmp.ids, i, u)
	if err != nil {
		x.Verdict, x.Reason = VerdictSkip, err.Error()
		return x
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	x.Emulated = rec.Code
	emuBody := rec.Body.Bytes()
	if req.Method == http.MethodHead {
		emuBody = nil
	}
	// The emulated answer gets the recording's redaction, so that secrets
	// compare by presence.
	emu := &Interaction{Response: Response{Headers: rec.Header(), Body: string(emuBody)}}
	Redact(emu, ReplayKey)
	cmp.ctx = pathKind(u.Path)
	diffs := cmp.status(i.Response.Code, rec.Code)
	diffs = append(diffs, cmp.headers(i.Response.Headers, emu.Response.Headers)...)
	diffs = append(diffs, cmp.body([]byte(i.Response.Body), []byte(emu.Response.Body))...)
	x.Verdict = VerdictMatch
	for n := range diffs {
		if k := allow.match(x.Operation, diffs[n]); k != nil {
			diffs[n].Known = k.Fidelity
			if x.Verdict == VerdictMatch {
				x.Verdict = VerdictKnown
			}
		} else {
			x.Verdict = VerdictDiff
		}
	}
	x.Diffs = diffs
	return x
}

// buildRequest makes the emulator's request from a recorded one: the ids
// mapped, the credentials replaced, an omitted body padded back to its
// length, the recorder's own headers left out.
func buildRequest(t *ids, i *Interaction, u *url.URL) (*http.Request, error) {
	rq := i.Request
	segs := strings.Split(u.EscapedPath(), "/")
	for n, s := range segs {
		if id, ok := asID(s); ok && n > 0 {
			segs[n] = strconv.FormatInt(t.emulated(segmentKind(segs[n-1]), id), 10)
		}
	}
	ctx := pathKind(u.Path)
	target := strings.Join(segs, "/")
	if u.RawQuery != "" {
		pairs := strings.Split(u.RawQuery, "&")
		for n, p := range pairs {
			name, value, _ := strings.Cut(p, "=")
			v, err := url.QueryUnescape(value)
			if err != nil {
				continue
			}
			switch id, ok := asID(v); {
			case name == "api_key":
				pairs[n] = name + "=" + url.QueryEscape(credentialFor(v))
			case isIDKey(name) && ok:
				pairs[n] = name + "=" + strconv.FormatInt(t.emulated(keyKind(name, ctx), id), 10)
			}
		}
		target += "?" + strings.Join(pairs, "&")
	}
	body := []byte(rq.Body)
	// A body cut by the recorder, or one the server answered before reading
	// it all (a 413), is padded to the length the request declared.
	want := int(rq.ContentLength)
	if n, err := strconv.Atoi(rq.Headers.Get(HeaderBodyOmitted)); err == nil {
		want = max(want, n)
	}
	if want > len(body) {
		body = append(body, bytes.Repeat([]byte(" "), want-len(body))...)
	} else {
		body = mapBody(t, ctx, body)
	}
	var reader io.Reader = http.NoBody
	if len(body) > 0 {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequest(rq.Method, "http://127.0.0.1"+target, reader)
	if err != nil {
		return nil, fmt.Errorf("the recorded request cannot be rebuilt: %w", err)
	}
	req.RequestURI, req.RemoteAddr, req.Host = target, "127.0.0.1:1", "127.0.0.1"
	for name, values := range rq.Headers {
		switch http.CanonicalHeaderKey(name) {
		case HeaderTest, HeaderSkip, HeaderBodyOmitted, "Content-Length", "Accept-Encoding", "Host":
			continue
		case "Authorization":
			for _, v := range values {
				scheme, token, ok := strings.Cut(v, " ")
				if !ok {
					scheme, token = "", v
				}
				req.Header.Add(name, strings.TrimSpace(scheme+" "+credentialFor(token)))
			}
			continue
		}
		req.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), values...)
	}
	return req, nil
}

// credentialFor is the key replay sends for a recorded credential.
func credentialFor(v string) string {
	switch v {
	case RedactedKey:
		return ReplayKey
	case RedactedOther:
		return otherKey
	}
	return v
}

// mapBody maps the ids of a JSON body; a body that is not one JSON value, or
// holds no id to change, is sent exactly as recorded.
func mapBody(t *ids, ctx string, body []byte) []byte {
	v, err := decodeJSON(body)
	if err != nil {
		return body
	}
	changed := false
	var walk func(key string, v any) any
	walk = func(key string, v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, inner := range x {
				x[k] = walk(k, inner)
			}
		case []any:
			for n, inner := range x {
				x[n] = walk(key, inner)
			}
		case json.Number:
			if id, ok := asID(x); ok && isIDKey(key) {
				if e := t.emulated(keyKind(key, ctx), id); e != id {
					changed = true
					return json.Number(strconv.FormatInt(e, 10))
				}
			}
		}
		return v
	}
	v = walk("", v)
	if !changed {
		return body
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return body
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// checkRecorded checks a recorded answer of the CloudHealth API against
// openapi.yaml.
func checkRecorded(spec *specChecker, index int, i *Interaction) []SpecFinding {
	u, err := url.Parse(i.Request.URL)
	if err != nil || strings.HasPrefix(u.Path, "/__emulator/") || i.Request.Headers.Get(HeaderSkip) != "" {
		return nil
	}
	req, err := http.NewRequest(i.Request.Method, "http://replay"+u.RequestURI(), nil)
	if err != nil {
		return nil
	}
	req.Header = i.Request.Headers.Clone()
	route, _ := spec.route(req)
	if route == nil {
		return nil
	}
	findings, violations := spec.check(req, i.Response.Code, i.Response.Headers, []byte(i.Response.Body))
	var out []SpecFinding
	add := func(kind string, problems []string) {
		for _, p := range problems {
			out = append(out, SpecFinding{Exchange: index, Operation: route.Operation.OperationID, Method: req.Method,
				Path: u.Path, Status: i.Response.Code, Kind: kind, Problem: p})
		}
	}
	add("finding", findings)
	add("violation", violations)
	return out
}

// unsweptPrefixes are the paths of the families whose state the sweep does
// not read yet (Sweep): their exchanges cannot be replayed on the same state.
var unsweptPrefixes = []string{"/v1/customer_statements", "/v1/price_book", "/v2/aws_account_assignments"}

// unswept reports whether path belongs to a family the sweep does not read.
func unswept(path string) bool {
	for _, p := range unsweptPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
