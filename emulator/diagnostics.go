package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Diagnostics: why a request was answered 404 or 422, in the emulator's
// terms, for the journal (JournalEntry.Diagnostic). They are shown on the
// control side only: the API answer stays CloudHealth's. Like WireMock's near
// misses, a request no route serves names the nearest routes.

// unmatched is the diagnostic of a request no route of openapi.yaml serves;
// it tells Options.OnUnmatched first.
func (s *Server) unmatched(r *http.Request) string {
	if s.opts.OnUnmatched != nil {
		s.opts.OnUnmatched(r.Method, r.URL.Path)
	}
	return routeDiagnostic(s.api, r.Method, r.URL.Path)
}

// parameterDiagnostic is the diagnostic of a 422 for path or query
// parameters that break openapi.yaml.
func parameterDiagnostic(msgs []string) string {
	return "the parameters break openapi.yaml (422): " + strings.Join(msgs, "; ")
}

// failureDiagnostic is the diagnostic of an error a handler returned: for a
// 422 the messages (the rules or the schema that refused the body), for a
// 404 what the request names that the partner does not have (another
// partner's, or nobody's); "" for anything else.
func failureDiagnostic(rq *call, err error) string {
	var ae *apiError
	if !errors.As(err, &ae) {
		return ""
	}
	switch ae.status {
	case http.StatusUnprocessableEntity:
		return "refused (422): " + strings.Join(ae.msgs, "; ")
	case http.StatusNotFound:
		if rq.x == nil || rq.x.store == nil {
			return "not found (404)"
		}
		var out string
		rq.x.store.Read(func(st *state.State) { out = notFoundDiagnostic(st, rq) })
		return out
	}
	return ""
}

// notFoundDiagnostic names the first thing the request names that is not the
// partner's: the customer its client_api_id names, then the entity its {id}
// names.
func notFoundDiagnostic(st *state.State, rq *call) string {
	self := partnerLabel(st, rq.partner)
	var customer *state.Customer
	raw, named := rq.vars["client_api_id"]
	if !named && rq.r.URL.Query().Has("client_api_id") {
		raw, named = rq.r.URL.Query().Get("client_api_id"), true
	}
	if named {
		id, err := strconv.ParseInt(raw, 10, 64)
		c, ok := st.AnyCustomerByClientAPIID(id)
		switch {
		case err != nil || !ok:
			return fmt.Sprintf("no customer of any partner has client_api_id %s (404)", raw)
		case c.PartnerID != rq.partner:
			return fmt.Sprintf("client_api_id %s is customer %d of %s, not of %s: another partner's ids answer 404", raw, c.ID, partnerLabel(st, c.PartnerID), self)
		}
		customer = c
	}
	raw, ok := rq.vars["id"]
	if !ok || rq.op == nil {
		return fmt.Sprintf("the request names nothing %s has (404)", self)
	}
	id, _ := strconv.ParseInt(raw, 10, 64)
	path := rq.op.route.Path
	switch {
	case strings.Contains(path, "aws_account_assignments"):
		a, ok := st.AnyAssignment(id)
		if !ok {
			return fmt.Sprintf("no AWS account assignment %d exists, of any partner (404)", id)
		}
		if a.PartnerID != rq.partner {
			return fmt.Sprintf("AWS account assignment %d is %s's, not %s's: another partner's ids answer 404", id, partnerLabel(st, a.PartnerID), self)
		}
	case strings.Contains(path, "customers"):
		c, ok := st.AnyCustomer(id)
		if !ok {
			return fmt.Sprintf("no customer %d exists, of any partner (404)", id)
		}
		if c.PartnerID != rq.partner {
			return fmt.Sprintf("customer %d is %s's, not %s's: another partner's ids answer 404", id, partnerLabel(st, c.PartnerID), self)
		}
	case strings.Contains(path, "govcloud_linkages"):
		l, ok := st.AnyLinkage(id)
		if !ok {
			return fmt.Sprintf("no GovCloud linkage %d exists, of any customer (404)", id)
		}
		if customer != nil && l.CustomerID != customer.ID {
			return fmt.Sprintf("GovCloud linkage %d is %s's, not %s's (client_api_id %d): another customer's linkage answers 404", id, customerLabel(st, l.CustomerID), customerLabel(st, customer.ID), customer.ClientAPIID)
		}
	case strings.Contains(path, "aws_accounts"):
		a, ok := st.AWSAccount(id)
		switch {
		case !ok:
			return fmt.Sprintf("no AWS account %d exists, of any partner (404)", id)
		case a.PartnerID != rq.partner:
			return fmt.Sprintf("AWS account %d is %s's, not %s's: another partner's ids answer 404", id, partnerLabel(st, a.PartnerID), self)
		case customer == nil && a.CustomerID != 0:
			c, _ := st.AnyCustomer(a.CustomerID)
			return fmt.Sprintf("AWS account %d is an account of %s: without client_api_id=%d the request names the partner's own accounts (404)", id, customerLabel(st, a.CustomerID), c.ClientAPIID)
		case customer != nil && a.CustomerID == 0:
			return fmt.Sprintf("AWS account %d is the partner's own account, not one of %s's: drop client_api_id to reach it (404)", id, customerLabel(st, customer.ID))
		case customer != nil && a.CustomerID != customer.ID:
			return fmt.Sprintf("AWS account %d is an account of %s, not of %s (404)", id, customerLabel(st, a.CustomerID), customerLabel(st, customer.ID))
		}
	}
	return fmt.Sprintf("%s %s: not found (404)", rq.op.id, raw)
}

func partnerLabel(st *state.State, id int64) string {
	if p, ok := st.Partner(id); ok {
		return fmt.Sprintf("partner %d (%s)", p.ID, p.Name)
	}
	return fmt.Sprintf("partner %d", id)
}

func customerLabel(st *state.State, id int64) string {
	if c, ok := st.AnyCustomer(id); ok {
		return fmt.Sprintf("customer %d (%s)", c.ID, c.Name)
	}
	return fmt.Sprintf("customer %d", id)
}

// routeDiagnostic says why no route of c serves method and path, with the
// nearest routes: the same path with other methods, an integer parameter
// that is not digits, a missing or extra /api prefix (only GovCloud linkage
// paths have one), another API version, a trailing segment too many or too
// few, or else the routes fewest segments away.
func routeDiagnostic(c *contract, method, path string) string {
	head := fmt.Sprintf("no route serves %s %s", method, path)
	if method == http.MethodHead {
		method = http.MethodGet
	}
	segs := splitPath(path)
	for _, s := range segs {
		if s == ".." || s == "." {
			return head + ": a path with . or .. segments matches no route (they are not resolved)"
		}
	}
	routes := routesOf(c)
	// The path is a route's, the method is not.
	var methods []string
	for _, rt := range routes {
		if ok, bad := rt.matches(segs); ok || bad != "" {
			if rt.method == method && ok {
				return head + ": an integer path parameter of " + rt.method + " " + rt.path + " has more than 18 digits"
			}
			if rt.method == method && bad != "" {
				return fmt.Sprintf("%s: %s is {%s} of %s %s, an integer: only digits match", head, strconv.Quote(segs[rt.badIndex(segs)]), bad, rt.method, rt.path)
			}
			if ok {
				methods = append(methods, rt.method+" "+rt.path)
			}
		}
	}
	if len(methods) > 0 {
		return fmt.Sprintf("%s: the path serves only %s (a method a path does not serve answers 404)", head, strings.Join(methods, ", "))
	}
	// A near miss: the path rewritten once matches a route.
	type rewrite struct {
		segs []string
		why  string
	}
	var rewrites []rewrite
	if len(segs) > 0 && segs[0] == "api" {
		rewrites = append(rewrites, rewrite{segs[1:], "only GovCloud linkage paths start with /api"})
	} else {
		rewrites = append(rewrites, rewrite{append([]string{"api"}, segs...), "GovCloud linkage paths start with /api"})
	}
	for i, s := range segs {
		if len(s) >= 2 && s[0] == 'v' && allDigits(s[1:]) {
			for _, v := range []string{"v1", "v2"} {
				if v != s {
					rewrites = append(rewrites, rewrite{replaceAt(segs, i, v), fmt.Sprintf("%s, not %s: this path has no %s", v, s, s)})
				}
			}
			break
		}
	}
	if len(segs) > 1 {
		rewrites = append(rewrites, rewrite{segs[:len(segs)-1], fmt.Sprintf("a trailing segment %q too many", segs[len(segs)-1])})
	}
	var near []string
	for _, rw := range rewrites {
		for _, rt := range routes {
			if ok, _ := rt.matches(rw.segs); ok && rt.method == method {
				near = append(near, fmt.Sprintf("%s %s (%s)", rt.method, rt.path, rw.why))
			}
		}
	}
	// A segment too few: a route is the path with one more segment.
	for _, rt := range routes {
		if rt.method == method && len(rt.segs) == len(segs)+1 {
			if ok, _ := rt.prefixMatches(segs); ok {
				near = append(near, fmt.Sprintf("%s %s (the last segment, %s, is missing)", rt.method, rt.path, rt.segs[len(segs)]))
			}
		}
	}
	if len(near) > 0 {
		return head + "; nearest: " + strings.Join(near, ", ")
	}
	// The fewest segments away, of any method.
	type scored struct {
		route string
		cost  int
	}
	var best []scored
	for _, rt := range routes {
		best = append(best, scored{rt.method + " " + rt.path, rt.distance(segs, method)})
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].cost < best[j].cost })
	var out []string
	for _, b := range best {
		if b.cost > best[0].cost || b.cost > 4 || len(out) == 3 {
			break
		}
		out = append(out, b.route)
	}
	if len(out) == 0 {
		return head + ": no route is near it"
	}
	return head + "; nearest: " + strings.Join(out, ", ")
}

// route is one operation's method and path template, split in segments.
type route struct {
	method, path string
	segs         []string
	// intParams are the template's integer parameters (digits only).
	intParams map[string]bool
}

// routesOf lists c's routes in path and method order.
func routesOf(c *contract) []route {
	out := make([]route, 0, len(c.ops))
	for _, op := range c.ops {
		rt := route{method: op.route.Method, path: op.route.Path, segs: splitPath(op.route.Path), intParams: map[string]bool{}}
		for _, p := range op.route.Operation.Parameters {
			if p.Value != nil && p.Value.In == "path" && p.Value.Schema != nil && p.Value.Schema.Value != nil && p.Value.Schema.Value.Type.Is("integer") {
				rt.intParams[p.Value.Name] = true
			}
		}
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].method < out[j].method
	})
	return out
}

func splitPath(path string) []string {
	path = strings.Trim(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

// param returns the name of the template segment's parameter, or "".
func param(seg string) string {
	if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1]
	}
	return ""
}

// matches reports whether segs fit the template: ok when they do, or the
// name of the one integer parameter whose segment is not digits.
func (rt route) matches(segs []string) (ok bool, badInt string) {
	if len(segs) != len(rt.segs) {
		return false, ""
	}
	return rt.prefixMatches(segs)
}

// prefixMatches is matches for the template's first len(segs) segments.
func (rt route) prefixMatches(segs []string) (ok bool, badInt string) {
	if len(segs) > len(rt.segs) {
		return false, ""
	}
	for i, s := range segs {
		name := param(rt.segs[i])
		switch {
		case name == "":
			if s != rt.segs[i] {
				return false, ""
			}
		case rt.intParams[name] && !allDigits(s):
			if badInt != "" {
				return false, ""
			}
			badInt = name
		}
	}
	return badInt == "", badInt
}

// badIndex is the index of the first integer parameter whose segment is not
// digits.
func (rt route) badIndex(segs []string) int {
	for i, s := range segs {
		if name := param(rt.segs[i]); name != "" && rt.intParams[name] && !allDigits(s) {
			return i
		}
	}
	return 0
}

// distance is the segment edit distance from segs to the template (a
// parameter fits any segment), plus one for another method.
func (rt route) distance(segs []string, method string) int {
	a, b := segs, rt.segs
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := 1
			if param(b[j-1]) != "" || a[i-1] == b[j-1] {
				sub = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+sub)
		}
		prev, cur = cur, prev
	}
	d := prev[len(b)]
	if rt.method != method {
		d++
	}
	return d
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func replaceAt(segs []string, i int, v string) []string {
	out := append([]string(nil), segs...)
	out[i] = v
	return out
}
