package cloudhealthemulator

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Dockerfile holds what docs/container.md promises about the image: the
// static binary make build-static writes, FROM scratch (no base image to
// pull), a numeric non-root user, listening on every interface on the
// exposed port, a shutdown timeout shorter than the engines' stop timeout,
// and a HEALTHCHECK through the binary's own healthcheck subcommand.
// scripts/image-test.sh (make image-test) builds and runs it.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	require.NoError(t, err)
	df := string(data)
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	require.Len(t, froms, 1, "one stage: the binary is built outside")
	assert.Equal(t, "scratch", froms[0][1])
	assert.NotRegexp(t, `(?m)^RUN `, df, "FROM scratch has nothing to run")
	assert.Regexp(t, `(?m)^COPY bin/image/cloudhealth-emulator /cloudhealth-emulator$`, df)
	assert.Regexp(t, `(?m)^USER 65532:65532$`, df, "numeric: scratch has no /etc/passwd")
	assert.Regexp(t, `(?m)^ENV CLOUDHEALTH_EMULATOR_ADDR=0\.0\.0\.0:8080$`, df)
	assert.Regexp(t, `(?m)^EXPOSE 8080$`, df)
	assert.Regexp(t, `(?m)^HEALTHCHECK .*CMD \["/cloudhealth-emulator", "healthcheck"\]$`, df)
	assert.Regexp(t, `(?m)^ENTRYPOINT \["/cloudhealth-emulator"\]$`, df)

	m := regexp.MustCompile(`(?m)^ENV CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT=(\S+)$`).FindStringSubmatch(df)
	require.NotNil(t, m, "the image sets its shutdown timeout")
	timeout, err := time.ParseDuration(m[1])
	require.NoError(t, err)
	assert.Less(t, timeout, 10*time.Second, "docker stop and podman stop kill after 10 s by default")

	mk, err := os.ReadFile("Makefile")
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^STATIC_BIN := bin/image/cloudhealth-emulator$`, string(mk))
	assert.Regexp(t, `(?m)^\tCGO_ENABLED=0 GOOS=linux \$\(GO\) build -trimpath .*-o \$\(STATIC_BIN\) \./cmd/cloudhealth-emulator$`, string(mk))
}

// dockerignored reports whether path is left out of the build context by
// the patterns of a .dockerignore: the last pattern matching the path or one
// of its parent directories decides, a "!" pattern bringing it back.
func dockerignored(t *testing.T, patterns []string, path string) bool {
	t.Helper()
	ignored := false
	for _, p := range patterns {
		negate := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		for prefix := path; prefix != "."; prefix = filepath.Dir(prefix) {
			matched, err := filepath.Match(p, prefix)
			require.NoError(t, err, p)
			if matched {
				ignored = !negate
				break
			}
		}
	}
	return ignored
}

// .dockerignore lets the static binary into the build context and nothing
// else: no source, no .git, no local state.
func TestDockerignoreSendsOnlyTheBinary(t *testing.T) {
	data, err := os.ReadFile(".dockerignore")
	require.NoError(t, err)
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, strings.TrimSuffix(line, "/"))
		}
	}
	assert.False(t, dockerignored(t, patterns, "bin/image/cloudhealth-emulator"), "the binary the Dockerfile copies")
	for _, path := range []string{"go.mod", "README.md", ".git", ".git/config", "bin/cloudhealth-emulator", "emulator/server.go",
		"fixtures/default.yaml", "Dockerfile", ".dockerignore", "state.json"} {
		assert.True(t, dockerignored(t, patterns, path), "%s is sent to the build", path)
	}
}
