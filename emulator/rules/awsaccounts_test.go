package rules_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// accountWorld: partner 1 owns the family head 100 (999999999999) with
// members 101 (assigned to customer 1) and 102 (unassigned), the head 110
// (888888888888) with the unassigned member 111, and 105 (no family).
// Customer 1 owns 1 (GovCloud) and 2 (commercial), linked by a GovCloud
// linkage, 3 (free) and 4 (made by the assignment of 101's owner id).
type accountWorld struct {
	st *state.State
	p  *state.Partner
	c  *state.Customer
}

func newAccountWorld() accountWorld {
	st := state.New()
	p := &state.Partner{ID: 1, Name: "one", APIKeys: []string{"k1"}}
	st.AddPartner(p)
	c := &state.Customer{ID: 1, Name: "Acme", PartnerBilling: state.PartnerBillingConfiguration{Enabled: true}}
	st.AddCustomer(p, c)
	add := func(id int64, owner, family string, cust *state.Customer, gov bool) {
		a := &state.AWSAccount{ID: id, OwnerID: owner, Name: owner, BillingFamilyOwnerID: family, IsGovcloud: gov}
		if cust != nil {
			a.CustomerID = cust.ID
		}
		st.AddAWSAccount(p, a)
	}
	add(100, "999999999999", "", nil, false)
	add(101, "000000000001", "999999999999", nil, false)
	add(102, "000000000002", "999999999999", nil, false)
	add(110, "888888888888", "", nil, false)
	add(111, "000000000011", "888888888888", nil, false)
	add(105, "000000000005", "", nil, false)
	add(1, "100000000001", "", c, true)
	add(2, "100000000002", "", c, false)
	add(3, "100000000003", "", c, false)
	add(4, "000000000001", "", c, false)
	st.AddAssignment(&state.Assignment{ID: 1, PartnerID: 1, CustomerID: 1, OwnerID: "000000000001", PayerAccountOwnerID: "000000000001"})
	st.AddLinkage(&state.GovcloudLinkage{ID: 1, CustomerID: 1, GovcloudAcctID: 1, CommercialAcctID: 2})
	return accountWorld{st: st, p: p, c: c}
}

func (w accountWorld) account(id int64) *state.AWSAccount {
	a, _ := w.st.AWSAccount(id)
	return a
}

func role(arn string) *rules.AuthenticationFields {
	return &rules.AuthenticationFields{Protocol: str("assume_role"), AssumeRoleARN: str(arn), AssumeRoleExternalID: str("ext")}
}

func boolp(b bool) *bool { return &b }
func intp(n int) *int    { return &n }

func TestOwnerIDOfRoleARN(t *testing.T) {
	for _, row := range []struct {
		arn, owner string
		ok         bool
	}{
		{"arn:aws:iam::123456789012:role/CloudHealth-IAM-Role", "123456789012", true},
		{"arn:aws-us-gov:iam::123456789012:role/path/CH", "123456789012", true},
		{"arn:aws:iam::XCXXXXXXXXXZ:role/CloudHealth-IAM-Role", "", false},
		{"arn:123", "", false},
		{"arn:aws:iam::12345678901:role/CH", "", false},
		{"arn:aws:iam::123456789012:user/bob", "", false},
		{"arn:aws:iam::123456789012:role/", "", false},
		{" arn:aws:iam::123456789012:role/CH", "", false},
		{"", "", false},
	} {
		owner, ok := rules.OwnerIDOfRoleARN(row.arn)
		assert.Equal(t, row.owner, owner, row.arn)
		assert.Equal(t, row.ok, ok, row.arn)
	}
}

func TestCheckAWSAccountCreate(t *testing.T) {
	w := newAccountWorld()
	valid := func(edit func(f *rules.AWSAccountFields)) rules.AWSAccountFields {
		f := rules.AWSAccountFields{Name: str("New"), Authentication: role("arn:aws:iam::123456789012:role/CH")}
		if edit != nil {
			edit(&f)
		}
		return f
	}
	rows := []struct {
		name     string
		customer bool
		in       rules.AWSAccountFields
		want     []string
		owner    string
	}{
		{name: "valid", in: valid(nil), owner: "123456789012"},
		{name: "nothing", in: rules.AWSAccountFields{}, want: []string{"name is required", "authentication is required"}},
		{name: "malformed ARN", in: valid(func(f *rules.AWSAccountFields) { f.Authentication = role("arn:123") }),
			want: []string{`authentication.assume_role_arn "arn:123" is not an IAM role ARN (arn:aws:iam::<12-digit account id>:role/<name>)`}},
		{name: "no external id", in: valid(func(f *rules.AWSAccountFields) { f.Authentication.AssumeRoleExternalID = nil }),
			want: []string{"authentication.assume_role_external_id is required with protocol assume_role"}},
		{name: "access key", in: valid(func(f *rules.AWSAccountFields) {
			f.Authentication = &rules.AuthenticationFields{Protocol: str("access_key"), AccessKey: str("AKIA"), SecretKey: str("s")}
		}), owner: ""},
		{name: "access key without keys", in: valid(func(f *rules.AWSAccountFields) {
			f.Authentication = &rules.AuthenticationFields{Protocol: str("access_key")}
		}), want: []string{"authentication.access_key is required with protocol access_key", "authentication.secret_key is required with protocol access_key"}},
		{name: "no protocol", in: valid(func(f *rules.AWSAccountFields) { f.Authentication = &rules.AuthenticationFields{} }),
			want: []string{`authentication.protocol "" is neither assume_role nor access_key`}},
		{name: "owner id of another partner account", in: valid(func(f *rules.AWSAccountFields) {
			f.Authentication = role("arn:aws:iam::000000000005:role/CH")
		}), want: []string{`owner_id "000000000005" (from the role ARN) is already the owner_id of AWS account 105`}},
		{name: "a partner account's owner id is free for a customer", customer: true, in: valid(func(f *rules.AWSAccountFields) {
			f.Authentication = role("arn:aws:iam::000000000005:role/CH")
		}), owner: "000000000005"},
		{name: "owner id of another of the customer's accounts", customer: true, in: valid(func(f *rules.AWSAccountFields) {
			f.Authentication = role("arn:aws:iam::100000000003:role/CH")
		}), want: []string{`owner_id "100000000003" (from the role ARN) is already the owner_id of AWS account 3`}},
		{name: "region govcloud", in: valid(func(f *rules.AWSAccountFields) { f.Region = str("govcloud") }), owner: "123456789012"},
		{name: "region and is_govcloud agree", in: valid(func(f *rules.AWSAccountFields) { f.Region, f.IsGovcloud = str("global"), boolp(false) }), owner: "123456789012"},
		{name: "region and is_govcloud disagree", in: valid(func(f *rules.AWSAccountFields) { f.Region, f.IsGovcloud = str("global"), boolp(true) }),
			want: []string{`region "global" and is_govcloud true disagree`}},
		{name: "unknown region", in: valid(func(f *rules.AWSAccountFields) { f.Region = str("mars") }),
			want: []string{`region "mars" is neither global nor govcloud`}},
		{name: "GovCloud outside us-gov-west-1", in: valid(func(f *rules.AWSAccountFields) { f.IsGovcloud, f.PrimaryAWSRegion = boolp(true), str("eu-central-1") }),
			want: []string{`primary_aws_region "eu-central-1": a GovCloud account's primary region is us-gov-west-1`}},
		{name: "global in us-gov-west-1", in: valid(func(f *rules.AWSAccountFields) { f.PrimaryAWSRegion = str("us-gov-west-1") }),
			want: []string{`primary_aws_region "us-gov-west-1" is neither us-east-1 nor eu-central-1`}},
		{name: "runtime 24", in: valid(func(f *rules.AWSAccountFields) { f.CloudWatch = &rules.CloudWatchFields{Runtime: intp(24)} }), owner: "123456789012"},
		{name: "runtime 2", in: valid(func(f *rules.AWSAccountFields) { f.CloudWatch = &rules.CloudWatchFields{Runtime: intp(2)} }),
			want: []string{"cloudwatch.runtime 2 is neither 1 nor 24"}},
		{name: "namespaces", in: valid(func(f *rules.AWSAccountFields) {
			f.CloudWatch = &rules.CloudWatchFields{Namespaces: str("CWAgent,System/Linux,System/Windows")}
		}), owner: "123456789012"},
		{name: "unknown namespace", in: valid(func(f *rules.AWSAccountFields) {
			f.CloudWatch = &rules.CloudWatchFields{Namespaces: str("CWAgent,Foo")}
		}),
			want: []string{`cloudwatch.namespaces: "Foo" is none of CWAgent, System/Linux, System/Windows`}},
		{name: "cloudtrail on without bucket", in: valid(func(f *rules.AWSAccountFields) { f.CloudTrail = &rules.CloudTrailFields{Enabled: boolp(true)} }),
			want: []string{"cloudtrail.bucket is required when cloudtrail.enabled is true"}},
		{name: "cloudtrail off without bucket", in: valid(func(f *rules.AWSAccountFields) { f.CloudTrail = &rules.CloudTrailFields{Enabled: boolp(false)} }), owner: "123456789012"},
		{name: "CUR without bucket", in: valid(func(f *rules.AWSAccountFields) { f.CostAndUsageReport = &rules.CURFields{Path: str("p")} }),
			want: []string{"cost_and_usage_report.bucket is required"}},
		{name: "blank billing bucket", in: valid(func(f *rules.AWSAccountFields) { f.Billing = &rules.BillingFields{Bucket: str("")} }),
			want: []string{"billing.bucket must not be blank"}},
		{name: "tag without key", in: valid(func(f *rules.AWSAccountFields) { f.Tags = &[]state.Tag{{Value: "v"}} }),
			want: []string{"tags[0].key is required"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var c *state.Customer
			if row.customer {
				c = w.c
			}
			next, errs := rules.CheckAWSAccount(w.st, w.p, c, nil, row.in)
			assert.Equal(t, row.want, errs)
			if row.want == nil {
				assert.Equal(t, row.owner, next.OwnerID)
			}
		})
	}
}

func TestCheckAWSAccountCreateDefaults(t *testing.T) {
	w := newAccountWorld()
	next, errs := rules.CheckAWSAccount(w.st, w.p, nil, nil, rules.AWSAccountFields{Name: str("New"),
		Authentication: role("arn:aws:iam::123456789012:role/CH"), Region: str("govcloud")})
	require.Empty(t, errs)
	assert.True(t, next.IsGovcloud)
	assert.Equal(t, "us-gov-west-1", next.Settings.PrimaryAWSRegion)
	assert.Equal(t, state.CloudWatch{Enabled: true, Runtime: 1}, next.Settings.CloudWatch)
	assert.Equal(t, "Unknown", next.Settings.AccountType)
	assert.Equal(t, "unknown", next.Settings.StatusLevel)
}

func TestCheckAWSAccountUpdate(t *testing.T) {
	w := newAccountWorld()
	rows := []struct {
		name     string
		id       int64
		customer bool
		in       rules.AWSAccountFields
		want     []string
	}{
		{name: "nothing", id: 105},
		{name: "rename", id: 101, in: rules.AWSAccountFields{Name: str("x")}},
		{name: "blank name", id: 105, in: rules.AWSAccountFields{Name: str("")}, want: []string{"name is required"}},
		{name: "same owner id again", id: 105, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000005:role/CH")}},
		{name: "new owner id of a free account", id: 105, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000006:role/CH")}},
		{name: "assigned account's owner id", id: 101, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000006:role/CH")},
			want: []string{`owner_id of AWS account 101 cannot change: AWS account assignment 1 assigns its owner_id "000000000001"`}},
		{name: "family head of assigned accounts", id: 100, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000006:role/CH")},
			want: []string{"owner_id of AWS account 100 cannot change: it heads the billing family of 1 assigned account(s)"}},
		{name: "family head of unassigned accounts", id: 110, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000006:role/CH")}},
		{name: "access key keeps the owner id", id: 101, in: rules.AWSAccountFields{Authentication: &rules.AuthenticationFields{
			Protocol: str("access_key"), AccessKey: str("AKIA")}}},
		{name: "linked account's region", id: 1, customer: true, in: rules.AWSAccountFields{Region: str("global")},
			want: []string{"AWS account 1 is in GovCloud linkage 1: its region cannot change"}},
		{name: "free customer account's region", id: 3, customer: true, in: rules.AWSAccountFields{Region: str("govcloud")}},
		{name: "customer account of an assignment", id: 4, customer: true, in: rules.AWSAccountFields{Authentication: role("arn:aws:iam::000000000009:role/CH")},
			want: []string{`owner_id of AWS account 4 cannot change: AWS account assignment 1 assigns its owner_id "000000000001"`}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var c *state.Customer
			if row.customer {
				c = w.c
			}
			current := w.account(row.id)
			before := *current
			next, errs := rules.CheckAWSAccount(w.st, w.p, c, current, row.in)
			assert.Equal(t, row.want, errs)
			assert.Equal(t, before, *current, "checking changes nothing")
			assert.Equal(t, row.id, next.ID)
			if row.in.Authentication != nil && *row.in.Authentication.Protocol == "access_key" {
				assert.Equal(t, current.OwnerID, next.OwnerID)
			}
		})
	}
}

func TestCheckAWSAccountDelete(t *testing.T) {
	w := newAccountWorld()
	rows := []struct {
		id   int64
		want []string
	}{
		{105, nil},
		{102, nil},
		{110, nil},
		{3, nil},
		{101, []string{`AWS account 101 cannot be deleted: AWS account assignment 1 assigns its owner_id "000000000001"`}},
		{100, []string{"AWS account 100 cannot be deleted: it heads the billing family of 1 assigned account(s)"}},
		{1, []string{"AWS account 1 cannot be deleted: GovCloud linkage 1 uses it"}},
		{2, []string{"AWS account 2 cannot be deleted: GovCloud linkage 1 uses it"}},
		{4, []string{`AWS account 4 cannot be deleted: AWS account assignment 1 assigns its owner_id "000000000001"`}},
	}
	for _, row := range rows {
		assert.Equal(t, row.want, rules.CheckAWSAccountDelete(w.st, w.p, w.account(row.id)), "account %d", row.id)
	}
}

func TestEffectiveAWSAccountSettings(t *testing.T) {
	w := newAccountWorld()
	s := rules.EffectiveAWSAccountSettings(w.account(1))
	assert.Equal(t, state.Authentication{Protocol: "assume_role", AssumeRoleARN: "arn:aws-us-gov:iam::100000000001:role/CloudHealth",
		AssumeRoleExternalID: "cloudhealth-emulator"}, s.Authentication, "an unconfigured account shows its owner's role")
	assert.Equal(t, "us-gov-west-1", s.PrimaryAWSRegion)
	noOwner := &state.AWSAccount{Name: "x"}
	assert.Equal(t, "access_key", rules.EffectiveAWSAccountSettings(noOwner).Authentication.Protocol)
	configured := &state.AWSAccount{Settings: &state.AWSAccountSettings{Authentication: state.Authentication{Protocol: "access_key", AccessKey: "A"},
		PrimaryAWSRegion: "eu-central-1"}}
	assert.Equal(t, "eu-central-1", rules.EffectiveAWSAccountSettings(configured).PrimaryAWSRegion, "configured settings are shown as they are")
	assert.True(t, rules.Unconfigured(state.AWSAccountSettings{}))
	assert.False(t, rules.Unconfigured(*configured.Settings))
}

// Every rule is reported (docs/fidelity.md, "Every rule reported"): each
// subset of a create's independent failures gives exactly those messages,
// in field order, whatever the others do.
func TestCheckAWSAccountReportsEveryRule(t *testing.T) {
	w := newAccountWorld()
	failures := []struct {
		msg   string
		apply func(f *rules.AWSAccountFields)
	}{
		{"name is required", func(f *rules.AWSAccountFields) { f.Name = str(" ") }},
		{"authentication.assume_role_external_id is required with protocol assume_role", func(f *rules.AWSAccountFields) {
			f.Authentication.AssumeRoleExternalID = nil
		}},
		{`region "mars" is neither global nor govcloud`, func(f *rules.AWSAccountFields) { f.Region = str("mars") }},
		{"billing.bucket must not be blank", func(f *rules.AWSAccountFields) { f.Billing = &rules.BillingFields{Bucket: str(" ")} }},
		{"cloudwatch.runtime 5 is neither 1 nor 24", func(f *rules.AWSAccountFields) { f.CloudWatch = &rules.CloudWatchFields{Runtime: intp(5)} }},
		{`owner_id "999999999999" (from the role ARN) is already the owner_id of AWS account 100`, func(f *rules.AWSAccountFields) {
			f.Authentication.AssumeRoleARN = str("arn:aws:iam::999999999999:role/CH")
		}},
	}
	for set := 0; set < 1<<len(failures); set++ {
		f := rules.AWSAccountFields{Name: str("New"), Authentication: role("arn:aws:iam::123456789012:role/CH")}
		var want []string
		for i, fail := range failures {
			if set&(1<<i) != 0 {
				fail.apply(&f)
				want = append(want, fail.msg)
			}
		}
		t.Run(fmt.Sprintf("%q", want), func(t *testing.T) {
			_, errs := rules.CheckAWSAccount(w.st, w.p, nil, nil, f)
			assert.Equal(t, want, errs)
		})
	}
}
