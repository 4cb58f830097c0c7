package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// AWS accounts through the full HTTP stack (the guide's AWS account pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "AWS accounts"). In
// fixtures/default.yaml partner 1 (demoKey) owns accounts 100-105 and
// 110-113; its customer 1 (client_api_id 1) owns 1-5 and 203 (made by
// assignment 1), customer 3 (3) owns 6. New accounts get id 207.

const awsAccountsPath = "/v1/aws_accounts"

func awsAccountPathOf(id any, clientAPIID int) string {
	if clientAPIID == 0 {
		return fmt.Sprintf("%s/%v", awsAccountsPath, id)
	}
	return fmt.Sprintf("%s/%v?client_api_id=%d", awsAccountsPath, id, clientAPIID)
}

// guideAccount is the request body of aws-account-add.md with a real account
// id in the role ARN (the guide's XCXXXXXXXXXZ is not one).
const guideAccount = `{
  "name": "Production Account",
  "authentication": {
    "protocol": "assume_role",
    "assume_role_arn": "arn:aws:iam::123456789012:role/CloudHealth-IAM-Role",
    "assume_role_external_id": "ABCDEFGH1234"
  },
  "billing": {
    "bucket": "my-billing-bucket"
  },
  "cost_and_usage_report": {
    "bucket": "cur-bucket",
    "path": "cur/path/api"
  },
  "cloudtrail": {
    "enabled": true,
    "bucket": "my-cloudtrail-bucket"
  },
  "tags": [
    {"key": "Environment", "value": "Production"}
  ]
}`

// accessKeyAccount is the guide's sample request (access_key authentication).
const accessKeyAccount = `{
  "name": "Production Account",
  "authentication": {
    "protocol": "access_key",
    "access_key": "AKIAQQQQQQQQQQQ",
    "secret_key": "S87345j34lkj3l45lkj+2342"
  },
  "billing": {
    "bucket": "my-billing-bucket"
  },
  "cost_and_usage_report" : {
    "bucket": "cur-bucket",
    "path": "cur/path/api"
  },
  "cloudtrail": {
    "enabled": true,
    "bucket": "my-cloudtrail-bucket"
  },
  "tags": [{
    "key": "Environment",
    "value": "Production"
  }]
}`

// guideAccountJSON is what the emulator shows for guideAccount created with
// the id, for a partner (clientAPIID 0) or a customer.
func guideAccountJSON(id int, clientAPIID int) map[string]any {
	self := fmt.Sprintf("/v1/aws_accounts/%d", id)
	if clientAPIID != 0 {
		self += fmt.Sprintf("?client_api_id=%d", clientAPIID)
	}
	return map[string]any{
		"id": float64(id), "name": "Production Account", "owner_id": "123456789012", "is_govcloud": false,
		"region": "global", "primary_aws_region": "us-east-1", "hide_public_fields": false,
		"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z",
		"account_type": "Unknown", "status": map[string]any{"level": "unknown"},
		"authentication": map[string]any{"protocol": "assume_role",
			"assume_role_arn":         "arn:aws:iam::123456789012:role/CloudHealth-IAM-Role",
			"assume_role_external_id": "ABCDEFGH1234"},
		"billing":               map[string]any{"bucket": "my-billing-bucket", "is_consolidated": false},
		"cost_and_usage_report": map[string]any{"bucket": "cur-bucket", "path": "cur/path/api"},
		"cloudtrail":            map[string]any{"enabled": true, "bucket": "my-cloudtrail-bucket"},
		"cloudwatch":            map[string]any{"enabled": true, "namespaces": "", "runtime": float64(1)},
		"tags":                  []any{map[string]any{"key": "Environment", "value": "Production"}},
		"_links":                map[string]any{"self": map[string]any{"href": self}},
	}
}

func TestAWSAccountGuideExampleRoundTrips(t *testing.T) {
	for _, clientAPIID := range []int{0, 1} {
		t.Run(fmt.Sprintf("client_api_id %d", clientAPIID), func(t *testing.T) {
			ts := newTestServer(t, Options{})
			path := awsAccountsPath
			if clientAPIID != 0 {
				path += "?client_api_id=" + strconv.Itoa(clientAPIID)
			}
			r := ts.post(path, guideAccount)
			require.Equal(t, http.StatusCreated, r.Status, "body: %s", r.Body)
			want := guideAccountJSON(newAWSAccountID, clientAPIID)
			require.Equal(t, want, r.Object())
			require.Equal(t, ts.URL+want["_links"].(map[string]any)["self"].(map[string]any)["href"].(string), r.Header.Get("Location"))
			require.Equal(t, want, ts.get(awsAccountPathOf(newAWSAccountID, clientAPIID)).Object())
			list := ts.get(path + map[bool]string{true: "?", false: "&"}[clientAPIID == 0] + "per_page=100").Object()["aws_accounts"].([]any)
			require.Equal(t, want, list[len(list)-1])
			// The other owner does not see it.
			other := 1
			if clientAPIID != 0 {
				other = 0
			}
			requireJSONError(t, ts.get(awsAccountPathOf(newAWSAccountID, other)), http.StatusNotFound)
			requireJSONError(t, ts.get(awsAccountPathOf(newAWSAccountID, 3)), http.StatusNotFound)
		})
	}
}

func TestAWSAccountAccessKeyHasNoOwnerID(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.post(awsAccountsPath, accessKeyAccount)
	require.Equal(t, http.StatusCreated, r.Status, "body: %s", r.Body)
	got := r.Object()
	require.Contains(t, got, "owner_id")
	require.Nil(t, got["owner_id"])
	require.Equal(t, map[string]any{"protocol": "access_key", "access_key": "AKIAQQQQQQQQQQQ"}, got["authentication"],
		"the secret key is never shown")
	require.NotContains(t, ts.stateDump(), "S87345j34lkj3l45lkj", "nor kept")

	// Switching to a role gives it the role's owner id.
	r = ts.put(awsAccountPathOf(got["id"], 0), map[string]any{"authentication": map[string]any{"protocol": "assume_role",
		"assume_role_arn": "arn:aws:iam::210987654321:role/CH", "assume_role_external_id": "x"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "210987654321", r.Object()["owner_id"])
}

func TestAWSAccountFixtureAccountsShowDefaults(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.get(awsAccountPathOf(1, 1))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	got := r.Object()
	require.Equal(t, "100000000001", got["owner_id"])
	require.Equal(t, "govcloud", got["region"], "is_govcloud: true")
	require.Equal(t, true, got["is_govcloud"])
	require.Equal(t, "us-gov-west-1", got["primary_aws_region"])
	require.Equal(t, "global", ts.get(awsAccountPathOf(2, 1)).Object()["region"])
	require.Equal(t, true, ts.get(awsAccountPathOf(100, 0)).Object()["billing"].(map[string]any)["is_consolidated"], "100 heads a family")
	require.Equal(t, false, ts.get(awsAccountPathOf(105, 0)).Object()["billing"].(map[string]any)["is_consolidated"])

	// A PUT of a GET changes nothing the API shows.
	for _, path := range []string{awsAccountPathOf(1, 1), awsAccountPathOf(100, 0)} {
		before := ts.get(path)
		r := ts.put(path, before.Body)
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		require.Equal(t, string(before.Body), string(r.Body))
		require.Equal(t, string(before.Body), string(ts.get(path).Body))
	}
}

func TestAWSAccountUpdate(t *testing.T) {
	clock := &settableClock{}
	clock.t = clock.t.AddDate(2025, 0, 0)
	ts := newTestServer(t, Options{Now: clock.now})
	created := ts.post(awsAccountsPath, guideAccount).Object()
	path := awsAccountPathOf(created["id"], 0)
	clock.add(3600e9)

	r := ts.put(path, map[string]any{})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, created, r.Object(), "{} changes nothing, not even updated_at")

	// The guide's update body: name and tags change, the rest stays.
	r = ts.put(path, `{"name": "Production Engineering Account", "tags": [{"key": "Environment", "value": "production"}, {"key": "Owner", "value": "Engineering"}]}`)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	got := r.Object()
	require.Equal(t, "Production Engineering Account", got["name"])
	require.Len(t, got["tags"], 2)
	require.NotEqual(t, created["updated_at"], got["updated_at"])
	require.Equal(t, created["created_at"], got["created_at"])
	require.Equal(t, created["authentication"], got["authentication"])

	// Region and is_govcloud move together, with the primary region.
	r = ts.put(path, map[string]any{"region": "govcloud"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, true, r.Object()["is_govcloud"])
	require.Equal(t, "us-gov-west-1", r.Object()["primary_aws_region"])
	r = ts.put(path, map[string]any{"is_govcloud": false, "primary_aws_region": "eu-central-1"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "global", r.Object()["region"])
}

func TestAWSAccountPaging(t *testing.T) {
	ts := newTestServer(t, Options{})
	// The partner has 10 fixture accounts; 5 more, with a customer account
	// between them so the ids are not contiguous.
	var ids []int
	for _, a := range ts.get(awsAccountsPath).Object()["aws_accounts"].([]any) {
		ids = append(ids, int(a.(map[string]any)["id"].(float64)))
	}
	require.Equal(t, []int{100, 101, 102, 103, 104, 105, 110, 111, 112, 113, 120, 121, 122, 123, 124, 125, 126, 130, 131, 132, 133, 134, 135}, ids)
	for i := 0; i < 5; i++ {
		body := strings.Replace(guideAccount, "123456789012", fmt.Sprintf("12345678901%d", i), 1)
		r := ts.post(awsAccountsPath, body)
		require.Equal(t, http.StatusCreated, r.Status, "body: %s", r.Body)
		ids = append(ids, int(r.Object()["id"].(float64)))
		if i == 2 {
			require.Equal(t, http.StatusCreated, ts.post(awsAccountsPath+"?client_api_id=4", body).Status)
		}
	}
	require.Equal(t, []int{213, 214, 215, 217, 218}, ids[23:])
	for _, tc := range []struct {
		page  int
		want  []int
		links map[string]int
	}{
		{1, ids[0:10], map[string]int{"last": 3, "next": 2}},
		{2, ids[10:20], map[string]int{"first": 1, "prev": 1, "last": 3, "next": 3}},
		{3, ids[20:], map[string]int{"first": 1, "prev": 2}},
		{9, []int{}, map[string]int{"first": 1, "prev": 8}},
	} {
		query := url.Values{"per_page": {"10"}, "page": {strconv.Itoa(tc.page)}}
		r := ts.get(awsAccountsPath + "?" + query.Encode())
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		require.Equal(t, "28", r.Header.Get("X-Total"))
		require.Equal(t, "10", r.Header.Get("X-Per-Page"))
		require.Equal(t, tc.want, accountIDs(t, r), "page %d", tc.page)
		requireListLinks(t, ts, r, awsAccountsPath, query, tc.links)
	}
	// A customer's accounts page on their own, keeping client_api_id in the links.
	query := url.Values{"client_api_id": {"1"}, "per_page": {"4"}, "page": {"2"}}
	r := ts.get(awsAccountsPath + "?" + query.Encode())
	require.Equal(t, "6", r.Header.Get("X-Total"))
	require.Equal(t, []int{5, 203}, accountIDs(t, r))
	requireListLinks(t, ts, r, awsAccountsPath, query, map[string]int{"first": 1, "prev": 1})
}

func accountIDs(t testing.TB, r response) []int {
	t.Helper()
	var body struct {
		Accounts []struct {
			ID int `json:"id"`
		} `json:"aws_accounts"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body))
	out := []int{}
	for _, a := range body.Accounts {
		out = append(out, a.ID)
	}
	return out
}

func TestAWSAccountIsolation(t *testing.T) {
	ts := newTestServer(t, Options{})
	other := func(method, path string, body any) response {
		return ts.do(request{Method: method, Path: path, Key: otherKey, Body: body})
	}
	ts.unchanged(func() {
		for _, path := range []string{awsAccountPathOf(100, 0), awsAccountPathOf(1, 0), awsAccountPathOf(1, 1),
			awsAccountPathOf(1, 5), awsAccountPathOf(7, 0), awsAccountPathOf(9999, 0)} {
			requireJSONError(t, other(http.MethodGet, path, nil), http.StatusNotFound)
			requireJSONError(t, other(http.MethodPut, path, map[string]any{"name": "Mine"}), http.StatusNotFound)
			requireJSONError(t, other(http.MethodDelete, path, nil), http.StatusNotFound)
		}
		// A customer's account is not another customer's, nor the partner's.
		requireJSONError(t, ts.get(awsAccountPathOf(6, 1)), http.StatusNotFound)
		requireJSONError(t, ts.get(awsAccountPathOf(6, 0)), http.StatusNotFound)
		requireJSONError(t, ts.get(awsAccountPathOf(100, 1)), http.StatusNotFound)
		requireJSONError(t, other(http.MethodGet, awsAccountsPath+"?client_api_id=1", nil), http.StatusNotFound)
		requireJSONError(t, other(http.MethodPost, awsAccountsPath+"?client_api_id=1", guideAccount), http.StatusNotFound)
		requireJSONError(t, ts.get(awsAccountsPath+"?client_api_id=abc"), http.StatusUnprocessableEntity)
		require.Equal(t, []int{200, 201, 202}, accountIDs(t, other(http.MethodGet, awsAccountsPath, nil)))
	})
}

func TestAWSAccountDelete(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.unchanged(func() {
		for _, tc := range []struct {
			path, want string
		}{
			{awsAccountPathOf(102, 0), "AWS account assignment 1 assigns"},
			{awsAccountPathOf(100, 0), "heads the billing family"},
			{awsAccountPathOf(110, 0), "heads the billing family"},
			{awsAccountPathOf(3, 1), "GovCloud linkage 1"},
			{awsAccountPathOf(4, 1), "GovCloud linkage 1"},
			{awsAccountPathOf(203, 1), "AWS account assignment 1 assigns"},
		} {
			r := ts.del(tc.path)
			requireJSONError(t, r, http.StatusUnprocessableEntity)
			require.Contains(t, r.Error(), tc.want, tc.path)
		}
		// Nor may an account in use change its owner id or region.
		r := ts.put(awsAccountPathOf(102, 0), map[string]any{"authentication": map[string]any{"protocol": "assume_role",
			"assume_role_arn": "arn:aws:iam::555555555555:role/CH", "assume_role_external_id": "x"}})
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		requireJSONError(t, ts.put(awsAccountPathOf(3, 1), map[string]any{"region": "global"}), http.StatusUnprocessableEntity)
	})
	for _, path := range []string{awsAccountPathOf(105, 0), awsAccountPathOf(1, 1), awsAccountPathOf(6, 3)} {
		r := ts.del(path)
		require.Equal(t, http.StatusNoContent, r.Status, "%s: %s", path, r.Body)
		require.Empty(t, r.Body)
		requireJSONError(t, ts.get(path), http.StatusNotFound)
	}
	// Deleting the assignment frees its account, and then its family head
	// once no member is assigned.
	require.Equal(t, http.StatusNoContent, ts.del(assignmentPath(1)).Status)
	require.Equal(t, http.StatusNoContent, ts.del(awsAccountPathOf(102, 0)).Status)
	require.Equal(t, http.StatusNoContent, ts.del(awsAccountPathOf(100, 0)).Status)
	// The freed owner id can be used again by a new account.
	body := strings.Replace(guideAccount, "123456789012", "000000000002", 1)
	require.Equal(t, http.StatusCreated, ts.post(awsAccountsPath, body).Status)
	requireJSONError(t, ts.post(awsAccountsPath, body), http.StatusUnprocessableEntity)
}

func TestAWSAccountBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	edit := func(fn func(m map[string]any)) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(guideAccount), &m))
		fn(m)
		return m
	}
	auth := func(fields map[string]any) map[string]any {
		return edit(func(m map[string]any) { m["authentication"] = fields })
	}
	for _, tc := range []struct {
		name        string
		body        any
		contentType string
		want        string
		createOnly  bool
	}{
		{name: "missing name", body: edit(func(m map[string]any) { delete(m, "name") }), want: "name is required", createOnly: true},
		{name: "blank name", body: edit(func(m map[string]any) { m["name"] = "" }), want: "name is required"},
		{name: "missing authentication", body: edit(func(m map[string]any) { delete(m, "authentication") }), want: "authentication is required", createOnly: true},
		{name: "guide's placeholder ARN", body: auth(map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::XCXXXXXXXXXZ:role/CloudHealth-IAM-Role", "assume_role_external_id": "x"}), want: "assume_role_arn"},
		{name: "update sample's ARN", body: auth(map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:123", "assume_role_external_id": "x"}), want: "assume_role_arn"},
		{name: "ARN of a user", body: auth(map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::123456789012:user/bob", "assume_role_external_id": "x"}), want: "assume_role_arn"},
		{name: "no external id", body: auth(map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::123456789012:role/CH"}), want: "assume_role_external_id"},
		{name: "access key without secret", body: auth(map[string]any{"protocol": "access_key", "access_key": "AKIA"}), want: "secret_key", createOnly: true},
		{name: "unknown protocol", body: auth(map[string]any{"protocol": "password"}), want: "protocol"},
		{name: "ARN of a used owner id", body: auth(map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::999999999999:role/CH", "assume_role_external_id": "x"}), want: "already the owner_id of AWS account 100"},
		{name: "region and is_govcloud disagree", body: edit(func(m map[string]any) { m["region"], m["is_govcloud"] = "govcloud", false }), want: "disagree"},
		{name: "unknown region", body: edit(func(m map[string]any) { m["region"] = "moon" }), want: "region"},
		{name: "GovCloud in us-east-1", body: edit(func(m map[string]any) { m["region"], m["primary_aws_region"] = "govcloud", "us-east-1" }), want: "primary_aws_region"},
		{name: "runtime 2", body: edit(func(m map[string]any) { m["cloudwatch"] = map[string]any{"enabled": true, "runtime": 2} }), want: "runtime"},
		{name: "unknown namespace", body: edit(func(m map[string]any) { m["cloudwatch"] = map[string]any{"namespaces": "CWAgent,Nope"} }), want: "Nope"},
		{name: "cloudtrail without bucket", body: edit(func(m map[string]any) { m["cloudtrail"] = map[string]any{"enabled": true, "bucket": ""} }), want: "cloudtrail.bucket"},
		{name: "blank billing bucket", body: edit(func(m map[string]any) { m["billing"] = map[string]any{"bucket": " "} }), want: "billing.bucket"},
		{name: "null name", body: edit(func(m map[string]any) { m["name"] = nil }), want: "name"},
		{name: "null authentication", body: edit(func(m map[string]any) { m["authentication"] = nil }), want: "authentication"},
		{name: "null tags", body: edit(func(m map[string]any) { m["tags"] = nil }), want: "tags"},
		{name: "enabled as a string", body: edit(func(m map[string]any) { m["cloudtrail"] = map[string]any{"enabled": "true"} }), want: "enabled"},
		{name: "malformed JSON", body: `{"name": `, want: msgMalformedJSON},
		{name: "form body", body: "name=x", contentType: "application/x-www-form-urlencoded", want: msgContentType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.do(request{Method: http.MethodPost, Path: awsAccountsPath, Key: demoKey, Body: tc.body, ContentType: tc.contentType})
				requireJSONError(t, r, http.StatusUnprocessableEntity)
				require.Contains(t, r.Error(), tc.want)
				if tc.createOnly {
					return
				}
				r = ts.do(request{Method: http.MethodPut, Path: awsAccountPathOf(105, 0), Key: demoKey, Body: tc.body, ContentType: tc.contentType})
				requireJSONError(t, r, http.StatusUnprocessableEntity)
				require.Contains(t, r.Error(), tc.want)
			})
		})
	}
}

// Every operation of the two families answers the shared errors as JSON,
// each as openapi.yaml describes it.
func TestCustomerAndAWSAccountSharedErrors(t *testing.T) {
	ts := newTestServer(t, Options{})
	ops := []struct{ method, path string }{
		{http.MethodPost, customersPath}, {http.MethodGet, customersPath}, {http.MethodGet, customerPathOf(1)},
		{http.MethodPut, customerPathOf(1)}, {http.MethodDelete, customerPathOf(1)},
		{http.MethodPost, awsAccountsPath}, {http.MethodGet, awsAccountsPath}, {http.MethodGet, awsAccountPathOf(100, 0)},
		{http.MethodPut, awsAccountPathOf(100, 0)}, {http.MethodDelete, awsAccountPathOf(100, 0)},
	}
	long := "?x=" + strings.Repeat("a", 4000)
	huge := strings.Repeat(" ", 1<<20+1)
	ts.unchanged(func() {
		for _, op := range ops {
			requireJSONError(t, ts.do(request{Method: op.method, Path: op.path, Body: "{}"}), http.StatusUnauthorized)
			requireJSONError(t, ts.do(request{Method: op.method, Path: op.path, Key: "wrong", Body: "{}"}), http.StatusForbidden)
			requireJSONError(t, ts.do(request{Method: op.method, Path: op.path + long, Key: demoKey}), http.StatusRequestURITooLong)
			requireJSONError(t, ts.do(request{Method: op.method, Path: op.path, Key: demoKey, Body: huge}), http.StatusRequestEntityTooLarge)
		}
		requireJSONError(t, ts.do(request{Method: http.MethodPatch, Path: customerPathOf(1), Key: demoKey}), http.StatusNotFound)
		requireJSONError(t, ts.do(request{Method: http.MethodDelete, Path: customersPath, Key: demoKey}), http.StatusNotFound)
	})
}

// ownerlessFixtures (also used by customers_test.go) has a partner account and a customer account that have
// no owner id yet and were never configured, and a customer with tags.
const ownerlessFixtures = `partners:
- id: 1
  name: P
  api_keys: [demo-partner-key]
  aws_accounts:
  - {id: 100, name: no owner yet}
  customers:
  - id: 1
    client_api_id: 1
    name: c
    tags: [{key: env, value: prod}]
    aws_accounts:
    - {id: 1, name: customer account without owner}
`

// Bug: an account without an owner id shows an access_key authentication
// without a key, and a PUT of that GET was refused ("authentication.access_key
// is required"), though a PUT of a GET must change nothing (docs/fidelity.md,
// AWS accounts: fixture accounts). The shown authentication is now accepted as unchanged; a
// changed one is still checked.
func TestAWSAccountPutOfGetWithoutOwnerID(t *testing.T) {
	ts := newTestServer(t, Options{Fixtures: []byte(ownerlessFixtures)})
	for _, path := range []string{"/v1/aws_accounts/100", "/v1/aws_accounts/1?client_api_id=1"} {
		before := ts.get(path)
		require.Equal(t, http.StatusOK, before.Status, "body: %s", before.Body)
		require.Equal(t, map[string]any{"protocol": "access_key"}, before.Object()["authentication"])
		r := ts.put(path, before.Body)
		require.Equal(t, http.StatusOK, r.Status, "%s: body: %s", path, r.Body)
		require.Equal(t, string(before.Body), string(r.Body))
		require.Equal(t, string(before.Body), string(ts.get(path).Body))
	}
	ts.unchanged(func() {
		r := ts.put("/v1/aws_accounts/100", map[string]any{"authentication": map[string]any{"protocol": "access_key", "access_key": " "}})
		requireJSONError(t, r, http.StatusUnprocessableEntity)
		require.Contains(t, r.Error(), "authentication.access_key is required")
	})
	r := ts.put("/v1/aws_accounts/100", map[string]any{"authentication": map[string]any{"protocol": "access_key", "access_key": "AKIA"}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "AKIA", r.Object()["authentication"].(map[string]any)["access_key"])
}
