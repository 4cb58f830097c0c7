package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default fixtures, as these tests use them: customer 1 (client_api_id
// 1) owns the GovCloud accounts 1, 3, 5 and the commercial accounts 2, 4,
// with linkage 1 joining 3 and 4 (created and updated 2018-05-16T20:18:58Z);
// customer 2 (2) has no AWS account of its own, customer 3 (3) owns
// the commercial account 6. Partner 2 (otherKey) has customer 5 (5) with
// the GovCloud account 7 and the commercial account 8. New linkages get id 2.

const linkagesPath = "/api/v1/govcloud_linkages"

// linkagesOf is the collection path for a client_api_id.
func linkagesOf(clientAPIID any) string {
	return fmt.Sprintf("%s?client_api_id=%v", linkagesPath, clientAPIID)
}

// linkageOf is the path of one linkage for a client_api_id.
func linkageOf(id int, clientAPIID any) string {
	return fmt.Sprintf("%s/%d?client_api_id=%v", linkagesPath, id, clientAPIID)
}

// linkageBody is a create or update body; nil fields are left out.
func linkageBody(gov, com any) map[string]any {
	b := map[string]any{}
	if gov != nil {
		b["govcloud_acct_id"] = gov
	}
	if com != nil {
		b["commercial_acct_id"] = com
	}
	return b
}

// decodeLinkage decodes a linkage object, refusing any other field.
func decodeLinkage(t testing.TB, data []byte) linkageJSON {
	t.Helper()
	var l linkageJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&l), "body: %s", data)
	return l
}

// linkageList decodes a list answer: a top-level array of linkages.
func linkageList(t testing.TB, r response) []linkageJSON {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var raw []json.RawMessage
	require.NoError(t, json.Unmarshal(r.Body, &raw), "not a top-level array: %s", r.Body)
	out := []linkageJSON{}
	for _, item := range raw {
		out = append(out, decodeLinkage(t, item))
	}
	return out
}

const linkageFixtureTime = "2018-05-16T20:18:58Z"

// linkageOne is linkage 1 of the default fixtures.
var linkageOne = linkageJSON{ID: 1, CustomerID: 1, GovcloudAcct: 3, CommercialAcct: 4, CreatedAt: linkageFixtureTime, UpdatedAt: linkageFixtureTime}

// Messages of the rules, as rules.CheckLinkage words them.
func errNotCustomerAccount(field string, id int) string {
	return fmt.Sprintf("%s %d is not an AWS account of this customer", field, id)
}

func errInLinkage(field string, id, linkage int) string {
	return fmt.Sprintf("%s %d is already in GovCloud linkage %d", field, id, linkage)
}

func errNotGovcloud(id int) string {
	return fmt.Sprintf("govcloud_acct_id %d is not a GovCloud account (is_govcloud is false)", id)
}

func errIsGovcloud(id int) string {
	return fmt.Sprintf("commercial_acct_id %d is a GovCloud account (is_govcloud is true)", id)
}

// govClock is a settable clock for Options.Now.
type govClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *govClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *govClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func TestGovcloudLinkageLifecycle(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	t1 := t0.Add(90 * time.Minute)
	clk := &govClock{now: t0.Add(400 * time.Millisecond)} // shown in whole seconds
	ts := newTestServer(t, Options{Now: clk.Now})

	assert.Equal(t, []linkageJSON{linkageOne}, linkageList(t, ts.get(linkagesOf(1))))
	// Not paged: paging parameters are ignored; a repeated client_api_id uses the first.
	assert.Equal(t, []linkageJSON{linkageOne}, linkageList(t, ts.get(linkagesOf(1)+"&page=abc&per_page=0")))
	assert.Equal(t, []linkageJSON{linkageOne}, linkageList(t, ts.get(linkagesOf(1)+"&client_api_id=2")))
	assert.Empty(t, linkageList(t, ts.get(linkagesOf(2)+"&client_api_id=1")))

	created := ts.post(linkagesOf(1), linkageBody(1, 2))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	want := linkageJSON{ID: 2, CustomerID: 1, GovcloudAcct: 1, CommercialAcct: 2,
		CreatedAt: "2026-03-01T10:00:00Z", UpdatedAt: "2026-03-01T10:00:00Z"}
	require.Equal(t, want, decodeLinkage(t, created.Body))
	assert.Empty(t, created.Header.Get("Location"), "the guide shows no Location for linkages")

	read := ts.get(linkageOf(2, 1))
	require.Equal(t, http.StatusOK, read.Status, "body: %s", read.Body)
	assert.Equal(t, want, decodeLinkage(t, read.Body))
	assert.Equal(t, []linkageJSON{linkageOne, want}, linkageList(t, ts.get(linkagesOf(1))), "ordered by id")

	// The update moves updated_at to the clock, never created_at.
	clk.set(t1)
	updated := ts.put(linkageOf(1, 1), linkageBody(5, nil))
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	wantOne := linkageJSON{ID: 1, CustomerID: 1, GovcloudAcct: 5, CommercialAcct: 4, CreatedAt: linkageFixtureTime, UpdatedAt: "2026-03-01T11:30:00Z"}
	require.Equal(t, wantOne, decodeLinkage(t, updated.Body))
	assert.Equal(t, wantOne, decodeLinkage(t, ts.get(linkageOf(1, 1)).Body))

	// Account 3 is free now; 4 is still linkage 1's, 2 is linkage 2's.
	clk.set(t1.Add(time.Hour))
	again := ts.post(linkagesOf(1), linkageBody(3, 2))
	assert.Equal(t, []string{errInLinkage("commercial_acct_id", 2, 2)}, requireJSONErrors(t, again))
	both := ts.put(linkageOf(2, 1), linkageBody(3, 4))
	assert.Equal(t, []string{errInLinkage("commercial_acct_id", 4, 1)}, requireJSONErrors(t, both))
	swap := ts.put(linkageOf(1, 1), linkageBody(1, 2))
	assert.Equal(t, []string{errInLinkage("govcloud_acct_id", 1, 2), errInLinkage("commercial_acct_id", 2, 2)}, requireJSONErrors(t, swap))

	// The same ids again change nothing, updated_at included (as Rails).
	ts.unchanged(func() {
		same := ts.put(linkageOf(1, 1), linkageBody(5, 4))
		require.Equal(t, http.StatusOK, same.Status, "body: %s", same.Body)
		assert.Equal(t, wantOne, decodeLinkage(t, same.Body))
	})

	// What the state dump shows round-trips through the fixtures.
	dumped := dumpedCustomer(t, ts, 1).GovcloudLinkages
	require.Len(t, dumped, 2)
	assert.Equal(t, int64(5), dumped[0].GovcloudAcctID)
	assert.Equal(t, linkageFixtureTime, dumped[0].CreatedAt)
	assert.Equal(t, "2026-03-01T11:30:00Z", dumped[0].UpdatedAt)
}

func TestCreateGovcloudLinkageRules(t *testing.T) {
	const gov, com = "govcloud_acct_id", "commercial_acct_id"
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		// Rule 1: both accounts are the customer's.
		{"rule 1: unknown GovCloud id", linkageBody(99, 2), []string{errNotCustomerAccount(gov, 99)}},
		{"rule 1: unknown commercial id", linkageBody(1, 99), []string{errNotCustomerAccount(com, 99)}},
		{"rule 1: another customer's commercial account", linkageBody(1, 6), []string{errNotCustomerAccount(com, 6)}},
		{"rule 1: another partner's GovCloud account", linkageBody(7, 2), []string{errNotCustomerAccount(gov, 7)}},
		{"rule 1: another partner's commercial account", linkageBody(1, 8), []string{errNotCustomerAccount(com, 8)}},
		{"rule 1: the partner's own AWS account", linkageBody(1, 101), []string{errNotCustomerAccount(com, 101)}},
		{"rule 1: zero id", linkageBody(0, 2), []string{errNotCustomerAccount(gov, 0)}},
		{"rule 1: AWS owner ids instead of CloudHealth ids", linkageBody(100000000001, 100000000002),
			[]string{errNotCustomerAccount(gov, 100000000001), errNotCustomerAccount(com, 100000000002)}},
		// Rule 2: neither account is in a linkage.
		{"rule 2: GovCloud account already linked", linkageBody(3, 2), []string{errInLinkage(gov, 3, 1)}},
		{"rule 2: commercial account already linked", linkageBody(1, 4), []string{errInLinkage(com, 4, 1)}},
		// Rule 3: the GovCloud side is a GovCloud account.
		{"rule 3: a commercial account on both sides", linkageBody(2, 2), []string{errNotGovcloud(2)}},
		// Rule 4: the commercial side is not a GovCloud account.
		{"rule 4: two GovCloud accounts", linkageBody(1, 5), []string{errIsGovcloud(5)}},
		{"rule 4: a GovCloud account on both sides", linkageBody(1, 1), []string{errIsGovcloud(1)}},
		// Several at once: every failure, in rule order.
		{"rules 3 and 4: ids swapped as linkage-post-data-format.md step 4 says", linkageBody(2, 1), []string{errNotGovcloud(2), errIsGovcloud(1)}},
		{"rules 2, 3 and 4: the linked pair swapped", linkageBody(4, 3),
			[]string{errInLinkage(gov, 4, 1), errInLinkage(com, 3, 1), errNotGovcloud(4), errIsGovcloud(3)}},
		{"rules 1, 2 and 4", linkageBody(7, 3), []string{errNotCustomerAccount(gov, 7), errInLinkage(com, 3, 1), errIsGovcloud(3)}},
		{"rule 1 twice: another partner's pair", linkageBody(7, 8), []string{errNotCustomerAccount(gov, 7), errNotCustomerAccount(com, 8)}},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.post(linkagesOf(1), tc.body)
				require.Equal(t, tc.want, requireJSONErrors(t, r))
				requireErrorShape(t, r, http.StatusUnprocessableEntity)
			})
		})
	}
}

func TestUpdateGovcloudLinkageRules(t *testing.T) {
	const gov, com = "govcloud_acct_id", "commercial_acct_id"
	ts := newTestServer(t, Options{})
	// Linkage 2 joins 1 and 2; linkage 1 joins 3 and 4.
	require.Equal(t, http.StatusOK, ts.post(linkagesOf(1), linkageBody(1, 2)).Status)
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		{"rule 1: another partner's account", linkageBody(7, nil), []string{errNotCustomerAccount(gov, 7)}},
		{"rule 1: another customer's account", linkageBody(nil, 6), []string{errNotCustomerAccount(com, 6)}},
		{"rule 2: an account of another linkage", linkageBody(nil, 2), []string{errInLinkage(com, 2, 2)}},
		{"rule 3: a commercial account on the GovCloud side", linkageBody(4, nil), []string{errNotGovcloud(4)}},
		{"rule 4: a GovCloud account on the commercial side", linkageBody(nil, 5), []string{errIsGovcloud(5)}},
		{"rules 3 and 4, not rule 2: its own accounts swapped", linkageBody(4, 3), []string{errNotGovcloud(4), errIsGovcloud(3)}},
		{"rules 1, 2 and 3", linkageBody(2, 8), []string{errNotCustomerAccount(com, 8), errInLinkage(gov, 2, 2), errNotGovcloud(2)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.put(linkageOf(1, 1), tc.body)
				require.Equal(t, tc.want, requireJSONErrors(t, r))
				requireErrorShape(t, r, http.StatusUnprocessableEntity)
			})
		})
	}
	// Keeping one of its own accounts is allowed: the linkage ignores itself.
	for _, body := range []map[string]any{linkageBody(3, nil), linkageBody(nil, 4), linkageBody(3, 4), linkageBody(5, 4)} {
		r := ts.put(linkageOf(1, 1), body)
		require.Equal(t, http.StatusOK, r.Status, "%v: %s", body, r.Body)
	}
	assert.Equal(t, int64(5), decodeLinkage(t, ts.get(linkageOf(1, 1)).Body).GovcloudAcct)
}

func TestUpdateGovcloudLinkageWithNothingChangesNothing(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, body := range []string{`{}`, `{"id": 9, "customer_id": 2, "created_at": "2020-01-01T00:00:00Z"}`} {
		ts.unchanged(func() {
			r := ts.put(linkageOf(1, 1), body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			assert.Equal(t, linkageOne, decodeLinkage(t, r.Body))
		})
	}
}

func TestCreateGovcloudLinkageIgnoresUnknownAndReadOnlyFields(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.post(linkagesOf(1), `{"id": 99, "customer_id": 5, "govcloud_acct": 5, "govcloud_acct_id": 1, "commercial_acct_id": 2,
		"created_at": "0001-01-01T00:00:00Z", "client_api_id": 5}`)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	got := decodeLinkage(t, r.Body)
	assert.Equal(t, linkageJSON{ID: 2, CustomerID: 1, GovcloudAcct: 1, CommercialAcct: 2,
		CreatedAt: "2026-01-02T03:04:05Z", UpdatedAt: "2026-01-02T03:04:05Z"}, got)
}

// Nothing of one customer is visible through another's client_api_id, and
// nothing of one partner through another partner's key.
func TestGovcloudLinkageIsolation(t *testing.T) {
	ts := newTestServer(t, Options{})
	other := func(method, path string, body any) response {
		return ts.do(request{Method: method, Path: path, Key: otherKey, Body: body})
	}
	ts.unchanged(func() {
		// Another customer of the same partner.
		requireErrorShape(t, ts.get(linkageOf(1, 2)), http.StatusNotFound)
		requireErrorShape(t, ts.put(linkageOf(1, 2), linkageBody(5, nil)), http.StatusNotFound)
		assert.Empty(t, linkageList(t, ts.get(linkagesOf(2))))
		assert.Empty(t, linkageList(t, ts.get(linkagesOf(3))))
		// Another partner's key with this partner's client_api_id: 404, as unknown.
		requireErrorShape(t, other(http.MethodGet, linkagesOf(1), nil), http.StatusNotFound)
		requireErrorShape(t, other(http.MethodGet, linkageOf(1, 1), nil), http.StatusNotFound)
		requireErrorShape(t, other(http.MethodPost, linkagesOf(1), linkageBody(1, 2)), http.StatusNotFound)
		requireErrorShape(t, other(http.MethodPut, linkageOf(1, 1), linkageBody(5, nil)), http.StatusNotFound)
		// This partner's linkage through the other partner's own customer.
		requireErrorShape(t, other(http.MethodGet, linkageOf(1, 5), nil), http.StatusNotFound)
		requireErrorShape(t, other(http.MethodPut, linkageOf(1, 5), linkageBody(7, 8)), http.StatusNotFound)
		// This partner naming the other partner's customer.
		requireErrorShape(t, ts.get(linkagesOf(5)), http.StatusNotFound)
		requireErrorShape(t, ts.post(linkagesOf(5), linkageBody(7, 8)), http.StatusNotFound)
		// The other partner's account ids are a rule failure, not a leak.
		assert.Equal(t, []string{errNotCustomerAccount("govcloud_acct_id", 7), errNotCustomerAccount("commercial_acct_id", 8)},
			requireJSONErrors(t, ts.post(linkagesOf(1), linkageBody(7, 8))))
		assert.Empty(t, linkageList(t, other(http.MethodGet, linkagesOf(5), nil)))
	})
	// The other partner links its own accounts; ids are counted across partners.
	r := other(http.MethodPost, linkagesOf(5), linkageBody(7, 8))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	theirs := decodeLinkage(t, r.Body)
	assert.Equal(t, linkageJSON{ID: 2, CustomerID: 5, GovcloudAcct: 7, CommercialAcct: 8,
		CreatedAt: "2026-01-02T03:04:05Z", UpdatedAt: "2026-01-02T03:04:05Z"}, theirs)
	assert.Equal(t, []linkageJSON{theirs}, linkageList(t, other(http.MethodGet, linkagesOf(5), nil)))
	assert.Equal(t, []linkageJSON{linkageOne}, linkageList(t, ts.get(linkagesOf(1))))
	ts.unchanged(func() {
		requireErrorShape(t, ts.get(linkageOf(2, 1)), http.StatusNotFound)
		requireErrorShape(t, ts.put(linkageOf(2, 1), linkageBody(1, 2)), http.StatusNotFound)
	})
}

func TestGovcloudBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	valid := `{"govcloud_acct_id": 1, "commercial_acct_id": 2}`
	rows := []govBadRow{
		{name: "missing client_api_id", query: "", body: valid, status: 422},
		{name: "empty client_api_id", query: "client_api_id=", body: valid, status: 422},
		{name: "non-integer client_api_id", query: "client_api_id=abc", body: valid, status: 422},
		{name: "fractional client_api_id", query: "client_api_id=1.5", body: valid, status: 422},
		{name: "unknown client_api_id", query: "client_api_id=99999", body: valid, status: 404},
		{name: "negative client_api_id", query: "client_api_id=-1", body: valid, status: 404},
		{name: "unknown client_api_id with a bad body", query: "client_api_id=99999", body: `{`, status: 404},
		{name: "unknown client_api_id with a form body", query: "client_api_id=99999", body: "govcloud_acct_id=1",
			contentType: "application/x-www-form-urlencoded", status: 404},
		{name: "no body, no Content-Type", query: "client_api_id=1", status: 422},
		{name: "no body", query: "client_api_id=1", contentType: "application/json", status: 422},
		{name: "wrong Content-Type", query: "client_api_id=1", body: valid, contentType: "text/plain", status: 422},
		{name: "form-encoded body", query: "client_api_id=1", body: "govcloud_acct_id=1&commercial_acct_id=2",
			contentType: "application/x-www-form-urlencoded", status: 422},
		{name: "malformed JSON", query: "client_api_id=1", body: `{"govcloud_acct_id": 1,`, status: 422},
		{name: "the seed's body as printed, unquoted", query: "client_api_id=1", body: `govcloud_acct_id: 1`, status: 422},
		{name: "trailing data", query: "client_api_id=1", body: valid + ` {}`, status: 422},
		{name: "strings for ids", query: "client_api_id=1", body: `{"govcloud_acct_id": "1", "commercial_acct_id": "2"}`, status: 422},
		{name: "a string for one id", query: "client_api_id=1", body: `{"govcloud_acct_id": 1, "commercial_acct_id": "2"}`, status: 422},
		{name: "nulls", query: "client_api_id=1", body: `{"govcloud_acct_id": null, "commercial_acct_id": null}`, status: 422},
		{name: "a null", query: "client_api_id=1", body: `{"govcloud_acct_id": 5, "commercial_acct_id": null}`, status: 422},
		{name: "a fraction", query: "client_api_id=1", body: `{"govcloud_acct_id": 1.5, "commercial_acct_id": 2}`, status: 422},
		{name: "an id beyond int64", query: "client_api_id=1", body: `{"govcloud_acct_id": 1e30, "commercial_acct_id": 2}`, status: 422},
		{name: "an object for an id", query: "client_api_id=1", body: `{"govcloud_acct_id": {"id": 1}, "commercial_acct_id": 2}`, status: 422},
		{name: "null body", query: "client_api_id=1", body: `null`, status: 422},
		{name: "a bare array", query: "client_api_id=1", body: `[1, 2]`, status: 422},
		{name: "body over 1 MiB", query: "client_api_id=1", body: `{"x": "` + strings.Repeat("a", 1<<20) + `"}`, status: 413},
		{name: "no credentials", query: "client_api_id=1", body: valid, key: "-", status: 401},
		{name: "unknown key", query: "client_api_id=1", body: valid, key: "nobody", status: 403},
		{name: "no credentials and no client_api_id", query: "", body: `{`, key: "-", status: 401},
	}
	send := func(method, path string, row govBadRow) response {
		key := row.key
		switch key {
		case "":
			key = demoKey
		case "-":
			key = ""
		}
		return ts.do(request{Method: method, Path: path + "?" + row.query, Key: key, Body: row.body, ContentType: row.contentType})
	}
	for _, target := range []struct{ method, path string }{{http.MethodPost, linkagesPath}, {http.MethodPut, linkagesPath + "/1"}} {
		for _, row := range rows {
			t.Run(target.method+"/"+row.name, func(t *testing.T) {
				var r response
				ts.unchanged(func() { r = send(target.method, target.path, row) })
				requireErrorShape(t, r, row.status)
			})
		}
	}
	// Missing fields are a create's problem only: an update takes a subset.
	for _, body := range []string{`{}`, `{"govcloud_acct_id": 1}`, `{"commercial_acct_id": 2}`} {
		t.Run("POST/missing fields "+body, func(t *testing.T) {
			ts.unchanged(func() {
				r := ts.post(linkagesOf(1), body)
				requireErrorShape(t, r, http.StatusUnprocessableEntity)
				for _, msg := range r.Errors() {
					assert.Contains(t, msg, "is required")
				}
			})
		})
	}
	// The reads check the same parameters, and credentials first.
	reads := []govBadRow{
		{name: "missing client_api_id", status: 422},
		{name: "empty client_api_id", query: "client_api_id=", status: 422},
		{name: "non-integer client_api_id", query: "client_api_id=abc", status: 422},
		{name: "unknown client_api_id", query: "client_api_id=99999", status: 404},
		{name: "no credentials", query: "client_api_id=abc", key: "-", status: 401},
		{name: "unknown key", query: "client_api_id=abc", key: "nobody", status: 403},
	}
	for _, path := range []string{linkagesPath, linkagesPath + "/1"} {
		for _, row := range reads {
			t.Run("GET "+path+"/"+row.name, func(t *testing.T) {
				requireErrorShape(t, send(http.MethodGet, path, row), row.status)
			})
		}
	}
}

// govBadRow is a request of TestGovcloudBadInput and what it must answer.
type govBadRow struct {
	name        string
	query       string // the query string after "?"
	body        any
	contentType string
	key         string // "" sends demoKey, "-" sends none
	status      int
}

func TestGovcloudLinkageRoutes(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.unchanged(func() {
		cases := []struct {
			name   string
			req    request
			status int
		}{
			{"DELETE is not served", request{Method: http.MethodDelete, Path: linkageOf(1, 1), Key: demoKey}, 404},
			{"DELETE of the collection", request{Method: http.MethodDelete, Path: linkagesOf(1), Key: demoKey}, 404},
			{"PATCH", request{Method: http.MethodPatch, Path: linkageOf(1, 1), Key: demoKey, Body: `{}`}, 404},
			{"POST on one linkage", request{Method: http.MethodPost, Path: linkageOf(1, 1), Key: demoKey, Body: `{}`}, 404},
			{"PUT on the collection", request{Method: http.MethodPut, Path: linkagesOf(1), Key: demoKey, Body: `{}`}, 404},
			{"unknown linkage", request{Method: http.MethodGet, Path: linkageOf(999, 1), Key: demoKey}, 404},
			{"unknown linkage, PUT with a bad body", request{Method: http.MethodPut, Path: linkageOf(999, 1), Key: demoKey, Body: `{`}, 404},
			{"non-integer linkage id", request{Method: http.MethodGet, Path: linkagesPath + "/abc?client_api_id=1", Key: demoKey}, 404},
			{"without /api", request{Method: http.MethodGet, Path: "/v1/govcloud_linkages?client_api_id=1", Key: demoKey}, 404},
			{"dot segments", request{Method: http.MethodGet, Path: "/api/v1/x/../govcloud_linkages?client_api_id=1", Key: demoKey}, 404},
			{"URI over 4000 characters", request{Method: http.MethodGet, Path: linkagesOf(1) + "&x=" + strings.Repeat("a", 4000), Key: demoKey}, 414},
			{"DELETE without credentials", request{Method: http.MethodDelete, Path: linkageOf(1, 1)}, 401},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				requireErrorShape(t, ts.do(tc.req), tc.status)
			})
		}
	})
	assert.Equal(t, []linkageJSON{linkageOne}, linkageList(t, ts.get(linkagesOf(1))), "DELETE removed nothing")
}

// One public client builds //api/v1/govcloud_linkages: it is served as the
// single-slash path, a POST included (never redirected into a GET).
func TestGovcloudLinkageRepeatedSlashes(t *testing.T) {
	ts := newTestServer(t, Options{})
	single := ts.get(linkagesOf(1))
	for _, p := range []string{"//api/v1/govcloud_linkages", "/api//v1/govcloud_linkages/", "///api/v1///govcloud_linkages"} {
		r := sendRaw(t, withKey(newRawRequest(t, ts, http.MethodGet, p+"?client_api_id=1", nil)))
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", p, r.Body)
		require.Equal(t, single.Body, r.Body, p)
	}
	post := newRawRequest(t, ts, http.MethodPost, "//api/v1/govcloud_linkages?client_api_id=1", strings.NewReader(`{"govcloud_acct_id": 1, "commercial_acct_id": 2}`))
	post.Header.Set("Content-Type", "application/json")
	created := sendRaw(t, withKey(post))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	assert.Equal(t, int64(2), decodeLinkage(t, created.Body).ID)

	put := newRawRequest(t, ts, http.MethodPut, "//api/v1//govcloud_linkages//2?client_api_id=1", strings.NewReader(`{"govcloud_acct_id": 5}`))
	put.Header.Set("Content-Type", "application/json")
	updated := sendRaw(t, withKey(put))
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	assert.Equal(t, int64(5), decodeLinkage(t, updated.Body).GovcloudAcct)

	ts.unchanged(func() {
		requireErrorShape(t, sendRaw(t, withKey(newRawRequest(t, ts, http.MethodDelete, "//api/v1/govcloud_linkages/2?client_api_id=1", nil))), http.StatusNotFound)
	})
}

// Many clients race to link the same free commercial account: exactly one
// wins, every other one is told which linkage took it, and the state holds
// one new linkage.
func TestConcurrentGovcloudLinkagesOfOneAccount(t *testing.T) {
	ts := newTestServer(t, Options{})
	const workers = 16
	var wg sync.WaitGroup
	statuses := make([]int, workers)
	bodies := make([]response, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gov := []int{1, 5}[i%2]
			bodies[i] = ts.post(linkagesOf(1), linkageBody(gov, 2))
			statuses[i] = bodies[i].Status
		}()
	}
	wg.Wait()
	var winners []linkageJSON
	for i, r := range bodies {
		switch statuses[i] {
		case http.StatusOK:
			winners = append(winners, decodeLinkage(t, r.Body))
		case http.StatusUnprocessableEntity:
			assert.Contains(t, r.Errors(), errInLinkage("commercial_acct_id", 2, 2), "body: %s", r.Body)
		default:
			t.Errorf("status %d: %s", statuses[i], r.Body)
		}
	}
	require.Len(t, winners, 1)
	assert.Equal(t, int64(2), winners[0].ID)
	assert.Equal(t, []linkageJSON{linkageOne, winners[0]}, linkageList(t, ts.get(linkagesOf(1))))
}

// Seed 002's example, run verbatim against the default fixtures (host
// swapped, placeholders filled): it must answer what the document shows, ids
// aside.
//
// Seed 002 (and post-govcloud-account-linkage.md): curl -H 'Authorization:
// Bearer <your_api_key>' -H 'Content-Type: application/json' -XPOST
// '.../api/v1/govcloud_linkages?client_api_id=<customer_api_id>' -d '{...}'.
// Then the guide's list and read examples with the same headers.
func TestSeedCreateGovcloudLinkage(t *testing.T) {
	ts := newTestServer(t, Options{})
	headers := http.Header{"Content-Type": {"application/json"}}
	created := ts.do(request{Method: http.MethodPost, Path: "/api/v1/govcloud_linkages?client_api_id=1", Key: demoKey, Header: headers,
		Body: `{
        "govcloud_acct_id": 1,
        "commercial_acct_id": 2
      }`})
	body, id := createdWithoutID(t, created)
	require.Equal(t, map[string]any{"customer_id": 1.0, "govcloud_acct": 1.0, "commercial_acct": 2.0,
		"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"}, body)
	body["id"] = id

	list := ts.do(request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages?client_api_id=1", Key: demoKey, Header: headers})
	require.Equal(t, http.StatusOK, list.Status, "body: %s", list.Body)
	items, ok := list.JSON().([]any)
	require.True(t, ok, "the list is a top-level array: %s", list.Body)
	require.Contains(t, items, any(body))

	idStr := strconv.Itoa(int(id.(float64)))
	read := ts.do(request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages/" + idStr + "?client_api_id=1", Key: demoKey, Header: headers})
	require.Equal(t, http.StatusOK, read.Status, "body: %s", read.Body)
	require.Equal(t, body, read.Object())
}
