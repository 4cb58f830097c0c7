package rules

import "github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"

// The per-item failure messages of the Azure assignment endpoints
// (docs/fidelity.md).
const (
	AzureNotFound          = "azure_customer_id not found"
	AzureAssignedElsewhere = "azure_customer_id already assigned to another customer"
	AzureNotAssignedHere   = "azure_customer_id not assigned to this customer"
)

// AzureAddFailure returns why azureCustomerID cannot be assigned to customer
// c of partner p, or "" when it can (including when it already is: adding is
// idempotent).
func AzureAddFailure(st *state.State, p *state.Partner, c *state.Customer, azureCustomerID string) string {
	a, ok := st.AzureAccount(p, azureCustomerID)
	switch {
	case !ok:
		return AzureNotFound
	case a.CustomerID != 0 && a.CustomerID != c.ID:
		return AzureAssignedElsewhere
	}
	return ""
}

// AzureRemoveFailure returns why azureCustomerID cannot be removed from
// customer c of partner p, or "" when it can.
func AzureRemoveFailure(st *state.State, p *state.Partner, c *state.Customer, azureCustomerID string) string {
	a, ok := st.AzureAccount(p, azureCustomerID)
	switch {
	case !ok:
		return AzureNotFound
	case a.CustomerID != c.ID:
		return AzureNotAssignedHere
	}
	return ""
}
