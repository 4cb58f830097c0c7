package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The tests in this file run the built binary as a process, as a user or a
// container does: exit statuses, signals and kill -9 are only real there.

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// binary builds the command once per test run and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cloudhealth-emulator-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtPath = filepath.Join(dir, "cloudhealth-emulator")
		goTool := os.Getenv("GO")
		if goTool == "" {
			goTool = "go"
		}
		out, err := exec.Command(goTool, "build", "-o", builtPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return builtPath
}

// TestMain removes the built binary after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtPath != "" {
		_ = os.RemoveAll(filepath.Dir(builtPath))
	}
	os.Exit(code)
}

// process is the binary running as a server.
type process struct {
	cmd    *exec.Cmd
	URL    string
	stderr *syncBuffer
	done   chan struct{}
	err    error // the exit, once done is closed
}

var listeningURL = regexp.MustCompile(`msg="cloudhealth-emulator listening" url=(http://\S+)`)

// startBinary starts the binary on a free loopback port with args (and the
// environment variables env, over none of the caller's CLOUDHEALTH_ ones) and
// waits until it listens. The process is killed at the end of the test.
func startBinary(t *testing.T, args []string, env ...string) *process {
	t.Helper()
	p := tryStartBinary(t, args, env...)
	select {
	case <-p.done:
		t.Fatalf("the emulator exited (%v):\n%s", p.err, p.stderr.String())
	default:
	}
	require.NotEmpty(t, p.URL, "the emulator did not start:\n%s", p.stderr.String())
	return p
}

// tryStartBinary starts the binary and returns once it listens or exits.
func tryStartBinary(t *testing.T, args []string, env ...string) *process {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLOUDHEALTH_EMULATOR_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(pipe)
		for scanner.Scan() {
			line := scanner.Text()
			_, _ = p.stderr.Write([]byte(line + "\n"))
			if m := listeningURL.FindStringSubmatch(line); m != nil {
				select {
				case listening <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pipe)
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	select {
	case p.URL = <-listening:
		// The server logs that line before it serves: wait for health.
		require.Eventually(t, func() bool {
			resp, err := http.Get(p.URL + "/__emulator/health")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == http.StatusOK
		}, 10*time.Second, 20*time.Millisecond)
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the emulator neither listened nor exited:\n%s", p.stderr.String())
	}
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *process) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("the emulator did not exit within %s:\n%s", within, p.stderr.String())
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode()
	}
	require.NoError(t, p.err)
	return 0
}

// stop sends SIGTERM and returns the exit code.
func (p *process) stop(t *testing.T) int {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	return p.wait(t, 30*time.Second)
}

// api sends a request with the demo partner's key and returns the status and
// body.
func (p *process) api(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, p.URL+path, r)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer demo-partner-key")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, data
}

// newCustomer is a valid create body of a partner customer named name.
func newCustomer(name string) map[string]any {
	return map[string]any{
		"name":                          name,
		"address":                       map[string]any{"street1": "1 Main St", "city": "Springfield", "state": "MA", "zipcode": "01234", "country": "US"},
		"partner_billing_configuration": map[string]any{"enabled": true, "folder": ""},
	}
}

// createCustomer creates a customer through the API and returns its id.
func (p *process) createCustomer(t *testing.T, name string) int64 {
	t.Helper()
	status, body := p.api(t, http.MethodPost, "/v1/customers", newCustomer(name))
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var c struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &c))
	require.NotZero(t, c.ID)
	return c.ID
}
