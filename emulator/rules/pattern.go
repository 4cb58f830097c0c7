package rules

import (
	"fmt"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// customerPattern is rule 6: after the change, each customer it touches has
// either only self-paying (standalone) assignments, or exactly one
// self-paying (consolidated) assignment with every other one linked to it.
// A change that moves an assignment to another customer is checked for both.
func customerPattern(st *state.State, p *state.Partner, current *state.Assignment, next state.Assignment) []string {
	var errs []string
	if msg := patternAfter(st, p, next.CustomerID, current, &next); msg != "" {
		errs = append(errs, msg)
	}
	if current != nil && current.CustomerID != next.CustomerID {
		if msg := patternAfter(st, p, current.CustomerID, current, nil); msg != "" {
			errs = append(errs, msg)
		}
	}
	return errs
}

// patternAfter describes how customer customerID's assignments break rule 6
// once removed leaves them (when it is the customer's) and added joins them,
// or returns "" when they follow a pattern. It costs O(1): it reads the
// customer's Shape and adjusts it for the change.
func patternAfter(st *state.State, p *state.Partner, customerID int64, removed *state.Assignment, added *state.Assignment) string {
	c, ok := st.Customer(p, customerID)
	if !ok {
		return ""
	}
	shape := st.AssignmentShape(c)
	selfCount := len(shape.SelfPaying)
	linkedPayers := len(shape.LinkedByPayer)
	if removed != nil && removed.CustomerID == customerID {
		if removed.SelfPaying() {
			selfCount--
		} else if shape.LinkedByPayer[removed.PayerAccountOwnerID] == 1 {
			linkedPayers--
		}
	}
	if added != nil {
		if added.SelfPaying() {
			selfCount++
		} else if !linkedTo(shape, removed, customerID, added.PayerAccountOwnerID) {
			linkedPayers++
		}
	}
	if linkedPayers == 0 {
		return "" // all standalone
	}
	if linkedPayers > 1 || selfCount != 1 {
		return fmt.Sprintf("customer_id %d: the assignments would be neither all standalone nor one consolidated account with every other one linked to it", customerID)
	}
	// One consolidated candidate and one payer named by the linked ones:
	// they must be the same account.
	consolidated := onlySelfPayer(shape, removed, added, customerID)
	payer := onlyLinkedPayer(shape, removed, added, customerID)
	if consolidated != payer {
		return fmt.Sprintf("customer_id %d: linked assignments must name the consolidated account %q as payer, not %q", customerID, consolidated, payer)
	}
	return ""
}

// linkedTo reports whether, after removed leaves, some linked assignment of
// the customer still names payer.
func linkedTo(shape state.Shape, removed *state.Assignment, customerID int64, payer string) bool {
	n := shape.LinkedByPayer[payer]
	if removed != nil && removed.CustomerID == customerID && !removed.SelfPaying() && removed.PayerAccountOwnerID == payer {
		n--
	}
	return n > 0
}

// onlySelfPayer returns the owner id of the single self-paying assignment
// left after the change. The caller knows there is exactly one, so the maps
// it walks hold at most two entries.
func onlySelfPayer(shape state.Shape, removed, added *state.Assignment, customerID int64) string {
	if added != nil && added.SelfPaying() {
		return added.OwnerID
	}
	for owner := range shape.SelfPaying {
		if removed != nil && removed.CustomerID == customerID && removed.SelfPaying() && removed.OwnerID == owner {
			continue
		}
		return owner
	}
	return ""
}

// onlyLinkedPayer returns the single payer named by linked assignments after
// the change.
func onlyLinkedPayer(shape state.Shape, removed, added *state.Assignment, customerID int64) string {
	if added != nil && !added.SelfPaying() {
		return added.PayerAccountOwnerID
	}
	for payer := range shape.LinkedByPayer {
		if linkedTo(shape, removed, customerID, payer) {
			return payer
		}
	}
	return ""
}

// CheckAssignmentDelete checks that deleting a leaves its customer's
// assignments in a pattern: a consolidated assignment that linked ones still
// name as payer cannot go.
func CheckAssignmentDelete(st *state.State, a *state.Assignment) []string {
	c, ok := st.Customer(mustPartner(st, a.PartnerID), a.CustomerID)
	if !ok || !a.SelfPaying() {
		return nil
	}
	if n := st.AssignmentShape(c).LinkedByPayer[a.OwnerID]; n > 0 {
		return []string{fmt.Sprintf("AWS account assignment %d is the consolidated account %q of customer %d: %d linked assignment(s) still name it as payer_account_owner_id",
			a.ID, a.OwnerID, a.CustomerID, n)}
	}
	return nil
}

func mustPartner(st *state.State, id int64) *state.Partner {
	p, _ := st.Partner(id)
	return p
}
