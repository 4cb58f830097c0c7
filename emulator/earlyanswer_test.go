package emulator

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// An answer decided before the body is read (401, 403, 404, 413) comes at
// once, with the connection closed, even when the client has not sent the
// body it declared (or waits for a 100 Continue): it never waits for the
// server's 60 s read timeout. The read deadline below only stops a broken
// test from hanging; it is no measure of speed.
func TestEarlyAnswersDoNotWaitForTheBody(t *testing.T) {
	ts := newTestServer(t, Options{})
	host := strings.TrimPrefix(ts.URL, "http://")
	for _, tc := range []struct {
		name, method, path, headers string
		status                      int
	}{
		{"no credentials, large body", http.MethodPost, assignmentsPath, "Content-Length: 500000\r\n", http.StatusUnauthorized},
		{"no credentials, mid-size body", http.MethodPost, assignmentsPath, "Content-Length: 100000\r\n", http.StatusUnauthorized},
		{"unknown key", http.MethodPost, assignmentsPath, "Content-Length: 500000\r\nAuthorization: Bearer nobody\r\n", http.StatusForbidden},
		{"unknown route", http.MethodPost, "/v1/nothing_here", "Content-Length: 500000\r\nAuthorization: Bearer " + demoKey + "\r\n", http.StatusNotFound},
		{"body over 1 MiB", http.MethodPost, assignmentsPath, "Content-Length: 10485760\r\nAuthorization: Bearer " + demoKey + "\r\n", http.StatusRequestEntityTooLarge},
		{"chunked, no credentials", http.MethodPut, assignmentPath(1), "Transfer-Encoding: chunked\r\n", http.StatusUnauthorized},
		{"expects 100-continue", http.MethodPost, assignmentsPath, "Content-Length: 200\r\nExpect: 100-continue\r\n", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts.unchanged(func() {
				conn, err := net.Dial("tcp", host)
				require.NoError(t, err)
				defer conn.Close()
				_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n%s\r\n", tc.method, tc.path, host, tc.headers)
				require.NoError(t, err)
				require.NoError(t, conn.SetReadDeadline(time.Now().Add(20*time.Second)))
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				require.NoError(t, err, "no answer before the body was sent")
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				requireErrorShape(t, response{Status: resp.StatusCode, Header: resp.Header, Body: body}, tc.status)
				require.True(t, resp.Close, "the connection is closed after the answer")
			})
		})
	}
	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		if e.Path == assignmentsPath && e.Method == http.MethodPost {
			require.NotZero(t, e.Status, "journaled with its status")
		}
	}
}
