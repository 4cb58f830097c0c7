// Package emulator serves a local emulation of the CloudHealth partner REST
// API: the same paths, bodies, status codes, validation rules and paging
// headers, over an in-memory state loaded from a fixture document.
//
// The package is the HTTP layer: routing (gorilla/mux, one route per
// operation of openapi.yaml), middleware (limits, credentials, validation of
// every request and response against openapi.yaml), thin handlers, and the
// control API under /__emulator/. The data lives in package state, the
// CloudHealth rules in package rules, the fixture format in package fixture.
package emulator

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gorilla/mux"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// Options configure a Server. The zero value serves the embedded default
// fixtures with full validation.
type Options struct {
	// Fixtures is the initial state as a fixture document (YAML or JSON);
	// nil means the embedded default fixtures.
	Fixtures []byte
	// Logger receives spec violations, panics and control actions; nil
	// discards them.
	Logger *slog.Logger
	// Now is the clock for created_at and updated_at; nil means time.Now.
	Now func() time.Time
	// DisableValidation turns off the checks of requests and responses
	// against openapi.yaml (handlers still refuse what they cannot use). It
	// exists to measure what validation costs; never turn it off in tests.
	DisableValidation bool
	// OnSpecViolation, when set, is called for every response that breaks
	// openapi.yaml (the client receives a 500). Tests make it fail the test.
	OnSpecViolation func(SpecViolation)
	// JournalSize is how many CloudHealth API requests the journal keeps
	// (GET /__emulator/journal); 0 means DefaultJournalSize.
	JournalSize int
	// AdminToken, when set, is required by every control request but health,
	// as "Authorization: Bearer <token>" or "X-Emulator-Admin-Token: <token>".
	AdminToken string
}

// SpecViolation describes a response of the emulator that openapi.yaml (or,
// for the control API, control-openapi.yaml) does not allow: always an
// emulator bug.
type SpecViolation struct {
	Method, Path, Operation string
	Status                  int
	Problem                 string
}

// Server is the emulator: an http.Handler serving the CloudHealth API and the
// control API. It is safe for concurrent use.
type Server struct {
	opts       Options
	log        *slog.Logger
	store      *state.Store
	initial    *snapshot
	spec       *openapi3.T
	ops        map[string]*operation
	controlOps map[string]*operation
	clock      *clock
	journal    *journal
	faults     *faults
	handler    http.Handler
}

// New builds a server on the fixture document of opts. It fails when the
// document is not valid (the error lists every problem with its path) or
// when openapi.yaml and the handlers disagree.
func New(opts Options) (*Server, error) {
	s := &Server{opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	s.clock = newClock(s.opts.Now)
	switch {
	case opts.JournalSize < 0:
		return nil, fmt.Errorf("the journal size %d is negative", opts.JournalSize)
	case opts.JournalSize == 0:
		s.opts.JournalSize = DefaultJournalSize
	}
	s.journal = newJournal(s.opts.JournalSize)
	s.faults = &faults{}
	data := opts.Fixtures
	if data == nil {
		data = fixtures.Default
	}
	doc, err := fixture.Parse(data)
	if err != nil {
		return nil, err
	}
	st, err := fixture.Build(doc, s.now())
	if err != nil {
		return nil, err
	}
	// Keep the state as built (with the ids and timestamps it was given)
	// for reset, and serve a copy of it.
	s.initial = newSnapshot(st)
	s.store = state.NewStore(st.Clone())
	if s.spec, s.ops, err = loadSpec("openapi.yaml", cloudhealthemulator.OpenAPI); err != nil {
		return nil, err
	}
	if _, s.controlOps, err = loadSpec("control-openapi.yaml", cloudhealthemulator.ControlOpenAPI); err != nil {
		return nil, err
	}
	api, err := s.apiRouter()
	if err != nil {
		return nil, err
	}
	control, err := s.controlRouter()
	if err != nil {
		return nil, err
	}
	// The middleware chain is built once, here: a request only runs it.
	cloudhealth := s.journalRequests(s.injectFaults(enforceLimits(s.authenticate(api))))
	s.handler = recoverPanics(s.log, normalizeSlashes(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, controlPrefix) {
			control.ServeHTTP(w, r)
			return
		}
		cloudhealth.ServeHTTP(w, r)
	})))
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// now is the server's clock (the control API's), in whole seconds of UTC as
// the API shows it.
func (s *Server) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

// Partners returns, for the start-up log, each partner with its keys and
// customers as the state holds them now.
func (s *Server) Partners() []fixture.Partner {
	var out []fixture.Partner
	s.store.Read(func(st *state.State) { out = fixture.Dump(st).Partners })
	return out
}

// authenticate resolves the request's API key to a partner: 401 without
// credentials, 403 for a key that matches no partner.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := apiKey(r)
		if key == "" {
			writeError(w, http.StatusUnauthorized, msgNoCredentials)
			return
		}
		var partnerID int64
		s.store.Read(func(st *state.State) {
			if p, ok := st.PartnerByKey(key); ok {
				partnerID = p.ID
			}
		})
		if partnerID == 0 {
			writeError(w, http.StatusForbidden, msgBadKey)
			return
		}
		next.ServeHTTP(w, withPartner(r, partnerID))
	})
}

// apiRouter registers one route per operation of openapi.yaml, each served by
// the handler of the same operationId. An operation without a handler, or a
// handler without an operation, is a start-up error: the spec and the code
// must describe the same API.
func (s *Server) apiRouter() (*mux.Router, error) {
	handlers := s.handlers()
	r := mux.NewRouter().SkipClean(true)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeError(w, http.StatusNotFound, msgNotFound) })
	r.MethodNotAllowedHandler = r.NotFoundHandler
	for id, op := range s.ops {
		h, ok := handlers[id]
		if !ok {
			return nil, fmt.Errorf("openapi.yaml operation %s has no handler", id)
		}
		r.Handle(muxPath(op), s.validate(op, h)).Methods(op.route.Method).Name(id)
	}
	for id := range handlers {
		if _, ok := s.ops[id]; !ok {
			return nil, fmt.Errorf("handler %s has no operation in openapi.yaml", id)
		}
	}
	return r, nil
}

// muxPath turns an OpenAPI path template into a gorilla/mux one; an integer
// path parameter only matches digits, so /v1/x/abc is an unknown route (404)
// as it is in CloudHealth's routing.
func muxPath(op *operation) string {
	path := op.route.Path
	for _, p := range op.route.Operation.Parameters {
		if p.Value == nil || p.Value.In != "path" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		if p.Value.Schema.Value.Type.Is("integer") {
			path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", "{"+p.Value.Name+":[0-9]{1,18}}")
		}
	}
	return path
}

// errNoPartner is what partner returns when the request's partner vanished
// with a state replace: the handler answers 403, as for an unknown key.
var errNoPartner = errors.New(msgBadKey)

// partner returns the request's partner in st.
func partner(st *state.State, r *http.Request) (*state.Partner, error) {
	p, ok := st.Partner(partnerOf(r))
	if !ok {
		return nil, errNoPartner
	}
	return p, nil
}
