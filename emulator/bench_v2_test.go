package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Benchmarks of the version 2 operations, on the states of bench_test.go.

// benchV2Server returns a server on benchState(n) plus customer 2 (client_api_id
// 2) and a billing family of 10 free accounts headed by 500000000000, for a
// Consolidated block of 10. It is cached apart from benchServer's: the
// creates make customer 2 a version 2 customer.
func benchV2Server(b *testing.B, n int) *Server {
	b.Helper()
	benchServers.Lock()
	defer benchServers.Unlock()
	key := fmt.Sprintf("v2/%d", n)
	if srv, ok := benchServers.m[key]; ok {
		return srv
	}
	srv, err := New(Options{OnSpecViolation: func(v SpecViolation) { panic(fmt.Sprintf("response breaks openapi.yaml: %+v", v)) }})
	require.NoError(b, err)
	st := benchState(n)
	p, _ := st.PartnerByKey(benchKey)
	st.AddCustomer(p, &state.Customer{ID: 2, ClientAPIID: 2, Name: "Bench V2 Customer"})
	st.AddAWSAccount(p, &state.AWSAccount{OwnerID: "500000000000", Name: "V2 head"})
	for i := 1; i <= 10; i++ {
		st.AddAWSAccount(p, &state.AWSAccount{OwnerID: fmt.Sprintf("5000000000%02d", i), Name: "V2 member", BillingFamilyOwnerID: "500000000000"})
	}
	srv.store.Replace(st)
	benchServers.m[key] = srv
	return srv
}

var benchBlockBody = func() []byte {
	var owners []string
	for i := 1; i <= 10; i++ {
		owners = append(owners, fmt.Sprintf("5000000000%02d", i))
	}
	body, _ := json.Marshal(map[string]any{"aws_account_assignments": []any{map[string]any{
		"target_client_api_id": 2, "billing_block_type": "Consolidated", "billing_block_name": "bench",
		"owner_id": owners, "payer_account_owner_id": owners[0]}}})
	return body
}()

// BenchmarkCreateV2 creates a Consolidated block of 10 members through the
// full handler; the deletes that keep the count fixed (members, then the
// payer) are not timed. The cost must not grow with the existing assignments.
func BenchmarkCreateV2(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			srv := benchV2Server(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				rec := serve(srv, http.MethodPost, assignmentsV2Path, benchBlockBody)
				if rec.Code != http.StatusOK {
					b.Fatalf("create: %d %s", rec.Code, rec.Body)
				}
				b.StopTimer()
				var body struct {
					Items []assignmentV2JSON `json:"aws_account_assignments"`
				}
				require.NoError(b, json.Unmarshal(rec.Body.Bytes(), &body))
				for i := len(body.Items) - 1; i >= 0; i-- {
					if rec := serve(srv, http.MethodDelete, fmt.Sprintf("%s/%d", assignmentsV2Path, body.Items[i].ID), nil); rec.Code != http.StatusOK {
						b.Fatalf("delete: %d %s", rec.Code, rec.Body)
					}
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkListPageV2 lists the page BenchmarkListPage lists, through
// version 2 (compare the two).
func BenchmarkListPageV2(b *testing.B) { benchListPage(b, assignmentsV2Path) }

// BenchmarkListPageNoValidation lists one page of 30 through each version
// with the response check off: the handlers' own cost, apart from
// openapi.yaml's check of the 4 (v1) or 7 (v2) fields of each item.
func BenchmarkListPageNoValidation(b *testing.B) {
	for _, path := range []string{assignmentsPath, assignmentsV2Path} {
		b.Run(path, func(b *testing.B) {
			srv := benchServer(b, 1_000, true)
			target := fmt.Sprintf("%s?per_page=30&page=16", path)
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

// BenchmarkListPageCheck is the response check alone (checkResponse: status,
// headers and body against openapi.yaml) of the page BenchmarkListPage and
// BenchmarkListPageV2 list: what each version's items cost kin-openapi.
func BenchmarkListPageCheck(b *testing.B) {
	for _, path := range []string{assignmentsPath, assignmentsV2Path} {
		b.Run(path, func(b *testing.B) {
			srv := benchServer(b, 1_000, false)
			r := httptest.NewRequest(http.MethodGet, path+"?per_page=30&page=16", nil)
			op, vars := srv.api.match(r)
			require.NotNil(b, op)
			rec := newRecorder()
			defer rec.release()
			rq := &call{w: rec, r: r, op: op, vars: vars, partner: srv.partnerByKey(benchKey)}
			op.handler(srv, rq)
			require.Equal(b, http.StatusOK, rec.status, rec.body.String())
			require.NotNil(b, rec.encodedFrom(), "the page keeps what it was encoded from")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := srv.checkResponse(rq, rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
