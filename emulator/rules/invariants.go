package rules

import (
	"fmt"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// CheckInvariants checks every rule of the emulated API that must hold of the
// whole state at any moment, whatever sequence of requests led to it, and
// returns every violation (none for a sound state). A violation is always an
// emulator bug: the fixture loader, the HTTP tests, the fuzzers and the soak
// test call it after every change.
//
// It checks:
//   - the state's indexes against a full scan (state.CheckIndexes), which
//     also covers ids unique per collection and unique client_api_ids;
//   - API keys unique across partners; customer names unique per partner;
//   - every customer's own fields as section 6 and the fixture loader accept
//     them: a name, a known classification (or none), at most 20 tags, each
//     with a key, a valid trial_expiration (or none);
//   - every AWS account: a name, an owner_id of 12 digits (or none yet), a
//     billing family only on a partner account, and settings (when it has
//     any) that a request could have set: a role ARN naming the account's
//     own owner_id, a primary region of its kind (region and is_govcloud
//     agree), tags with keys, a valid CloudWatch runtime;
//   - every AWS account assignment: its customer is one of its partner's
//     (rule 5 minus billing: assignments stay when billing is disabled,
//     section 9), its owner is one of the partner's AWS accounts (rule 2) in
//     another account's billing family (rule 4), owned by no other
//     assignment of the partner (rule 3), and the customer holds an AWS
//     account with that owner id (section 2's side effect);
//   - per customer, rule 6's patterns, and rule 7 for every linked assignment,
//     over its version 1 assignments (those in no block);
//   - every billing block (version 2): its members' payers and families fit
//     its type (CheckBlockShape), its members are its customer's, and only a
//     version 2 customer has blocks (state.CheckIndexes); owner ids are
//     unique across both versions (rule 3 above);
//   - every assigned Azure account belongs to a customer of its own partner;
//   - every GovCloud linkage joins a GovCloud and a commercial AWS account of
//     its own customer, and no account is in two linkages;
//   - customer statements and price books (checkBilling).
func CheckInvariants(st *state.State) []string {
	errs := st.CheckIndexes()
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	checkPartnersAndCustomers(st, fail)
	checkCustomerFields(st, fail)
	checkAWSAccounts(st, fail)
	checkAssignments(st, fail)
	checkBlocks(st, fail)
	checkAzure(st, fail)
	checkLinkages(st, fail)
	checkBilling(st, fail)
	return errs
}

func checkPartnersAndCustomers(st *state.State, fail func(string, ...any)) {
	keys := map[string]int64{}
	for _, p := range st.Partners() {
		if len(p.APIKeys) == 0 {
			fail("partner %d has no API key", p.ID)
		}
		for _, k := range p.APIKeys {
			if other, dup := keys[k]; dup && other != p.ID {
				fail("API key %q belongs to partners %d and %d", k, other, p.ID)
			}
			keys[k] = p.ID
		}
	}
	type nameKey struct {
		partner int64
		name    string
	}
	names := map[nameKey]int64{}
	apiIDs := map[int64]int64{}
	for _, c := range st.AllCustomers() {
		if _, ok := st.Partner(c.PartnerID); !ok {
			fail("customer %d: partner %d does not exist", c.ID, c.PartnerID)
		}
		key := nameKey{c.PartnerID, c.Name}
		if other, dup := names[key]; dup {
			fail("customers %d and %d of partner %d share the name %q", other, c.ID, c.PartnerID, c.Name)
		}
		names[key] = c.ID
		if c.ClientAPIID <= 0 {
			fail("customer %d: client_api_id %d is not positive", c.ID, c.ClientAPIID)
		}
		if other, dup := apiIDs[c.ClientAPIID]; dup {
			fail("customers %d and %d share client_api_id %d", other, c.ID, c.ClientAPIID)
		}
		apiIDs[c.ClientAPIID] = c.ID
	}
}

// checkAssignments checks rules 2-7 of section 2 over every assignment.
func checkAssignments(st *state.State, fail func(string, ...any)) {
	type ownerKey struct {
		partner int64
		owner   string
	}
	byOwner := map[ownerKey]*state.Assignment{}
	byCustomer := map[int64][]*state.Assignment{}
	var customerOrder []int64
	for _, a := range st.AllAssignments() {
		p, ok := st.Partner(a.PartnerID)
		if !ok {
			fail("assignment %d: partner %d does not exist", a.ID, a.PartnerID)
			continue
		}
		c, ok := st.Customer(p, a.CustomerID)
		if !ok {
			fail("assignment %d: customer_id %d is not a customer of partner %d", a.ID, a.CustomerID, p.ID)
			continue
		}
		if other, dup := byOwner[ownerKey{p.ID, a.OwnerID}]; dup {
			fail("assignments %d and %d of partner %d share owner_id %q (rule 3)", other.ID, a.ID, p.ID, a.OwnerID)
		}
		byOwner[ownerKey{p.ID, a.OwnerID}] = a
		acct, ok := st.PartnerAccountByOwner(p, a.OwnerID)
		switch {
		case !ok:
			fail("assignment %d: owner_id %q is not an AWS account of partner %d (rule 2)", a.ID, a.OwnerID, p.ID)
		case a.Block != nil:
			// Version 2: the block's rules (checkBlocks), not rule 4.
		case acct.BillingFamilyOwnerID == "" || acct.BillingFamilyOwnerID == acct.OwnerID:
			fail("assignment %d: owner_id %q is not in another account's billing family (rule 4)", a.ID, a.OwnerID)
		}
		if _, ok := st.CustomerAccountByOwner(c, a.OwnerID); !ok {
			fail("assignment %d: customer %d has no AWS account with owner_id %q", a.ID, c.ID, a.OwnerID)
		}
		if a.Block != nil {
			continue // rules 6 and 7 are version 1's
		}
		if _, seen := byCustomer[c.ID]; !seen {
			customerOrder = append(customerOrder, c.ID)
		}
		byCustomer[c.ID] = append(byCustomer[c.ID], a)
	}
	for _, id := range customerOrder {
		checkCustomerPattern(st, id, byCustomer[id], fail)
	}
}

// checkCustomerPattern checks rules 6 and 7 over one customer's assignments
// (all of one partner: checkAssignments made sure).
func checkCustomerPattern(st *state.State, customerID int64, asgs []*state.Assignment, fail func(string, ...any)) {
	selfPaying := map[string]*state.Assignment{}
	var linked []*state.Assignment
	for _, a := range asgs {
		if a.SelfPaying() {
			selfPaying[a.OwnerID] = a
		} else {
			linked = append(linked, a)
		}
	}
	if len(linked) > 0 && len(selfPaying) != 1 {
		fail("customer %d: %d self-paying and %d linked assignments are neither all standalone nor one consolidated with the rest linked to it (rule 6)",
			customerID, len(selfPaying), len(linked))
	}
	p, _ := st.Partner(asgs[0].PartnerID)
	for _, a := range linked {
		payer, ok := selfPaying[a.PayerAccountOwnerID]
		if !ok {
			fail("assignment %d: payer_account_owner_id %q is not the owner_id of a self-paying assignment of customer %d (rules 6 and 7)",
				a.ID, a.PayerAccountOwnerID, customerID)
			continue
		}
		own, ownOK := st.PartnerAccountByOwner(p, a.OwnerID)
		payerAcct, payerOK := st.PartnerAccountByOwner(p, payer.OwnerID)
		if ownOK && payerOK && (own.BillingFamilyOwnerID == "" || own.BillingFamilyOwnerID != payerAcct.BillingFamilyOwnerID) {
			fail("assignment %d: owner_id %q and payer_account_owner_id %q are not in the same billing family (rule 7)",
				a.ID, a.OwnerID, a.PayerAccountOwnerID)
		}
	}
}

// checkAzure checks that each Azure account is assigned to at most one
// customer, of its own partner, and that its azure_customer_id is unique
// within the partner.
func checkAzure(st *state.State, fail func(string, ...any)) {
	for _, p := range st.Partners() {
		seen := map[string]bool{}
		for _, a := range st.AzureAccounts(p) {
			if a.AzureCustomerID == "" {
				fail("partner %d: an Azure account has an empty azure_customer_id", p.ID)
			}
			if seen[a.AzureCustomerID] {
				fail("partner %d: Azure account %q is listed twice", p.ID, a.AzureCustomerID)
			}
			seen[a.AzureCustomerID] = true
			if a.CustomerID == 0 {
				continue
			}
			if _, ok := st.Customer(p, a.CustomerID); !ok {
				fail("partner %d: Azure account %q is assigned to customer %d, not one of the partner's", p.ID, a.AzureCustomerID, a.CustomerID)
			}
		}
	}
}

// checkLinkages checks the GovCloud rules of section 4 over every linkage.
func checkLinkages(st *state.State, fail func(string, ...any)) {
	inLinkage := map[int64]int64{}
	for _, l := range st.AllLinkages() {
		side := func(field string, id int64, wantGov bool) {
			a, ok := st.AWSAccount(id)
			switch {
			case !ok || a.CustomerID != l.CustomerID:
				fail("linkage %d: %s %d is not an AWS account of customer %d", l.ID, field, id, l.CustomerID)
			case a.IsGovcloud != wantGov:
				fail("linkage %d: %s %d has is_govcloud %v", l.ID, field, id, a.IsGovcloud)
			}
			if other, dup := inLinkage[id]; dup {
				fail("AWS account %d is in linkages %d and %d", id, other, l.ID)
			}
			inLinkage[id] = l.ID
		}
		side("govcloud_acct_id", l.GovcloudAcctID, true)
		side("commercial_acct_id", l.CommercialAcctID, false)
	}
}

// checkCustomerFields checks each customer's own fields against what both a
// request (CheckCustomer) and a fixture document must give. The address is
// not checked: a fixture customer may have none.
func checkCustomerFields(st *state.State, fail func(string, ...any)) {
	for _, c := range st.AllCustomers() {
		if Blank(c.Name) {
			fail("customer %d has no name", c.ID)
		}
		if c.Classification != "" && c.Classification != ManagedWithoutAccess && c.Classification != ManagedWithAccess {
			fail("customer %d: classification %q is neither %s nor %s", c.ID, c.Classification, ManagedWithoutAccess, ManagedWithAccess)
		}
		for _, e := range tagsValid(c.Tags, MaxCustomerTags) {
			fail("customer %d: %s", c.ID, e)
		}
		if c.TrialExpiration != "" && !ValidTrialExpiration(c.TrialExpiration) {
			fail("customer %d: trial_expiration %q is not an ISO 8601 date or date-time", c.ID, c.TrialExpiration)
		}
	}
}

// checkAWSAccounts checks each AWS account (partner's and customers') as
// the AWS account endpoints and the fixture loader leave it.
func checkAWSAccounts(st *state.State, fail func(string, ...any)) {
	for _, a := range st.AllAWSAccounts() {
		if Blank(a.Name) {
			fail("AWS account %d has no name", a.ID)
		}
		if a.OwnerID != "" && !ValidAWSOwnerID(a.OwnerID) {
			fail("AWS account %d: owner_id %q is not a 12-digit AWS account id", a.ID, a.OwnerID)
		}
		switch {
		case a.BillingFamilyOwnerID == "":
		case a.CustomerID != 0:
			fail("AWS account %d of customer %d has billing_family_owner_id %q: only partner accounts are in billing families",
				a.ID, a.CustomerID, a.BillingFamilyOwnerID)
		case !ValidAWSOwnerID(a.BillingFamilyOwnerID):
			fail("AWS account %d: billing_family_owner_id %q is not a 12-digit AWS account id", a.ID, a.BillingFamilyOwnerID)
		}
		settings := a.SettingsValue()
		if Unconfigured(settings) {
			continue // shows DefaultAWSAccountSettings, sound by construction
		}
		for _, e := range CheckAWSAccountSettings(a.OwnerID, a.IsGovcloud, settings) {
			fail("AWS account %d: %s", a.ID, e)
		}
	}
}

// statementTime is how the API shows a statement's generation times.
const statementTime = "2006-01-02 15:04:05"

// ValidStatementTime reports whether s is a statement generation time as the
// API shows it (YYYY-MM-DD HH:MM:SS).
func ValidStatementTime(s string) bool {
	_, err := time.Parse(statementTime, s)
	return err == nil
}

// StatementStatuses are the statuses a customer statement can have.
var StatementStatuses = map[string]bool{"Final": true, "Estimated": true}

// checkBilling checks the customer statements and price books (the indexes
// and references are CheckIndexes'): every statement has a cloud, a billing
// period as YYYY-MM, a status of Final or Estimated, generation times as the
// API shows them and a currency; every price book a non-blank name and a
// specification that a request could have sent (well-formed XML with the
// documented root).
func checkBilling(st *state.State, fail func(string, ...any)) {
	for _, p := range st.Partners() {
		for _, c := range st.Customers(p) {
			for _, s := range st.CustomerStatements(c) {
				where := fmt.Sprintf("customer %d's %s statement for %s", c.ID, s.Cloud, s.BillingPeriod)
				if Blank(s.Cloud) {
					fail("%s has no cloud", where)
				}
				if !ValidBillingPeriod(s.BillingPeriod) {
					fail("%s: billing_period is not YYYY-MM", where)
				}
				if !StatementStatuses[s.Status] {
					fail("%s: status %q is neither Final nor Estimated", where, s.Status)
				}
				for _, t := range []string{s.DetailedBillingRecordsGenerationTime, s.StatementGenerationTime, s.StatementSummaryGenerationTime} {
					if !ValidStatementTime(t) {
						fail("%s: generation time %q is not YYYY-MM-DD HH:MM:SS", where, t)
					}
				}
				if s.CurrencyName == "" {
					fail("%s has no currency", where)
				}
			}
		}
		for _, b := range st.PartnerPriceBooks(p) {
			if Blank(b.BookName) {
				fail("price book %d has a blank name", b.ID)
			}
			if msg := CheckSpecification(b.Specification); msg != "" {
				fail("price book %d: %s", b.ID, msg)
			}
		}
	}
}
