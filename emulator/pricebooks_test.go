package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// goldSpec is a specification with the documented root element.
const goldSpec = `<CHTBillingRules createdBy="user@partner.com" date="2018-01-01"><RuleGroup>` +
	`<BillingRule name="10% on EC2"><BasicBillingRule billingAdjustment="10.0" billingRuleType="percentDiscount"/>` +
	`<Product productName="Amazon Elastic Compute Cloud"/></BillingRule></RuleGroup></CHTBillingRules>`

// demoCustomer reads the demo partner's customer with the id through the
// API and returns its client_api_id (never hard-coded: fixtures change).
func demoClientAPIID(ts *testServer, customerID int64) int64 {
	ts.t.Helper()
	r := ts.get(fmt.Sprintf("/v1/customers/%d", customerID))
	require.Equal(ts.t, http.StatusOK, r.Status, "body: %s", r.Body)
	return int64(r.Object()["client_api_id"].(float64))
}

func num(v any) int64 { return int64(v.(float64)) }

// The whole life of a price book through the API: create, read (one, list,
// specification), test, assign to a customer and to accounts (one, several,
// ALL), read the assignments back, change each, and remove everything in
// order; the statements of the assigned customer are read along the way.
func TestPriceBookScenario(t *testing.T) {
	ts := newTestServer(t, Options{})
	client := demoClientAPIID(ts, 1)

	// Create.
	r := ts.post("/v1/price_books", map[string]any{"book_name": "Gold tier", "specification": goldSpec})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	book := r.Object()["price_book"].(map[string]any)
	bookID := num(book["id"])
	require.Equal(t, "Gold tier", book["book_name"])
	require.Len(t, book["file_hash"], 32)
	require.Equal(t, "2026-01-02T03:04:05Z", book["created_at"])

	// Read it back: alone, in the list (a top-level array), its specification as given.
	r = ts.get(fmt.Sprintf("/v1/price_books/%d", bookID))
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, book, r.Object())
	r = ts.get("/v1/price_books")
	require.Equal(t, http.StatusOK, r.Status)
	list := r.JSON().([]any)
	require.Equal(t, book, list[len(list)-1])
	require.Equal(t, fmt.Sprint(len(list)), r.Header.Get("X-Total"))
	r = ts.get(fmt.Sprintf("/v1/price_books/%d/specification", bookID))
	require.Equal(t, map[string]any{"specification": goldSpec}, r.Object())

	// Test it on the customer.
	r = ts.put("/v1/price_books/dry_run", map[string]any{"price_book_id": fmt.Sprint(bookID),
		"target_client_api_id": fmt.Sprint(client), "month": "2018-01", "billing_account_owner_id": "100000000002"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Object()["message"], "you will receive an email")
	require.Contains(t, r.Object()["message"], "equals 1 out of 4000 per hour")
	r = ts.put("/v1/price_books/dry_run", map[string]any{"price_book_id": bookID,
		"customer_id": client, "month": "2018-01", "billing_account_owner_id": 100000000002, "upload_to_s3": true})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Object()["message"], "S3 Bucket")
	require.Contains(t, r.Object()["message"], "equals 2 out of 4000 per hour")

	// Assign it to the customer.
	r = ts.post("/v1/price_book_assignments", map[string]any{"price_book_id": bookID, "target_client_api_id": client})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	asg := r.Object()
	asgID := num(asg["id"])
	require.Equal(t, float64(client), asg["target_client_api_id"])
	require.Equal(t, float64(bookID), asg["price_book_id"])
	r = ts.get(fmt.Sprintf("/v1/price_book_assignments/%d", asgID))
	require.Equal(t, asg, r.Object())
	// The list filter, as a query parameter and as the guide's GET body.
	r = ts.get(fmt.Sprintf("/v1/price_book_assignments?target_client_api_id=%d", client))
	require.Equal(t, []any{asg}, r.Object()["price_book_assignments"])
	r = ts.do(request{Method: http.MethodGet, Path: "/v1/price_book_assignments", Key: demoKey,
		Body: map[string]any{"target_client_api_id": fmt.Sprint(client)}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, []any{asg}, r.Object()["price_book_assignments"])

	// An assigned price book cannot be deleted, and says why.
	ts.unchanged(func() {
		r = ts.del(fmt.Sprintf("/v1/price_books/%d", bookID))
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Contains(t, r.Error(), fmt.Sprintf("price book assignments %d", asgID))
	})

	// Assign it to accounts: several (a partner account and a customer's), then ALL.
	r = ts.post("/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID,
		"billing_account_owner_ids": []string{"100000000002", "000000000002"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	accts := r.Object()["price_book_account_assignments"].([]any)
	require.Len(t, accts, 2)
	first := accts[0].(map[string]any)
	require.Equal(t, "100000000002", first["billing_account_owner_id"])
	require.Equal(t, float64(client), first["target_client_api_id"])
	require.Equal(t, float64(asgID), first["price_book_assignment_id"])
	r = ts.post("/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "ALL"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	all := r.Object()
	require.Equal(t, "ALL", all["billing_account_owner_id"])
	r = ts.get(fmt.Sprintf("/v1/price_book_account_assignments/%d", num(first["id"])))
	require.Equal(t, first, r.Object())
	r = ts.get("/v1/price_book_account_assignments")
	listed := r.Object()["price_book_account_assignments"].([]any)
	require.Equal(t, append(accts, all), listed[len(listed)-3:])
	require.Equal(t, fmt.Sprint(len(listed)), r.Header.Get("X-Total"))

	// Change each: the book's specification and name, the customer's book, an account.
	r = ts.post("/v1/price_books", map[string]any{"book_name": "Platinum", "specification": "<CHTBillingRules/>"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	otherID := num(r.Object()["price_book"].(map[string]any)["id"])
	ts.srv.clock.Advance(time.Hour)
	r = ts.put(fmt.Sprintf("/v1/price_books/%d", bookID), map[string]any{"specification": "<CHTBillingRules date=\"2019-01-01\"/>", "book_name": "Gold tier 2"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "Gold tier 2", r.Object()["book_name"])
	require.NotEqual(t, book["file_hash"], r.Object()["file_hash"])
	require.Equal(t, book["created_at"], r.Object()["created_at"])
	require.Equal(t, "2026-01-02T04:04:05Z", r.Object()["updated_at"])
	r = ts.get(fmt.Sprintf("/v1/price_books/%d/specification", bookID))
	require.Equal(t, `<CHTBillingRules date="2019-01-01"/>`, r.Object()["specification"])
	r = ts.put(fmt.Sprintf("/v1/price_book_assignments/%d", asgID), map[string]any{"price_book_id": otherID})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, float64(otherID), r.Object()["price_book_id"])
	r = ts.put(fmt.Sprintf("/v1/price_book_account_assignments/%d", num(first["id"])), map[string]any{"billing_account_owner_id": "100000000004"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "100000000004", r.Object()["billing_account_owner_id"])

	// The customer's statements are there to read too.
	r = ts.get(fmt.Sprintf("/v1/customer_statements?client_api_id=%d&status=Final", client))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.NotEmpty(t, r.Object()["billing_artifacts"])

	// Remove everything, in the order the refusals ask for.
	ts.unchanged(func() {
		r = ts.del(fmt.Sprintf("/v1/price_book_assignments/%d", asgID))
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Contains(t, r.Error(), "price book account assignments")
	})
	for _, a := range append(accts, all) {
		r = ts.del(fmt.Sprintf("/v1/price_book_account_assignments/%d", num(a.(map[string]any)["id"])))
		require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)
		require.Empty(t, r.Body)
	}
	require.Equal(t, http.StatusNoContent, ts.del(fmt.Sprintf("/v1/price_book_assignments/%d", asgID)).Status)
	for _, id := range []int64{bookID, otherID} {
		require.Equal(t, http.StatusNoContent, ts.del(fmt.Sprintf("/v1/price_books/%d", id)).Status)
		requireJSONError(t, ts.get(fmt.Sprintf("/v1/price_books/%d", id)), http.StatusNotFound)
	}
	requireJSONError(t, ts.get(fmt.Sprintf("/v1/price_book_assignments/%d", asgID)), http.StatusNotFound)
	r = ts.get("/v1/price_book_account_assignments")
	require.Len(t, r.Object()["price_book_account_assignments"], len(listed)-3)
}

// Every refusal of the price book writes is a 4xx JSON answer that says why
// and leaves the state as it was.
func TestPriceBookRefusals(t *testing.T) {
	ts := newTestServer(t, Options{})
	client := demoClientAPIID(ts, 1)
	other := demoClientAPIID(ts, 2)
	r := ts.post("/v1/price_books", map[string]any{"book_name": "Refusals", "specification": goldSpec})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	bookID := num(r.Object()["price_book"].(map[string]any)["id"])
	r = ts.post("/v1/price_book_assignments", map[string]any{"price_book_id": bookID, "target_client_api_id": client})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	asgID := num(r.Object()["id"])
	r = ts.post("/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "100000000002"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	acctID := num(r.Object()["price_book_account_assignments"].([]any)[0].(map[string]any)["id"])

	for _, tc := range []struct {
		name, method, path string
		body               any
		contentType, key   string
		status             int
		want               []string
	}{
		{"create without fields", "POST", "/v1/price_books", map[string]any{}, "", "", 422, []string{"book_name is required", "specification is required"}},
		{"create with a taken name", "POST", "/v1/price_books", map[string]any{"book_name": "Silver Tier", "specification": goldSpec}, "", "", 422, []string{`book_name "Silver Tier" is already the name of price book 1`}},
		{"create with a blank name", "POST", "/v1/price_books", map[string]any{"book_name": " ", "specification": goldSpec}, "", "", 422, []string{"book_name must not be blank"}},
		{"create with a NUL in the name", "POST", "/v1/price_books", map[string]any{"book_name": "a\x00b", "specification": goldSpec}, "", "", 422, []string{"without NUL"}},
		{"create with malformed XML", "POST", "/v1/price_books", map[string]any{"book_name": "x", "specification": "<CHTBillingRules><RuleGroup></CHTBillingRules>"}, "", "", 422, []string{"not well-formed XML"}},
		{"create with another root", "POST", "/v1/price_books", map[string]any{"book_name": "x", "specification": "<Rules/>"}, "", "", 422, []string{"root element is <Rules>"}},
		{"create with two roots", "POST", "/v1/price_books", map[string]any{"book_name": "x", "specification": "<CHTBillingRules/><CHTBillingRules/>"}, "", "", 422, []string{"more than one root"}},
		{"create with text, no XML", "POST", "/v1/price_books", map[string]any{"book_name": "x", "specification": "gold"}, "", "", 422, []string{"specification"}},
		{"create with a null", "POST", "/v1/price_books", `{"book_name": null, "specification": "<CHTBillingRules/>"}`, "", "", 422, []string{"book_name"}},
		{"create as a form", "POST", "/v1/price_books", "book_name=x", "application/x-www-form-urlencoded", "", 422, []string{"Content-Type"}},
		{"create with malformed JSON", "POST", "/v1/price_books", `{"book_name": `, "", "", 422, []string{"not valid JSON"}},
		{"update unknown", "PUT", "/v1/price_books/999", map[string]any{}, "", "", 404, nil},
		{"update another partner's", "PUT", fmt.Sprintf("/v1/price_books/%d", bookID), map[string]any{}, "", otherKey, 404, nil},
		{"update with a taken name", "PUT", fmt.Sprintf("/v1/price_books/%d", bookID), map[string]any{"book_name": "Silver Tier"}, "", "", 422, []string{"already the name"}},
		{"update with bad XML", "PUT", fmt.Sprintf("/v1/price_books/%d", bookID), map[string]any{"specification": "<CHTBillingRules>"}, "", "", 422, []string{"not well-formed XML"}},
		{"delete unknown", "DELETE", "/v1/price_books/999", nil, "", "", 404, nil},
		{"dry run without fields", "PUT", "/v1/price_books/dry_run", map[string]any{}, "", "", 422, []string{"price_book_id is required", "target_client_api_id is required", "month is required", "billing_account_owner_id is required"}},
		{"dry run with unknowns", "PUT", "/v1/price_books/dry_run", map[string]any{"price_book_id": 999, "target_client_api_id": 999999, "month": "2018-13", "billing_account_owner_id": "123"}, "", "", 422, []string{"price_book_id 999", "target_client_api_id 999999", `month "2018-13"`, `billing_account_owner_id "123"`}},
		{"dry run naming two customers", "PUT", "/v1/price_books/dry_run", map[string]any{"price_book_id": bookID, "target_client_api_id": client, "customer_id": other, "month": "2018-01", "billing_account_owner_id": "000000000002"}, "", "", 422, []string{"different customers"}},
		{"dry run with a non-id", "PUT", "/v1/price_books/dry_run", map[string]any{"price_book_id": "x1"}, "", "", 422, []string{"price_book_id"}},
		{"assign without fields", "POST", "/v1/price_book_assignments", map[string]any{}, "", "", 422, []string{"price_book_id is required", "target_client_api_id is required"}},
		{"assign unknowns", "POST", "/v1/price_book_assignments", map[string]any{"price_book_id": 999, "target_client_api_id": 999999}, "", "", 422, []string{"price_book_id 999 is not", "target_client_api_id 999999 is not"}},
		{"assign a customer twice", "POST", "/v1/price_book_assignments", map[string]any{"price_book_id": 1, "target_client_api_id": client}, "", "", 422, []string{fmt.Sprintf("already has price book assignment %d", asgID)}},
		{"assign another partner's book", "POST", "/v1/price_book_assignments", map[string]any{"price_book_id": bookID, "target_client_api_id": demoClientAPIIDOther(ts)}, "", otherKey, 422, []string{"is not one of your price books"}},
		{"move an assignment to another customer", "PUT", fmt.Sprintf("/v1/price_book_assignments/%d", asgID), map[string]any{"target_client_api_id": other}, "", "", 422, []string{"cannot change"}},
		{"update an unknown assignment", "PUT", "/v1/price_book_assignments/999", map[string]any{"price_book_id": 1}, "", "", 404, nil},
		{"delete an unknown assignment", "DELETE", "/v1/price_book_assignments/999", nil, "", "", 404, nil},
		{"filter with an unknown customer", "GET", "/v1/price_book_assignments?target_client_api_id=999999", nil, "", "", 404, nil},
		{"filter with a non-integer", "GET", "/v1/price_book_assignments?target_client_api_id=abc", nil, "", "", 422, []string{"target_client_api_id"}},
		{"filter body that is not JSON", "GET", "/v1/price_book_assignments", `{"target_client_api_id": `, "", "", 422, nil},
		{"filter body as a form", "GET", "/v1/price_book_assignments", "target_client_api_id=1", "application/x-www-form-urlencoded", "", 422, []string{"Content-Type"}},
		{"filter body with a non-id", "GET", "/v1/price_book_assignments", map[string]any{"target_client_api_id": "abc"}, "", "", 422, []string{"target_client_api_id"}},
		{"account assignment without fields", "POST", "/v1/price_book_account_assignments", map[string]any{}, "", "", 422, []string{"price_book_assignment_id is required", "billing_account_owner_id"}},
		{"account assignment with both forms", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "ALL", "billing_account_owner_ids": []string{"000000000001"}}, "", "", 422, []string{"not both"}},
		{"account assignment of an unknown account", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "343243"}, "", "", 422, []string{`"343243" is not the owner id`}},
		{"account assignment of another customer's account", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_id": "100000000006"}, "", "", 422, []string{`"100000000006" is not the owner id`}},
		{"account assignment twice", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_ids": "000000000001, 100000000002"}, "", "", 422, []string{fmt.Sprintf("already has price book account assignment %d", acctID)}},
		{"account assignment naming one twice", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_ids": []string{"000000000001", "000000000001"}}, "", "", 422, []string{"named twice"}},
		{"account assignment of ALL in the list", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_ids": []string{"ALL"}}, "", "", 422, []string{`cannot hold "ALL"`}},
		{"account assignment with no accounts", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_ids": []string{}}, "", "", 422, []string{"at least one"}},
		{"account assignment of an unknown assignment", "POST", "/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": 999, "billing_account_owner_id": "ALL"}, "", "", 422, []string{"price_book_assignment_id 999"}},
		{"move an account assignment to another assignment", "PUT", fmt.Sprintf("/v1/price_book_account_assignments/%d", acctID), map[string]any{"price_book_assignment_id": 999}, "", "", 422, []string{"cannot change"}},
		{"modify an account assignment with a list", "PUT", fmt.Sprintf("/v1/price_book_account_assignments/%d", acctID), map[string]any{"billing_account_owner_ids": []string{"000000000001"}}, "", "", 422, []string{"cannot be modified"}},
		{"modify an account assignment to an unknown account", "PUT", fmt.Sprintf("/v1/price_book_account_assignments/%d", acctID), map[string]any{"billing_account_owner_id": "1"}, "", "", 422, []string{`"1" is not the owner id`}},
		{"modify an unknown account assignment", "PUT", "/v1/price_book_account_assignments/999", map[string]any{}, "", "", 404, nil},
		{"delete an unknown account assignment", "DELETE", "/v1/price_book_account_assignments/999", nil, "", "", 404, nil},
		{"read another partner's account assignment", "GET", fmt.Sprintf("/v1/price_book_account_assignments/%d", acctID), nil, "", otherKey, 404, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == "" {
				key = demoKey
			}
			ts.unchanged(func() {
				r := ts.do(request{Method: tc.method, Path: tc.path, Key: key, Body: tc.body, ContentType: tc.contentType})
				requireJSONError(t, r, tc.status)
				for _, w := range tc.want {
					require.Contains(t, r.Error(), w)
				}
			})
		})
	}
}

// demoClientAPIIDOther is the client_api_id of the other partner's customer.
func demoClientAPIIDOther(ts *testServer) int64 {
	ts.t.Helper()
	r := ts.do(request{Method: http.MethodGet, Path: "/v1/customers", Key: otherKey})
	require.Equal(ts.t, http.StatusOK, r.Status)
	return num(r.Object()["customers"].([]any)[0].(map[string]any)["client_api_id"])
}

// Deleting a customer removes its price book assignment with its account
// assignments, and deleting an AWS account the account assignments naming
// it: nothing is left naming what is gone.
func TestPriceBookAssignmentsFollowDeletions(t *testing.T) {
	ts := newTestServer(t, Options{})
	client := demoClientAPIID(ts, 4)
	r := ts.post("/v1/price_book_assignments", map[string]any{"price_book_id": 1, "target_client_api_id": client})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	asgID := num(r.Object()["id"])
	r = ts.post("/v1/price_book_account_assignments", map[string]any{"price_book_assignment_id": asgID, "billing_account_owner_ids": []string{"000000000005", "000000000003"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	// The partner's standalone account 105 (owner 000000000005) goes: its account assignment with it.
	require.Equal(t, http.StatusNoContent, ts.del("/v1/aws_accounts/105").Status)
	r = ts.get("/v1/price_book_account_assignments")
	items := r.Object()["price_book_account_assignments"].([]any)
	require.Len(t, items, 2) // the fixtures' one, and the one left
	require.Equal(t, "000000000003", items[1].(map[string]any)["billing_account_owner_id"])
	// The customer goes: its assignment and the rest with it; the book can go too.
	require.Equal(t, http.StatusNoContent, ts.del("/v1/customers/4").Status)
	requireJSONError(t, ts.get(fmt.Sprintf("/v1/price_book_assignments/%d", asgID)), http.StatusNotFound)
	require.Len(t, ts.get("/v1/price_book_account_assignments").Object()["price_book_account_assignments"], 1)
	require.Equal(t, http.StatusNoContent, ts.del("/v1/price_books/1").Status)
	// The fixtures' assigned book cannot go while its customer is assigned it.
	requireJSONError(t, ts.del("/v1/price_books/2"), http.StatusUnprocessableEntity)
}

// The dry run counts the partner's runs of the last hour and refuses the
// 4001st with a 429 that says why; an hour later the count starts again.
func TestDryRunRateLimit(t *testing.T) {
	ts := newTestServer(t, Options{})
	client := demoClientAPIID(ts, 1)
	body := map[string]any{"price_book_id": 1, "target_client_api_id": client, "month": "2018-01", "billing_account_owner_id": "000000000001"}
	require.NoError(t, ts.srv.store.Write(func(st *state.State) error {
		p, _ := st.Partner(1)
		for range dryRunLimit - 1 {
			st.RecordDryRun(p, ts.srv.now(), dryRunLimit)
		}
		return nil
	}))
	r := ts.put("/v1/price_books/dry_run", body)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Object()["message"], "equals 4000 out of 4000")
	r = ts.put("/v1/price_books/dry_run", body)
	requireJSONError(t, r, http.StatusTooManyRequests)
	require.True(t, strings.Contains(r.Error(), "rate limit"), r.Error())
	ts.srv.clock.Advance(time.Hour + time.Second)
	r = ts.put("/v1/price_books/dry_run", body)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Object()["message"], "equals 1 out of 4000")
}
