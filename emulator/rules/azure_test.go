package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// azureWorld is partner 1 with customers 1 and 2 and the Azure accounts
// free (unassigned), mine (assigned to customer 1) and theirs (assigned to
// customer 2); partner 2 with customer 9 and the account foreign, assigned
// to it.
type azureWorld struct {
	st         *state.State
	p1, p2     *state.Partner
	c1, c2, c9 *state.Customer
}

func newAzureWorld() azureWorld {
	st := state.New()
	w := azureWorld{st: st,
		p1: &state.Partner{ID: 1, Name: "Partner one", APIKeys: []string{"k1"}},
		p2: &state.Partner{ID: 2, Name: "Partner two", APIKeys: []string{"k2"}}}
	st.AddPartner(w.p1)
	st.AddPartner(w.p2)
	w.c1 = &state.Customer{ID: 1, Name: "one"}
	w.c2 = &state.Customer{ID: 2, Name: "two"}
	w.c9 = &state.Customer{ID: 9, Name: "nine"}
	st.AddCustomer(w.p1, w.c1)
	st.AddCustomer(w.p1, w.c2)
	st.AddCustomer(w.p2, w.c9)
	account := func(p *state.Partner, id string, c *state.Customer) {
		a := &state.AzureAccount{AzureCustomerID: id, Name: id, Domain: id + ".onmicrosoft.com"}
		st.AddAzureAccount(p, a)
		if c != nil {
			st.AssignAzureAccount(a, c)
		}
	}
	account(w.p1, "free", nil)
	account(w.p1, "mine", w.c1)
	account(w.p1, "theirs", w.c2)
	account(w.p2, "foreign", w.c9)
	return w
}

func TestAzureAddFailure(t *testing.T) {
	w := newAzureWorld()
	rows := []struct {
		name, id string
		want     string
	}{
		{name: "unassigned account", id: "free", want: ""},
		{name: "already assigned to this customer: idempotent", id: "mine", want: ""},
		{name: "assigned to another customer", id: "theirs", want: rules.AzureAssignedElsewhere},
		{name: "unknown id", id: "fgh345", want: rules.AzureNotFound},
		{name: "another partner's account", id: "foreign", want: rules.AzureNotFound},
		{name: "ids are case-sensitive", id: "FREE", want: rules.AzureNotFound},
		{name: "empty id", id: "", want: rules.AzureNotFound},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			assert.Equal(t, row.want, rules.AzureAddFailure(w.st, w.p1, w.c1, row.id))
		})
	}
	// Seen from customer 2, the accounts of customers 1 and 2 swap roles.
	assert.Equal(t, rules.AzureAssignedElsewhere, rules.AzureAddFailure(w.st, w.p1, w.c2, "mine"))
	assert.Empty(t, rules.AzureAddFailure(w.st, w.p1, w.c2, "theirs"))
}

func TestAzureRemoveFailure(t *testing.T) {
	w := newAzureWorld()
	rows := []struct {
		name, id string
		want     string
	}{
		{name: "assigned to this customer", id: "mine", want: ""},
		{name: "unassigned account", id: "free", want: rules.AzureNotAssignedHere},
		{name: "assigned to another customer", id: "theirs", want: rules.AzureNotAssignedHere},
		{name: "unknown id", id: "fgh345", want: rules.AzureNotFound},
		{name: "another partner's account", id: "foreign", want: rules.AzureNotFound},
		{name: "empty id", id: "", want: rules.AzureNotFound},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			assert.Equal(t, row.want, rules.AzureRemoveFailure(w.st, w.p1, w.c1, row.id))
		})
	}
	assert.Empty(t, rules.AzureRemoveFailure(w.st, w.p1, w.c2, "theirs"))
	assert.Equal(t, rules.AzureNotAssignedHere, rules.AzureRemoveFailure(w.st, w.p1, w.c2, "mine"))
}

// The checks never change the state.
func TestAzureFailuresDoNotMutate(t *testing.T) {
	w := newAzureWorld()
	before := map[string]int64{}
	for _, a := range w.st.AzureAccounts(w.p1) {
		before[a.AzureCustomerID] = a.CustomerID
	}
	for _, id := range []string{"free", "mine", "theirs", "fgh345"} {
		rules.AzureAddFailure(w.st, w.p1, w.c1, id)
		rules.AzureRemoveFailure(w.st, w.p1, w.c1, id)
	}
	for _, a := range w.st.AzureAccounts(w.p1) {
		assert.Equal(t, before[a.AzureCustomerID], a.CustomerID, a.AzureCustomerID)
	}
}
