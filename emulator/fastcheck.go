package emulator

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every response is checked against openapi.yaml before it leaves, and
// kin-openapi's decoding of the body into maps and its generic schema walk
// were the largest costs of a list page (30 items). A bodyCheck is the same
// schema compiled, once at start-up, into plain Go that reads the body's
// bytes as it checks them: it answers true only for a body that
// encoding/json decodes (UseNumber, into any) into a value kin-openapi
// accepts too. It reads only the JSON jsonParser reads itself (plain ASCII
// strings, no repeated names, only the names the schema lists), and refuses
// everything else. It handles the keywords of the emulator's response
// schemas (type object/array/string/integer/boolean, properties, required,
// additionalProperties: false, items, minItems, maxItems, pattern,
// minLength, maxLength, string enums, format int64) and nothing else: a
// schema with any other keyword does not compile, and its responses go to
// kin-openapi as before. When a check says false, kin-openapi checks the
// response again and words the violation, so a check only ever decides that
// a correct response is correct.
type bodyCheck func(p *jsonParser) bool

// checkBody reports whether data is one JSON value that check accepts.
func checkBody(check bodyCheck, data []byte) bool {
	p := jsonParser{data: data}
	p.space()
	if !check(&p) {
		return false
	}
	p.space()
	return p.pos == len(p.data)
}

// maxCheckDepth bounds the nesting of schemas compiled into checks (and so
// refuses recursive ones).
const maxCheckDepth = 16

// compileBodyCheck compiles the schema of a response body; ok is false when
// the schema uses a keyword the checks do not handle.
func compileBodyCheck(ref *openapi3.SchemaRef) (check bodyCheck, ok bool) {
	return compileCheck(ref, 0)
}

func compileCheck(ref *openapi3.SchemaRef, depth int) (bodyCheck, bool) {
	if ref == nil || ref.Value == nil || depth > maxCheckDepth {
		return nil, false
	}
	s := ref.Value
	if !onlyHandledKeywords(s) || s.Type == nil || len(*s.Type) != 1 {
		return nil, false
	}
	switch {
	case s.Type.Is(openapi3.TypeObject):
		return compileObject(s, depth)
	case s.Type.Is(openapi3.TypeArray):
		return compileArray(s, depth)
	case s.Type.Is(openapi3.TypeString):
		return compileString(s)
	case s.Type.Is(openapi3.TypeInteger):
		return compileInteger(s)
	case s.Type.Is(openapi3.TypeBoolean):
		if s.Format != "" || len(s.Enum) > 0 {
			return nil, false
		}
		return func(p *jsonParser) bool { return p.literal("true") || p.literal("false") }, true
	}
	return nil, false
}

// onlyHandledKeywords reports whether s uses no keyword but those the checks
// handle, or those that do not validate (title, description, example,
// externalDocs, deprecated, xml, readOnly in a response). The test is on the
// schema as JSON with the handled ones cleared, so a keyword kin-openapi
// learns later counts as unhandled.
func onlyHandledKeywords(s *openapi3.Schema) bool {
	if s.Always != nil || s.WriteOnly || s.Nullable {
		return false
	}
	rest := *s
	rest.Extensions, rest.Origin = nil, nil
	rest.Type, rest.Format, rest.Enum = nil, "", nil
	rest.Title, rest.Description, rest.Example, rest.ExternalDocs = "", "", nil, nil
	rest.Deprecated, rest.XML, rest.ReadOnly = false, nil, false
	rest.MinLength, rest.MaxLength, rest.Pattern = 0, nil, ""
	rest.MinItems, rest.MaxItems, rest.Items = 0, nil, nil
	rest.Required, rest.Properties, rest.AdditionalProperties = nil, nil, openapi3.AdditionalProperties{}
	data, err := json.Marshal(&rest)
	return err == nil && string(data) == "{}"
}

func compileObject(s *openapi3.Schema, depth int) (bodyCheck, bool) {
	if s.Format != "" || len(s.Enum) > 0 || s.AdditionalProperties.Schema != nil || len(s.Properties) > 64 {
		return nil, false
	}
	// An object with names the schema does not list goes to kin-openapi,
	// whether or not additionalProperties allows them.
	index := make(map[string]int, len(s.Properties))
	props := make([]bodyCheck, 0, len(s.Properties))
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		c, ok := compileCheck(s.Properties[name], depth+1)
		if !ok {
			return nil, false
		}
		index[name] = len(props)
		props = append(props, c)
	}
	var required uint64
	for _, name := range s.Required {
		i, ok := index[name]
		if !ok { // required but not described: leave it to kin-openapi
			return nil, false
		}
		required |= 1 << i
	}
	return func(p *jsonParser) bool {
		if !p.consume('{') {
			return false
		}
		var seen uint64
		p.space()
		if !p.consume('}') {
			for {
				name, ok := p.rawString()
				if !ok {
					return false
				}
				i, known := index[string(name)]
				if !known || seen&(1<<i) != 0 {
					return false
				}
				seen |= 1 << i
				p.space()
				if !p.consume(':') {
					return false
				}
				p.space()
				if !props[i](p) {
					return false
				}
				p.space()
				if p.consume('}') {
					break
				}
				if !p.consume(',') {
					return false
				}
				p.space()
			}
		}
		return seen&required == required
	}, true
}

func compileArray(s *openapi3.Schema, depth int) (bodyCheck, bool) {
	if s.Format != "" || len(s.Enum) > 0 {
		return nil, false
	}
	items, ok := compileCheck(s.Items, depth+1)
	if !ok {
		return nil, false
	}
	minItems, maxItems := s.MinItems, s.MaxItems
	return func(p *jsonParser) bool {
		if !p.consume('[') {
			return false
		}
		var n uint64
		p.space()
		if !p.consume(']') {
			for {
				if !items(p) {
					return false
				}
				n++
				p.space()
				if p.consume(']') {
					break
				}
				if !p.consume(',') {
					return false
				}
				p.space()
			}
		}
		return n >= minItems && (maxItems == nil || n <= *maxItems)
	}, true
}

func compileString(s *openapi3.Schema) (bodyCheck, bool) {
	if s.Format != "" {
		return nil, false
	}
	var enum []string
	for _, e := range s.Enum {
		str, ok := e.(string)
		if !ok {
			return nil, false
		}
		enum = append(enum, str)
	}
	var pattern openapi3.RegexMatcher
	if s.Pattern != "" {
		var err error
		if pattern, err = compilePattern(s.Pattern); err != nil {
			return nil, false
		}
	}
	digits, _ := pattern.(digitsMatcher)
	minLength, maxLength := s.MinLength, s.MaxLength
	return func(p *jsonParser) bool {
		str, ok := p.rawString()
		if !ok {
			return false
		}
		// rawString reads ASCII only: a byte is a character.
		if n := uint64(len(str)); n < minLength || (maxLength != nil && n > *maxLength) {
			return false
		}
		switch {
		case digits != 0:
			if !digits.match(str) {
				return false
			}
		case pattern != nil:
			if !pattern.MatchString(string(str)) {
				return false
			}
		}
		return enum == nil || slices.ContainsFunc(enum, func(e string) bool { return e == string(str) })
	}, true
}

// compileInteger handles integers without bounds, in int64 or no format,
// and takes only the literals a float64 holds exactly: up to 15 digits.
func compileInteger(s *openapi3.Schema) (bodyCheck, bool) {
	if (s.Format != "" && s.Format != "int64") || len(s.Enum) > 0 {
		return nil, false
	}
	return func(p *jsonParser) bool {
		start := p.pos
		if !p.scanNumber() {
			return false
		}
		digits := p.data[start:p.pos]
		if digits[0] == '-' {
			digits = digits[1:]
		}
		if len(digits) > 15 {
			return false
		}
		for _, c := range digits {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}, true
}
