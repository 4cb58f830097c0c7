package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// errorBody is CloudHealth's error shape: {"error": "..."}.
type errorBody struct {
	Error string `json:"error"`
}

// errorsBody is the shape of the validation failures (422) of the AWS account
// assignment and GovCloud endpoints: every failed rule, not just the first.
type errorsBody struct {
	Errors []string `json:"errors"`
}

// writeJSON writes v as the JSON body of a response with the status. Like
// Rails, it leaves <, > and & unescaped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	e := encoders.Get().(*encoder)
	defer e.release()
	if err := e.enc.Encode(v); err != nil { // only our own types are written: a bug
		panic(err)
	}
	writeEncoded(w, status, e.buf.Bytes(), v)
}

// writePage writes a list page, {key: [...]}, byte for byte as writeJSON
// writes map[string][]T{key: items}, without the map, with the page as what
// the body was encoded from.
func writePage[T any](w http.ResponseWriter, p pageBody[T]) {
	e := encoders.Get().(*encoder)
	defer e.release()
	e.buf.WriteByte('{')
	e.encodeTrimmed(p.key)
	e.buf.WriteByte(':')
	e.encodeTrimmed(p.items)
	e.buf.WriteString("}\n")
	writeEncoded(w, http.StatusOK, e.buf.Bytes(), p)
}

// writeEncoded writes body, the JSON encoding of from, with the status; when
// w is a recorder and body is all it holds, it keeps from for the response
// check (recorder.encodedFrom).
func writeEncoded(w http.ResponseWriter, status int, body []byte, from any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	rec, whole := w.(*recorder)
	whole = whole && rec.body.Len() == 0
	_, _ = w.Write(body)
	if whole {
		rec.value, rec.valueEnd = from, rec.body.Len()
	}
}

// encoder is a JSON encoder with its buffer, pooled across responses.
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// encodeTrimmed appends the encoding of v to e.buf without the newline the
// encoder ends it with.
func (e *encoder) encodeTrimmed(v any) {
	if err := e.enc.Encode(v); err != nil { // only our own types are written: a bug
		panic(err)
	}
	e.buf.Truncate(e.buf.Len() - 1)
}

func (e *encoder) release() {
	if e.buf.Cap() > maxPooledBody {
		return
	}
	e.buf.Reset()
	encoders.Put(e)
}

// writeError writes {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// writeUnprocessable writes a 422 in the form the operation documents:
// {"errors": [...]} where openapi.yaml says so, else {"error": "..."} with the
// messages joined.
func writeUnprocessable(rq *call, msgs ...string) {
	if rq.op != nil && rq.op.errorsForm {
		writeJSON(rq.w, http.StatusUnprocessableEntity, errorsBody{Errors: msgs})
		return
	}
	writeError(rq.w, http.StatusUnprocessableEntity, strings.Join(msgs, "; "))
}

// Messages of the errors every endpoint shares.
const (
	msgNotFound        = "Not found"
	msgNoCredentials   = "Unauthorized: send your API key as 'Authorization: Bearer <key>' or as the api_key query parameter"
	msgBadKey          = "Forbidden: the API key matches no partner"
	msgURITooLong      = "URI too long: the maximum is 4000 characters"
	msgBodyTooLarge    = "Request body too large: the maximum is 1 MiB"
	msgContentType     = "Content-Type must be application/json"
	msgMalformedJSON   = "the request body is not valid JSON"
	msgInternalFailure = "internal emulator error"
)
