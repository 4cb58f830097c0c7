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
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

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
	// OnUnmatched, when set, is called for every CloudHealth API request with
	// valid credentials that matched no route of openapi.yaml (the client
	// receives a 404); emulatortest.FailOnUnmatched makes it fail a test.
	OnUnmatched func(method, path string)
	// AdminToken, when set, is required by every control request but health,
	// as "Authorization: Bearer <token>" or "X-Emulator-Admin-Token: <token>".
	AdminToken string
	// RewriteResponse is for tests only: when set, every CloudHealth API
	// answer that passed the openapi.yaml check is given to it (the
	// operationId, "" when no route matched; the status; the headers, which
	// it may change in place; the body) and the status and body it returns
	// are sent instead. The parity tests use it to perturb an emulator on
	// purpose; never set it anywhere else.
	RewriteResponse func(operation string, status int, header http.Header, body []byte) (int, []byte)
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
	opts  Options
	log   *slog.Logger
	store *state.Store
	// memory gives a dropped state's memory back to the OS after a reset
	// or replace answers.
	memory memoryReturner
	// api and control are openapi.yaml and control-openapi.yaml compiled,
	// shared with every Server of the process.
	api, control *contract
	clock        *clock
	journal      *journal
	faults       *faults
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
	st, err := s.startState(opts.Fixtures)
	if err != nil {
		return nil, err
	}
	// Serve the state as built (with the ids and timestamps it was given)
	// and keep it for reset: the store logs how to take back each write.
	s.store = state.NewStore(nil)
	s.store.Restorable(st)
	s.opts.Fixtures = nil // the document is not needed again
	if s.api, err = apiContract(); err != nil {
		return nil, err
	}
	if s.control, err = controlContract(); err != nil {
		return nil, err
	}
	return s, nil
}

// startState builds the start-up state from a fixture document (the
// embedded defaults when nil). The parsed document is dropped when this
// returns: only the state is kept.
func (s *Server) startState(fixtures []byte) (*state.State, error) {
	doc, err := defaultDocument()
	if fixtures != nil {
		doc, err = fixture.Parse(fixtures)
	}
	if err != nil {
		return nil, err
	}
	return fixture.Build(doc, s.now())
}

// defaultDocument is the embedded default fixtures, parsed once per process
// (Build only reads a document).
var defaultDocument = sync.OnceValues(func() (*fixture.Document, error) { return fixture.Parse(fixtures.Default) })

// ServeHTTP serves one request: the control API under /__emulator/
// (serveControl), everything else as the CloudHealth API (serveAPI). A panic
// anywhere is answered as a 500 JSON error and logged; the server goes on.
// `//a//b` and a trailing slash are served as /a/b.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer recoverPanic(s.log, w, r)
	r = normalizeSlashes(r)
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	s.serveAPI(w, r)
}

// now is the server's clock (the control API's), in whole seconds of UTC as
// the API shows it.
func (s *Server) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

// Partners returns, for the start-up log, each partner with its keys and
// customers as the state holds them now: their own fields, not the lists
// under them (fixture.Summary; GET /__emulator/state has everything).
func (s *Server) Partners() []fixture.Partner {
	var out []fixture.Partner
	s.store.Read(func(st *state.State) { out = fixture.Summary(st) })
	return out
}
