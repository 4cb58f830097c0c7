package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Soak fixture: partner 1 with 40 accounts in billing family 999999999999
// (owners 000000000101-140) and 10 in family 888888888888 (141-150), four
// billable customers (client_api_ids 10001-10004), one with billing off,
// ten Azure accounts; one consolidated assignment to start with. Partner 2
// has one assignment that nothing of partner 1 may ever touch.
const (
	soakOwners      = 50
	soakCustomers   = 4
	soakAzure       = 10
	soakWorkers     = 16
	soakOtherOwner  = "000000000001"
	soakInitialAsgs = 1
)

func soakOwner(i int) string   { return fmt.Sprintf("000000000%03d", 101+i) }
func soakAzureID(i int) string { return fmt.Sprintf("az%02d", i) }

func soakFixture() []byte {
	var b strings.Builder
	b.WriteString("partners:\n- id: 1\n  name: Soak\n  api_keys: [demo-partner-key]\n  aws_accounts:\n")
	b.WriteString("  - {owner_id: \"999999999999\", name: Payer}\n  - {owner_id: \"888888888888\", name: Payer two}\n")
	for i := range soakOwners {
		family := "999999999999"
		if i >= 40 {
			family = "888888888888"
		}
		fmt.Fprintf(&b, "  - {owner_id: %q, name: a%d, billing_family_owner_id: %q}\n", soakOwner(i), i, family)
	}
	b.WriteString("  azure_partner_customer_accounts:\n")
	for i := range soakAzure {
		fmt.Fprintf(&b, "  - {azure_customer_id: %s, name: z%d, domain: z%d.onmicrosoft.com}\n", soakAzureID(i), i, i)
	}
	b.WriteString("  customers:\n")
	for i := 1; i <= soakCustomers; i++ {
		fmt.Fprintf(&b, "  - {id: %d, client_api_id: %d, name: c%d, partner_billing_configuration: {enabled: true}}\n", i, 10000+i, i)
	}
	fmt.Fprintf(&b, "  - {id: 9, client_api_id: 10009, name: off, partner_billing_configuration: {enabled: false}}\n")
	fmt.Fprintf(&b, "  - id: 10\n    client_api_id: 10010\n    name: seeded\n    partner_billing_configuration: {enabled: true}\n")
	fmt.Fprintf(&b, "    aws_account_assignments: [{owner_id: %q, payer_account_owner_id: %q}]\n", soakOwner(0), soakOwner(0))
	b.WriteString("- id: 2\n  name: Other\n  api_keys: [other-partner-key]\n  aws_accounts:\n")
	fmt.Fprintf(&b, "  - {owner_id: \"777777777777\", name: P}\n  - {owner_id: %q, name: L, billing_family_owner_id: \"777777777777\"}\n", soakOtherOwner)
	fmt.Fprintf(&b, "  customers:\n  - id: 20\n    client_api_id: 20001\n    name: o\n    partner_billing_configuration: {enabled: true}\n")
	fmt.Fprintf(&b, "    aws_account_assignments: [{owner_id: %q, payer_account_owner_id: %q}]\n", soakOtherOwner, soakOtherOwner)
	return []byte(b.String())
}

// soakLog is what one worker saw succeed.
type soakLog struct {
	created []int64 // ids of assignments it created (200)
	deleted []int64 // ids it deleted (204)
	ops     map[string]int
}

// soakClient sends requests from many goroutines; failures are reported with
// assert (never require: it must not stop a goroutine other than the test's).
type soakClient struct {
	t    *testing.T
	url  string
	http *http.Client
}

func (c *soakClient) send(method, path, key, body string) (int, http.Header, []byte, bool) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.url+path, rd)
	if !assert.NoError(c.t, err) {
		return 0, nil, nil, false
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if !assert.NoError(c.t, err) {
		return 0, nil, nil, false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if !assert.NoError(c.t, err) {
		return 0, nil, nil, false
	}
	return resp.StatusCode, resp.Header, data, true
}

// expect asserts that status is one of want, and records the operation.
func (c *soakClient) expect(log *soakLog, op string, status int, body []byte, want ...int) bool {
	log.ops[fmt.Sprintf("%s %d", op, status)]++
	return assert.Contains(c.t, want, status, "%s answered %d: %s", op, status, body)
}

// TestSoak runs 16 workers doing mixed operations on overlapping ids (create,
// update and delete assignments, Azure add and remove, lists and gets) for a
// couple of seconds while a checker keeps verifying the invariants, then
// reconciles what the workers saw with the final state. Run it with -race.
func TestSoak(t *testing.T) {
	duration := 2 * time.Second
	if testing.Short() {
		duration = 300 * time.Millisecond
	}
	ts := newTestServer(t, Options{Fixtures: soakFixture()})
	client := &soakClient{t: t, url: ts.URL, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: soakWorkers}, Timeout: 10 * time.Second}}
	t.Cleanup(client.http.CloseIdleConnections)

	var maxID atomic.Int64
	maxID.Store(soakInitialAsgs + 1) // partner 2's assignment comes after partner 1's
	deadline := time.Now().Add(duration)
	logs := make([]*soakLog, soakWorkers)
	var wg sync.WaitGroup
	for w := range soakWorkers {
		logs[w] = &soakLog{ops: map[string]int{}}
		wg.Go(func() { soakWorker(client, logs[w], rand.New(rand.NewPCG(uint64(w), 42)), &maxID, deadline) })
	}
	// The checker: the invariants hold at every moment a reader can see.
	stop := make(chan struct{})
	var checks int
	var checker sync.WaitGroup
	checker.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			var v []string
			ts.srv.store.Read(func(st *state.State) { v = rules.CheckInvariants(st) })
			checks++
			if !assert.Empty(t, v, "invariants broken under load") {
				return
			}
		}
	})
	wg.Wait()
	close(stop)
	checker.Wait()

	// Reconcile.
	var created, deleted []int64
	ops := map[string]int{}
	for _, l := range logs {
		created = append(created, l.created...)
		deleted = append(deleted, l.deleted...)
		for k, n := range l.ops {
			ops[k] += n
		}
	}
	t.Logf("soak: %d checks of the invariants; operations: %v", checks, ops)
	require.NotEmpty(t, created, "no create succeeded: the soak exercised nothing")
	require.NotEmpty(t, deleted, "no delete succeeded: the soak exercised nothing")
	slices.Sort(created)
	require.Equal(t, len(created), len(slices.Compact(slices.Clone(created))), "an id was handed out twice")
	slices.Sort(deleted)
	require.Equal(t, len(deleted), len(slices.Compact(slices.Clone(deleted))), "an id was deleted twice")

	var final map[int64]bool
	var otherCount int
	ts.srv.store.Read(func(st *state.State) {
		require.Empty(t, rules.CheckInvariants(st))
		p1, _ := st.Partner(1)
		p2, _ := st.Partner(2)
		final = map[int64]bool{}
		for _, a := range st.AssignmentsPage(p1, 0, st.AssignmentCount(p1)) {
			final[a.ID] = true
		}
		otherCount = st.AssignmentCount(p2)
	})
	gone := map[int64]bool{}
	for _, id := range deleted {
		gone[id] = true
		assert.False(t, final[id], "assignment %d was deleted but exists", id)
	}
	for _, id := range created {
		if !gone[id] {
			assert.True(t, final[id], "assignment %d was created, never deleted, and is missing", id)
		}
	}
	assert.Equal(t, soakInitialAsgs+len(created)-len(deleted), len(final), "final count = initial + creates - deletes")
	assert.Equal(t, 1, otherCount, "the other partner's assignments are untouched")
	// And the API agrees with the state.
	status, header, body, ok := client.send(http.MethodGet, "/v1/aws_account_assignments?per_page=100", demoKey, "")
	require.True(t, ok)
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	assert.Equal(t, strconv.Itoa(len(final)), header.Get("X-Total"))
}

// soakWorker does random operations until the deadline.
func soakWorker(c *soakClient, log *soakLog, rng *rand.Rand, maxID *atomic.Int64, deadline time.Time) {
	randOwner := func() string { return soakOwner(rng.IntN(soakOwners)) }
	randCustomer := func() int { return 1 + rng.IntN(soakCustomers) }
	randID := func() int64 { return 1 + rng.Int64N(maxID.Load()+3) }
	for time.Now().Before(deadline) {
		switch op := rng.IntN(100); {
		case op < 30: // create: customers 1 and 2 get a consolidated family, 3 and 4 standalone ones
			customer := randCustomer()
			owner, payer, kind := randOwner(), "", "create standalone"
			switch {
			case customer <= 2 && rng.IntN(4) == 0:
				owner, payer, kind = soakOwner(customer), soakOwner(customer), "create consolidated"
			case customer <= 2:
				payer, kind = soakOwner(customer), "create linked"
			default:
				payer = owner
			}
			status, header, body, ok := c.send(http.MethodPost, "/v1/aws_account_assignments", demoKey,
				fmt.Sprintf(`{"owner_id": %q, "customer_id": %d, "payer_account_owner_id": %q}`, owner, customer, payer))
			if !ok || !c.expect(log, kind, status, body, http.StatusOK, http.StatusUnprocessableEntity) || status != http.StatusOK {
				continue
			}
			var a assignmentJSON
			if assert.NoError(c.t, json.Unmarshal(body, &a)) {
				log.created = append(log.created, a.ID)
				assert.True(c.t, strings.HasSuffix(header.Get("Location"), fmt.Sprintf("/v1/aws_account_assignments/%d", a.ID)))
				for cur := maxID.Load(); a.ID > cur && !maxID.CompareAndSwap(cur, a.ID); cur = maxID.Load() {
				}
			}
		case op < 45: // update a random id with a random subset of fields
			fields := []string{}
			if rng.IntN(2) == 0 {
				fields = append(fields, fmt.Sprintf(`"customer_id": %d`, randCustomer()))
			}
			if rng.IntN(3) == 0 {
				owner := randOwner()
				fields = append(fields, fmt.Sprintf(`"owner_id": %q, "payer_account_owner_id": %q`, owner, owner))
			}
			status, _, body, ok := c.send(http.MethodPut, fmt.Sprintf("/v1/aws_account_assignments/%d", randID()), demoKey,
				"{"+strings.Join(fields, ", ")+"}")
			if ok {
				c.expect(log, "update", status, body, http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity)
			}
		case op < 60: // delete a random id
			id := randID()
			status, _, body, ok := c.send(http.MethodDelete, fmt.Sprintf("/v1/aws_account_assignments/%d", id), demoKey, "")
			if ok && c.expect(log, "delete", status, body, http.StatusNoContent, http.StatusNotFound, http.StatusUnprocessableEntity) &&
				status == http.StatusNoContent {
				log.deleted = append(log.deleted, id)
			}
		case op < 75: // Azure add or remove of one to three accounts
			action := []string{"add", "remove"}[rng.IntN(2)]
			ids := make([]string, 1+rng.IntN(3))
			for i := range ids {
				ids[i] = strconv.Quote(soakAzureID(rng.IntN(soakAzure)))
			}
			status, _, body, ok := c.send(http.MethodPut, fmt.Sprintf("/v1/azure_partner_customer_accounts/%s/%d", action, 10000+randCustomer()),
				demoKey, `{"azure_customer_ids": [`+strings.Join(ids, ", ")+`]}`)
			if ok {
				c.expect(log, "azure "+action, status, body, http.StatusMultiStatus)
			}
		case op < 85: // a list page
			perPage := 1 + rng.IntN(20)
			status, header, body, ok := c.send(http.MethodGet, fmt.Sprintf("/v1/aws_account_assignments?page=%d&per_page=%d", 1+rng.IntN(4), perPage), demoKey, "")
			if ok && c.expect(log, "list", status, body, http.StatusOK) {
				var page struct {
					Assignments []assignmentJSON `json:"aws_account_assignments"`
				}
				if assert.NoError(c.t, json.Unmarshal(body, &page)) {
					assert.LessOrEqual(c.t, len(page.Assignments), perPage)
					assert.True(c.t, slices.IsSortedFunc(page.Assignments, func(a, b assignmentJSON) int { return int(a.ID - b.ID) }))
					assert.NotEmpty(c.t, header.Get("X-Total"))
				}
			}
		case op < 95: // a get
			status, _, body, ok := c.send(http.MethodGet, fmt.Sprintf("/v1/aws_account_assignments/%d", randID()), demoKey, "")
			if ok {
				c.expect(log, "get", status, body, http.StatusOK, http.StatusNotFound)
			}
		default: // the other partner sees only its own assignment, whatever happens
			status, header, body, ok := c.send(http.MethodGet, "/v1/aws_account_assignments", otherKey, "")
			if ok && c.expect(log, "other partner list", status, body, http.StatusOK) {
				assert.Equal(c.t, "1", header.Get("X-Total"))
			}
		}
	}
}
