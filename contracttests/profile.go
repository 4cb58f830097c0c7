package contracttests

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// EmulatorProfile derives the profile of an emulator started on the fixture
// document data (YAML or JSON), for the partner with the given API key, from
// the document as the emulator builds it (ids assigned).
func EmulatorProfile(data []byte, apiKey string) (Profile, error) {
	doc, err := fixture.Parse(data)
	if err != nil {
		return Profile{}, err
	}
	st, err := fixture.Build(doc, time.Now())
	if err != nil {
		return Profile{}, err
	}
	return ProfileFromFixtures(fixture.Dump(st), apiKey)
}

// Profile is what the suite needs to exist on its target, named by ids the
// target knows. README.md in this directory explains how to fill each field
// for a real CloudHealth partner account. The tests create everything else
// themselves and remove it afterwards.
type Profile struct {
	// Description says which account or fixtures the profile describes.
	Description string `json:"description"`
	// CustomerID and ClientAPIID name one customer of the partner with
	// partner billing enabled and no AWS account assignments (the tests
	// create standalone, consolidated and linked ones for it).
	CustomerID  int64 `json:"customer_id"`
	ClientAPIID int64 `json:"client_api_id"`
	// SecondClientAPIID names another customer of the partner (Azure
	// assignments to it show "already assigned to another customer").
	SecondClientAPIID int64 `json:"second_client_api_id"`
	// AssignableOwnerIDs are at least two 12-digit owner ids of the partner's
	// AWS accounts that belong to one consolidated billing family (not its
	// payer) and are assigned to no customer.
	AssignableOwnerIDs []string `json:"assignable_owner_ids"`
	// UnassignableOwnerID is an owner id of one of the partner's AWS accounts
	// that is in no other account's billing family (a standalone account or
	// a family's payer): assigning it breaks rule 4.
	UnassignableOwnerID string `json:"unassignable_owner_id"`
	// AzureCustomerIDs are at least two ids of the partner's Azure partner
	// customer accounts that are assigned to no customer.
	AzureCustomerIDs []string `json:"azure_customer_ids"`
	// UnknownAzureCustomerID is not an id of any of the partner's Azure
	// partner customer accounts.
	UnknownAzureCustomerID string `json:"unknown_azure_customer_id"`
	// UnknownClientAPIID is not the client_api_id of any of the partner's
	// customers.
	UnknownClientAPIID int64 `json:"unknown_client_api_id"`
	// UnknownCustomerID is not the id of any of the partner's customers.
	UnknownCustomerID int64 `json:"unknown_customer_id"`
	// UnknownAssignmentID is not the id of any of the partner's AWS account
	// assignments.
	UnknownAssignmentID int64 `json:"unknown_assignment_id"`

	// GovcloudCustomerID and GovcloudClientAPIID name the customer whose own
	// AWS accounts the GovCloud linkage tests link (it may be the customer
	// above).
	GovcloudCustomerID  int64 `json:"govcloud_customer_id"`
	GovcloudClientAPIID int64 `json:"govcloud_client_api_id"`
	// GovcloudAcctIDs are at least two CloudHealth ids (not owner ids) of
	// that customer's GovCloud asset accounts (is_govcloud true), and
	// CommercialAcctID one of its commercial accounts (is_govcloud false),
	// each in no GovCloud linkage, or only in the linkage of the first two
	// that an earlier run of the suite left (a linkage cannot be deleted).
	GovcloudAcctIDs  []int64 `json:"govcloud_acct_ids"`
	CommercialAcctID int64   `json:"commercial_acct_id"`
	// UnknownAWSAccountID is not the id of any AWS account of that customer,
	// nor of the partner's own.
	UnknownAWSAccountID int64 `json:"unknown_aws_account_id"`
	// UnknownLinkageID is not the id of any GovCloud linkage of that customer.
	UnknownLinkageID int64 `json:"unknown_linkage_id"`

	// V2CustomerID and V2ClientAPIID name a customer that already uses
	// version 2 assignments (the tests make blocks for it and delete them;
	// a version 1 customer would become version 2 for good).
	V2CustomerID  int64 `json:"v2_customer_id"`
	V2ClientAPIID int64 `json:"v2_client_api_id"`
	// V2FamilyHead is the owner id of a family head that, with every
	// account of its family (at least one), is assigned to no customer.
	V2FamilyHead string `json:"v2_family_head"`
	// V2ConsolidatedOwnerIDs are at least two unassigned owner ids of one
	// other billing family (its head may be one of them).
	V2ConsolidatedOwnerIDs []string `json:"v2_consolidated_owner_ids"`
	// V2StandaloneOwnerID is one more unassigned owner id of the partner.
	V2StandaloneOwnerID string `json:"v2_standalone_owner_id"`
}

// v2Owners are every owner id the version 2 tests may assign (and whose
// customer AWS accounts they leave), the family head's family excluded.
func (p Profile) v2Owners() []string {
	return append([]string{p.V2FamilyHead, p.V2StandaloneOwnerID}, p.V2ConsolidatedOwnerIDs...)
}

// LoadProfile reads a profile from a JSON file; unknown fields are an error
// (a typo would otherwise leave a field zero).
func LoadProfile(path string) (Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", path, err)
	}
	if err := p.Check(); err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// Check reports every field that is missing or cannot be right.
func (p Profile) Check() error {
	var errs []error
	need := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	need(p.CustomerID > 0, "customer_id is required")
	need(p.ClientAPIID > 0, "client_api_id is required")
	need(p.SecondClientAPIID > 0 && p.SecondClientAPIID != p.ClientAPIID, "second_client_api_id is required and differs from client_api_id")
	need(len(p.AssignableOwnerIDs) >= 2, "assignable_owner_ids needs at least two owner ids")
	need(p.UnassignableOwnerID != "", "unassignable_owner_id is required")
	need(len(p.AzureCustomerIDs) >= 2, "azure_customer_ids needs at least two ids")
	need(p.UnknownAzureCustomerID != "", "unknown_azure_customer_id is required")
	need(p.UnknownClientAPIID > 0, "unknown_client_api_id is required (a positive integer)")
	need(p.UnknownCustomerID > 0, "unknown_customer_id is required (a positive integer)")
	need(p.UnknownAssignmentID > 0, "unknown_assignment_id is required (a positive integer)")
	need(p.GovcloudCustomerID > 0, "govcloud_customer_id is required")
	need(p.GovcloudClientAPIID > 0 && p.GovcloudClientAPIID != p.UnknownClientAPIID, "govcloud_client_api_id is required and differs from unknown_client_api_id")
	need(len(p.GovcloudAcctIDs) >= 2 && !slices.Contains(p.GovcloudAcctIDs, p.CommercialAcctID), "govcloud_acct_ids needs at least two account ids, none of them commercial_acct_id")
	need(p.CommercialAcctID > 0, "commercial_acct_id is required")
	need(p.UnknownAWSAccountID > 0 && p.UnknownAWSAccountID != p.CommercialAcctID && !slices.Contains(p.GovcloudAcctIDs, p.UnknownAWSAccountID), "unknown_aws_account_id is required (a positive integer that is none of the accounts above)")
	need(p.UnknownLinkageID > 0, "unknown_linkage_id is required (a positive integer)")
	need(p.V2CustomerID > 0 && p.V2ClientAPIID > 0 && p.V2CustomerID != p.CustomerID, "v2_customer_id and v2_client_api_id are required (a version 2 customer other than customer_id)")
	need(p.V2FamilyHead != "", "v2_family_head is required")
	need(len(p.V2ConsolidatedOwnerIDs) >= 2, "v2_consolidated_owner_ids needs at least two owner ids")
	need(p.V2StandaloneOwnerID != "", "v2_standalone_owner_id is required")
	return errors.Join(errs...)
}

// JSON is the profile as written to a profile file.
func (p Profile) JSON() []byte {
	out, _ := json.MarshalIndent(p, "", "  ")
	return append(out, '\n')
}

// ProfileFromFixtures derives the profile of the emulator serving doc,
// acting as the partner with the given API key. It picks, by id order, the
// first customer with partner billing on and no assignments, the billing
// family with the most unassigned accounts, the unassigned Azure accounts,
// the first customer with two GovCloud accounts and a commercial one in no
// linkage, and ids above every id in the document as the unknown ones.
func ProfileFromFixtures(doc *fixture.Document, apiKey string) (Profile, error) {
	var partner *fixture.Partner
	var maxCustomer, maxClientAPI, maxAssignment, maxAWSAccount, maxLinkage int64
	for i := range doc.Partners {
		p := &doc.Partners[i]
		for _, k := range p.APIKeys {
			if k == apiKey {
				partner = p
			}
		}
		for _, c := range p.Customers {
			maxCustomer = max(maxCustomer, c.ID)
			maxClientAPI = max(maxClientAPI, c.ClientAPIID)
			for _, a := range c.AWSAccountAssignments {
				maxAssignment = max(maxAssignment, a.ID)
			}
			for _, b := range c.BillingBlocks {
				for _, a := range b.AWSAccountAssignments {
					maxAssignment = max(maxAssignment, a.ID)
				}
			}
			for _, a := range c.AWSAccounts {
				maxAWSAccount = max(maxAWSAccount, a.ID)
			}
			for _, l := range c.GovcloudLinkages {
				maxLinkage = max(maxLinkage, l.ID)
			}
		}
		for _, a := range p.AWSAccounts {
			maxAWSAccount = max(maxAWSAccount, a.ID)
		}
	}
	if partner == nil {
		return Profile{}, fmt.Errorf("no partner of the fixtures has the API key %q", apiKey)
	}
	p := Profile{
		Description:         fmt.Sprintf("emulator fixtures, partner %d (%s)", partner.ID, partner.Name),
		UnknownCustomerID:   maxCustomer + 1000,
		UnknownClientAPIID:  maxClientAPI + 1000,
		UnknownAssignmentID: maxAssignment + 1000,
		UnknownAWSAccountID: maxAWSAccount + 1000,
		UnknownLinkageID:    maxLinkage + 1000,
	}

	assignedOwners := map[string]bool{}
	assignedAzure := map[string]bool{}
	for _, c := range partner.Customers {
		for _, a := range c.AWSAccountAssignments {
			assignedOwners[a.OwnerID] = true
		}
		for _, b := range c.BillingBlocks {
			for _, a := range b.AWSAccountAssignments {
				assignedOwners[a.OwnerID] = true
			}
		}
		for _, id := range c.AzureCustomerIDs {
			assignedAzure[id] = true
		}
	}
	for _, c := range sortedCustomers(partner.Customers) {
		billing := c.PartnerBillingConfiguration != nil && c.PartnerBillingConfiguration.Enabled
		if p.CustomerID == 0 && billing && len(c.AWSAccountAssignments) == 0 && c.AssignmentsVersion != 2 {
			p.CustomerID, p.ClientAPIID = c.ID, c.ClientAPIID
		}
		if p.V2CustomerID == 0 && c.AssignmentsVersion == 2 {
			p.V2CustomerID, p.V2ClientAPIID = c.ID, c.ClientAPIID
		}
	}
	for _, c := range sortedCustomers(partner.Customers) {
		if c.ID != p.CustomerID && p.SecondClientAPIID == 0 {
			p.SecondClientAPIID = c.ClientAPIID
		}
	}

	families := map[string][]string{}
	var familyNames []string
	accounts := append([]fixture.AWSAccount(nil), partner.AWSAccounts...)
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].ID < accounts[j].ID })
	for _, a := range accounts {
		inFamily := a.BillingFamilyOwnerID != "" && a.BillingFamilyOwnerID != a.OwnerID
		switch {
		case !inFamily && p.UnassignableOwnerID == "" && a.OwnerID != "":
			p.UnassignableOwnerID = a.OwnerID
		case inFamily && !assignedOwners[a.OwnerID]:
			if families[a.BillingFamilyOwnerID] == nil {
				familyNames = append(familyNames, a.BillingFamilyOwnerID)
			}
			families[a.BillingFamilyOwnerID] = append(families[a.BillingFamilyOwnerID], a.OwnerID)
		}
	}
	for _, f := range familyNames {
		if len(families[f]) > len(p.AssignableOwnerIDs) {
			p.AssignableOwnerIDs = families[f]
		}
	}

	pickV2Accounts(&p, accounts, assignedOwners)

	known := map[string]bool{}
	for _, a := range partner.AzurePartnerCustomerAccounts {
		known[a.AzureCustomerID] = true
		if !assignedAzure[a.AzureCustomerID] {
			p.AzureCustomerIDs = append(p.AzureCustomerIDs, a.AzureCustomerID)
		}
	}
	p.UnknownAzureCustomerID = "contract-tests-unknown-azure-id"
	for known[p.UnknownAzureCustomerID] {
		p.UnknownAzureCustomerID += "-x"
	}
	pickGovcloudCustomer(&p, partner.Customers)
	if err := p.Check(); err != nil {
		return Profile{}, fmt.Errorf("the fixtures cannot run the contract suite: %w", err)
	}
	return p, nil
}

// pickV2Accounts fills the version 2 account fields of p from the partner's
// accounts (ordered by id), away from the version 1 tests' accounts: the
// first head whose whole family (of at least one more account) is
// unassigned, the next family with at least two unassigned accounts (head
// included), and one more unassigned account.
func pickV2Accounts(p *Profile, accounts []fixture.AWSAccount, assigned map[string]bool) {
	head := func(a fixture.AWSAccount) string {
		if a.BillingFamilyOwnerID == "" {
			return a.OwnerID
		}
		return a.BillingFamilyOwnerID
	}
	families := map[string][]string{}
	for _, a := range accounts {
		if a.OwnerID != "" {
			families[head(a)] = append(families[head(a)], a.OwnerID)
		}
	}
	used := map[string]bool{p.UnassignableOwnerID: true}
	for _, o := range p.AssignableOwnerIDs {
		used[o] = true
	}
	free := func(owners []string) bool {
		for _, o := range owners {
			if assigned[o] || used[o] {
				return false
			}
		}
		return true
	}
	for _, a := range accounts {
		h := head(a)
		if a.OwnerID != h || len(families[h]) < 2 || !free(families[h]) {
			continue
		}
		switch {
		case p.V2FamilyHead == "":
			p.V2FamilyHead = h
		case len(p.V2ConsolidatedOwnerIDs) == 0:
			p.V2ConsolidatedOwnerIDs = families[h]
		default:
			continue
		}
		for _, o := range families[h] {
			used[o] = true
		}
	}
	for _, a := range accounts {
		if p.V2StandaloneOwnerID == "" && a.OwnerID != "" && !assigned[a.OwnerID] && !used[a.OwnerID] {
			p.V2StandaloneOwnerID = a.OwnerID
		}
	}
}

// pickGovcloudCustomer fills the GovCloud fields of p with the first customer
// (by id) that has at least two GovCloud accounts and a commercial one in no
// linkage.
func pickGovcloudCustomer(p *Profile, customers []fixture.Customer) {
	for _, c := range sortedCustomers(customers) {
		linked := map[int64]bool{}
		for _, l := range c.GovcloudLinkages {
			linked[l.GovcloudAcctID], linked[l.CommercialAcctID] = true, true
		}
		var gov, com []int64
		accounts := append([]fixture.AWSAccount(nil), c.AWSAccounts...)
		sort.Slice(accounts, func(i, j int) bool { return accounts[i].ID < accounts[j].ID })
		for _, a := range accounts {
			switch {
			case linked[a.ID]:
			case a.IsGovcloud:
				gov = append(gov, a.ID)
			default:
				com = append(com, a.ID)
			}
		}
		if len(gov) >= 2 && len(com) >= 1 {
			p.GovcloudCustomerID, p.GovcloudClientAPIID = c.ID, c.ClientAPIID
			p.GovcloudAcctIDs, p.CommercialAcctID = gov, com[0]
			return
		}
	}
}

func sortedCustomers(cs []fixture.Customer) []fixture.Customer {
	out := append([]fixture.Customer(nil), cs...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
