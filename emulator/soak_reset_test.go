package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// TestSoakWithResetsAndReplaces runs the soak's writers while another client
// resets the state and replaces it (with an earlier dump, or with a small
// document) in between: no answer is a 5xx or not JSON, the invariants hold
// at every moment a reader can see, and the final dump loads back unchanged.
// Run it with -race.
func TestSoakWithResetsAndReplaces(t *testing.T) {
	duration := 2 * time.Second
	if testing.Short() {
		duration = 300 * time.Millisecond
	}
	ts := newTestServer(t, Options{Fixtures: soakFixture()})
	client := &soakClient{t: t, url: ts.URL, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: soakWorkers}, Timeout: 10 * time.Second}}
	t.Cleanup(client.http.CloseIdleConnections)
	snapshot := []byte(ts.stateDump())
	small := []byte(`{"partners": [{"id": 1, "name": "Small", "api_keys": ["` + demoKey + `"], "customers": [{"id": 1, "name": "only one"}]}]}`)

	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := range soakWorkers / 2 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for time.Now().Before(deadline) {
				method, path, body := soakRequest(rng)
				status, header, data, ok := client.send(method, path, demoKey, body)
				if !ok {
					return
				}
				if !assert.Less(t, status, 500, "%s %s: %s", method, path, data) {
					return
				}
				if status != http.StatusNoContent {
					assert.Contains(t, header.Get("Content-Type"), "application/json", "%s %s", method, path)
					assert.True(t, json.Valid(data), "%s %s: %q", method, path, data)
				}
			}
		})
	}
	wg.Go(func() { // resets and replaces
		for i := 0; time.Now().Before(deadline); i++ {
			var err error
			switch i % 3 {
			case 0:
				err = ts.inst.Control.Reset()
			case 1:
				err = ts.inst.Control.PutStateData(snapshot, "application/json")
			default:
				err = ts.inst.Control.PutStateData(small, "application/json")
			}
			if !assert.NoError(t, err, "control step %d", i) {
				return
			}
			time.Sleep(15 * time.Millisecond)
		}
	})
	stop := make(chan struct{})
	var checker sync.WaitGroup
	checker.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			var v []string
			ts.srv.store.Read(func(st *state.State) { v = append(rules.CheckInvariants(st), st.CheckIndexes()...) })
			if !assert.Empty(t, v, "invariants broken between resets and replaces") {
				return
			}
		}
	})
	wg.Wait()
	close(stop)
	checker.Wait()

	dump := ts.stateDump()
	require.NoError(t, ts.inst.Control.PutStateData([]byte(dump), "application/json"))
	require.Equal(t, dump, ts.stateDump(), "the final dump loads back unchanged")
}

// soakRequest is a random write or read on the soak fixture's ids, some of
// which a reset or a replace has just removed.
func soakRequest(rng *rand.Rand) (method, path, body string) {
	owner := soakOwner(rng.IntN(soakOwners))
	customer := 1 + rng.IntN(soakCustomers+2)
	id := 1 + rng.IntN(40)
	switch rng.IntN(7) {
	case 0:
		return http.MethodPost, assignmentsPath, fmt.Sprintf(`{"owner_id": %q, "customer_id": %d, "payer_account_owner_id": %q}`, owner, customer, owner)
	case 1:
		return http.MethodDelete, assignmentPath(id), ""
	case 2:
		return http.MethodPut, assignmentPath(id), fmt.Sprintf(`{"customer_id": %d}`, customer)
	case 3:
		return http.MethodPost, "/v1/customers", fmt.Sprintf(`{"name": "soak %d", "address": {"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}}`, rng.IntN(1000))
	case 4:
		return http.MethodDelete, fmt.Sprintf("/v1/customers/%d", 20+rng.IntN(20)), ""
	case 5:
		return http.MethodGet, "/v1/customers?page=" + fmt.Sprint(1+rng.IntN(3)), ""
	default:
		return http.MethodGet, assignmentsPath + "?per_page=" + fmt.Sprint(1+rng.IntN(50)), ""
	}
}
