package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Throughput over a real loopback listener, against a ceiling: for each
// operation, the emulator (full middleware, request and response validation
// on) and a bare net/http handler that writes the very same status, headers
// and body. Run with
//
//	go test -run '^$' -bench Throughput -count 3 ./emulator/
//
// and compare the req/s of emulator and bare within one run: the machine is
// shared, the absolute figures are noisy, the ratio is what matters
// (targets: GET >= 50 % of bare, POST >= 30 %).
//
// On a shared machine, set THROUGHPUT_ROUNDS=N (with -count=1): each round
// measures every operation on the emulator and then on bare, back to back,
// so each pair of figures saw about the same load (Go names the repeats
// get/emulator#01, ...).
//
// The create operation is a pair of requests, POST then DELETE of what was
// created, so the state stays the same size: one b.N iteration is one pair,
// ns/op is per pair, and req/s counts both requests of each pair. The bare
// ceiling serves the same pair.

// throughputAssignments is the number of assignments the throughput state holds.
const throughputAssignments = 1_000

// throughputFree is how many accounts of the billing family are unassigned:
// each concurrent client of the create benchmark takes its own.
const throughputFree = 256

// throughputRounds is THROUGHPUT_ROUNDS, or 1.
func throughputRounds() int {
	n, err := strconv.Atoi(os.Getenv("THROUGHPUT_ROUNDS"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// throughputParallelism multiplies GOMAXPROCS into the number of concurrent
// clients (b.SetParallelism).
const throughputParallelism = 4

// throughputState is benchState(throughputAssignments) with throughputFree
// unassigned accounts in the family: benchOwner(n+1 ... n+throughputFree).
func throughputState() *state.State {
	st := benchState(throughputAssignments)
	p, _ := st.PartnerByKey(benchKey)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := throughputAssignments + 2; i <= throughputAssignments+throughputFree; i++ {
		st.AddAWSAccount(p, &state.AWSAccount{OwnerID: benchOwner(i), Name: "Linked", BillingFamilyOwnerID: "999999999999", CreatedAt: now, UpdatedAt: now})
	}
	return st
}

// throughputClient is one keep-alive client shared by every goroutine, with
// enough idle connections that no request waits for a new one.
func throughputClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0}}
}

// benchExchange is one request and the response it must get.
type benchExchange struct {
	method, path string
	body         []byte
	status       int
}

// send runs one benchExchange and returns the response's Location header; it
// reads the whole body, so the connection is reused.
func send(c *http.Client, base string, x benchExchange) (string, error) {
	var body io.Reader
	if x.body != nil {
		body = bytes.NewReader(x.body)
	}
	req, err := http.NewRequest(x.method, base+x.path, body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	if x.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return "", err
	}
	if resp.StatusCode != x.status {
		return "", fmt.Errorf("%s %s: %d %s", x.method, x.path, resp.StatusCode, data)
	}
	return resp.Header.Get("Location"), nil
}

// canned is a response captured from the emulator, for the bare handler to
// write again byte for byte.
type canned struct {
	status int
	header http.Header
	body   []byte
}

// capture sends x to the emulator at base and keeps the response, without
// the headers net/http sets itself.
func capture(b *testing.B, c *http.Client, base string, x benchExchange) canned {
	b.Helper()
	req, err := http.NewRequest(x.method, base+x.path, bytes.NewReader(x.body))
	require.NoError(b, err)
	req.Header.Set("Authorization", "Bearer "+benchKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	require.NoError(b, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(b, err)
	require.Equal(b, x.status, resp.StatusCode, "%s", data)
	h := resp.Header.Clone()
	h.Del("Date")
	h.Del("Content-Length")
	return canned{status: resp.StatusCode, header: h, body: data}
}

// bareHandler writes, for each method, the canned response: the ceiling
// for what any handler can do on this machine with net/http.
func bareHandler(byMethod map[string]canned) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := byMethod[r.Method]
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
		_, _ = w.Write(c.body)
	})
}

// runParallel runs op from concurrent clients and reports req/s, counting
// perOp requests per iteration.
func runParallel(b *testing.B, perOp int, op func(*http.Client, int) error) {
	c := throughputClient()
	defer c.CloseIdleConnections()
	var clients atomic.Int64
	b.SetParallelism(throughputParallelism)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := int(clients.Add(1)) - 1
		for pb.Next() {
			if err := op(c, client); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(perOp*b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkThroughput compares the emulator with the bare ceiling for GET of
// one assignment, GET of a list page of 30, and a create+delete pair.
func BenchmarkThroughput(b *testing.B) {
	srv, err := New(Options{OnSpecViolation: func(v SpecViolation) {
		panic(fmt.Sprintf("response breaks openapi.yaml: %+v", v))
	}})
	require.NoError(b, err)
	srv.store.Replace(throughputState())
	emu := httptest.NewServer(srv)
	defer emu.Close()
	setup := throughputClient()
	defer setup.CloseIdleConnections()

	get := benchExchange{method: http.MethodGet, path: assignmentPath(500), status: http.StatusOK}
	list := benchExchange{method: http.MethodGet, path: assignmentsPath + "?per_page=30&page=17", status: http.StatusOK}
	createBody := func(client int) []byte {
		owner := benchOwner(throughputAssignments + 1 + client)
		return []byte(`{"owner_id":"` + owner + `","customer_id":1,"payer_account_owner_id":"` + owner + `"}`)
	}

	// The bare servers answer with what the emulator answers.
	bareGet := httptest.NewServer(bareHandler(map[string]canned{http.MethodGet: capture(b, setup, emu.URL, get)}))
	defer bareGet.Close()
	bareList := httptest.NewServer(bareHandler(map[string]canned{http.MethodGet: capture(b, setup, emu.URL, list)}))
	defer bareList.Close()
	created := capture(b, setup, emu.URL, benchExchange{method: http.MethodPost, path: assignmentsPath, body: createBody(0), status: http.StatusOK})
	loc := created.header.Get("Location")
	deleted := capture(b, setup, emu.URL, benchExchange{method: http.MethodDelete, path: loc[strings.Index(loc, assignmentsPath):], status: http.StatusNoContent})
	bareCreate := httptest.NewServer(bareHandler(map[string]canned{http.MethodPost: created, http.MethodDelete: deleted}))
	defer bareCreate.Close()

	for range throughputRounds() {
		throughputRound(b, emu.URL, bareGet.URL, bareList.URL, bareCreate.URL, get, list, createBody)
	}
}

// throughputRound measures each operation on the emulator, then on its bare
// ceiling.
func throughputRound(b *testing.B, emu, bareGet, bareList, bareCreate string, get, list benchExchange, createBody func(int) []byte) {
	reads := []struct {
		name string
		x    benchExchange
		bare string
	}{{"get", get, bareGet}, {"list30", list, bareList}}
	for _, rd := range reads {
		for _, target := range []struct{ name, url string }{{"emulator", emu}, {"bare", rd.bare}} {
			b.Run(rd.name+"/"+target.name, func(b *testing.B) {
				runParallel(b, 1, func(c *http.Client, _ int) error {
					_, err := send(c, target.url, rd.x)
					return err
				})
			})
		}
	}

	for _, target := range []struct{ name, url string }{{"emulator", emu}, {"bare", bareCreate}} {
		b.Run("create+delete/"+target.name, func(b *testing.B) {
			if throughputParallelism*runtime.GOMAXPROCS(0) > throughputFree {
				b.Skip("more clients than free accounts")
			}
			runParallel(b, 2, func(c *http.Client, client int) error {
				loc, err := send(c, target.url, benchExchange{method: http.MethodPost, path: assignmentsPath, body: createBody(client), status: http.StatusOK})
				if err != nil {
					return err
				}
				_, err = send(c, target.url, benchExchange{method: http.MethodDelete, path: loc[strings.Index(loc, assignmentsPath):], status: http.StatusNoContent})
				return err
			})
		})
	}
}
