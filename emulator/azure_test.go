package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// Paths of the Azure assignment endpoints.
const (
	azureAdd    = "/v1/azure_partner_customer_accounts/add/"
	azureRemove = "/v1/azure_partner_customer_accounts/remove/"
	azureList   = "/v1/azure_partner_customer_accounts/list"
)

// azureItem is one item of an add, remove or list response, success or failure.
type azureItem struct {
	CustomerTenantName *string           `json:"customer_tenant_name"`
	Account            *azureAccountJSON `json:"azure_partner_customer_account"`
	HTTPStatus         int               `json:"http_status"`
	Error              string            `json:"error"`
	AzureCustomerID    string            `json:"azure_customer_id"`
}

// id is the azure_customer_id the item is about.
func (it azureItem) id() string {
	if it.Account != nil {
		return it.Account.AzureCustomerID
	}
	return it.AzureCustomerID
}

// azureItems decodes the items of a response, refusing any other field.
func azureItems(t testing.TB, r response) []azureItem {
	t.Helper()
	var body struct {
		Items []azureItem `json:"azure_partner_customer_accounts"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&body), "body: %s", r.Body)
	require.NotNil(t, body.Items, "body: %s", r.Body)
	return body.Items
}

// azureIDs returns the azure_customer_ids a list answers, in its order, and
// checks that each item names the customer it is listed under when tenant is
// set.
func azureIDs(t testing.TB, r response, tenant string) []string {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	ids := []string{}
	for _, it := range azureItems(t, r) {
		require.NotNil(t, it.CustomerTenantName, "a list item without customer_tenant_name")
		require.NotNil(t, it.Account)
		if tenant != "" {
			assert.Equal(t, tenant, *it.CustomerTenantName)
		}
		ids = append(ids, it.id())
	}
	return ids
}

// defaults is what the tests expect of the default fixtures, read from the
// document itself: partner 1's Azure accounts (in order) and customer names.
type defaults struct {
	accounts map[string]azureAccountJSON
	order    []string
	names    map[int64]string
}

func loadDefaults(t testing.TB) defaults {
	t.Helper()
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	d := defaults{accounts: map[string]azureAccountJSON{}, names: map[int64]string{}}
	p := doc.Partners[0]
	for _, a := range p.AzurePartnerCustomerAccounts {
		d.accounts[a.AzureCustomerID] = azureAccountJSON{Name: a.Name, Domain: a.Domain, AzureCustomerID: a.AzureCustomerID,
			CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
		d.order = append(d.order, a.AzureCustomerID)
	}
	for _, c := range p.Customers {
		clientAPIID := c.ClientAPIID
		if clientAPIID == 0 {
			clientAPIID = c.ID // the default fixtures omit it: it is the id
		}
		d.names[clientAPIID] = c.Name
	}
	return d
}

// assigned is an add's success item for the account id and customer.
func (d defaults) assigned(clientAPIID int64, id string) any {
	return azureAssignmentJSON{CustomerTenantName: d.names[clientAPIID], Account: d.accounts[id]}
}

// removed is a remove's success item.
func (d defaults) removed(id string) any { return azureRemovalJSON{Account: d.accounts[id]} }

// failed is a failure item.
func failed(msg, id string) any {
	return azureFailureJSON{HTTPStatus: 422, Error: msg, AzureCustomerID: id}
}

func itemsJSON(t testing.TB, items ...any) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"azure_partner_customer_accounts": items})
	require.NoError(t, err)
	return string(data)
}

// initialAzure is partner 1's Azure assignments in the default fixtures, by
// client_api_id.
func initialAzure() map[int64][]string {
	return map[int64][]string{1: {}, 2: {"rtq683"}, 3: {}, 4: {"dfg234", "xof194"}}
}

// requireAzureState checks both lists against want (client_api_id -> ids in
// the partner's order): each customer's list, and the partner's list, which
// must hold exactly the same accounts, in the partner's order, each with its
// customer's name.
func requireAzureState(t testing.TB, ts *testServer, d defaults, want map[int64][]string) {
	t.Helper()
	owner := map[string]int64{}
	for clientAPIID, ids := range want {
		got := azureIDs(t, ts.get(fmt.Sprintf("%s/%d", azureList, clientAPIID)), d.names[clientAPIID])
		require.Equal(t, ids, got, "list of %d", clientAPIID)
		for _, id := range ids {
			owner[id] = clientAPIID
		}
	}
	var wantAll []any
	for _, id := range d.order {
		if c, ok := owner[id]; ok {
			wantAll = append(wantAll, d.assigned(c, id))
		}
	}
	if wantAll == nil {
		wantAll = []any{}
	}
	all := ts.get(azureList)
	require.Equal(t, http.StatusOK, all.Status)
	require.JSONEq(t, itemsJSON(t, wantAll...), string(all.Body))
}

// Seed 001, verbatim (host swapped, <client_api_id> = 1): ab123 would
// succeed and fgh345 fails, so nothing is assigned.
func TestSeed001AzureAdd(t *testing.T) {
	ts := newTestServer(t, Options{})
	var r response
	ts.unchanged(func() {
		r = ts.do(request{Method: http.MethodPut, Path: "/v1/azure_partner_customer_accounts/add/1", Key: demoKey,
			ContentType: "application/json", Body: `{
      "azure_customer_ids": ["ab123", "fgh345"]
    }`})
	})
	require.Equal(t, http.StatusMultiStatus, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Header.Get("Content-Type"), "application/json")
	require.JSONEq(t, `{"azure_partner_customer_accounts": [
		{"customer_tenant_name": "Azure Two",
		 "azure_partner_customer_account": {"name": "Indigo Montoya Inc", "domain": "chazureteam.onmicrosoft.com",
		   "azure_customer_id": "ab123", "created_at": "2018-12-27T17:36:36Z", "updated_at": "2019-04-26T20:49:59Z"}},
		{"http_status": 422, "error": "azure_customer_id not found", "azure_customer_id": "fgh345"}]}`, string(r.Body))

	assert.Empty(t, azureIDs(t, ts.get(azureList+"/1"), "Azure Two"), "ab123 must not be assigned")
	assert.NotContains(t, azureIDs(t, ts.get(azureList), ""), "ab123", "ab123 must not be assigned")
}

// Every item outcome of add and remove, with what the lists show afterwards.
func TestAzureAddAndRemoveOutcomes(t *testing.T) {
	d := loadDefaults(t)
	rows := []struct {
		name   string
		path   string
		client int64
		ids    []string
		want   func() []any
		// changes is nil when the request must leave the state byte for byte
		// as it was; otherwise the lists that differ from the fixtures.
		changes map[int64][]string
	}{
		{name: "add: an unassigned account", path: azureAdd, client: 1, ids: []string{"ab123"},
			want:    func() []any { return []any{d.assigned(1, "ab123")} },
			changes: map[int64][]string{1: {"ab123"}}},
		{name: "add: to a customer with partner billing off", path: azureAdd, client: 3, ids: []string{"kln456"},
			want:    func() []any { return []any{d.assigned(3, "kln456")} },
			changes: map[int64][]string{3: {"kln456"}}},
		{name: "add: several, listed in the partner's order", path: azureAdd, client: 1, ids: []string{"kln456", "ab123"},
			want:    func() []any { return []any{d.assigned(1, "kln456"), d.assigned(1, "ab123")} },
			changes: map[int64][]string{1: {"ab123", "kln456"}}},
		{name: "add: re-adding an account of this customer is idempotent", path: azureAdd, client: 4, ids: []string{"xof194", "dfg234"},
			want: func() []any { return []any{d.assigned(4, "xof194"), d.assigned(4, "dfg234")} }},
		{name: "add: assigned to another customer", path: azureAdd, client: 1, ids: []string{"rtq683"},
			want: func() []any { return []any{failed(rules.AzureAssignedElsewhere, "rtq683")} }},
		{name: "add: not found", path: azureAdd, client: 1, ids: []string{"fgh345"},
			want: func() []any { return []any{failed(rules.AzureNotFound, "fgh345")} }},
		{name: "add: another partner's account is not found", path: azureAdd, client: 1, ids: []string{"oth001"},
			want: func() []any { return []any{failed(rules.AzureNotFound, "oth001")} }},
		{name: "add: ids are case-sensitive", path: azureAdd, client: 1, ids: []string{"AB123"},
			want: func() []any { return []any{failed(rules.AzureNotFound, "AB123")} }},
		{name: "add: ids are not trimmed", path: azureAdd, client: 1, ids: []string{" ab123", "  "},
			want: func() []any { return []any{failed(rules.AzureNotFound, " ab123"), failed(rules.AzureNotFound, "  ")} }},
		{name: "add: mixed, nothing is assigned", path: azureAdd, client: 1, ids: []string{"ab123", "rtq683", "kln456", "nope"},
			want: func() []any {
				return []any{d.assigned(1, "ab123"), failed(rules.AzureAssignedElsewhere, "rtq683"),
					d.assigned(1, "kln456"), failed(rules.AzureNotFound, "nope")}
			}},
		{name: "add: duplicates each get an item", path: azureAdd, client: 1, ids: []string{"ab123", "ab123"},
			want:    func() []any { return []any{d.assigned(1, "ab123"), d.assigned(1, "ab123")} },
			changes: map[int64][]string{1: {"ab123"}}},
		{name: "add: duplicate failures each get an item", path: azureAdd, client: 1, ids: []string{"fgh345", "ab123", "fgh345"},
			want: func() []any {
				return []any{failed(rules.AzureNotFound, "fgh345"), d.assigned(1, "ab123"), failed(rules.AzureNotFound, "fgh345")}
			}},
		{name: "remove: an account of this customer", path: azureRemove, client: 4, ids: []string{"dfg234"},
			want:    func() []any { return []any{d.removed("dfg234")} },
			changes: map[int64][]string{4: {"xof194"}}},
		{name: "remove: every account of this customer", path: azureRemove, client: 4, ids: []string{"xof194", "dfg234"},
			want:    func() []any { return []any{d.removed("xof194"), d.removed("dfg234")} },
			changes: map[int64][]string{4: {}}},
		{name: "remove: another customer's account", path: azureRemove, client: 1, ids: []string{"rtq683"},
			want: func() []any { return []any{failed(rules.AzureNotAssignedHere, "rtq683")} }},
		{name: "remove: an unassigned account", path: azureRemove, client: 1, ids: []string{"ab123"},
			want: func() []any { return []any{failed(rules.AzureNotAssignedHere, "ab123")} }},
		{name: "remove: not found", path: azureRemove, client: 4, ids: []string{"fgh345"},
			want: func() []any { return []any{failed(rules.AzureNotFound, "fgh345")} }},
		{name: "remove: another partner's account is not found", path: azureRemove, client: 4, ids: []string{"oth001"},
			want: func() []any { return []any{failed(rules.AzureNotFound, "oth001")} }},
		{name: "remove: mixed, nothing is removed", path: azureRemove, client: 4, ids: []string{"dfg234", "rtq683", "xof194"},
			want: func() []any {
				return []any{d.removed("dfg234"), failed(rules.AzureNotAssignedHere, "rtq683"), d.removed("xof194")}
			}},
		{name: "remove: duplicates each get an item", path: azureRemove, client: 4, ids: []string{"xof194", "xof194"},
			want:    func() []any { return []any{d.removed("xof194"), d.removed("xof194")} },
			changes: map[int64][]string{4: {"dfg234"}}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			send := func() response {
				return ts.put(fmt.Sprintf("%s%d", row.path, row.client), map[string]any{"azure_customer_ids": row.ids})
			}
			var r response
			if row.changes == nil {
				ts.unchanged(func() { r = send() })
			} else {
				r = send()
			}
			require.Equal(t, http.StatusMultiStatus, r.Status, "body: %s", r.Body)
			require.JSONEq(t, itemsJSON(t, row.want()...), string(r.Body))
			want := initialAzure()
			for c, ids := range row.changes {
				want[c] = ids
			}
			requireAzureState(t, ts, d, want)
		})
	}
}

// Accounts move between customers through remove and add; their timestamps
// never change (the test clock is in 2026).
func TestAzureRemoveThenAddElsewhere(t *testing.T) {
	d := loadDefaults(t)
	ts := newTestServer(t, Options{})

	r := ts.put(azureAdd+"1", map[string]any{"azure_customer_ids": []string{"dfg234"}})
	require.JSONEq(t, itemsJSON(t, failed(rules.AzureAssignedElsewhere, "dfg234")), string(r.Body))

	r = ts.put(azureRemove+"4", map[string]any{"azure_customer_ids": []string{"dfg234"}})
	require.Equal(t, http.StatusMultiStatus, r.Status)
	require.JSONEq(t, itemsJSON(t, d.removed("dfg234")), string(r.Body))
	want := initialAzure()
	want[4] = []string{"xof194"}
	requireAzureState(t, ts, d, want)

	// Removing it again: no longer assigned here.
	r = ts.put(azureRemove+"4", map[string]any{"azure_customer_ids": []string{"dfg234"}})
	require.JSONEq(t, itemsJSON(t, failed(rules.AzureNotAssignedHere, "dfg234")), string(r.Body))

	r = ts.put(azureAdd+"1", map[string]any{"azure_customer_ids": []string{"dfg234", "ab123"}})
	require.Equal(t, http.StatusMultiStatus, r.Status)
	require.JSONEq(t, itemsJSON(t, d.assigned(1, "dfg234"), d.assigned(1, "ab123")), string(r.Body))
	want[1] = []string{"ab123", "dfg234"}
	requireAzureState(t, ts, d, want)

	// Now arriva cannot take it back, and Azure Two can re-add it.
	r = ts.put(azureAdd+"4", map[string]any{"azure_customer_ids": []string{"dfg234"}})
	require.JSONEq(t, itemsJSON(t, failed(rules.AzureAssignedElsewhere, "dfg234")), string(r.Body))
	ts.unchanged(func() {
		r = ts.put(azureAdd+"1", map[string]any{"azure_customer_ids": []string{"ab123", "dfg234"}})
	})
	require.JSONEq(t, itemsJSON(t, d.assigned(1, "ab123"), d.assigned(1, "dfg234")), string(r.Body))

	// Through the state dump too: the accounts' timestamps are the fixtures'.
	var doc fixture.Document
	require.NoError(t, json.Unmarshal([]byte(ts.stateDump()), &doc))
	for _, a := range doc.Partners[0].AzurePartnerCustomerAccounts {
		assert.Equal(t, d.accounts[a.AzureCustomerID].CreatedAt, a.CreatedAt, a.AzureCustomerID)
		assert.Equal(t, d.accounts[a.AzureCustomerID].UpdatedAt, a.UpdatedAt, a.AzureCustomerID)
	}
}

func TestAzureLists(t *testing.T) {
	d := loadDefaults(t)
	ts := newTestServer(t, Options{})

	// The guide's "Get All" example, as the default fixtures hold it.
	all := ts.get(azureList)
	require.Equal(t, http.StatusOK, all.Status)
	require.Contains(t, all.Header.Get("Content-Type"), "application/json")
	require.JSONEq(t, itemsJSON(t, d.assigned(4, "dfg234"), d.assigned(4, "xof194"), d.assigned(2, "rtq683")),
		string(all.Body))
	requireAzureState(t, ts, d, initialAzure())

	// An empty list is an empty array, not null.
	require.JSONEq(t, `{"azure_partner_customer_accounts": []}`, string(ts.get(azureList+"/1").Body))

	// The api_key query parameter and a trailing slash work as everywhere.
	r := ts.do(request{Method: http.MethodGet, Path: azureList + "/4/?api_key=" + demoKey})
	assert.Equal(t, []string{"dfg234", "xof194"}, azureIDs(t, r, "arriva"))

	// The other partner sees only its own.
	r = ts.do(request{Method: http.MethodGet, Path: azureList, Key: otherKey})
	assert.Equal(t, []string{"oth001"}, azureIDs(t, r, "Other Customer"))
	r = ts.do(request{Method: http.MethodGet, Path: azureList + "/5", Key: otherKey})
	assert.Equal(t, []string{"oth001"}, azureIDs(t, r, "Other Customer"))

	for _, row := range []struct {
		name, method, path, key string
		status                  int
	}{
		{name: "another partner's client_api_id", path: azureList + "/5", key: demoKey, status: http.StatusNotFound},
		{name: "the first partner's client_api_id with the other key", path: azureList + "/4", key: otherKey, status: http.StatusNotFound},
		{name: "unknown client_api_id", path: azureList + "/99999", key: demoKey, status: http.StatusNotFound},
		{name: "zero", path: azureList + "/0", key: demoKey, status: http.StatusNotFound},
		{name: "non-numeric client_api_id", path: azureList + "/abc", key: demoKey, status: http.StatusNotFound},
		{name: "negative client_api_id", path: azureList + "/-4", key: demoKey, status: http.StatusNotFound},
		{name: "client_api_id beyond int64", path: azureList + "/99999999999999999999", key: demoKey, status: http.StatusNotFound},
		{name: "no credentials", path: azureList, status: http.StatusUnauthorized},
		{name: "unknown key", path: azureList, key: "nobody", status: http.StatusForbidden},
		{name: "POST is not served", method: http.MethodPost, path: azureList, key: demoKey, status: http.StatusNotFound},
	} {
		t.Run(row.name, func(t *testing.T) {
			method := row.method
			if method == "" {
				method = http.MethodGet
			}
			requireJSONError(t, ts.do(request{Method: method, Path: row.path, Key: row.key}), row.status)
		})
	}
}

// Nothing of one partner is visible to, or changeable by, the other.
func TestAzureCrossPartnerIsolation(t *testing.T) {
	ts := newTestServer(t, Options{})
	ids := map[string]any{"azure_customer_ids": []string{"oth001"}}
	for _, path := range []string{azureAdd, azureRemove} {
		ts.unchanged(func() {
			requireJSONError(t, ts.put(path+"5", ids), http.StatusNotFound)
			requireJSONError(t, ts.do(request{Method: http.MethodPut, Path: path + "4", Key: otherKey,
				Body: map[string]any{"azure_customer_ids": []string{"dfg234"}}}), http.StatusNotFound)
		})
	}
	var r response
	ts.unchanged(func() { r = ts.put(azureAdd+"1", ids) })
	require.JSONEq(t, itemsJSON(t, failed(rules.AzureNotFound, "oth001")), string(r.Body))
	ts.unchanged(func() { r = ts.put(azureRemove+"1", ids) })
	require.JSONEq(t, itemsJSON(t, failed(rules.AzureNotFound, "oth001")), string(r.Body))

	// The other partner's own calls work on its own account; the first
	// partner's ids are unknown to it.
	ts.unchanged(func() {
		r = ts.do(request{Method: http.MethodPut, Path: azureAdd + "5", Key: otherKey,
			Body: map[string]any{"azure_customer_ids": []string{"oth001", "ab123"}}})
	})
	require.Equal(t, http.StatusMultiStatus, r.Status)
	items := azureItems(t, r)
	require.Len(t, items, 2)
	require.NotNil(t, items[0].CustomerTenantName)
	assert.Equal(t, "Other Customer", *items[0].CustomerTenantName)
	assert.Equal(t, azureItem{HTTPStatus: 422, Error: rules.AzureNotFound, AzureCustomerID: "ab123"}, items[1])
}

// Every bad request answers a JSON error, changes nothing, and the 404 of an
// unknown customer comes before any complaint about the body.
func TestAzureBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	valid := `{"azure_customer_ids": ["ab123"]}`
	rows := []struct {
		name        string
		client      string
		body        any
		contentType string
		key         string
		status      int
	}{
		{name: "no body, no Content-Type", client: "1", status: 422},
		{name: "no body", client: "1", contentType: "application/json", status: 422},
		{name: "wrong Content-Type", client: "1", body: valid, contentType: "text/plain", status: 422},
		{name: "form-encoded body", client: "1", body: "azure_customer_ids[]=ab123",
			contentType: "application/x-www-form-urlencoded", status: 422},
		{name: "malformed JSON", client: "1", body: `{"azure_customer_ids": ["ab123"`, status: 422},
		{name: "the documents' example as printed (not JSON)", client: "1", body: `"azure_customer_ids": ["ab123"]`, status: 422},
		{name: "trailing data", client: "1", body: valid + ` {}`, status: 422},
		{name: "empty object", client: "1", body: `{}`, status: 422},
		{name: "empty array", client: "1", body: `{"azure_customer_ids": []}`, status: 422},
		{name: "non-string id", client: "1", body: `{"azure_customer_ids": [123]}`, status: 422},
		{name: "a non-string among strings", client: "1", body: `{"azure_customer_ids": ["ab123", {"id": "kln456"}]}`, status: 422},
		{name: "empty string", client: "1", body: `{"azure_customer_ids": ["ab123", ""]}`, status: 422},
		{name: "null ids", client: "1", body: `{"azure_customer_ids": null}`, status: 422},
		{name: "a null id", client: "1", body: `{"azure_customer_ids": [null]}`, status: 422},
		{name: "null body", client: "1", body: `null`, status: 422},
		{name: "a string instead of an array", client: "1", body: `{"azure_customer_ids": "ab123"}`, status: 422},
		{name: "a bare array", client: "1", body: `["ab123"]`, status: 422},
		{name: "non-numeric client_api_id", client: "abc", body: valid, status: 404},
		{name: "negative client_api_id", client: "-1", body: valid, status: 404},
		{name: "unknown client_api_id", client: "99999", body: valid, status: 404},
		{name: "unknown client_api_id with a bad body", client: "99999", body: `{"azure_customer_ids": []}`, status: 404},
		{name: "unknown client_api_id with a form body", client: "99999", body: "azure_customer_ids[]=ab123",
			contentType: "application/x-www-form-urlencoded", status: 404},
		{name: "missing client_api_id", client: "", body: valid, status: 404},
		{name: "body over 1 MiB", client: "1", body: `{"azure_customer_ids": ["` + strings.Repeat("a", 1<<20) + `"]}`, status: 413},
		{name: "no credentials", client: "1", body: valid, key: "-", status: 401},
		{name: "unknown key", client: "1", body: valid, key: "nobody", status: 403},
	}
	for _, path := range []string{azureAdd, azureRemove} {
		for _, row := range rows {
			t.Run(strings.Trim(path, "/")+"/"+row.name, func(t *testing.T) {
				key := row.key
				switch key {
				case "":
					key = demoKey
				case "-":
					key = ""
				}
				var r response
				ts.unchanged(func() {
					r = ts.do(request{Method: http.MethodPut, Path: path + row.client, Key: key, Body: row.body, ContentType: row.contentType})
				})
				requireJSONError(t, r, row.status)
				assert.Equal(t, []string{"error"}, keysOf(r.Object()), "an Azure error is {\"error\": ...}: %s", r.Body)
			})
		}
	}
	// What is not wrong: a Content-Type with a charset, and unknown fields
	// (ignored, as real clients send them).
	r := ts.do(request{Method: http.MethodPut, Path: azureAdd + "1", Key: demoKey,
		ContentType: "application/json; charset=utf-8", Body: `{"azure_customer_ids": ["ab123"], "id": 7, "client_api_id": 4}`})
	require.Equal(t, http.StatusMultiStatus, r.Status, "body: %s", r.Body)
	assert.Equal(t, []string{"ab123"}, azureIDs(t, ts.get(azureList+"/1"), "Azure Two"))
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Many clients add and remove overlapping accounts for three customers at
// once. Each worker also owns two accounts no one else touches and predicts
// every item about them from the answers it got so far: a request that is
// applied only in part, or an item that reports the wrong outcome, shows up
// as a wrong prediction or a wrong final state. A fifth of the requests
// carry an unknown id, so must change nothing; the guard account is only
// ever removed by such requests, so must stay with its customer. In the
// end no account is assigned to two customers.
func TestAzureConcurrentAddAndRemove(t *testing.T) {
	const workers, perWorker = 16, 50
	customers := []int64{30001, 30002, 30003}
	shared := []string{"s0", "s1", "s2", "s3"}
	private := func(w, n int) string { return fmt.Sprintf("w%02d-%d", w, n) }

	doc := fixture.Document{Partners: []fixture.Partner{{ID: 1, Name: "Race partner", APIKeys: []string{demoKey}}}}
	p := &doc.Partners[0]
	account := func(id string) {
		p.AzurePartnerCustomerAccounts = append(p.AzurePartnerCustomerAccounts, fixture.AzureAccount{
			AzureCustomerID: id, Name: "account " + id, Domain: id + ".onmicrosoft.com",
			CreatedAt: "2019-01-01T00:00:00Z", UpdatedAt: "2019-01-01T00:00:00Z"})
	}
	for _, id := range shared {
		account(id)
	}
	for w := range workers {
		account(private(w, 0))
		account(private(w, 1))
	}
	account("guard")
	for i, c := range customers {
		p.Customers = append(p.Customers, fixture.Customer{ID: int64(i + 1), ClientAPIID: c, Name: fmt.Sprintf("customer %d", c)})
	}
	p.Customers[0].AzureCustomerIDs = []string{"guard"}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	ts := newTestServer(t, Options{Fixtures: data})

	// models[w] is what worker w knows of its own accounts: id -> client_api_id (0: unassigned).
	models := make([]map[string]int64, workers)
	var applied, refused atomic.Int64
	// adds[id][c] and removes[id][c] count the applied adds and removes of
	// each shared account, for the check of serial histories below.
	var countsMu sync.Mutex
	adds, removes := map[string]map[int64]int{}, map[string]map[int64]int{}
	for _, id := range shared {
		adds[id], removes[id] = map[int64]int{}, map[int64]int{}
	}
	var wg sync.WaitGroup
	for w := range workers {
		models[w] = map[string]int64{private(w, 0): 0, private(w, 1): 0}
		wg.Go(func() {
			model := models[w]
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for range perWorker {
				client := customers[rng.IntN(len(customers))]
				add := rng.IntN(2) == 0
				var ids []string
				for range rng.IntN(3) {
					ids = append(ids, shared[rng.IntN(len(shared))])
				}
				for range 1 + rng.IntN(2) {
					ids = append(ids, private(w, rng.IntN(2)))
				}
				poisoned := rng.IntN(5) == 0
				if poisoned {
					ids = append(ids, "nope")
					if !add {
						ids = append(ids, "guard")
					}
				}
				rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				path := azureRemove
				if add {
					path = azureAdd
				}
				r := ts.put(fmt.Sprintf("%s%d", path, client), map[string]any{"azure_customer_ids": ids})
				if !assert.Equal(t, http.StatusMultiStatus, r.Status, "body: %s", r.Body) {
					return
				}
				items := azureItems(t, r)
				if !assert.Len(t, items, len(ids)) {
					return
				}
				allOK := true
				for i, it := range items {
					assert.Equal(t, ids[i], it.id(), "items come in request order")
					ok := it.Account != nil
					allOK = allOK && ok
					if ok && add {
						assert.Equal(t, fmt.Sprintf("customer %d", client), *it.CustomerTenantName)
					}
					owner, mine := model[ids[i]]
					switch {
					case ids[i] == "nope":
						assert.Equal(t, rules.AzureNotFound, it.Error)
					case mine && add:
						assert.Equal(t, owner == 0 || owner == client, ok, "add %s to %d (owner %d)", ids[i], client, owner)
					case mine:
						assert.Equal(t, owner == client, ok, "remove %s from %d (owner %d)", ids[i], client, owner)
					case !ok && add:
						assert.Equal(t, rules.AzureAssignedElsewhere, it.Error)
					case !ok:
						assert.Equal(t, rules.AzureNotAssignedHere, it.Error)
					}
				}
				assert.False(t, poisoned && allOK, "a request with an unknown id succeeded")
				if !allOK {
					refused.Add(1)
					continue // nothing was applied
				}
				applied.Add(1)
				countsMu.Lock()
				for _, id := range uniq(ids) { // duplicates in one request act once
					if counts, ok := adds[id]; ok && add {
						counts[client]++
					} else if counts, ok := removes[id]; ok && !add {
						counts[client]++
					}
				}
				countsMu.Unlock()
				for _, id := range ids {
					if _, mine := model[id]; mine {
						model[id] = 0
						if add {
							model[id] = client
						}
					}
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d requests applied, %d refused", applied.Load(), refused.Load())
	require.Equal(t, int64(workers*perWorker), applied.Load()+refused.Load())
	require.Greater(t, applied.Load(), int64(workers*perWorker/10), "too few requests applied to prove anything")
	require.Greater(t, refused.Load(), int64(workers*perWorker/10), "too few requests refused to prove anything")

	owners := map[string]string{}
	for _, it := range azureItems(t, ts.get(azureList)) {
		_, twice := owners[it.id()]
		require.False(t, twice, "%s is assigned twice", it.id())
		owners[it.id()] = *it.CustomerTenantName
	}
	perCustomer := 0
	for _, c := range customers {
		for _, id := range azureIDs(t, ts.get(fmt.Sprintf("%s/%d", azureList, c)), fmt.Sprintf("customer %d", c)) {
			assert.Equal(t, fmt.Sprintf("customer %d", c), owners[id], id)
			perCustomer++
		}
	}
	assert.Equal(t, len(owners), perCustomer, "the customers' lists add up to the partner's")
	assert.Equal(t, "customer 30001", owners["guard"], "a request with an unknown id removed the guard")
	// A shared account passes from customer to customer only through a
	// remove: its history is a series of tenures, each begun by an add and
	// ended by a remove (the last one maybe unended). So a customer that had
	// an applied add had a tenure, and had no more tenures than adds.
	for _, id := range shared {
		for _, c := range customers {
			tenures := removes[id][c]
			if owners[id] == fmt.Sprintf("customer %d", c) {
				tenures++
			}
			assert.False(t, adds[id][c] > 0 && tenures == 0, "%s: %d applied adds to %d, yet it never held it", id, adds[id][c], c)
			assert.LessOrEqual(t, tenures, adds[id][c], "%s: %d held it more often than it was added", id, c)
		}
	}
	for w, model := range models {
		for id, client := range model {
			want := ""
			if client != 0 {
				want = fmt.Sprintf("customer %d", client)
			}
			assert.Equal(t, want, owners[id], "worker %d's account %s", w, id)
		}
	}
}

// uniq returns ids without repetitions, in first-seen order.
func uniq(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Bursts of simultaneous requests on one account: in each round every
// client adds the same unassigned account to one of three customers, and
// removes the same assigned account from its customer. Done one at a time,
// the first add wins and every later add to another customer fails, and
// exactly one remove succeeds; a check made apart from its change lets two
// customers win, or two removes succeed.
func TestAzureConcurrentBursts(t *testing.T) {
	const clients, rounds = 16, 50
	customers := []int64{30001, 30002, 30003}
	doc := fixture.Document{Partners: []fixture.Partner{{ID: 1, Name: "Burst partner", APIKeys: []string{demoKey}}}}
	p := &doc.Partners[0]
	for i, c := range customers {
		p.Customers = append(p.Customers, fixture.Customer{ID: int64(i + 1), ClientAPIID: c, Name: fmt.Sprintf("customer %d", c)})
	}
	addID := func(round int) string { return fmt.Sprintf("add-%02d", round) }
	removeID := func(round int) string { return fmt.Sprintf("remove-%02d", round) }
	for round := range rounds {
		for _, id := range []string{addID(round), removeID(round)} {
			p.AzurePartnerCustomerAccounts = append(p.AzurePartnerCustomerAccounts,
				fixture.AzureAccount{AzureCustomerID: id, Name: id, Domain: id + ".onmicrosoft.com"})
		}
		p.Customers[0].AzureCustomerIDs = append(p.Customers[0].AzureCustomerIDs, removeID(round))
	}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	ts := newTestServer(t, Options{Fixtures: data})

	body := func(id string) map[string]any { return map[string]any{"azure_customer_ids": []string{id}} }
	succeeded := func(r response) bool {
		items := azureItems(t, r)
		return assert.Len(t, items, 1) && items[0].Account != nil
	}
	for round := range rounds {
		start := make(chan struct{})
		var mu sync.Mutex
		winners := map[int64]bool{} // customers whose add succeeded
		removed := 0
		var wg sync.WaitGroup
		for i := range clients {
			client := customers[(round+i)%len(customers)]
			wg.Go(func() {
				<-start
				added := ts.put(fmt.Sprintf("%s%d", azureAdd, client), body(addID(round)))
				gone := ts.put(fmt.Sprintf("%s%d", azureRemove, customers[0]), body(removeID(round)))
				mu.Lock()
				defer mu.Unlock()
				if succeeded(added) {
					winners[client] = true
				}
				if succeeded(gone) {
					removed++
				}
			})
		}
		close(start)
		wg.Wait()
		var owner []int64
		for _, c := range customers {
			if slices.Contains(azureIDs(t, ts.get(fmt.Sprintf("%s/%d", azureList, c)), ""), addID(round)) {
				owner = append(owner, c)
			}
		}
		require.Len(t, owner, 1, "round %d: owners of %s", round, addID(round))
		require.Equal(t, map[int64]bool{owner[0]: true}, winners, "round %d: only the owner's adds may succeed", round)
		require.Equal(t, 1, removed, "round %d: removes of %s that succeeded", round, removeID(round))
	}
	for _, id := range azureIDs(t, ts.get(azureList), "") {
		assert.False(t, strings.HasPrefix(id, "remove-"), "%s is still assigned", id)
	}
}
