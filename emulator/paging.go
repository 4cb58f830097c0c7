package emulator

import (
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging of every list endpoint, as CloudHealth's Rails gem api-pagination
// pages over kaminari (docs/fidelity.md, "Paging"): page and per_page are
// read like Ruby's String#to_i and never refused.
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// page is one requested page of a list.
type page struct {
	number  int      // 1-based; math.MaxInt when the requested page does not fit in an int
	perPage int      // effective, after the default and the clamp
	huge    *big.Int // the requested page when it does not fit in an int, else nil
	// query is the request's query as parsePage read it, for the Link
	// header (nil: setPagingHeaders parses it).
	query url.Values
}

// offset is the position of the page's first item, saturated at math.MaxInt
// (a page that far is past the end of any list).
func (p page) offset() int {
	if p.number-1 > math.MaxInt/p.perPage {
		return math.MaxInt
	}
	return (p.number - 1) * p.perPage
}

// parsePage reads page and per_page like Ruby's String#to_i: page <= 0 is 1;
// per_page <= 0 is 30 and above 100 is 100. Nothing is refused. A parameter
// sent twice counts by its last value, as Rack reads a query string.
func parsePage(r *http.Request) page {
	q := r.URL.Query()
	p := page{number: 1, perPage: defaultPerPage, query: q}
	if v := q["page"]; len(v) > 0 {
		if n := rubyToI(v[len(v)-1]); n.Sign() > 0 {
			if n.IsInt64() && n.Int64() <= math.MaxInt {
				p.number = int(n.Int64())
			} else {
				p.number, p.huge = math.MaxInt, n
			}
		}
	}
	if v := q["per_page"]; len(v) > 0 {
		if n := rubyToI(v[len(v)-1]); n.Sign() > 0 {
			p.perPage = maxPerPage
			if n.IsInt64() && n.Int64() < maxPerPage {
				p.perPage = int(n.Int64())
			}
		}
	}
	return p
}

// smallInts are the values rubyToI answers without allocating, the common
// case of page and per_page.
var smallInts = func() (out [maxPerPage + 1]*big.Int) {
	for i := range out {
		out[i] = big.NewInt(int64(i))
	}
	return out
}()

// rubyToI reads s as Ruby's String#to_i does in base 10: leading whitespace,
// an optional sign, then the leading digits (an underscore may separate two
// digits); anything else ends the number, and no digit at all reads as 0.
// The result is exact however long the digits run, and must not be modified.
func rubyToI(s string) *big.Int {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var digits []byte
	for ; i < len(s); i++ {
		c := s[i]
		if c == '_' && len(digits) > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		digits = append(digits, c)
	}
	if len(digits) <= 18 { // fits in an int64 whatever the digits
		var n int64
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		if n >= 0 && n <= maxPerPage {
			return smallInts[n]
		}
		return big.NewInt(n)
	}
	n, _ := new(big.Int).SetString(string(digits), 10)
	if neg {
		n.Neg(n)
	}
	return n
}

// setPagingHeaders sets X-Total, X-Per-Page and, unless the list has one
// page only and this is it, an RFC 8288 Link header with absolute URLs that
// keep every other query parameter, carrying only the relations that apply,
// in this order: first and prev when the page is not the first; last and
// next when the page is neither the last nor past the end.
func setPagingHeaders(w http.ResponseWriter, r *http.Request, p page, total int) {
	h := w.Header()
	h.Set("X-Total", strconv.Itoa(total))
	h.Set("X-Per-Page", strconv.Itoa(p.perPage))
	last := (total + p.perPage - 1) / p.perPage // 0 for an empty list, as kaminari counts
	var links []string
	q := p.query
	if q == nil {
		q = r.URL.Query()
	}
	if p.number > 1 {
		prev := strconv.Itoa(p.number - 1)
		if p.huge != nil {
			prev = new(big.Int).Sub(p.huge, smallInts[1]).String()
		}
		links = append(links, pageLink(r, q, "1", "first"), pageLink(r, q, prev, "prev"))
	}
	if p.number < last {
		links = append(links, pageLink(r, q, strconv.Itoa(last), "last"), pageLink(r, q, strconv.Itoa(p.number+1), "next"))
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
}

// pageLink is the link to page number of the list: the request's URL with
// the query q (parsed once per request, by parsePage) but for its page.
func pageLink(r *http.Request, q url.Values, number, rel string) string {
	q.Set("page", number)
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
