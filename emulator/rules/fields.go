package rules

import (
	"fmt"
	"strings"
)

// Small rules on single fields, shared by the request checks, the invariant
// checker and the fixture loader, so that each is written once.

// Blank reports whether a required string field is missing: empty or only
// white space.
func Blank(s string) bool { return strings.TrimSpace(s) == "" }

// ValidAWSOwnerID reports whether s is a 12-digit AWS account id.
func ValidAWSOwnerID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ClassificationFailure describes a customer classification that is neither
// of the two the API knows, or returns "" for a known one.
func ClassificationFailure(c string) string {
	if c == ManagedWithoutAccess || c == ManagedWithAccess {
		return ""
	}
	return fmt.Sprintf("classification %q is neither %s nor %s", c, ManagedWithoutAccess, ManagedWithAccess)
}

// TooManyTags reports whether n tags exceed limit (0: no limit).
func TooManyTags(n, limit int) bool { return limit > 0 && n > limit }
