package state

// AddCustomer stores c under its partner, assigning its id and client_api_id
// when zero. The name and ids must be unused (callers check). A client_api_id
// defaults to the customer's id when no customer has that value as its
// client_api_id, else to one above the largest ever given (docs/fidelity.md,
// "client_api_id").
func (s *State) AddCustomer(p *Partner, c *Customer) {
	c.ID = s.nextID(&s.lastCustomerID, c.ID)
	if _, taken := s.customersByAPIID[c.ID]; c.ClientAPIID == 0 && !taken {
		c.ClientAPIID = c.ID
	}
	c.ClientAPIID = s.nextID(&s.lastClientAPIID, c.ClientAPIID)
	c.PartnerID = p.ID
	c.awsAccountIDs = newIDSet()
	c.awsAccountsByOwner = map[string]int64{}
	c.assignmentIDs = newIDSet()
	c.selfPayers = map[string]struct{}{}
	c.linkedByPayer = map[string]int{}
	c.linkageIDs = newIDSet()
	setKey(s, s.customers, c.ID, c)
	setKey(s, s.customersByAPIID, c.ClientAPIID, c)
	s.addID(p.customerIDs, c.ID)
	setKey(s, p.customersByName, c.Name, c)
}

// Customer returns the partner's customer with the id; another partner's
// customer is not found.
func (s *State) Customer(p *Partner, id int64) (*Customer, bool) {
	c, ok := s.customers[id]
	if !ok || c.PartnerID != p.ID {
		return nil, false
	}
	return c, true
}

// CustomerByClientAPIID returns the partner's customer with the client_api_id.
func (s *State) CustomerByClientAPIID(p *Partner, clientAPIID int64) (*Customer, bool) {
	c, ok := s.customersByAPIID[clientAPIID]
	if !ok || c.PartnerID != p.ID {
		return nil, false
	}
	return c, true
}

// CustomerByName returns the partner's customer with the name.
func (s *State) CustomerByName(p *Partner, name string) (*Customer, bool) {
	c, ok := p.customersByName[name]
	return c, ok
}

// Customers returns the partner's customers ordered by id.
func (s *State) Customers(p *Partner) []*Customer {
	return s.CustomersPage(p, 0, p.customerIDs.len())
}

// CustomersPage returns at most limit of the partner's customers, ordered by
// id, from position offset.
func (s *State) CustomersPage(p *Partner, offset, limit int) []*Customer {
	ids := p.customerIDs.page(offset, limit)
	out := make([]*Customer, len(ids))
	for i, id := range ids {
		out[i] = s.customers[id]
	}
	return out
}

// CustomerCount returns how many customers the partner has.
func (s *State) CustomerCount(p *Partner) int { return p.customerIDs.len() }

// ReplaceCustomer changes c's own fields to those of next (all but the ids
// and the partner) and keeps the name index true. Callers have checked the
// rules (a name unused by the partner's other customers).
func (s *State) ReplaceCustomer(c *Customer, next Customer) {
	p := s.partners[c.PartnerID]
	deleteKey(s, p.customersByName, c.Name)
	keep(s, c)
	c.Name = next.Name
	c.PartnerBilling = next.PartnerBilling
	c.Address = next.Address
	c.Classification = next.Classification
	c.TrialExpiration = next.TrialExpiration
	c.BillingContact = next.BillingContact
	c.Tags = next.Tags
	c.MarginPercentage = next.MarginPercentage
	c.GeneratedExternalID = next.GeneratedExternalID
	c.CreatedAt, c.UpdatedAt = next.CreatedAt, next.UpdatedAt
	setKey(s, p.customersByName, c.Name, c)
}

// DeleteCustomer removes c with everything that is its: its statements, its
// price book assignment with the account assignments applying it, its AWS
// account assignments, its GovCloud linkages and its own AWS accounts; the Azure
// accounts assigned to it become unassigned. It uses the customer's own
// indexes only, never a scan of the partner's assignments.
func (s *State) DeleteCustomer(c *Customer) {
	p := s.partners[c.PartnerID]
	s.dropCustomerBilling(c)
	for _, a := range s.CustomerAssignments(c) {
		s.DeleteAssignment(a)
	}
	for _, l := range s.Linkages(c) {
		s.dropLinkage(l)
	}
	for _, a := range s.CustomerAccounts(c) {
		s.DeleteAWSAccount(a)
	}
	for _, a := range s.CustomerAzureAccounts(c) {
		s.AssignAzureAccount(a, nil)
	}
	s.removeID(p.customerIDs, c.ID)
	deleteKey(s, p.customersByName, c.Name)
	deleteKey(s, s.customersByAPIID, c.ClientAPIID)
	deleteKey(s, s.customers, c.ID)
}

// dropLinkage removes l and frees both its accounts.
func (s *State) dropLinkage(l *GovcloudLinkage) {
	if s.linkageByAccount[l.GovcloudAcctID] == l {
		deleteKey(s, s.linkageByAccount, l.GovcloudAcctID)
	}
	if s.linkageByAccount[l.CommercialAcctID] == l {
		deleteKey(s, s.linkageByAccount, l.CommercialAcctID)
	}
	if c, ok := s.customers[l.CustomerID]; ok {
		s.removeID(c.linkageIDs, l.ID)
	}
	deleteKey(s, s.linkages, l.ID)
}
