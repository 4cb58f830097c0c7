package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
	"github.com/stretchr/testify/require"
)

// Start-up, reset, replace and the state dump on a large fixture document:
// run with
//
//	go test -run '^$' -bench Scale -benchtime 1x ./emulator/
//
// The document (scaleDocument) has one partner with 1,000,000 AWS accounts
// and 10,000 customers with 100 standalone assignments each: about 186 MB of
// JSON. Targets (docs/limits.md): start-up <= 10 s and <= 1.5 GB peak, reset
// <= 1 s, memory returned to the OS after a replace, a dump whose allocations
// do not grow with a second copy of the state.

const (
	scaleCustomers           = 10_000
	scaleAssignmentsPerCustm = 100
	scaleAssignments         = scaleCustomers * scaleAssignmentsPerCustm
)

var scaleDoc = sync.OnceValue(func() []byte { return scaleDocument(scaleCustomers, scaleAssignmentsPerCustm) })

// scaleDocument is fixture.GeneratedDocument: customers*perCustomer
// partner AWS accounts, each assigned to one of the customers.
func scaleDocument(customers, perCustomer int) []byte {
	return fixture.GeneratedDocument(customers, perCustomer)
}

// peakMeter samples the live heap every few milliseconds and reads the
// process's peak RSS (VmHWM, reset through /proc/self/clear_refs at start).
type peakMeter struct {
	stop     chan struct{}
	done     chan struct{}
	peakHeap atomic.Uint64
}

func startPeakMeter() *peakMeter {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM (Linux)
	m := &peakMeter{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(m.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > m.peakHeap.Load() {
				m.peakHeap.Store(v)
			}
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// report stops the meter and reports the peaks in MB.
func (m *peakMeter) report(b *testing.B, prefix string) {
	close(m.stop)
	<-m.done
	b.ReportMetric(float64(m.peakHeap.Load())/1e6, prefix+"peak-heap-MB")
	if hwm := procStatusKB("VmHWM"); hwm > 0 {
		b.ReportMetric(float64(hwm)/1e3, prefix+"peak-RSS-MB")
	}
}

// procStatusKB reads one "kB" field of /proc/self/status (0 when absent).
func procStatusKB(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}

// scaleServer starts a server on the scale document, measuring it.
func scaleServer(b *testing.B) *Server {
	b.Helper()
	srv, err := New(Options{Fixtures: scaleDoc(), OnSpecViolation: func(v SpecViolation) {
		panic(fmt.Sprintf("response breaks a spec: %+v", v))
	}})
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

// controlRequest runs one control request through the server's handler.
func controlRequest(srv *Server, method, path, contentType string, body []byte, w http.ResponseWriter) {
	req := httptest.NewRequest(method, controlPrefix+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	srv.ServeHTTP(w, req)
}

// BenchmarkScaleStartup: New on the 1,000,000-assignment document, with its
// peak heap and peak RSS.
func BenchmarkScaleStartup(b *testing.B) {
	doc := scaleDoc()
	b.ReportMetric(float64(len(doc))/1e6, "document-MB")
	for range b.N {
		meter := startPeakMeter()
		start := time.Now()
		srv := scaleServer(b)
		b.ReportMetric(time.Since(start).Seconds(), "s/startup")
		meter.report(b, "")
		runtime.KeepAlive(srv)
	}
}

// BenchmarkScaleStartup100k is New on a tenth of the document, to profile
// (-cpuprofile, -memprofile) in seconds rather than minutes.
func BenchmarkScaleStartup100k(b *testing.B) {
	doc := scaleDocument(scaleCustomers/10, scaleAssignmentsPerCustm)
	b.ReportAllocs()
	for range b.N {
		if _, err := New(Options{Fixtures: doc}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScaleReset: on a server started on the 1,000,000-assignment
// document, a client's writes (a customer created, one renamed, an
// assignment deleted), then POST /__emulator/reset (timed: it takes the
// writes back, state.Store.Reset), then the first write after it (timed
// apart: an assignment deleted, through the handler as a client sends it),
// and the RSS at the end.
func BenchmarkScaleReset(b *testing.B) {
	srv := scaleServer(b)
	var write time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		scaleWrite(b, srv, http.MethodPost, "/v1/customers", fmt.Sprintf(`{"name":"written %d","address":{"street1":"1 Main St","city":"Boston","state":"MA","zipcode":"02110","country":"US"}}`, i), http.StatusOK)
		scaleWrite(b, srv, http.MethodPut, "/v1/customers/1", `{"name":"renamed"}`, http.StatusOK)
		scaleWrite(b, srv, http.MethodDelete, "/v1/aws_account_assignments/1", "", http.StatusNoContent)
		b.StartTimer()
		rec := httptest.NewRecorder()
		controlRequest(srv, http.MethodPost, "reset", "", nil, rec)
		if rec.Code != http.StatusNoContent {
			b.Fatalf("reset: %d %s", rec.Code, rec.Body)
		}
		b.StopTimer()
		start := time.Now()
		scaleWrite(b, srv, http.MethodDelete, "/v1/aws_account_assignments/2", "", http.StatusNoContent)
		write += time.Since(start)
		controlRequest(srv, http.MethodPost, "reset", "", nil, httptest.NewRecorder())
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/reset")
	b.ReportMetric(write.Seconds()/float64(b.N), "s/first-write")
	debug.FreeOSMemory()
	b.ReportMetric(float64(procStatusKB("VmRSS"))/1e3, "RSS-after-MB")
	runtime.KeepAlive(srv) // else the collector frees the server before the RSS is read
}

// scaleWrite sends one API request of the scale document's partner and
// fails unless it answers want.
func scaleWrite(b *testing.B, srv *Server, method, path, body string, want int) {
	b.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer scale-key")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
}

// BenchmarkScaleReplace: PUT /__emulator/state with the default fixtures on
// a server holding the 1,000,000-assignment state, and the RSS left after it.
func BenchmarkScaleReplace(b *testing.B) {
	small := httptest.NewRecorder()
	srv0, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	controlRequest(srv0, http.MethodGet, "state", "", nil, small)
	for range b.N {
		b.StopTimer()
		srv := scaleServer(b)
		runtime.GC()
		before := procStatusKB("VmRSS")
		b.StartTimer()
		rec := httptest.NewRecorder()
		controlRequest(srv, http.MethodPut, "state", "application/json", small.Body.Bytes(), rec)
		if rec.Code != http.StatusNoContent {
			b.Fatalf("replace: %d %s", rec.Code, rec.Body)
		}
		b.StopTimer()
		debug.FreeOSMemory() // as the server does after the answer
		b.ReportMetric(float64(before)/1e3, "RSS-before-MB")
		b.ReportMetric(float64(procStatusKB("VmRSS"))/1e3, "RSS-after-MB")
		runtime.KeepAlive(srv)
	}
}

// discardWriter is a ResponseWriter that counts what is written and keeps
// nothing, as a client reading the dump over the network would.
type discardWriter struct {
	header http.Header
	status int
	n      int64
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*discardWriter)(nil)

// BenchmarkScaleDump: GET /__emulator/state (JSON and YAML) of the
// 1,000,000-assignment state: the bytes it allocates and the peak heap it
// adds over the state itself (garbage included: the collector runs when the
// heap doubles).
func BenchmarkScaleDump(b *testing.B) { benchDump(b, scaleServer(b)) }

// BenchmarkScaleDump100k is BenchmarkScaleDump on a tenth of the document
// (1,000 customers with 100 assignments each), to see how the dump grows.
func BenchmarkScaleDump100k(b *testing.B) {
	srv, err := New(Options{Fixtures: scaleDocument(scaleCustomers/10, scaleAssignmentsPerCustm)})
	if err != nil {
		b.Fatal(err)
	}
	benchDump(b, srv)
}

func benchDump(b *testing.B, srv *Server) {
	for _, accept := range []string{"application/json", "application/yaml"} {
		b.Run(strings.TrimPrefix(accept, "application/"), func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for range b.N {
				base := heapInUse()
				meter := startPeakMeter()
				w := &discardWriter{header: http.Header{}}
				req := httptest.NewRequest(http.MethodGet, controlPrefix+"state", nil)
				req.Header.Set("Accept", accept)
				srv.ServeHTTP(w, req)
				if w.status != 0 && w.status != http.StatusOK {
					b.Fatalf("dump: %d", w.status)
				}
				size = w.n
				close(meter.stop)
				<-meter.done
				b.ReportMetric(float64(meter.peakHeap.Load()-min(base, meter.peakHeap.Load()))/1e6, "peak-heap-over-state-MB")
			}
			b.ReportMetric(float64(size)/1e6, "dump-MB")
		})
	}
}

// BenchmarkScaleResetLongLog: the longest reset there can be on the
// 1,000,000-assignment state: assignments deleted (in one write, so that
// the log is not folded) until the undo log holds a quarter as many steps
// as the state has entities, the most a store keeps (state.Store); then the
// reset that takes them all back.
func BenchmarkScaleResetLongLog(b *testing.B) {
	srv := scaleServer(b)
	var steps int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		limit := 0
		srv.store.Read(func(st *state.State) {
			p, _ := st.Partner(1)
			// state.Store's limit: a quarter of the entities (customers, AWS
			// accounts of the partner and of its customers, assignments).
			limit = (st.CustomerCount(p) + st.PartnerAccountCount(p) + 2*st.AssignmentCount(p)) / 4
		})
		require.NoError(b, srv.store.Write(func(st *state.State) error {
			p, _ := st.Partner(1)
			for id := int64(1); id <= scaleAssignments && steps < limit; id++ {
				a, _ := st.Assignment(p, id)
				st.DeleteAssignment(a)
				steps += 6 // what the delete of a version 1 assignment records
			}
			return nil
		}))
		b.StartTimer()
		controlRequest(srv, http.MethodPost, "reset", "", nil, httptest.NewRecorder())
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/reset")
	b.ReportMetric(float64(steps)/float64(b.N), "undo-steps")
}
