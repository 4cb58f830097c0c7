package state

import "time"

// AddLinkage stores l under its customer, assigning its id when zero.
// Callers have checked the rules.
func (s *State) AddLinkage(l *GovcloudLinkage) {
	l.ID = s.nextID(&s.lastLinkageID, l.ID)
	setKey(s, s.linkages, l.ID, l)
	s.addID(s.customers[l.CustomerID].linkageIDs, l.ID)
	setKey(s, s.linkageByAccount, l.GovcloudAcctID, l)
	setKey(s, s.linkageByAccount, l.CommercialAcctID, l)
}

// ReplaceLinkage points l at other accounts and sets its updated_at.
func (s *State) ReplaceLinkage(l *GovcloudLinkage, next GovcloudLinkage) {
	deleteKey(s, s.linkageByAccount, l.GovcloudAcctID)
	deleteKey(s, s.linkageByAccount, l.CommercialAcctID)
	keep(s, l)
	l.GovcloudAcctID, l.CommercialAcctID, l.UpdatedAt = next.GovcloudAcctID, next.CommercialAcctID, next.UpdatedAt
	setKey(s, s.linkageByAccount, l.GovcloudAcctID, l)
	setKey(s, s.linkageByAccount, l.CommercialAcctID, l)
}

// Linkage returns the customer's linkage with the id; another customer's
// linkage is not found.
func (s *State) Linkage(c *Customer, id int64) (*GovcloudLinkage, bool) {
	l, ok := s.linkages[id]
	if !ok || l.CustomerID != c.ID {
		return nil, false
	}
	return l, true
}

// LinkageOfAccount returns the linkage that uses the AWS account, on either side.
func (s *State) LinkageOfAccount(accountID int64) (*GovcloudLinkage, bool) {
	l, ok := s.linkageByAccount[accountID]
	return l, ok
}

// Linkages returns the customer's linkages ordered by id.
func (s *State) Linkages(c *Customer) []*GovcloudLinkage {
	ids := c.linkageIDs.all()
	out := make([]*GovcloudLinkage, len(ids))
	for i, id := range ids {
		out[i] = s.linkages[id]
	}
	return out
}

// CreateLinkage stores a new linkage created at now (both timestamps).
// Callers have checked the rules.
func (s *State) CreateLinkage(l *GovcloudLinkage, now time.Time) {
	l.CreatedAt, l.UpdatedAt = now, now
	s.AddLinkage(l)
}

// UpdateLinkage points l at the accounts of next. As Rails does, updated_at
// moves to now only when an account actually changes; created_at never
// does. Callers have checked the rules.
func (s *State) UpdateLinkage(l *GovcloudLinkage, next GovcloudLinkage, now time.Time) {
	if next.GovcloudAcctID == l.GovcloudAcctID && next.CommercialAcctID == l.CommercialAcctID {
		return
	}
	next.UpdatedAt = now
	s.ReplaceLinkage(l, next)
}
