package state

import "time"

// Partner is a tenant of the API: it holds API keys, its own AWS accounts, its
// Azure partner customer accounts and its customers. Nothing of one partner is
// visible to another.
type Partner struct {
	ID      int64
	Name    string
	APIKeys []string
	// GeneratedExternalID is the partner's own external id (fixtures may
	// set it; empty: derived from the id when shown).
	GeneratedExternalID string

	customerIDs     idSet
	customersByName map[string]*Customer
	awsAccountIDs   idSet
	// awsAccountsByOwner, familyMembers and assignmentsByOwner hold ids,
	// not pointers: a clone copies them whole (maps.Clone), with nothing
	// to remap.
	awsAccountsByOwner map[string]int64
	// familyMembers holds, by the owner id of a billing family's payer, the
	// partner's accounts that name it as billing_family_owner_id.
	familyMembers      map[string]map[int64]struct{}
	assignmentIDs      idSet
	assignmentsByOwner map[string]int64
	azureAccounts      map[string]*AzureAccount
	azureOrder         []*AzureAccount
	// v1Assignments holds the ids of the assignments of the partner's
	// version 1 customers (blocks.go).
	v1Assignments idSet
}

// PartnerBillingConfiguration says whether a customer receives partner
// generated bills; AWS account assignments require Enabled.
type PartnerBillingConfiguration struct {
	Enabled bool
	Folder  string
}

// Address is a customer's mailing address.
type Address struct {
	Street1 string
	Street2 string
	City    string
	State   string
	Zipcode string
	Country string
}

// Tag is a key-value pair attached to a customer or an account.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Customer is a partner customer tenant. ClientAPIID is how the partner names
// it on the Azure and GovCloud endpoints; ID is how assignments name it.
type Customer struct {
	ID                  int64
	PartnerID           int64
	ClientAPIID         int64
	Name                string
	PartnerBilling      PartnerBillingConfiguration
	Address             Address
	Classification      string
	TrialExpiration     string
	BillingContact      string
	Tags                []Tag
	MarginPercentage    float64
	GeneratedExternalID string
	CreatedAt           time.Time
	UpdatedAt           time.Time

	awsAccountIDs idSet
	// awsAccountsByOwner holds ids (a clone copies it whole).
	awsAccountsByOwner map[string]int64
	assignmentIDs      idSet
	// selfPayers holds the owner ids of the customer's assignments whose payer
	// is themselves (standalone or consolidated); linkedByPayer counts the
	// other assignments by the payer they name. Together they decide rule 6
	// without a scan of the customer's assignments.
	selfPayers    map[string]struct{}
	linkedByPayer map[string]int
	linkageIDs    idSet
	// v2 is set by the customer's first version 2 create; blocks are its
	// billing blocks (blocks.go).
	v2     bool
	blocks *blockIndex
}

// AWSAccount is an AWS account known to CloudHealth: either one of a
// partner's own accounts (CustomerID 0), which assignments refer to by
// OwnerID, or one of a customer's accounts, which GovCloud linkages refer to
// by ID. Both kinds share one id space.
type AWSAccount struct {
	ID         int64
	PartnerID  int64
	CustomerID int64
	// OwnerID is the 12-digit AWS account id; empty while unknown.
	OwnerID string
	Name    string
	// BillingFamilyOwnerID is the owner id of the consolidated billing
	// family's payer this account belongs to, or empty.
	BillingFamilyOwnerID string
	IsGovcloud           bool
	// Settings are what the client configures through the AWS account
	// endpoints (authentication, buckets, CloudTrail, CloudWatch, tags, ...),
	// nil while the account has none (most accounts: a fixture's, and every
	// customer account an assignment makes). A stored account's settings are
	// never changed in place, only replaced whole (ReplaceAWSAccount), so
	// that a clone shares them: copy the value, change the copy, point the
	// next account at it.
	Settings  *AWSAccountSettings
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SettingsValue returns a copy of the account's settings: the zero value
// when it has none.
func (a *AWSAccount) SettingsValue() AWSAccountSettings {
	if a.Settings == nil {
		return AWSAccountSettings{}
	}
	return *a.Settings
}

// Assignment is an AWS account assignment: the partner's account OwnerID
// billed to the customer CustomerID through PayerAccountOwnerID. One created
// through version 2 belongs to a billing Block of its customer; one created
// through version 1 to none.
type Assignment struct {
	ID                  int64
	PartnerID           int64
	CustomerID          int64
	OwnerID             string
	PayerAccountOwnerID string
	Block               *Block
}

// SelfPaying reports whether the assignment pays for itself (standalone or
// consolidated) rather than being linked to another assignment's account.
func (a *Assignment) SelfPaying() bool { return a.OwnerID == a.PayerAccountOwnerID }

// AzureAccount is one of a partner's Azure partner customer accounts, assigned
// to at most one of its customers (CustomerID 0 when unassigned).
type AzureAccount struct {
	PartnerID       int64
	AzureCustomerID string
	Name            string
	Domain          string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	CustomerID      int64
}

// GovcloudLinkage joins a customer's GovCloud asset account with one of its
// commercial accounts.
type GovcloudLinkage struct {
	ID               int64
	CustomerID       int64
	GovcloudAcctID   int64
	CommercialAcctID int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}
