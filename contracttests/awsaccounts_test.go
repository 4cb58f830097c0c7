package contracttests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// AWS accounts (the guide's AWS account pages,
// https://apidocs.cloudhealthtech.com/; docs/fidelity.md, "AWS accounts"):
// the partner's own, or with client_api_id one customer's. Every account a
// test creates has a unique name starting with "contract-tests" and a random
// owner id; the cleanup registered before the create deletes every account of
// that name.

const awsAccountsPath = "/v1/aws_accounts"

var _ = addFamily(family{
	tag: "aws-accounts",
	probes: func(p Profile) []probe {
		one := awsAccountPath(p.UnknownAWSAccountID, 0)
		return []probe{
			{op: "createAwsAccount", method: http.MethodPost, path: awsAccountsPath, body: true},
			{op: "listAwsAccounts", method: http.MethodGet, path: awsAccountsOf(p.GovcloudClientAPIID)},
			{op: "getAwsAccount", method: http.MethodGet, path: one},
			{op: "updateAwsAccount", method: http.MethodPut, path: one, body: true},
			{op: "deleteAwsAccount", method: http.MethodDelete, path: one},
			{op: "generateExternalId", method: http.MethodGet, path: externalIDPath},
		}
	},
})

// awsAccountsOf is the collection path of the partner's accounts
// (clientAPIID 0) or of one customer's.
func awsAccountsOf(clientAPIID int64) string {
	if clientAPIID == 0 {
		return awsAccountsPath
	}
	return fmt.Sprintf("%s?client_api_id=%d", awsAccountsPath, clientAPIID)
}

// awsAccountPath is the path of one account of the partner (clientAPIID 0)
// or of one customer.
func awsAccountPath(id, clientAPIID int64) string {
	path := fmt.Sprintf("%s/%d", awsAccountsPath, id)
	if clientAPIID != 0 {
		path += fmt.Sprintf("?client_api_id=%d", clientAPIID)
	}
	return path
}

// roleARN is a well-formed role ARN of the owner id (partition "aws" or
// "aws-us-gov").
func roleARN(partition, owner string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/CloudHealth-IAM-Role", partition, owner)
}

// guideAccount is the request body of aws-account-add.md as openapi.yaml
// records it, with a unique name and a random owner id in the role ARN.
func guideAccount(t *testing.T) (body map[string]any, owner string) {
	body = requestExample(t, "createAwsAccount")
	owner = "9" + nonce(t, 11)
	body["name"] = testName(t, "account")
	body["authentication"].(map[string]any)["assume_role_arn"] = roleARN("aws", owner)
	return body, owner
}

// govcloudAccount is a GovCloud account body with a unique name and owner id.
func govcloudAccount(t *testing.T) map[string]any {
	return map[string]any{
		"name":        testName(t, "govcloud account"),
		"region":      "govcloud",
		"is_govcloud": true,
		"authentication": map[string]any{"protocol": "assume_role", "assume_role_arn": roleARN("aws-us-gov", "8"+nonce(t, 11)),
			"assume_role_external_id": "contract-tests"},
	}
}

// createAWSAccount creates an account of the partner (clientAPIID 0) or of
// a customer, checks the 201 answer with its Location and _links, and
// returns it. Before it sends anything it registers the cleanup that deletes
// every account of that name in that scope.
func createAWSAccount(t *testing.T, clientAPIID int64, body map[string]any) map[string]any {
	t.Helper()
	name, _ := body["name"].(string)
	require.True(t, strings.HasPrefix(name, "contract-tests "), "a created account's name starts with contract-tests")
	t.Cleanup(func() { deleteAWSAccountsNamed(t, clientAPIID, name) })
	r := do(t, call{method: http.MethodPost, path: awsAccountsOf(clientAPIID), body: body})
	require.Equal(t, http.StatusCreated, r.status, "create is 201; body: %s", r.body)
	a := r.object(t)
	self := awsAccountPath(idOf(t, a), clientAPIID)
	require.Equal(t, map[string]any{"self": map[string]any{"href": self}}, a["_links"])
	loc, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	require.True(t, loc.IsAbs(), "Location %q is not absolute", loc)
	require.Equal(t, self, loc.RequestURI(), "Location names the account (with the customer's client_api_id)")
	require.Equal(t, a["created_at"], a["updated_at"], "a new account's updated_at is its created_at")
	return a
}

// deleteAWSAccountsNamed deletes every account with the name in the scope
// (a test's cleanup); a customer that is gone has none left.
func deleteAWSAccountsNamed(t *testing.T, clientAPIID int64, name string) {
	if clientAPIID != 0 {
		if r := do(t, call{method: http.MethodGet, path: awsAccountsOf(clientAPIID)}); r.status == http.StatusNotFound {
			return
		}
	}
	for _, a := range listAll(t, awsAccountsOf(clientAPIID), "aws_accounts") {
		if a["name"] != name {
			continue
		}
		r := do(t, call{method: http.MethodDelete, path: awsAccountPath(idOf(t, a), clientAPIID)})
		if r.status != http.StatusNoContent && r.status != http.StatusNotFound {
			t.Errorf("cleanup: deleting AWS account %v answered %d: %s", a["id"], r.status, r.body)
		}
	}
}

// getAWSAccount reads one account; a status other than 200 fails the test.
func getAWSAccount(t *testing.T, id, clientAPIID int64) map[string]any {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: awsAccountPath(id, clientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.object(t)
}

// putAWSAccount updates an account and checks the 200 answer.
func putAWSAccount(t *testing.T, id, clientAPIID int64, body any) map[string]any {
	t.Helper()
	r := do(t, call{method: http.MethodPut, path: awsAccountPath(id, clientAPIID), body: body})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.object(t)
}

// accountCount is a list's X-Total.
func accountCount(t *testing.T, clientAPIID int64) string {
	t.Helper()
	r := do(t, call{method: http.MethodGet, path: awsAccountsOf(clientAPIID)})
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	return r.header.Get("X-Total")
}

// findAccount returns the account with the id in a list, or nil.
func findAccount(t *testing.T, list []map[string]any, id int64) map[string]any {
	for _, a := range list {
		if idOf(t, a) == id {
			return a
		}
	}
	return nil
}

// Every field of the guide's example round-trips: the create answers the
// guide's response (id, owner id, role ARN, timestamps and link aside), and
// a GET and the list the same. Then: PUT {} and a PUT of the GET change
// nothing, the guide's update example changes what it names, sub-objects
// merge, and DELETE removes the account.
func TestAWSAccountLifecycle(t *testing.T) {
	requireWrites(t)
	body, owner := guideAccount(t)
	a := createAWSAccount(t, 0, body)
	id := idOf(t, a)

	want := responseExample(t, "createAwsAccount", http.StatusCreated)
	for _, k := range []string{"id", "created_at", "updated_at", "_links"} {
		want[k] = a[k]
	}
	want["name"] = body["name"]
	want["owner_id"] = owner
	want["authentication"].(map[string]any)["assume_role_arn"] = roleARN("aws", owner)
	require.Equal(t, want, a, "the create answers every field of the guide's example")
	require.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, a["created_at"])
	require.Equal(t, a, getAWSAccount(t, id, 0), "GET answers what the create did")
	require.Equal(t, a, findAccount(t, listAll(t, awsAccountsPath, "aws_accounts"), id), "the list shows the account as GET does")

	require.Equal(t, a, putAWSAccount(t, id, 0, map[string]any{}), "PUT {} changes nothing")
	require.Equal(t, a, putAWSAccount(t, id, 0, a), "a PUT of a GET changes nothing")

	update := requestExample(t, "updateAwsAccount")
	update["name"] = testName(t, "account")
	t.Cleanup(func() { deleteAWSAccountsNamed(t, 0, update["name"].(string)) })
	changed := putAWSAccount(t, id, 0, update)
	want = copyJSON(t, a)
	for k, v := range update {
		want[k] = v
	}
	want["updated_at"] = changed["updated_at"]
	require.Equal(t, want, changed, "the update example changes what it names, and only that")
	require.GreaterOrEqual(t, changed["updated_at"], a["updated_at"], "updated_at moves forward")
	require.Equal(t, changed, getAWSAccount(t, id, 0))

	merged := putAWSAccount(t, id, 0, map[string]any{"cloudtrail": map[string]any{"prefix": "ct/"}})
	require.Equal(t, map[string]any{"enabled": true, "bucket": "my-cloudtrail-bucket", "prefix": "ct/"}, merged["cloudtrail"], "sub-objects merge")

	r := do(t, call{method: http.MethodDelete, path: awsAccountPath(id, 0)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Empty(t, r.body)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(id, 0)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodDelete, path: awsAccountPath(id, 0)}), http.StatusNotFound)
	require.Nil(t, findAccount(t, listAll(t, awsAccountsPath, "aws_accounts"), id))
}

// An account with access_key authentication: no owner id (CloudHealth
// learns it from AWS), and the secret key is never shown.
func TestAWSAccountAccessKey(t *testing.T) {
	requireWrites(t)
	secret := "contract-tests-secret-" + nonce(t, 8)
	body := map[string]any{"name": testName(t, "account"),
		"authentication": map[string]any{"protocol": "access_key", "access_key": "AKIACONTRACTTESTS", "secret_key": secret}}
	a := createAWSAccount(t, 0, body)
	require.Nil(t, a["owner_id"])
	require.Equal(t, map[string]any{"protocol": "access_key", "access_key": "AKIACONTRACTTESTS"}, a["authentication"])
	r := do(t, call{method: http.MethodGet, path: awsAccountPath(idOf(t, a), 0)})
	require.Equal(t, http.StatusOK, r.status)
	require.NotContains(t, string(r.body), secret, "the secret key is never shown")
	require.Equal(t, a, r.object(t))
}

// A customer's accounts: created with client_api_id (Location and _links
// carry it), GovCloud ones shown with region govcloud; readable only with
// that customer's client_api_id, listed only in its list.
func TestAWSAccountCustomerScope(t *testing.T) {
	requireWrites(t)
	c := createCustomer(t, guideCustomer(t))
	capi := int64(c["client_api_id"].(float64))

	gov := createAWSAccount(t, capi, govcloudAccount(t))
	require.Equal(t, true, gov["is_govcloud"])
	require.Equal(t, "govcloud", gov["region"])
	require.Equal(t, "us-gov-west-1", gov["primary_aws_region"])
	body, owner := guideAccount(t)
	com := createAWSAccount(t, capi, body)
	require.Equal(t, owner, com["owner_id"])
	require.Equal(t, "global", com["region"])

	for _, a := range []map[string]any{gov, com} {
		id := idOf(t, a)
		require.Equal(t, a, getAWSAccount(t, id, capi))
		requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(id, 0)}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(id, suite.profile.ClientAPIID)}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPut, path: awsAccountPath(id, 0), body: map[string]any{}}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodDelete, path: awsAccountPath(id, 0)}), http.StatusNotFound)
		require.Nil(t, findAccount(t, listAll(t, awsAccountsPath, "aws_accounts"), id), "not among the partner's own")
	}
	listed := listAll(t, awsAccountsOf(capi), "aws_accounts")
	require.Equal(t, []map[string]any{gov, com}, listed, "the customer's list holds exactly its accounts, by id")

	r := do(t, call{method: http.MethodDelete, path: awsAccountPath(idOf(t, com), capi)})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	require.Equal(t, []map[string]any{gov}, listAll(t, awsAccountsOf(capi), "aws_accounts"))
}

// Moving an account between the global and the GovCloud region without
// naming a primary region sets the region's default one.
func TestAWSAccountRegionDefaults(t *testing.T) {
	requireWrites(t)
	body, _ := guideAccount(t)
	a := createAWSAccount(t, 0, body)
	id := idOf(t, a)
	require.Equal(t, "us-east-1", a["primary_aws_region"])
	eu := putAWSAccount(t, id, 0, map[string]any{"primary_aws_region": "eu-central-1"})
	require.Equal(t, "eu-central-1", eu["primary_aws_region"])
	gov := putAWSAccount(t, id, 0, map[string]any{"region": "govcloud", "is_govcloud": true})
	require.Equal(t, []any{"govcloud", true, "us-gov-west-1"}, []any{gov["region"], gov["is_govcloud"], gov["primary_aws_region"]})
	back := putAWSAccount(t, id, 0, map[string]any{"region": "global", "is_govcloud": false})
	require.Equal(t, []any{"global", false, "us-east-1"}, []any{back["region"], back["is_govcloud"], back["primary_aws_region"]})
	require.Equal(t, back, getAWSAccount(t, id, 0))
}

// A create that breaks a rule or the request schema: 422 {"error": ...}, and
// nothing is created.
func TestAWSAccountCreateRefused(t *testing.T) {
	requireWrites(t)
	existing, owner := guideAccount(t)
	createAWSAccount(t, 0, existing)
	with := func(change func(b map[string]any)) map[string]any {
		b, _ := guideAccount(t)
		change(b)
		return b
	}
	auth := func(b map[string]any) map[string]any { return b["authentication"].(map[string]any) }
	cases := []struct {
		name, contentType string
		body              any
		invalid           bool // breaks the request schema
	}{
		{"no name", "", with(func(b map[string]any) { delete(b, "name") }), false},
		{"no authentication", "", with(func(b map[string]any) { delete(b, "authentication") }), false},
		{"the guide's placeholder role ARN", "", with(func(b map[string]any) {
			auth(b)["assume_role_arn"] = "arn:aws:iam::XCXXXXXXXXXZ:role/CloudHealth-IAM-Role"
		}), false},
		{"assume_role without an external id", "", with(func(b map[string]any) { delete(auth(b), "assume_role_external_id") }), false},
		{"access_key without a secret", "", with(func(b map[string]any) {
			b["authentication"] = map[string]any{"protocol": "access_key", "access_key": "AKIACONTRACTTESTS"}
		}), false},
		{"an unknown protocol", "", with(func(b map[string]any) { auth(b)["protocol"] = "telepathy" }), false},
		{"region and is_govcloud disagree", "", with(func(b map[string]any) { b["region"], b["is_govcloud"] = "govcloud", false }), false},
		{"a CloudWatch runtime of 5", "", with(func(b map[string]any) { b["cloudwatch"] = map[string]any{"enabled": true, "runtime": 5} }), false},
		{"a blank billing bucket", "", with(func(b map[string]any) { b["billing"] = map[string]any{"bucket": ""} }), false},
		{"the owner id of an existing account", "", with(func(b map[string]any) { auth(b)["assume_role_arn"] = roleARN("aws", owner) }), false},
		{"a null name", "", with(func(b map[string]any) { b["name"] = nil }), true},
		{"a name that is a number", "", with(func(b map[string]any) { b["name"] = 7 }), true},
		{"malformed JSON", "", `{"name": `, true},
		{"trailing data", "", `{} {}`, true},
		{"an array", "", `[]`, true},
		{"form-encoded", "application/x-www-form-urlencoded", "name=contract-tests", true},
		{"text/plain", "text/plain", "{}", true},
	}
	before := accountCount(t, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if b, ok := tc.body.(map[string]any); ok {
				if name, ok := b["name"].(string); ok {
					t.Cleanup(func() { deleteAWSAccountsNamed(t, 0, name) }) // should the target accept it after all
				}
			}
			requireError(t, do(t, call{method: http.MethodPost, path: awsAccountsPath, body: tc.body, contentType: tc.contentType, invalid: tc.invalid}), http.StatusUnprocessableEntity)
		})
	}
	require.Equal(t, before, accountCount(t, 0), "a refused create creates nothing")
}

// An update that breaks a rule or the request schema: 422 {"error": ...},
// and the account is unchanged.
func TestAWSAccountUpdateRefused(t *testing.T) {
	requireWrites(t)
	body, _ := guideAccount(t)
	a := createAWSAccount(t, 0, body)
	id := idOf(t, a)
	cases := []struct {
		name, contentType string
		body              any
		invalid           bool
	}{
		{"a blank name", "", map[string]any{"name": ""}, false},
		{"a malformed role ARN", "", map[string]any{"authentication": map[string]any{"protocol": "assume_role", "assume_role_arn": "arn:123", "assume_role_external_id": "x"}}, false},
		{"an unknown region", "", map[string]any{"region": "mars"}, false},
		{"GovCloud with a global primary region", "", map[string]any{"region": "govcloud", "is_govcloud": true, "primary_aws_region": "us-east-1"}, false},
		{"a null name", "", `{"name": null}`, true},
		{"malformed JSON", "", `{`, true},
		{"text/plain", "text/plain", "{}", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireError(t, do(t, call{method: http.MethodPut, path: awsAccountPath(id, 0), body: tc.body, contentType: tc.contentType, invalid: tc.invalid}), http.StatusUnprocessableEntity)
			require.Equal(t, a, getAWSAccount(t, id, 0), "a refused update changes nothing")
		})
	}
}

// An account an assignment uses cannot be deleted, nor its owner id
// changed: 422, and it stays. Both the partner's account and the customer's
// account that the assignment created are in use.
func TestAWSAccountInUse(t *testing.T) {
	requireWrites(t)
	p := suite.profile
	owner := p.AssignableOwnerIDs[0]
	createAssignment(t, owner, owner)
	byOwner := func(list []map[string]any) map[string]any {
		for _, a := range list {
			if a["owner_id"] == owner {
				return a
			}
		}
		t.Fatalf("no account with owner id %s", owner)
		return nil
	}
	for _, scope := range []int64{0, p.ClientAPIID} {
		a := byOwner(listAll(t, awsAccountsOf(scope), "aws_accounts"))
		id := idOf(t, a)
		requireError(t, do(t, call{method: http.MethodDelete, path: awsAccountPath(id, scope)}), http.StatusUnprocessableEntity)
		requireError(t, do(t, call{method: http.MethodPut, path: awsAccountPath(id, scope), body: map[string]any{
			"authentication": map[string]any{"protocol": "assume_role", "assume_role_arn": roleARN("aws", "7"+nonce(t, 11)), "assume_role_external_id": "x"}}}),
			http.StatusUnprocessableEntity)
		require.Equal(t, a, getAWSAccount(t, id, scope), "an account in use stays as it was")
	}
}

// Unknown ids and client_api_ids: 404 on every operation, before the body
// is looked at; a non-integer client_api_id is a 422, a non-integer account
// id a 404 (no route). A customer's account is not found without its
// customer's client_api_id.
func TestAWSAccountUnknownIDs(t *testing.T) {
	p := suite.profile
	unknown := p.UnknownAWSAccountID
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(unknown, 0)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(unknown, p.GovcloudClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountsOf(p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(p.CommercialAcctID, p.UnknownClientAPIID)}), http.StatusNotFound)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountsPath + "/abc", invalid: true}), http.StatusNotFound)
	// The GovCloud customer's accounts: with its client_api_id only.
	getAWSAccount(t, p.CommercialAcctID, p.GovcloudClientAPIID)
	requireError(t, do(t, call{method: http.MethodGet, path: awsAccountPath(p.CommercialAcctID, 0)}), http.StatusNotFound)
	for _, q := range []string{"abc", "1.5", ""} {
		requireError(t, do(t, call{method: http.MethodGet, path: awsAccountsPath + "?client_api_id=" + q, invalid: true}), http.StatusUnprocessableEntity)
		requireError(t, do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s/%d?client_api_id=%s", awsAccountsPath, p.CommercialAcctID, q), invalid: true}), http.StatusUnprocessableEntity)
	}

	t.Run("writes", func(t *testing.T) {
		requireWrites(t)
		body, _ := guideAccount(t)
		t.Cleanup(func() { deleteAWSAccountsNamed(t, 0, body["name"].(string)) }) // should the target accept one
		requireError(t, do(t, call{method: http.MethodPost, path: awsAccountsOf(p.UnknownClientAPIID), body: body}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPost, path: awsAccountsOf(p.UnknownClientAPIID), body: `{`, invalid: true}), http.StatusNotFound)
		requireError(t, do(t, call{method: http.MethodPost, path: awsAccountsPath + "?client_api_id=abc", body: body, invalid: true}), http.StatusUnprocessableEntity)
		for _, path := range []string{awsAccountPath(unknown, 0), awsAccountPath(unknown, p.GovcloudClientAPIID), awsAccountPath(p.CommercialAcctID, p.UnknownClientAPIID)} {
			requireError(t, do(t, call{method: http.MethodPut, path: path, body: map[string]any{}}), http.StatusNotFound)
			requireError(t, do(t, call{method: http.MethodPut, path: path, body: `{`, invalid: true}), http.StatusNotFound)
			requireError(t, do(t, call{method: http.MethodDelete, path: path}), http.StatusNotFound)
		}
		one := fmt.Sprintf("%s/%d?client_api_id=abc", awsAccountsPath, p.CommercialAcctID)
		requireError(t, do(t, call{method: http.MethodPut, path: one, body: map[string]any{}, invalid: true}), http.StatusUnprocessableEntity)
		requireError(t, do(t, call{method: http.MethodDelete, path: one, invalid: true}), http.StatusUnprocessableEntity)
		getAWSAccount(t, p.CommercialAcctID, p.GovcloudClientAPIID) // still there
	})
}

// Both lists are paged: X-Total, X-Per-Page and Link checked on every page
// with two accounts a page. With writes, the test first creates partner
// accounts until there are at least five (three pages), and deletes them
// afterwards.
func TestAWSAccountListPaging(t *testing.T) {
	const perPage = 2
	p := suite.profile
	if suite.writes {
		for n := len(listAll(t, awsAccountsPath, "aws_accounts")); n < 5; n++ {
			body, _ := guideAccount(t)
			createAWSAccount(t, 0, body)
		}
	}
	partner := walkPages(t, awsAccountsPath, "aws_accounts", perPage)
	require.GreaterOrEqual(t, len(partner), 3, "the profile's assignable accounts and their payer")
	customer := walkPages(t, awsAccountsOf(p.GovcloudClientAPIID), "aws_accounts", perPage)
	require.GreaterOrEqual(t, len(customer), 3, "the profile's GovCloud and commercial accounts")
	for _, raw := range customer {
		var a struct {
			ID int64 `json:"id"`
		}
		require.NoError(t, json.Unmarshal(raw, &a))
		getAWSAccount(t, a.ID, p.GovcloudClientAPIID)
	}
	requireListPagingRules(t, awsAccountsPath, "aws_accounts")
	requireListPagingRules(t, awsAccountsOf(p.GovcloudClientAPIID), "aws_accounts")
}
