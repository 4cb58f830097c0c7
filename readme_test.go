package cloudhealthemulator

import (
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The fixture example of docs/fixtures.md is what newcomers copy first: it
// must load.
func TestREADMEFixtureExampleLoads(t *testing.T) {
	page, err := os.ReadFile("docs/fixtures.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)^# Fixtures.*?```yaml\n(.*?)```").FindSubmatch(page)
	require.NotNil(t, block, "docs/fixtures.md has a yaml block under # Fixtures")
	doc, err := fixture.Parse(block[1])
	require.NoError(t, err)
	_, err = fixture.Build(doc, time.Now())
	require.NoError(t, err)
}

// The Go example of docs/go-api.md is emulator/emulatortest/example_test.go,
// which runs with the emulator's tests: the two must not drift apart.
func TestREADMEGoExampleIsTheExampleTest(t *testing.T) {
	page, err := os.ReadFile("docs/go-api.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)^# Using it from Go tests.*?```go\n(.*?)```").FindSubmatch(page)
	require.NotNil(t, block, "docs/go-api.md has a go block under # Using it from Go tests")
	example, err := os.ReadFile("emulator/emulatortest/example_test.go")
	require.NoError(t, err)
	require.Equal(t, string(example), string(block[1]))
}
