package emulator

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// Start-up time and memory per assignment: run with
//
//	go test -run '^$' -bench 'Startup|HeapPerAssignment' -count 3 ./emulator/
//
// Targets: start-up under 50 ms, under 300 bytes of heap per assignment at
// 1,000,000 assignments.

// BenchmarkStartup measures what a test suite waits for before its first
// request: New on the embedded default fixtures (parsing them, building them
// through the rules, loading openapi.yaml), a loopback listener, and GET
// /__emulator/health polled until it answers 200.
func BenchmarkStartup(b *testing.B) {
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	b.ReportAllocs()
	for range b.N {
		srv, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		for {
			resp, err := client.Get(hs.URL + controlPrefix + "health")
			if err == nil {
				_ = resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
		}
		hs.Close()
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/startup")
}

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkHeapPerAssignment measures the live heap that 1,000,000
// assignments take in package state: every index of an assignment (by id,
// by partner, by owner, by customer, the rule 6 shape) and its owner id
// string, but not the partner accounts they name, which exist before.
func BenchmarkHeapPerAssignment(b *testing.B) {
	const n = 1_000_000
	var perAssignment float64
	for range b.N {
		st, p, c := benchAccounts(n)
		before := heapInUse()
		benchAssign(st, p, c, n)
		after := heapInUse()
		if got := st.AssignmentCount(p); got != n {
			b.Fatalf("%d assignments, want %d", got, n)
		}
		perAssignment = float64(int64(after)-int64(before)) / n
		runtime.KeepAlive(st)
	}
	b.ReportMetric(perAssignment, "bytes/assignment")
}
