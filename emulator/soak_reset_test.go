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
)

// TestSoakWithResetsAndReplaces runs the soak's writers, through both
// versions, while another client resets the state and replaces it (with an
// earlier dump, or with a small document) in between: no answer is a 5xx or
// not JSON, the invariants hold at every moment a reader can see, after each
// round and at the end, and the final dump loads back unchanged. Run it with
// -race.
func TestSoakWithResetsAndReplaces(t *testing.T) {
	duration := 2 * time.Second
	if testing.Short() {
		duration = 300 * time.Millisecond
	}
	ts := newTestServer(t, Options{Fixtures: soakFixture()})
	client := newSoakClient(t, ts)
	snapshot := []byte(ts.stateDump())
	small := []byte(`{"partners": [{"id": 1, "name": "Small", "api_keys": ["` + demoKey + `"], "customers": [{"id": 1, "name": "only one"}]}]}`)

	rngs := make([]*rand.Rand, soakWorkers/2)
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(uint64(w), 7))
	}
	step := 0 // the control client's, across rounds
	soakRun(t, ts, duration, 10*time.Millisecond, func(wg *sync.WaitGroup, deadline time.Time) {
		for _, rng := range rngs {
			wg.Go(func() {
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
			for ; time.Now().Before(deadline); step++ {
				var err error
				switch step % 3 {
				case 0:
					err = ts.inst.Control.Reset()
				case 1:
					err = ts.inst.Control.PutStateData(snapshot, "application/json")
				default:
					err = ts.inst.Control.PutStateData(small, "application/json")
				}
				if !assert.NoError(t, err, "control step %d", step) {
					return
				}
				time.Sleep(15 * time.Millisecond)
			}
		})
	})

	dump := ts.stateDump()
	require.NoError(t, ts.inst.Control.PutStateData([]byte(dump), "application/json"))
	require.Equal(t, dump, ts.stateDump(), "the final dump loads back unchanged")
	ts.requireInvariants("the soak with resets and replaces")
}

// soakRequest is a random write or read on the soak fixture's ids, some of
// which a reset or a replace has just removed; two in nine are version 2
// creates and deletes.
func soakRequest(rng *rand.Rand) (method, path, body string) {
	owner := soakOwner(rng.IntN(soakOwners))
	customer := 1 + rng.IntN(soakCustomers+2)
	id := 1 + rng.IntN(40)
	switch rng.IntN(9) {
	case 7, 8:
		return soakV2Request(rng, customer, id)
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
