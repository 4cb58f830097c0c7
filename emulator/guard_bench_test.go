package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Benchmarks of the bounds of the journal and the fault rules (the figures
// are in docs/limits-journal-faults.md): run with
//
//	go test -run '^$' -bench 'Fault|Journal' -benchmem ./emulator/

// benchFaultRules returns n GET rules that never match GET /v1/customers/5:
// literal paths of another family, and of the same family with other ids.
func benchFaultRules(n int) []FaultRule {
	out := make([]FaultRule, 0, n)
	for i := range n {
		path := fmt.Sprintf("/v1/aws_account_assignments/%d", 100000+i)
		if i%2 == 1 {
			path = fmt.Sprintf("/v1/customers/%d", 100000+i)
		}
		out = append(out, FaultRule{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable})
	}
	return out
}

// BenchmarkFaultPick measures matching one request against the fault rules
// when none of them matches it.
func BenchmarkFaultPick(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			f := &faults{}
			for _, rule := range benchFaultRules(n) {
				benchAddFault(b, f, rule)
			}
			req := httptest.NewRequest(http.MethodGet, "/v1/customers/5", nil)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, ok := f.pick(req); ok {
						b.Fatal("a rule matched")
					}
				}
			})
		})
	}
}

// BenchmarkFaultRequest measures a whole API request (GET /v1/customers/5
// through every middleware) with no fault rule and with 1,000 that do not
// match it.
func BenchmarkFaultRequest(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			srv, err := New(Options{})
			if err != nil {
				b.Fatal(err)
			}
			for _, rule := range benchFaultRules(n) {
				benchAddFault(b, srv.faults, rule)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/v1/customers/5", nil)
				req.Header.Set("Authorization", "Bearer "+demoKey)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code == http.StatusServiceUnavailable {
					b.Fatal("a rule matched")
				}
			}
		})
	}
}

// BenchmarkJournalHeap measures the live heap a full journal of 1,000
// requests with a 60 KB query string and a 1 MiB body each holds.
func BenchmarkJournalHeap(b *testing.B) {
	query := "q=" + strings.Repeat("x", 60_000)
	body := `{"name": "` + strings.Repeat("y", 1<<20-20) + `"}`
	var perEntry float64
	for b.Loop() {
		srv, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		before := heapInUse()
		for range DefaultJournalSize {
			req := httptest.NewRequest(http.MethodPost, "/v1/customers?"+query, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			srv.ServeHTTP(httptest.NewRecorder(), req)
		}
		perEntry = float64(heapInUse()-before) / DefaultJournalSize
		if got := len(srv.journal.list(JournalFilter{})); got != DefaultJournalSize {
			b.Fatalf("journaled %d requests", got)
		}
	}
	b.ReportMetric(perEntry, "B/entry")
}

func benchAddFault(b *testing.B, f *faults, rule FaultRule) {
	b.Helper()
	if _, err := f.add(rule); err != nil {
		b.Fatal(err)
	}
}
