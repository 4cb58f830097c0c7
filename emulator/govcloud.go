package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// govcloudHandlers serves the GovCloud linkage operations (docs/fidelity.md).
var govcloudHandlers = map[string]handler{
	"createGovcloudLinkage": (*Server).createLinkage,
	"listGovcloudLinkages":  (*Server).listLinkages,
	"getGovcloudLinkage":    (*Server).getLinkage,
	"updateGovcloudLinkage": (*Server).updateLinkage,
}

// linkageJSON is a GovCloud linkage on the wire. The response names the
// accounts govcloud_acct and commercial_acct; requests name them with _id.
type linkageJSON struct {
	ID             int64  `json:"id"`
	CustomerID     int64  `json:"customer_id"`
	GovcloudAcct   int64  `json:"govcloud_acct"`
	CommercialAcct int64  `json:"commercial_acct"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

func toLinkageJSON(l *state.GovcloudLinkage) linkageJSON {
	return linkageJSON{ID: l.ID, CustomerID: l.CustomerID, GovcloudAcct: l.GovcloudAcctID, CommercialAcct: l.CommercialAcctID,
		CreatedAt: fixture.Timestamp(l.CreatedAt), UpdatedAt: fixture.Timestamp(l.UpdatedAt)}
}

// linkageCustomer returns the partner's customer named by the client_api_id
// query parameter (already validated as an integer against openapi.yaml), or
// a 404.
func linkageCustomer(st *state.State, p *state.Partner, rq *call) (*state.Customer, error) {
	return customerByClientAPIID(st, p, rq.r.URL.Query().Get("client_api_id"))
}

// customerLinkage returns the linkage of the path's id that belongs to the
// request's customer, or a 404.
func customerLinkage(st *state.State, p *state.Partner, rq *call) (*state.Customer, *state.GovcloudLinkage, error) {
	c, err := linkageCustomer(st, p, rq)
	if err != nil {
		return nil, nil, err
	}
	l, ok := st.Linkage(c, rq.pathID("id"))
	if !ok {
		return nil, nil, notFound()
	}
	return c, l, nil
}

// createLinkage: POST /api/v1/govcloud_linkages?client_api_id= -> 200.
func (s *Server) createLinkage(rq *call) {
	find := func(st *state.State, p *state.Partner) (*state.Customer, error) { return linkageCustomer(st, p, rq) }
	serveChange(s, rq, http.StatusOK, exists(find), func(st *state.State, p *state.Partner, req rules.LinkageFields) (linkageJSON, error) {
		c, err := find(st, p)
		if err != nil {
			return linkageJSON{}, err
		}
		next, errs := rules.CheckLinkage(st, c, nil, req)
		if len(errs) > 0 {
			return linkageJSON{}, unprocessable(errs...)
		}
		st.CreateLinkage(&next, s.now())
		return toLinkageJSON(&next), nil
	}, nil)
}

// listLinkages: GET /api/v1/govcloud_linkages?client_api_id=, a top-level
// array ordered by id, not paged.
func (s *Server) listLinkages(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) ([]linkageJSON, error) {
		c, err := linkageCustomer(st, p, rq)
		if err != nil {
			return nil, err
		}
		out := []linkageJSON{}
		for _, l := range st.Linkages(c) {
			out = append(out, toLinkageJSON(l))
		}
		return out, nil
	})
}

// getLinkage: GET /api/v1/govcloud_linkages/{id}?client_api_id=.
func (s *Server) getLinkage(rq *call) {
	serveRead(s, rq, func(st *state.State, p *state.Partner) (linkageJSON, error) {
		_, l, err := customerLinkage(st, p, rq)
		if err != nil {
			return linkageJSON{}, err
		}
		return toLinkageJSON(l), nil
	})
}

// updateLinkage: PUT /api/v1/govcloud_linkages/{id}?client_api_id= with
// either or both ids; the merged linkage must pass every rule, ignoring
// itself. created_at stays, updated_at moves.
func (s *Server) updateLinkage(rq *call) {
	serveChange(s, rq, http.StatusOK, func(st *state.State, p *state.Partner) error {
		_, _, err := customerLinkage(st, p, rq)
		return err
	}, func(st *state.State, p *state.Partner, req rules.LinkageFields) (linkageJSON, error) {
		c, l, err := customerLinkage(st, p, rq)
		if err != nil {
			return linkageJSON{}, err
		}
		next, errs := rules.CheckLinkage(st, c, l, req)
		if len(errs) > 0 {
			return linkageJSON{}, unprocessable(errs...)
		}
		st.UpdateLinkage(l, next, s.now())
		return toLinkageJSON(l), nil
	}, nil)
}
