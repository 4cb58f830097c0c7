package contracttests

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Paging of every list (docs/fidelity.md, "Paging": CloudHealth pages with
// the Rails gem api-pagination over kaminari): X-Total and X-Per-Page on
// every page, and an RFC 8288 Link with only the relations that apply, in
// the gem's order: first and prev when the page is not the first, last and
// next when it is neither the last nor past the end; none on a single page.
// page and per_page are read like Ruby's String#to_i, never refused.

// linkRel matches one link-value of a Link header: <url>; rel="name".
var linkRel = regexp.MustCompile(`^\s*<([^>]+)>\s*;\s*rel="([a-z]+)"\s*$`)

// pageLinks parses a Link header into its URLs by rel; each URL must be
// absolute, on the list's path, and keep per_page.
func pageLinks(t *testing.T, header, path string, perPage int) map[string]*url.URL {
	t.Helper()
	out := map[string]*url.URL{}
	if header == "" {
		return out
	}
	for _, part := range strings.Split(header, ",") {
		m := linkRel.FindStringSubmatch(part)
		require.NotNil(t, m, "Link value %q is not <url>; rel=\"...\" (Link: %s)", part, header)
		u, err := url.Parse(m[1])
		require.NoError(t, err)
		require.True(t, u.IsAbs(), "Link URL %q is not absolute", m[1])
		require.Equal(t, path, u.Path, "Link URL %q", m[1])
		require.Equal(t, strconv.Itoa(perPage), u.Query().Get("per_page"), "Link URL %q keeps per_page", m[1])
		require.NotContains(t, out, m[2], "rel %q twice in Link: %s", m[2], header)
		out[m[2]] = u
	}
	return out
}

// linkOrder is the relations of a Link header in the order they come.
func linkOrder(t *testing.T, header string) []string {
	t.Helper()
	var out []string
	if header == "" {
		return out
	}
	for _, part := range strings.Split(header, ",") {
		m := linkRel.FindStringSubmatch(part)
		require.NotNil(t, m, "Link value %q (Link: %s)", part, header)
		out = append(out, m[2])
	}
	return out
}

// requireRelations checks that a Link header carries exactly the relations
// want, in the order api-pagination writes them (first, prev, last, next).
func requireRelations(t *testing.T, header string, want ...string) {
	t.Helper()
	var order []string
	for _, rel := range []string{"first", "prev", "last", "next"} {
		if slices.Contains(want, rel) {
			order = append(order, rel)
		}
	}
	require.Equal(t, order, linkOrder(t, header), "Link: %s", header)
}

// linkPage is the page number a Link URL names.
func linkPage(t *testing.T, u *url.URL) int {
	t.Helper()
	n, err := strconv.Atoi(u.Query().Get("page"))
	require.NoError(t, err, "Link URL %s has no page number", u)
	return n
}

// walkPages reads every page of a list (path, with or without a query; key
// is the array's name in the body) with per_page=perPage, following Link
// rel="next", and checks on each page: 200, X-Per-Page, an X-Total that does
// not change, the page's size, and a Link exactly when there is more than
// one page, with first (page 1) and prev (the page before) except on the
// first, last and next (the page after) except on the last. It returns
// every item, and checks there are X-Total of them, in increasing id order.
func walkPages(t *testing.T, path, key string, perPage int) []json.RawMessage {
	t.Helper()
	listPath := strings.SplitN(path, "?", 2)[0]
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := fmt.Sprintf("%s%sper_page=%d", path, sep, perPage)
	var all []json.RawMessage
	total, last := -1, 0
	for number := 1; next != ""; number++ {
		r := do(t, call{method: http.MethodGet, path: next})
		require.Equal(t, http.StatusOK, r.status, "GET %s: %s", next, r.body)
		require.Equal(t, strconv.Itoa(perPage), r.header.Get("X-Per-Page"), "GET %s", next)
		n, err := strconv.Atoi(r.header.Get("X-Total"))
		require.NoError(t, err, "GET %s: X-Total %q", next, r.header.Get("X-Total"))
		if total < 0 {
			total, last = n, max(1, (n+perPage-1)/perPage)
		}
		require.Equal(t, total, n, "X-Total is the same on every page (GET %s)", next)

		var body map[string][]json.RawMessage
		r.decode(t, &body)
		items, ok := body[key]
		require.True(t, ok, "GET %s: no %q array in %s", next, key, r.body)
		require.Len(t, items, min(perPage, total-(number-1)*perPage), "page %d of %d items, %d a page", number, total, perPage)
		all = append(all, items...)

		links := pageLinks(t, r.header.Get("Link"), listPath, perPage)
		requireLinksKeepQuery(t, links, path)
		if last == 1 {
			require.Empty(t, links, "one page: no Link (GET %s)", next)
			break
		}
		var want []string
		if number > 1 {
			want = append(want, "first", "prev")
			require.Equal(t, 1, linkPage(t, links["first"]))
			require.Equal(t, number-1, linkPage(t, links["prev"]))
		}
		next = ""
		if number < last {
			want = append(want, "last", "next")
			require.Equal(t, last, linkPage(t, links["last"]), "the page count, from rel=last")
			require.Equal(t, number+1, linkPage(t, links["next"]))
			next = links["next"].RequestURI()
		}
		requireRelations(t, r.header.Get("Link"), want...)
	}
	require.Len(t, all, total, "every page together holds X-Total items")
	var prev int64
	for i, raw := range all {
		var item struct {
			ID int64 `json:"id"`
		}
		require.NoError(t, json.Unmarshal(raw, &item))
		if i > 0 {
			require.Less(t, prev, item.ID, "ordered by id, no item twice")
		}
		prev = item.ID
	}
	return all
}

// requireListPagingRules checks the rest of the paging contract on a list:
// the default page size, per_page clamped to 100, a page past the end (200,
// empty, Link with first and prev = page - 1 only, however large the page),
// and values read like Ruby's String#to_i, never a 422: a page of 0 or no
// digits is page 1, a per_page of 0 or less or no digits is 30.
func requireListPagingRules(t *testing.T, path, key string) {
	t.Helper()
	listPath := strings.SplitN(path, "?", 2)[0]
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	r := do(t, call{method: http.MethodGet, path: path})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "30", r.header.Get("X-Per-Page"), "default per_page")
	total, err := strconv.Atoi(r.header.Get("X-Total"))
	require.NoError(t, err)

	r = do(t, call{method: http.MethodGet, path: path + sep + "per_page=1000"})
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, "100", r.header.Get("X-Per-Page"), "a huge per_page is clamped")

	for _, page := range []string{strconv.Itoa(total + 1), strconv.Itoa(total + 7), "9223372036854775807", "99999999999999999999"} {
		r = do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s%sper_page=1&page=%s", path, sep, page)})
		require.Equal(t, http.StatusOK, r.status, "page %s: %s", page, r.body)
		require.JSONEq(t, fmt.Sprintf(`{%q: []}`, key), string(r.body), "page %s is past the end", page)
		links := pageLinks(t, r.header.Get("Link"), listPath, 1)
		requireRelations(t, r.header.Get("Link"), "first", "prev")
		require.Equal(t, "1", links["first"].Query().Get("page"))
		prev, ok := new(big.Int).SetString(page, 10)
		require.True(t, ok)
		require.Equal(t, prev.Sub(prev, big.NewInt(1)).String(), links["prev"].Query().Get("page"), "prev of page %s", page)
	}

	first := do(t, call{method: http.MethodGet, path: path + sep + "per_page=1"})
	require.Equal(t, http.StatusOK, first.status)
	for _, q := range []string{"page=0", "page=-1", "page=abc", "page=1.5", "page="} {
		t.Run(q, func(t *testing.T) {
			r := do(t, call{method: http.MethodGet, path: path + sep + "per_page=1&" + q})
			require.Equal(t, http.StatusOK, r.status, "%s is page 1, never a 422: %s", q, r.body)
			require.JSONEq(t, string(first.body), string(r.body), "%s is page 1", q)
			require.Equal(t, first.header.Get("Link"), r.header.Get("Link"))
		})
	}
	for _, q := range []string{"per_page=0", "per_page=-1", "per_page=x", "per_page=-9223372036854775808"} {
		t.Run(q, func(t *testing.T) {
			r := do(t, call{method: http.MethodGet, path: path + sep + q})
			require.Equal(t, http.StatusOK, r.status, "%s is the default, never a 422: %s", q, r.body)
			require.Equal(t, "30", r.header.Get("X-Per-Page"), q)
		})
	}
	if total > 2 {
		r := do(t, call{method: http.MethodGet, path: path + sep + "per_page=2x&page=2.9"})
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		require.Equal(t, "2", r.header.Get("X-Per-Page"), "per_page=2x reads as 2")
		requireRelations(t, r.header.Get("Link"), append([]string{"first", "prev"}, map[bool][]string{true: {"last", "next"}}[total > 4]...)...)
	}
}

// requireLinksKeepQuery checks that every Link URL keeps the query
// parameters of the list's path (client_api_id, ...).
func requireLinksKeepQuery(t *testing.T, links map[string]*url.URL, path string) {
	t.Helper()
	u, err := url.Parse(path)
	require.NoError(t, err)
	for rel, link := range links {
		for k := range u.Query() {
			require.Equal(t, u.Query().Get(k), link.Query().Get(k), "Link rel=%s keeps %s", rel, k)
		}
	}
}
