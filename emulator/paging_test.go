package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// Paging of GET /v1/aws_account_assignments (docs/fidelity.md, "Paging"):
// page and per_page, X-Total, X-Per-Page and the RFC 8288 Link header.

const emptyPartnerKey = "empty-partner-key"

// pagingFixtures is a fixture document with, for the demo key, n assignable
// accounts in one billing family and one customer to assign them to; the
// other key has ten such accounts and a customer; a third partner has
// nothing at all.
func pagingFixtures(t testing.TB, n int) []byte {
	t.Helper()
	family := func(prefix string, count int) []fixture.AWSAccount {
		head := prefix + "00000000"
		accts := []fixture.AWSAccount{{OwnerID: head, Name: "Payer " + prefix}}
		for i := 1; i <= count; i++ {
			accts = append(accts, fixture.AWSAccount{OwnerID: fmt.Sprintf("%s%08d", prefix, i), Name: fmt.Sprintf("Linked %d", i), BillingFamilyOwnerID: head})
		}
		return accts
	}
	billing := &fixture.PartnerBillingConfiguration{Enabled: true}
	doc := fixture.Document{Partners: []fixture.Partner{
		{Name: "Paging Partner", APIKeys: []string{demoKey}, AWSAccounts: family("9000", n),
			Customers: []fixture.Customer{{ID: 1, Name: "Many Accounts", PartnerBillingConfiguration: billing}}},
		{Name: "Other Partner", APIKeys: []string{otherKey}, AWSAccounts: family("8000", 10),
			Customers: []fixture.Customer{{ID: 2, Name: "Few Accounts", PartnerBillingConfiguration: billing}}},
		{Name: "Empty Partner", APIKeys: []string{emptyPartnerKey}},
	}}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	return data
}

// webLink is one link of an RFC 8288 Link header.
type webLink struct {
	Target string
	Params map[string]string // names in lower case
}

// parseLinkHeader parses a Link header field value (RFC 8288 section 3):
// link-value *( OWS "," OWS link-value ), link-value = "<" URI-Reference ">"
// *( OWS ";" OWS link-param ), link-param = token BWS [ "=" BWS ( token /
// quoted-string ) ]. Only the first occurrence of a parameter counts.
func parseLinkHeader(s string) ([]webLink, error) {
	var out []webLink
	i := 0
	skipWS := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	token := func() string {
		start := i
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		return s[start:i]
	}
	for {
		skipWS()
		if i >= len(s) {
			return out, nil
		}
		if s[i] == ',' { // empty list elements are allowed (RFC 9110 section 5.6.1)
			i++
			continue
		}
		if s[i] != '<' {
			return nil, fmt.Errorf("at %d: expected '<'", i)
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			return nil, errors.New("unterminated URI reference")
		}
		l := webLink{Target: s[i+1 : i+end], Params: map[string]string{}}
		i += end + 1
		for {
			skipWS()
			if i >= len(s) || s[i] == ',' {
				break
			}
			if s[i] != ';' {
				return nil, fmt.Errorf("at %d: expected ';' or ','", i)
			}
			i++
			skipWS()
			name := strings.ToLower(token())
			if name == "" {
				return nil, fmt.Errorf("at %d: expected a parameter name", i)
			}
			skipWS()
			value := ""
			if i < len(s) && s[i] == '=' {
				i++
				skipWS()
				if i < len(s) && s[i] == '"' {
					i++
					var b strings.Builder
					for ; i < len(s) && s[i] != '"'; i++ {
						if s[i] == '\\' && i+1 < len(s) {
							i++
						}
						b.WriteByte(s[i])
					}
					if i >= len(s) {
						return nil, errors.New("unterminated quoted string")
					}
					i++
					value = b.String()
				} else if value = token(); value == "" {
					return nil, fmt.Errorf("at %d: expected a parameter value", i)
				}
			}
			if _, seen := l.Params[name]; !seen {
				l.Params[name] = value
			}
		}
		out = append(out, l)
	}
}

// isTokenChar reports whether c is a tchar of RFC 9110 section 5.6.2.
func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func TestParseLinkHeader(t *testing.T) {
	links, err := parseLinkHeader(`<http://a/x?page=1>; rel="first", <http://a/x?page=3>;rel=next;title="a \"b\", c" ,<http://a/x?page=9>; REL="last prev"; rel=ignored`)
	require.NoError(t, err)
	require.Equal(t, []webLink{
		{Target: "http://a/x?page=1", Params: map[string]string{"rel": "first"}},
		{Target: "http://a/x?page=3", Params: map[string]string{"rel": "next", "title": `a "b", c`}},
		{Target: "http://a/x?page=9", Params: map[string]string{"rel": "last prev"}},
	}, links)
	for _, bad := range []string{`http://a/x; rel=next`, `<http://a/x; rel=next`, `<http://a/x>; rel="next`, `<http://a/x> rel=next`, `<http://a/x>; =next`} {
		_, err := parseLinkHeader(bad)
		require.Error(t, err, bad)
	}
}

// pageLinks returns the links of a response by relation type, each an
// absolute URL; nil when the response has no Link header.
func pageLinks(t testing.TB, r response) map[string]*url.URL {
	t.Helper()
	values := r.Header.Values("Link")
	if len(values) == 0 {
		return nil
	}
	links, err := parseLinkHeader(strings.Join(values, ", "))
	require.NoError(t, err, "Link: %q", values)
	out := map[string]*url.URL{}
	for _, l := range links {
		u, err := url.Parse(l.Target)
		require.NoError(t, err)
		require.True(t, u.IsAbs(), "Link target %q is not absolute", l.Target)
		for _, rel := range strings.Fields(strings.ToLower(l.Params["rel"])) {
			require.NotContains(t, out, rel, "rel %q twice in %q", rel, values)
			out[rel] = u
		}
	}
	return out
}

// requireLinks checks that the links of an assignments list response r are
// exactly want (rel -> page number): see requirePageLinks.
func requireLinks(t testing.TB, ts *testServer, r response, query url.Values, want map[string]int) {
	t.Helper()
	requireListLinks(t, ts, r, assignmentsPath, query, want)
}

// requireListLinks checks that the links of a list response at path are
// exactly want (rel -> page number; nil: no Link header): see
// requirePageLinks.
func requireListLinks(t testing.TB, ts *testServer, r response, path string, query url.Values, want map[string]int) {
	t.Helper()
	var pages map[string]string
	if want != nil {
		pages = map[string]string{}
		for rel, n := range want {
			pages[rel] = strconv.Itoa(n)
		}
	}
	requirePageLinks(t, ts, r, path, query, pages)
}

// requireListLinks checks that the links of r are exactly want (rel -> page
// number, in decimal), nil meaning no Link header at all, each an absolute
// URL to path on the server with the request's other query parameters kept,
// and that the relations come in the order api-pagination writes them:
// first, prev, last, next.
func requirePageLinks(t testing.TB, ts *testServer, r response, path string, query url.Values, want map[string]string) {
	t.Helper()
	links := pageLinks(t, r)
	if want == nil {
		require.Nil(t, links, "no Link header expected, got %q", r.Header.Values("Link"))
		return
	}
	got := map[string]string{}
	base, err := url.Parse(ts.URL)
	require.NoError(t, err)
	for rel, u := range links {
		require.Equal(t, base.Scheme, u.Scheme, rel)
		require.Equal(t, base.Host, u.Host, rel)
		require.Equal(t, path, u.Path, rel)
		q := u.Query()
		require.Len(t, q["page"], 1, "%s: %s", rel, u)
		got[rel] = q.Get("page")
		q.Del("page")
		other := url.Values{}
		for k, v := range query {
			if k != "page" {
				other[k] = v
			}
		}
		require.Equal(t, other, q, "%s: %s keeps every other query parameter", rel, u)
	}
	require.Equal(t, want, got)
	parsed, err := parseLinkHeader(strings.Join(r.Header.Values("Link"), ", "))
	require.NoError(t, err)
	var order, wantOrder []string
	for _, l := range parsed {
		order = append(order, l.Params["rel"])
	}
	for _, rel := range []string{"first", "prev", "last", "next"} {
		if _, ok := want[rel]; ok {
			wantOrder = append(wantOrder, rel)
		}
	}
	require.Equal(t, wantOrder, order, "Link: %q", r.Header.Values("Link"))
}

// pagingServer serves pagingFixtures(n) and has created n assignments for the
// demo key, with one for the other key after every 50th, so that the demo
// key's ids are not contiguous. It returns the demo key's ids in order.
func pagingServer(t *testing.T, n int) (*testServer, []int) {
	t.Helper()
	ts := newTestServer(t, Options{Fixtures: pagingFixtures(t, n)})
	var ids []int
	other := 0
	for i := 1; i <= n; i++ {
		owner := fmt.Sprintf("9000%08d", i)
		r := ts.post(assignmentsPath, assignmentBody(owner, 1, owner))
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		ids = append(ids, int(r.Object()["id"].(float64)))
		if i%50 == 0 {
			other++
			owner := fmt.Sprintf("8000%08d", other)
			r := ts.do(request{Method: http.MethodPost, Path: assignmentsPath, Key: otherKey, Body: assignmentBody(owner, 2, owner)})
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		}
	}
	return ts, ids
}

func TestPaging(t *testing.T) {
	const n = 250
	ts, ids := pagingServer(t, n)
	require.Equal(t, 2, ids[50]-ids[49], "the other partner's assignment sits between the 50th and the 51st")
	cases := []struct {
		name    string
		key     string
		query   string
		ids     []int // nil: an empty page
		total   int
		perPage int
		links   map[string]int
	}{
		{"defaults", demoKey, "", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"second page", demoKey, "page=2", ids[30:60], n, 30, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 9}},
		{"middle page", demoKey, "page=5", ids[120:150], n, 30, map[string]int{"first": 1, "prev": 4, "next": 6, "last": 9}},
		{"last page", demoKey, "page=9", ids[240:250], n, 30, map[string]int{"first": 1, "prev": 8}},
		{"just past the end", demoKey, "page=10", nil, n, 30, map[string]int{"first": 1, "prev": 9}},
		{"far past the end", demoKey, "page=100000", nil, n, 30, map[string]int{"first": 1, "prev": 99999}},
		{"per_page 100, page 2", demoKey, "per_page=100&page=2", ids[100:200], n, 100, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 3}},
		{"per_page 100, last page", demoKey, "page=3&per_page=100", ids[200:250], n, 100, map[string]int{"first": 1, "prev": 2}},
		{"per_page clamped to 100", demoKey, "per_page=1000", ids[0:100], n, 100, map[string]int{"next": 2, "last": 3}},
		{"per_page clamped, page 3", demoKey, "per_page=101&page=3", ids[200:250], n, 100, map[string]int{"first": 1, "prev": 2}},
		{"per_page dividing the total", demoKey, "per_page=50&page=5", ids[200:250], n, 50, map[string]int{"first": 1, "prev": 4}},
		{"per_page 1, last page", demoKey, "per_page=1&page=250", ids[249:250], n, 1, map[string]int{"first": 1, "prev": 249}},
		{"per_page 1, page 2", demoKey, "per_page=1&page=2", ids[1:2], n, 1, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 250}},
		{"page with a leading zero", demoKey, "page=02", ids[30:60], n, 30, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 9}},
		{"other partner, one page", otherKey, "", []int{ids[49] + 1, ids[99] + 1, ids[149] + 1, ids[199] + 1, ids[249] + 1}, 5, 30, nil},
		{"other partner, exactly one full page", otherKey, "per_page=5", []int{ids[49] + 1, ids[99] + 1, ids[149] + 1, ids[199] + 1, ids[249] + 1}, 5, 5, nil},
		{"other partner, pages of 2", otherKey, "per_page=2&page=3", []int{ids[249] + 1}, 5, 2, map[string]int{"first": 1, "prev": 2}},
		{"no assignments", emptyPartnerKey, "", nil, 0, 30, nil},
		{"no assignments, page 2", emptyPartnerKey, "page=2", nil, 0, 30, map[string]int{"first": 1, "prev": 1}},
		{"page=0 is page 1", demoKey, "page=0", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page=-3 is page 1", demoKey, "page=-3", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page=abc is page 1", demoKey, "page=abc", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"empty page is page 1", demoKey, "page=", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page=1.5 is page 1", demoKey, "page=1.5", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page=2x is page 2", demoKey, "page=2x", ids[30:60], n, 30, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 9}},
		{"page=1e2 is page 1", demoKey, "page=1e2", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page with leading spaces and a sign", demoKey, "page=%20%09%2B3", ids[60:90], n, 30, map[string]int{"first": 1, "prev": 2, "next": 4, "last": 9}},
		{"page with an underscore between digits", demoKey, "page=1_0", nil, n, 30, map[string]int{"first": 1, "prev": 9}},
		{"per_page=0 is 30", demoKey, "per_page=0", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"per_page=-30 is 30", demoKey, "per_page=-30", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"per_page=x is 30", demoKey, "per_page=x", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"per_page=7.9 is 7", demoKey, "per_page=7.9&page=2", ids[7:14], n, 7, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 36}},
		{"page sent twice: the last counts", demoKey, "page=1&page=3", ids[60:90], n, 30, map[string]int{"first": 1, "prev": 2, "last": 9, "next": 4}},
		{"both unreadable", demoKey, "page=abc&per_page=-1", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"per_page beyond int64 is 100", demoKey, "per_page=99999999999999999999", ids[0:100], n, 100, map[string]int{"next": 2, "last": 3}},
		{"per_page at the int64 minimum is 30", demoKey, "per_page=-9223372036854775808", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page at the int64 minimum is 1", demoKey, "page=-9223372036854775808", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
		{"page below the int64 minimum is 1", demoKey, "page=-99999999999999999999", ids[0:30], n, 30, map[string]int{"next": 2, "last": 9}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			r := ts.do(request{Method: http.MethodGet, Path: assignmentsPath + "?" + tc.query, Key: tc.key})
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			want := tc.ids
			if want == nil {
				want = []int{}
			}
			require.Equal(t, want, listIDs(t, r))
			require.Equal(t, strconv.Itoa(tc.total), r.Header.Get("X-Total"))
			require.Equal(t, strconv.Itoa(tc.perPage), r.Header.Get("X-Per-Page"))
			query, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			requireLinks(t, ts, r, query, tc.links)
		})
	}
}

// Following the links visits every assignment once, in id order, both ways;
// the links carry the api_key the request was made with, so they work as
// they are.
func TestPagingLinksKeepEveryOtherParameter(t *testing.T) {
	ts, ids := pagingServer(t, 95)
	query := "api_key=" + demoKey + "&per_page=20&foo=bar&foo=baz&empty=&q=a%20b%2Fc&page=2"
	r := ts.do(request{Method: http.MethodGet, Path: assignmentsPath + "?" + query})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, ids[20:40], listIDs(t, r))
	want, err := url.ParseQuery(query)
	require.NoError(t, err)
	requireLinks(t, ts, r, want, map[string]int{"first": 1, "prev": 1, "next": 3, "last": 5})

	// Forward from the first page, with no other credentials than the links carry.
	var seen []int
	next := pageLinks(t, r)["first"]
	for pages := 0; next != nil; pages++ {
		require.Less(t, pages, 10, "the next links do not end")
		page := ts.do(request{Method: http.MethodGet, Path: next.RequestURI()})
		seen = append(seen, listIDs(t, page)...)
		next = pageLinks(t, page)["next"]
	}
	require.Equal(t, ids, seen)

	// Backward from the last page.
	seen = nil
	prev := pageLinks(t, r)["last"]
	for pages := 0; prev != nil; pages++ {
		require.Less(t, pages, 10, "the prev links do not end")
		page := ts.do(request{Method: http.MethodGet, Path: prev.RequestURI()})
		seen = append(listIDs(t, page), seen...)
		prev = pageLinks(t, page)["prev"]
	}
	require.Equal(t, ids, seen)
}

func TestPagingOrderedByID(t *testing.T) {
	ts, ids := pagingServer(t, 120)
	all := listIDs(t, ts.get(assignmentsPath+"?per_page=100"))
	all = append(all, listIDs(t, ts.get(assignmentsPath+"?per_page=100&page=2"))...)
	require.Equal(t, ids, all)
	for i := 1; i < len(all); i++ {
		require.Less(t, all[i-1], all[i])
	}
	// A deleted assignment leaves no hole in the pages.
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(ids[10])).Status)
	r := ts.get(assignmentsPath + "?per_page=10&page=2")
	require.Equal(t, append(append([]int{}, ids[11:20]...), ids[20]), listIDs(t, r))
	require.Equal(t, "119", r.Header.Get("X-Total"))
}

// Links name the path as routed, without the repeated slashes of the request.
func TestPagingLinksAfterRepeatedSlashes(t *testing.T) {
	ts, _ := pagingServer(t, 40)
	r := ts.get("//v1//aws_account_assignments/?page=1&per_page=10")
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	requireLinks(t, ts, r, url.Values{"per_page": {"10"}}, map[string]int{"last": 4, "next": 2})
}

// A page number so large that page x per_page overflows, or that is past
// 64 bits, is still a page past the end: 200, an empty array, first and prev
// (page - 1, exact) only.
func TestPagingHugePageNumber(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct{ query, prev string }{
		{"page=307445734561825862", "307445734561825861"},
		{"page=9223372036854775807", "9223372036854775806"},
		{"page=9223372036854775807&per_page=100", "9223372036854775806"},
		{"page=9223372036854775808", "9223372036854775807"},
		{"page=9223372036854775809&per_page=1", "9223372036854775808"},
		{"page=99999999999999999999", "99999999999999999998"},
		{"page=100000000000000000000000000000000000000000", "99999999999999999999999999999999999999999"},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			ts := ts.sub(t)
			r := ts.get(assignmentsPath + "?" + tc.query)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			require.Equal(t, []int{}, listIDs(t, r))
			query, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			requirePageLinks(t, ts, r, assignmentsPath, query, map[string]string{"first": "1", "prev": tc.prev})
		})
	}
}

func TestRubyToI(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "0"}, {"abc", "0"}, {"1.5", "1"}, {"2x", "2"}, {" \t\n\v\f\r12", "12"}, {"+7", "7"}, {"-7", "-7"},
		{"- 7", "0"}, {"+-7", "0"}, {"007", "7"}, {"1_000", "1000"}, {"1__0", "1"}, {"_1", "0"}, {"1_", "1"},
		{"9223372036854775807", "9223372036854775807"}, {"9223372036854775808", "9223372036854775808"},
		{"-9223372036854775809", "-9223372036854775809"}, {"1e5", "1"}, {"0x10", "0"}, {"\u00a01", "0"},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, rubyToI(tc.in).String(), "%q", tc.in)
	}
}
