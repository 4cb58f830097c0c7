// Package rules holds CloudHealth's validation rules as plain functions from
// the state and a request to the list of every rule the request breaks. They
// change nothing and know nothing of HTTP, so they are table-tested on their
// own and shared by the handlers and the fixture loader.
package rules

import (
	"fmt"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// AssignmentFields are the fields of an AWS account assignment request; nil
// means the request did not send the field.
type AssignmentFields struct {
	OwnerID             *string `json:"owner_id"`
	CustomerID          *int64  `json:"customer_id"`
	PayerAccountOwnerID *string `json:"payer_account_owner_id"`
}

// CheckAssignment checks a create (current nil) or an update of current
// against rules 1-7 (docs/fidelity.md, "AWS account assignments (v1)"), as the partner p. It returns
// the assignment as it would be after the change and every failure, in rule
// order. An update is checked as if the merged assignment were new, ignoring
// current itself.
func CheckAssignment(st *state.State, p *state.Partner, current *state.Assignment, in AssignmentFields) (state.Assignment, []string) {
	next := state.Assignment{PartnerID: p.ID}
	if current != nil {
		next = *current
	}
	errs := texts(textField{"owner_id", in.OwnerID}, textField{"payer_account_owner_id", in.PayerAccountOwnerID})
	if current == nil {
		errs = append(errs, requiredFields(in)...)
	}
	if in.OwnerID != nil {
		next.OwnerID = *in.OwnerID
	}
	if in.CustomerID != nil {
		next.CustomerID = *in.CustomerID
	}
	if in.PayerAccountOwnerID != nil {
		next.PayerAccountOwnerID = *in.PayerAccountOwnerID
	}

	// Rules 2-4 need an owner id, 5-6 a customer, 7 all three: with a field
	// missing on create, the rules that need it have nothing to check.
	hasOwner := current != nil || in.OwnerID != nil
	hasCustomer := current != nil || in.CustomerID != nil
	hasPayer := current != nil || in.PayerAccountOwnerID != nil
	if hasOwner {
		errs = append(errs, ownerIsPartnerAccount(st, p, next)...)
		errs = append(errs, ownerUnassigned(st, p, current, next)...)
		errs = append(errs, ownerInBillingFamily(st, p, next)...)
	}
	if hasCustomer {
		errs = append(errs, customerBillable(st, p, next)...)
	}
	// Rules 6 and 7 look at the customer's assignments: they can be
	// evaluated whenever the customer is one of the partner's, whatever
	// rules 2-5 said (billing off, an owner taken), and are reported too, as
	// they would be if those held (docs/fidelity.md, "Every rule reported").
	_, customerKnown := st.Customer(p, next.CustomerID)
	if hasOwner && hasCustomer && hasPayer && customerKnown {
		errs = append(errs, customerPattern(st, p, current, next)...)
		errs = append(errs, linkedPayer(st, p, current, next)...)
	}
	return next, errs
}

// requiredFields is rule 1: all three fields are present on create.
func requiredFields(in AssignmentFields) []string {
	var errs []string
	if in.OwnerID == nil {
		errs = append(errs, "owner_id is required")
	}
	if in.CustomerID == nil {
		errs = append(errs, "customer_id is required")
	}
	if in.PayerAccountOwnerID == nil {
		errs = append(errs, "payer_account_owner_id is required")
	}
	return errs
}

// ownerIsPartnerAccount is rule 2: owner_id is one of the partner's AWS accounts.
func ownerIsPartnerAccount(st *state.State, p *state.Partner, next state.Assignment) []string {
	if _, ok := st.PartnerAccountByOwner(p, next.OwnerID); !ok {
		return []string{fmt.Sprintf("owner_id %q does not match an AWS account of the partner", next.OwnerID)}
	}
	return nil
}

// ownerUnassigned is rule 3: no other assignment of the partner has owner_id.
func ownerUnassigned(st *state.State, p *state.Partner, current *state.Assignment, next state.Assignment) []string {
	other, ok := st.AssignmentByOwner(p, next.OwnerID)
	if ok && (current == nil || other.ID != current.ID) {
		return []string{fmt.Sprintf("owner_id %q is already assigned by AWS account assignment %d", next.OwnerID, other.ID)}
	}
	return nil
}

// ownerInBillingFamily is rule 4: the partner's account belongs to another
// account's consolidated billing family.
func ownerInBillingFamily(st *state.State, p *state.Partner, next state.Assignment) []string {
	acct, ok := st.PartnerAccountByOwner(p, next.OwnerID)
	if !ok {
		return nil // rule 2 already says so
	}
	if acct.BillingFamilyOwnerID == "" || acct.BillingFamilyOwnerID == acct.OwnerID {
		return []string{fmt.Sprintf("owner_id %q does not belong to another account's consolidated billing family", next.OwnerID)}
	}
	return nil
}

// customerBillable is rule 5: customer_id is one of the partner's customers
// and has partner billing enabled.
func customerBillable(st *state.State, p *state.Partner, next state.Assignment) []string {
	c, ok := st.Customer(p, next.CustomerID)
	if !ok {
		return []string{fmt.Sprintf("customer_id %d does not match a customer of the partner", next.CustomerID)}
	}
	if !c.PartnerBilling.Enabled {
		return []string{fmt.Sprintf("customer_id %d does not have partner billing enabled (partner_billing_configuration.enabled is false)", next.CustomerID)}
	}
	return nil
}

// linkedPayer is rule 7: a linked assignment's payer is the owner of another
// self-paying assignment of the same customer, and both partner accounts are
// in the same consolidated billing family.
func linkedPayer(st *state.State, p *state.Partner, current *state.Assignment, next state.Assignment) []string {
	if next.SelfPaying() {
		return nil
	}
	payer, ok := st.AssignmentByOwner(p, next.PayerAccountOwnerID)
	if !ok || (current != nil && payer.ID == current.ID) || payer.CustomerID != next.CustomerID || !payer.SelfPaying() {
		return []string{fmt.Sprintf("payer_account_owner_id %q is not the owner_id of a consolidated AWS account assignment of customer %d",
			next.PayerAccountOwnerID, next.CustomerID)}
	}
	own, ownOK := st.PartnerAccountByOwner(p, next.OwnerID)
	payerAcct, payerOK := st.PartnerAccountByOwner(p, next.PayerAccountOwnerID)
	if !ownOK || !payerOK {
		return nil // rule 2 speaks for the owner; a payer with an assignment has an account
	}
	if own.BillingFamilyOwnerID == "" || own.BillingFamilyOwnerID != payerAcct.BillingFamilyOwnerID {
		return []string{fmt.Sprintf("owner_id %q and payer_account_owner_id %q do not belong to the same consolidated billing family",
			next.OwnerID, next.PayerAccountOwnerID)}
	}
	return nil
}
