package emulator

// Fuzz targets of the GovCloud linkage, partner customer and AWS account
// endpoints (BEHAVIOR.md sections 4, 6 and 7), built on fuzz_test.go's
// helpers: the same properties hold (never a 5xx, never a response that
// breaks openapi.yaml, the invariants hold after every write, a refused
// request leaves the state dump byte for byte unchanged).

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// Ids of the default fixtures used below: customers 1-4 (client_api_ids
// 1-4) are the demo partner's, customer 5 (5) the other
// partner's. GovCloud linkage 1 is customer 1's. Partner AWS accounts
// 100-113 are the demo partner's (100 and 110 head billing families, 102,
// 111 and 112 are assigned), 200-202 the other partner's; customer accounts
// 1-5 are customer 1's (3 and 4 linked), 6 customer 3's, 7-8 customer 5's.
var fuzzCustomerIDs = []int64{1, 2, 3, 4, 5, 99, 0}

// pickOf returns one of paths, chosen by pick.
func pickOf(paths ...string) func(uint8) string {
	return func(pick uint8) string { return paths[int(pick)%len(paths)] }
}

var linkageSeeds = []string{
	`{"govcloud_acct_id": 1, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 5, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 2, "commercial_acct_id": 1}`,
	`{"govcloud_acct_id": 3, "commercial_acct_id": 4}`,
	`{"govcloud_acct_id": 1, "commercial_acct_id": 4}`,
	`{"govcloud_acct_id": 7, "commercial_acct_id": 8}`,
	`{"govcloud_acct_id": 1, "commercial_acct_id": 6}`,
	`{"govcloud_acct_id": 100, "commercial_acct_id": 101}`,
	`{"govcloud_acct_id": 1}`,
	`{"commercial_acct_id": 2}`,
	`{"id": 9, "customer_id": 2, "govcloud_acct_id": 5, "commercial_acct_id": 2, "created_at": "x"}`,
	`{"govcloud_acct_id": "1", "commercial_acct_id": 2.5}`,
	`{"govcloud_acct_id": null, "commercial_acct_id": 2}`,
	`{"govcloud_acct_id": 1e30, "commercial_acct_id": -2}`,
	`{"govcloud_acct_id": 9223372036854775807, "commercial_acct_id": 0}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreateLinkage(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: pickOf(
		"/api/v1/govcloud_linkages?client_api_id=1",
		"/api/v1/govcloud_linkages?client_api_id=3",
		"/api/v1/govcloud_linkages?client_api_id=5",
		"/api/v1/govcloud_linkages?client_api_id=99999",
		"/api/v1/govcloud_linkages?client_api_id=abc",
		"/api/v1/govcloud_linkages",
	)}, linkageSeeds...)
}

func FuzzUpdateLinkage(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickOf(
		"/api/v1/govcloud_linkages/1?client_api_id=1",
		"/api/v1/govcloud_linkages/1?client_api_id=2",
		"/api/v1/govcloud_linkages/1?client_api_id=5",
		"/api/v1/govcloud_linkages/2?client_api_id=1",
		"/api/v1/govcloud_linkages/0?client_api_id=1",
		"/api/v1/govcloud_linkages/1",
		"/api/v1/govcloud_linkages/1?client_api_id=1.5",
	)}, linkageSeeds...)
}

var customerSeeds = []string{
	`{"name": "New Co", "address": {"street1": "1 Main St", "street2": "", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}, "classification": "managed_without_access", "trial_expiration": "2026-12-31T00:00:00", "billing_contact": "a@b.c", "partner_billing_configuration": {"enabled": "true", "folder": "x"}, "tags": [{"key": "env", "value": "prod"}]}`,
	`{"name": "Azure Two", "address": {"street1": "a", "city": "b", "state": "c", "zipcode": "d", "country": "e"}}`,
	`{"name": "Other Customer", "address": {"street1": "a", "city": "b", "state": "c", "zipcode": "d", "country": "e"}}`,
	`{"name": "renamed"}`,
	`{"name": ""}`,
	`{"name": "  "}`,
	`{"name": null}`,
	`{"address": {"city": ""}}`,
	`{"classification": "managed"}`,
	`{"trial_expiration": "tomorrow"}`,
	`{"trial_expiration": ""}`,
	`{"partner_billing_configuration": {"enabled": "false"}}`,
	`{"partner_billing_configuration": {"enabled": "yes"}}`,
	`{"partner_billing_configuration": {"enabled": 1, "folder": null}}`,
	`{"tags": [{"key": "1"}, {"key": "2"}, {"key": "3"}, {"key": "4"}, {"key": "5"}, {"key": "6"}, {"key": "7"}, {"key": "8"}, {"key": "9"}, {"key": "10"}, {"key": "11"}, {"key": "12"}, {"key": "13"}, {"key": "14"}, {"key": "15"}, {"key": "16"}, {"key": "17"}, {"key": "18"}, {"key": "19"}, {"key": "20"}, {"key": "21"}]}`,
	`{"tags": [{"key": "", "value": "v"}]}`,
	`{"tags": null}`,
	`{"id": 7, "client_api_id": 2, "created_at": "0001-01-01T00:00:00Z", "_links": {}}`,
	`{}`,
	`[]`,
	`null`,
	``,
}

func FuzzCreateCustomer(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: fixedPath("/v1/customers")}, customerSeeds...)
}

func FuzzUpdateCustomer(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickPath("/v1/customers/%d", fuzzCustomerIDs...)}, customerSeeds...)
}

var awsAccountSeeds = []string{
	`{"name": "new", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::123456789012:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "gov", "region": "govcloud", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws-us-gov:iam::100000000001:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "dup", "authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::000000000002:role/CH", "assume_role_external_id": "ext"}}`,
	`{"name": "key", "authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": "s"}, "billing": {"bucket": "b"}, "cost_and_usage_report": {"bucket": "c", "path": "p"}, "cloudtrail": {"enabled": true, "bucket": "t", "prefix": "p"}, "cloudwatch": {"enabled": true, "namespaces": "CWAgent,System/Linux", "runtime": 24}, "tags": [{"key": "k", "value": "v"}], "hide_public_fields": true, "primary_aws_region": "eu-central-1"}`,
	`{"name": "x", "authentication": {"protocol": "access_key", "access_key": "AKIA"}}`,
	`{"region": "govcloud", "is_govcloud": false}`,
	`{"region": "govcloud"}`,
	`{"is_govcloud": true, "primary_aws_region": "us-east-1"}`,
	`{"region": "mars"}`,
	`{"authentication": {"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::000000000099:role/CH", "assume_role_external_id": "e"}}`,
	`{"authentication": {"protocol": "magic"}}`,
	`{"cloudwatch": {"runtime": 5, "namespaces": "Nope"}}`,
	`{"cloudtrail": {"enabled": true}}`,
	`{"cost_and_usage_report": {"path": "p"}}`,
	`{"billing": {"bucket": ""}}`,
	`{"tags": [{"key": ""}]}`,
	`{"name": ""}`,
	`{"name": null}`,
	`{"id": 1, "owner_id": "000000000001", "created_at": "x", "status": {"level": "green"}}`,
	`{}`,
	`[]`,
	``,
}

func FuzzCreateAWSAccount(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPost, path: pickOf(
		"/v1/aws_accounts",
		"/v1/aws_accounts?client_api_id=1",
		"/v1/aws_accounts?client_api_id=3",
		"/v1/aws_accounts?client_api_id=5",
		"/v1/aws_accounts?client_api_id=99999",
		"/v1/aws_accounts?client_api_id=x",
	)}, awsAccountSeeds...)
}

// fuzzAWSAccountPaths are the AWS account paths with an id: the partner's
// own accounts (assigned, family heads, free, the other partner's) and
// customers' (linked, free, another customer's, the other partner's).
var fuzzAWSAccountPaths = []string{
	"/v1/aws_accounts/100",
	"/v1/aws_accounts/102",
	"/v1/aws_accounts/104",
	"/v1/aws_accounts/105",
	"/v1/aws_accounts/110",
	"/v1/aws_accounts/200",
	"/v1/aws_accounts/1",
	"/v1/aws_accounts/2?client_api_id=1",
	"/v1/aws_accounts/3?client_api_id=1",
	"/v1/aws_accounts/5?client_api_id=1",
	"/v1/aws_accounts/6?client_api_id=1",
	"/v1/aws_accounts/6?client_api_id=3",
	"/v1/aws_accounts/7?client_api_id=5",
	"/v1/aws_accounts/99?client_api_id=1",
}

func FuzzUpdateAWSAccount(f *testing.F) {
	fuzzBody(f, bodyTarget{method: http.MethodPut, path: pickOf(fuzzAWSAccountPaths...)}, awsAccountSeeds...)
}

// fuzzPathSegment fuzzes one path segment of a body-less request: format's
// one %s gets the segment (path-escaped), chosen among formats by pick; the
// other partner's key is used when pick's top bit is set.
func fuzzPathSegment(f *testing.F, method string, formats []string, seeds ...string) {
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, pick uint8, segment string) {
		key := demoKey
		if pick&0x80 != 0 {
			key = otherKey
		}
		format := formats[int(pick&0x7f)%len(formats)]
		fz.check(t, request{Method: method, Key: key, Path: fmt.Sprintf(format, url.PathEscape(segment))}, nil)
	})
}

var idSegmentSeeds = []string{"1", "2", "3", "4", "5", "6", "7", "99", "100", "102", "110", "0", "-1", "abc", "1.0",
	"99999999999999999999", "1/x", "..", "%", " 1", "０"}

func FuzzDeleteCustomer(f *testing.F) {
	fuzzPathSegment(f, http.MethodDelete, []string{"/v1/customers/%s"}, idSegmentSeeds...)
}

func FuzzDeleteAWSAccount(f *testing.F) {
	fuzzPathSegment(f, http.MethodDelete, []string{
		"/v1/aws_accounts/%s",
		"/v1/aws_accounts/%s?client_api_id=1",
		"/v1/aws_accounts/%s?client_api_id=3",
		"/v1/aws_accounts/%s?client_api_id=5",
		"/v1/aws_accounts/%s?client_api_id=99999",
	}, idSegmentSeeds...)
}

// accountQueryPaths are the GET paths of GovCloud linkages, customers and
// AWS accounts whose query parameters FuzzQueryAccounts fuzzes (at most 8).
var accountQueryPaths = []string{
	"/api/v1/govcloud_linkages",
	"/api/v1/govcloud_linkages/1",
	"/v1/customers",
	"/v1/customers/1",
	"/v1/aws_accounts",
	"/v1/aws_accounts/100",
	"/v1/aws_accounts/1",
}

// FuzzQueryAccounts is FuzzQuery over accountQueryPaths.
func FuzzQueryAccounts(f *testing.F) {
	fuzzQuery(f, accountQueryPaths, []querySeed{
		{0x80 | 0x40, "", "", "", "1"},
		{0x80 | 0x58, "1", "1", "", "1"},
		{0x80 | 0x41, "", "", "", "2"},
		{0x80 | 0x40, "", "", "", "abc"},
		{0x80 | 0x1a, "2", "2", "", ""},
		{0x80 | 0x5c, "1", "2", "", "1"},
		{0x80 | 0x44, "", "", "", "5"},
		{0x80 | 0x46, "", "", "", "1"},
		{0x80 | 0x45, "", "", "", "1"},
		{0x63, "", "", otherKey, "5"},
		{0x20, "", "", "nope", ""},
		// Near the int64 boundaries on the customers and AWS account lists.
		{0x80 | 0x1a, "9223372036854775807", "100", "", ""},
		{0x80 | 0x1a, "9223372036854775808", "9223372036854775808", "", ""},
		{0x80 | 0x1c, "-9223372036854775808", "-9223372036854775808", "", ""},
		{0x80 | 0x1c, "99999999999999999999", "1", "", ""},
		{0x80 | 0x5c, "9223372036854775807", "9223372036854775807", "", "1"},
	})
}
