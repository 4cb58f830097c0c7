package rules_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// customerWorld is partner 1 with customers "Acme" (1) and "Globex" (2), and
// partner 2 with customer "Initech" (9).
func customerWorld() (*state.State, *state.Partner, *state.Customer) {
	st := state.New()
	p1 := &state.Partner{ID: 1, Name: "one", APIKeys: []string{"k1"}}
	p2 := &state.Partner{ID: 2, Name: "two", APIKeys: []string{"k2"}}
	st.AddPartner(p1)
	st.AddPartner(p2)
	acme := &state.Customer{ID: 1, Name: "Acme", Address: state.Address{Street1: "1 Main St", City: "Springfield",
		State: "MA", Zipcode: "01234", Country: "US"}}
	st.AddCustomer(p1, acme)
	st.AddCustomer(p1, &state.Customer{ID: 2, Name: "Globex"})
	st.AddCustomer(p2, &state.Customer{ID: 9, Name: "Initech"})
	return st, p1, acme
}

func address() *rules.AddressFields {
	return &rules.AddressFields{Street1: str("1 Main St"), City: str("Springfield"), State: str("MA"),
		Zipcode: str("01234"), Country: str("US")}
}

func tags(n int) *[]state.Tag {
	out := make([]state.Tag, n)
	for i := range out {
		out[i] = state.Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	return &out
}

func TestCheckCustomerCreate(t *testing.T) {
	st, p, _ := customerWorld()
	valid := func(edit func(f *rules.CustomerFields)) rules.CustomerFields {
		f := rules.CustomerFields{Name: str("New Co"), Address: address()}
		if edit != nil {
			edit(&f)
		}
		return f
	}
	rows := []struct {
		name string
		in   rules.CustomerFields
		want []string
	}{
		{"valid", valid(nil), nil},
		{"nothing", rules.CustomerFields{}, []string{"name is required", "address is required"}},
		{"blank name", valid(func(f *rules.CustomerFields) { f.Name = str(" ") }), []string{"name is required"}},
		{"name of another customer", valid(func(f *rules.CustomerFields) { f.Name = str("Globex") }),
			[]string{`name "Globex" is already the name of customer 2`}},
		{"name of another partner's customer", valid(func(f *rules.CustomerFields) { f.Name = str("Initech") }), nil},
		{"street2 may be blank", valid(func(f *rules.CustomerFields) { f.Address.Street2 = str("") }), nil},
		{"address without anything", valid(func(f *rules.CustomerFields) { f.Address = &rules.AddressFields{} }),
			[]string{"address.street1 is required", "address.city is required", "address.state is required",
				"address.zipcode is required", "address.country is required"}},
		{"blank city", valid(func(f *rules.CustomerFields) { f.Address.City = str("") }), []string{"address.city is required"}},
		{"managed_with_access", valid(func(f *rules.CustomerFields) { f.Classification = str(rules.ManagedWithAccess) }), nil},
		{"managed_without_access", valid(func(f *rules.CustomerFields) { f.Classification = str(rules.ManagedWithoutAccess) }), nil},
		{"other classification", valid(func(f *rules.CustomerFields) { f.Classification = str("unmanaged") }),
			[]string{`classification "unmanaged" is neither managed_without_access nor managed_with_access`}},
		{"empty classification", valid(func(f *rules.CustomerFields) { f.Classification = str("") }),
			[]string{`classification "" is neither managed_without_access nor managed_with_access`}},
		{"trial RFC 3339", valid(func(f *rules.CustomerFields) { f.TrialExpiration = str("2016-09-22T00:00:00Z") }), nil},
		{"trial local date-time", valid(func(f *rules.CustomerFields) { f.TrialExpiration = str("2016-09-22T00:00:00") }), nil},
		{"trial date", valid(func(f *rules.CustomerFields) { f.TrialExpiration = str("2016-09-22") }), nil},
		{"trial nonsense", valid(func(f *rules.CustomerFields) { f.TrialExpiration = str("soon") }),
			[]string{`trial_expiration "soon" is not an ISO 8601 date or date-time`}},
		{"trial impossible date", valid(func(f *rules.CustomerFields) { f.TrialExpiration = str("2016-02-30") }),
			[]string{`trial_expiration "2016-02-30" is not an ISO 8601 date or date-time`}},
		{"20 tags", valid(func(f *rules.CustomerFields) { f.Tags = tags(20) }), nil},
		{"21 tags", valid(func(f *rules.CustomerFields) { f.Tags = tags(21) }), []string{"21 tags: at most 20 are allowed"}},
		{"tag without key", valid(func(f *rules.CustomerFields) { f.Tags = &[]state.Tag{{Value: "v"}} }), []string{"tags[0].key is required"}},
		{"enabled true", valid(func(f *rules.CustomerFields) { f.PartnerBilling = &rules.PartnerBillingFields{Enabled: true} }), nil},
		{`enabled "false"`, valid(func(f *rules.CustomerFields) { f.PartnerBilling = &rules.PartnerBillingFields{Enabled: "false"} }), nil},
		{`enabled "yes"`, valid(func(f *rules.CustomerFields) { f.PartnerBilling = &rules.PartnerBillingFields{Enabled: "yes"} }),
			[]string{`partner_billing_configuration.enabled must be true or false (or the string "true" or "false"), not "yes"`}},
		{"enabled 1", valid(func(f *rules.CustomerFields) { f.PartnerBilling = &rules.PartnerBillingFields{Enabled: float64(1)} }),
			[]string{`partner_billing_configuration.enabled must be true or false (or the string "true" or "false"), not 1`}},
		{"every failure at once", rules.CustomerFields{Name: str("Acme"), Classification: str("x"), Tags: tags(21)},
			[]string{`name "Acme" is already the name of customer 1`, "address is required",
				`classification "x" is neither managed_without_access nor managed_with_access`, "21 tags: at most 20 are allowed"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, errs := rules.CheckCustomer(st, p, nil, row.in)
			assert.Equal(t, row.want, errs)
		})
	}
}

func TestCheckCustomerCreateResult(t *testing.T) {
	st, p, _ := customerWorld()
	next, errs := rules.CheckCustomer(st, p, nil, rules.CustomerFields{Name: str("New Co"), Address: address(),
		BillingContact: str("a@b.c"), PartnerBilling: &rules.PartnerBillingFields{Enabled: "true", Folder: str("f")},
		Tags: &[]state.Tag{{Key: "k", Value: "v"}}})
	require.Empty(t, errs)
	assert.Equal(t, "New Co", next.Name)
	assert.Equal(t, state.PartnerBillingConfiguration{Enabled: true, Folder: "f"}, next.PartnerBilling)
	assert.Equal(t, "a@b.c", next.BillingContact)
	assert.Equal(t, []state.Tag{{Key: "k", Value: "v"}}, next.Tags)
	assert.Equal(t, int64(0), next.ID, "the state assigns ids")
}

func TestCheckCustomerUpdate(t *testing.T) {
	st, p, acme := customerWorld()
	rows := []struct {
		name  string
		in    rules.CustomerFields
		want  []string
		check func(t *testing.T, next state.Customer)
	}{
		{name: "nothing changes nothing", in: rules.CustomerFields{}, check: func(t *testing.T, next state.Customer) {
			assert.Equal(t, *acme, next)
		}},
		{name: "its own name", in: rules.CustomerFields{Name: str("Acme")}},
		{name: "another customer's name", in: rules.CustomerFields{Name: str("Globex")},
			want: []string{`name "Globex" is already the name of customer 2`}},
		{name: "address fields merge", in: rules.CustomerFields{Address: &rules.AddressFields{City: str("Shelbyville")}},
			check: func(t *testing.T, next state.Customer) {
				assert.Equal(t, state.Address{Street1: "1 Main St", City: "Shelbyville", State: "MA", Zipcode: "01234", Country: "US"}, next.Address)
			}},
		{name: "a merged address must stay complete", in: rules.CustomerFields{Address: &rules.AddressFields{Country: str("")}},
			want: []string{"address.country is required"}},
		{name: "billing folder alone keeps enabled", in: rules.CustomerFields{PartnerBilling: &rules.PartnerBillingFields{Folder: str("x")}},
			check: func(t *testing.T, next state.Customer) {
				assert.Equal(t, acme.PartnerBilling.Enabled, next.PartnerBilling.Enabled)
			}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			next, errs := rules.CheckCustomer(st, p, acme, row.in)
			assert.Equal(t, row.want, errs)
			if row.check != nil {
				row.check(t, next)
			}
		})
	}
	assert.Equal(t, "Springfield", acme.Address.City, "checking changes nothing")
}

func TestParseEnabled(t *testing.T) {
	for _, row := range []struct {
		in          any
		enabled, ok bool
	}{
		{true, true, true}, {false, false, true}, {"true", true, true}, {"false", false, true},
		{"yes", false, false}, {"TRUE", false, false}, {"", false, false}, {float64(1), false, false}, {nil, false, false},
	} {
		enabled, ok := rules.ParseEnabled(row.in)
		assert.Equal(t, []bool{row.enabled, row.ok}, []bool{enabled, ok}, "%#v", row.in)
	}
}

// An update re-checks what it changes only: what a GET of a customer without
// an address or classification shows is accepted back.
func TestCheckCustomerUpdateRechecksChangesOnly(t *testing.T) {
	st, p, _ := customerWorld()
	globex, _ := st.Customer(p, 2)
	empty := str("")
	rows := []struct {
		name string
		in   rules.CustomerFields
		want []string
	}{
		{"the empty address it has", rules.CustomerFields{Address: &rules.AddressFields{Street1: empty, Street2: empty, City: empty,
			State: empty, Zipcode: empty, Country: empty}}, nil},
		{"the empty classification it has", rules.CustomerFields{Classification: empty}, nil},
		{"an empty trial", rules.CustomerFields{TrialExpiration: empty}, nil},
		{"a partial address", rules.CustomerFields{Address: &rules.AddressFields{City: str("Springfield")}},
			[]string{"address.street1 is required", "address.state is required", "address.zipcode is required", "address.country is required"}},
		{"a bad classification", rules.CustomerFields{Classification: str("x")},
			[]string{`classification "x" is neither managed_without_access nor managed_with_access`}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, errs := rules.CheckCustomer(st, p, globex, row.in)
			assert.Equal(t, row.want, errs)
		})
	}
}

// Every rule is reported (docs/fidelity.md, "Every rule reported"): each
// subset of a create's independent failures (name, address, classification,
// trial_expiration, partner_billing_configuration.enabled, tags) gives
// exactly those messages, in field order, whatever the others do.
func TestCheckCustomerReportsEveryRule(t *testing.T) {
	st, p, _ := customerWorld()
	failures := []struct {
		msg   string
		apply func(f *rules.CustomerFields)
	}{
		{`name "Globex" is already the name of customer 2`, func(f *rules.CustomerFields) { f.Name = str("Globex") }},
		{"address.city is required", func(f *rules.CustomerFields) { f.Address.City = str(" ") }},
		{`classification "x" is neither managed_without_access nor managed_with_access`, func(f *rules.CustomerFields) { f.Classification = str("x") }},
		{`trial_expiration "soon" is not an ISO 8601 date or date-time`, func(f *rules.CustomerFields) { f.TrialExpiration = str("soon") }},
		{`partner_billing_configuration.enabled must be true or false (or the string "true" or "false"), not "yes"`, func(f *rules.CustomerFields) {
			f.PartnerBilling = &rules.PartnerBillingFields{Enabled: "yes"}
		}},
		{"21 tags: at most 20 are allowed", func(f *rules.CustomerFields) { f.Tags = tags(21) }},
	}
	for set := 0; set < 1<<len(failures); set++ {
		f := rules.CustomerFields{Name: str("New Co"), Address: address(), Classification: str(rules.ManagedWithAccess),
			TrialExpiration: str("2016-09-22"), PartnerBilling: &rules.PartnerBillingFields{Enabled: true}, Tags: tags(1)}
		var want []string
		for i, fail := range failures {
			if set&(1<<i) != 0 {
				fail.apply(&f)
				want = append(want, fail.msg)
			}
		}
		t.Run(fmt.Sprintf("%q", want), func(t *testing.T) {
			_, errs := rules.CheckCustomer(st, p, nil, f)
			assert.Equal(t, want, errs)
		})
	}
}
