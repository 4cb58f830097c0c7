package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// Every paged list pages alike (docs/fidelity.md, "Paging"): the
// assignments, the customers, the partner's AWS accounts and a customer's.

const nothingPartnerKey = "nothing-partner-key"

// listsFixtures gives the demo key ten items in each of the four paged
// lists, and the empty partner's key none (with one customer, whose AWS
// accounts are an empty list), and the nothing partner's key nothing at all.
func listsFixtures(t testing.TB) []byte {
	t.Helper()
	var partnerAccounts, customerAccounts []fixture.AWSAccount
	var assignments []fixture.Assignment
	var customers []fixture.Customer
	for i := 1; i <= 10; i++ {
		owner := fmt.Sprintf("9000%08d", i)
		partnerAccounts = append(partnerAccounts, fixture.AWSAccount{ID: int64(100 + i), OwnerID: owner, Name: "Linked " + owner, BillingFamilyOwnerID: "900099999999"})
		customerAccounts = append(customerAccounts, fixture.AWSAccount{ID: int64(200 + i), OwnerID: owner, Name: "Own " + owner})
		assignments = append(assignments, fixture.Assignment{ID: int64(i), OwnerID: owner, PayerAccountOwnerID: owner})
	}
	for i := 1; i <= 10; i++ {
		customers = append(customers, fixture.Customer{ID: int64(i), Name: fmt.Sprintf("Customer %d", i)})
	}
	customers[0].PartnerBillingConfiguration = &fixture.PartnerBillingConfiguration{Enabled: true}
	customers[0].AWSAccounts, customers[0].AWSAccountAssignments = customerAccounts, assignments
	doc := fixture.Document{Partners: []fixture.Partner{
		{Name: "Lists Partner", APIKeys: []string{demoKey}, AWSAccounts: partnerAccounts, Customers: customers},
		{Name: "Empty Partner", APIKeys: []string{emptyPartnerKey}, Customers: []fixture.Customer{{ID: 50, ClientAPIID: 50, Name: "No Accounts"}}},
		{Name: "Nothing Partner", APIKeys: []string{nothingPartnerKey}},
	}}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	return data
}

// pagedList is one paged list: where it is, its key in the body, and the
// query that names whose it is (the customer's AWS accounts).
type pagedList struct {
	name, path, key string
	scope           url.Values
	ids             []int // the demo key's, in order
	emptyKey        string
	emptyScope      url.Values // with emptyKey: an empty list
}

func pagedLists() []pagedList {
	seq := func(from int) []int {
		out := make([]int, 10)
		for i := range out {
			out[i] = from + i
		}
		return out
	}
	return []pagedList{
		{"assignments", assignmentsPath, "aws_account_assignments", url.Values{}, seq(1), emptyPartnerKey, url.Values{}},
		{"customers", customersPath, "customers", url.Values{}, seq(1), nothingPartnerKey, url.Values{}},
		{"partner AWS accounts", awsAccountsPath, "aws_accounts", url.Values{}, seq(101), emptyPartnerKey, url.Values{}},
		{"customer AWS accounts", awsAccountsPath, "aws_accounts", url.Values{"client_api_id": {"1"}}, seq(201), emptyPartnerKey, url.Values{"client_api_id": {"50"}}},
	}
}

// pageIDs returns the ids of the items of a list page under key.
func pageIDs(t testing.TB, r response, key string) []int {
	t.Helper()
	var body map[string][]struct {
		ID int `json:"id"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body), "body: %s", r.Body)
	items, ok := body[key]
	require.True(t, ok, "no %q in %s", key, r.Body)
	ids := make([]int, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func TestPagingEveryList(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: listsFixtures(t)})
	cases := []struct {
		name    string
		query   string
		from    int // index of the first item in the list; to: one past the last
		to      int
		perPage int
		links   map[string]int // nil: no Link header
	}{
		// A list of 5 pages (per_page=2): first, middle, last, past the end.
		{"5 pages: page 1", "per_page=2", 0, 2, 2, map[string]int{"last": 5, "next": 2}},
		{"5 pages: page 2", "per_page=2&page=2", 2, 4, 2, map[string]int{"first": 1, "prev": 1, "last": 5, "next": 3}},
		{"5 pages: page 3", "per_page=2&page=3", 4, 6, 2, map[string]int{"first": 1, "prev": 2, "last": 5, "next": 4}},
		{"5 pages: page 4", "per_page=2&page=4", 6, 8, 2, map[string]int{"first": 1, "prev": 3, "last": 5, "next": 5}},
		{"5 pages: page 5", "per_page=2&page=5", 8, 10, 2, map[string]int{"first": 1, "prev": 4}},
		{"5 pages: page 6", "per_page=2&page=6", 0, 0, 2, map[string]int{"first": 1, "prev": 5}},
		// A list of 2 pages.
		{"2 pages: page 1", "per_page=5", 0, 5, 5, map[string]int{"last": 2, "next": 2}},
		{"2 pages: page 2", "per_page=5&page=2", 5, 10, 5, map[string]int{"first": 1, "prev": 1}},
		{"2 pages: page 3", "per_page=5&page=3", 0, 0, 5, map[string]int{"first": 1, "prev": 2}},
		// A single page, and past it.
		{"1 page", "", 0, 10, 30, nil},
		{"1 page, exactly full", "per_page=10", 0, 10, 10, nil},
		{"1 page: page 2", "page=2", 0, 0, 30, map[string]int{"first": 1, "prev": 1}},
		// What is read, never refused.
		{"page=0", "per_page=2&page=0", 0, 2, 2, map[string]int{"last": 5, "next": 2}},
		{"page=abc", "per_page=2&page=abc", 0, 2, 2, map[string]int{"last": 5, "next": 2}},
		{"page=1.5", "per_page=2&page=1.5", 0, 2, 2, map[string]int{"last": 5, "next": 2}},
		{"per_page=0", "per_page=0", 0, 10, 30, nil},
		{"per_page=1000", "per_page=1000", 0, 10, 100, nil},
		{"page near the int64 maximum", "per_page=2&page=9223372036854775806", 0, 0, 2, map[string]int{"first": 1, "prev": 9223372036854775805}},
		{"page at the int64 maximum", "per_page=100&page=9223372036854775807", 0, 0, 100, map[string]int{"first": 1, "prev": 9223372036854775806}},
	}
	for _, l := range pagedLists() {
		t.Run(l.name, func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					ts := ts.sub(t)
					query, err := url.ParseQuery(tc.query)
					require.NoError(t, err)
					for k, v := range l.scope {
						query[k] = v
					}
					r := ts.get(l.path + "?" + query.Encode())
					require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
					require.Equal(t, append([]int{}, l.ids[tc.from:tc.to]...), pageIDs(t, r, l.key))
					require.Equal(t, "10", r.Header.Get("X-Total"))
					require.Equal(t, strconv.Itoa(tc.perPage), r.Header.Get("X-Per-Page"))
					requireListLinks(t, ts, r, l.path, query, tc.links)
				})
			}
			t.Run("empty list", func(t *testing.T) {
				ts := ts.sub(t)
				for _, tc := range []struct {
					query string
					links map[string]int
				}{
					{"", nil},
					{"page=1&per_page=1", nil},
					{"page=3", map[string]int{"first": 1, "prev": 2}},
				} {
					query, err := url.ParseQuery(tc.query)
					require.NoError(t, err)
					for k, v := range l.emptyScope {
						query[k] = v
					}
					r := ts.do(request{Method: http.MethodGet, Path: l.path + "?" + query.Encode(), Key: l.emptyKey})
					require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
					require.Equal(t, []int{}, pageIDs(t, r, l.key))
					require.Equal(t, "0", r.Header.Get("X-Total"))
					requireListLinks(t, ts, r, l.path, query, tc.links)
				}
			})
		})
	}
}

// A client that reads the page count from rel="last" and walks the pages
// with rel="next" (as a public Node client does) sees every item once, on
// every list.
func TestPagingWalkByLinks(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: listsFixtures(t)})
	for _, l := range pagedLists() {
		for _, perPage := range []int{1, 3, 5, 10, 11} {
			t.Run(fmt.Sprintf("%s per_page=%d", l.name, perPage), func(t *testing.T) {
				query := url.Values{"per_page": {strconv.Itoa(perPage)}}
				for k, v := range l.scope {
					query[k] = v
				}
				r := ts.get(l.path + "?" + query.Encode())
				seen := pageIDs(t, r, l.key)
				pages := 1
				if last := pageLinks(t, r)["last"]; last != nil {
					pages, _ = strconv.Atoi(last.Query().Get("page"))
				}
				require.Equal(t, (10+perPage-1)/perPage, pages, "the page count from rel=last")
				for next := pageLinks(t, r)["next"]; next != nil; next = pageLinks(t, r)["next"] {
					r = ts.get(next.RequestURI())
					seen = append(seen, pageIDs(t, r, l.key)...)
				}
				require.Equal(t, l.ids, seen)
			})
		}
	}
}
