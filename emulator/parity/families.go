package parity

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// recordedAssignment is an AWS account assignment as the API shows it.
type recordedAssignment struct {
	fixture.Assignment
	CustomerID int64 `json:"customer_id"`
}

// billingFamilies sets the billing family of the partner's AWS accounts.
// The API does not show it: given families win; otherwise each customer's
// assigned accounts (a consolidated one and those linked to it, or a
// standalone one) are put in the family of a partner account the API shows
// as consolidated, the only one when there is one, else a guess that the
// returned notes name.
func billingFamilies(p *fixture.Partner, assignments []recordedAssignment, given map[string]string, consolidated map[int64]bool) []string {
	family := map[string]string{}
	for owner, payer := range given {
		family[owner] = payer
	}
	var payers []string
	for _, a := range p.AWSAccounts {
		if consolidated[a.ID] && family[a.OwnerID] == "" {
			payers = append(payers, a.OwnerID)
		}
	}
	sort.Strings(payers)
	groups := map[string][]string{} // the group's consolidated (or standalone) owner id → members
	var heads []string
	for _, a := range assignments {
		head := a.PayerAccountOwnerID
		if groups[head] == nil {
			heads = append(heads, head)
		}
		groups[head] = append(groups[head], a.OwnerID)
	}
	sort.Strings(heads)
	var notes []string
	for _, head := range heads {
		members := append([]string{head}, groups[head]...)
		known := ""
		for _, m := range members {
			if family[m] != "" {
				known = family[m]
			}
		}
		if known == "" && len(payers) > 0 {
			known = payers[0]
			if len(payers) > 1 {
				notes = append(notes, fmt.Sprintf("billing family of %v guessed as %s (the API does not show it; give --billing-family OWNER=PAYER)", members, known))
			}
		}
		for _, m := range members {
			if family[m] == "" && known != "" && m != known {
				family[m] = known
			}
		}
	}
	for n := range p.AWSAccounts {
		a := &p.AWSAccounts[n]
		if f := family[a.OwnerID]; f != "" && f != a.OwnerID {
			a.BillingFamilyOwnerID = f
		}
	}
	return notes
}

// azureAccounts collects every Azure partner customer account any recorded
// answer shows, by id, in order of first appearance: the API lists only
// assigned ones, so the accounts a run assigns are known from the answers
// that follow (their fields do not change on assignment).
func azureAccounts(interactions []*Interaction) []fixture.AzureAccount {
	seen := map[string]bool{}
	var out []fixture.AzureAccount
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if inner, ok := x["azure_partner_customer_account"].(map[string]any); ok {
				b, _ := json.Marshal(inner)
				var a fixture.AzureAccount
				if json.Unmarshal(b, &a) == nil && a.AzureCustomerID != "" && !seen[a.AzureCustomerID] {
					seen[a.AzureCustomerID] = true
					out = append(out, a)
				}
			}
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		case []any:
			for _, inner := range x {
				walk(inner)
			}
		}
	}
	for _, i := range interactions {
		if v, err := decodeJSON([]byte(i.Response.Body)); err == nil {
			walk(v)
		}
	}
	return out
}
