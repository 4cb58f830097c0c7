package rules

import (
	"fmt"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The version 1 lock-out (the guide's introduction to the assignment API):
// once a customer has assignments made through version 2, version 1 can no
// longer assign, modify, read or delete its assignments. It is checked
// apart from rules 1-7, before them, and answers alone.

// LockedOut returns the lock-out message when the customer with the id is
// one of the partner's version 2 customers, else "".
func LockedOut(st *state.State, p *state.Partner, customerID int64) string {
	c, ok := st.Customer(p, customerID)
	if !ok || !c.V2() {
		return ""
	}
	return fmt.Sprintf("customer %d uses version 2 account assignments: use /v2/aws_account_assignments", c.ID)
}

// CheckV1LockOut checks a version 1 create (current nil) or update of
// current: neither the assignment's customer nor the customer it would move
// to may be a version 2 customer. It returns the messages (at most one per
// customer).
func CheckV1LockOut(st *state.State, p *state.Partner, current *state.Assignment, in AssignmentFields) []string {
	var errs []string
	if current != nil {
		if msg := LockedOut(st, p, current.CustomerID); msg != "" {
			errs = append(errs, msg)
		}
	}
	if in.CustomerID != nil && (current == nil || *in.CustomerID != current.CustomerID) {
		if msg := LockedOut(st, p, *in.CustomerID); msg != "" {
			errs = append(errs, msg)
		}
	}
	return errs
}
