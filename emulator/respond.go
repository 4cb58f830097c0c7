package emulator

import (
	"net/http"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The shapes every handler shares, so that a handler says only what it
// looks up, how it changes the state and how it shows it.

// serveRead answers 200 with what read returns under the read lock, or the
// error read returns (a 404 for an unknown id, most often).
func serveRead[T any](s *Server, rq *call, read func(*state.State, *state.Partner) (T, error)) {
	var out T
	err := s.readAs(rq, func(st *state.State, p *state.Partner) error {
		var err error
		out, err = read(st, p)
		return err
	})
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	writeJSON(rq.w, http.StatusOK, out)
}

// servePage answers one page of a paged list as {key: [...]} with the paging
// headers (X-Total, X-Per-Page, Link). read returns the total count and the
// items of the page, under the read lock, in a slice of its own: it is
// encoded after the lock is released.
func servePage[T any](s *Server, rq *call, key string, read func(st *state.State, p *state.Partner, pg page) (int, []T, error)) {
	pg := parsePage(rq.r)
	var total int
	var items []T
	err := s.readAs(rq, func(st *state.State, p *state.Partner) error {
		var err error
		total, items, err = read(st, p, pg)
		return err
	})
	if items == nil {
		items = []T{} // [] on the wire, never null
	}
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	setPagingHeaders(rq.w, rq.r, pg, total)
	writePage(rq.w, pageBody[T]{key: key, items: items})
}

// serveChange is the shape of every write that takes a body:
//   - find looks up what the path or query names, under the read lock, so
//     that an unknown id or client_api_id answers 404 before a bad body
//     answers 422 (docs/fidelity.md, "Order of checks"); nil when the request
//     names nothing;
//   - the body is decoded into a Req (Content-Type, size, JSON, schema: 422);
//   - change checks the rules and applies the request under the write lock,
//     looking its target up again (the state may have moved in between), and
//     returns what to answer;
//   - the answer is status with that body, and a Location header with the
//     path locate gives, when locate is not nil.
func serveChange[Req, Out any](s *Server, rq *call, status int,
	find func(*state.State, *state.Partner) error,
	change func(*state.State, *state.Partner, Req) (Out, error),
	locate func(Out) string) {
	if find != nil {
		if err := s.readAs(rq, find); err != nil {
			fail(s.log, rq, err)
			return
		}
	}
	var req Req
	if err := s.decodeBody(rq, &req); err != nil {
		fail(s.log, rq, err)
		return
	}
	var out Out
	err := s.writeAs(rq, func(st *state.State, p *state.Partner) error {
		var err error
		out, err = change(st, p, req)
		return err
	})
	if err != nil {
		fail(s.log, rq, err)
		return
	}
	if locate != nil {
		// The path may carry a query (a customer's AWS account), so it is
		// appended, not escaped as a path.
		rq.w.Header().Set("Location", absoluteURL(rq.r, "")+locate(out))
	}
	writeJSON(rq.w, status, out)
}

// serveNoContent runs change under the write lock and answers 204 with no
// body, or change's error (nothing changed then: change checks before it
// changes anything).
func serveNoContent(s *Server, rq *call, change func(*state.State, *state.Partner) error) {
	if err := s.writeAs(rq, change); err != nil {
		fail(s.log, rq, err)
		return
	}
	rq.w.WriteHeader(http.StatusNoContent)
}

// exists turns a lookup into the find of serveChange: only its error counts.
func exists[T any](lookup func(*state.State, *state.Partner) (T, error)) func(*state.State, *state.Partner) error {
	return func(st *state.State, p *state.Partner) error {
		_, err := lookup(st, p)
		return err
	}
}

// readAs runs fn with shared access to the state and c's partner.
func (s *Server) readAs(rq *call, fn func(*state.State, *state.Partner) error) error {
	var err error
	s.store.Read(func(st *state.State) {
		p, ok := st.Partner(rq.partner)
		if !ok {
			err = forbidden()
			return
		}
		err = fn(st, p)
	})
	return err
}

// msgIDsUsedUp answers a create when the state's ids could pass 2^53 - 1
// (docs/limits.md, "Ids").
const msgIDsUsedUp = "the emulator has no ids left for a create: ids stop at 2^53 - 1, the largest integer a JavaScript client holds exactly; reset or replace the state"

// writeAs runs fn with exclusive access to the state and c's partner. fn
// checks every rule before it changes anything. A create (POST) is refused
// first when the ids it may take could pass 2^53 - 1.
func (s *Server) writeAs(rq *call, fn func(*state.State, *state.Partner) error) error {
	return s.store.Write(func(st *state.State) error {
		p, ok := st.Partner(rq.partner)
		if !ok {
			return forbidden()
		}
		if rq.r.Method == http.MethodPost && st.IDsLeft() < st.IDsOneRequestMayTake() {
			return unprocessable(msgIDsUsedUp)
		}
		return fn(st, p)
	})
}
