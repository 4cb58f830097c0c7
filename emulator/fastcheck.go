package emulator

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every response is checked against openapi.yaml before it leaves, and
// kin-openapi's schema walk was the largest cost of a list page (30 items,
// each an object walked generically). A bodyCheck is the same schema
// compiled, once at start-up, into plain Go: it answers true only for a
// value kin-openapi accepts too. It handles the keywords of the emulator's
// response schemas (type object/array/string/integer/boolean, properties,
// required, additionalProperties: false, items, minItems, maxItems, pattern,
// minLength, maxLength, string enums, format int64) and nothing else: a
// schema with any other keyword does not compile, and its responses go to
// kin-openapi as before. When a check says false, kin-openapi checks the
// response again and words the violation, so a check only ever decides that
// a correct response is correct.
type bodyCheck func(v any) bool

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
		return func(v any) bool { _, ok := v.(bool); return ok }, true
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
	if s.Format != "" || len(s.Enum) > 0 || s.AdditionalProperties.Schema != nil {
		return nil, false
	}
	closed := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	props := make(map[string]bodyCheck, len(s.Properties))
	for name, ref := range s.Properties {
		c, ok := compileCheck(ref, depth+1)
		if !ok {
			return nil, false
		}
		props[name] = c
	}
	required := slices.Clone(s.Required)
	return func(v any) bool {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for k, pv := range m {
			c, ok := props[k]
			if !ok {
				if closed {
					return false
				}
				continue
			}
			if !c(pv) {
				return false
			}
		}
		for _, k := range required {
			if _, ok := m[k]; !ok {
				return false
			}
		}
		return true
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
	return func(v any) bool {
		a, ok := v.([]any)
		if !ok || uint64(len(a)) < minItems || (maxItems != nil && uint64(len(a)) > *maxItems) {
			return false
		}
		for _, item := range a {
			if !items(item) {
				return false
			}
		}
		return true
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
	minLength, maxLength := s.MinLength, s.MaxLength
	return func(v any) bool {
		str, ok := v.(string)
		if !ok {
			return false
		}
		if minLength > 0 || maxLength != nil {
			n := uint64(utf8.RuneCountInString(str))
			if n < minLength || (maxLength != nil && n > *maxLength) {
				return false
			}
		}
		if pattern != nil && !pattern.MatchString(str) {
			return false
		}
		return enum == nil || slices.Contains(enum, str)
	}, true
}

// compileInteger handles integers without bounds, in int64 or no format,
// and takes only the literals a float64 holds exactly: up to 15 digits.
func compileInteger(s *openapi3.Schema) (bodyCheck, bool) {
	if (s.Format != "" && s.Format != "int64") || len(s.Enum) > 0 {
		return nil, false
	}
	return func(v any) bool {
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		digits := string(n)
		if len(digits) > 0 && digits[0] == '-' {
			digits = digits[1:]
		}
		if len(digits) == 0 || len(digits) > 15 {
			return false
		}
		for i := 0; i < len(digits); i++ {
			if digits[i] < '0' || digits[i] > '9' {
				return false
			}
		}
		return true
	}, true
}
