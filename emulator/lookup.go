package emulator

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// How handlers find what a request names. An id the partner does not have,
// its own or another partner's, is a 404 either way (BEHAVIOR.md section 1).

// pathID is the integer path parameter name (the route only matches digits).
func pathID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(mux.Vars(r)[name], 10, 64)
	return id
}

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
