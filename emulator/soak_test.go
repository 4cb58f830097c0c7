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
// (owners 000000000101-140) and 10 in family 888888888888 (141-150),
// soakFamilies small families of a head and two members (for version 2
// Family blocks), six billable customers (ids 1-6, client_api_ids
// 10001-10006; 4-6 are the targets of version 2 creates), one with billing
// off, ten Azure accounts; one consolidated assignment to start with, for
// customer 10, which also has soakLinkAccts GovCloud accounts (ids 1001-) and
// as many commercial ones (ids 1101-) for linkages. Partner 2 has one
// assignment that nothing of partner 1 may ever touch.
const (
	soakOwners      = 50
	soakCustomers   = 6
	soakAzure       = 10
	soakWorkers     = 16
	soakOtherOwner  = "000000000001"
	soakInitialAsgs = 1
	// soakLinkAccts is how many GovCloud (and commercial) accounts customer
	// 10 has for linkages: at most that many linkages can exist.
	soakLinkAccts = 6
	// soakFirstCustomer is the id the first customer created through the
	// API gets (fixture ids end at 20).
	soakFirstCustomer = 21
)

// soakFixtureCustomers are partner 1's customers in the soak fixture.
var soakFixtureCustomers = []int64{1, 2, 3, 4, 5, 6, 9, 10}

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
	for f := range soakFamilies {
		fmt.Fprintf(&b, "  - {owner_id: %q, name: f%d}\n", soakFamilyHead(f), f)
		for m := range soakFamilyMembers {
			fmt.Fprintf(&b, "  - {owner_id: %q, name: f%d-%d, billing_family_owner_id: %q}\n", soakFamilyMember(f, m), f, m, soakFamilyHead(f))
		}
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
	b.WriteString("    aws_accounts:\n")
	for i := range soakLinkAccts {
		fmt.Fprintf(&b, "    - {id: %d, owner_id: \"3000000000%02d\", name: g%d, is_govcloud: true}\n", 1001+i, i, i)
		fmt.Fprintf(&b, "    - {id: %d, owner_id: \"3000000001%02d\", name: c%d}\n", 1101+i, i, i)
	}
	b.WriteString("- id: 2\n  name: Other\n  api_keys: [other-partner-key]\n  aws_accounts:\n")
	fmt.Fprintf(&b, "  - {owner_id: \"777777777777\", name: P}\n  - {owner_id: %q, name: L, billing_family_owner_id: \"777777777777\"}\n", soakOtherOwner)
	fmt.Fprintf(&b, "  customers:\n  - id: 20\n    client_api_id: 5\n    name: o\n    partner_billing_configuration: {enabled: true}\n")
	fmt.Fprintf(&b, "    aws_account_assignments: [{owner_id: %q, payer_account_owner_id: %q}]\n", soakOtherOwner, soakOtherOwner)
	return []byte(b.String())
}

// soakLog is what one worker saw succeed.
type soakLog struct {
	created []int64 // ids of assignments it created (200)
	deleted []int64 // ids it deleted (204)
	// customersCreated and customersDeleted are customer ids (200, 204);
	// linkagesCreated are ids of customer 10's linkages (200).
	customersCreated, customersDeleted, linkagesCreated []int64
	// v2Created and v2Deleted count the assignments version 2 created and
	// deleted (they are in created and deleted too).
	v2Created, v2Deleted int
	// blocks are the named Consolidated blocks it created, whose payer it
	// moves.
	blocks []soakBlock
	ops    map[string]int
	// seq numbers the names it gives customers and blocks, unique across
	// rounds.
	seq int
}

// nextName is a name no other worker, and no earlier round, gave.
func (l *soakLog) nextName(worker int) string {
	l.seq++
	return fmt.Sprintf("w%d-%d", worker, l.seq)
}

// soakMax holds the largest id of each collection any worker has seen, so
// that workers aim at ids that exist (and a few that do not yet).
type soakMax struct {
	assignment, customer, linkage atomic.Int64

	mu sync.Mutex
	// links10 are the ids of customer 10's linkages, which updates aim at.
	links10 []int64

	// v2 marks the customers (by id) a version 2 create has succeeded for:
	// version 2 customers for good, locked out of version 1.
	v2 [soakCustomers + 1]atomic.Bool
	// v2IDs holds the ids of the assignments version 2 creates made (they
	// stay their version 2 customer's until deleted).
	v2IDs sync.Map
}

func (m *soakMax) addLink10(id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.links10 = append(m.links10, id)
}

// linkageID returns one of customer 10's linkages most of the time, else any
// id (another customer's linkage, or none).
func (m *soakMax) linkageID(rng *rand.Rand) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.links10) > 0 && rng.IntN(4) != 0 {
		return m.links10[rng.IntN(len(m.links10))]
	}
	return 1 + rng.Int64N(m.linkage.Load()+2)
}

func raise(max *atomic.Int64, id int64) {
	for cur := max.Load(); id > cur && !max.CompareAndSwap(cur, id); cur = max.Load() {
	}
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
// update and delete assignments through version 1, create Standalone,
// Consolidated and Family blocks through version 2 on the same owner ids for
// other customers, move their payers and delete them, Azure add and remove,
// lists and gets; customers created with AWS accounts, a linkage and an Azure
// account, and deleted with all of it; GovCloud linkages created and moved)
// in soakRounds rounds while a checker keeps verifying the invariants, then
// reconciles what the workers saw with the final state. Version 1 must refuse
// every customer a version 2 create succeeded for. Run it with -race.
func TestSoak(t *testing.T) {
	duration := 2 * time.Second
	if testing.Short() {
		duration = 300 * time.Millisecond
	}
	ts := newTestServer(t, Options{Fixtures: soakFixture()})
	client := newSoakClient(t, ts)

	var maxID soakMax
	maxID.assignment.Store(soakInitialAsgs + 1) // partner 2's assignment comes after partner 1's
	maxID.customer.Store(soakFirstCustomer - 1)
	logs := make([]*soakLog, soakWorkers)
	rngs := make([]*rand.Rand, soakWorkers)
	for w := range soakWorkers {
		logs[w] = &soakLog{ops: map[string]int{}}
		rngs[w] = rand.New(rand.NewPCG(uint64(w), 42))
	}
	checks := soakRun(t, ts, duration, 20*time.Millisecond, func(wg *sync.WaitGroup, deadline time.Time) {
		for w := range soakWorkers {
			wg.Go(func() { soakWorker(client, w, logs[w], rngs[w], &maxID, deadline) })
		}
	})

	// Reconcile.
	var created, deleted, custCreated, custDeleted, linksCreated []int64
	var v2Created, v2Deleted int
	ops := map[string]int{}
	for _, l := range logs {
		created = append(created, l.created...)
		deleted = append(deleted, l.deleted...)
		custCreated = append(custCreated, l.customersCreated...)
		custDeleted = append(custDeleted, l.customersDeleted...)
		linksCreated = append(linksCreated, l.linkagesCreated...)
		v2Created += l.v2Created
		v2Deleted += l.v2Deleted
		for k, n := range l.ops {
			ops[k] += n
		}
	}
	t.Logf("soak: %d checks of the invariants; operations: %v", checks, ops)
	require.NotEmpty(t, created, "no create succeeded: the soak exercised nothing")
	require.NotEmpty(t, deleted, "no delete succeeded: the soak exercised nothing")
	require.NotZero(t, v2Created, "no version 2 create succeeded")
	require.NotZero(t, v2Deleted, "no version 2 delete succeeded")
	for _, typ := range soakBlockTypes {
		require.NotZero(t, ops["v2 create "+typ+" 200"], "no version 2 %s block was created", typ)
	}
	slices.Sort(created)
	require.Equal(t, len(created), len(slices.Compact(slices.Clone(created))), "an id was handed out twice")
	slices.Sort(deleted)
	require.Equal(t, len(deleted), len(slices.Compact(slices.Clone(deleted))), "an id was deleted twice")

	require.NotEmpty(t, custCreated, "no customer create succeeded")
	require.NotEmpty(t, custDeleted, "no customer delete succeeded")
	require.NotEmpty(t, linksCreated, "no linkage create succeeded")
	var final map[int64]bool
	var otherCount, v1Count int
	var finalCustomers, finalLinks []int64
	ts.srv.store.Read(func(st *state.State) {
		require.Empty(t, rules.CheckInvariants(st))
		p1, _ := st.Partner(1)
		p2, _ := st.Partner(2)
		final = map[int64]bool{}
		owners := map[string]int64{}
		for _, a := range st.AssignmentsPage(p1, 0, st.AssignmentCount(p1)) {
			final[a.ID] = true
			// Owner ids are unique across both versions (CheckInvariants
			// says so too; this says it in the soak's terms).
			if other, taken := owners[a.OwnerID]; taken {
				assert.Fail(t, "an owner id is assigned twice", "%s: assignments %d and %d", a.OwnerID, other, a.ID)
			}
			owners[a.OwnerID] = a.ID
		}
		v1Count = st.V1AssignmentCount(p1)
		otherCount = st.AssignmentCount(p2)
		for _, c := range st.Customers(p1) {
			finalCustomers = append(finalCustomers, c.ID)
			if c.ID <= soakCustomers {
				assert.Equal(t, maxID.v2[c.ID].Load(), c.V2(), "customer %d is a version 2 customer exactly when a version 2 create succeeded for it", c.ID)
			}
		}
		c10, _ := st.Customer(p1, 10)
		for _, l := range st.Linkages(c10) {
			finalLinks = append(finalLinks, l.ID)
		}
		// A deleted customer left nothing behind (CheckInvariants would name
		// an orphan too; this says it in the soak's terms).
		for _, id := range custDeleted {
			for _, a := range st.AllAWSAccounts() {
				assert.NotEqual(t, id, a.CustomerID, "AWS account %d of deleted customer %d", a.ID, id)
			}
			for _, l := range st.AllLinkages() {
				assert.NotEqual(t, id, l.CustomerID, "linkage %d of deleted customer %d", l.ID, id)
			}
			for _, a := range st.AzureAccounts(p1) {
				assert.NotEqual(t, id, a.CustomerID, "Azure account %s of deleted customer %d", a.AzureCustomerID, id)
			}
		}
	})
	// Customers: the fixture's, plus those created, minus those deleted.
	slices.Sort(custDeleted)
	require.Equal(t, len(custDeleted), len(slices.Compact(slices.Clone(custDeleted))), "a customer was deleted twice")
	wantCustomers := slices.Clone(soakFixtureCustomers)
	for _, id := range custCreated {
		if _, gone := slices.BinarySearch(custDeleted, id); !gone {
			wantCustomers = append(wantCustomers, id)
		}
	}
	slices.Sort(wantCustomers)
	assert.Equal(t, wantCustomers, finalCustomers, "customers = fixture + created - deleted")
	// Customer 10's linkages: every one created (none can be deleted), each
	// on accounts no other linkage uses (CheckInvariants).
	slices.Sort(linksCreated)
	assert.Equal(t, linksCreated, finalLinks, "customer 10's linkages are exactly those created")
	assert.LessOrEqual(t, len(finalLinks), soakLinkAccts)
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
	assert.Equal(t, soakInitialAsgs+len(created)-len(deleted), len(final), "final count = initial + creates - deletes (both versions)")
	assert.Equal(t, 1, otherCount, "the other partner's assignments are untouched")
	// And the API agrees with the state: version 2 lists every assignment,
	// version 1 leaves out those of version 2 customers.
	status, header, body, ok := client.send(http.MethodGet, "/v2/aws_account_assignments?per_page=100", demoKey, "")
	require.True(t, ok)
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	assert.Equal(t, strconv.Itoa(len(final)), header.Get("X-Total"))
	status, header, body, ok = client.send(http.MethodGet, "/v1/aws_account_assignments?per_page=100", demoKey, "")
	require.True(t, ok)
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	assert.Equal(t, strconv.Itoa(v1Count), header.Get("X-Total"))
	var v1Page struct {
		Assignments []assignmentJSON `json:"aws_account_assignments"`
	}
	require.NoError(t, json.Unmarshal(body, &v1Page))
	require.Len(t, v1Page.Assignments, v1Count)
	for _, a := range v1Page.Assignments {
		assert.False(t, a.CustomerID <= soakCustomers && maxID.v2[a.CustomerID].Load(),
			"version 1 lists assignment %d of version 2 customer %d", a.ID, a.CustomerID)
	}
}

// soakRounds is how many rounds a soak runs: the invariants must hold after
// each, with every worker stopped.
const soakRounds = 4

// soakRun runs round soakRounds times, each until its share of duration has
// passed, while a checker verifies the invariants every interval at whatever
// moment a reader sees the state; after each round, every worker stopped,
// they must hold too. round starts the round's goroutines on wg, which stop
// at the deadline. soakRun returns how many times the checker ran.
func soakRun(t *testing.T, ts *testServer, duration, interval time.Duration, round func(wg *sync.WaitGroup, deadline time.Time)) int {
	t.Helper()
	stop := make(chan struct{})
	var checks int
	var checker sync.WaitGroup
	checker.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(interval):
			}
			checks++
			if !assert.Empty(t, ts.violations(), "invariants broken under load") {
				return
			}
		}
	})
	var broken []string
	for i := 0; i < soakRounds && len(broken) == 0; i++ {
		var wg sync.WaitGroup
		round(&wg, time.Now().Add(duration/soakRounds))
		wg.Wait()
		if broken = ts.violations(); len(broken) > 0 {
			broken = append([]string{fmt.Sprintf("after round %d:", i+1)}, broken...)
		}
	}
	close(stop)
	checker.Wait()
	require.Empty(t, broken, "invariants broken with every worker stopped")
	return checks
}

// newSoakClient is a client for many goroutines of ts.
func newSoakClient(t *testing.T, ts *testServer) *soakClient {
	client := &soakClient{t: t, url: ts.URL, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: soakWorkers}, Timeout: 10 * time.Second}}
	t.Cleanup(client.http.CloseIdleConnections)
	return client
}

// soakWorker does random operations until the deadline.
func soakWorker(c *soakClient, worker int, log *soakLog, rng *rand.Rand, maxID *soakMax, deadline time.Time) {
	randOwner := func() string { return soakRandOwner(rng) }
	randCustomer := func() int { return 1 + rng.IntN(soakCustomers) }
	randID := func() int64 { return 1 + rng.Int64N(maxID.assignment.Load()+3) }
	for time.Now().Before(deadline) {
		switch op := rng.IntN(160); {
		case op >= 120: // version 2
			soakV2(c, log, rng, maxID, op-120, log.nextName(worker))
		case op < 30: // create: customers 1 and 2 get a consolidated family, 3-6 standalone ones
			customer := randCustomer()
			// A customer a version 2 create succeeded for is locked out of
			// version 1 for good.
			locked := maxID.v2[customer].Load()
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
			if ok && locked {
				c.expect(log, kind+" of a version 2 customer", status, body, http.StatusUnprocessableEntity)
				assert.Contains(c.t, string(body), fmt.Sprintf("customer %d uses version 2 account assignments", customer))
				continue
			}
			if !ok || !c.expect(log, kind, status, body, http.StatusOK, http.StatusUnprocessableEntity) || status != http.StatusOK {
				continue
			}
			var a assignmentJSON
			if assert.NoError(c.t, json.Unmarshal(body, &a)) {
				log.created = append(log.created, a.ID)
				assert.True(c.t, strings.HasSuffix(header.Get("Location"), fmt.Sprintf("/v1/aws_account_assignments/%d", a.ID)))
				raise(&maxID.assignment, a.ID)
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
		case op < 95: // a get: 422 for an assignment of a version 2 customer
			id := randID()
			_, byV2 := maxID.v2IDs.Load(id)
			status, _, body, ok := c.send(http.MethodGet, fmt.Sprintf("/v1/aws_account_assignments/%d", id), demoKey, "")
			switch {
			case ok && byV2:
				c.expect(log, "get of a version 2 assignment", status, body, http.StatusUnprocessableEntity, http.StatusNotFound)
			case ok:
				c.expect(log, "get", status, body, http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity)
			}
		case op < 100: // the other partner sees only its own assignment, whatever happens
			status, header, body, ok := c.send(http.MethodGet, "/v1/aws_account_assignments", otherKey, "")
			if ok && c.expect(log, "other partner list", status, body, http.StatusOK) {
				assert.Equal(c.t, "1", header.Get("X-Total"))
			}
		case op < 106: // a customer, with what its delete must cascade over
			soakCreateCustomer(c, log, rng, maxID, log.nextName(worker))
		case op < 111: // delete a customer, maybe one another worker is filling
			id := soakFirstCustomer + rng.Int64N(maxID.customer.Load()-soakFirstCustomer+3)
			status, _, body, ok := c.send(http.MethodDelete, fmt.Sprintf("/v1/customers/%d", id), demoKey, "")
			if ok && c.expect(log, "customer delete", status, body, http.StatusNoContent, http.StatusNotFound) &&
				status == http.StatusNoContent {
				log.customersDeleted = append(log.customersDeleted, id)
			}
		case op < 116: // link two of customer 10's accounts
			status, _, body, ok := c.send(http.MethodPost, "/api/v1/govcloud_linkages?client_api_id=10010", demoKey,
				fmt.Sprintf(`{"govcloud_acct_id": %d, "commercial_acct_id": %d}`, 1001+rng.IntN(soakLinkAccts), 1101+rng.IntN(soakLinkAccts)))
			if !ok || !c.expect(log, "linkage create", status, body, http.StatusOK, http.StatusUnprocessableEntity) || status != http.StatusOK {
				continue
			}
			var l linkageJSON
			if assert.NoError(c.t, json.Unmarshal(body, &l)) {
				log.linkagesCreated = append(log.linkagesCreated, l.ID)
				raise(&maxID.linkage, l.ID)
				maxID.addLink10(l.ID)
			}
		default: // move a linkage (customer 10's, another customer's, or none) to other accounts
			id := maxID.linkageID(rng)
			status, _, body, ok := c.send(http.MethodPut, fmt.Sprintf("/api/v1/govcloud_linkages/%d?client_api_id=10010", id), demoKey,
				fmt.Sprintf(`{"govcloud_acct_id": %d, "commercial_acct_id": %d}`, 1001+rng.IntN(soakLinkAccts), 1101+rng.IntN(soakLinkAccts)))
			if ok {
				c.expect(log, "linkage update", status, body, http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity)
			}
		}
	}
}

// soakCreateCustomer creates a customer and gives it a GovCloud and a
// commercial AWS account, a linkage of the two and an Azure account, each
// step answering 404 once another worker has deleted the customer.
func soakCreateCustomer(c *soakClient, log *soakLog, rng *rand.Rand, maxID *soakMax, name string) {
	status, _, body, ok := c.send(http.MethodPost, "/v1/customers", demoKey, fmt.Sprintf(
		`{"name": %q, "address": {"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}}`, name))
	if !ok || !c.expect(log, "customer create", status, body, http.StatusOK) {
		return
	}
	var cust customerJSON
	if !assert.NoError(c.t, json.Unmarshal(body, &cust)) {
		return
	}
	log.customersCreated = append(log.customersCreated, cust.ID)
	raise(&maxID.customer, cust.ID)
	var accts [2]int64
	for i, region := range []string{"govcloud", "global"} {
		status, _, body, ok := c.send(http.MethodPost, fmt.Sprintf("/v1/aws_accounts?client_api_id=%d", cust.ClientAPIID), demoKey,
			fmt.Sprintf(`{"name": "%s-%d", "region": %q, "authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": "s"}}`, name, i, region))
		if !ok || !c.expect(log, "customer account create", status, body, http.StatusCreated, http.StatusNotFound) || status != http.StatusCreated {
			return
		}
		var a awsAccountJSON
		if !assert.NoError(c.t, json.Unmarshal(body, &a)) {
			return
		}
		accts[i] = a.ID
	}
	status, _, body, ok = c.send(http.MethodPost, fmt.Sprintf("/api/v1/govcloud_linkages?client_api_id=%d", cust.ClientAPIID), demoKey,
		fmt.Sprintf(`{"govcloud_acct_id": %d, "commercial_acct_id": %d}`, accts[0], accts[1]))
	if !ok || !c.expect(log, "customer linkage create", status, body, http.StatusOK, http.StatusNotFound) {
		return
	}
	if status == http.StatusOK {
		var l linkageJSON
		if assert.NoError(c.t, json.Unmarshal(body, &l)) {
			raise(&maxID.linkage, l.ID)
		}
	}
	status, _, body, ok = c.send(http.MethodPut, fmt.Sprintf("/v1/azure_partner_customer_accounts/add/%d", cust.ClientAPIID), demoKey,
		fmt.Sprintf(`{"azure_customer_ids": [%q]}`, soakAzureID(rng.IntN(soakAzure))))
	if ok {
		c.expect(log, "customer azure add", status, body, http.StatusMultiStatus, http.StatusNotFound)
	}
}
