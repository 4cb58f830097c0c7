package emulator

import (
	"net/http"
	"sync"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// exchange is the journal's record of one CloudHealth API request while it
// is served: serveAPI begins it, the steps that answer mark it (a fault that
// applied, a spec violation) and finish journals it once.
type exchange struct {
	// w is the client's connection; it remembers the status written.
	w *statusWriter

	started time.Time
	entry   JournalEntry
	body    *bodyCapture
	// smallBody is true when the request declares a body the journal can
	// keep whole and the client sends it without waiting (no Expect:
	// 100-continue): finish reads what the handler left of it.
	smallBody bool
	journal   *journal
	// store is the state a diagnostic looks ids up in (describe).
	store *state.Store
	once  sync.Once
	// Set by the steps that answer; a fault's latency runs outside any
	// lock, so they are guarded.
	mu            sync.Mutex
	specViolation string
	injected      bool
	faultID       int64
	closed        bool // no answer was written
	diagnostic    string
}

// begin starts the record of r, arrived at now (the emulator's clock), whose
// answer goes to w. The request's body is captured as the handler reads it.
func (j *journal) begin(now time.Time, w http.ResponseWriter, r *http.Request) *exchange {
	x := &exchange{
		w:         &statusWriter{ResponseWriter: w},
		started:   time.Now(),
		entry:     JournalEntry{Time: now.UTC(), Method: r.Method},
		body:      &bodyCapture{ReadCloser: r.Body},
		journal:   j,
		smallBody: r.ContentLength > 0 && r.ContentLength <= maxJournalBody && r.Header.Get("Expect") == "",
	}
	x.entry.Path, x.entry.Query, x.entry.URLTruncated = journalURL(r.URL.Path, maskQuery(r.URL.RawQuery))
	r.Body = x.body
	return x
}

// markFault records that fault rule id applied: it made the answer
// (injected), or it closed the connection without one (closed).
func (x *exchange) markFault(id int64, injected, closed bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.faultID, x.injected, x.closed = id, injected, closed
}

// describe records the operation the request matched (nil: none) and the
// state its diagnostics look ids up in (diagnostics.go).
func (x *exchange) describe(op *operation, store *state.Store) {
	if op != nil {
		x.entry.Operation = op.id
	}
	x.store = store
}

// diagnose records why the request was answered as it was (a 404 or 422),
// in the emulator's terms, for the journal only; the first reason stays. A
// nil exchange (the control API) records nothing.
func (x *exchange) diagnose(reason string) {
	if x == nil || reason == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.diagnostic == "" {
		x.diagnostic = reason
	}
}

// markViolation records that the answer broke its OpenAPI document.
func (x *exchange) markViolation(problem string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.specViolation = problem
}

// finish journals the request, once: when it is served, or before a fault
// closes its connection (so that the client never sees the close before
// the journal does).
func (x *exchange) finish() {
	x.once.Do(func() {
		e := x.entry
		e.DurationMS = float64(time.Since(x.started).Microseconds()) / 1000
		x.mu.Lock()
		e.SpecViolation, e.Injected, e.FaultID = x.specViolation, x.injected, x.faultID
		e.Diagnostic = x.diagnostic
		closed := x.closed
		x.mu.Unlock()
		if x.smallBody {
			x.body.fill() // a body refused unread (401, 404) is journaled too
		}
		e.RequestBody, e.RequestBodyTruncated = x.body.text()
		e.Status = x.w.status
		e.ResponseBody, e.ResponseBodyTruncated = journaledText(x.w.body, x.w.truncated), x.w.truncated
		e.ResponseType = x.w.Header().Get("Content-Type")
		if closed {
			e.Status = 0
		} else if e.Status == 0 {
			e.Status = http.StatusOK
		}
		x.journal.add(e)
	})
}

// statusWriter remembers the status written through it and the first
// maxJournalBody bytes of the answer's body; it can be hijacked (a fault that
// closes the connection).
type statusWriter struct {
	http.ResponseWriter
	status int
	// body is a string from the start: the journal keeps it as it is.
	body      string
	truncated bool
}

// WriteHeader implements http.ResponseWriter.
func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if room := maxJournalBody - len(w.body); room >= len(b) {
		w.body += string(b)
	} else {
		w.body, w.truncated = w.body+string(b[:max(room, 0)]), true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
