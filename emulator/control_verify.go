package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/coverage"
)

// Verification and coverage on the control API (control-openapi.yaml):
// how many journaled requests match a filter, and which operations and
// documented statuses of openapi.yaml the client's requests reached.

// parseJournalFilter reads the journal's filters from a query: method,
// path_prefix, operation and status; the problem when status is not one.
func parseJournalFilter(q url.Values) (JournalFilter, string) {
	f := JournalFilter{Method: q.Get("method"), PathPrefix: q.Get("path_prefix"), Operation: q.Get("operation")}
	if q.Has("status") {
		v := q.Get("status")
		status, err := strconv.Atoi(v)
		if err != nil || status < 0 || status > 999 {
			return f, fmt.Sprintf("status: %q is not an HTTP status", v)
		}
		f.Status = &status
	}
	return f, ""
}

// journalCountBody is the answer of GET /__emulator/journal/count.
type journalCountBody struct {
	Count    int `json:"count"`
	Capacity int `json:"capacity"`
}

// journalCount: GET /__emulator/journal/count?method=&path_prefix=&operation=&status=
// -> how many journaled requests the filters select.
func (s *Server) journalCount(rq *call) {
	f, problem := parseJournalFilter(rq.r.URL.Query())
	if problem != "" {
		writeError(rq.w, http.StatusUnprocessableEntity, problem)
		return
	}
	writeJSON(rq.w, http.StatusOK, journalCountBody{Count: s.journal.count(f), Capacity: s.journal.capacity()})
}

// count is how many entries f selects.
func (j *journal) count(f JournalFilter) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for i := range j.entries {
		if f.matches(&j.entries[i]) {
			n++
		}
	}
	return n
}

// Coverage is the answer of GET /__emulator/coverage: for each operation of
// openapi.yaml, the documented statuses the client's requests reached since
// the last reset or journal clear.
type Coverage struct {
	// Operations lists every operation of openapi.yaml, in path and method
	// order.
	Operations []OperationCoverage `json:"operations"`
	// NeverCalled are the operationIds no request reached.
	NeverCalled []string `json:"never_called"`
	// Unmatched counts the requests that matched no route (404).
	Unmatched int `json:"unmatched"`
	// Statuses and Reached count the documented statuses of every
	// operation, and those some request reached.
	Statuses int `json:"statuses"`
	Reached  int `json:"reached"`
}

// OperationCoverage is one operation's part of Coverage.
type OperationCoverage struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Tag       string `json:"tag,omitempty"`
	// Requests counts the requests that reached the operation.
	Requests int `json:"requests"`
	// Statuses are its documented statuses, each with how many answers had it.
	Statuses []StatusCount `json:"statuses"`
	// Undocumented are statuses answered that openapi.yaml does not
	// document for it (0: no answer, a closed connection).
	Undocumented []StatusCount `json:"undocumented,omitempty"`
}

// StatusCount is how many answers had one status.
type StatusCount struct {
	Status string `json:"status"`
	Count  int    `json:"count"`
}

// coverageOf builds the coverage of counts against the compiled openapi.yaml.
func coverageOf(c *contract, counts *coverage.Counts) Coverage {
	out := Coverage{Operations: []OperationCoverage{}, NeverCalled: []string{}}
	for _, n := range counts.Statuses("") {
		out.Unmatched += n
	}
	byOp := map[string]int{}
	for _, e := range coverage.Report(c.doc, counts, nil) {
		i, ok := byOp[e.Operation]
		if !ok {
			i = len(out.Operations)
			byOp[e.Operation] = i
			oc := OperationCoverage{Operation: e.Operation, Method: e.Method, Path: e.Path, Tag: e.Tag, Statuses: []StatusCount{}}
			seen := counts.Statuses(e.Operation)
			documented := c.ops[e.Operation].route.Operation.Responses.Map()
			for status, n := range seen {
				oc.Requests += n
				if _, ok := documented[strconv.Itoa(status)]; !ok {
					oc.Undocumented = append(oc.Undocumented, StatusCount{Status: strconv.Itoa(status), Count: n})
				}
			}
			sort.Slice(oc.Undocumented, func(a, b int) bool { return oc.Undocumented[a].Status < oc.Undocumented[b].Status })
			if oc.Requests == 0 {
				out.NeverCalled = append(out.NeverCalled, e.Operation)
			}
			out.Operations = append(out.Operations, oc)
		}
		out.Operations[i].Statuses = append(out.Operations[i].Statuses, StatusCount{Status: e.Status, Count: e.Count})
		out.Statuses++
		if e.Count > 0 {
			out.Reached++
		}
	}
	return out
}

// getCoverage: GET /__emulator/coverage -> the client's coverage of openapi.yaml.
func (s *Server) getCoverage(rq *call) {
	writeJSON(rq.w, http.StatusOK, coverageOf(s.api, s.journal.coverage))
}
