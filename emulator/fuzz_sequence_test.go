package emulator

// FuzzSequence fuzzes sequences of writes rather than one request: customers
// created, changed and deleted (with the cascade over their assignments,
// linkages, AWS accounts and Azure accounts), AWS accounts created, changed
// and deleted, linkages, assignments and Azure assignments, all on a small
// set of ids that exist in the default fixtures or are the next ones a
// create hands out. After every step the same properties hold as for the
// single-request targets (fuzzServer.step), and at the end the state dump
// loads back through PUT /__emulator/state unchanged.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Ids the sequence ops choose from: those of the default fixtures and the
// next few a create gets (customers 6-9 with client_api_ids 20002-20005,
// AWS accounts 207- (203-206 are the customer accounts the fixture's
// assignments created), linkages 2-, assignments 5-).
var (
	seqCustomers   = []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	seqClientAPIID = []string{"", "1", "2", "3", "4", "5", "20002", "20003", "20004"}
	seqAccounts    = []int64{1, 2, 3, 4, 5, 6, 7, 8, 100, 101, 102, 104, 105, 110, 111, 112, 200, 201, 203, 204, 205, 206, 207, 208, 209, 210}
	seqOwners      = []string{"000000000001", "000000000002", "000000000003", "000000000004", "000000000011", "000000000012", "000000000013", "999999999999"}
	seqAzure       = []string{"ab123", "dfg234", "xof194", "rtq683", "kln456", "oth001"}
)

func pick[T any](list []T, b byte) T { return list[int(b)%len(list)] }

// seqAddress is a complete customer address.
const seqAddress = `{"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}`

// withClientAPIID appends ?client_api_id= unless id is empty.
func withClientAPIID(path, id string) string {
	if id == "" {
		return path
	}
	return path + "?client_api_id=" + id
}

// seqRequest turns three bytes into one write request: op chooses the
// operation (and, with its top bit, the other partner's key), a and b its
// ids and variant.
func seqRequest(op, a, b byte) request {
	key := demoKey
	if op&0x80 != 0 {
		key = otherKey
	}
	arn := func(x byte) string {
		return fmt.Sprintf(`{"protocol": "assume_role", "assume_role_arn": "arn:aws:iam::1000000000%02d:role/CH", "assume_role_external_id": "e"}`, x%10)
	}
	var method, path, body string
	switch op & 0x7f % 12 {
	case 0:
		method, path = http.MethodPost, "/v1/customers"
		body = fmt.Sprintf(`{"name": "s%d", "address": %s, "partner_billing_configuration": {"enabled": %t}}`, a%4, seqAddress, b&1 == 1)
	case 1:
		method, path = http.MethodDelete, fmt.Sprintf("/v1/customers/%d", pick(seqCustomers, a))
	case 2:
		method, path = http.MethodPut, fmt.Sprintf("/v1/customers/%d", pick(seqCustomers, a))
		body = pick([]string{fmt.Sprintf(`{"name": "s%d"}`, b%4), `{"partner_billing_configuration": {"enabled": false}}`,
			`{"partner_billing_configuration": {"enabled": "true"}}`, `{"tags": [{"key": "k", "value": "v"}]}`}, b>>2)
	case 3:
		method, path = http.MethodPost, withClientAPIID("/v1/aws_accounts", pick(seqClientAPIID, a))
		region := pick([]string{"global", "govcloud"}, b)
		auth := arn(b >> 1)
		if b&0x80 != 0 {
			auth = `{"protocol": "access_key", "access_key": "AKIA", "secret_key": "s"}`
		}
		body = fmt.Sprintf(`{"name": "n%d", "region": %q, "authentication": %s}`, b, region, auth)
	case 4:
		method = http.MethodPut
		path = withClientAPIID(fmt.Sprintf("/v1/aws_accounts/%d", pick(seqAccounts, a)), pick(seqClientAPIID, b>>4))
		body = pick([]string{`{"region": "govcloud"}`, `{"region": "global"}`, `{"authentication": ` + arn(b) + `}`,
			`{"name": "renamed", "tags": [{"key": "k", "value": ""}]}`}, b)
	case 5:
		method = http.MethodDelete
		path = withClientAPIID(fmt.Sprintf("/v1/aws_accounts/%d", pick(seqAccounts, a)), pick(seqClientAPIID, b))
	case 6:
		method, path = http.MethodPost, withClientAPIID("/api/v1/govcloud_linkages", pick(seqClientAPIID, b>>4))
		body = fmt.Sprintf(`{"govcloud_acct_id": %d, "commercial_acct_id": %d}`, pick(seqAccounts, a), pick(seqAccounts, b))
	case 7:
		method, path = http.MethodPut, withClientAPIID(fmt.Sprintf("/api/v1/govcloud_linkages/%d", 1+a%4), pick(seqClientAPIID, b>>4))
		body = fmt.Sprintf(`{"govcloud_acct_id": %d, "commercial_acct_id": %d}`, pick(seqAccounts, a>>2), pick(seqAccounts, b))
	case 8:
		method, path = http.MethodPost, "/v1/aws_account_assignments"
		owner, payer := pick(seqOwners, a), pick(seqOwners, a)
		if b&0x80 != 0 {
			payer = pick(seqOwners, b>>4)
		}
		body = fmt.Sprintf(`{"owner_id": %q, "customer_id": %d, "payer_account_owner_id": %q}`, owner, pick(seqCustomers, b), payer)
	case 9:
		method, path = http.MethodPut, fmt.Sprintf("/v1/aws_account_assignments/%d", 1+a%8)
		body = pick([]string{fmt.Sprintf(`{"customer_id": %d}`, pick(seqCustomers, b>>2)),
			fmt.Sprintf(`{"owner_id": %q, "payer_account_owner_id": %q}`, pick(seqOwners, b>>2), pick(seqOwners, b>>2))}, b)
	case 10:
		method, path = http.MethodDelete, fmt.Sprintf("/v1/aws_account_assignments/%d", 1+a%8)
	default:
		action := pick([]string{"add", "remove"}, b)
		method = http.MethodPut
		path = fmt.Sprintf("/v1/azure_partner_customer_accounts/%s/%s", action, pick(seqClientAPIID[1:], a))
		body = fmt.Sprintf(`{"azure_customer_ids": [%q, %q]}`, pick(seqAzure, b>>1), pick(seqAzure, b>>4))
	}
	req := request{Method: method, Path: path, Key: key}
	if body != "" {
		req.Body = body
	}
	return req
}

// seqMaxSteps bounds the requests of one input.
const seqMaxSteps = 24

func FuzzSequence(f *testing.F) {
	for _, s := range [][]byte{
		// A customer with a GovCloud and a commercial account, linked, an
		// Azure account, then deleted.
		{0, 0, 1, 3, 6, 1, 3, 6, 2, 6, 22, 0x67, 11, 5, 0, 1, 5, 0},
		// Customer 1 loses its consolidated assignment's customer, is
		// deleted, and its ids are reused.
		{8, 0, 0, 10, 0, 0, 1, 0, 0, 0, 1, 1, 3, 1, 0},
		// Linkage 1 moved to free accounts, the old ones deleted, the
		// linked ones' kind changed.
		{7, 4 << 2, 1 | 0x10, 5, 2, 1, 5, 3, 1, 4, 4, 0x11, 4, 2, 0x10},
		// Partner accounts: a family head, an assigned account, a free one.
		{5, 8, 0, 5, 10, 0, 5, 11, 0, 4, 8, 2, 4, 11, 2, 4, 10, 2},
		// The other partner's key on everything.
		{0x80, 0, 0, 0x81, 4, 0, 0x83, 5, 0, 0x86, 6, 7, 0x88, 0, 4},
		// Assignments moved between customers, then a customer deleted.
		{9, 0, 3 << 2, 9, 1, 4, 1, 3, 0, 2, 1, 4, 10, 2, 0},
	} {
		f.Add(s)
	}
	fz := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, ops []byte) {
		ts := fz.session(t)
		before := fz.baseline
		for i := 0; i+2 < len(ops) && i/3 < seqMaxSteps; i += 3 {
			req := seqRequest(ops[i], ops[i+1], ops[i+2])
			var refused func(response) bool
			if strings.HasPrefix(req.Path, "/v1/azure_partner_customer_accounts/") {
				refused = azureRefused
			}
			fz.step(t, ts, before, req, refused)
			before = ts.stateDump()
		}
		requireDumpLoads(t, ts, before)
	})
}
