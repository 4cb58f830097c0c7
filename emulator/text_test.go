package emulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
)

// Strings with invalid UTF-8 or NUL in request bodies: 422, the state
// unchanged. Invalid UTF-8 is refused for the whole body (encoding/json would
// store U+FFFD); a NUL, which decodes as \u0000, is refused field by field.

const validAddress = `"address": {"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}`

// textWrite is a write with a body: %s in body is where the bad string goes,
// field is what the 422 names, errorsForm is the {"errors": [...]} form.
type textWrite struct {
	name, method, path, body string
	errorsForm               bool
	field                    string
}

// textWrites are the write operations with a body, each with a body that is
// accepted (the {} placeholder takes a string) and whether its 422 is the
// {"errors": [...]} form.
var textWrites = []textWrite{
	{"create customer", http.MethodPost, "/v1/customers", `{"name": "%s", ` + validAddress + `}`, false, "name"},
	{"update customer address", http.MethodPut, "/v1/customers/1", `{"address": {"city": "%s"}}`, false, "address.city"},
	{"update customer tag", http.MethodPut, "/v1/customers/1", `{"tags": [{"key": "k", "value": "%s"}]}`, false, "tags[0].value"},
	{"create assignment", http.MethodPost, assignmentsPath, `{"owner_id": "%s", "customer_id": 1, "payer_account_owner_id": "000000000001"}`, true, "owner_id"},
	{"update assignment", http.MethodPut, assignmentPath(1), `{"payer_account_owner_id": "%s"}`, true, "payer_account_owner_id"},
	{"create aws account", http.MethodPost, "/v1/aws_accounts", `{"name": "%s", "authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": "s"}}`, false, "name"},
	{"update aws account secret", http.MethodPut, "/v1/aws_accounts/105", `{"authentication": {"protocol": "access_key", "access_key": "AKIA", "secret_key": "%s"}}`, false, "authentication.secret_key"},
}

func TestWritesRefuseNUL(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, w := range textWrites {
		t.Run(w.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				r := ts.do(request{Method: w.method, Path: w.path, Key: demoKey, Body: fmt.Sprintf(w.body, `a\u0000b`)})
				want := w.field + ` must not contain a NUL character (\u0000)`
				if w.errorsForm {
					require.Contains(t, requireJSONErrors(t, r), want)
				} else {
					requireJSONError(t, r, http.StatusUnprocessableEntity)
					require.Contains(t, r.Error(), want)
				}
			})
		})
	}
}

func TestWritesRefuseInvalidUTF8(t *testing.T) {
	ts := newTestServer(t, Options{})
	writes := append(append([]textWrite{}, textWrites...),
		textWrite{"azure add", http.MethodPut, "/v1/azure_partner_customer_accounts/add/1", `{"azure_customer_ids": ["%s"]}`, false, ""},
		textWrite{"create linkage", http.MethodPost, "/api/v1/govcloud_linkages?client_api_id=1", `{"govcloud_acct_id": 1, "commercial_acct_id": 2, "x": "%s"}`, true, ""},
	)
	for _, w := range writes {
		for name, bad := range map[string]string{"lone byte": "a\xffb", "truncated": "caf\xc3", "surrogate": "\xed\xa0\x80"} {
			t.Run(w.name+"/"+name, func(t *testing.T) {
				ts := ts.sub(t)
				ts.unchanged(func() {
					r := ts.do(request{Method: w.method, Path: w.path, Key: demoKey, Body: fmt.Sprintf(w.body, bad)})
					if w.errorsForm {
						require.Equal(t, []string{msgBodyNotUTF8}, requireJSONErrors(t, r))
					} else {
						requireJSONError(t, r, http.StatusUnprocessableEntity)
						require.Equal(t, msgBodyNotUTF8, r.Error())
					}
				})
			})
		}
	}
}

// An Azure id with a NUL fails its item (422 in the 207, as every Azure item
// failure): no account can have such an id, so it is not found, and nothing
// of the request is applied.
func TestAzureRefusesNUL(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, action := range []string{"add", "remove"} {
		ts.unchanged(func() {
			r := ts.do(request{Method: http.MethodPut, Path: "/v1/azure_partner_customer_accounts/" + action + "/1", Key: demoKey,
				Body: `{"azure_customer_ids": ["ab123", "ab\u0000123"]}`})
			require.Equal(t, http.StatusMultiStatus, r.Status, "body: %s", r.Body)
			items := r.Object()["azure_partner_customer_accounts"].([]any)
			require.Len(t, items, 2)
			failed := items[1].(map[string]any)
			require.Equal(t, float64(http.StatusUnprocessableEntity), failed["http_status"])
			require.Equal(t, "ab\x00123", failed["azure_customer_id"])
			require.Contains(t, []any{rules.AzureNotFound, rules.AzureNotAssignedHere}, failed["error"])
		})
	}
}

// What is fine stays fine: non-ASCII names are stored as sent.
func TestWritesKeepUnicode(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.post("/v1/customers", `{"name": "Société Générale 東京 🚀", `+validAddress+`}`)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, "Société Générale 東京 🚀", r.Object()["name"])
}
