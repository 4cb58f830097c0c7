package state

// AddAWSAccount stores a, assigning its id when zero. With a.CustomerID zero
// the account is one of the partner's own; otherwise it is the customer's.
func (s *State) AddAWSAccount(p *Partner, a *AWSAccount) {
	a.ID = s.nextID(&s.lastAWSAccountID, a.ID)
	a.PartnerID = p.ID
	setKey(s, s.awsAccounts, a.ID, a)
	if c, ok := s.customers[a.CustomerID]; ok && a.CustomerID != 0 {
		s.addID(c.awsAccountIDs, a.ID)
		if a.OwnerID != "" {
			setKey(s, c.awsAccountsByOwner, a.OwnerID, a.ID)
		}
		return
	}
	s.addID(p.awsAccountIDs, a.ID)
	if a.OwnerID != "" {
		setKey(s, p.awsAccountsByOwner, a.OwnerID, a.ID)
	}
	s.joinFamily(p, a)
}

func (s *State) joinFamily(p *Partner, a *AWSAccount) {
	if a.BillingFamilyOwnerID == "" {
		return
	}
	m := p.familyMembers[a.BillingFamilyOwnerID]
	if m == nil {
		m = map[int64]struct{}{}
		setKey(s, p.familyMembers, a.BillingFamilyOwnerID, m)
	}
	setKey(s, m, a.ID, struct{}{})
}

func (s *State) leaveFamily(p *Partner, a *AWSAccount) {
	if m := p.familyMembers[a.BillingFamilyOwnerID]; m != nil {
		deleteKey(s, m, a.ID)
		if len(m) == 0 {
			deleteKey(s, p.familyMembers, a.BillingFamilyOwnerID)
		}
	}
}

// FamilyMembers returns the partner's accounts whose billing family is
// headed by the owner id, in no particular order.
func (s *State) FamilyMembers(p *Partner, headOwnerID string) []*AWSAccount {
	m := p.familyMembers[headOwnerID]
	out := make([]*AWSAccount, 0, len(m))
	for id := range m {
		out = append(out, s.awsAccounts[id])
	}
	return out
}

// AWSAccount returns the account with the id, whoever owns it. Callers check
// that it belongs to the partner or customer they act for.
func (s *State) AWSAccount(id int64) (*AWSAccount, bool) {
	a, ok := s.awsAccounts[id]
	return a, ok
}

// byID returns the account an owner-id index names for the owner id.
func (s *State) byID(index map[string]int64, ownerID string) (*AWSAccount, bool) {
	id, ok := index[ownerID]
	if !ok {
		return nil, false
	}
	return s.awsAccounts[id], true
}

// PartnerAccountByOwner returns the partner's own AWS account with the owner id.
func (s *State) PartnerAccountByOwner(p *Partner, ownerID string) (*AWSAccount, bool) {
	return s.byID(p.awsAccountsByOwner, ownerID)
}

// CustomerAccountByOwner returns the customer's AWS account with the owner id.
func (s *State) CustomerAccountByOwner(c *Customer, ownerID string) (*AWSAccount, bool) {
	return s.byID(c.awsAccountsByOwner, ownerID)
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

// AWSAccountSettings are the fields of an AWS account that the client sets
// through the AWS account endpoints (the guide's account pages (https://apidocs.cloudhealthtech.com/)).
type AWSAccountSettings struct {
	Authentication     Authentication
	BillingBucket      string
	CostAndUsageReport CostAndUsageReport
	CloudTrail         CloudTrail
	CloudWatch         CloudWatch
	Tags               []Tag
	HidePublicFields   bool
	PrimaryAWSRegion   string
	AccountType        string
	StatusLevel        string
}

// Authentication is how CloudHealth reaches the AWS account: an IAM role
// (Protocol "assume_role") or an IAM user's access key ("access_key"). The
// secret key is never kept: the API never shows it.
type Authentication struct {
	Protocol             string
	AccessKey            string
	AssumeRoleARN        string
	AssumeRoleExternalID string
}

// CostAndUsageReport locates the account's AWS Cost and Usage Report.
type CostAndUsageReport struct {
	Bucket string
	Path   string
}

// CloudTrail says whether CloudTrail trails are collected, and from where.
type CloudTrail struct {
	Enabled bool
	Bucket  string
	Prefix  string
}

// CloudWatch says whether CloudWatch data is collected, from which
// namespaces and how often (hours).
type CloudWatch struct {
	Enabled    bool
	Namespaces string
	Runtime    int
}

// PartnerAccountsPage returns at most limit of the partner's own AWS
// accounts, ordered by id, from position offset.
func (s *State) PartnerAccountsPage(p *Partner, offset, limit int) []*AWSAccount {
	return s.accounts(p.awsAccountIDs.page(offset, limit))
}

// PartnerAccountCount returns how many AWS accounts the partner has.
func (s *State) PartnerAccountCount(p *Partner) int { return p.awsAccountIDs.len() }

// CustomerAccountsPage returns at most limit of the customer's AWS accounts,
// ordered by id, from position offset.
func (s *State) CustomerAccountsPage(c *Customer, offset, limit int) []*AWSAccount {
	return s.accounts(c.awsAccountIDs.page(offset, limit))
}

// CustomerAccountCount returns how many AWS accounts the customer has.
func (s *State) CustomerAccountCount(c *Customer) int { return c.awsAccountIDs.len() }

// ownerIndex returns the owner-id index the account is kept in: its
// customer's, or its partner's for a partner account.
func (s *State) ownerIndex(a *AWSAccount) map[string]int64 {
	if a.CustomerID != 0 {
		return s.customers[a.CustomerID].awsAccountsByOwner
	}
	return s.partners[a.PartnerID].awsAccountsByOwner
}

// ReplaceAWSAccount changes a's fields to those of next (all but the id, the
// partner and the customer) and keeps the owner-id index true. Callers have
// checked the rules (an owner id unused by the owner's other accounts).
func (s *State) ReplaceAWSAccount(a *AWSAccount, next AWSAccount) {
	idx := s.ownerIndex(a)
	if a.OwnerID != "" && idx[a.OwnerID] == a.ID {
		deleteKey(s, idx, a.OwnerID)
	}
	if a.CustomerID == 0 {
		s.leaveFamily(s.partners[a.PartnerID], a)
	}
	next.ID, next.PartnerID, next.CustomerID = a.ID, a.PartnerID, a.CustomerID
	keep(s, a)
	*a = next
	if a.OwnerID != "" {
		setKey(s, idx, a.OwnerID, a.ID)
	}
	if a.CustomerID == 0 {
		s.joinFamily(s.partners[a.PartnerID], a)
	}
}

// DeleteAWSAccount removes a from its partner or customer, with the price
// book account assignments that name it. Callers have checked that nothing
// else uses it.
func (s *State) DeleteAWSAccount(a *AWSAccount) {
	s.dropAccountPriceBooks(a.ID)
	idx := s.ownerIndex(a)
	if a.OwnerID != "" && idx[a.OwnerID] == a.ID {
		deleteKey(s, idx, a.OwnerID)
	}
	if a.CustomerID != 0 {
		s.removeID(s.customers[a.CustomerID].awsAccountIDs, a.ID)
	} else {
		s.removeID(s.partners[a.PartnerID].awsAccountIDs, a.ID)
		s.leaveFamily(s.partners[a.PartnerID], a)
	}
	deleteKey(s, s.awsAccounts, a.ID)
}
