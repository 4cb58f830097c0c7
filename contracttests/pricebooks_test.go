package contracttests

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// Price books, their customer assignments and their account assignments
// (docs/fidelity.md, "Customer statements and price books"). Every price
// book a test creates is named "contract-tests ..."; the cleanups registered
// before each create remove, in order, the account assignments, the customer
// assignment and the book.

const (
	priceBooksPath         = "/v1/price_books"
	priceBookAsgsPath      = "/v1/price_book_assignments"
	priceBookAcctAsgsPath  = "/v1/price_book_account_assignments"
	contractSpecification  = `<CHTBillingRules createdBy="contract-tests@example.com" date="2018-01-01"><RuleGroup/></CHTBillingRules>`
	contractSpecification2 = `<CHTBillingRules date="2019-01-01"><Comment>v2</Comment></CHTBillingRules>`
)

// unknownPriceBookID names nothing on any target: ids are far below it.
const unknownPriceBookID = 999999999

var _ = addFamily(family{
	tag: "price-books",
	probes: func(p Profile) []probe {
		book := fmt.Sprintf("%s/%d", priceBooksPath, unknownPriceBookID)
		asg := fmt.Sprintf("%s/%d", priceBookAsgsPath, unknownPriceBookID)
		acct := fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, unknownPriceBookID)
		return []probe{
			{op: "createPriceBook", method: http.MethodPost, path: priceBooksPath, body: true},
			{op: "listPriceBooks", method: http.MethodGet, path: priceBooksPath},
			{op: "getPriceBook", method: http.MethodGet, path: book},
			{op: "updatePriceBook", method: http.MethodPut, path: book, body: true},
			{op: "deletePriceBook", method: http.MethodDelete, path: book},
			{op: "getPriceBookSpecification", method: http.MethodGet, path: book + "/specification"},
			{op: "dryRunPriceBook", method: http.MethodPut, path: priceBooksPath + "/dry_run", body: true},
			{op: "createPriceBookAssignment", method: http.MethodPost, path: priceBookAsgsPath, body: true},
			{op: "listPriceBookAssignments", method: http.MethodGet, path: priceBookAsgsPath},
			{op: "getPriceBookAssignment", method: http.MethodGet, path: asg},
			{op: "updatePriceBookAssignment", method: http.MethodPut, path: asg, body: true},
			{op: "deletePriceBookAssignment", method: http.MethodDelete, path: asg},
			{op: "createPriceBookAccountAssignments", method: http.MethodPost, path: priceBookAcctAsgsPath, body: true},
			{op: "listPriceBookAccountAssignments", method: http.MethodGet, path: priceBookAcctAsgsPath},
			{op: "getPriceBookAccountAssignment", method: http.MethodGet, path: acct},
			{op: "updatePriceBookAccountAssignment", method: http.MethodPut, path: acct, body: true},
			{op: "deletePriceBookAccountAssignment", method: http.MethodDelete, path: acct},
		}
	},
})

// createPriceBook creates a price book named name after registering its
// deletion, and returns it.
func createPriceBook(t *testing.T, name string) map[string]any {
	t.Helper()
	t.Cleanup(func() {
		for _, b := range listPriceBooks(t) {
			if b["book_name"] == name {
				do(t, call{method: http.MethodDelete, path: fmt.Sprintf("%s/%d", priceBooksPath, idOf(t, b))})
			}
		}
	})
	r := do(t, call{method: http.MethodPost, path: priceBooksPath, body: map[string]any{"book_name": name, "specification": contractSpecification}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var body struct {
		PriceBook map[string]any `json:"price_book"`
	}
	r.decode(t, &body)
	return body.PriceBook
}

// listPriceBooks reads every page of the price books (a top-level array).
func listPriceBooks(t *testing.T) []map[string]any {
	t.Helper()
	var all []map[string]any
	for page := 1; ; page++ {
		r := do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?per_page=100&page=%d", priceBooksPath, page)})
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var items []map[string]any
		r.decode(t, &items)
		all = append(all, items...)
		total, err := strconv.Atoi(r.header.Get("X-Total"))
		require.NoError(t, err)
		if len(items) == 0 || len(all) >= total {
			return all
		}
	}
}

// deleteLater registers the deletion of what path names (a cleanup).
func deleteLater(t *testing.T, path string) {
	t.Cleanup(func() { do(t, call{method: http.MethodDelete, path: path}) })
}

// The whole life of a price book, every success status of the family on the
// way: create, read, list, specification, modify, test, assign to the
// profile's customer and to two of the partner's accounts and to ALL, read
// and modify each assignment, and remove everything; the refusals of an
// assigned book and of an applied assignment on the way.
func TestPriceBookLifecycle(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	book := createPriceBook(t, testName(t, "price book"))
	bookPath := fmt.Sprintf("%s/%d", priceBooksPath, idOf(t, book))

	r := do(t, call{method: http.MethodGet, path: bookPath})
	require.Equal(t, http.StatusOK, r.status)
	require.Equal(t, book, r.object(t))
	require.Contains(t, listPriceBooks(t), book)
	r = do(t, call{method: http.MethodGet, path: bookPath + "/specification"})
	require.Equal(t, map[string]any{"specification": contractSpecification}, r.object(t))

	r = do(t, call{method: http.MethodPut, path: bookPath, body: map[string]any{"specification": contractSpecification2}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.NotEqual(t, book["file_hash"], r.object(t)["file_hash"])
	r = do(t, call{method: http.MethodGet, path: bookPath + "/specification"})
	require.Equal(t, contractSpecification2, r.object(t)["specification"])

	r = do(t, call{method: http.MethodPut, path: priceBooksPath + "/dry_run", body: map[string]any{"price_book_id": idOf(t, book),
		"target_client_api_id": p.ClientAPIID, "month": "2018-01", "billing_account_owner_id": p.AssignableOwnerIDs[0]}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.NotEmpty(t, r.object(t)["message"])

	// The customer assignment.
	r = do(t, call{method: http.MethodPost, path: priceBookAsgsPath, body: map[string]any{"price_book_id": idOf(t, book), "target_client_api_id": p.ClientAPIID}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	asg := r.object(t)
	asgPath := fmt.Sprintf("%s/%d", priceBookAsgsPath, idOf(t, asg))
	deleteLater(t, asgPath)
	require.Equal(t, float64(p.ClientAPIID), asg["target_client_api_id"])
	r = do(t, call{method: http.MethodGet, path: asgPath})
	require.Equal(t, asg, r.object(t))
	r = do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s?target_client_api_id=%d", priceBookAsgsPath, p.ClientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, []any{asg}, r.object(t)["price_book_assignments"])
	r = do(t, call{method: http.MethodGet, path: priceBookAsgsPath, body: map[string]any{"target_client_api_id": p.ClientAPIID}})
	require.Equal(t, http.StatusOK, r.status, "the guide's GET with a body; body: %s", r.body)
	require.Equal(t, []any{asg}, r.object(t)["price_book_assignments"])
	require.Contains(t, listAll(t, priceBookAsgsPath, "price_book_assignments"), asg)
	requireError(t, do(t, call{method: http.MethodDelete, path: bookPath}), http.StatusUnprocessableEntity)

	// Account assignments: two of the partner's accounts, then ALL.
	r = do(t, call{method: http.MethodPost, path: priceBookAcctAsgsPath, body: map[string]any{"price_book_assignment_id": idOf(t, asg),
		"billing_account_owner_ids": p.AssignableOwnerIDs[:2]}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var several struct {
		Items []map[string]any `json:"price_book_account_assignments"`
	}
	r.decode(t, &several)
	require.Len(t, several.Items, 2)
	for _, a := range several.Items {
		deleteLater(t, fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, idOf(t, a)))
	}
	r = do(t, call{method: http.MethodPost, path: priceBookAcctAsgsPath, body: map[string]any{"price_book_assignment_id": idOf(t, asg), "billing_account_owner_id": "ALL"}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	all := r.object(t)
	deleteLater(t, fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, idOf(t, all)))
	require.Equal(t, "ALL", all["billing_account_owner_id"])
	first := fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, idOf(t, several.Items[0]))
	r = do(t, call{method: http.MethodGet, path: first})
	require.Equal(t, several.Items[0], r.object(t))
	listed := listAll(t, priceBookAcctAsgsPath, "price_book_account_assignments")
	require.Contains(t, listed, all)
	require.Contains(t, listed, several.Items[1])
	requireError(t, do(t, call{method: http.MethodDelete, path: asgPath}), http.StatusUnprocessableEntity)

	// Modify each.
	other := createPriceBook(t, testName(t, "price book"))
	r = do(t, call{method: http.MethodPut, path: asgPath, body: map[string]any{"price_book_id": idOf(t, other)}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, float64(idOf(t, other)), r.object(t)["price_book_id"])
	if len(p.AssignableOwnerIDs) > 2 {
		r = do(t, call{method: http.MethodPut, path: first, body: map[string]any{"billing_account_owner_id": p.AssignableOwnerIDs[2]}})
	} else {
		r = do(t, call{method: http.MethodPut, path: first, body: map[string]any{"billing_account_owner_id": several.Items[0]["billing_account_owner_id"]}})
	}
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)

	// Remove everything: then each is a 404.
	for _, a := range append(several.Items, all) {
		path := fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, idOf(t, a))
		require.Equal(t, http.StatusNoContent, do(t, call{method: http.MethodDelete, path: path}).status)
		requireError(t, do(t, call{method: http.MethodDelete, path: path}), http.StatusNotFound)
	}
	require.Equal(t, http.StatusNoContent, do(t, call{method: http.MethodDelete, path: asgPath}).status)
	for _, b := range []map[string]any{book, other} {
		path := fmt.Sprintf("%s/%d", priceBooksPath, idOf(t, b))
		require.Equal(t, http.StatusNoContent, do(t, call{method: http.MethodDelete, path: path}).status)
		requireError(t, do(t, call{method: http.MethodGet, path: path}), http.StatusNotFound)
	}
}

// Every write of the family refuses what breaks its rules with a 422 that
// says why, and every operation with an id answers 404 for an unknown one.
func TestPriceBookRefused(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	book := createPriceBook(t, testName(t, "price book"))
	bookID := idOf(t, book)
	r := do(t, call{method: http.MethodPost, path: priceBookAsgsPath, body: map[string]any{"price_book_id": bookID, "target_client_api_id": p.ClientAPIID}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	asgID := idOf(t, r.object(t))
	deleteLater(t, fmt.Sprintf("%s/%d", priceBookAsgsPath, asgID))
	r = do(t, call{method: http.MethodPost, path: priceBookAcctAsgsPath, body: map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "ALL"}})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	acctID := idOf(t, r.object(t))
	deleteLater(t, fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, acctID))

	for _, c := range []call{
		{method: http.MethodPost, path: priceBooksPath, body: map[string]any{"book_name": book["book_name"], "specification": "<NotTheRoot/>"}},
		{method: http.MethodPut, path: fmt.Sprintf("%s/%d", priceBooksPath, bookID), body: map[string]any{"specification": "<CHTBillingRules>"}},
		{method: http.MethodPut, path: priceBooksPath + "/dry_run", body: map[string]any{"price_book_id": unknownPriceBookID}},
		{method: http.MethodPost, path: priceBookAsgsPath, body: map[string]any{"price_book_id": bookID, "target_client_api_id": p.UnknownClientAPIID}},
		{method: http.MethodPut, path: fmt.Sprintf("%s/%d", priceBookAsgsPath, asgID), body: map[string]any{"price_book_id": unknownPriceBookID}},
		{method: http.MethodGet, path: priceBookAsgsPath + "?target_client_api_id=abc", invalid: true},
		{method: http.MethodPost, path: priceBookAcctAsgsPath, body: map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "ALL"}},
		{method: http.MethodPut, path: fmt.Sprintf("%s/%d", priceBookAcctAsgsPath, acctID), body: map[string]any{"billing_account_owner_ids": []string{"ALL"}}},
		{method: http.MethodDelete, path: fmt.Sprintf("%s/%d", priceBooksPath, bookID)},
		{method: http.MethodDelete, path: fmt.Sprintf("%s/%d", priceBookAsgsPath, asgID)},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			requireError(t, do(t, c), http.StatusUnprocessableEntity)
		})
	}
	// Paging parameters are read like Ruby's to_i, never refused.
	for _, q := range []string{"page=0", "per_page=x"} {
		for _, list := range []string{priceBooksPath, priceBookAcctAsgsPath} {
			r := do(t, call{method: http.MethodGet, path: list + "?" + q})
			require.Equal(t, http.StatusOK, r.status, "%s?%s: %s", list, q, r.body)
		}
	}

	unknown := func(base string) string { return fmt.Sprintf("%s/%d", base, unknownPriceBookID) }
	for _, c := range []call{
		{method: http.MethodGet, path: unknown(priceBooksPath)},
		{method: http.MethodPut, path: unknown(priceBooksPath), body: map[string]any{}},
		{method: http.MethodDelete, path: unknown(priceBooksPath)},
		{method: http.MethodGet, path: unknown(priceBooksPath) + "/specification"},
		{method: http.MethodGet, path: unknown(priceBookAsgsPath)},
		{method: http.MethodPut, path: unknown(priceBookAsgsPath), body: map[string]any{}},
		{method: http.MethodDelete, path: unknown(priceBookAsgsPath)},
		{method: http.MethodGet, path: fmt.Sprintf("%s?target_client_api_id=%d", priceBookAsgsPath, p.UnknownClientAPIID)},
		{method: http.MethodGet, path: unknown(priceBookAcctAsgsPath)},
		{method: http.MethodPut, path: unknown(priceBookAcctAsgsPath), body: map[string]any{}},
		{method: http.MethodDelete, path: unknown(priceBookAcctAsgsPath)},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			requireError(t, do(t, c), http.StatusNotFound)
		})
	}
}

// The paging contract of the enveloped lists.
func TestPriceBookListsPaging(t *testing.T) {
	requireListPagingRules(t, priceBookAsgsPath, "price_book_assignments")
	requireListPagingRules(t, priceBookAcctAsgsPath, "price_book_account_assignments")
}
