package cloudhealthemulator

import (
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The README's fixture example is what newcomers copy first: it must load.
func TestREADMEFixtureExampleLoads(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)## Fixtures.*?```yaml\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "README.md has a yaml block under ## Fixtures")
	doc, err := fixture.Parse(block[1])
	require.NoError(t, err)
	_, err = fixture.Build(doc, time.Now())
	require.NoError(t, err)
}

// The README's Go example is emulator/emulatortest/example_test.go, which runs with the
// emulator's tests: the two must not drift apart.
func TestREADMEGoExampleIsTheExampleTest(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)## Using it from Go tests.*?```go\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, block, "README.md has a go block under ## Using it from Go tests")
	example, err := os.ReadFile("emulator/emulatortest/example_test.go")
	require.NoError(t, err)
	require.Equal(t, string(example), string(block[1]))
}
