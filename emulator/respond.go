package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The three shapes every read handler shares, so that a handler says only
// what it looks up and how it shows it.

// serveRead answers 200 with what read returns under the read lock, or the
// error read returns (a 404 for an unknown id, most often).
func serveRead[T any](s *Server, w http.ResponseWriter, r *http.Request, read func(*state.State, *state.Partner) (T, error)) {
	var out T
	err := s.readAs(r, func(st *state.State, p *state.Partner) error {
		var err error
		out, err = read(st, p)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// servePage answers one page of a paged list as {key: [...]} with the paging
// headers (X-Total, X-Per-Page, Link). read returns the total count and the
// items of the page, under the read lock.
func servePage[T any](s *Server, w http.ResponseWriter, r *http.Request, key string, read func(st *state.State, p *state.Partner, pg page) (int, []T, error)) {
	pg, err := parsePage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var total int
	items := []T{}
	err = s.readAs(r, func(st *state.State, p *state.Partner) error {
		var page []T
		total, page, err = read(st, p, pg)
		items = append(items, page...)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPagingHeaders(w, r, pg, total)
	writeJSON(w, http.StatusOK, map[string][]T{key: items})
}

// found runs lookup under the read lock and answers its error, reporting
// whether the handler may go on. Handlers that take a body call it first, so
// that an unknown id or client_api_id answers 404 before a bad body answers
// 422 (BEHAVIOR.md section 9).
func (s *Server) found(w http.ResponseWriter, r *http.Request, lookup func(*state.State, *state.Partner) error) bool {
	if err := s.readAs(r, lookup); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// serveNoContent runs change under the write lock and answers 204 with no
// body, or change's error (nothing changed then: change checks before it
// changes anything).
func (s *Server) serveNoContent(w http.ResponseWriter, r *http.Request, change func(*state.State, *state.Partner) error) {
	if err := s.writeAs(r, change); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
