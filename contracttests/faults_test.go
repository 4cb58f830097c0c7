package contracttests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// injectedStatuses are the answers the real API gives on its own (rate limit,
// failure, maintenance; the guide's error codes page) and openapi.yaml
// documents on every operation. Against the emulator, a fault rule of its
// control API provokes them; against the real API nothing can.
var injectedStatuses = []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable}

// Every operation answers 429, 500 and 503 in CloudHealth's error shape when
// a fault rule says so, and each is documented: a client's retry logic can
// be tested on any call.
func TestEveryOperationAnswersInjectedFailures(t *testing.T) {
	if !suite.faults {
		t.Skip("the target has no emulator control API: 429, 500 and 503 cannot be provoked (the coverage report lists them as such)")
	}
	for _, p := range allProbes() {
		for _, status := range injectedStatuses {
			t.Run(fmt.Sprintf("%s %d", p.op, status), func(t *testing.T) {
				path, _, _ := strings.Cut(p.path, "?")
				addFault(t, map[string]any{"method": p.method, "path": path, "status": status, "times": 1,
					"headers": map[string]string{"Retry-After": "1"}})
				r := do(t, call{method: p.method, path: p.path, body: probeBody(p), invalid: true})
				requireError(t, r, status)
				require.Equal(t, "1", r.header.Get("Retry-After"))
			})
		}
	}
}

// addFault adds a fault rule through the emulator's control API; a rule with
// times is spent by the request it is for, and removed when the test ends
// in case it was not.
func addFault(t *testing.T, rule map[string]any) {
	t.Helper()
	data, err := json.Marshal(rule)
	require.NoError(t, err)
	resp, err := http.Post(suite.baseURL+"/__emulator/faults", "application/json", bytes.NewReader(data))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "adding a fault rule: %s", body)
	recording.faultsArmed++
	var fault struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.Unmarshal(body, &fault))
	t.Cleanup(func() {
		recording.faultsArmed--
		req, err := http.NewRequest(http.MethodDelete, fmt.Sprintf("%s/__emulator/faults/%d", suite.baseURL, fault.ID), nil)
		if err == nil {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	})
}

// hasControlAPI reports whether the target answers the emulator's health
// check, and so has its control API.
func hasControlAPI() bool {
	resp, err := http.Get(suite.baseURL + "/__emulator/health")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var health struct {
		Status string `json:"status"`
	}
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&health) == nil && health.Status == "ok"
}

// addInjectedOnly marks 429, 500 and 503 of every operation as unreachable:
// on a target without the emulator's control API no request provokes them.
func addInjectedOnly(unreachable map[string]map[int]string) {
	for _, f := range families {
		for _, p := range f.probes(suite.profile) {
			if unreachable[p.op] == nil {
				unreachable[p.op] = map[int]string{}
			}
			for _, s := range injectedStatuses {
				unreachable[p.op][s] = "answered by the real API on its own (rate limit, failure); provoked only through the emulator's fault rules"
			}
		}
	}
}
