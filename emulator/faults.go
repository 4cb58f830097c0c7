package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
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
		if strings.HasPrefix(rule.Path, controlPrefix) {
			add("path: %q is under %s, which fault rules never apply to", rule.Path, controlPrefix)
		}
		if strings.Contains(rule.Path, "//") || (len(rule.Path) > 1 && strings.HasSuffix(rule.Path, "/")) {
			add("path: %q never matches: requests are served with // folded and a trailing slash dropped", rule.Path)
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
		if strings.HasPrefix(rule.PathPrefix, controlPrefix) {
			add("path_prefix: %q is under %s, which fault rules never apply to", rule.PathPrefix, controlPrefix)
		}
	}
	if string(rule.Body) == "null" {
		rule.Body = nil
	}
	if len(rule.Body) > maxFaultBody {
		add("body: %d bytes is more than %d (64 KiB)", len(rule.Body), maxFaultBody)
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
		if framingHeaders[http.CanonicalHeaderKey(name)] {
			add("headers: %q frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it", name)
		}
		if i := strings.IndexFunc(value, isControlChar); i >= 0 {
			add("headers: the value of %q has the control character %U at byte %d", name, value[i], i)
		}
	}
	if rule.Times < 0 {
		add("times: %d is negative", rule.Times)
	}
	if p := rule.Probability; p != nil {
		switch {
		case *p < 0 || *p > 1:
			add("probability: %v is not between 0 and 1", *p)
		case *p > 0 && *p < minProbability:
			add("probability: %v is below 2^-53 (%v), the smallest chance a rule can be drawn with", *p, minProbability)
		}
		if rule.Times != 0 {
			add("times and probability: give only one of them")
		}
	}
	return problems
}

// minProbability is the smallest probability a rule can fire with: the
// draw, rand.Float64, is a multiple of 2^-53.
const minProbability = 0x1p-53

// framingHeaders are the headers a fault may not set: they frame the
// message or the connection (hop-by-hop, RFC 9110 section 7.6.1), and a
// wrong one desynchronises the client's connection.
var framingHeaders = map[string]bool{
	"Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true,
	"Upgrade": true, "Trailer": true, "Te": true, "Proxy-Connection": true,
	"Proxy-Authenticate": true, "Proxy-Authorization": true,
}

// isControlChar reports a character a header value may not hold: a control
// character other than tab, or DEL.
func isControlChar(c rune) bool { return (c < 0x20 && c != '\t') || c == 0x7f }

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
