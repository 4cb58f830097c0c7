package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// bookWorld is partner 1 with customers 1 (client_api_id 101, account
// 000000000011) and 2 (102), its own account 000000000010, price books 1
// (Gold, assigned to customer 1 as assignment 1, applied to ALL) and 2
// (Silver); partner 2 with customer 9 (109) and price book 3.
type bookWorld struct {
	st     *state.State
	p1, p2 *state.Partner
	c1, c2 *state.Customer
	asg    *state.PriceBookAssignment
	all    *state.PriceBookAccountAssignment
}

func newBookWorld() bookWorld {
	st := state.New()
	w := bookWorld{st: st, p1: &state.Partner{ID: 1, Name: "one", APIKeys: []string{"k1"}}, p2: &state.Partner{ID: 2, Name: "two", APIKeys: []string{"k2"}}}
	st.AddPartner(w.p1)
	st.AddPartner(w.p2)
	w.c1 = &state.Customer{ID: 1, ClientAPIID: 101, Name: "c1"}
	w.c2 = &state.Customer{ID: 2, ClientAPIID: 102, Name: "c2"}
	st.AddCustomer(w.p1, w.c1)
	st.AddCustomer(w.p1, w.c2)
	st.AddCustomer(w.p2, &state.Customer{ID: 9, ClientAPIID: 109, Name: "c9"})
	st.AddAWSAccount(w.p1, &state.AWSAccount{ID: 10, OwnerID: "000000000010", Name: "partner"})
	st.AddAWSAccount(w.p1, &state.AWSAccount{ID: 11, CustomerID: 1, OwnerID: "000000000011", Name: "c1's"})
	st.AddAWSAccount(w.p1, &state.AWSAccount{ID: 12, CustomerID: 2, OwnerID: "000000000012", Name: "c2's"})
	for _, b := range []*state.PriceBook{{ID: 1, PartnerID: 1, BookName: "Gold"}, {ID: 2, PartnerID: 1, BookName: "Silver"}, {ID: 3, PartnerID: 2, BookName: "Theirs"}} {
		b.Specification = "<CHTBillingRules/>"
		st.AddPriceBook(b)
	}
	w.asg = &state.PriceBookAssignment{ID: 1, PartnerID: 1, PriceBookID: 1, CustomerID: 1}
	st.AddPriceBookAssignment(w.asg)
	w.all = &state.PriceBookAccountAssignment{ID: 1, PartnerID: 1, AssignmentID: 1}
	st.AddPriceBookAccountAssignment(w.all)
	return w
}

func id(n int64) *rules.FlexID { f := rules.FlexID(n); return &f }

func owner(s string) *rules.FlexString { f := rules.FlexString(s); return &f }

func TestCheckSpecification(t *testing.T) {
	for _, tc := range []struct {
		spec, want string
	}{
		{`<CHTBillingRules createdBy="a@b.c" date="2018-01-01"><RuleGroup/></CHTBillingRules>`, ""},
		{"<?xml version=\"1.0\"?>\n<!-- c -->\n<CHTBillingRules/>\n", ""},
		{"", "specification must be an XML document with the root element CHTBillingRules"},
		{"gold", "specification has text outside its root element"},
		{"<!-- only a comment -->", "specification has no root element: it must be CHTBillingRules"},
		{"<Rules/>", "specification's root element is <Rules>, not <CHTBillingRules>"},
		{`<x:CHTBillingRules xmlns:x="urn:x"/>`, `specification's root element <CHTBillingRules> is in the namespace "urn:x": it must have none`},
		{"<CHTBillingRules/><CHTBillingRules/>", "specification has more than one root element"},
		{"<CHTBillingRules/>tail", "specification has text outside its root element"},
		{"<CHTBillingRules><a></CHTBillingRules>", "specification is not well-formed XML: XML syntax error on line 1: element <a> closed by </CHTBillingRules>"},
		{"<CHTBillingRules>", "specification is not well-formed XML: XML syntax error on line 1: unexpected EOF"},
		{"<CHTBillingRules a=1/>", "specification is not well-formed XML: XML syntax error on line 1: unquoted or missing attribute value in element"},
		{"<CHTBillingRules>\x00</CHTBillingRules>", "specification is not well-formed XML: XML syntax error on line 1: illegal character code U+0000"},
	} {
		assert.Equal(t, tc.want, rules.CheckSpecification(tc.spec), "%q", tc.spec)
	}
}

func TestCheckPriceBook(t *testing.T) {
	w := newBookWorld()
	gold, _ := w.st.PriceBook(w.p1, 1)
	for _, tc := range []struct {
		name    string
		current *state.PriceBook
		in      rules.PriceBookFields
		p       *state.Partner
		want    []string
	}{
		{"create", nil, rules.PriceBookFields{BookName: str("Platinum"), Specification: str("<CHTBillingRules/>")}, w.p1, nil},
		{"create without fields", nil, rules.PriceBookFields{}, w.p1, []string{"book_name is required", "specification is required"}},
		{"a taken name", nil, rules.PriceBookFields{BookName: str("Silver"), Specification: str("<CHTBillingRules/>")}, w.p1, []string{`book_name "Silver" is already the name of price book 2`}},
		{"another partner's name is free", nil, rules.PriceBookFields{BookName: str("Theirs"), Specification: str("<CHTBillingRules/>")}, w.p1, nil},
		{"blank name and bad XML together", nil, rules.PriceBookFields{BookName: str(" "), Specification: str("<Rules/>")}, w.p1, []string{"book_name must not be blank", "specification's root element is <Rules>, not <CHTBillingRules>"}},
		{"invalid UTF-8", nil, rules.PriceBookFields{BookName: str("a\xffb"), Specification: str("<CHTBillingRules/>")}, w.p1, []string{"book_name must be valid UTF-8 without NUL characters"}},
		{"update keeping its own name", gold, rules.PriceBookFields{BookName: str("Gold")}, w.p1, nil},
		{"update to a taken name", gold, rules.PriceBookFields{BookName: str("Silver")}, w.p1, []string{`book_name "Silver" is already the name of price book 2`}},
		{"empty update", gold, rules.PriceBookFields{}, w.p1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := rules.CheckPriceBook(w.st, tc.p, tc.current, tc.in)
			assert.Equal(t, tc.want, errs)
		})
	}
}

func TestCheckPriceBookAssignment(t *testing.T) {
	w := newBookWorld()
	for _, tc := range []struct {
		name    string
		current *state.PriceBookAssignment
		in      rules.PriceBookAssignmentFields
		want    []string
	}{
		{"create", nil, rules.PriceBookAssignmentFields{PriceBookID: id(2), TargetClientAPIID: id(102)}, nil},
		{"create without fields", nil, rules.PriceBookAssignmentFields{}, []string{"price_book_id is required", "target_client_api_id is required"}},
		{"another partner's book and customer", nil, rules.PriceBookAssignmentFields{PriceBookID: id(3), TargetClientAPIID: id(109)},
			[]string{"price_book_id 3 is not one of your price books", "target_client_api_id 109 is not the client_api_id of one of your customers"}},
		{"a customer's id is not its client_api_id", nil, rules.PriceBookAssignmentFields{PriceBookID: id(2), TargetClientAPIID: id(2)},
			[]string{"target_client_api_id 2 is not the client_api_id of one of your customers"}},
		{"a second assignment", nil, rules.PriceBookAssignmentFields{PriceBookID: id(2), TargetClientAPIID: id(101)},
			[]string{"customer 1 (client_api_id 101) already has price book assignment 1: modify that one"}},
		{"another book", w.asg, rules.PriceBookAssignmentFields{PriceBookID: id(2)}, nil},
		{"its own customer again", w.asg, rules.PriceBookAssignmentFields{TargetClientAPIID: id(101)}, nil},
		{"another customer", w.asg, rules.PriceBookAssignmentFields{TargetClientAPIID: id(102)},
			[]string{"target_client_api_id cannot change: delete the assignment and assign the price book to the other customer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := rules.CheckPriceBookAssignment(w.st, w.p1, tc.current, tc.in)
			assert.Equal(t, tc.want, errs)
		})
	}
}

func TestCheckPriceBookAccountAssignments(t *testing.T) {
	w := newBookWorld()
	list := func(ids ...string) *rules.OwnerIDList { l := rules.OwnerIDList(ids); return &l }
	for _, tc := range []struct {
		name    string
		in      rules.PriceBookAccountAssignmentFields
		wantIDs []int64
		want    []string
	}{
		{"the customer's and the partner's accounts", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerIDs: list("000000000011", "000000000010")}, []int64{11, 10}, nil},
		{"one account", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerID: owner("000000000011")}, []int64{11}, nil},
		{"ALL again", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerID: owner("ALL")}, nil,
			[]string{`billing account "ALL" already has price book account assignment 1 under price book assignment 1`}},
		{"another customer's account", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerID: owner("000000000012")}, nil,
			[]string{`billing account "000000000012" is not the owner id of one of your AWS accounts or of the assigned customer's`}},
		{"nothing", rules.PriceBookAccountAssignmentFields{}, nil,
			[]string{"price_book_assignment_id is required", `billing_account_owner_id (an owner id or "ALL") or billing_account_owner_ids is required`}},
		{"both", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(9), BillingAccountOwnerID: owner("ALL"), BillingAccountOwnerIDs: list("x")}, nil,
			[]string{"price_book_assignment_id 9 is not one of your price book customer assignments", "send either billing_account_owner_id or billing_account_owner_ids, not both"}},
		{"a list with ALL, a repeat and an empty id", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerIDs: list("ALL", "000000000010", "000000000010", "")}, []int64{10},
			[]string{`billing_account_owner_ids cannot hold "ALL": send billing_account_owner_id "ALL" instead`, `billing account "000000000010" is named twice`,
				`billing account "" is not the owner id of one of your AWS accounts or of the assigned customer's`}},
		{"an empty list", rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(1), BillingAccountOwnerIDs: list()}, nil,
			[]string{"billing_account_owner_ids must name at least one account"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ids, errs := rules.CheckPriceBookAccountAssignments(w.st, w.p1, tc.in)
			assert.Equal(t, tc.want, errs)
			if tc.want == nil {
				assert.Equal(t, tc.wantIDs, ids)
			}
		})
	}
	// An update: to another account, or back to ALL (itself ignored).
	next, errs := rules.CheckPriceBookAccountAssignmentUpdate(w.st, w.p1, w.all, rules.PriceBookAccountAssignmentFields{BillingAccountOwnerID: owner("000000000011")})
	assert.Empty(t, errs)
	assert.Equal(t, int64(11), next)
	_, errs = rules.CheckPriceBookAccountAssignmentUpdate(w.st, w.p1, w.all, rules.PriceBookAccountAssignmentFields{BillingAccountOwnerID: owner("ALL"), PriceBookAssignmentID: id(1)})
	assert.Empty(t, errs)
	_, errs = rules.CheckPriceBookAccountAssignmentUpdate(w.st, w.p1, w.all, rules.PriceBookAccountAssignmentFields{PriceBookAssignmentID: id(2), BillingAccountOwnerIDs: list("1")})
	assert.Equal(t, []string{"price_book_assignment_id cannot change: delete this account assignment and create one under the other assignment",
		"billing_account_owner_ids cannot be modified: an account assignment names one account, send billing_account_owner_id"}, errs)
}

func TestCheckDryRun(t *testing.T) {
	w := newBookWorld()
	for _, tc := range []struct {
		name string
		in   rules.DryRunFields
		want []string
	}{
		{"every field", rules.DryRunFields{PriceBookID: id(1), TargetClientAPIID: id(101), Month: str("2018-01"), BillingAccountOwnerID: owner("000000000011")}, nil},
		{"customer_id for target_client_api_id", rules.DryRunFields{PriceBookID: id(1), CustomerID: id(101), Month: str("2018-01"), BillingAccountOwnerID: owner("000000000010")}, nil},
		{"both, the same", rules.DryRunFields{PriceBookID: id(1), TargetClientAPIID: id(101), CustomerID: id(101), Month: str("2018-12"), BillingAccountOwnerID: owner("000000000010")}, nil},
		{"both, different", rules.DryRunFields{PriceBookID: id(1), TargetClientAPIID: id(101), CustomerID: id(102), Month: str("2018-12"), BillingAccountOwnerID: owner("000000000010")},
			[]string{"target_client_api_id and customer_id name different customers: send one"}},
		{"nothing", rules.DryRunFields{}, []string{"price_book_id is required", "target_client_api_id is required", "month is required", "billing_account_owner_id is required"}},
		{"all wrong", rules.DryRunFields{PriceBookID: id(3), TargetClientAPIID: id(109), Month: str("2018-13"), BillingAccountOwnerID: owner("000000000012")},
			[]string{"price_book_id 3 is not one of your price books", "target_client_api_id 109 is not the client_api_id of one of your customers",
				`month "2018-13" is not a month as YYYY-MM`, `billing_account_owner_id "000000000012" is not the owner id of one of your AWS accounts or of the customer's`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rules.CheckDryRun(w.st, w.p1, tc.in))
		})
	}
}

// The flexible request types read what the guide's pages send, and refuse
// the rest.
func TestFlexTypes(t *testing.T) {
	var body struct {
		ID    rules.FlexID      `json:"id"`
		Owner rules.FlexString  `json:"owner"`
		S3    rules.FlexBool    `json:"s3"`
		List  rules.OwnerIDList `json:"list"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"id": "42", "owner": 1234, "s3": "true", "list": "1, 2,3"}`), &body))
	assert.Equal(t, rules.FlexID(42), body.ID)
	assert.Equal(t, rules.FlexString("1234"), body.Owner)
	assert.True(t, bool(body.S3))
	assert.Equal(t, rules.OwnerIDList{"1", "2", "3"}, body.List)
	require.NoError(t, json.Unmarshal([]byte(`{"id": 7, "owner": "ALL", "s3": false, "list": ["1", 2]}`), &body))
	assert.Equal(t, rules.FlexID(7), body.ID)
	assert.Equal(t, rules.OwnerIDList{"1", "2"}, body.List)
	for _, bad := range []string{`{"id": "x"}`, `{"id": -1}`, `{"id": 1.5}`, `{"owner": 1.5}`, `{"owner": true}`, `{"s3": "yes"}`, `{"list": [true]}`, `{"list": 3}`} {
		assert.Error(t, json.Unmarshal([]byte(bad), &body), bad)
	}
}

func TestValidBillingPeriod(t *testing.T) {
	for s, want := range map[string]bool{"2020-12": true, "2020-01": true, "2020-13": false, "2020-00": false, "2020-1": false, "20201-01": false, "": false, "2020-12 ": false} {
		assert.Equal(t, want, rules.ValidBillingPeriod(s), "%q", s)
	}
}
