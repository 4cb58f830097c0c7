package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const handmade = "../../emulator/parity/testdata/handmade.yaml"

func TestParitySubcommand(t *testing.T) {
	data, err := os.ReadFile(handmade)
	require.NoError(t, err)
	dir := t.TempDir()
	// The same cassette with another name in the create's request: the
	// emulator's answers then differ from the recorded ones.
	changed := filepath.Join(dir, "changed.yaml")
	require.NoError(t, os.WriteFile(changed, bytes.Replace(data, []byte(`"name":"Initech"`), []byte(`"name":"Initrode"`), 1), 0o644))
	allow := filepath.Join(dir, "allow.yaml")
	require.NoError(t, os.WriteFile(allow, []byte("known:\n  - path: body.name\n    fidelity: \"Everywhere: Ids\"\n"), 0o644))
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"--help"}, 0, "Usage: cloudhealth-emulator parity CASSETTE", ""},
		{"no cassette", nil, 2, "", "name at least one cassette"},
		{"missing cassette", []string{filepath.Join(dir, "none.yaml")}, 2, "", "none.yaml"},
		{"all match", []string{handmade}, 0, "0 DIFF", ""},
		{"a diff", []string{changed, "--report", filepath.Join(dir, "r.md"), "--json", filepath.Join(dir, "r.json")}, 1, "DIFF #8 POST /v1/customers", ""},
		{"a known diff", []string{changed, "--allowlist", allow, "--fidelity", "../../docs/fidelity.md"}, 0, "2 KNOWN", ""},
		{"an allowlist row that does not exist", []string{changed, "--allowlist", allow, "--fidelity", filepath.Join(dir, "allow.yaml")}, 2, "", "has no row"},
		{"a bad billing family", []string{handmade, "--billing-family", "x"}, 2, "", "OWNER=PAYER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runParity(tc.args, &stdout, &stderr)
			require.Equal(t, tc.code, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			require.True(t, strings.Contains(stdout.String(), tc.stdout), "stdout: %s", stdout.String())
			require.True(t, strings.Contains(stderr.String(), tc.stderr), "stderr: %s", stderr.String())
		})
	}
	md, err := os.ReadFile(filepath.Join(dir, "r.md"))
	require.NoError(t, err)
	require.Contains(t, string(md), "| `body.name` | `\"Initech\"` | `\"Initrode\"` | - |")
	js, err := os.ReadFile(filepath.Join(dir, "r.json"))
	require.NoError(t, err)
	require.Contains(t, string(js), `"verdict": "DIFF"`)
}
