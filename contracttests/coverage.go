package contracttests

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Coverage records each (operationId, status) the suite's transport saw. It
// is safe for concurrent use; a nil *Coverage records nothing.
type Coverage struct {
	mu   sync.Mutex
	seen map[string]map[int]int
}

// NewCoverage returns an empty record.
func NewCoverage() *Coverage { return &Coverage{seen: map[string]map[int]int{}} }

// record counts one response of operation op ("" for a request that matched
// no operation of the spec).
func (c *Coverage) record(op string, status int) {
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

// Count is how many responses of operation op with status the suite saw.
func (c *Coverage) Count(op string, status int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[op][status]
}

// Entry is one documented status of one operation of openapi.yaml.
type Entry struct {
	Operation    string
	Method, Path string
	Tag          string
	Status       string
	// Count is how many responses the suite saw with this status.
	Count int
	// Unreachable, when set, is why no request can provoke this status
	// (declared by the endpoint family); it is not a gap.
	Unreachable string
}

// Gap reports whether the entry was neither exercised nor declared unreachable.
func (e Entry) Gap() bool { return e.Count == 0 && e.Unreachable == "" }

// Report lists every operation and documented status of the spec, in path,
// method and status order, with how often the suite saw it. unreachable maps
// an operationId and status to the reason no request can provoke it.
func (c *Coverage) Report(spec []byte, unreachable map[string]map[int]string) ([]Entry, error) {
	doc, err := loadSpec(spec)
	if err != nil {
		return nil, err
	}
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
	return out, nil
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

// FormatReport renders the report as text: one line per operation and status,
// then a summary.
func FormatReport(entries []Entry) string {
	var b strings.Builder
	b.WriteString("Contract test coverage of openapi.yaml (operation, status: responses seen)\n")
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
