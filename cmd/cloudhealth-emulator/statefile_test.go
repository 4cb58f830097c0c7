package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// readStateFile parses the state file as the emulator would load it.
func readStateFile(t *testing.T, path string) *fixture.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	doc, err := fixture.Parse(data)
	require.NoError(t, err, "the state file does not parse:\n%s", data)
	return doc
}

// customerNames lists every customer's name in a state document.
func customerNames(doc *fixture.Document) map[string]bool {
	names := map[string]bool{}
	for _, p := range doc.Partners {
		for _, c := range p.Customers {
			names[c.Name] = true
		}
	}
	return names
}

// A customer created through the API is there after a restart, and reset
// still goes back to the fixtures.
func TestStateFileSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	p := startBinary(t, []string{"--state-file", path})
	require.FileExists(t, path, "written at start")
	id := p.createCustomer(t, "Survivor")
	require.Equal(t, 0, p.stop(t), "stderr:\n%s", p.stderr.String())
	require.True(t, customerNames(readStateFile(t, path))["Survivor"])
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the state holds API keys")

	// Named through the environment this time, with fixtures it overrides.
	fixtures := filepath.Join(t.TempDir(), "f.yaml")
	require.NoError(t, os.WriteFile(fixtures, []byte("partners:\n  - name: Solo\n    api_keys: [solo-key]\n"), 0o600))
	p = startBinary(t, nil, "CLOUDHEALTH_EMULATOR_STATE_FILE="+path, "CLOUDHEALTH_EMULATOR_FIXTURES="+fixtures)
	require.Contains(t, p.stderr.String(), "state_loaded=true")
	status, body := p.api(t, http.MethodGet, fmt.Sprintf("/v1/customers/%d", id), nil)
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var c struct {
		Name string `json:"name"`
	}
	require.NoError(t, json.Unmarshal(body, &c))
	require.Equal(t, "Survivor", c.Name)

	req, err := http.NewRequest(http.MethodPost, p.URL+"/__emulator/reset", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	status, _ = p.api(t, http.MethodGet, "/v1/customers", nil)
	require.Equal(t, http.StatusForbidden, status, "reset went back to the fixtures, where demo-partner-key is unknown")
	require.Equal(t, 0, p.stop(t))
	doc := readStateFile(t, path)
	require.Len(t, doc.Partners, 1, "the reset state was written at shutdown")
	require.Equal(t, "Solo", doc.Partners[0].Name)
}

// A state file that does not parse, or breaks the rules, refuses the start
// (exit 1, every problem named) and is left byte for byte as it was.
func TestStateFileRefusedIsLeftUnchanged(t *testing.T) {
	cases := []struct {
		name     string
		content  string
		problems []string
	}{
		{"truncated JSON", `{"partners": [{"name": "A", "api_keys": ["k"]`, []string{"fixture JSON"}},
		{"not a document", "partners: 3\n", []string{"fixture YAML"}},
		{"two rules broken", `{"partners": [{"name": "A", "api_keys": ["k"]}, {"name": "B", "api_keys": ["k"], "customers": [{"id": 1, "name": ""}]}]}`,
			[]string{"2 problem(s)", `partners[1].api_keys[0]`, `partners[1].customers[0]: name is required`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o644))
			p := tryStartBinary(t, []string{"--state-file", path})
			require.Equal(t, 1, p.wait(t, 30*time.Second))
			require.Empty(t, p.URL, "it never listened")
			stderr := p.stderr.String()
			require.Contains(t, stderr, "level=ERROR")
			require.Contains(t, stderr, "state file "+path+" was refused")
			for _, problem := range tc.problems {
				require.Contains(t, stderr, problem)
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, tc.content, string(data))
			entries, err := os.ReadDir(filepath.Dir(path))
			require.NoError(t, err)
			require.Len(t, entries, 1, "no temporary file left")
		})
	}
}

// kill -9 while changes are being made: the file always parses (readers
// never see a half-written one), and it holds every change older than a
// debounce interval.
func TestStateFileSurvivesKill9(t *testing.T) {
	const debounce = 50 * time.Millisecond
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	p := startBinary(t, []string{"--state-file", path, "--state-file-debounce", debounce.String()})
	var created []string
	for i := range 40 {
		name := fmt.Sprintf("Customer %d", i)
		p.createCustomer(t, name)
		created = append(created, name)
		readStateFile(t, path) // parses at any moment
	}
	time.Sleep(10 * debounce) // well past an interval: all of the above is on disk
	settled := created
	for i := range 20 { // changes in flight at the kill
		p.createCustomer(t, fmt.Sprintf("Late %d", i))
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	p.wait(t, 10*time.Second)

	names := customerNames(readStateFile(t, path))
	for _, name := range settled {
		require.True(t, names[name], "%s was written before the kill", name)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() != "state.json" {
			require.True(t, strings.HasPrefix(e.Name(), ".state.json.tmp-"), "only a temporary file may be left: %s", e.Name())
		}
	}

	// It starts again from that file.
	p = startBinary(t, []string{"--state-file", path})
	require.Contains(t, p.stderr.String(), "state_loaded=true")
	require.Equal(t, 0, p.stop(t))
}

// A state file in a directory that does not exist refuses the start.
func TestStateFileUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "state.json")
	p := tryStartBinary(t, []string{"--state-file", path})
	require.Equal(t, 1, p.wait(t, 30*time.Second))
	require.Contains(t, p.stderr.String(), "writing the state file")
}
