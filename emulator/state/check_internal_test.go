package state

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// soundState is a small state that uses every index: two partners, a
// customer with accounts, a consolidated and a linked assignment, a linkage
// and Azure accounts.
func soundState(t *testing.T) *State {
	t.Helper()
	s := New()
	p := &Partner{Name: "one", APIKeys: []string{"k1"}}
	s.AddPartner(p)
	s.AddPartner(&Partner{Name: "two", APIKeys: []string{"k2"}})
	for _, o := range []string{"000000000001", "000000000002"} {
		s.AddAWSAccount(p, &AWSAccount{OwnerID: o, Name: o, BillingFamilyOwnerID: "999999999999"})
	}
	c := &Customer{Name: "c"}
	s.AddCustomer(p, c)
	gov := &AWSAccount{CustomerID: c.ID, OwnerID: "100000000001", Name: "gov", IsGovcloud: true}
	com := &AWSAccount{CustomerID: c.ID, OwnerID: "100000000002", Name: "com"}
	s.AddAWSAccount(p, gov)
	s.AddAWSAccount(p, com)
	s.AddAWSAccount(p, &AWSAccount{CustomerID: c.ID, Name: "no owner yet"})
	s.AddAssignment(&Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: "000000000001", PayerAccountOwnerID: "000000000001"})
	s.AddAssignment(&Assignment{PartnerID: p.ID, CustomerID: c.ID, OwnerID: "000000000002", PayerAccountOwnerID: "000000000001"})
	s.AddLinkage(&GovcloudLinkage{CustomerID: c.ID, GovcloudAcctID: gov.ID, CommercialAcctID: com.ID})
	az := &AzureAccount{AzureCustomerID: "ab123", Name: "ab"}
	s.AddAzureAccount(p, az)
	s.AssignAzureAccount(az, c)
	s.AddAzureAccount(p, &AzureAccount{AzureCustomerID: "xof194", Name: "x"})
	require.Empty(t, s.CheckIndexes(), "the sound state")
	return s
}

// Each row breaks one index (or an entity's place) behind the state's back
// and shows that CheckIndexes names it.
func TestCheckIndexesReportsEveryBrokenIndex(t *testing.T) {
	rows := []struct {
		name    string
		corrupt func(s *State)
		want    string
	}{
		{"partner id set", func(s *State) { s.partnerIDs.remove(2) }, "the partner id set"},
		{"partner under another id", func(s *State) { s.partners[2].ID = 7 }, "partner stored under id 2 has id 7"},
		{"stale key", func(s *State) { s.partnersByKey["gone"] = s.partners[1] }, "the partner-by-key index: entry gone"},
		{"missing key", func(s *State) { delete(s.partnersByKey, "k2") }, "the partner-by-key index: entry k2"},
		{"key of two partners", func(s *State) { s.partners[2].APIKeys = append(s.partners[2].APIKeys, "k1") },
			`API key "k1" belongs to partners`},
		{"partner counter", func(s *State) { s.lastPartnerID = 1 }, "the partner id counter 1 is below id 2"},
		{"customer by client_api_id", func(s *State) { delete(s.customersByAPIID, s.customers[1].ClientAPIID) },
			"the customer-by-client_api_id index"},
		{"customer id set", func(s *State) { s.partners[1].customerIDs.remove(1) }, "partner 1: the customer id set"},
		{"customer in the other partner's set", func(s *State) { s.partners[2].customerIDs.add(1) }, "partner 2: the customer id set"},
		{"customer by name", func(s *State) { s.partners[1].customersByName["renamed"] = s.customers[1] },
			"partner 1: the customer-by-name index: entry renamed"},
		{"customer name changed", func(s *State) { s.customers[1].Name = "new" }, "partner 1: the customer-by-name index"},
		{"client_api_id counter", func(s *State) { s.lastClientAPIID = 0 }, "the client_api_id counter 0"},
		{"customer of no partner", func(s *State) { s.customers[1].PartnerID = 9 }, "customer 1: partner 9 does not exist"},
		{"AWS account id set", func(s *State) { s.partners[1].awsAccountIDs.remove(1) }, "partner 1: the AWS account id set"},
		{"customer AWS account id set", func(s *State) { s.customers[1].awsAccountIDs.remove(3) }, "customer 1: the AWS account id set"},
		{"partner account by owner", func(s *State) { delete(s.partners[1].awsAccountsByOwner, "000000000002") },
			"partner 1: the AWS-account-by-owner index: entry 000000000002"},
		{"customer account by owner", func(s *State) { s.awsAccounts[3].OwnerID = "100000000009" },
			"customer 1: the AWS-account-by-owner index"},
		{"two accounts with one owner", func(s *State) { s.awsAccounts[4].OwnerID = "100000000001" },
			`AWS accounts 3 and 4 of the same holder share owner_id "100000000001"`},
		{"family member missing", func(s *State) { delete(s.partners[1].familyMembers["999999999999"], 2) },
			"partner 1: the billing-family members index of family 999999999999: entry 2 is missing"},
		{"family changed behind the index", func(s *State) { s.awsAccounts[1].BillingFamilyOwnerID = "888888888888" },
			"partner 1: the billing-family members index of family 888888888888: entry 1 is missing"},
		{"account left its family behind the index", func(s *State) { s.awsAccounts[2].BillingFamilyOwnerID = "" },
			"partner 1: the billing-family members index of family 999999999999: entry 2"},
		{"empty family kept", func(s *State) { s.partners[1].familyMembers["777777777777"] = map[int64]struct{}{} },
			"family 777777777777 is kept with no member"},
		{"customer account in a family", func(s *State) { s.partners[1].familyMembers["999999999999"][3] = struct{}{} },
			"of family 999999999999: entry 3"},
		{"family index of a deleted account", func(s *State) {
			delete(s.awsAccounts, 1)
			s.partners[1].awsAccountIDs.remove(1)
			delete(s.partners[1].awsAccountsByOwner, "000000000001")
		},
			"of family 999999999999: entry 1"},
		{"AWS account counter", func(s *State) { s.lastAWSAccountID = 2 }, "the AWS account id counter 2 is below id"},
		{"assignment id set", func(s *State) { s.partners[1].assignmentIDs.remove(2) }, "partner 1: the assignment id set"},
		{"customer assignment id set", func(s *State) { s.customers[1].assignmentIDs.add(99) }, "customer 1: the assignment id set"},
		{"assignment by owner", func(s *State) { s.assignments[2].OwnerID = "000000000003" },
			"partner 1: the assignment-by-owner index"},
		{"self-payer index", func(s *State) { s.customers[1].selfPayers["000000000009"] = struct{}{} },
			"customer 1: the self-paying owner index: entry 000000000009"},
		{"linked count", func(s *State) { s.customers[1].linkedByPayer["000000000001"] = 2 },
			"customer 1: the linked-by-payer counts: entry 000000000001 is 2, a scan finds 1"},
		{"payer changed behind the index", func(s *State) { s.assignments[2].PayerAccountOwnerID = "000000000002" },
			"customer 1: the self-paying owner index"},
		{"assignment of another partner's customer", func(s *State) { s.assignments[1].PartnerID = 2 },
			"assignment 1: customer 1 does not exist under partner 2"},
		{"assignment counter", func(s *State) { s.lastAssignmentID = 0 }, "the assignment id counter 0"},
		{"linkage id set", func(s *State) { s.customers[1].linkageIDs.remove(1) }, "customer 1: the linkage id set"},
		{"linkage by account", func(s *State) { delete(s.linkageByAccount, 4) }, "the linkage-by-account index: entry 4"},
		{"two linkages on one account", func(s *State) {
			s.linkages[2] = &GovcloudLinkage{ID: 2, CustomerID: 1, GovcloudAcctID: 3, CommercialAcctID: 5}
			s.lastLinkageID = 2
		}, "AWS account 3 is in linkages"},
		{"linkage counter", func(s *State) { s.lastLinkageID = 0 }, "the linkage id counter 0"},
		{"azure index", func(s *State) { delete(s.partners[1].azureAccounts, "xof194") }, `the Azure account index: entry xof194`},
		{"azure listed twice", func(s *State) { p := s.partners[1]; p.azureOrder = append(p.azureOrder, p.azureOrder[0]) },
			`Azure account "ab123" is listed twice`},
		{"azure account of another partner", func(s *State) { s.partners[1].azureOrder[0].PartnerID = 2 },
			`partner 1: Azure account "ab123" has partner 2`},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			s := soundState(t)
			row.corrupt(s)
			errs := s.CheckIndexes()
			require.NotEmpty(t, errs)
			assert.True(t, containsSubstring(errs, row.want), "want a message containing %q, got:\n%s", row.want, strings.Join(errs, "\n"))
		})
	}
}

func containsSubstring(msgs []string, want string) bool {
	for _, m := range msgs {
		if strings.Contains(m, want) {
			return true
		}
	}
	return false
}
