package state_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

func accountIDs(list []*state.AWSAccount) []int64 {
	return ids(list, func(a *state.AWSAccount) int64 { return a.ID })
}

func TestDeleteCustomerCascades(t *testing.T) {
	f := newFixture(t)
	consolidated := f.assign(f.p1, f.c1, owner(1), owner(1))
	linked := f.assign(f.p1, f.c1, owner(2), owner(1))
	kept := f.assign(f.p1, f.c2, owner(3), owner(3))
	gov := &state.AWSAccount{CustomerID: f.c1.ID, OwnerID: "100000000001", Name: "gov", IsGovcloud: true}
	com := &state.AWSAccount{CustomerID: f.c1.ID, OwnerID: "100000000002", Name: "com"}
	f.st.AddAWSAccount(f.p1, gov)
	f.st.AddAWSAccount(f.p1, com)
	l := &state.GovcloudLinkage{CustomerID: f.c1.ID, GovcloudAcctID: gov.ID, CommercialAcctID: com.ID}
	f.st.AddLinkage(l)
	azure := &state.AzureAccount{AzureCustomerID: "ab123"}
	f.st.AddAzureAccount(f.p1, azure)
	f.st.AssignAzureAccount(azure, f.c1)
	c1Accounts := accountIDs(f.st.CustomerAccounts(f.c1))
	require.Len(t, c1Accounts, 4, "two made by the assignments, two added")

	f.st.DeleteCustomer(f.c1)

	_, ok := f.st.Customer(f.p1, f.c1.ID)
	assert.False(t, ok)
	_, ok = f.st.CustomerByClientAPIID(f.p1, f.c1.ClientAPIID)
	assert.False(t, ok)
	_, ok = f.st.CustomerByName(f.p1, "c1")
	assert.False(t, ok)
	assert.Equal(t, 1, f.st.CustomerCount(f.p1))
	for _, a := range []*state.Assignment{consolidated, linked} {
		_, ok := f.st.Assignment(f.p1, a.ID)
		assert.False(t, ok, "assignment %d", a.ID)
		_, ok = f.st.AssignmentByOwner(f.p1, a.OwnerID)
		assert.False(t, ok, "assignment of %s", a.OwnerID)
	}
	assert.Equal(t, []int64{kept.ID}, assignmentIDs(f.st.AssignmentsPage(f.p1, 0, 10)))
	for _, id := range c1Accounts {
		_, ok := f.st.AWSAccount(id)
		assert.False(t, ok, "account %d", id)
	}
	_, ok = f.st.LinkageOfAccount(gov.ID)
	assert.False(t, ok)
	assert.Equal(t, int64(0), azure.CustomerID, "the Azure account is unassigned")
	assert.Empty(t, f.st.AssignedAzureAccounts(f.p1))
	assert.Equal(t, 5, f.st.PartnerAccountCount(f.p1), "the partner's own accounts stay")
	_, ok = f.st.PartnerAccountByOwner(f.p1, owner(1))
	assert.True(t, ok)
}

func TestReplaceCustomerKeepsTheNameIndex(t *testing.T) {
	f := newFixture(t)
	next := *f.c1
	next.Name = "renamed"
	next.Classification = "managed_with_access"
	f.st.ReplaceCustomer(f.c1, next)
	_, ok := f.st.CustomerByName(f.p1, "c1")
	assert.False(t, ok)
	got, ok := f.st.CustomerByName(f.p1, "renamed")
	require.True(t, ok)
	assert.Same(t, f.c1, got)
	assert.Equal(t, "managed_with_access", f.c1.Classification)
}

func TestAWSAccountPagesAndIndexes(t *testing.T) {
	f := newFixture(t)
	ca := &state.AWSAccount{CustomerID: f.c1.ID, OwnerID: "100000000001", Name: "mine"}
	f.st.AddAWSAccount(f.p1, ca)
	assert.Equal(t, 5, f.st.PartnerAccountCount(f.p1))
	assert.Equal(t, []int64{3, 4}, accountIDs(f.st.PartnerAccountsPage(f.p1, 2, 2)))
	assert.Equal(t, 1, f.st.CustomerAccountCount(f.c1))
	assert.Equal(t, []int64{ca.ID}, accountIDs(f.st.CustomerAccountsPage(f.c1, 0, 30)))
	assert.Len(t, f.st.FamilyMembers(f.p1, "999999999999"), 4)
	assert.Empty(t, f.st.FamilyMembers(f.p2, "999999999999"), "families are per partner")

	// A new owner id moves the index; the old one is free.
	next := *ca
	next.OwnerID = "100000000009"
	f.st.ReplaceAWSAccount(ca, next)
	_, ok := f.st.CustomerAccountByOwner(f.c1, "100000000001")
	assert.False(t, ok)
	got, ok := f.st.CustomerAccountByOwner(f.c1, "100000000009")
	require.True(t, ok)
	assert.Same(t, ca, got)
	assert.Equal(t, f.c1.ID, ca.CustomerID, "the owner does not change")

	// Deleting a family member leaves the family.
	member, _ := f.st.PartnerAccountByOwner(f.p1, owner(4))
	f.st.DeleteAWSAccount(member)
	assert.Len(t, f.st.FamilyMembers(f.p1, "999999999999"), 3)
	_, ok = f.st.AWSAccount(member.ID)
	assert.False(t, ok)
	assert.Equal(t, 4, f.st.PartnerAccountCount(f.p1))
	f.st.DeleteAWSAccount(ca)
	assert.Equal(t, 0, f.st.CustomerAccountCount(f.c1))
}
