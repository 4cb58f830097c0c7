package rules

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Text checks one string field of a request or a fixture document: a value
// that is not valid UTF-8 or holds a NUL character cannot be stored (the API
// answers 422; docs/fidelity.md, "Strings"). It returns the failure naming
// the field, or "" when the value is fine.
func Text(field, value string) string {
	switch {
	case !utf8.ValidString(value):
		return field + " is not valid UTF-8"
	case strings.IndexByte(value, 0) >= 0:
		return field + ` must not contain a NUL character (\u0000)`
	}
	return ""
}

// textField is one string field of a request: nil when it was not sent.
type textField struct {
	name  string
	value *string
}

// texts returns the failures of Text for every field that was sent.
func texts(fields ...textField) []string {
	var errs []string
	for _, f := range fields {
		if f.value != nil {
			if msg := Text(f.name, *f.value); msg != "" {
				errs = append(errs, msg)
			}
		}
	}
	return errs
}

// tagTexts checks the keys and values of tags, named field[i].key and
// field[i].value.
func tagTexts(field string, tags *[]state.Tag) []string {
	if tags == nil {
		return nil
	}
	var errs []string
	for i := range *tags {
		tag := &(*tags)[i]
		prefix := field + "[" + strconv.Itoa(i) + "]"
		errs = append(errs, texts(textField{prefix + ".key", &tag.Key}, textField{prefix + ".value", &tag.Value})...)
	}
	return errs
}
