package rules_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// govWorld is partner 1 with customers 1 and 2 and partner 2 with customer 9.
// Customer 1 owns the GovCloud accounts 1, 3, 5 and the commercial accounts
// 2, 4, 6, with linkage 10 joining 3 and 4; customer 2 owns 11 (GovCloud) and
// 12 (commercial); customer 9 owns 21 (GovCloud) and 22 (commercial).
// Account 30 is partner 1's own account (no customer).
type govWorld struct {
	st         *state.State
	c1, c2, c9 *state.Customer
	linked     *state.GovcloudLinkage
}

func newGovWorld() govWorld {
	st := state.New()
	p1 := &state.Partner{ID: 1, Name: "Partner one", APIKeys: []string{"k1"}}
	p2 := &state.Partner{ID: 2, Name: "Partner two", APIKeys: []string{"k2"}}
	st.AddPartner(p1)
	st.AddPartner(p2)
	w := govWorld{st: st, c1: &state.Customer{ID: 1, Name: "one"}, c2: &state.Customer{ID: 2, Name: "two"}, c9: &state.Customer{ID: 9, Name: "nine"}}
	st.AddCustomer(p1, w.c1)
	st.AddCustomer(p1, w.c2)
	st.AddCustomer(p2, w.c9)
	account := func(p *state.Partner, c *state.Customer, id int64, gov bool) {
		a := &state.AWSAccount{ID: id, Name: "account", IsGovcloud: gov}
		if c != nil {
			a.CustomerID = c.ID
		}
		st.AddAWSAccount(p, a)
	}
	for id := int64(1); id <= 6; id++ {
		account(p1, w.c1, id, id%2 == 1)
	}
	account(p1, w.c2, 11, true)
	account(p1, w.c2, 12, false)
	account(p2, w.c9, 21, true)
	account(p2, w.c9, 22, false)
	account(p1, nil, 30, false)
	w.linked = &state.GovcloudLinkage{ID: 10, CustomerID: w.c1.ID, GovcloudAcctID: 3, CommercialAcctID: 4}
	st.AddLinkage(w.linked)
	return w
}

func linkIDs(gov, com int64) rules.LinkageFields {
	return rules.LinkageFields{GovcloudAcctID: &gov, CommercialAcctID: &com}
}

// Messages of CheckLinkage, one per rule and side.
func notMine(field string, id int64) string {
	return fmt.Sprintf("%s %d is not an AWS account of this customer", field, id)
}

func inLinkage(field string, id, linkage int64) string {
	return fmt.Sprintf("%s %d is already in GovCloud linkage %d", field, id, linkage)
}

func notGov(id int64) string {
	return fmt.Sprintf("govcloud_acct_id %d is not a GovCloud account (is_govcloud is false)", id)
}

func isGov(id int64) string {
	return fmt.Sprintf("commercial_acct_id %d is a GovCloud account (is_govcloud is true)", id)
}

func TestCheckLinkageCreate(t *testing.T) {
	rows := []struct {
		name     string
		customer func(govWorld) *state.Customer
		in       rules.LinkageFields
		want     []string
	}{
		{name: "a free GovCloud and a free commercial account", in: linkIDs(1, 2)},
		{name: "rule 1: GovCloud id unknown", in: linkIDs(99, 2), want: []string{notMine("govcloud_acct_id", 99)}},
		{name: "rule 1: commercial id unknown", in: linkIDs(1, 99), want: []string{notMine("commercial_acct_id", 99)}},
		{name: "rule 1: another customer's GovCloud account", in: linkIDs(11, 2), want: []string{notMine("govcloud_acct_id", 11)}},
		{name: "rule 1: another customer's commercial account", in: linkIDs(1, 12), want: []string{notMine("commercial_acct_id", 12)}},
		{name: "rule 1: another partner's accounts", in: linkIDs(21, 22),
			want: []string{notMine("govcloud_acct_id", 21), notMine("commercial_acct_id", 22)}},
		{name: "rule 1: the partner's own account", in: linkIDs(1, 30), want: []string{notMine("commercial_acct_id", 30)}},
		{name: "rule 1: zero and negative ids", in: linkIDs(0, -2),
			want: []string{notMine("govcloud_acct_id", 0), notMine("commercial_acct_id", -2)}},
		{name: "rule 1: fields absent on create", in: rules.LinkageFields{},
			want: []string{notMine("govcloud_acct_id", 0), notMine("commercial_acct_id", 0)}},
		{name: "rule 2: GovCloud account already linked", in: linkIDs(3, 2), want: []string{inLinkage("govcloud_acct_id", 3, 10)}},
		{name: "rule 2: commercial account already linked", in: linkIDs(1, 4), want: []string{inLinkage("commercial_acct_id", 4, 10)}},
		{name: "rule 2: both already linked, together", in: linkIDs(3, 4),
			want: []string{inLinkage("govcloud_acct_id", 3, 10), inLinkage("commercial_acct_id", 4, 10)}},
		{name: "rule 3: GovCloud side is commercial", in: linkIDs(6, 2), want: []string{notGov(6)}},
		{name: "rule 4: commercial side is GovCloud", in: linkIDs(1, 5), want: []string{isGov(5)}},
		{name: "rules 3 and 4: swapped ids (linkage-post-data-format.md step 4)", in: linkIDs(2, 1),
			want: []string{notGov(2), isGov(1)}},
		{name: "rules 2, 3 and 4: the linked pair swapped", in: linkIDs(4, 3),
			want: []string{inLinkage("govcloud_acct_id", 4, 10), inLinkage("commercial_acct_id", 3, 10), notGov(4), isGov(3)}},
		{name: "rules 1 and 3 together", in: linkIDs(6, 12), want: []string{notMine("commercial_acct_id", 12), notGov(6)}},
		{name: "same id on both sides, GovCloud", in: linkIDs(1, 1), want: []string{isGov(1)}},
		{name: "same id on both sides, commercial", in: linkIDs(2, 2), want: []string{notGov(2)}},
		{name: "same linked id on both sides: reported once", in: linkIDs(3, 3),
			want: []string{inLinkage("govcloud_acct_id", 3, 10), isGov(3)}},
		{name: "customer 2 with its own accounts", customer: func(w govWorld) *state.Customer { return w.c2 }, in: linkIDs(11, 12)},
		{name: "customer 2 with customer 1's accounts", customer: func(w govWorld) *state.Customer { return w.c2 }, in: linkIDs(1, 2),
			want: []string{notMine("govcloud_acct_id", 1), notMine("commercial_acct_id", 2)}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			w := newGovWorld()
			c := w.c1
			if row.customer != nil {
				c = row.customer(w)
			}
			next, errs := rules.CheckLinkage(w.st, c, nil, row.in)
			assert.Equal(t, row.want, errs)
			assert.Equal(t, c.ID, next.CustomerID)
			assert.Zero(t, next.ID, "a create has no id until it is stored")
			if row.in.GovcloudAcctID != nil {
				assert.Equal(t, *row.in.GovcloudAcctID, next.GovcloudAcctID)
				assert.Equal(t, *row.in.CommercialAcctID, next.CommercialAcctID)
			}
		})
	}
}

func TestCheckLinkageUpdate(t *testing.T) {
	one := func(v int64) *int64 { return &v }
	rows := []struct {
		name     string
		in       rules.LinkageFields
		wantGov  int64
		wantCom  int64
		wantErrs []string
	}{
		{name: "nothing sent: the linkage as it is passes, ignoring itself", wantGov: 3, wantCom: 4},
		{name: "the same ids again", in: linkIDs(3, 4), wantGov: 3, wantCom: 4},
		{name: "another free GovCloud account, keeping its commercial one", in: rules.LinkageFields{GovcloudAcctID: one(5)}, wantGov: 5, wantCom: 4},
		{name: "another free commercial account, keeping its GovCloud one", in: rules.LinkageFields{CommercialAcctID: one(6)}, wantGov: 3, wantCom: 6},
		{name: "both replaced", in: linkIDs(5, 6), wantGov: 5, wantCom: 6},
		{name: "its own accounts swapped: rules 3 and 4, not rule 2", in: linkIDs(4, 3), wantGov: 4, wantCom: 3,
			wantErrs: []string{notGov(4), isGov(3)}},
		{name: "an account of another linkage", in: rules.LinkageFields{CommercialAcctID: one(2)}, wantGov: 3, wantCom: 2,
			wantErrs: []string{inLinkage("commercial_acct_id", 2, 11)}},
		{name: "another partner's account", in: rules.LinkageFields{GovcloudAcctID: one(21)}, wantGov: 21, wantCom: 4,
			wantErrs: []string{notMine("govcloud_acct_id", 21)}},
		{name: "several rules at once", in: linkIDs(2, 12), wantGov: 2, wantCom: 12,
			wantErrs: []string{notMine("commercial_acct_id", 12), inLinkage("govcloud_acct_id", 2, 11), notGov(2)}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			w := newGovWorld()
			// A second linkage, 11, joins 1 and 2.
			other := &state.GovcloudLinkage{ID: 11, CustomerID: w.c1.ID, GovcloudAcctID: 1, CommercialAcctID: 2}
			w.st.AddLinkage(other)
			next, errs := rules.CheckLinkage(w.st, w.c1, w.linked, row.in)
			require.Equal(t, row.wantErrs, errs)
			assert.Equal(t, state.GovcloudLinkage{ID: 10, CustomerID: w.c1.ID, GovcloudAcctID: row.wantGov, CommercialAcctID: row.wantCom}, next)
			assert.Equal(t, int64(3), w.linked.GovcloudAcctID, "checking changes nothing")
			assert.Equal(t, int64(4), w.linked.CommercialAcctID, "checking changes nothing")
		})
	}
}

// Every rule is reported (docs/fidelity.md, "Every rule reported"): each
// combination of what the GovCloud side and the commercial side break fails
// exactly those rules, in rule order (1, 2 per side, then 3 and 4). An
// account unknown to the customer has no linkage or kind to check.
func TestCheckLinkageReportsEveryRule(t *testing.T) {
	type side struct {
		name string
		id   int64
		r1   bool // not the customer's
		r2   bool // already in linkage 10
		kind bool // the wrong kind (rule 3 for the GovCloud side, 4 for the commercial one)
	}
	govSides := []side{
		{"a free GovCloud account", 1, false, false, false},
		{"an unknown account", 99, true, false, false},
		{"a linked GovCloud account", 3, false, true, false},
		{"a free commercial account", 2, false, false, true},
		{"a linked commercial account", 4, false, true, true},
	}
	comSides := []side{
		{"a free commercial account", 6, false, false, false},
		{"an unknown account", 98, true, false, false},
		{"a linked commercial account", 4, false, true, false},
		{"a free GovCloud account", 5, false, false, true},
		{"a linked GovCloud account", 3, false, true, true},
	}
	for _, g := range govSides {
		for _, c := range comSides {
			if g.id == c.id {
				continue // one account on both sides is another question (TestCheckLinkageCreate)
			}
			t.Run("govcloud: "+g.name+", commercial: "+c.name, func(t *testing.T) {
				w := newGovWorld()
				var want []string
				if g.r1 {
					want = append(want, notMine("govcloud_acct_id", g.id))
				}
				if c.r1 {
					want = append(want, notMine("commercial_acct_id", c.id))
				}
				if g.r2 {
					want = append(want, inLinkage("govcloud_acct_id", g.id, 10))
				}
				if c.r2 {
					want = append(want, inLinkage("commercial_acct_id", c.id, 10))
				}
				if g.kind {
					want = append(want, notGov(g.id))
				}
				if c.kind {
					want = append(want, isGov(c.id))
				}
				_, errs := rules.CheckLinkage(w.st, w.c1, nil, linkIDs(g.id, c.id))
				if len(want) == 0 {
					assert.Empty(t, errs)
				} else {
					assert.Equal(t, want, errs)
				}
			})
		}
	}
}
