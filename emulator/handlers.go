package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// handlers maps each operationId of openapi.yaml to its handler: one map per
// endpoint family, each kept beside its handlers.
func (s *Server) handlers() map[string]http.Handler {
	all := map[string]http.Handler{}
	for _, family := range []map[string]http.HandlerFunc{s.assignmentHandlers(), s.azureHandlers(), s.govcloudHandlers(), s.customerHandlers(), s.awsAccountHandlers()} {
		for id, h := range family {
			all[id] = h
		}
	}
	return all
}

// readAs runs fn with shared access to the state and the request's partner.
func (s *Server) readAs(r *http.Request, fn func(*state.State, *state.Partner) error) error {
	var err error
	s.store.Read(func(st *state.State) {
		var p *state.Partner
		if p, err = partner(st, r); err == nil {
			err = fn(st, p)
		}
	})
	return err
}

// writeAs runs fn with exclusive access to the state and the request's
// partner. fn checks every rule before it changes anything.
func (s *Server) writeAs(r *http.Request, fn func(*state.State, *state.Partner) error) error {
	return s.store.Write(func(st *state.State) error {
		p, err := partner(st, r)
		if err != nil {
			return err
		}
		return fn(st, p)
	})
}
