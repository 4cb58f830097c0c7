package emulator

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// StateVersion grows with every change that took effect and with nothing
// else: a state file writer relies on it to skip writes and never miss one.
func TestStateVersionCountsChanges(t *testing.T) {
	ts := newTestServer(t, Options{})
	v := ts.srv.StateVersion()
	steps := []struct {
		name    string
		do      func() response
		changed bool
	}{
		{"a read", func() response { return ts.get(customersPath) }, false},
		{"a refused create (422)", func() response { return ts.post(customersPath, map[string]any{"name": ""}) }, false},
		{"a create", func() response { return ts.post(customersPath, customerBody("Versioned")) }, true},
		{"a refused state document (422)", func() response {
			return ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: `{"partners": 3}`})
		}, false},
		{"a state replacement", func() response {
			return ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: ts.stateDump()})
		}, true},
		{"a reset", func() response { return ts.do(request{Method: http.MethodPost, Path: "/__emulator/reset"}) }, true},
		{"the journal read", func() response { return ts.do(request{Method: http.MethodGet, Path: "/__emulator/journal"}) }, false},
	}
	for _, step := range steps {
		r := step.do()
		require.Less(t, r.Status, 500, "%s: %s", step.name, r.Body)
		now := ts.srv.StateVersion()
		if step.changed {
			require.Greater(t, now, v, step.name)
		} else {
			require.Equal(t, v, now, step.name)
		}
		v = now
	}
}

// WriteState writes the document GET /__emulator/state answers, and
// LoadState takes it back all or nothing; reset still returns to the fixtures.
func TestWriteStateAndLoadState(t *testing.T) {
	ts := newTestServer(t, Options{})
	created := ts.post(customersPath, customerBody("Saved"))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	var buf bytes.Buffer
	require.NoError(t, ts.srv.WriteState(&buf))
	require.JSONEq(t, ts.stateDump(), buf.String())
	saved := buf.Bytes()

	other := newTestServer(t, Options{})
	before := other.stateDump()
	for _, bad := range []string{`{"partners": [`, `{"partners": 3}`,
		`{"partners": [{"name": "A", "api_keys": ["k"]}, {"name": "B", "api_keys": ["k"]}]}`} {
		other.unchanged(func() { require.Error(t, other.srv.LoadState([]byte(bad)), bad) })
	}
	require.Equal(t, before, other.stateDump())
	require.NoError(t, other.srv.LoadState(saved))
	require.JSONEq(t, ts.stateDump(), other.stateDump())

	// Reset still goes back to the fixtures the server was built on.
	r := other.do(request{Method: http.MethodPost, Path: "/__emulator/reset"})
	require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)
	require.Equal(t, before, other.stateDump())
}
