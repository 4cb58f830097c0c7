package main

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// --help and -h print the subcommands and every flag with its environment
// variable on stdout and exit 0, without an ERROR line.
func TestHelp(t *testing.T) {
	var flags []string
	serverFlags(&config{}).VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
	require.Len(t, flags, 7, "a new flag: add it to docs/configuration.md")
	for _, arg := range []string{"--help", "-h", "-help"} {
		t.Run(arg, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			require.Equal(t, 0, cli(context.Background(), []string{arg}, noEnv, &stdout, &stderr, nil))
			require.Empty(t, stderr.String())
			out := stdout.String()
			for _, sc := range subcommands {
				require.Regexp(t, `(?m)^  `+sc.name+` +\S`, out, "subcommand %s listed with its summary", sc.name)
			}
			for _, name := range flags {
				require.Contains(t, out, "\n  --"+name+" ")
				require.Contains(t, out, "env "+envName(name)+")")
			}
			require.Contains(t, out, "default 127.0.0.1:8080")
			require.Contains(t, out, "default 10s")
			require.Contains(t, out, "default 250ms")
		})
	}
}

// A bad environment value does not stop --help (it is not read).
func TestHelpWithABadEnvironment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	env := envOf(map[string]string{"CLOUDHEALTH_EMULATOR_JOURNAL_SIZE": "lots"})
	require.Equal(t, 0, cli(context.Background(), []string{"--help"}, env, &stdout, &stderr, nil))
	require.NotContains(t, stderr.String(), "ERROR")
	require.Contains(t, stdout.String(), "--journal-size")
}

// Each subcommand has its own --help, with its flags and their variables.
func TestSubcommandHelp(t *testing.T) {
	want := map[string][]string{
		"healthcheck": {"--addr ", "env CLOUDHEALTH_EMULATOR_ADDR)", "--timeout ", "env CLOUDHEALTH_EMULATOR_HEALTHCHECK_TIMEOUT)", "default 3s"},
		"parity":      {"CASSETTE...", "--report", "--json", "--allowlist", "--billing-family"},
	}
	require.Len(t, want, len(subcommands), "a subcommand without a --help test")
	for _, sc := range subcommands {
		for _, arg := range []string{"--help", "-h"} {
			t.Run(sc.name+" "+arg, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				require.Equal(t, 0, cli(context.Background(), []string{sc.name, arg}, noEnv, &stdout, &stderr, nil))
				require.Empty(t, stderr.String())
				require.True(t, strings.HasPrefix(stdout.String(), "Usage: cloudhealth-emulator "+sc.name), stdout.String())
				for _, s := range want[sc.name] {
					require.Contains(t, stdout.String(), s)
				}
			})
		}
	}
}

// The healthcheck's timeout comes from its variable, a flag winning.
func TestHealthcheckTimeoutFromEnvironment(t *testing.T) {
	var stderr bytes.Buffer
	env := envOf(map[string]string{"CLOUDHEALTH_EMULATOR_HEALTHCHECK_TIMEOUT": "soon"})
	require.Equal(t, 1, healthcheck(context.Background(), nil, env, &bytes.Buffer{}, &stderr))
	require.Contains(t, stderr.String(), "CLOUDHEALTH_EMULATOR_HEALTHCHECK_TIMEOUT")
}

// Listening on a non-loopback address without an admin token warns that the
// control API is open; a loopback address or a token does not.
func TestWarnIfControlOpen(t *testing.T) {
	tcp := func(ip string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: 8080} }
	cases := []struct {
		name  string
		addr  net.Addr
		token string
		warn  bool
	}{
		{"every IPv4 interface", tcp("0.0.0.0"), "", true},
		{"every IPv6 interface", tcp("::"), "", true},
		{"a LAN address", tcp("192.168.1.20"), "", true},
		{"a public IPv6 address", tcp("2001:db8::1"), "", true},
		{"IPv4 loopback", tcp("127.0.0.1"), "", false},
		{"another IPv4 loopback", tcp("127.0.0.2"), "", false},
		{"IPv6 loopback", tcp("::1"), "", false},
		{"every interface with a token", tcp("0.0.0.0"), "tok", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			warnIfControlOpen(slog.New(slog.NewTextHandler(&buf, nil)), tc.addr, tc.token)
			if !tc.warn {
				require.Empty(t, buf.String())
				return
			}
			require.Contains(t, buf.String(), "level=WARN")
			require.Contains(t, buf.String(), "control API")
			require.Contains(t, buf.String(), "is open")
		})
	}
}

// The server on loopback without a token logs no warning.
func TestNoWarningOnLoopback(t *testing.T) {
	_, logs, stop := startRun(t, nil, nil)
	require.NoError(t, stop())
	for _, rec := range logs.records(t) {
		require.NotEqual(t, "WARN", rec["level"], "%v", rec)
	}
}

// The start-up log carries the warning for a wildcard address, right after
// the listening line.
func TestStartupLogWarnsWhenControlIsOpen(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	require.NoError(t, err)
	for _, token := range []string{"", "tok"} {
		logs := &syncBuffer{}
		addr := &net.TCPAddr{IP: net.IPv4zero, Port: 8080}
		logStartup(slog.New(slog.NewJSONHandler(logs, nil)), addr, config{addr: "0.0.0.0:8080", adminToken: token}, nil, srv)
		recs := logs.records(t)
		require.Equal(t, "cloudhealth-emulator listening", recs[0]["msg"])
		if token != "" {
			require.NotEqual(t, "WARN", recs[1]["level"])
			continue
		}
		require.Equal(t, "WARN", recs[1]["level"])
		require.Equal(t, controlOpenWarning, recs[1]["msg"])
		require.Equal(t, "0.0.0.0:8080", recs[1]["addr"])
	}
}
