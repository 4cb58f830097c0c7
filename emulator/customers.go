package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// customerHandlers serves the partner customer operations (docs/fidelity.md).
var customerHandlers = map[string]handler{
	"createCustomer": (*Server).createCustomer,
	"listCustomers":  (*Server).listCustomers,
	"getCustomer":    (*Server).getCustomer,
	"updateCustomer": (*Server).updateCustomer,
	"deleteCustomer": (*Server).deleteCustomer,
}

// customerJSON is a partner customer on the wire. Fields a customer was never
// given (a fixture customer without address, classification, ...) are empty
// strings, never null, so that a PUT of a GET is accepted.
type customerJSON struct {
	ID                          int64              `json:"id"`
	ClientAPIID                 int64              `json:"client_api_id"`
	Name                        string             `json:"name"`
	Classification              string             `json:"classification"`
	BillingContact              string             `json:"billing_contact"`
	TrialExpiration             string             `json:"trial_expiration"`
	MarginPercentage            float64            `json:"margin_percentage"`
	CreatedAt                   string             `json:"created_at"`
	UpdatedAt                   string             `json:"updated_at"`
	GeneratedExternalID         string             `json:"generated_external_id"`
	PartnerBillingConfiguration partnerBillingJSON `json:"partner_billing_configuration"`
	Address                     addressJSON        `json:"address"`
	Tags                        []tagJSON          `json:"tags"`
	Links                       linksJSON          `json:"_links"`
}

type partnerBillingJSON struct {
	Enabled bool   `json:"enabled"`
	Folder  string `json:"folder"`
}

type addressJSON struct {
	Street1 string `json:"street1"`
	Street2 string `json:"street2"`
	City    string `json:"city"`
	State   string `json:"state"`
	Zipcode string `json:"zipcode"`
	Country string `json:"country"`
}

type tagJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// linksJSON is the HAL-style _links of a customer or an AWS account.
type linksJSON struct {
	Self struct {
		Href string `json:"href"`
	} `json:"self"`
}

func selfLink(href string) linksJSON {
	var l linksJSON
	l.Self.Href = href
	return l
}

func toTagsJSON(tags []state.Tag) []tagJSON {
	out := make([]tagJSON, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagJSON(t))
	}
	return out
}

func customerPath(id int64) string { return fmt.Sprintf("/v1/customers/%d", id) }

func toCustomerJSON(c *state.Customer) customerJSON {
	out := customerJSON{ID: c.ID, ClientAPIID: c.ClientAPIID, Name: c.Name,
		Classification: c.Classification, BillingContact: c.BillingContact,
		TrialExpiration: c.TrialExpiration, MarginPercentage: c.MarginPercentage,
		CreatedAt: fixture.Timestamp(c.CreatedAt), UpdatedAt: fixture.Timestamp(c.UpdatedAt),
		GeneratedExternalID:         c.GeneratedExternalID,
		PartnerBillingConfiguration: partnerBillingJSON(c.PartnerBilling),
		Address:                     addressJSON(c.Address),
		Tags:                        toTagsJSON(c.Tags), Links: selfLink(customerPath(c.ID))}
	return out
}

// externalID derives a customer's generated_external_id (12 hex digits, as
// in the guide) from its ids, so that it is stable across runs.
func externalID(c *state.Customer) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("cloudhealth-emulator customer %d/%d", c.ID, c.ClientAPIID)))
	return hex.EncodeToString(sum[:6])
}

// createCustomer: POST /v1/customers -> 200 with the new customer.
func (s *Server) createCustomer(rq *call) {
	serveChange(s, rq, http.StatusOK, nil, func(st *state.State, p *state.Partner, req rules.CustomerFields) (customerJSON, error) {
		next, errs := rules.CheckCustomer(st, p, nil, req)
		if len(errs) > 0 {
			return customerJSON{}, unprocessable(errs...)
		}
		now := s.now()
		next.CreatedAt, next.UpdatedAt = now, now
		st.AddCustomer(p, &next)
		next.GeneratedExternalID = externalID(&next)
		return toCustomerJSON(&next), nil
	}, nil)
}

// listCustomers: GET /v1/customers, paged.
func (s *Server) listCustomers(rq *call) {
	servePage(s, rq, "customers", func(st *state.State, p *state.Partner, pg page) (int, []customerJSON, error) {
		var out []customerJSON
		for _, c := range st.CustomersPage(p, pg.offset(), pg.perPage) {
			out = append(out, toCustomerJSON(c))
		}
		return st.CustomerCount(p), out, nil
	})
}

// getCustomer: GET /v1/customers/{id}.
func (s *Server) getCustomer(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (customerJSON, error) {
		c, ok := st.Customer(p, rq.pathID("id"))
		if !ok {
			return customerJSON{}, notFound()
		}
		return toCustomerJSON(c), nil
	})
}

// updateCustomer: PUT /v1/customers/{id} with any subset of the fields;
// updated_at moves only when something changed.
func (s *Server) updateCustomer(rq *call) {
	find := func(st *state.State, p *state.Partner) (*state.Customer, error) {
		c, ok := st.Customer(p, rq.pathID("id"))
		if !ok {
			return nil, notFound()
		}
		return c, nil
	}
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.CustomerFields) (customerJSON, error) {
		c, err := find(st, p)
		if err != nil {
			return customerJSON{}, err
		}
		next, errs := rules.CheckCustomer(st, p, c, req)
		if len(errs) > 0 {
			return customerJSON{}, unprocessable(errs...)
		}
		st.UpdateCustomer(c, next, s.now())
		return toCustomerJSON(c), nil
	}, nil)
}

// deleteCustomer: DELETE /v1/customers/{id} -> 204, with the customer's
// assignments, GovCloud linkages and own AWS accounts; its Azure accounts
// become unassigned.
func (s *Server) deleteCustomer(rq *call) {
	serveNoContent(s, rq, func(st *state.State, p *state.Partner) error {
		c, ok := st.Customer(p, rq.pathID("id"))
		if !ok {
			return notFound()
		}
		st.DeleteCustomer(c)
		return nil
	})
}
