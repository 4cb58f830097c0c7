package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// slowRequest adds a fault rule delaying GET /v1/aws_account_assignments/1
// by latency, starts that request and waits until it is in flight. The
// channel receives the request's error (nil when it was answered).
func slowRequest(t *testing.T, base string, latency time.Duration) <-chan error {
	t.Helper()
	ctl := emulator.NewControlClient(base, "")
	fault, err := ctl.AddFault(emulator.FaultRule{Path: "/v1/aws_account_assignments/{id}", LatencyMS: int(latency / time.Millisecond)})
	require.NoError(t, err)
	got := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/aws_account_assignments/1", nil)
		req.Header.Set("Authorization", "Bearer demo-partner-key")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		got <- err
	}()
	require.Eventually(t, func() bool { // in flight: waiting out the latency
		f, err := ctl.Fault(fault.ID)
		return err == nil && f.Matched == 1
	}, 5*time.Second, 10*time.Millisecond)
	return got
}

// A request in flight longer than --shutdown-timeout is cut short when the
// timeout passes, and the process still exits 0 (a shutdown is not a
// failure).
func TestShutdownTimeoutExitsZero(t *testing.T) {
	const grace = time.Second
	p := startBinary(t, []string{"--shutdown-timeout", grace.String()})
	got := slowRequest(t, p.URL, time.Minute)
	started := time.Now()
	require.Equal(t, 0, p.stop(t), "stderr:\n%s", p.stderr.String())
	took := time.Since(started)
	require.GreaterOrEqual(t, took, grace, "it waited for the request in flight")
	require.Less(t, took, grace+10*time.Second, "it did not wait out the minute of latency")
	require.Error(t, <-got, "the request in flight was cut short")
	require.NotContains(t, p.stderr.String(), "level=ERROR")
	require.Contains(t, p.stderr.String(), "shutdown timeout reached")
}

// The timeout comes from the environment too; in-process, run returns nil.
func TestShutdownTimeoutFromEnvironment(t *testing.T) {
	addr, logs, stop := startRun(t, nil, map[string]string{"CLOUDHEALTH_EMULATOR_SHUTDOWN_TIMEOUT": "300ms"})
	got := slowRequest(t, "http://"+addr, time.Minute)
	started := time.Now()
	require.NoError(t, stop())
	require.GreaterOrEqual(t, time.Since(started), 300*time.Millisecond)
	require.Error(t, <-got)
	var listening map[string]any
	for _, rec := range logs.records(t) {
		if rec["msg"] == "cloudhealth-emulator listening" {
			listening = rec
		}
	}
	require.Equal(t, "300ms", listening["shutdown_timeout"])
}

// A request shorter than the timeout finishes, and SIGTERM exits 0 once it
// has.
func TestSIGTERMLetsRequestsFinish(t *testing.T) {
	p := startBinary(t, []string{"--shutdown-timeout", "30s"})
	got := slowRequest(t, p.URL, 700*time.Millisecond)
	require.Equal(t, 0, p.stop(t), "stderr:\n%s", p.stderr.String())
	require.NoError(t, <-got, "the request in flight was answered")
}

// With a timeout of 0 the requests in flight are closed at once.
func TestShutdownTimeoutZero(t *testing.T) {
	addr, _, stop := startRun(t, []string{"--shutdown-timeout", "0s"}, nil)
	got := slowRequest(t, "http://"+addr, time.Minute)
	started := time.Now()
	require.NoError(t, stop())
	require.Less(t, time.Since(started), 5*time.Second)
	require.Error(t, <-got)
}
