package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// kin-openapi turns every JSON body it validates (each request body, and
// each response the compiled checks of fastcheck.go leave to it) into a
// generic value with encoding/json (UseNumber, into any) before it walks the
// schema. That decoding cost a quarter of a list request when kin-openapi
// checked every response. jsonBodyDecoder builds the very
// same value (map[string]any, []any, json.Number, string, bool, nil) in one
// pass over the bytes, and leaves every input it is not sure of (escapes,
// non-ASCII text, a repeated name, deep nesting, anything malformed) to
// kin-openapi's own decoder, so that values and errors stay exactly
// kin-openapi's.

// registerJSONDecoder installs jsonBodyDecoder for application/json in
// kin-openapi (a process-wide registry).
func registerJSONDecoder() {
	openapi3filter.RegisterBodyDecoder("application/json", jsonBodyDecoder)
}

// jsonBodyDecoder is an openapi3filter.BodyDecoder with the results of
// openapi3filter.JSONBodyDecoder.
func jsonBodyDecoder(body io.Reader, h http.Header, schema *openapi3.SchemaRef, encFn openapi3filter.EncodingFn) (any, error) {
	var data []byte
	if buf, ok := body.(*bytes.Buffer); ok { // how kin-openapi passes a body it has read
		data = buf.Bytes()
	} else {
		var err error
		if data, err = io.ReadAll(body); err != nil {
			return openapi3filter.JSONBodyDecoder(io.MultiReader(bytes.NewReader(data), errReader{err}), h, schema, encFn)
		}
	}
	if v, ok := parseJSONValue(data); ok {
		return v, nil
	}
	return openapi3filter.JSONBodyDecoder(bytes.NewReader(data), h, schema, encFn)
}

// errReader returns its error: it hands a read failure on to the fallback.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// maxFastDepth is the nesting the fast path handles; deeper documents go to
// encoding/json, whose own limit then applies.
const maxFastDepth = 64

// parseJSONValue decodes data, exactly one JSON value with optional white
// space around it, as encoding/json decodes into any with UseNumber. ok is
// false when the fast path declines the input.
func parseJSONValue(data []byte) (v any, ok bool) {
	p := jsonParser{data: data}
	p.space()
	if v, ok = p.value(0); !ok {
		return nil, false
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, false
	}
	return v, true
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (any, bool) {
	if p.pos >= len(p.data) || depth > maxFastDepth {
		return nil, false
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.string()
		return s, ok
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *jsonParser) literal(word string) bool {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *jsonParser) object(depth int) (any, bool) {
	p.pos++ // {
	m := map[string]any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return m, true
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		key, ok := p.string()
		if !ok {
			return nil, false
		}
		if _, dup := m[key]; dup { // encoding/json v1 and v2 differ here
			return nil, false
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		m[key] = v
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.space()
		case '}':
			p.pos++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *jsonParser) array(depth int) (any, bool) {
	p.pos++ // [
	a := make([]any, 0)
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return a, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.space()
		case ']':
			p.pos++
			return a, true
		default:
			return nil, false
		}
	}
}

// string reads a string of printable ASCII without escapes, the only kind
// whose decoded value is its bytes; any other declines.
func (p *jsonParser) string() (string, bool) {
	b, ok := p.rawString()
	return string(b), ok
}

// rawString is string without the copy: the bytes between the quotes.
func (p *jsonParser) rawString() ([]byte, bool) {
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return nil, false
	}
	start := p.pos + 1
	for i := start; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case c == '"':
			p.pos = i + 1
			return p.data[start:i], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// consume reads the byte c if it is next.
func (p *jsonParser) consume(c byte) bool {
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// number reads a number of JSON's grammar as a json.Number.
func (p *jsonParser) number() (any, bool) {
	start := p.pos
	if !p.scanNumber() {
		return nil, false
	}
	return json.Number(p.data[start:p.pos]), true
}

// scanNumber moves past a number of JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) scanNumber() bool {
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	p.pos = i
	return true
}
