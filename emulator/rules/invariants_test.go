package rules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// invWorld is a sound state built by hand: partner 1 with billing family
// 999999999999 (owners f1-f4), family 888888888888 (owner g1), a standalone
// account 000000000005; customer 1 with a consolidated (f1) and a linked (f2)
// assignment, a GovCloud linkage of its accounts 20 (GovCloud) and 21, and
// Azure account ab123; customer 2 with the standalone assignment f3 and
// accounts 22 (GovCloud) and 23. Partner 2 with customer 9 and Azure oth001.
type invWorld struct {
	st                      *state.State
	p1, p2                  *state.Partner
	c1, c2, c9              *state.Customer
	cons, linked, alone     *state.Assignment
	gov1, com1, gov2, com2  *state.AWSAccount
	link                    *state.GovcloudLinkage
	azure, azureFree, other *state.AzureAccount
}

const (
	f1, f2, f3, f4 = "000000000001", "000000000002", "000000000003", "000000000004"
	g1             = "000000000011"
	standalone     = "000000000005"
)

var tInv = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newInvWorld(t *testing.T) *invWorld {
	t.Helper()
	st := state.New()
	w := &invWorld{st: st,
		p1: &state.Partner{Name: "one", APIKeys: []string{"k1"}},
		p2: &state.Partner{Name: "two", APIKeys: []string{"k2"}}}
	st.AddPartner(w.p1)
	st.AddPartner(w.p2)
	st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: "999999999999", Name: "payer"})
	for _, o := range []string{f1, f2, f3, f4} {
		st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: o, Name: o, BillingFamilyOwnerID: "999999999999"})
	}
	st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: "888888888888", Name: "payer two"})
	st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: g1, Name: g1, BillingFamilyOwnerID: "888888888888"})
	st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: standalone, Name: "alone"})
	w.c1 = &state.Customer{Name: "c1", PartnerBilling: state.PartnerBillingConfiguration{Enabled: true}}
	w.c2 = &state.Customer{Name: "c2", PartnerBilling: state.PartnerBillingConfiguration{Enabled: true}}
	w.c9 = &state.Customer{Name: "c9", PartnerBilling: state.PartnerBillingConfiguration{Enabled: true}}
	st.AddCustomer(w.p1, w.c1)
	st.AddCustomer(w.p1, w.c2)
	st.AddCustomer(w.p2, w.c9)
	acct := func(c *state.Customer, id int64, gov bool) *state.AWSAccount {
		a := &state.AWSAccount{ID: id, CustomerID: c.ID, Name: "acct", IsGovcloud: gov}
		st.AddAWSAccount(w.p1, a)
		return a
	}
	w.gov1, w.com1 = acct(w.c1, 20, true), acct(w.c1, 21, false)
	w.gov2, w.com2 = acct(w.c2, 22, true), acct(w.c2, 23, false)
	create := func(c *state.Customer, owner, payer string) *state.Assignment {
		a := &state.Assignment{PartnerID: w.p1.ID, CustomerID: c.ID, OwnerID: owner, PayerAccountOwnerID: payer}
		st.CreateAssignment(a, tInv)
		return a
	}
	w.cons = create(w.c1, f1, f1)
	w.linked = create(w.c1, f2, f1)
	w.alone = create(w.c2, f3, f3)
	w.link = &state.GovcloudLinkage{CustomerID: w.c1.ID, GovcloudAcctID: w.gov1.ID, CommercialAcctID: w.com1.ID}
	st.AddLinkage(w.link)
	w.azure = &state.AzureAccount{AzureCustomerID: "ab123", Name: "ab"}
	w.azureFree = &state.AzureAccount{AzureCustomerID: "xof194", Name: "x"}
	st.AddAzureAccount(w.p1, w.azure)
	st.AddAzureAccount(w.p1, w.azureFree)
	st.AssignAzureAccount(w.azure, w.c1)
	w.other = &state.AzureAccount{AzureCustomerID: "oth001", Name: "o"}
	st.AddAzureAccount(w.p2, w.other)
	st.AssignAzureAccount(w.other, w.c9)
	require.Empty(t, rules.CheckInvariants(st), "the hand-built world is sound")
	return w
}

func TestCheckInvariantsOnSoundStates(t *testing.T) {
	doc, err := fixture.Parse(fixtures.Default)
	require.NoError(t, err)
	st, err := fixture.Build(doc, tInv)
	require.NoError(t, err)
	assert.Empty(t, rules.CheckInvariants(st), "the default fixtures")

	// Section 9: a customer's billing can be disabled while it has
	// assignments; they stay, and that is no violation.
	w := newInvWorld(t)
	w.c1.PartnerBilling.Enabled = false
	assert.Empty(t, rules.CheckInvariants(w.st), "assignments of a customer whose billing was disabled later")

	// An account with no owner id yet and an unassigned Azure account are fine.
	w.st.AddAWSAccount(w.p1, &state.AWSAccount{CustomerID: w.c2.ID, Name: "access key account"})
	assert.Empty(t, rules.CheckInvariants(w.st))

	// Accounts configured as a request configures them: a GovCloud one with
	// its role ARN, tags and the daily CloudWatch runtime.
	gov := rules.DefaultAWSAccountSettings("100000000040", true)
	gov.Tags = []state.Tag{{Key: "env", Value: ""}}
	gov.CloudWatch.Runtime = 24
	w.st.AddAWSAccount(w.p1, &state.AWSAccount{CustomerID: w.c2.ID, OwnerID: "100000000040", Name: "gov", IsGovcloud: true, Settings: &gov})
	w.st.AddAWSAccount(w.p1, &state.AWSAccount{OwnerID: "000000000041", Name: "mine", Settings: new(rules.DefaultAWSAccountSettings("000000000041", false))})
	assert.Empty(t, rules.CheckInvariants(w.st))
}

// Each row breaks one invariant CheckInvariants checks on the sound world,
// through the state's own (rule-less) mutators or its exported fields, and
// shows the checker names it.
func TestCheckInvariantsReportsEachViolation(t *testing.T) {
	rows := []struct {
		name    string
		corrupt func(w *invWorld)
		want    string
	}{
		{"rule 2: owner is not a partner account", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: "123456789012", PayerAccountOwnerID: "123456789012"}, tInv)
		}, `owner_id "123456789012" is not an AWS account of partner 1 (rule 2)`},
		{"rule 2: owner is another partner's account", func(w *invWorld) {
			w.st.AddAWSAccount(w.p2, &state.AWSAccount{OwnerID: "777777777777", Name: "theirs", BillingFamilyOwnerID: "999999999999"})
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: "777777777777", PayerAccountOwnerID: "777777777777"}, tInv)
		}, `owner_id "777777777777" is not an AWS account of partner 1 (rule 2)`},
		{"rule 3: two assignments of one owner", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: f3, PayerAccountOwnerID: f3}, tInv)
		}, `share owner_id "000000000003" (rule 3)`},
		{"rule 4: the family is removed under an assignment", func(w *invWorld) {
			acct, _ := w.st.PartnerAccountByOwner(w.p1, f3)
			acct.BillingFamilyOwnerID = ""
		}, `owner_id "000000000003" is not in another account's billing family (rule 4)`},
		{"rule 4: the family head itself", func(w *invWorld) {
			acct, _ := w.st.PartnerAccountByOwner(w.p1, f3)
			acct.BillingFamilyOwnerID = f3
		}, `(rule 4)`},
		{"rule 4: a standalone account", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: standalone, PayerAccountOwnerID: standalone}, tInv)
		}, `owner_id "000000000005" is not in another account's billing family (rule 4)`},
		{"rule 5: the customer is another partner's", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c9.ID, OwnerID: f4, PayerAccountOwnerID: f4}, tInv)
		}, "customer_id 3 is not a customer of partner 1"},
		{"the customer lacks the assigned account", func(w *invWorld) {
			w.st.AddAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: f4, PayerAccountOwnerID: f4})
		}, `customer 2 has no AWS account with owner_id "000000000004"`},
		{"rule 6: two consolidated assignments with a linked one", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c1.ID, OwnerID: f4, PayerAccountOwnerID: f4}, tInv)
		}, "customer 1: 2 self-paying and 1 linked assignments are neither all standalone nor one consolidated with the rest linked to it (rule 6)"},
		{"rule 6: linked ones only", func(w *invWorld) {
			w.st.DeleteAssignment(w.cons)
		}, "customer 1: 0 self-paying and 1 linked assignments"},
		{"rule 7: payer is not a self-paying assignment of the customer", func(w *invWorld) {
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: f4, PayerAccountOwnerID: f1}, tInv)
		}, `assignment 4: payer_account_owner_id "000000000001" is not the owner_id of a self-paying assignment of customer 2`},
		{"rule 7: payer in another family", func(w *invWorld) {
			w.st.DeleteAssignment(w.alone)
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: g1, PayerAccountOwnerID: g1}, tInv)
			w.st.CreateAssignment(&state.Assignment{PartnerID: w.p1.ID, CustomerID: w.c2.ID, OwnerID: f4, PayerAccountOwnerID: g1}, tInv)
		}, `owner_id "000000000004" and payer_account_owner_id "000000000011" are not in the same billing family (rule 7)`},
		{"an index disagrees with the entities", func(w *invWorld) {
			w.linked.PayerAccountOwnerID = f2 // behind the state's back
		}, "customer 1: the self-paying owner index"},
		{"Azure account assigned to another partner's customer", func(w *invWorld) {
			w.st.AssignAzureAccount(w.azureFree, w.c9)
		}, `partner 1: Azure account "xof194" is assigned to customer 3, not one of the partner's`},
		{"Azure account listed twice", func(w *invWorld) {
			w.st.AddAzureAccount(w.p1, &state.AzureAccount{AzureCustomerID: "ab123", Name: "again"})
		}, `partner 1: Azure account "ab123" is listed twice`},
		{"linkage of another customer's account", func(w *invWorld) {
			w.st.AddLinkage(&state.GovcloudLinkage{CustomerID: w.c1.ID, GovcloudAcctID: w.gov2.ID, CommercialAcctID: w.com2.ID})
		}, "linkage 2: govcloud_acct_id 22 is not an AWS account of customer 1"},
		{"linkage with the sides swapped", func(w *invWorld) {
			w.st.AddLinkage(&state.GovcloudLinkage{CustomerID: w.c2.ID, GovcloudAcctID: w.com2.ID, CommercialAcctID: w.gov2.ID})
		}, "linkage 2: govcloud_acct_id 23 has is_govcloud false"},
		{"commercial side is GovCloud", func(w *invWorld) {
			w.com1.IsGovcloud = true
		}, "linkage 1: commercial_acct_id 21 has is_govcloud true"},
		{"account in two linkages", func(w *invWorld) {
			w.st.AddLinkage(&state.GovcloudLinkage{CustomerID: w.c1.ID, GovcloudAcctID: w.gov1.ID, CommercialAcctID: w.com1.ID})
		}, "AWS account 20 is in linkages 1 and 2"},
		{"duplicate client_api_id", func(w *invWorld) {
			w.st.AddCustomer(w.p2, &state.Customer{Name: "dup", ClientAPIID: w.c1.ClientAPIID})
		}, "share client_api_id 1"},
		{"duplicate customer name", func(w *invWorld) {
			w.st.AddCustomer(w.p1, &state.Customer{Name: "c1"})
		}, `of partner 1 share the name "c1"`},
		{"customer without a name", func(w *invWorld) {
			w.replaceCustomer(w.c2, func(c *state.Customer) { c.Name = " " })
		}, "customer 2 has no name"},
		{"customer with an unknown classification", func(w *invWorld) {
			w.replaceCustomer(w.c2, func(c *state.Customer) { c.Classification = "managed" })
		}, `customer 2: classification "managed" is neither managed_without_access nor managed_with_access`},
		{"customer with 21 tags", func(w *invWorld) {
			w.replaceCustomer(w.c2, func(c *state.Customer) { c.Tags = make([]state.Tag, 21) })
		}, "customer 2: 21 tags: at most 20 are allowed"},
		{"customer tag without a key", func(w *invWorld) {
			w.replaceCustomer(w.c2, func(c *state.Customer) { c.Tags = []state.Tag{{Key: "a"}, {Key: " ", Value: "v"}} })
		}, "customer 2: tags[1].key is required"},
		{"customer with a bad trial_expiration", func(w *invWorld) {
			w.replaceCustomer(w.c2, func(c *state.Customer) { c.TrialExpiration = "next week" })
		}, `customer 2: trial_expiration "next week" is not an ISO 8601 date or date-time`},
		{"AWS account without a name", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) { a.Name = "" })
		}, "AWS account 23 has no name"},
		{"AWS account owner_id of 5 digits", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) { a.OwnerID = "12345" })
		}, `AWS account 23: owner_id "12345" is not a 12-digit AWS account id`},
		{"customer account in a billing family", func(w *invWorld) {
			w.st.AddAWSAccount(w.p1, &state.AWSAccount{ID: 30, CustomerID: w.c2.ID, Name: "fam", BillingFamilyOwnerID: "999999999999"})
		}, `AWS account 30 of customer 2 has billing_family_owner_id "999999999999"`},
		{"partner account in a malformed family", func(w *invWorld) {
			w.st.AddAWSAccount(w.p1, &state.AWSAccount{ID: 31, OwnerID: "000000000031", Name: "fam", BillingFamilyOwnerID: "payer"})
		}, `AWS account 31: billing_family_owner_id "payer" is not a 12-digit AWS account id`},
		{"GovCloud account with a commercial primary region", func(w *invWorld) {
			w.replaceAccount(w.gov2, func(a *state.AWSAccount) { a.Settings = new(rules.DefaultAWSAccountSettings("", false)) })
		}, `AWS account 22: primary_aws_region "us-east-1": a GovCloud account's primary region is us-gov-west-1`},
		{"commercial account with the GovCloud primary region", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) { a.Settings = new(rules.DefaultAWSAccountSettings("", true)) })
		}, `AWS account 23: primary_aws_region "us-gov-west-1" is neither us-east-1 nor eu-central-1`},
		{"role ARN names another account", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) {
				a.OwnerID = "100000000023"
				a.Settings = new(rules.DefaultAWSAccountSettings("100000000099", false))
			})
		}, `AWS account 23: authentication.assume_role_arn "arn:aws:iam::100000000099:role/CloudHealth" names account 100000000099, not the owner_id 100000000023`},
		{"AWS account tag without a key", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) {
				a.Settings = new(rules.DefaultAWSAccountSettings("", false))
				a.Settings.Tags = []state.Tag{{Value: "v"}}
			})
		}, "AWS account 23: tags[0].key is required"},
		{"AWS account with a CloudWatch runtime of 5 hours", func(w *invWorld) {
			w.replaceAccount(w.com2, func(a *state.AWSAccount) {
				a.Settings = new(rules.DefaultAWSAccountSettings("", false))
				a.Settings.CloudWatch.Runtime = 5
			})
		}, "AWS account 23: cloudwatch.runtime 5 is neither 1 nor 24"},
		{"API key of two partners", func(w *invWorld) {
			w.st.AddPartner(&state.Partner{Name: "three", APIKeys: []string{"k1"}})
		}, `API key "k1" belongs to partners 1 and 3`},
		{"partner without a key", func(w *invWorld) {
			w.st.AddPartner(&state.Partner{Name: "keyless"})
		}, "partner 3 has no API key"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			w := newInvWorld(t)
			row.corrupt(w)
			errs := rules.CheckInvariants(w.st)
			assert.True(t, slicesContain(errs, row.want), "want a violation containing %q, got:\n%s", row.want, strings.Join(errs, "\n"))
		})
	}
}

// replaceCustomer changes c through the state's own mutator, which keeps the
// indexes true, so that only the broken rule is reported.
func (w *invWorld) replaceCustomer(c *state.Customer, change func(*state.Customer)) {
	next := *c
	change(&next)
	w.st.ReplaceCustomer(c, next)
}

// replaceAccount changes a through the state's own mutator.
func (w *invWorld) replaceAccount(a *state.AWSAccount, change func(*state.AWSAccount)) {
	next := *a
	change(&next)
	w.st.ReplaceAWSAccount(a, next)
}

func slicesContain(msgs []string, want string) bool {
	for _, m := range msgs {
		if strings.Contains(m, want) {
			return true
		}
	}
	return false
}
