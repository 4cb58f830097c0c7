package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging of every list endpoint (BEHAVIOR.md section 2).
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// page is one requested page of a list.
type page struct {
	number  int // 1-based
	perPage int // effective, after clamping
}

func (p page) offset() int { return (p.number - 1) * p.perPage }

// parsePage reads page (default 1) and per_page (default 30, clamped to 100).
// Either one that is not a positive integer is a 422.
func parsePage(r *http.Request) (page, error) {
	q := r.URL.Query()
	p := page{number: 1, perPage: defaultPerPage}
	var errs []string
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &p.number}, {"per_page", &p.perPage}} {
		if !q.Has(f.name) {
			continue
		}
		n, err := strconv.Atoi(q.Get(f.name))
		if err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("query parameter %s: %q is not a positive integer", f.name, q.Get(f.name)))
			continue
		}
		*f.dst = n
	}
	if len(errs) > 0 {
		return page{}, unprocessable(errs...)
	}
	p.perPage = min(p.perPage, maxPerPage)
	return p, nil
}

// setPagingHeaders sets X-Total, X-Per-Page and, when there is more than one
// page or the page is past the end, an RFC 8288 Link header with absolute
// URLs for first, prev, next and last that keep every other query parameter.
func setPagingHeaders(w http.ResponseWriter, r *http.Request, p page, total int) {
	h := w.Header()
	h.Set("X-Total", strconv.Itoa(total))
	h.Set("X-Per-Page", strconv.Itoa(p.perPage))
	last := max(1, (total+p.perPage-1)/p.perPage)
	if last == 1 && p.number == 1 {
		return
	}
	q := r.URL.Query()
	links := []string{pageLink(r, q, 1, "first")}
	if p.number > 1 {
		links = append(links, pageLink(r, q, min(p.number-1, last), "prev"))
	}
	if p.number < last {
		links = append(links, pageLink(r, q, p.number+1, "next"))
	}
	links = append(links, pageLink(r, q, last, "last"))
	h.Set("Link", strings.Join(links, ", "))
}

// pageLink is the link to page number of the list: the request's URL with
// the query q (parsed once per request) but for its page.
func pageLink(r *http.Request, q url.Values, number int, rel string) string {
	q.Set("page", strconv.Itoa(number))
	u := url.URL{Scheme: scheme(r), Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return "<" + u.String() + `>; rel="` + rel + `"`
}

// absoluteURL returns the absolute URL of path on the host the request came to.
func absoluteURL(r *http.Request, path string) string {
	return (&url.URL{Scheme: scheme(r), Host: r.Host, Path: path}).String()
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}
