package rules

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBlank(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{{"", true}, {" ", true}, {"\t\r\n", true}, {"a", false}, {" a ", false}} {
		require.Equal(t, c.want, Blank(c.in), "%q", c.in)
	}
}

func TestValidAWSOwnerID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"123456789012", true}, {"000000000000", true},
		{"", false}, {"12345678901", false}, {"1234567890123", false},
		{"12345678901x", false}, {"-23456789012", false}, {"１23456789012", false}, {" 23456789012", false},
	} {
		require.Equal(t, c.want, ValidAWSOwnerID(c.in), "%q", c.in)
	}
}

func TestClassificationFailure(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{ManagedWithAccess, ""}, {ManagedWithoutAccess, ""},
		{"", `classification "" is neither managed_without_access nor managed_with_access`},
		{"MANAGED_WITH_ACCESS", `classification "MANAGED_WITH_ACCESS" is neither managed_without_access nor managed_with_access`},
	} {
		require.Equal(t, c.want, ClassificationFailure(c.in), "%q", c.in)
	}
}

func TestTooManyTags(t *testing.T) {
	for _, c := range []struct {
		n, limit int
		want     bool
	}{{0, 20, false}, {20, 20, false}, {21, 20, true}, {1000, 0, false}} {
		require.Equal(t, c.want, TooManyTags(c.n, c.limit), "%d of %d", c.n, c.limit)
	}
}
