package state

// Sizes are how many entities of each kind a state is about to receive
// (a fixture document says so before it is built). They are hints: more
// entities than announced are stored as well, fewer leave room unused.
type Sizes struct {
	Customers   int
	AWSAccounts int // partner and customer accounts
	Assignments int
}

// Presize makes room in the empty state's collections for n, so that
// loading a large document does not grow (rehash) its maps step by step:
// at a million assignments the growth was a fifth of the build's CPU and
// left every outgrown table to the collector. Collections that already
// hold entities are left as they are, and so is a state being logged
// (undo.go: its undo steps hold its maps): presizing is for a state being
// built, as the fixture builder's.
func (s *State) Presize(n Sizes) {
	if s.undo != nil {
		return
	}
	if worthPresizing(len(s.customers), n.Customers) {
		s.customers = make(map[int64]*Customer, n.Customers)
		s.customersByAPIID = make(map[int64]*Customer, n.Customers)
	}
	if worthPresizing(len(s.awsAccounts), n.AWSAccounts) {
		s.awsAccounts = make(map[int64]*AWSAccount, n.AWSAccounts)
	}
	if worthPresizing(len(s.assignments), n.Assignments) {
		s.assignments = make(map[int64]*Assignment, n.Assignments)
	}
}

// worthPresizing reports whether a map about to receive hint entries is worth
// replacing by a presized one: only an empty map, and only for more entries
// than a map's first group holds (8).
func worthPresizing(n, hint int) bool { return n == 0 && hint > 8 }

// PartnerSizes are how many entities a partner just added (AddPartner) is
// about to receive.
type PartnerSizes struct {
	Customers   int
	AWSAccounts int // the partner's own accounts
	Assignments int
	// Families counts the partner's accounts by the billing family
	// (billing_family_owner_id) they name.
	Families map[string]int
}

// PresizePartner makes room for n in the indexes of p, a partner stored
// by AddPartner that holds nothing yet (indexes already in use are left
// as they are; so are those of a state being logged, as for Presize).
func (s *State) PresizePartner(p *Partner, n PartnerSizes) {
	if s.undo != nil {
		return
	}
	if worthPresizing(len(p.customersByName), n.Customers) {
		p.customersByName = make(map[string]*Customer, n.Customers)
	}
	if worthPresizing(len(p.awsAccountsByOwner), n.AWSAccounts) {
		p.awsAccountsByOwner = make(map[string]int64, n.AWSAccounts)
	}
	if worthPresizing(len(p.assignmentsByOwner), n.Assignments) {
		p.assignmentsByOwner = make(map[string]int64, n.Assignments)
	}
	if len(p.familyMembers) == 0 {
		for head, members := range n.Families {
			if worthPresizing(0, members) {
				p.familyMembers[head] = make(map[int64]struct{}, members)
			}
		}
	}
}

// PresizeCustomer makes room in the indexes of c, a customer stored by
// AddCustomer that holds nothing yet, for the given number of AWS accounts
// (its own and those its assignments will create) and of self-paying
// version 1 assignments (not on a state being logged, as for Presize).
func (s *State) PresizeCustomer(c *Customer, awsAccounts, selfPaying int) {
	if s.undo != nil {
		return
	}
	if worthPresizing(len(c.awsAccountsByOwner), awsAccounts) {
		c.awsAccountsByOwner = make(map[string]int64, awsAccounts)
	}
	if worthPresizing(len(c.selfPayers), selfPaying) {
		c.selfPayers = make(map[string]struct{}, selfPaying)
	}
}
