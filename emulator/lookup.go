package emulator

import (
	"strconv"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// How handlers find what a request names. An id the partner does not have,
// its own or another partner's, is a 404 either way (docs/fidelity.md,
// "Tenants").

// pathID is the integer path parameter name (the route only matches digits).
func (rq *call) pathID(name string) int64 {
	id, _ := strconv.ParseInt(rq.vars[name], 10, 64)
	return id
}

// query is the first value of the query parameter name.
func (rq *call) query(name string) string { return rq.r.URL.Query().Get(name) }

// customerByClientAPIID returns the partner's customer whose client_api_id
// is raw, a path or query parameter that openapi.yaml has already checked is
// an integer, or a 404.
func customerByClientAPIID(st *state.State, p *state.Partner, raw string) (*state.Customer, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, notFound()
	}
	c, ok := st.CustomerByClientAPIID(p, id)
	if !ok {
		return nil, notFound()
	}
	return c, nil
}
