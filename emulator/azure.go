package emulator

import (
	"fmt"
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// azureHandlers serves the Azure partner customer account assignment
// operations (docs/fidelity.md).
var azureHandlers = map[string]handler{
	"addAzurePartnerCustomerAccounts":          (*Server).addAzureAccounts,
	"removeAzurePartnerCustomerAccounts":       (*Server).removeAzureAccounts,
	"listAzurePartnerCustomerAccounts":         (*Server).listAzureAccounts,
	"listCustomerAzurePartnerCustomerAccounts": (*Server).listCustomerAzureAccounts,
}

// azureAccountJSON is an Azure partner customer account on the wire.
type azureAccountJSON struct {
	Name            string `json:"name"`
	Domain          string `json:"domain"`
	AzureCustomerID string `json:"azure_customer_id"`
	CreatedAt       string `json:"created_at"`
	UpdatedAt       string `json:"updated_at"`
}

func toAzureAccountJSON(a *state.AzureAccount) azureAccountJSON {
	return azureAccountJSON{Name: a.Name, Domain: a.Domain, AzureCustomerID: a.AzureCustomerID,
		CreatedAt: fixture.Timestamp(a.CreatedAt), UpdatedAt: fixture.Timestamp(a.UpdatedAt)}
}

// azureAssignmentJSON is an account with the customer it is (or would be)
// assigned to: a success item of an add, and an item of either list.
type azureAssignmentJSON struct {
	CustomerTenantName string           `json:"customer_tenant_name"`
	Account            azureAccountJSON `json:"azure_partner_customer_account"`
}

// azureRemovalJSON is a success item of a remove: the account only.
type azureRemovalJSON struct {
	Account azureAccountJSON `json:"azure_partner_customer_account"`
}

// azureFailureJSON is the item of a requested id that failed.
type azureFailureJSON struct {
	HTTPStatus      int    `json:"http_status"`
	Error           string `json:"error"`
	AzureCustomerID string `json:"azure_customer_id"`
}

// azureItemsJSON is the body of every Azure assignment response: the items
// of an add or remove (success or failure, one per requested id), or of a list.
type azureItemsJSON struct {
	Items []any `json:"azure_partner_customer_accounts"`
}

// azureRequest is the body of an add or a remove; other fields are ignored.
type azureRequest struct {
	AzureCustomerIDs []string `json:"azure_customer_ids"`
}

// azureCustomer returns the partner's customer named by the request's
// client_api_id path parameter, or a 404.
func azureCustomer(st *state.State, p *state.Partner, rq *call) (*state.Customer, error) {
	return customerByClientAPIID(st, p, rq.vars["client_api_id"])
}

// azureChange is what an add and a remove differ in: why an id fails, what
// it is assigned to on success (nil: nobody), and its success item.
type azureChange struct {
	failure func(st *state.State, p *state.Partner, c *state.Customer, azureCustomerID string) string
	target  func(c *state.Customer) *state.Customer
	success func(c *state.Customer, a *state.AzureAccount) any
}

// addAzureAccounts: PUT /v1/azure_partner_customer_accounts/add/{client_api_id} -> 207.
func (s *Server) addAzureAccounts(rq *call) {
	s.changeAzureAccounts(rq, azureChange{
		failure: rules.AzureAddFailure,
		target:  func(c *state.Customer) *state.Customer { return c },
		success: func(c *state.Customer, a *state.AzureAccount) any {
			return azureAssignmentJSON{CustomerTenantName: c.Name, Account: toAzureAccountJSON(a)}
		},
	})
}

// removeAzureAccounts: PUT /v1/azure_partner_customer_accounts/remove/{client_api_id} -> 207.
func (s *Server) removeAzureAccounts(rq *call) {
	s.changeAzureAccounts(rq, azureChange{
		failure: rules.AzureRemoveFailure,
		target:  func(*state.Customer) *state.Customer { return nil },
		success: func(_ *state.Customer, a *state.AzureAccount) any {
			return azureRemovalJSON{Account: toAzureAccountJSON(a)}
		},
	})
}

// changeAzureAccounts answers an add or a remove: the client_api_id first
// (404), then the body (422), then one item per requested id in request
// order. All or nothing: the change is applied only when no item failed;
// otherwise nothing changes, though the would-be successes are still listed.
func (s *Server) changeAzureAccounts(rq *call, change azureChange) {
	find := func(st *state.State, p *state.Partner) (*state.Customer, error) { return azureCustomer(st, p, rq) }
	serveChange(s, rq, http.StatusMultiStatus, exists(find), func(st *state.State, p *state.Partner, req azureRequest) (azureItemsJSON, error) {
		c, err := find(st, p)
		if err != nil {
			return azureItemsJSON{}, err
		}
		out := azureItemsJSON{Items: make([]any, 0, len(req.AzureCustomerIDs))}
		var accounts []*state.AzureAccount
		for _, id := range req.AzureCustomerIDs {
			if msg := change.failure(st, p, c, id); msg != "" {
				out.Items = append(out.Items, azureFailureJSON{HTTPStatus: http.StatusUnprocessableEntity, Error: msg, AzureCustomerID: id})
				continue
			}
			a, _ := st.AzureAccount(p, id)
			accounts = append(accounts, a)
			out.Items = append(out.Items, change.success(c, a))
		}
		if len(accounts) < len(req.AzureCustomerIDs) {
			return out, nil // an item failed: nothing of the request is applied
		}
		for _, a := range accounts {
			st.AssignAzureAccount(a, change.target(c))
		}
		return out, nil
	}, nil)
}

// listAzureAccounts: GET /v1/azure_partner_customer_accounts/list, every
// assigned account of the partner in the partner's order.
func (s *Server) listAzureAccounts(rq *call) {
	s.listAzure(rq, func(st *state.State, p *state.Partner) ([]*state.AzureAccount, error) {
		return st.AssignedAzureAccounts(p), nil
	})
}

// listCustomerAzureAccounts: GET /v1/azure_partner_customer_accounts/list/{client_api_id}.
func (s *Server) listCustomerAzureAccounts(rq *call) {
	s.listAzure(rq, func(st *state.State, p *state.Partner) ([]*state.AzureAccount, error) {
		c, err := azureCustomer(st, p, rq)
		if err != nil {
			return nil, err
		}
		return st.CustomerAzureAccounts(c), nil
	})
}

// listAzure writes the accounts that pick returns, each with the customer it
// is assigned to.
func (s *Server) listAzure(rq *call, pick func(*state.State, *state.Partner) ([]*state.AzureAccount, error)) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (azureItemsJSON, error) {
		out := azureItemsJSON{Items: []any{}}
		accounts, err := pick(st, p)
		if err != nil {
			return out, err
		}
		for _, a := range accounts {
			c, ok := st.Customer(p, a.CustomerID)
			if !ok { // a broken state: answered as a 500 and logged
				return out, fmt.Errorf("azure account %s is assigned to customer %d, which partner %d does not have", a.AzureCustomerID, a.CustomerID, p.ID)
			}
			out.Items = append(out.Items, azureAssignmentJSON{CustomerTenantName: c.Name, Account: toAzureAccountJSON(a)})
		}
		return out, nil
	})
}
