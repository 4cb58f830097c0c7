package state

// Lookups across every partner, for the journal's diagnostics only (why a
// request was answered 404, shown on the control side): an API request never
// sees another partner's entities.

// AnyCustomer returns the customer with the id, whichever partner owns it.
func (s *State) AnyCustomer(id int64) (*Customer, bool) {
	c, ok := s.customers[id]
	return c, ok
}

// AnyCustomerByClientAPIID returns the customer with the client_api_id,
// whichever partner owns it.
func (s *State) AnyCustomerByClientAPIID(clientAPIID int64) (*Customer, bool) {
	c, ok := s.customersByAPIID[clientAPIID]
	return c, ok
}

// AnyAssignment returns the assignment with the id, whichever partner owns it.
func (s *State) AnyAssignment(id int64) (*Assignment, bool) {
	a, ok := s.assignments[id]
	return a, ok
}

// AnyLinkage returns the GovCloud linkage with the id, whichever customer
// owns it.
func (s *State) AnyLinkage(id int64) (*GovcloudLinkage, bool) {
	l, ok := s.linkages[id]
	return l, ok
}
