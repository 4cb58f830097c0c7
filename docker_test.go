package cloudhealthemulator

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No container engine runs in CI, so the Dockerfile is checked for what the
// README promises about the image: a static non-root binary, listening on
// every interface on the exposed port, with a HEALTHCHECK through the
// binary's own healthcheck subcommand.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	df := string(data)
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	require.Len(t, froms, 2, "a build stage and a run stage")
	assert.True(t, strings.HasPrefix(froms[0][1], "golang:1.26"), "built with the official Go image: %s", froms[0][1])
	assert.Equal(t, "gcr.io/distroless/static-debian12:nonroot", froms[1][1])
	assert.Regexp(t, `(?m)^RUN CGO_ENABLED=0 go build -trimpath .*-o /out/cloudhealth-emulator \./cmd/cloudhealth-emulator$`, df)
	assert.Regexp(t, `(?m)^COPY --from=build /out/cloudhealth-emulator /cloudhealth-emulator$`, df)
	assert.Regexp(t, `(?m)^USER nonroot`, df)
	assert.Regexp(t, `(?m)^ENV CLOUDHEALTH_EMULATOR_ADDR=0\.0\.0\.0:8080$`, df)
	assert.Regexp(t, `(?m)^EXPOSE 8080$`, df)
	assert.Regexp(t, `(?m)^HEALTHCHECK .*CMD \["/cloudhealth-emulator", "healthcheck"\]$`, df)
	assert.Regexp(t, `(?m)^ENTRYPOINT \["/cloudhealth-emulator"\]$`, df)
}

// .dockerignore must keep everything the build needs in the context,
// embedded files included.
func TestDockerignoreKeepsTheBuildInputs(t *testing.T) {
	data, err := os.ReadFile(".dockerignore")
	require.NoError(t, err)
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, strings.TrimSuffix(line, "/"))
		}
	}
	needed := []string{"go.mod", "go.sum", "spec.go", "openapi.yaml", "fixtures/default.yaml", "fixtures/fixtures.go",
		"cmd/cloudhealth-emulator/main.go", "cmd/cloudhealth-emulator/healthcheck.go", "emulator/server.go", "emulator/state/state.go"}
	for _, path := range needed {
		_, err := os.Stat(path)
		require.NoError(t, err, "the list of build inputs is stale")
		for _, p := range patterns {
			for prefix := path; prefix != "."; prefix = filepath.Dir(prefix) {
				matched, err := filepath.Match(p, prefix)
				require.NoError(t, err, p)
				assert.False(t, matched, ".dockerignore pattern %q leaves %s out of the build", p, path)
			}
		}
	}
}
