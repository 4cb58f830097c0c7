package state

// AddCustomer stores c under its partner, assigning its id and client_api_id
// when zero. The name and ids must be unused (callers check).
func (s *State) AddCustomer(p *Partner, c *Customer) {
	c.ID = nextID(&s.lastCustomerID, c.ID)
	c.ClientAPIID = nextID(&s.lastClientAPIID, c.ClientAPIID)
	c.PartnerID = p.ID
	c.awsAccountIDs = newIDSet()
	c.awsAccountsByOwner = map[string]*AWSAccount{}
	c.assignmentIDs = newIDSet()
	c.selfPayers = map[string]struct{}{}
	c.linkedByPayer = map[string]int{}
	c.linkageIDs = newIDSet()
	s.customers[c.ID] = c
	s.customersByAPIID[c.ClientAPIID] = c
	p.customerIDs.add(c.ID)
	p.customersByName[c.Name] = c
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
