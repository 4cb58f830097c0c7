package contracttests

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Partner customers (the guide's partner customer pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "Partner
// customers"). Every customer a test creates has a unique name starting with
// "contract-tests"; the cleanup registered before the create deletes every
// customer of that name (which removes its assignments, GovCloud linkages and
// own AWS accounts with it).

const customersPath = "/v1/customers"

var _ = addFamily(family{
	tag: "customers",
	probes: func(p Profile) []probe {
		one := customerPath(p.UnknownCustomerID)
		return []probe{
			{op: "createCustomer", method: http.MethodPost, path: customersPath, body: true},
			{op: "listCustomers", method: http.MethodGet, path: customersPath},
			{op: "getCustomer", method: http.MethodGet, path: one},
			{op: "updateCustomer", method: http.MethodPut, path: one, body: true},
			{op: "deleteCustomer", method: http.MethodDelete, path: one},
		}
	},
})

func customerPath(id int64) string { return fmt.Sprintf("%s/%d", customersPath, id) }

// guideCustomer is the request body of customer-account-add.md as
// openapi.yaml records it, with a unique name.
func guideCustomer(t *testing.T) map[string]any {
	body := requestExample(t, "createCustomer")
	body["name"] = testName(t, "customer")
	return body
}

// createCustomer creates a customer from body and checks the 200 answer.
// Before it sends anything it registers the cleanup that deletes every
// customer named body["name"], so that even a create the test then fails on
// is removed.
func createCustomer(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	name, _ := body["name"].(string)
	require.True(t, strings.HasPrefix(name, "contract-tests "), "a created customer's name starts with contract-tests")
	t.Cleanup(func() { deleteCustomersNamed(t, name) })
	r := do(t, call{method: http.MethodPost, path: customersPath, body: body})
	require.Equal(t, http.StatusOK, r.status, "create is 200; body: %s", r.body)
	c := r.object(t)
	id := idOf(t, c)
	require.Equal(t, map[string]any{"self": map[string]any{"href": customerPath(id)}}, c["_links"])
	require.NotEmpty(t, c["client_api_id"])
	require.Equal(t, c["id"], c["client_api_id"], "a new customer's client_api_id is its id, as the public clients assume")
	require.Equal(t, c["created_at"], c["updated_at"], "a new customer's updated_at is its created_at")
	return c
}

// deleteCustomersNamed deletes every customer of the partner with the name
// (a test's cleanup).
func deleteCustomersNamed(t *testing.T, name string) {
	for _, c := range listAll(t, customersPath, "customers") {
		if c["name"] != name {
			continue
		}
		r := do(t, call{method: http.MethodDelete, path: customerPath(idOf(t, c))})
		if r.status != http.StatusNoContent && r.status != http.StatusNotFound {
			t.Errorf("cleanup: deleting customer %v answered %d: %s", c["id"], r.status, r.body)
		}
	}
}

// getCustomer reads one customer; a status other than 200 fails the test.
func getCustomer(t *testing.T, id int64) map[string]any {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: customerPath(id)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.object(t)
}

// putCustomer updates a customer and checks the 200 answer.
func putCustomer(t *testing.T, id int64, body any) map[string]any {
	t.Helper()
	r := do(t, call{method: http.MethodPut, path: customerPath(id), body: body})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.object(t)
}

// customerCount is the list's X-Total.
func customerCount(t *testing.T) string {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: customersPath + "?per_page=1"})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.header.Get("X-Total")
}

// Every field of the guide's example round-trips: the create answers the
// guide's response (its ids, timestamps, external id and link aside; the
// string "true" shown as a boolean), and a GET answers the same. Then: listed,
// PUT {} and a PUT of the GET change nothing, the guide's modify example
// changes what it names, and DELETE removes it.
func TestCustomerLifecycle(t *testing.T) {
	requireWrites(t)
	body := guideCustomer(t)
	c := createCustomer(t, body)
	id := idOf(t, c)

	want := responseExample(t, "createCustomer", http.StatusOK)
	for _, k := range []string{"id", "client_api_id", "created_at", "updated_at", "generated_external_id", "_links"} {
		want[k] = c[k]
	}
	want["name"] = body["name"]
	require.Equal(t, want, c, "the create answers every field of the guide's example")
	require.Regexp(t, `^[0-9a-zA-Z-]+$`, c["generated_external_id"])
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, c["created_at"])
	require.Equal(t, c, getCustomer(t, id), "GET answers what the create did")

	var listed map[string]any
	for _, x := range listAll(t, customersPath, "customers") {
		if idOf(t, x) == id {
			listed = x
		}
	}
	require.Equal(t, c, listed, "the list shows the customer as GET does")

	require.Equal(t, c, putCustomer(t, id, map[string]any{}), "PUT {} changes nothing")
	require.Equal(t, c, putCustomer(t, id, c), "a PUT of a GET changes nothing")

	modify := requestExample(t, "updateCustomer")
	modify["name"] = testName(t, "customer")
	t.Cleanup(func() { deleteCustomersNamed(t, modify["name"].(string)) })
	changed := putCustomer(t, id, modify)
	want = copyJSON(t, c)
	for k, v := range modify {
		want[k] = v
	}
	want["updated_at"] = changed["updated_at"]
	require.Equal(t, want, changed, "the modify example changes what it names, and only that")
	require.GreaterOrEqual(t, changed["updated_at"], c["updated_at"], "updated_at moves forward")
	require.Equal(t, changed, getCustomer(t, id))

	// Sub-objects merge; tags replace.
	merged := putCustomer(t, id, map[string]any{"address": map[string]any{"city": "Shelbyville"}, "tags": []any{}})
	require.Equal(t, "Shelbyville", merged["address"].(map[string]any)["city"])
	require.Equal(t, changed["address"].(map[string]any)["street1"], merged["address"].(map[string]any)["street1"], "address fields not sent stay")
	require.Equal(t, []any{}, merged["tags"])

	r := do(t, call{method: http.MethodDelete, path: customerPath(id)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Empty(t, r.body)
	requireError(t, do(t, call{method: http.MethodGet, path: customerPath(id)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodDelete, path: customerPath(id)}), http.StatusNotFound)
}

// A minimal customer: name and address only; partner billing off, street2
// blank and the optional fields empty.
func TestCustomerMinimal(t *testing.T) {
	requireWrites(t)
	body := map[string]any{
		"name":    testName(t, "customer"),
		"address": map[string]any{"street1": "2 Side St", "city": "Capital City", "state": "OR", "zipcode": "97000", "country": "US"},
	}
	c := createCustomer(t, body)
	require.Equal(t, map[string]any{"enabled": false, "folder": ""}, c["partner_billing_configuration"])
	require.Equal(t, "", c["address"].(map[string]any)["street2"])
	require.Equal(t, []any{}, c["tags"])
	require.Equal(t, 0.0, c["margin_percentage"])
	require.Equal(t, c, getCustomer(t, idOf(t, c)))
}

// partner_billing_configuration.enabled: a boolean, or the strings "true"
// and "false" the guide's examples send, always shown as a boolean.
func TestCustomerPartnerBillingStrings(t *testing.T) {
	requireWrites(t)
	body := guideCustomer(t)
	body["partner_billing_configuration"] = map[string]any{"enabled": "false", "folder": "contract-tests"}
	c := createCustomer(t, body)
	id := idOf(t, c)
	require.Equal(t, map[string]any{"enabled": false, "folder": "contract-tests"}, c["partner_billing_configuration"])
	for _, tc := range []struct {
		sent any
		want bool
	}{{true, true}, {"false", false}, {"true", true}, {false, false}} {
		got := putCustomer(t, id, map[string]any{"partner_billing_configuration": map[string]any{"enabled": tc.sent}})
		require.Equal(t, map[string]any{"enabled": tc.want, "folder": "contract-tests"}, got["partner_billing_configuration"], "enabled %#v", tc.sent)
	}
}

// A create that breaks a rule or the request schema: 422 {"error": ...}, and
// nothing is created.
// address.zipcode may be a JSON integer as well as a string (docs/fidelity.md,
// "address.zipcode"): an integer is stored and shown as its decimal string.
func TestCustomerZipcodeInteger(t *testing.T) {
	requireWrites(t)
	b := guideCustomer(t)
	b["address"].(map[string]any)["zipcode"] = 1234
	c := createCustomer(t, b)
	zip := func(c map[string]any) any { return c["address"].(map[string]any)["zipcode"] }
	require.Equal(t, "1234", zip(c))
	path := customerPath(idOf(t, c))
	for _, sent := range []any{"01234", 99, 1234} {
		r := do(t, call{method: http.MethodPut, path: path, body: map[string]any{"address": map[string]any{"zipcode": sent}}})
		require.Equal(t, http.StatusOK, r.status, "zipcode %v: %s", sent, r.body)
		require.Equal(t, fmt.Sprint(sent), zip(r.object(t)), "zipcode %v", sent)
		r = do(t, call{method: http.MethodGet, path: path})
		require.Equal(t, fmt.Sprint(sent), zip(r.object(t)), "zipcode %v, read back", sent)
	}
}

func TestCustomerCreateRefused(t *testing.T) {
	requireWrites(t)
	existing := listAll(t, customersPath, "customers")
	require.NotEmpty(t, existing)
	tags := make([]any, 21)
	for i := range tags {
		tags[i] = map[string]any{"key": fmt.Sprintf("k%d", i), "value": "v"}
	}
	with := func(change func(b map[string]any)) map[string]any {
		b := guideCustomer(t)
		change(b)
		return b
	}
	cases := []struct {
		name, contentType string
		body              any
		invalid           bool // breaks the request schema
	}{
		{"no name", "", with(func(b map[string]any) { delete(b, "name") }), true},
		{"no address", "", with(func(b map[string]any) { delete(b, "address") }), true},
		{"address without a city", "", with(func(b map[string]any) { delete(b["address"].(map[string]any), "city") }), true},
		{"a blank street1", "", with(func(b map[string]any) { b["address"].(map[string]any)["street1"] = "" }), false},
		{"a fractional zipcode", "", with(func(b map[string]any) { b["address"].(map[string]any)["zipcode"] = 12.5 }), true},
		{"an unknown classification", "", with(func(b map[string]any) { b["classification"] = "managed_sometimes" }), true},
		{"enabled \"yes\"", "", with(func(b map[string]any) { b["partner_billing_configuration"].(map[string]any)["enabled"] = "yes" }), true},
		{"21 tags", "", with(func(b map[string]any) { b["tags"] = tags }), true},
		{"a bad trial_expiration", "", with(func(b map[string]any) { b["trial_expiration"] = "next week" }), false},
		{"another customer's name", "", with(func(b map[string]any) { b["name"] = existing[0]["name"] }), false},
		{"a null name", "", with(func(b map[string]any) { b["name"] = nil }), true},
		{"malformed JSON", "", `{"name": `, true},
		{"trailing data", "", `{} {}`, true},
		{"an array", "", `[]`, true},
		{"form-encoded", "application/x-www-form-urlencoded", "name=contract-tests", true},
		{"text/plain", "text/plain", "{}", true},
	}
	before := customerCount(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if b, ok := tc.body.(map[string]any); ok {
				if name, ok := b["name"].(string); ok && strings.HasPrefix(name, "contract-tests ") {
					t.Cleanup(func() { deleteCustomersNamed(t, name) }) // should the target accept it after all
				}
			}
			requireError(t, do(t, call{method: http.MethodPost, path: customersPath, body: tc.body, contentType: tc.contentType, invalid: tc.invalid}), http.StatusUnprocessableEntity)
		})
	}
	require.Equal(t, before, customerCount(t), "a refused create creates nothing")
}

// An update that breaks a rule or the request schema: 422 {"error": ...},
// and the customer is unchanged.
func TestCustomerUpdateRefused(t *testing.T) {
	requireWrites(t)
	c := createCustomer(t, guideCustomer(t))
	id := idOf(t, c)
	tags := make([]any, 21)
	for i := range tags {
		tags[i] = map[string]any{"key": fmt.Sprintf("k%d", i), "value": "v"}
	}
	other := listAll(t, customersPath, "customers")[0]
	if idOf(t, other) == id {
		t.Fatalf("the customer just created is the partner's first")
	}
	cases := []struct {
		name, contentType string
		body              any
		invalid           bool
	}{
		{"another customer's name", "", map[string]any{"name": other["name"]}, false},
		{"a blank name", "", map[string]any{"name": ""}, false},
		{"a null name", "", `{"name": null}`, true},
		{"a blank city", "", map[string]any{"address": map[string]any{"city": ""}}, false},
		{"an unknown classification", "", map[string]any{"classification": "x"}, true},
		{"enabled 1", "", map[string]any{"partner_billing_configuration": map[string]any{"enabled": 1}}, true},
		{"21 tags", "", map[string]any{"tags": tags}, true},
		{"a tag without a value", "", map[string]any{"tags": []any{map[string]any{"key": "k"}}}, true},
		{"malformed JSON", "", `{`, true},
		{"text/plain", "text/plain", "{}", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireError(t, do(t, call{method: http.MethodPut, path: customerPath(id), body: tc.body, contentType: tc.contentType, invalid: tc.invalid}), http.StatusUnprocessableEntity)
			require.Equal(t, c, getCustomer(t, id), "a refused update changes nothing")
		})
	}
}

// An id the partner has no customer with: 404 on every operation of one
// customer, before the body is looked at; a non-integer id too (no route).
func TestCustomerUnknownID(t *testing.T) {
	id := suite.profile.UnknownCustomerID
	requireError(t, do(t, call{method: http.MethodGet, path: customerPath(id)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: customersPath + "/abc", invalid: true}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: customersPath + "/99999999999999999999", invalid: true}), http.StatusNotFound)

	t.Run("writes", func(t *testing.T) {
		requireWrites(t)
		requireError(t, do(t, call{method: http.MethodPut, path: customerPath(id), body: map[string]any{}}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPut, path: customerPath(id), body: `{`, invalid: true}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodDelete, path: customerPath(id)}), http.StatusNotFound)
	})
}

// The profile's customers are the partner's, each with its client_api_id.
func TestCustomerProfileCustomersAreListed(t *testing.T) {
	p := suite.profile
	byID := map[int64]map[string]any{}
	for _, c := range listAll(t, customersPath, "customers") {
		byID[idOf(t, c)] = c
	}
	for _, want := range []struct{ id, clientAPIID int64 }{{p.CustomerID, p.ClientAPIID}, {p.GovcloudCustomerID, p.GovcloudClientAPIID}} {
		c, ok := byID[want.id]
		require.True(t, ok, "customer %d in the list", want.id)
		require.Equal(t, float64(want.clientAPIID), c["client_api_id"])
		require.Equal(t, c, getCustomer(t, want.id), "the list shows each customer as GET does")
		if want.id == p.CustomerID {
			require.Equal(t, true, c["partner_billing_configuration"].(map[string]any)["enabled"], "customer_id has partner billing enabled")
		}
	}
}

// The list is paged: X-Total, X-Per-Page and Link checked on every page with
// two customers a page. With writes, the test first creates customers until
// there are at least five (three pages), and deletes them afterwards.
func TestCustomerListPaging(t *testing.T) {
	const perPage = 2
	if suite.writes {
		for n := len(listAll(t, customersPath, "customers")); n < 5; n++ {
			createCustomer(t, guideCustomer(t))
		}
	}
	all := walkPages(t, customersPath, "customers", perPage)
	require.GreaterOrEqual(t, len(all), 2, "the profile names two customers")
	// api_key in the query is kept in the Link URLs.
	r := do(t, call{method: http.MethodGet, path: customersPath + "?per_page=1", auth: authQuery})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	for rel, u := range pageLinks(t, r.header.Get("Link"), customersPath, 1) {
		require.Equal(t, suite.apiKey, u.Query().Get("api_key"), "Link rel=%s keeps api_key", rel)
	}
	requireListPagingRules(t, customersPath, "customers")
}
