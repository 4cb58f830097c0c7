// Package coverage counts the (operation, status) pairs a client's requests
// reached and reports them against every status an OpenAPI document
// documents. The contract suite (contracttests) reports with it what the
// suite exercised; the emulator (GET /__emulator/coverage) what the client
// under test reached.
package coverage

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Counts records how often each (operationId, status) was seen. It is safe
// for concurrent use; a nil *Counts records nothing and counts zero.
type Counts struct {
	mu   sync.Mutex
	seen map[string]map[int]int
}

// New returns an empty record.
func New() *Counts { return &Counts{seen: map[string]map[int]int{}} }

// Record counts one response of operation op ("" for a request that matched
// no operation of the document).
func (c *Counts) Record(op string, status int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[op] == nil {
		c.seen[op] = map[int]int{}
	}
	c.seen[op][status]++
}

// Count is how many responses of operation op with status were seen.
func (c *Counts) Count(op string, status int) int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[op][status]
}

// Statuses returns the statuses seen for op, with their counts (a copy).
func (c *Counts) Statuses(op string) map[int]int {
	out := map[int]int{}
	if c == nil {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for s, n := range c.seen[op] {
		out[s] = n
	}
	return out
}

// Clear forgets everything recorded.
func (c *Counts) Clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = map[string]map[int]int{}
}

// Entry is one documented status of one operation of the document.
type Entry struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Tag       string `json:"tag,omitempty"`
	Status    string `json:"status"`
	// Count is how many responses were seen with this status.
	Count int `json:"count"`
	// Unreachable, when set, is why no request can provoke this status
	// (declared by the contract suite's endpoint family); it is not a gap.
	Unreachable string `json:"unreachable,omitempty"`
}

// Gap reports whether the entry was neither exercised nor declared unreachable.
func (e Entry) Gap() bool { return e.Count == 0 && e.Unreachable == "" }

// Report lists every operation and documented status of doc, in path,
// method and status order, with how often c saw it. unreachable maps an
// operationId and status to the reason no request can provoke it (nil:
// none declared).
func Report(doc *openapi3.T, c *Counts, unreachable map[string]map[int]string) []Entry {
	var out []Entry
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		methods := make([]string, 0, 4)
		for m := range item.Operations() {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			op := item.GetOperation(m)
			tag := ""
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			statuses := make([]string, 0, len(op.Responses.Map()))
			for s := range op.Responses.Map() {
				statuses = append(statuses, s)
			}
			sort.Strings(statuses)
			for _, s := range statuses {
				e := Entry{Operation: op.OperationID, Method: m, Path: path, Tag: tag, Status: s}
				if code, err := strconv.Atoi(s); err == nil {
					e.Count = c.Count(op.OperationID, code)
					e.Unreachable = unreachable[op.OperationID][code]
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// Gaps returns the entries that are gaps.
func Gaps(entries []Entry) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Gap() {
			out = append(out, e)
		}
	}
	return out
}

// FormatReport renders the report as text under title: one line per
// operation and status, then a summary.
func FormatReport(title string, entries []Entry) string {
	var b strings.Builder
	b.WriteString(title + "\n")
	exercised, unreachable := 0, 0
	for _, e := range entries {
		mark := "ok     "
		note := fmt.Sprintf("%d seen", e.Count)
		switch {
		case e.Count > 0:
			exercised++
		case e.Unreachable != "":
			unreachable++
			mark = "n/a    "
			note = "unreachable: " + e.Unreachable
		default:
			mark = "MISSING"
			note = "not exercised"
		}
		fmt.Fprintf(&b, "%s %-45s %-6s %-58s %-7s %s\n", mark, e.Operation, e.Method, e.Path, e.Status, note)
	}
	fmt.Fprintf(&b, "%d documented statuses: %d exercised, %d unreachable, %d missing\n",
		len(entries), exercised, unreachable, len(entries)-exercised-unreachable)
	return b.String()
}
