package state_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

var (
	t0 = time.Date(2019, 5, 2, 12, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

// fixture is a small state: partners 1 and 2, partner 1 with customers 1 and
// 2 and four accounts of one billing family, partner 2 with customer 3.
type fixture struct {
	st         *state.State
	p1, p2     *state.Partner
	c1, c2, c3 *state.Customer
}

func owner(n int) string { return fmt.Sprintf("0000000000%02d", n) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{st: state.New()}
	f.p1 = &state.Partner{Name: "one", APIKeys: []string{"k1", "k1b"}}
	f.p2 = &state.Partner{Name: "two", APIKeys: []string{"k2"}}
	f.st.AddPartner(f.p1)
	f.st.AddPartner(f.p2)
	f.st.AddAWSAccount(f.p1, &state.AWSAccount{OwnerID: "999999999999", Name: "payer"})
	for i := 1; i <= 4; i++ {
		f.st.AddAWSAccount(f.p1, &state.AWSAccount{OwnerID: owner(i), Name: fmt.Sprint("linked ", i), BillingFamilyOwnerID: "999999999999"})
	}
	f.st.AddAWSAccount(f.p2, &state.AWSAccount{OwnerID: owner(1), Name: "other linked", BillingFamilyOwnerID: "777777777777"})
	f.c1 = &state.Customer{Name: "c1"}
	f.c2 = &state.Customer{Name: "c2"}
	f.c3 = &state.Customer{Name: "c3"}
	f.st.AddCustomer(f.p1, f.c1)
	f.st.AddCustomer(f.p1, f.c2)
	f.st.AddCustomer(f.p2, f.c3)
	return f
}

func (f *fixture) assign(p *state.Partner, c *state.Customer, own, payer string) *state.Assignment {
	a := &state.Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: own, PayerAccountOwnerID: payer}
	f.st.CreateAssignment(a, t0)
	return a
}

func ids[T any](list []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, x := range list {
		out = append(out, id(x))
	}
	return out
}

func assignmentIDs(list []*state.Assignment) []int64 {
	return ids(list, func(a *state.Assignment) int64 { return a.ID })
}

func TestIDsAreAssignedInOrderAndExplicitOnesKept(t *testing.T) {
	st := state.New()
	p5 := &state.Partner{ID: 5, Name: "five"}
	st.AddPartner(p5)
	next := &state.Partner{Name: "next"}
	st.AddPartner(next)
	assert.Equal(t, int64(6), next.ID, "an assigned id continues after the largest")
	low := &state.Partner{ID: 2, Name: "low"}
	st.AddPartner(low)
	after := &state.Partner{Name: "after"}
	st.AddPartner(after)
	assert.Equal(t, []int64{2, 5, 6, 7}, ids(st.Partners(), func(p *state.Partner) int64 { return p.ID }),
		"a smaller explicit id does not move the counter back; partners are ordered by id")

	c := &state.Customer{ID: 10, ClientAPIID: 20001, Name: "ten"}
	st.AddCustomer(p5, c)
	c2 := &state.Customer{Name: "eleven"}
	st.AddCustomer(p5, c2)
	assert.Equal(t, int64(11), c2.ID)
	assert.Equal(t, int64(11), c2.ClientAPIID, "a client_api_id defaults to the customer's id")
	c3 := &state.Customer{ID: 13, ClientAPIID: 14, Name: "thirteen"}
	st.AddCustomer(p5, c3)
	c4 := &state.Customer{Name: "fourteen"}
	st.AddCustomer(p5, c4)
	assert.Equal(t, [2]int64{14, 20002}, [2]int64{c4.ID, c4.ClientAPIID},
		"an id that is another customer's client_api_id: one above the largest client_api_id")

	// Partner and customer AWS accounts share one id space.
	pa := &state.AWSAccount{ID: 100, OwnerID: "000000000001", Name: "partner's"}
	st.AddAWSAccount(p5, pa)
	ca := &state.AWSAccount{CustomerID: c.ID, OwnerID: "100000000001", Name: "customer's"}
	st.AddAWSAccount(p5, ca)
	assert.Equal(t, int64(101), ca.ID)
	assert.Equal(t, p5.ID, ca.PartnerID)
	assert.Equal(t, []*state.AWSAccount{pa}, st.PartnerAccounts(p5))
	assert.Equal(t, []*state.AWSAccount{ca}, st.CustomerAccounts(c))

	st.ReserveIDs(state.Assignments, 41)
	a := &state.Assignment{PartnerID: p5.ID, CustomerID: c.ID, OwnerID: "000000000001", PayerAccountOwnerID: "000000000001"}
	st.AddAssignment(a)
	assert.Equal(t, int64(42), a.ID, "ReserveIDs moves the counter")
	st.ReserveIDs(state.Assignments, 3)
	b := &state.Assignment{PartnerID: p5.ID, CustomerID: c.ID, OwnerID: "000000000002", PayerAccountOwnerID: "000000000002"}
	st.AddAssignment(b)
	assert.Equal(t, int64(43), b.ID, "ReserveIDs never moves a counter back")

	st.ReserveIDs(state.Linkages, 7)
	l := &state.GovcloudLinkage{CustomerID: c.ID, GovcloudAcctID: 101, CommercialAcctID: 100}
	st.AddLinkage(l)
	assert.Equal(t, int64(8), l.ID)

	for _, row := range []struct {
		collection state.Collection
		used       int64
		unused     int64
	}{
		{state.Partners, 5, 3},
		{state.Customers, 14, 1},
		{state.ClientAPIIDs, 20001, 10},
		{state.AWSAccounts, 101, 102},
		{state.Assignments, 42, 41},
		{state.Linkages, 8, 7},
	} {
		assert.True(t, st.HasID(row.collection, row.used), "collection %d id %d", row.collection, row.used)
		assert.False(t, st.HasID(row.collection, row.unused), "collection %d id %d", row.collection, row.unused)
	}
	assert.False(t, st.HasID(state.Collection(99), 5), "an unknown collection has nothing")
}

func TestPartnerAndCustomerLookupsAreScoped(t *testing.T) {
	f := newFixture(t)
	for key, want := range map[string]*state.Partner{"k1": f.p1, "k1b": f.p1, "k2": f.p2} {
		got, ok := f.st.PartnerByKey(key)
		require.True(t, ok, key)
		assert.Same(t, want, got, key)
	}
	_, ok := f.st.PartnerByKey("nope")
	assert.False(t, ok)
	got, ok := f.st.Partner(f.p2.ID)
	assert.True(t, ok)
	assert.Same(t, f.p2, got)
	_, ok = f.st.Partner(99)
	assert.False(t, ok)

	c, ok := f.st.Customer(f.p1, f.c2.ID)
	assert.True(t, ok)
	assert.Same(t, f.c2, c)
	_, ok = f.st.Customer(f.p2, f.c2.ID)
	assert.False(t, ok, "another partner's customer is not found")
	_, ok = f.st.CustomerByClientAPIID(f.p2, f.c1.ClientAPIID)
	assert.False(t, ok, "another partner's client_api_id is not found")
	c, ok = f.st.CustomerByClientAPIID(f.p2, f.c3.ClientAPIID)
	assert.True(t, ok)
	assert.Same(t, f.c3, c)
	c, ok = f.st.CustomerByName(f.p1, "c1")
	assert.True(t, ok)
	assert.Same(t, f.c1, c)
	_, ok = f.st.CustomerByName(f.p2, "c1")
	assert.False(t, ok)

	assert.Equal(t, 2, f.st.CustomerCount(f.p1))
	assert.Equal(t, []*state.Customer{f.c1, f.c2}, f.st.Customers(f.p1))
	assert.Equal(t, []*state.Customer{f.c2}, f.st.CustomersPage(f.p1, 1, 5))
	assert.Empty(t, f.st.CustomersPage(f.p1, 2, 5))

	a := f.assign(f.p1, f.c1, owner(1), owner(1))
	_, ok = f.st.Assignment(f.p2, a.ID)
	assert.False(t, ok, "another partner's assignment is not found")
	got2, ok := f.st.Assignment(f.p1, a.ID)
	assert.True(t, ok)
	assert.Same(t, a, got2)
	_, ok = f.st.AssignmentByOwner(f.p2, owner(1))
	assert.False(t, ok, "owner ids are per partner")
	_, ok = f.st.PartnerAccountByOwner(f.p1, "100000000001")
	assert.False(t, ok)
}

func TestAssignmentsPageOrderAndCountsAfterDeletes(t *testing.T) {
	f := newFixture(t)
	var mine []*state.Assignment
	for i := 1; i <= 4; i++ { // odd ones to c2, even ones to c1
		mine = append(mine, f.assign(f.p1, []*state.Customer{f.c1, f.c2}[i%2], owner(i), owner(i)))
		if i == 2 {
			f.assign(f.p2, f.c3, owner(1), owner(1)) // takes id 3: partner 2's
		}
	}
	assert.Equal(t, []int64{1, 2, 4, 5}, assignmentIDs(mine))
	assert.Equal(t, 4, f.st.AssignmentCount(f.p1))
	assert.Equal(t, 1, f.st.AssignmentCount(f.p2))

	assert.Equal(t, []int64{1, 2}, assignmentIDs(f.st.AssignmentsPage(f.p1, 0, 2)))
	assert.Equal(t, []int64{4, 5}, assignmentIDs(f.st.AssignmentsPage(f.p1, 2, 2)))
	assert.Empty(t, f.st.AssignmentsPage(f.p1, 4, 2), "past the end")
	assert.Equal(t, []int64{3}, assignmentIDs(f.st.AssignmentsPage(f.p2, 0, 30)))

	f.st.DeleteAssignment(mine[1]) // id 2
	assert.Equal(t, 3, f.st.AssignmentCount(f.p1))
	assert.Equal(t, []int64{1, 4}, assignmentIDs(f.st.AssignmentsPage(f.p1, 0, 2)))
	assert.Equal(t, []int64{5}, assignmentIDs(f.st.AssignmentsPage(f.p1, 2, 2)))
	assert.Empty(t, f.st.AssignmentsPage(f.p1, 3, 2))
	_, ok := f.st.Assignment(f.p1, 2)
	assert.False(t, ok)
	_, ok = f.st.AssignmentByOwner(f.p1, owner(2))
	assert.False(t, ok, "the owner is free again")
	assert.Equal(t, []int64{1, 4}, assignmentIDs(f.st.CustomerAssignments(f.c2)), "customer index")
	assert.Equal(t, []int64{5}, assignmentIDs(f.st.CustomerAssignments(f.c1)), "customer index after the delete of 2")

	again := f.assign(f.p1, f.c2, owner(2), owner(2))
	assert.Equal(t, int64(6), again.ID, "a deleted id is never reused")
	assert.Equal(t, []int64{1, 4, 5, 6}, assignmentIDs(f.st.AssignmentsPage(f.p1, 0, 30)))
}

func TestReplaceAssignmentKeepsIndexesTrue(t *testing.T) {
	f := newFixture(t)
	cons := f.assign(f.p1, f.c1, owner(1), owner(1))
	linked := f.assign(f.p1, f.c1, owner(2), owner(1))
	shape := func(c *state.Customer) state.Shape { return f.st.AssignmentShape(c) }
	set := func(owners ...string) map[string]struct{} {
		out := map[string]struct{}{}
		for _, o := range owners {
			out[o] = struct{}{}
		}
		return out
	}
	assert.Equal(t, state.Shape{SelfPaying: set(owner(1)), LinkedByPayer: map[string]int{owner(1): 1}}, shape(f.c1))

	// Owner change.
	f.st.ReplaceAssignment(linked, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(1)})
	_, ok := f.st.AssignmentByOwner(f.p1, owner(2))
	assert.False(t, ok, "the old owner is gone from the index")
	got, ok := f.st.AssignmentByOwner(f.p1, owner(3))
	assert.True(t, ok)
	assert.Same(t, linked, got)
	assert.Equal(t, int64(2), linked.ID, "the id stays")
	assert.Equal(t, f.p1.ID, linked.PartnerID, "the partner stays")

	// Payer change: linked -> standalone.
	f.st.ReplaceAssignment(linked, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(3)})
	assert.Equal(t, state.Shape{SelfPaying: set(owner(1), owner(3)), LinkedByPayer: map[string]int{}}, shape(f.c1))
	// standalone -> linked again.
	f.st.ReplaceAssignment(linked, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(1)})
	assert.Equal(t, state.Shape{SelfPaying: set(owner(1)), LinkedByPayer: map[string]int{owner(1): 1}}, shape(f.c1))

	// Customer change: the linked one moves to c2 as standalone.
	f.st.ReplaceAssignment(linked, state.Assignment{CustomerID: f.c2.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(3)})
	assert.Equal(t, state.Shape{SelfPaying: set(owner(1)), LinkedByPayer: map[string]int{}}, shape(f.c1))
	assert.Equal(t, state.Shape{SelfPaying: set(owner(3)), LinkedByPayer: map[string]int{}}, shape(f.c2))
	assert.Equal(t, []int64{cons.ID}, assignmentIDs(f.st.CustomerAssignments(f.c1)))
	assert.Equal(t, []int64{linked.ID}, assignmentIDs(f.st.CustomerAssignments(f.c2)))
	assert.Equal(t, []int64{1, 2}, assignmentIDs(f.st.AssignmentsPage(f.p1, 0, 30)), "the partner's list is unchanged")

	// Owner and customer change of a consolidated one with both payer and owner moving.
	f.st.ReplaceAssignment(cons, state.Assignment{CustomerID: f.c2.ID, OwnerID: owner(4), PayerAccountOwnerID: owner(4)})
	assert.Equal(t, state.Shape{SelfPaying: map[string]struct{}{}, LinkedByPayer: map[string]int{}}, shape(f.c1))
	assert.Equal(t, state.Shape{SelfPaying: set(owner(3), owner(4)), LinkedByPayer: map[string]int{}}, shape(f.c2))
	_, ok = f.st.AssignmentByOwner(f.p1, owner(1))
	assert.False(t, ok)
	assert.Empty(t, f.st.CustomerAssignments(f.c1))

	// Deleting clears every index.
	f.st.DeleteAssignment(cons)
	f.st.DeleteAssignment(linked)
	assert.Equal(t, state.Shape{SelfPaying: map[string]struct{}{}, LinkedByPayer: map[string]int{}}, shape(f.c2))
	assert.Equal(t, 0, f.st.AssignmentCount(f.p1))
}

// Two linked assignments naming one payer: the count goes down one at a time
// and the payer leaves the map only with the last.
func TestShapeCountsLinkedAssignmentsPerPayer(t *testing.T) {
	f := newFixture(t)
	f.assign(f.p1, f.c1, owner(1), owner(1))
	l2 := f.assign(f.p1, f.c1, owner(2), owner(1))
	l3 := f.assign(f.p1, f.c1, owner(3), owner(1))
	assert.Equal(t, map[string]int{owner(1): 2}, f.st.AssignmentShape(f.c1).LinkedByPayer)
	f.st.DeleteAssignment(l2)
	assert.Equal(t, map[string]int{owner(1): 1}, f.st.AssignmentShape(f.c1).LinkedByPayer)
	f.st.ReplaceAssignment(l3, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(4)})
	assert.Equal(t, map[string]int{owner(4): 1}, f.st.AssignmentShape(f.c1).LinkedByPayer)
}

func TestCreateAssignmentCreatesTheCustomerAccountOnce(t *testing.T) {
	f := newFixture(t)
	partnerAccounts := len(f.st.PartnerAccounts(f.p1))
	a := f.assign(f.p1, f.c1, owner(1), owner(1))

	accounts := f.st.CustomerAccounts(f.c1)
	require.Len(t, accounts, 1)
	acct := accounts[0]
	assert.Equal(t, state.AWSAccount{ID: 7, PartnerID: f.p1.ID, CustomerID: f.c1.ID, OwnerID: owner(1), Name: "linked 1",
		CreatedAt: t0, UpdatedAt: t0}, *acct, "named after the partner's account, next id of the shared space")
	got, ok := f.st.CustomerAccountByOwner(f.c1, owner(1))
	assert.True(t, ok)
	assert.Same(t, acct, got)
	gotByID, ok := f.st.AWSAccount(acct.ID)
	assert.True(t, ok)
	assert.Same(t, acct, gotByID)
	assert.Len(t, f.st.PartnerAccounts(f.p1), partnerAccounts, "the partner's own accounts are untouched")

	// Deleted and created again: the account stayed, and is not made twice.
	f.st.DeleteAssignment(a)
	assert.Len(t, f.st.CustomerAccounts(f.c1), 1, "the customer's account stays after the delete")
	f.assign(f.p1, f.c1, owner(1), owner(1))
	assert.Len(t, f.st.CustomerAccounts(f.c1), 1)

	// Updated to another customer: that one gets the account; back: nothing new.
	b := f.assign(f.p1, f.c1, owner(2), owner(2))
	require.Len(t, f.st.CustomerAccounts(f.c1), 2)
	f.st.UpdateAssignment(b, state.Assignment{CustomerID: f.c2.ID, OwnerID: owner(2), PayerAccountOwnerID: owner(2)}, t1)
	require.Len(t, f.st.CustomerAccounts(f.c2), 1)
	assert.Equal(t, owner(2), f.st.CustomerAccounts(f.c2)[0].OwnerID)
	assert.Equal(t, t1, f.st.CustomerAccounts(f.c2)[0].CreatedAt)
	f.st.UpdateAssignment(b, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(2), PayerAccountOwnerID: owner(2)}, t1)
	assert.Len(t, f.st.CustomerAccounts(f.c1), 2)
	assert.Len(t, f.st.CustomerAccounts(f.c2), 1)
	// An update changing the owner only creates the new owner's account.
	f.st.UpdateAssignment(b, state.Assignment{CustomerID: f.c1.ID, OwnerID: owner(3), PayerAccountOwnerID: owner(3)}, t1)
	assert.Equal(t, []string{owner(1), owner(2), owner(3)},
		func() []string {
			var out []string
			for _, a := range f.st.CustomerAccounts(f.c1) {
				out = append(out, a.OwnerID)
			}
			return out
		}())
}

func TestCreateAssignmentKeepsAnExistingCustomerAccount(t *testing.T) {
	f := newFixture(t)
	own := &state.AWSAccount{CustomerID: f.c1.ID, OwnerID: owner(1), Name: "the customer's own name", CreatedAt: t1, UpdatedAt: t1}
	f.st.AddAWSAccount(f.p1, own)
	f.assign(f.p1, f.c1, owner(1), owner(1))
	assert.Equal(t, []*state.AWSAccount{own}, f.st.CustomerAccounts(f.c1))
	assert.Equal(t, "the customer's own name", own.Name)

	// An owner id the partner has no account for: named after the owner id.
	f.assign(f.p1, f.c2, "123456789012", "123456789012")
	require.Len(t, f.st.CustomerAccounts(f.c2), 1)
	assert.Equal(t, "123456789012", f.st.CustomerAccounts(f.c2)[0].Name)
}

func TestAccountsWithoutOwnerID(t *testing.T) {
	f := newFixture(t)
	a := &state.AWSAccount{CustomerID: f.c1.ID, Name: "access key account"}
	f.st.AddAWSAccount(f.p1, a)
	assert.Equal(t, []*state.AWSAccount{a}, f.st.CustomerAccounts(f.c1))
	_, ok := f.st.CustomerAccountByOwner(f.c1, "")
	assert.False(t, ok, "an empty owner id is not indexed")
	p := &state.AWSAccount{Name: "partner access key account"}
	f.st.AddAWSAccount(f.p1, p)
	_, ok = f.st.PartnerAccountByOwner(f.p1, "")
	assert.False(t, ok)
}

func TestLinkages(t *testing.T) {
	f := newFixture(t)
	acct := func(c *state.Customer, gov bool) *state.AWSAccount {
		a := &state.AWSAccount{CustomerID: c.ID, Name: "x", IsGovcloud: gov}
		f.st.AddAWSAccount(f.p1, a)
		return a
	}
	g1, c1, g2, c2 := acct(f.c1, true), acct(f.c1, false), acct(f.c1, true), acct(f.c1, false)
	l := &state.GovcloudLinkage{CustomerID: f.c1.ID, GovcloudAcctID: g1.ID, CommercialAcctID: c1.ID, CreatedAt: t0, UpdatedAt: t0}
	f.st.AddLinkage(l)
	l2 := &state.GovcloudLinkage{CustomerID: f.c1.ID, GovcloudAcctID: g2.ID, CommercialAcctID: c2.ID}
	f.st.AddLinkage(l2)
	assert.Equal(t, []*state.GovcloudLinkage{l, l2}, f.st.Linkages(f.c1))
	got, ok := f.st.Linkage(f.c1, l.ID)
	assert.True(t, ok)
	assert.Same(t, l, got)
	_, ok = f.st.Linkage(f.c2, l.ID)
	assert.False(t, ok, "another customer's linkage is not found")

	f.st.ReplaceLinkage(l2, state.GovcloudLinkage{GovcloudAcctID: g2.ID, CommercialAcctID: c1.ID, UpdatedAt: t1})
	_, ok = f.st.LinkageOfAccount(c2.ID)
	assert.False(t, ok, "the old commercial account is free")
	got, ok = f.st.LinkageOfAccount(g2.ID)
	assert.True(t, ok)
	assert.Same(t, l2, got)
	assert.Equal(t, t1, l2.UpdatedAt)
	assert.Equal(t, c1.ID, l2.CommercialAcctID)
}

func TestCreateAndUpdateLinkageTimestamps(t *testing.T) {
	f := newFixture(t)
	acct := func(gov bool) int64 {
		a := &state.AWSAccount{CustomerID: f.c1.ID, Name: "x", IsGovcloud: gov}
		f.st.AddAWSAccount(f.p1, a)
		return a.ID
	}
	g1, c1, c2 := acct(true), acct(false), acct(false)
	l := &state.GovcloudLinkage{CustomerID: f.c1.ID, GovcloudAcctID: g1, CommercialAcctID: c1}
	f.st.CreateLinkage(l, t0)
	require.NotZero(t, l.ID)
	assert.Equal(t, t0, l.CreatedAt)
	assert.Equal(t, t0, l.UpdatedAt)
	got, ok := f.st.LinkageOfAccount(c1)
	require.True(t, ok)
	assert.Same(t, l, got)

	// The same accounts again: nothing changes, updated_at stays (as Rails).
	f.st.UpdateLinkage(l, state.GovcloudLinkage{ID: l.ID, CustomerID: f.c1.ID, GovcloudAcctID: g1, CommercialAcctID: c1}, t1)
	assert.Equal(t, t0, l.UpdatedAt)

	f.st.UpdateLinkage(l, state.GovcloudLinkage{ID: l.ID, CustomerID: f.c1.ID, GovcloudAcctID: g1, CommercialAcctID: c2}, t1)
	assert.Equal(t, t0, l.CreatedAt, "created_at never moves")
	assert.Equal(t, t1, l.UpdatedAt)
	assert.Equal(t, c2, l.CommercialAcctID)
	_, ok = f.st.LinkageOfAccount(c1)
	assert.False(t, ok, "the old commercial account is free")
}

func TestAzureAccounts(t *testing.T) {
	f := newFixture(t)
	x := &state.AzureAccount{AzureCustomerID: "xof194", Name: "x", CreatedAt: t0, UpdatedAt: t0}
	ab := &state.AzureAccount{AzureCustomerID: "ab123", Name: "ab", CreatedAt: t0, UpdatedAt: t0}
	f.st.AddAzureAccount(f.p1, x)
	f.st.AddAzureAccount(f.p1, ab)
	assert.Equal(t, []*state.AzureAccount{x, ab}, f.st.AzureAccounts(f.p1), "in the order added")
	assert.Empty(t, f.st.AzureAccounts(f.p2))
	_, ok := f.st.AzureAccount(f.p2, "ab123")
	assert.False(t, ok, "another partner's Azure account is not found")
	f.st.AssignAzureAccount(ab, f.c1)
	assert.Equal(t, f.c1.ID, ab.CustomerID)
	f.st.AssignAzureAccount(ab, nil)
	assert.Equal(t, int64(0), ab.CustomerID)
	assert.Equal(t, t0, ab.UpdatedAt, "assigning does not touch timestamps")
}

// Writers add a customer and its assignment in one Write while readers check
// that they never see one without the other, and a Replace swaps the state
// under them. Run with -race.
func TestStoreConcurrentReadAndWrite(t *testing.T) {
	f := newFixture(t)
	store := state.NewStore(f.st)
	const writers, perWriter, readers = 4, 50, 4
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				err := store.Write(func(st *state.State) error {
					p, _ := st.Partner(1)
					c := &state.Customer{Name: fmt.Sprintf("w%d-%d", w, i)}
					st.AddCustomer(p, c)
					st.CreateAssignment(&state.Assignment{PartnerID: p.ID, CustomerID: c.ID,
						OwnerID: fmt.Sprintf("%06d%06d", w, i), PayerAccountOwnerID: fmt.Sprintf("%06d%06d", w, i)}, t0)
					return nil
				})
				assert.NoError(t, err)
			}
		})
	}
	stop := make(chan struct{})
	var readerWG sync.WaitGroup
	for range readers {
		readerWG.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				store.Read(func(st *state.State) {
					p, _ := st.Partner(1)
					// Two fixture customers without assignments, then one per write.
					if !assert.Equal(t, st.CustomerCount(p)-2, st.AssignmentCount(p), "a half-applied write is visible") {
						return
					}
					for _, a := range st.AssignmentsPage(p, 0, 100) {
						_, ok := st.Customer(p, a.CustomerID)
						assert.True(t, ok)
					}
				})
			}
		})
	}
	wg.Wait()
	close(stop)
	readerWG.Wait()

	store.Read(func(st *state.State) {
		p, _ := st.Partner(1)
		assert.Equal(t, writers*perWriter, st.AssignmentCount(p))
		assert.Equal(t, writers*perWriter+2, st.CustomerCount(p))
		assert.Equal(t, writers*perWriter, len(st.AssignmentsPage(p, 0, writers*perWriter+1)))
	})

	// A write that fails returns its error.
	boom := errors.New("refused")
	assert.ErrorIs(t, store.Write(func(*state.State) error { return boom }), boom)

	// Replace under concurrent readers: each sees one state or the other.
	fresh := state.New()
	var replaceWG sync.WaitGroup
	for range readers {
		replaceWG.Go(func() {
			for range 100 {
				store.Read(func(st *state.State) {
					n := len(st.Partners())
					assert.True(t, n == 0 || n == 2, "partners: %d", n)
				})
			}
		})
	}
	replaceWG.Go(func() { store.Replace(fresh) })
	replaceWG.Wait()
	store.Read(func(st *state.State) { assert.Same(t, fresh, st) })
}
