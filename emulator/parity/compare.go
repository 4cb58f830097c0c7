package parity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Diff is one difference between the recorded and the emulated answer of an
// exchange, at a path: "status", "header.<Name>", or "body" followed by the
// JSON path (body.customers[0].name). Values are shown normalised; "(absent)"
// when one side has nothing there.
type Diff struct {
	Path     string `json:"path"`
	Recorded string `json:"recorded"`
	Emulated string `json:"emulated"`
	// Known names the docs/fidelity.md row of the allowlist entry that
	// allows this difference; empty for an unknown difference.
	Known string `json:"known,omitempty"`
}

// absent shows a missing value.
const absent = "(absent)"

// ComparedHeaders are the only headers compared; all others (dates, request
// ids, caches, cookies, lengths, servers) are volatile and dropped.
var ComparedHeaders = []string{"Content-Type", "Location", "Link", "X-Total", "X-Per-Page", "Retry-After"}

// Placeholders of normalised values.
const (
	// Timestamp replaces an RFC 3339 timestamp.
	Timestamp = "<timestamp>"
	// Message replaces an error message: the emulator's texts are its own
	// (docs/fidelity.md, "Error body"); status and shape are compared.
	Message = "<message>"
)

var timestampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$`)

// unordered are the lists whose order the API does not document (the Azure
// lists; docs/fidelity.md, "List order"): both sides are sorted by each
// item's azure_customer_id before they are compared. Every other list keeps
// its order (paged lists are ordered by id; 207 items follow the request).
var unordered = map[string]bool{"azure_partner_customer_accounts": true}

// comparer compares the answers of one replay, keeping the id references
// across exchanges.
type comparer struct {
	ids *ids
	// ctx is the kind of the resource the current exchange's path names.
	ctx string
}

// status compares the statuses.
func (c *comparer) status(r, e int) []Diff {
	if r == e {
		return nil
	}
	return []Diff{{Path: "status", Recorded: strconv.Itoa(r), Emulated: strconv.Itoa(e)}}
}

// headers compares the allowlisted headers.
func (c *comparer) headers(r, e http.Header) []Diff {
	var out []Diff
	for _, name := range ComparedHeaders {
		rv, ev := r.Get(name), e.Get(name)
		path := "header." + name
		switch {
		case rv == "" && ev == "":
		case rv == "" || ev == "":
			out = append(out, Diff{Path: path, Recorded: orAbsent(c.headerValue(name, rv, true)), Emulated: orAbsent(c.headerValue(name, ev, false))})
		case name == "Location":
			if !c.url(rv, ev) {
				out = append(out, Diff{Path: path, Recorded: c.normURL(rv, true), Emulated: c.normURL(ev, false)})
			}
		case name == "Link":
			out = append(out, c.links(rv, ev)...)
		case rv != ev:
			out = append(out, Diff{Path: path, Recorded: rv, Emulated: ev})
		}
	}
	return out
}

func orAbsent(s string) string {
	if s == "" {
		return absent
	}
	return s
}

func (c *comparer) headerValue(name, v string, recorded bool) string {
	switch name {
	case "Location":
		if v != "" {
			return c.normURL(v, recorded)
		}
	case "Link":
		var parts []string
		for rel, u := range parseLinks(v) {
			parts = append(parts, rel+"="+c.normURL(u, recorded))
		}
		sort.Strings(parts)
		return strings.Join(parts, ", ")
	}
	return v
}

// parseLinks reads an RFC 8288 Link value into rel → URL.
func parseLinks(v string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(v, ",") {
		start, end := strings.Index(part, "<"), strings.Index(part, ">")
		if start < 0 || end < start {
			continue
		}
		rel := ""
		for _, p := range strings.Split(part[end+1:], ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.TrimSpace(k) == "rel" {
				rel = strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
		out[rel] = part[start+1 : end]
	}
	return out
}

func (c *comparer) links(r, e string) []Diff {
	rl, el := parseLinks(r), parseLinks(e)
	rels := map[string]bool{}
	for k := range rl {
		rels[k] = true
	}
	for k := range el {
		rels[k] = true
	}
	var names []string
	for k := range rels {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []Diff
	for _, rel := range names {
		path := fmt.Sprintf("header.Link[rel=%s]", rel)
		ru, rok := rl[rel]
		eu, eok := el[rel]
		switch {
		case !rok:
			out = append(out, Diff{Path: path, Recorded: absent, Emulated: c.normURL(eu, false)})
		case !eok:
			out = append(out, Diff{Path: path, Recorded: c.normURL(ru, true), Emulated: absent})
		case !c.url(ru, eu):
			out = append(out, Diff{Path: path, Recorded: c.normURL(ru, true), Emulated: c.normURL(eu, false)})
		}
	}
	return out
}

// url compares two URLs without their scheme and host: numeric path
// segments and id parameters are paired as ids, the query compared as a set,
// api_key by presence.
func (c *comparer) url(r, e string) bool {
	ru, err1 := url.Parse(r)
	eu, err2 := url.Parse(e)
	if err1 != nil || err2 != nil {
		return r == e
	}
	rs, es := strings.Split(ru.Path, "/"), strings.Split(eu.Path, "/")
	same := len(rs) == len(es)
	for n := 0; same && n < len(rs); n++ {
		rid, rok := asID(rs[n])
		eid, eok := asID(es[n])
		if rok && eok && n > 0 {
			same = c.ids.pair(segmentKind(rs[n-1]), rid, eid)
		} else {
			same = rs[n] == es[n]
		}
	}
	ctx := pathKind(ru.Path)
	rq, eq := ru.Query(), eu.Query()
	if same && len(rq) != len(eq) {
		same = false
	}
	for name, rv := range rq {
		ev, ok := eq[name]
		if !same || !ok || len(ev) != len(rv) {
			same = false
			break
		}
		for n := range rv {
			rid, rok := asID(rv[n])
			eid, eok := asID(ev[n])
			switch {
			case name == "api_key":
			case isIDKey(name) && rok && eok:
				same = c.ids.pair(keyKind(name, ctx), rid, eid) && same
			default:
				same = same && rv[n] == ev[n]
			}
		}
	}
	return same
}

// normURL shows a URL normalised: no scheme or host, ids as references, the
// query sorted, api_key's value hidden.
func (c *comparer) normURL(raw string, recorded bool) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	segs := strings.Split(u.Path, "/")
	for n, s := range segs {
		if id, ok := asID(s); ok && n > 0 {
			segs[n] = label(c.ids.ref(segmentKind(segs[n-1]), id, recorded))
		}
	}
	ctx := pathKind(u.Path)
	out := strings.Join(segs, "/")
	q := u.Query()
	var names []string
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		for _, v := range q[k] {
			switch id, ok := asID(v); {
			case k == "api_key":
				v = "<api_key>"
			case isIDKey(k) && ok:
				v = label(c.ids.ref(keyKind(k, ctx), id, recorded))
			}
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) > 0 {
		out += "?" + strings.Join(parts, "&")
	}
	return out
}

// body compares two bodies: as JSON when both are, else as text.
func (c *comparer) body(r, e []byte) []Diff {
	rv, rerr := decodeJSON(r)
	ev, eerr := decodeJSON(e)
	switch {
	case len(bytes.TrimSpace(r)) == 0 && len(bytes.TrimSpace(e)) == 0:
		return nil
	case rerr != nil || eerr != nil:
		if bytes.Equal(r, e) {
			return nil
		}
		return []Diff{{Path: "body", Recorded: textOrAbsent(r, rerr), Emulated: textOrAbsent(e, eerr)}}
	}
	var out []Diff
	c.value("body", "", c.ctx, rv, ev, false, &out)
	return out
}

func textOrAbsent(b []byte, err error) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return absent
	}
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	if err != nil {
		return "not JSON: " + s
	}
	return s
}

// decodeJSON decodes one JSON value with its numbers kept as written.
func decodeJSON(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

// value compares r and e at path; key is the JSON key they are under and
// inErrors whether they are items of an "errors" list.
func (c *comparer) value(path, key, ctx string, r, e any, inErrors bool, out *[]Diff) {
	if k, ok := collections[key]; ok && key != "add" && key != "remove" && key != "list" {
		ctx = k
	}
	if isIDKey(key) {
		kind := keyKind(key, ctx)
		rn, rok := r.(json.Number)
		en, eok := e.(json.Number)
		ri, rok2 := asID(rn)
		ei, eok2 := asID(en)
		if rok && eok && rok2 && eok2 {
			if !c.ids.pair(kind, ri, ei) {
				*out = append(*out, Diff{Path: path, Recorded: label(c.ids.ref(kind, ri, true)), Emulated: label(c.ids.ref(kind, ei, false))})
			}
			return
		}
	}
	switch rx := r.(type) {
	case map[string]any:
		ex, ok := e.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range rx {
			keys[k] = true
		}
		for k := range ex {
			keys[k] = true
		}
		var names []string
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			rv, rok := rx[k]
			ev, eok := ex[k]
			p := path + "." + k
			switch {
			case !rok:
				*out = append(*out, Diff{Path: p, Recorded: absent, Emulated: c.show(k, ctx, ev, false)})
			case !eok:
				*out = append(*out, Diff{Path: p, Recorded: c.show(k, ctx, rv, true), Emulated: absent})
			default:
				c.value(p, k, ctx, rv, ev, false, out)
			}
		}
		return
	case []any:
		ex, ok := e.([]any)
		if !ok {
			break
		}
		if unordered[key] {
			rx, ex = sortedItems(rx), sortedItems(ex)
		}
		for n := 0; n < max(len(rx), len(ex)); n++ {
			p := fmt.Sprintf("%s[%d]", path, n)
			switch {
			case n >= len(rx):
				*out = append(*out, Diff{Path: p, Recorded: absent, Emulated: c.show(key, ctx, ex[n], false)})
			case n >= len(ex):
				*out = append(*out, Diff{Path: p, Recorded: c.show(key, ctx, rx[n], true), Emulated: absent})
			default:
				c.value(p, key, ctx, rx[n], ex[n], key == "errors", out)
			}
		}
		return
	case string:
		es, ok := e.(string)
		if !ok {
			break
		}
		if rs := c.scalar(key, rx, inErrors); rs != c.scalar(key, es, inErrors) {
			if isURL(key, rx) && c.url(rx, es) {
				return
			}
			*out = append(*out, Diff{Path: path, Recorded: c.show(key, ctx, rx, true), Emulated: c.show(key, ctx, es, false)})
		}
		return
	default:
		if fmt.Sprint(r) == fmt.Sprint(e) && sameKind(r, e) {
			return
		}
	}
	*out = append(*out, Diff{Path: path, Recorded: c.show(key, ctx, r, true), Emulated: c.show(key, ctx, e, false)})
}

// isURL reports whether a string value is a URL (a link's href, or absolute).
func isURL(key, s string) bool {
	return strings.Contains(s, "://") || (key == "href" && strings.HasPrefix(s, "/"))
}

// segmentKind is the kind of a numeric path segment, from the one before it.
func segmentKind(prev string) string {
	if k, ok := collections[prev]; ok {
		return k
	}
	return "path:" + prev
}

func sameKind(r, e any) bool { return fmt.Sprintf("%T", r) == fmt.Sprintf("%T", e) }

// scalar normalises a string: timestamps, error messages, secrets.
func (c *comparer) scalar(key, s string, inErrors bool) string {
	switch {
	case key == "error" || inErrors:
		return Message
	case secretFields[key] && s != "":
		return Redacted
	case timestampRE.MatchString(s):
		return Timestamp
	}
	return s
}

// show renders a value of one side normalised, as compact JSON.
func (c *comparer) show(key, ctx string, v any, recorded bool) string {
	b, err := json.Marshal(c.normalise(key, ctx, v, recorded, false))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// normalise returns v with its ids as references of its side, its
// timestamps, messages and secrets as placeholders, URLs without host.
func (c *comparer) normalise(key, ctx string, v any, recorded, inErrors bool) any {
	if k, ok := collections[key]; ok && key != "add" && key != "remove" && key != "list" {
		ctx = k
	}
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, inner := range x {
			out[k] = c.normalise(k, ctx, inner, recorded, false)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for n, inner := range x {
			out[n] = c.normalise(key, ctx, inner, recorded, key == "errors")
		}
		return out
	case json.Number:
		if id, ok := asID(x); ok && isIDKey(key) {
			return label(c.ids.ref(keyKind(key, ctx), id, recorded))
		}
		return x
	case string:
		if isURL(key, x) {
			return c.normURL(x, recorded)
		}
		return c.scalar(key, x, inErrors)
	}
	return v
}

// sortedItems orders Azure items by their azure_customer_id (found at any
// depth), then by their JSON.
func sortedItems(items []any) []any {
	out := append([]any(nil), items...)
	keyOf := func(v any) string {
		if id := findString(v, "azure_customer_id"); id != "" {
			return id
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	sort.SliceStable(out, func(i, j int) bool { return keyOf(out[i]) < keyOf(out[j]) })
	return out
}

func findString(v any, key string) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	if s, ok := m[key].(string); ok {
		return s
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if s := findString(m[k], key); s != "" {
			return s
		}
	}
	return ""
}
