package state

import "time"

// AddAssignment stores a under its partner and customer, assigning its id when
// zero. Callers have checked the rules.
func (s *State) AddAssignment(a *Assignment) {
	a.ID = s.nextID(&s.lastAssignmentID, a.ID)
	if a.SelfPaying() {
		a.PayerAccountOwnerID = a.OwnerID // share one string
	}
	setKey(s, s.assignments, a.ID, a)
	p := s.partners[a.PartnerID]
	s.addID(p.assignmentIDs, a.ID)
	setKey(s, p.assignmentsByOwner, a.OwnerID, a.ID)
	s.indexUnderCustomer(a)
	if !s.customers[a.CustomerID].v2 {
		s.addID(s.v1AssignmentIDsForWrite(p), a.ID)
	}
}

// ReplaceAssignment changes a's fields to those of next (all but the id), and
// keeps every index true. Callers have checked the rules.
func (s *State) ReplaceAssignment(a *Assignment, next Assignment) {
	p := s.partners[a.PartnerID]
	s.unindexUnderCustomer(a)
	deleteKey(s, p.assignmentsByOwner, a.OwnerID)
	s.removeID(s.v1AssignmentIDsForWrite(p), a.ID)
	keep(s, a)
	a.OwnerID, a.CustomerID, a.PayerAccountOwnerID = next.OwnerID, next.CustomerID, next.PayerAccountOwnerID
	if a.SelfPaying() {
		a.PayerAccountOwnerID = a.OwnerID
	}
	setKey(s, p.assignmentsByOwner, a.OwnerID, a.ID)
	s.indexUnderCustomer(a)
	if !s.customers[a.CustomerID].v2 {
		s.addID(s.v1AssignmentIDsForWrite(p), a.ID)
	}
}

// DeleteAssignment removes a. The customer's AWS account stays.
func (s *State) DeleteAssignment(a *Assignment) {
	p := s.partners[a.PartnerID]
	s.unindexUnderCustomer(a)
	deleteKey(s, p.assignmentsByOwner, a.OwnerID)
	s.removeID(p.assignmentIDs, a.ID)
	s.removeID(s.v1AssignmentIDsForWrite(p), a.ID)
	deleteKey(s, s.assignments, a.ID)
}

func (s *State) indexUnderCustomer(a *Assignment) {
	c := s.customers[a.CustomerID]
	s.addID(c.assignmentIDs, a.ID)
	if a.Block != nil { // version 2: the block, not rule 6's shape
		s.joinBlock(a)
		return
	}
	if a.SelfPaying() {
		setKey(s, c.selfPayers, a.OwnerID, struct{}{})
	} else {
		setKey(s, c.linkedByPayer, a.PayerAccountOwnerID, c.linkedByPayer[a.PayerAccountOwnerID]+1)
	}
}

func (s *State) unindexUnderCustomer(a *Assignment) {
	c := s.customers[a.CustomerID]
	s.removeID(c.assignmentIDs, a.ID)
	if a.Block != nil {
		s.leaveBlock(a)
		return
	}
	if a.SelfPaying() {
		deleteKey(s, c.selfPayers, a.OwnerID)
		return
	}
	if n := c.linkedByPayer[a.PayerAccountOwnerID] - 1; n > 0 {
		setKey(s, c.linkedByPayer, a.PayerAccountOwnerID, n)
	} else {
		deleteKey(s, c.linkedByPayer, a.PayerAccountOwnerID)
	}
}

// Assignment returns the partner's assignment with the id.
func (s *State) Assignment(p *Partner, id int64) (*Assignment, bool) {
	a, ok := s.assignments[id]
	if !ok || a.PartnerID != p.ID {
		return nil, false
	}
	return a, true
}

// AssignmentByOwner returns the partner's assignment of the owner id.
func (s *State) AssignmentByOwner(p *Partner, ownerID string) (*Assignment, bool) {
	id, ok := p.assignmentsByOwner[ownerID]
	if !ok {
		return nil, false
	}
	return s.assignments[id], true
}

// AssignmentsPage returns at most limit of the partner's assignments, ordered
// by id, from position offset.
func (s *State) AssignmentsPage(p *Partner, offset, limit int) []*Assignment {
	ids := p.assignmentIDs.page(offset, limit)
	out := make([]*Assignment, len(ids))
	for i, id := range ids {
		out[i] = s.assignments[id]
	}
	return out
}

// AssignmentCount returns how many assignments the partner has.
func (s *State) AssignmentCount(p *Partner) int { return p.assignmentIDs.len() }

// CustomerAssignments returns the customer's assignments ordered by id.
func (s *State) CustomerAssignments(c *Customer) []*Assignment {
	ids := c.assignmentIDs.all()
	out := make([]*Assignment, len(ids))
	for i, id := range ids {
		out[i] = s.assignments[id]
	}
	return out
}

// Shape summarises a customer's version 1 assignments (those in no block) for rule 6 without listing them:
// which owner ids pay for themselves, and how many linked assignments name
// each payer.
type Shape struct {
	// SelfPaying holds the owner ids of the self-paying assignments.
	SelfPaying map[string]struct{}
	// LinkedByPayer counts the linked assignments by the payer they name.
	LinkedByPayer map[string]int
}

// AssignmentShape returns the customer's Shape. The maps are the state's own:
// read them, never change them.
func (s *State) AssignmentShape(c *Customer) Shape {
	return Shape{SelfPaying: c.selfPayers, LinkedByPayer: c.linkedByPayer}
}

// CreateAssignment stores a new assignment and, as CloudHealth does, creates
// the AWS account in the customer's own CloudHealth account when the customer
// has none with that owner id (named after the partner's account).
func (s *State) CreateAssignment(a *Assignment, now time.Time) {
	s.AddAssignment(a)
	s.ensureCustomerAccount(a, now)
}

// UpdateAssignment changes a to next and, like CreateAssignment, makes sure
// the (possibly new) customer has the AWS account.
func (s *State) UpdateAssignment(a *Assignment, next Assignment, now time.Time) {
	s.ReplaceAssignment(a, next)
	s.ensureCustomerAccount(a, now)
}

func (s *State) ensureCustomerAccount(a *Assignment, now time.Time) {
	c := s.customers[a.CustomerID]
	if _, ok := c.awsAccountsByOwner[a.OwnerID]; ok {
		return
	}
	p := s.partners[a.PartnerID]
	name := a.OwnerID
	if pa, ok := s.PartnerAccountByOwner(p, a.OwnerID); ok {
		name = pa.Name
	}
	s.AddAWSAccount(p, &AWSAccount{CustomerID: c.ID, OwnerID: a.OwnerID, Name: name, CreatedAt: now, UpdatedAt: now})
}
