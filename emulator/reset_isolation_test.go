package emulator

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A reset takes back the writes made after a reset: write (assignments, an
// AWS account's settings, a customer's tags), reset, and the dump is the
// start-up one, each round. A write the undo log does not record (AWS
// account settings changed in place rather than replaced, for one) would
// show here.
func TestAResetTakesBackTheWritesAfterAReset(t *testing.T) {
	// Start-up fixtures whose accounts have settings: the default state
	// after a write that configures two of them.
	configure := newTestServer(t, Options{})
	for _, path := range []string{awsAccountPathOf(100, 0), awsAccountPathOf(1, 1)} {
		r := configure.put(path, map[string]any{"cloudwatch": map[string]any{"enabled": false}, "tags": []map[string]any{{"key": "start", "value": "up"}}})
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", path, r.Body)
	}
	ts := newTestServer(t, Options{Fixtures: []byte(configure.stateDump())})
	initial := ts.stateDump()
	require.Contains(t, initial, `"start"`)
	writes := []struct {
		name string
		do   func() response
		want int
	}{
		{"AWS account settings", func() response {
			return ts.put(awsAccountPathOf(100, 0), map[string]any{"name": "renamed",
				"cloudwatch": map[string]any{"enabled": true, "runtime": 24}, "tags": []map[string]any{{"key": "k", "value": "v"}}})
		}, http.StatusOK},
		{"customer AWS account settings", func() response {
			return ts.put(awsAccountPathOf(1, 1), map[string]any{"tags": []map[string]any{{"key": "x", "value": "y"}}})
		}, http.StatusOK},
		{"customer tags", func() response {
			return ts.put(customerPathOf(4), map[string]any{"tags": []map[string]any{{"key": "t", "value": "u"}}})
		}, http.StatusOK},
	}
	for round := range 3 {
		changeSomething(t, ts)
		for _, w := range writes {
			r := w.do()
			require.Equal(t, w.want, r.Status, "round %d, %s: %s", round, w.name, r.Body)
		}
		require.NotEqual(t, initial, ts.stateDump(), "round %d: the writes changed the state", round)
		require.Equal(t, http.StatusNoContent, ts.do(request{Method: http.MethodPost, Path: resetPath}).Status)
		require.Equal(t, initial, ts.stateDump(), "round %d: the reset gives the start-up state back", round)
	}
}
