package state

// AddAWSAccount stores a, assigning its id when zero. With a.CustomerID zero
// the account is one of the partner's own; otherwise it is the customer's.
func (s *State) AddAWSAccount(p *Partner, a *AWSAccount) {
	a.ID = nextID(&s.lastAWSAccountID, a.ID)
	a.PartnerID = p.ID
	s.awsAccounts[a.ID] = a
	if c, ok := s.customers[a.CustomerID]; ok && a.CustomerID != 0 {
		c.awsAccountIDs.add(a.ID)
		if a.OwnerID != "" {
			c.awsAccountsByOwner[a.OwnerID] = a
		}
		return
	}
	p.awsAccountIDs.add(a.ID)
	if a.OwnerID != "" {
		p.awsAccountsByOwner[a.OwnerID] = a
	}
}

// AWSAccount returns the account with the id, whoever owns it. Callers check
// that it belongs to the partner or customer they act for.
func (s *State) AWSAccount(id int64) (*AWSAccount, bool) {
	a, ok := s.awsAccounts[id]
	return a, ok
}

// PartnerAccountByOwner returns the partner's own AWS account with the owner id.
func (s *State) PartnerAccountByOwner(p *Partner, ownerID string) (*AWSAccount, bool) {
	a, ok := p.awsAccountsByOwner[ownerID]
	return a, ok
}

// CustomerAccountByOwner returns the customer's AWS account with the owner id.
func (s *State) CustomerAccountByOwner(c *Customer, ownerID string) (*AWSAccount, bool) {
	a, ok := c.awsAccountsByOwner[ownerID]
	return a, ok
}

// PartnerAccounts returns the partner's own AWS accounts ordered by id.
func (s *State) PartnerAccounts(p *Partner) []*AWSAccount {
	return s.accounts(p.awsAccountIDs.all())
}

// CustomerAccounts returns the customer's AWS accounts ordered by id.
func (s *State) CustomerAccounts(c *Customer) []*AWSAccount {
	return s.accounts(c.awsAccountIDs.all())
}

func (s *State) accounts(ids []int64) []*AWSAccount {
	out := make([]*AWSAccount, len(ids))
	for i, id := range ids {
		out[i] = s.awsAccounts[id]
	}
	return out
}
