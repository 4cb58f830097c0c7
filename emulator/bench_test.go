package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Benchmarks of the AWS account assignment endpoints through the full HTTP
// handler (middleware, validation against openapi.yaml, handler), without the
// network: run with
//
//	go test -run '^$' -bench . -benchmem ./emulator/
//
// The state is built directly through package state (no rules, no HTTP), so
// that a million assignments take seconds, not minutes, to set up.

const benchKey = "bench-partner-key"

// benchOwner is the owner id of the i-th account of the benchmark family.
func benchOwner(i int) string { return fmt.Sprintf("%012d", i) }

// benchState returns a state with one partner (benchKey) whose customer 1
// has n standalone assignments of accounts benchOwner(1..n), all in the
// billing family of 999999999999; account benchOwner(n+1) is in the family
// and unassigned.
func benchState(n int) *state.State {
	st, p, c := benchAccounts(n)
	benchAssign(st, p, c, n)
	return st
}

// benchAccounts returns benchState(n) before its assignments: the partner,
// its customer 1 and the n+2 accounts of the billing family.
func benchAccounts(n int) (*state.State, *state.Partner, *state.Customer) {
	st := state.New()
	p := &state.Partner{Name: "Bench Partner", APIKeys: []string{benchKey}}
	st.AddPartner(p)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &state.Customer{ID: 1, Name: "Bench Customer", PartnerBilling: state.PartnerBillingConfiguration{Enabled: true}, CreatedAt: now, UpdatedAt: now}
	st.AddCustomer(p, c)
	st.AddAWSAccount(p, &state.AWSAccount{OwnerID: "999999999999", Name: "Payer", CreatedAt: now, UpdatedAt: now})
	for i := 1; i <= n+1; i++ {
		st.AddAWSAccount(p, &state.AWSAccount{OwnerID: benchOwner(i), Name: "Linked", BillingFamilyOwnerID: "999999999999", CreatedAt: now, UpdatedAt: now})
	}
	return st, p, c
}

// benchAssign gives customer c the standalone assignments of accounts
// benchOwner(1..n), each owner id a string of its own as a decoded request
// body would give.
func benchAssign(st *state.State, p *state.Partner, c *state.Customer, n int) {
	for i := 1; i <= n; i++ {
		owner := benchOwner(i)
		st.AddAssignment(&state.Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: owner, PayerAccountOwnerID: owner})
	}
}

// benchServers caches the servers of the benchmarks: a benchmark function
// runs several times (for growing b.N) and must not rebuild a million
// assignments each time.
var benchServers = struct {
	sync.Mutex
	m map[string]*Server
}{m: map[string]*Server{}}

// benchServer returns a server on benchState(n), with or without validation.
// New offers no way to start on a prepared state, so the test swaps the
// store's state for it; reset would bring back the default fixtures.
func benchServer(b *testing.B, n int, disableValidation bool) *Server {
	b.Helper()
	benchServers.Lock()
	defer benchServers.Unlock()
	key := fmt.Sprintf("%d/%t", n, disableValidation)
	if srv, ok := benchServers.m[key]; ok {
		return srv
	}
	srv, err := New(Options{DisableValidation: disableValidation, OnSpecViolation: func(v SpecViolation) {
		panic(fmt.Sprintf("response breaks openapi.yaml: %+v", v))
	}})
	require.NoError(b, err)
	srv.store.Replace(benchState(n))
	benchServers.m[key] = srv
	return srv
}

// serve runs one request through the server's full handler.
func serve(srv *Server, method, target string, body []byte) *httptest.ResponseRecorder {
	var req *http.Request
	if body != nil {
		req = httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	req.Header.Set("Authorization", "Bearer "+benchKey)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// The state the benchmarks build is what they claim: n assignments, listed
// by the API, and a free account that can be assigned.
func TestBenchState(t *testing.T) {
	srv, err := New(Options{})
	require.NoError(t, err)
	srv.store.Replace(benchState(40))
	rec := serve(srv, http.MethodGet, assignmentsPath+"?per_page=30&page=2", nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "40", rec.Header().Get("X-Total"))
	owner := benchOwner(41)
	rec = serve(srv, http.MethodPost, assignmentsPath, []byte(`{"owner_id":"`+owner+`","customer_id":1,"payer_account_owner_id":"`+owner+`"}`))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "http://example.com/v1/aws_account_assignments/41", rec.Header().Get("Location"))
}

// BenchmarkCreateAssignment creates an assignment and deletes it again, so
// the count stays fixed, through the full handler. The cost must not grow
// with the number of existing assignments.
func BenchmarkCreateAssignment(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			srv := benchServer(b, n, false)
			owner := benchOwner(n + 1)
			body := []byte(`{"owner_id":"` + owner + `","customer_id":1,"payer_account_owner_id":"` + owner + `"}`)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				createAndDelete(b, srv, body)
			}
		})
	}
}

// createAndDelete creates the assignment of body and deletes it again.
func createAndDelete(b *testing.B, srv *Server, body []byte) {
	rec := serve(srv, http.MethodPost, assignmentsPath, body)
	if rec.Code != http.StatusOK {
		b.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	rec = serve(srv, http.MethodDelete, loc[strings.Index(loc, assignmentsPath):], nil)
	if rec.Code != http.StatusNoContent {
		b.Fatalf("delete %s: %d %s", loc, rec.Code, rec.Body)
	}
}

// BenchmarkCreateAssignmentLogged is BenchmarkCreateAssignment on a state
// that a reset returns to, so that every write is also recorded in the undo
// log (state/undo.go): what a write costs a test that resets. A reset every
// 1,000 rounds (not timed) takes the writes back.
func BenchmarkCreateAssignmentLogged(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			srv, err := New(Options{})
			require.NoError(b, err)
			srv.store.Restorable(benchState(n))
			owner := benchOwner(n + 1)
			body := []byte(`{"owner_id":"` + owner + `","customer_id":1,"payer_account_owner_id":"` + owner + `"}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if i%1000 == 999 {
					b.StopTimer()
					srv.resetState()
					b.StartTimer()
				}
				createAndDelete(b, srv, body)
			}
		})
	}
}

// BenchmarkListPage lists one page of 30 in the middle of the partner's
// assignments.
func BenchmarkListPage(b *testing.B) { benchListPage(b, assignmentsPath) }

// benchListPage lists one page of 30 in the middle of the partner's
// assignments through the list at path (version 1 or 2), after checking
// that the page holds 30 of them out of all.
func benchListPage(b *testing.B, path string) {
	for _, n := range []int{1_000, 1_000_000} {
		b.Run(fmt.Sprintf("assignments=%d", n), func(b *testing.B) {
			srv := benchServer(b, n, false)
			target := fmt.Sprintf("%s?per_page=30&page=%d", path, n/30/2)
			rec := serve(srv, http.MethodGet, target, nil)
			var body struct {
				Assignments []json.RawMessage `json:"aws_account_assignments"`
			}
			require.Equal(b, http.StatusOK, rec.Code, rec.Body.String())
			require.NoError(b, json.Unmarshal(rec.Body.Bytes(), &body))
			require.Len(b, body.Assignments, 30)
			require.Equal(b, fmt.Sprint(n), rec.Header().Get("X-Total"))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if rec := serve(srv, http.MethodGet, target, nil); rec.Code != http.StatusOK {
					b.Fatalf("list: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkGetAssignment reads one assignment through the full middleware,
// with the validation against openapi.yaml on and off: what validation costs.
func BenchmarkGetAssignment(b *testing.B) {
	for _, tc := range []struct {
		name string
		off  bool
	}{{"validation=on", false}, {"validation=off", true}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := benchServer(b, 1_000, tc.off)
			target := assignmentPath(500)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if rec := serve(srv, http.MethodGet, target, nil); rec.Code != http.StatusOK {
					b.Fatalf("get: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// benchFixture is benchState(n) as a fixture document.
func benchFixture(b *testing.B, n int) []byte {
	b.Helper()
	data, err := json.Marshal(fixture.Dump(benchState(n)))
	require.NoError(b, err)
	return data
}

// BenchmarkNewFromFixture measures start-up on a fixture document with n
// assignments: parsing, building through the rules, and the spec.
func BenchmarkNewFromFixture(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("assignments=%d", n), func(b *testing.B) {
			data := benchFixture(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := New(Options{Fixtures: data}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
