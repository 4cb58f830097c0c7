package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxFaultLatency bounds latency_ms: ten minutes.
const maxFaultLatency = 10 * 60 * 1000

// FaultRule says which CloudHealth API requests a fault applies to and what
// they get instead of (or before) the real answer.
type FaultRule struct {
	// Method is an HTTP method; empty is any method.
	Method string `json:"method,omitempty"`
	// Path is a path pattern: a {name} segment matches any one segment, as
	// in /v1/aws_account_assignments/{id}. Exactly one of Path and
	// PathPrefix is set.
	Path       string `json:"path,omitempty"`
	PathPrefix string `json:"path_prefix,omitempty"`
	// Status is the injected answer's status (200-599); 0 with LatencyMS
	// alone delays the real answer.
	Status int `json:"status,omitempty"`
	// Body is the injected answer's body: a JSON string is sent as is
	// (text/plain unless Headers sets a Content-Type), any other JSON value
	// as JSON. Empty with a Status: {"error": "..."}.
	Body json.RawMessage `json:"body,omitempty"`
	// Headers are set on the injected answer, e.g. Retry-After.
	Headers map[string]string `json:"headers,omitempty"`
	// LatencyMS is waited before the answer, injected or real.
	LatencyMS int `json:"latency_ms,omitempty"`
	// CloseConnection closes the connection without an answer.
	CloseConnection bool `json:"close_connection,omitempty"`
	// Times limits the rule to the next N matching requests; it is removed
	// when spent. Zero, with no Probability: every matching request.
	Times int `json:"times,omitempty"`
	// Probability applies the rule to each matching request with this
	// chance (0 to 1). It excludes Times.
	Probability *float64 `json:"probability,omitempty"`
}

// Fault is a fault rule as the emulator holds it.
type Fault struct {
	FaultRule
	ID int64 `json:"id"`
	// Matched counts the requests the rule applied to.
	Matched int64 `json:"matched"`
	// Remaining is, with Times, how many more requests it applies to.
	Remaining int `json:"remaining,omitempty"`
}

// faults holds the fault rules, tried in the order they were added. It is
// safe for concurrent use.
type faults struct {
	mu     sync.Mutex
	rules  []*Fault
	nextID int64
}

func (f *faults) add(rule FaultRule) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	fault := &Fault{FaultRule: rule, ID: f.nextID, Remaining: rule.Times}
	f.rules = append(f.rules, fault)
	return *fault
}

func (f *faults) list() []Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Fault, 0, len(f.rules))
	for _, r := range f.rules {
		out = append(out, *r)
	}
	return out
}

func (f *faults) get(id int64) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.ID == id {
			return *r, true
		}
	}
	return Fault{}, false
}

func (f *faults) remove(id int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if r.ID == id {
			f.rules = append(f.rules[:i], f.rules[i+1:]...)
			return true
		}
	}
	return false
}

func (f *faults) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}

// pick returns the first rule that matches the request and fires (its
// probability allowing), counting it; a rule with Times is removed when spent.
func (f *faults) pick(r *http.Request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, rule := range f.rules {
		if !rule.matches(r) {
			continue
		}
		if rule.Probability != nil && rand.Float64() >= *rule.Probability {
			continue
		}
		rule.Matched++
		if rule.Times > 0 {
			rule.Remaining--
			if rule.Remaining == 0 {
				f.rules = append(f.rules[:i], f.rules[i+1:]...)
			}
		}
		return *rule, true
	}
	return Fault{}, false
}

func (rule *FaultRule) matches(r *http.Request) bool {
	if rule.Method != "" && rule.Method != r.Method {
		return false
	}
	if rule.PathPrefix != "" {
		return strings.HasPrefix(r.URL.Path, rule.PathPrefix)
	}
	return pathMatches(rule.Path, r.URL.Path)
}

// pathMatches reports whether path fits pattern, segment by segment; a
// {name} segment of the pattern matches any one non-empty segment.
func pathMatches(pattern, path string) bool {
	ps, segs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(segs) {
		return false
	}
	for i, p := range ps {
		if isParamSegment(p) {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if p != segs[i] {
			return false
		}
	}
	return true
}

func isParamSegment(seg string) bool {
	return len(seg) > 2 && strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") && !strings.ContainsAny(seg[1:len(seg)-1], "{}")
}

// knownMethods are the methods a rule may name.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// normalize upper-cases the method and returns every problem of the rule.
func (rule *FaultRule) normalize() []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	rule.Method = strings.ToUpper(rule.Method)
	if rule.Method != "" && !knownMethods[rule.Method] {
		add("method: %q is not an HTTP method", rule.Method)
	}
	switch {
	case rule.Path == "" && rule.PathPrefix == "":
		add("path or path_prefix: one of them is required")
	case rule.Path != "" && rule.PathPrefix != "":
		add("path and path_prefix: give only one of them")
	case rule.Path != "":
		if !strings.HasPrefix(rule.Path, "/") {
			add("path: %q must start with /", rule.Path)
		}
		for _, seg := range strings.Split(rule.Path, "/") {
			if strings.ContainsAny(seg, "{}") && !isParamSegment(seg) {
				add("path: segment %q: a parameter is a whole segment like {id}", seg)
			}
		}
	default:
		if !strings.HasPrefix(rule.PathPrefix, "/") {
			add("path_prefix: %q must start with /", rule.PathPrefix)
		}
	}
	if string(rule.Body) == "null" {
		rule.Body = nil
	}
	if rule.Status != 0 && (rule.Status < 200 || rule.Status > 599) {
		add("status: %d is not between 200 and 599", rule.Status)
	}
	if rule.Status == 0 && (len(rule.Body) > 0 || len(rule.Headers) > 0) {
		add("body and headers: they need a status")
	}
	if rule.CloseConnection && (rule.Status != 0 || len(rule.Body) > 0 || len(rule.Headers) > 0) {
		add("close_connection: it answers nothing, so status, body and headers must not be set")
	}
	if rule.Status == 0 && rule.LatencyMS == 0 && !rule.CloseConnection {
		add("the rule does nothing: give a status, latency_ms or close_connection")
	}
	if rule.LatencyMS < 0 || rule.LatencyMS > maxFaultLatency {
		add("latency_ms: %d is not between 0 and %d", rule.LatencyMS, maxFaultLatency)
	}
	for name, value := range rule.Headers {
		if !validHeaderName(name) {
			add("headers: %q is not a header name", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			add("headers: the value of %q has a line break", name)
		}
	}
	if rule.Times < 0 {
		add("times: %d is negative", rule.Times)
	}
	if p := rule.Probability; p != nil {
		if *p < 0 || *p > 1 {
			add("probability: %v is not between 0 and 1", *p)
		}
		if rule.Times != 0 {
			add("times and probability: give only one of them")
		}
	}
	return problems
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if c > 127 || !(c == '-' || c == '_' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
			c == '*' || c == '+' || c == '.' || c == '^' || c == '`' || c == '|' || c == '~' ||
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

// serveFault applies the first fault rule that fires for c: it waits the
// rule's latency, then closes the connection or answers the rule's status
// (and returns true), or lets the real answer follow (false).
//
// An injected answer is checked against the operation's responses like any
// other, but it is the user's own choice of answer: a violation is logged and
// journaled, not reported as an emulator bug, and the answer is sent as the
// rule says.
func (s *Server) serveFault(w http.ResponseWriter, rq *call) bool {
	fault, ok := s.faults.pick(rq.r)
	if !ok {
		return false
	}
	rq.x.markFault(fault.ID, false, false)
	if fault.LatencyMS > 0 && !sleep(rq.r.Context(), time.Duration(fault.LatencyMS)*time.Millisecond) {
		rq.x.markFault(fault.ID, false, true) // the client gave up: no answer
		return true
	}
	switch {
	case fault.CloseConnection:
		rq.x.markFault(fault.ID, true, true)
		rq.x.finish() // journal it before the client sees the connection close
		s.log.Info("fault: closing the connection", "fault", fault.ID, "method", rq.r.Method, "path", rq.r.URL.Path)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler) // net/http drops the connection
		}
		_ = conn.Close()
		return true
	case fault.Status != 0:
		rq.x.markFault(fault.ID, true, false)
		s.log.Info("fault: injected answer", "fault", fault.ID, "status", fault.Status, "method", rq.r.Method, "path", rq.r.URL.Path)
		rec := newRecorder()
		defer rec.release()
		writeFault(rec, fault)
		if err := s.checkResponse(rq, rec); err != nil && !s.opts.DisableValidation {
			s.log.Warn("fault: the injected answer breaks "+s.api.name, "fault", fault.ID, "problem", err.Error())
			rq.x.markViolation("injected answer: " + err.Error())
		}
		rec.copyTo(w, rq.r.Method == http.MethodHead)
		return true
	}
	return false
}

// sleep waits d, or less when ctx ends first (false then).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func writeFault(w http.ResponseWriter, fault Fault) {
	body := []byte(fault.Body)
	contentType := "application/json; charset=utf-8"
	var text string
	switch {
	case len(body) == 0:
		body, _ = json.Marshal(errorBody{Error: fmt.Sprintf("%s (injected by emulator fault %d)", http.StatusText(fault.Status), fault.ID)})
		body = append(body, '\n')
	case json.Unmarshal(body, &text) == nil:
		body, contentType = []byte(text), "text/plain; charset=utf-8"
	default:
		var buf bytes.Buffer
		if json.Compact(&buf, body) == nil {
			body = append(buf.Bytes(), '\n')
		}
	}
	w.Header().Set("Content-Type", contentType)
	for name, value := range fault.Headers {
		w.Header().Set(name, value)
	}
	if fault.Status == http.StatusNoContent || fault.Status == http.StatusNotModified {
		w.WriteHeader(fault.Status)
		return
	}
	w.WriteHeader(fault.Status)
	_, _ = w.Write(body)
}
