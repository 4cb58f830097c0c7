package state

// AddAzureAccount stores one of the partner's Azure partner customer accounts.
// Its azure_customer_id must be unused within the partner.
func (s *State) AddAzureAccount(p *Partner, a *AzureAccount) {
	a.PartnerID = p.ID
	setKey(s, p.azureAccounts, a.AzureCustomerID, a)
	keep(s, &p.azureOrder)
	p.azureOrder = append(p.azureOrder, a)
}

// AzureAccount returns the partner's Azure account with the azure_customer_id.
func (s *State) AzureAccount(p *Partner, azureCustomerID string) (*AzureAccount, bool) {
	a, ok := p.azureAccounts[azureCustomerID]
	return a, ok
}

// AzureAccounts returns the partner's Azure accounts in the order they were
// added (fixture order).
func (s *State) AzureAccounts(p *Partner) []*AzureAccount { return p.azureOrder }

// AssignAzureAccount assigns a to customer c; with c nil it unassigns it. The
// account's timestamps do not change.
func (s *State) AssignAzureAccount(a *AzureAccount, c *Customer) {
	keep(s, a)
	if c == nil {
		a.CustomerID = 0
		return
	}
	a.CustomerID = c.ID
}

// AssignedAzureAccounts returns the partner's Azure accounts that are assigned
// to one of its customers, in the partner's order.
func (s *State) AssignedAzureAccounts(p *Partner) []*AzureAccount {
	var out []*AzureAccount
	for _, a := range p.azureOrder {
		if a.CustomerID != 0 {
			out = append(out, a)
		}
	}
	return out
}

// CustomerAzureAccounts returns the Azure accounts assigned to customer c, in
// its partner's order.
func (s *State) CustomerAzureAccounts(c *Customer) []*AzureAccount {
	var out []*AzureAccount
	for _, a := range s.partners[c.PartnerID].azureOrder {
		if a.CustomerID == c.ID {
			out = append(out, a)
		}
	}
	return out
}
