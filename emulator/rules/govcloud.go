package rules

import (
	"fmt"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// LinkageFields are the fields of a GovCloud linkage request; nil means the
// request did not send the field.
type LinkageFields struct {
	GovcloudAcctID   *int64 `json:"govcloud_acct_id"`
	CommercialAcctID *int64 `json:"commercial_acct_id"`
}

// CheckLinkage checks a create (current nil) or an update of current for
// customer c against the four rules of docs/fidelity.md and returns the
// linkage as it would be after the change with every failure. An update is
// checked ignoring current itself.
func CheckLinkage(st *state.State, c *state.Customer, current *state.GovcloudLinkage, in LinkageFields) (state.GovcloudLinkage, []string) {
	next := state.GovcloudLinkage{CustomerID: c.ID}
	if current != nil {
		next = *current
	}
	if in.GovcloudAcctID != nil {
		next.GovcloudAcctID = *in.GovcloudAcctID
	}
	if in.CommercialAcctID != nil {
		next.CommercialAcctID = *in.CommercialAcctID
	}
	var errs []string
	gov, govOK := customerAccount(st, c, next.GovcloudAcctID)
	com, comOK := customerAccount(st, c, next.CommercialAcctID)
	// Rule 1: both accounts are the customer's.
	if !govOK {
		errs = append(errs, fmt.Sprintf("govcloud_acct_id %d is not an AWS account of this customer", next.GovcloudAcctID))
	}
	if !comOK {
		errs = append(errs, fmt.Sprintf("commercial_acct_id %d is not an AWS account of this customer", next.CommercialAcctID))
	}
	// Rule 2: neither account is in another GovCloud linkage.
	if govOK {
		errs = append(errs, notLinked(st, current, "govcloud_acct_id", gov)...)
	}
	if comOK && next.CommercialAcctID != next.GovcloudAcctID {
		errs = append(errs, notLinked(st, current, "commercial_acct_id", com)...)
	}
	// Rules 3 and 4: the asset account is GovCloud, the commercial one is not.
	if govOK && !gov.IsGovcloud {
		errs = append(errs, fmt.Sprintf("govcloud_acct_id %d is not a GovCloud account (is_govcloud is false)", gov.ID))
	}
	if comOK && com.IsGovcloud {
		errs = append(errs, fmt.Sprintf("commercial_acct_id %d is a GovCloud account (is_govcloud is true)", com.ID))
	}
	return next, errs
}

func customerAccount(st *state.State, c *state.Customer, id int64) (*state.AWSAccount, bool) {
	a, ok := st.AWSAccount(id)
	if !ok || a.CustomerID != c.ID {
		return nil, false
	}
	return a, true
}

func notLinked(st *state.State, current *state.GovcloudLinkage, field string, a *state.AWSAccount) []string {
	l, ok := st.LinkageOfAccount(a.ID)
	if ok && (current == nil || l.ID != current.ID) {
		return []string{fmt.Sprintf("%s %d is already in GovCloud linkage %d", field, a.ID, l.ID)}
	}
	return nil
}
