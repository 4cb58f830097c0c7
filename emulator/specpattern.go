package emulator

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// compilePattern is the regular expression compiler kin-openapi uses for the
// pattern keywords of openapi.yaml. A pattern of the form ^[0-9]{n}$ (the
// 12-digit AWS owner ids, checked for every assignment of every list page)
// matches with a byte loop; any other compiles as kin-openapi compiles it.
func compilePattern(expr string) (openapi3.RegexMatcher, error) {
	if n, ok := fixedDigits(expr); ok {
		return digitsMatcher(n), nil
	}
	return compilePatternStd(expr)
}

// compilePatternStd compiles expr as kin-openapi does by default.
func compilePatternStd(expr string) (*regexp.Regexp, error) {
	return regexp.Compile(codepointEscape.ReplaceAllString(expr, `\x{${code}}`))
}

// codepointEscape is kin-openapi's rewrite of \uXXXX escapes to Go's syntax.
var codepointEscape = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

// fixedDigits reports whether expr is ^[0-9]{n}$, and n.
func fixedDigits(expr string) (int, bool) {
	rest, ok := strings.CutPrefix(expr, "^[0-9]{")
	if !ok {
		return 0, false
	}
	count, ok := strings.CutSuffix(rest, "}$")
	if !ok || count == "" || len(count) > 4 || strings.TrimLeft(count, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(count)
	return n, err == nil
}

// digitsMatcher matches exactly the strings of n ASCII digits, as Go's
// regexp matches ^[0-9]{n}$ ($ is the end of the text, not of a line).
type digitsMatcher int

// MatchString implements openapi3.RegexMatcher.
func (n digitsMatcher) MatchString(s string) bool { return n.match([]byte(s)) }

// match is MatchString on bytes.
func (n digitsMatcher) match(s []byte) bool {
	if len(s) != int(n) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
