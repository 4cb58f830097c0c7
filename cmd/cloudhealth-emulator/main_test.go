package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// envOf is a getenv over a map.
func envOf(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

func TestParseConfig(t *testing.T) {
	defaults := config{addr: "127.0.0.1:8080", journalSize: emulator.DefaultJournalSize,
		shutdownTimeout: 10 * time.Second, stateFileDebounce: 250 * time.Millisecond}
	with := func(change func(*config)) config {
		c := defaults
		change(&c)
		return c
	}
	allEnv := map[string]string{
		"CLOUDHEALTH_EMULATOR_ADDR": "127.0.0.1:9001", "CLOUDHEALTH_EMULATOR_FIXTURES": "e.yaml",
		"CLOUDHEALTH_EMULATOR_JOURNAL_SIZE": "7", "CLOUDHEALTH_EMULATOR_ADMIN_TOKEN": "etok",
		"CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT": "3s", "CLOUDHEALTH_EMULATOR_STATE_FILE": "e.json",
		"CLOUDHEALTH_EMULATOR_STATE_FILE_DEBOUNCE": "1s",
	}
	fromEnv := config{addr: "127.0.0.1:9001", fixtures: "e.yaml", journalSize: 7, adminToken: "etok",
		shutdownTimeout: 3 * time.Second, stateFile: "e.json", stateFileDebounce: time.Second}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, defaults},
		{"flags", []string{"--addr", "127.0.0.1:9000", "--fixtures", "f.yaml", "--journal-size", "5", "--admin-token", "tok",
			"--shutdown-timeout", "2s", "--state-file", "f.json", "--state-file-debounce", "50ms"}, nil,
			config{addr: "127.0.0.1:9000", fixtures: "f.yaml", journalSize: 5, adminToken: "tok",
				shutdownTimeout: 2 * time.Second, stateFile: "f.json", stateFileDebounce: 50 * time.Millisecond}},
		{"environment", nil, allEnv, fromEnv},
		{"flags win over the environment", []string{"-addr=127.0.0.1:9002", "-journal-size=9", "-admin-token=ftok", "-shutdown-timeout=0s"}, allEnv,
			with(func(c *config) {
				*c = fromEnv
				c.addr, c.journalSize, c.adminToken, c.shutdownTimeout = "127.0.0.1:9002", 9, "ftok", 0
			})},
		{"a bad environment value a flag overrides", []string{"--journal-size", "3", "--shutdown-timeout", "1s"},
			map[string]string{"CLOUDHEALTH_EMULATOR_JOURNAL_SIZE": "lots", "CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT": "soon"},
			with(func(c *config) { c.journalSize, c.shutdownTimeout = 3, time.Second })},
		{"an empty environment value is unset", nil, map[string]string{"CLOUDHEALTH_EMULATOR_ADDR": ""}, defaults},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig(tc.args, envOf(tc.env))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestParseConfigRefusesBadInput(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		problem string
	}{
		{"unknown flag", []string{"--port", "80"}, nil, "flag provided but not defined"},
		{"arguments", []string{"serve"}, nil, "unexpected arguments"},
		{"journal size not a number", []string{"--journal-size", "many"}, nil, "invalid value"},
		{"journal size zero", []string{"--journal-size", "0"}, nil, "at least 1"},
		{"journal size negative", []string{"--journal-size=-4"}, nil, "at least 1"},
		{"journal size env not a number", nil, map[string]string{"CLOUDHEALTH_EMULATOR_JOURNAL_SIZE": "lots"}, "CLOUDHEALTH_EMULATOR_JOURNAL_SIZE"},
		{"journal size env zero", nil, map[string]string{"CLOUDHEALTH_EMULATOR_JOURNAL_SIZE": "0"}, "at least 1"},
		{"missing value", []string{"--addr"}, nil, "flag needs an argument"},
		{"shutdown timeout not a duration", []string{"--shutdown-timeout", "10"}, nil, "invalid value"},
		{"shutdown timeout negative", []string{"--shutdown-timeout=-1s"}, nil, "must not be negative"},
		{"shutdown timeout env not a duration", nil, map[string]string{"CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT": "soon"}, "CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT"},
		{"debounce zero", []string{"--state-file-debounce", "0s"}, nil, "must be positive"},
		{"debounce env negative", nil, map[string]string{"CLOUDHEALTH_EMULATOR_STATE_FILE_DEBOUNCE": "-1s"}, "must be positive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, envOf(tc.env))
			require.ErrorContains(t, err, tc.problem)
			require.Error(t, run(context.Background(), tc.args, envOf(tc.env), slog.New(slog.DiscardHandler), nil))
			var stdout, stderr bytes.Buffer
			require.Equal(t, 1, cli(context.Background(), tc.args, envOf(tc.env), &stdout, &stderr, nil))
			require.Contains(t, stderr.String(), "level=ERROR")
			require.Contains(t, stderr.String(), tc.problem)
		})
	}
}

// startRun runs the command on a free port and returns its address, its log
// and a function that stops it and returns run's error.
func startRun(t *testing.T, args []string, env map[string]string) (addr string, logs *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), envOf(env), log, func(a string) { ready <- a })
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run stopped: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("run did not start")
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(15 * time.Second):
				err = fmt.Errorf("run did not stop")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return addr, logs, stop
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes the JSON log lines.
func (b *syncBuffer) records(t *testing.T) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.buf.Bytes()))
	for dec.More() {
		var rec map[string]any
		require.NoError(t, dec.Decode(&rec))
		out = append(out, rec)
	}
	return out
}

func TestStartupLogListsKeysAndCustomers(t *testing.T) {
	addr, logs, stop := startRun(t, []string{"--journal-size", "10"}, nil)
	require.NoError(t, stop())

	srv, err := emulator.New(emulator.Options{})
	require.NoError(t, err)
	var keys []string
	customers := map[string]bool{}
	for _, p := range srv.Partners() {
		keys = append(keys, p.APIKeys...)
		for _, c := range p.Customers {
			customers[fmt.Sprintf("%d/%d", c.ID, c.ClientAPIID)] = true
		}
	}
	require.Contains(t, keys, "demo-partner-key")
	require.Contains(t, keys, "other-partner-key")

	var gotKeys []string
	gotCustomers := map[string]bool{}
	var listening map[string]any
	for _, rec := range logs.records(t) {
		switch rec["msg"] {
		case "cloudhealth-emulator listening":
			listening = rec
		case "partner":
			gotKeys = append(gotKeys, rec["api_keys"].(string))
		case "  customer":
			gotCustomers[fmt.Sprintf("%v/%v", rec["id"], rec["client_api_id"])] = true
		}
	}
	require.Equal(t, "http://"+addr, listening["url"])
	require.Equal(t, "(embedded defaults)", listening["fixtures"])
	require.Equal(t, float64(10), listening["journal_size"])
	require.Equal(t, false, listening["admin_token"])
	require.ElementsMatch(t, keys, gotKeys)
	require.Equal(t, customers, gotCustomers)
}

func TestRunServesAndShutsDownGracefully(t *testing.T) {
	addr, logs, stop := startRun(t, []string{"--admin-token", "tok"}, nil)
	base := "http://" + addr
	ctl := emulator.NewControlClient(base, "tok")
	require.NoError(t, ctl.Health())
	require.NoError(t, emulator.NewControlClient(base, "").Health(), "health needs no token")
	require.Error(t, emulator.NewControlClient(base, "").Reset(), "the admin token is on")

	// A slow request is in flight when the shutdown begins: it finishes.
	fault, err := ctl.AddFault(emulator.FaultRule{Path: "/v1/aws_account_assignments/{id}", LatencyMS: 700})
	require.NoError(t, err)
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/aws_account_assignments/1", nil)
		req.Header.Set("Authorization", "Bearer demo-partner-key")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{status: resp.StatusCode}
	}()
	require.Eventually(t, func() bool { // in flight: waiting out the latency
		f, err := ctl.Fault(fault.ID)
		return err == nil && f.Matched == 1
	}, 5*time.Second, 10*time.Millisecond)
	started := time.Now()
	require.NoError(t, stop())
	require.GreaterOrEqual(t, time.Since(started), 200*time.Millisecond, "the shutdown waited for the request")
	r := <-got
	require.NoError(t, r.err)
	require.Equal(t, http.StatusOK, r.status)

	_, err = net.DialTimeout("tcp", addr, time.Second)
	require.Error(t, err, "no longer listening")
	var shutdown bool
	for _, rec := range logs.records(t) {
		shutdown = shutdown || rec["msg"] == "shutting down: letting requests in flight finish"
	}
	require.True(t, shutdown)
}

func TestRunWithFixturesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.yaml")
	require.NoError(t, os.WriteFile(path, []byte("partners:\n  - name: Solo\n    api_keys: [solo-key]\n"), 0o600))
	addr, logs, stop := startRun(t, nil, map[string]string{"CLOUDHEALTH_EMULATOR_FIXTURES": path})
	doc, err := emulator.NewControlClient("http://"+addr, "").State()
	require.NoError(t, err)
	require.Len(t, doc.Partners, 1)
	require.Equal(t, []string{"solo-key"}, doc.Partners[0].APIKeys)
	require.NoError(t, stop())
	require.Equal(t, path, logs.records(t)[0]["fixtures"])
}

func TestRunFailures(t *testing.T) {
	discard := slog.New(slog.DiscardHandler)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("partners: [\n"), 0o600))
	require.ErrorContains(t, run(context.Background(), []string{"--fixtures", filepath.Join(t.TempDir(), "missing.yaml")}, envOf(nil), discard, nil), "reading fixtures")
	require.Error(t, run(context.Background(), []string{"--fixtures", bad}, envOf(nil), discard, nil))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	require.Error(t, run(context.Background(), []string{"--addr", ln.Addr().String()}, envOf(nil), discard, nil), "address in use")
}
