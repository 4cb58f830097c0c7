package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// hostPort returns the 127.0.0.1:port an httptest server listens on.
func hostPort(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	return strings.TrimPrefix(srv.URL, "http://")
}

func noEnv(string) string { return "" }

func TestHealthcheckAgainstTheEmulator(t *testing.T) {
	srv, err := emulator.New(emulator.Options{})
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	var stderr bytes.Buffer
	assert.Equal(t, 0, healthcheck(context.Background(), []string{"--addr", hostPort(t, hs)}, noEnv, io.Discard, &stderr), "stderr: %s", stderr.String())
}

func TestHealthcheck(t *testing.T) {
	handler := func(status int, body string, delay time.Duration) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/__emulator/health" {
				http.NotFound(w, r)
				return
			}
			time.Sleep(delay)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	rows := []struct {
		name    string
		handler http.HandlerFunc
		want    int
		stderr  string
	}{
		{"healthy", handler(200, `{"status": "ok"}`, 0), 0, ""},
		{"503", handler(503, `{"status": "ok"}`, 0), 1, "answered 503"},
		{"500", handler(500, `{"error": "boom"}`, 0), 1, "answered 500"},
		{"200 with another status", handler(200, `{"status": "starting"}`, 0), 1, `without {"status": "ok"}`},
		{"200 with no JSON", handler(200, `ok`, 0), 1, `without {"status": "ok"}`},
		{"too slow", handler(200, `{"status": "ok"}`, time.Second), 1, "deadline exceeded"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			hs := httptest.NewServer(row.handler)
			defer hs.Close()
			var stderr bytes.Buffer
			got := healthcheck(context.Background(), []string{"--addr", hostPort(t, hs), "--timeout", "300ms"}, noEnv, io.Discard, &stderr)
			assert.Equal(t, row.want, got, "stderr: %s", stderr.String())
			assert.Contains(t, stderr.String(), row.stderr)
		})
	}
}

// The address comes from the environment like the server's, and a wildcard
// listen address (as in the Docker image, 0.0.0.0:8080) is probed on
// 127.0.0.1.
func TestHealthcheckAddressFromEnvironment(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer hs.Close()
	_, port, err := net.SplitHostPort(hostPort(t, hs))
	require.NoError(t, err)
	for _, addr := range []string{"0.0.0.0:" + port, ":" + port, "127.0.0.1:" + port} {
		env := func(name string) string {
			if name == "CLOUDHEALTH_EMULATOR_ADDR" {
				return addr
			}
			return ""
		}
		var stderr bytes.Buffer
		assert.Equal(t, 0, healthcheck(context.Background(), nil, env, io.Discard, &stderr), "addr %s: %s", addr, stderr.String())
	}
	// The flag wins over the environment.
	env := envOf(map[string]string{"CLOUDHEALTH_EMULATOR_ADDR": "127.0.0.1:1"})
	var stderr bytes.Buffer
	assert.Equal(t, 0, healthcheck(context.Background(), []string{"--addr", "0.0.0.0:" + port}, env, io.Discard, &stderr), "stderr: %s", stderr.String())
}

func TestHealthcheckNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // the port is now free: nothing answers
	var stderr bytes.Buffer
	assert.Equal(t, 1, healthcheck(context.Background(), []string{"--addr", addr, "--timeout", "1s"}, noEnv, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "connection refused")
}

func TestHealthcheckBadArguments(t *testing.T) {
	for _, args := range [][]string{{"--addr", "no-port"}, {"--addr", "127.0.0.1:"}, {"--bogus"}, {"extra"}} {
		var stderr bytes.Buffer
		assert.Equal(t, 1, healthcheck(context.Background(), args, noEnv, io.Discard, &stderr), "args %q", args)
		assert.NotEmpty(t, stderr.String(), "args %q say why", args)
	}
}

func TestProbeAddr(t *testing.T) {
	rows := map[string]string{
		"0.0.0.0:8080":   "127.0.0.1:8080",
		":8080":          "127.0.0.1:8080",
		"[::]:8080":      "127.0.0.1:8080",
		"127.0.0.1:9000": "127.0.0.1:9000",
		"localhost:8080": "localhost:8080",
		"[::1]:8080":     "[::1]:8080",
	}
	for in, want := range rows {
		got, err := probeAddr(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}
