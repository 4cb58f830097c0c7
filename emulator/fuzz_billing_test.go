package emulator

// Fuzz targets of the price book endpoints' bodies (docs/fidelity.md,
// "Customer statements and price books"), built on fuzz_test.go's helpers:
// never a 5xx, never a response that breaks openapi.yaml, the invariants
// hold after every write, a refused request leaves the state dump byte for
// byte unchanged, and any state reached dumps and loads back unchanged.
//
// Ids of the default fixtures used below: price books 1 (unassigned) and 2
// (assigned to customer 2 as price book assignment 1, applied to its account
// 000000000011 as account assignment 1) are the demo partner's. Customers
// are named by client_api_id both as the fixtures give it (10001-10004,
// 20001 the other partner's) and as the customer's id (1-5), which is what a
// client_api_id defaults to.

import (
	"net/http"
	"testing"
)

var priceBookIDs = []int64{1, 2, 3, 99, 0}

var priceBookSeeds = []string{
	`{"book_name": "Gold tier", "specification": "<CHTBillingRules createdBy=\"a@b.c\" date=\"2018-01-01\"><RuleGroup/></CHTBillingRules>"}`,
	`{"book_name": "Silver Tier", "specification": "<CHTBillingRules/>"}`,
	`{"book_name": "Gold tier", "specification": "<Rules/>"}`,
	`{"book_name": "x", "specification": "<CHTBillingRules><a></CHTBillingRules>"}`,
	`{"book_name": "x", "specification": "<CHTBillingRules/><CHTBillingRules/>"}`,
	`{"book_name": "x", "specification": "<CHTBillingRules>\u0000</CHTBillingRules>"}`,
	`{"book_name": "a\u0000b", "specification": "<CHTBillingRules/>"}`,
	`{"book_name": "\udc00", "specification": "<CHTBillingRules/>"}`,
	`{"book_name": " ", "specification": ""}`,
	`{"specification": "<CHTBillingRules/>"}`,
	`{"book_name": "Gold tier 2"}`,
	`{"book_name": null, "specification": "<CHTBillingRules/>"}`,
	`{"book_name": 7, "specification": ["<CHTBillingRules/>"]}`,
	`{"id": 9, "file_hash": "x", "created_at": "y", "book_name": "Renamed", "specification": "<CHTBillingRules/>"}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreatePriceBook(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/price_books")}, priceBookSeeds...)
}

func FuzzUpdatePriceBook(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/price_books/%d", priceBookIDs...)}, priceBookSeeds...)
}

func FuzzDryRunPriceBook(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: fixedPath("/v1/price_books/dry_run")},
		`{"price_book_id": 1, "target_client_api_id": 10001, "month": "2018-01", "billing_account_owner_id": "100000000002"}`,
		`{"price_book_id": "1", "target_client_api_id": "1", "month": "2018-01", "billing_account_owner_id": 100000000002, "upload_to_s3": true}`,
		`{"price_book_id": 1, "customer_id": 10001, "month": "2018-01", "billing_account_owner_id": "000000000001", "upload_to_s3": "false"}`,
		`{"price_book_id": 1, "target_client_api_id": 10001, "customer_id": 10002, "month": "2018-01", "billing_account_owner_id": "000000000001"}`,
		`{"price_book_id": 99, "target_client_api_id": 20001, "month": "2018-13", "billing_account_owner_id": "1234"}`,
		`{"price_book_id": -1, "target_client_api_id": 1.5, "month": 201801, "billing_account_owner_id": true, "upload_to_s3": "yes"}`,
		`{"price_book_id": 99999999999999999999, "target_client_api_id": "1e3"}`,
		`{"price_book_id": null}`,
		`{}`,
		``,
	)
}

var priceBookAssignmentSeeds = []string{
	`{"price_book_id": 1, "target_client_api_id": 10001}`,
	`{"price_book_id": "1", "target_client_api_id": "1"}`,
	`{"price_book_id": 1, "target_client_api_id": 10002}`,
	`{"price_book_id": 1, "target_client_api_id": 2}`,
	`{"price_book_id": 2, "target_client_api_id": 20001}`,
	`{"price_book_id": 99, "target_client_api_id": 99999}`,
	`{"price_book_id": 1}`,
	`{"target_client_api_id": 10003}`,
	`{"price_book_id": -1, "target_client_api_id": "x"}`,
	`{"price_book_id": null, "target_client_api_id": 1}`,
	`{"price_book_id": 1.5, "target_client_api_id": 9223372036854775807}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreatePriceBookAssignment(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/price_book_assignments")}, priceBookAssignmentSeeds...)
}

func FuzzUpdatePriceBookAssignment(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/price_book_assignments/%d", 1, 2, 99, 0)}, priceBookAssignmentSeeds...)
}

// FuzzListPriceBookAssignments fuzzes the filter body the guide sends on the
// GET of the customer assignments (a GET changes nothing, whatever it answers).
func FuzzListPriceBookAssignments(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodGet, path: pickOf(
		"/v1/price_book_assignments",
		"/v1/price_book_assignments?target_client_api_id=10002",
		"/v1/price_book_assignments?target_client_api_id=2&page=2",
		"/v1/price_book_assignments?target_client_api_id=abc",
	)},
		`{"target_client_api_id": 10002}`,
		`{"target_client_api_id": "2"}`,
		`{"target_client_api_id": 20001}`,
		`{"target_client_api_id": "abc"}`,
		`{"target_client_api_id": null}`,
		`{"target_client_api_id": 1} trailing`,
		`target_client_api_id=2`,
		`{}`,
		` `,
		``,
	)
}

var accountAssignmentSeeds = []string{
	`{"price_book_assignment_id": 1, "billing_account_owner_id": "ALL"}`,
	`{"price_book_assignment_id": "1", "billing_account_owner_id": "000000000012"}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_id": 11}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": ["000000000012", "000000000001"]}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": "000000000012,000000000001"}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": ["000000000011"]}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": ["ALL", "000000000012", "000000000012"]}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": []}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_id": "ALL", "billing_account_owner_ids": ["000000000012"]}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_id": "100000000001"}`,
	`{"price_book_assignment_id": 99, "billing_account_owner_id": "343243"}`,
	`{"price_book_assignment_id": 1, "billing_account_owner_ids": [true, 1.5]}`,
	`{"billing_account_owner_id": null}`,
	`{}`,
	``,
}

func FuzzCreatePriceBookAccountAssignments(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/price_book_account_assignments")}, accountAssignmentSeeds...)
}

func FuzzUpdatePriceBookAccountAssignment(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/price_book_account_assignments/%d", 1, 2, 99, 0)}, accountAssignmentSeeds...)
}
