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
// items of the page, under the read lock, in a slice of its own: it is
// encoded after the lock is released.
func servePage[T any](s *Server, w http.ResponseWriter, r *http.Request, key string, read func(st *state.State, p *state.Partner, pg page) (int, []T, error)) {
	pg := parsePage(r)
	var total int
	var items []T
	err := s.readAs(r, func(st *state.State, p *state.Partner) error {
		var err error
		total, items, err = read(st, p, pg)
		return err
	})
	if items == nil {
		items = []T{} // [] on the wire, never null
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPagingHeaders(w, r, pg, total)
	writeJSON(w, http.StatusOK, map[string][]T{key: items})
}

// serveChange is the shape of every write that takes a body:
//   - find looks up what the path or query names, under the read lock, so
//     that an unknown id or client_api_id answers 404 before a bad body
//     answers 422 (BEHAVIOR.md section 9); nil when the request names nothing;
//   - the body is decoded into a Req (Content-Type, size, JSON, schema: 422);
//   - change checks the rules and applies the request under the write lock,
//     looking its target up again (the state may have moved in between), and
//     returns what to answer;
//   - the answer is status with that body, and a Location header with the
//     path locate gives, when locate is not nil.
func serveChange[Req, Out any](s *Server, w http.ResponseWriter, r *http.Request, status int,
	find func(*state.State, *state.Partner) error,
	change func(*state.State, *state.Partner, Req) (Out, error),
	locate func(Out) string) {
	if find != nil {
		if err := s.readAs(r, find); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	var req Req
	if err := s.decodeBody(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	var out Out
	err := s.writeAs(r, func(st *state.State, p *state.Partner) error {
		var err error
		out, err = change(st, p, req)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if locate != nil {
		// The path may carry a query (a customer's AWS account), so it is
		// appended, not escaped as a path.
		w.Header().Set("Location", absoluteURL(r, "")+locate(out))
	}
	writeJSON(w, status, out)
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

// exists turns a lookup into the find of serveChange: only its error counts.
func exists[T any](lookup func(*state.State, *state.Partner) (T, error)) func(*state.State, *state.Partner) error {
	return func(st *state.State, p *state.Partner) error {
		_, err := lookup(st, p)
		return err
	}
}
