package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The emulator's own words for what kin-openapi finds wrong with a request,
// so that a client reads one message style, each message naming the field
// or parameter (docs/fidelity.md, "One message style"). kin-openapi's
// wording (`value doesn't match any schema from "oneOf"`, `Value is not
// nullable`, ...) never reaches a client.

// oneOfWords words what a oneOf or anyOf of the request schemas accepts, by
// field path; a oneOf not listed is worded from its alternatives' types.
var oneOfWords = map[string]string{
	"partner_billing_configuration.enabled": `must be true or false (or the strings "true"/"false")`,
	"address.zipcode":                       "must be a string or an integer",
}

// fieldPath is a JSON pointer's segments as the emulator names a field:
// address.zipcode, tags[0].key.
func fieldPath(segments []string) string {
	var b strings.Builder
	for _, s := range segments {
		if _, err := strconv.Atoi(s); err == nil && b.Len() > 0 {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// schemaMessage words one failure of a request body's schema.
func schemaMessage(e *openapi3.SchemaError) string {
	segments := e.JSONPointer()
	if e.SchemaField == "required" {
		// The message names the missing field, which kin-openapi's pointer
		// may leave out.
		if name, ok := missingProperty(e.Reason); ok && (len(segments) == 0 || segments[len(segments)-1] != name) {
			segments = append(append([]string{}, segments...), name)
		}
	}
	field := fieldPath(segments)
	words := schemaWords(field, e)
	if field == "" {
		return "request body: " + words
	}
	return field + ": " + words
}

// missingProperty reads the property name out of kin-openapi's reason for a
// missing required property (`property "value" is missing`).
func missingProperty(reason string) (string, bool) {
	const prefix, suffix = `property "`, `" is missing`
	if strings.HasPrefix(reason, prefix) && strings.HasSuffix(reason, suffix) {
		return reason[len(prefix) : len(reason)-len(suffix)], true
	}
	return "", false
}

// schemaWords says what the value at field must be, by the schema keyword
// it breaks.
func schemaWords(field string, e *openapi3.SchemaError) string {
	s := e.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	switch e.SchemaField {
	case "type":
		return "must be " + typeWords(s)
	case "nullable":
		return "must not be null"
	case "required":
		return "is required"
	case "oneOf", "anyOf":
		if w, ok := oneOfWords[field]; ok {
			return w
		}
		alts := s.OneOf
		if e.SchemaField == "anyOf" {
			alts = s.AnyOf
		}
		var kinds []string
		for _, alt := range alts {
			if alt.Value != nil {
				kinds = append(kinds, typeWords(alt.Value))
			}
		}
		if len(kinds) == 0 {
			return "has a value of the wrong kind"
		}
		return "must be " + strings.Join(kinds, " or ")
	case "enum":
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprintf("%q", fmt.Sprint(v)))
		}
		return "must be one of " + strings.Join(vals, ", ")
	case "maxItems":
		if s.MaxItems != nil {
			return fmt.Sprintf("must have at most %d items", *s.MaxItems)
		}
	case "minItems":
		return fmt.Sprintf("must have at least %d items", s.MinItems)
	case "maxLength":
		if s.MaxLength != nil {
			return fmt.Sprintf("must be at most %d characters long", *s.MaxLength)
		}
	case "minLength":
		return fmt.Sprintf("must be at least %d characters long", s.MinLength)
	case "minimum", "exclusiveMinimum":
		if s.Min != nil {
			return "must be at least " + strconv.FormatFloat(*s.Min, 'f', -1, 64)
		}
	case "maximum", "exclusiveMaximum":
		if s.Max != nil {
			return "must be at most " + strconv.FormatFloat(*s.Max, 'f', -1, 64)
		}
	case "pattern":
		return "must match " + s.Pattern
	case "format":
		return "must be a valid " + s.Format
	case "properties", "additionalProperties":
		return "is not a field of this request"
	}
	return "is not valid here"
}

// typeWords is what a schema's type accepts, in words: "a string", "an
// integer", "a string or an integer".
func typeWords(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return "a value of another kind"
	}
	words := map[string]string{
		"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
		"object": "an object", "array": "an array", "null": "null",
	}
	var out []string
	for _, t := range *s.Type {
		if w, ok := words[t]; ok {
			out = append(out, w)
		} else {
			out = append(out, t)
		}
	}
	return strings.Join(out, " or ")
}

// parameterMessage words a failure of a path or query parameter.
func parameterMessage(e *openapi3filter.RequestError) string {
	p := e.Parameter
	name := p.In + " parameter " + p.Name
	var kind string
	if p.Schema != nil && p.Schema.Value != nil {
		kind = typeWords(p.Schema.Value)
	}
	if e.Err == nil {
		// A required parameter not sent (or sent empty).
		if kind != "" {
			return fmt.Sprintf("%s: is required (%s)", name, kind)
		}
		return name + ": is required"
	}
	err := e.Err
	if errors.Is(err, openapi3filter.ErrInvalidRequired) {
		if kind != "" {
			return fmt.Sprintf("%s: is required (%s)", name, kind)
		}
		return name + ": is required"
	}
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		err = me[0]
	}
	if se, ok := err.(*openapi3.SchemaError); ok {
		return name + ": " + schemaWords("", se)
	}
	if kind != "" {
		return name + ": must be " + kind
	}
	return name + ": is not valid here"
}
