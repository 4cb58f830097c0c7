package rules

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		name, value, want string
	}{
		{"plain", "Acme Corp", ""},
		{"empty", "", ""},
		{"unicode", "Société Générale 東京 🚀", ""},
		{"tab and newline", "a\tb\nc", ""},
		{"U+FFFD itself", "a\uFFFDb", ""},
		{"NUL", "a\x00b", `name must not contain a NUL character (\u0000)`},
		{"NUL only", "\x00", `name must not contain a NUL character (\u0000)`},
		{"lone continuation byte", "a\x80b", "name is not valid UTF-8"},
		{"truncated sequence", "caf\xc3", "name is not valid UTF-8"},
		{"overlong encoding", "\xc0\xaf", "name is not valid UTF-8"},
		{"surrogate half", "\xed\xa0\x80", "name is not valid UTF-8"},
		{"beyond U+10FFFF", "\xf4\x90\x80\x80", "name is not valid UTF-8"},
		{"invalid and NUL", "\xff\x00", "name is not valid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) { require.Equal(t, c.want, Text("name", c.value)) })
	}
}

func TestTexts(t *testing.T) {
	good, nul, bad := "ok", "a\x00", "\xff"
	require.Nil(t, texts(textField{"a", &good}, textField{"b", nil}))
	require.Equal(t, []string{`b must not contain a NUL character (\u0000)`, "c is not valid UTF-8"},
		texts(textField{"a", &good}, textField{"b", &nul}, textField{"c", &bad}))
	require.Nil(t, tagTexts("tags", nil))
	require.Equal(t, []string{`tags[1].value must not contain a NUL character (\u0000)`, "tags[2].key is not valid UTF-8"},
		tagTexts("tags", &[]state.Tag{{Key: "k", Value: "v"}, {Key: "k", Value: nul}, {Key: bad, Value: "v"}}))
}

// The family rules check every string field they are given.
func TestFamilyRulesCheckTexts(t *testing.T) {
	st := state.New()
	p := &state.Partner{Name: "P", APIKeys: []string{"k"}}
	st.AddPartner(p)
	nul := "x\x00"
	str := func(s string) *string { return &s }
	nulMsg := func(field string) string { return field + ` must not contain a NUL character (\u0000)` }

	_, errs := CheckCustomer(st, p, nil, CustomerFields{Name: &nul, Address: &AddressFields{Street1: str("a"), City: &nul, State: str("s"), Zipcode: str("z"), Country: str("c")},
		BillingContact: &nul, PartnerBilling: &PartnerBillingFields{Folder: &nul}, Tags: &[]state.Tag{{Key: nul, Value: "v"}}})
	for _, field := range []string{"name", "address.city", "billing_contact", "partner_billing_configuration.folder", "tags[0].key"} {
		require.Contains(t, errs, nulMsg(field))
	}

	_, errs = CheckAWSAccount(st, p, nil, nil, AWSAccountFields{Name: &nul, Authentication: &AuthenticationFields{Protocol: str("access_key"), AccessKey: &nul, SecretKey: &nul},
		CostAndUsageReport: &CURFields{Bucket: &nul}, CloudTrail: &CloudTrailFields{Prefix: &nul}, CloudWatch: &CloudWatchFields{Namespaces: &nul}})
	for _, field := range []string{"name", "authentication.access_key", "authentication.secret_key", "cost_and_usage_report.bucket", "cloudtrail.prefix", "cloudwatch.namespaces"} {
		require.Contains(t, errs, nulMsg(field))
	}

	_, errs = CheckAssignment(st, p, nil, AssignmentFields{OwnerID: &nul, PayerAccountOwnerID: &nul})
	require.Contains(t, errs, nulMsg("owner_id"))
	require.Contains(t, errs, nulMsg("payer_account_owner_id"))

	// No Azure account can have an id with a NUL (the fixture builder
	// refuses one), so such an id fails its item as not found: the 422 item
	// the API documents, not a message of the emulator's own.
	c := &state.Customer{Name: "C"}
	st.AddCustomer(p, c)
	require.Equal(t, AzureNotFound, AzureAddFailure(st, p, c, nul))
	require.Equal(t, AzureNotFound, AzureRemoveFailure(st, p, c, nul))
}
