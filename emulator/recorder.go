package emulator

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
)

// recorder buffers a handler's response so it can be checked before it is
// sent. Recorders are pooled: the buffer of one response serves the next.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
	// value is what writeJSON encoded as the whole body, for the response
	// check (wireTree); valueEnd the body's length once it was written: a
	// later write leaves value out of the check.
	value    any
	valueEnd int
}

var recorders = sync.Pool{New: func() any { return new(recorder) }}

// maxPooledBody is the largest buffer a recorder keeps for the next response.
const maxPooledBody = 64 << 10

func newRecorder() *recorder {
	rec := recorders.Get().(*recorder)
	rec.header, rec.status = http.Header{}, http.StatusOK
	return rec
}

// release returns rec to the pool once the response is written.
func (rec *recorder) release() {
	if rec.body.Cap() > maxPooledBody {
		return
	}
	rec.body.Reset()
	rec.header, rec.wrote, rec.value = nil, false, nil
	recorders.Put(rec)
}

// encodedFrom returns the value the whole body was encoded from by
// writeJSON, or nil.
func (rec *recorder) encodedFrom() any {
	if rec.value == nil || rec.body.Len() != rec.valueEnd {
		return nil
	}
	return rec.value
}

// Header implements http.ResponseWriter.
func (rec *recorder) Header() http.Header { return rec.header }

// WriteHeader implements http.ResponseWriter.
func (rec *recorder) WriteHeader(status int) {
	if !rec.wrote {
		rec.status, rec.wrote = status, true
	}
}

// Write implements http.ResponseWriter.
func (rec *recorder) Write(b []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(b)
}

// copyTo writes the recorded answer to w, with its Content-Length; head
// leaves the body out (a HEAD request gets GET's headers only).
func (rec *recorder) copyTo(w http.ResponseWriter, head bool) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if bodyAllowed(rec.status) {
		w.Header().Set("Content-Length", strconv.Itoa(rec.body.Len()))
	}
	w.WriteHeader(rec.status)
	if !head {
		_, _ = w.Write(rec.body.Bytes())
	}
}

// bodyAllowed reports whether a response with the status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
