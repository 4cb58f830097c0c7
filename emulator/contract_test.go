package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Many instances serve at once from the one compiled contract (run under
// -race): each keeps its own state, and none compiles openapi.yaml again.
func TestInstancesShareTheCompiledContract(t *testing.T) {
	const instances = 12
	insts := make([]*Instance, instances)
	for i := range insts {
		insts[i] = startTB(t, Options{OnSpecViolation: func(v SpecViolation) { t.Errorf("spec violation: %+v", v) }})
	}
	for _, inst := range insts[1:] {
		require.Same(t, insts[0].srv.api, inst.srv.api, "one openapi.yaml per process")
		require.Same(t, insts[0].srv.control, inst.srv.control, "one control-openapi.yaml per process")
	}
	var wg sync.WaitGroup
	for i, inst := range insts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Instance i creates i+1 customers; each list then shows its own.
			for n := range i + 1 {
				body := fmt.Sprintf(`{"name": "instance %d customer %d", "address": {"street1": "1 Main St", "city": "Boston", "state": "MA", "zipcode": "02110", "country": "USA"}}`, i, n)
				status, _ := sendAs(t, http.MethodPost, inst.URL+"/v1/customers", body)
				require.Equal(t, http.StatusOK, status)
			}
			_, err := inst.Control.AddFault(FaultRule{Method: http.MethodGet, Path: "/v1/aws_accounts", Status: http.StatusServiceUnavailable, Times: 1})
			require.NoError(t, err)
			status, _ := sendAs(t, http.MethodGet, inst.URL+"/v1/aws_accounts", "")
			require.Equal(t, http.StatusServiceUnavailable, status)
			status, data := sendAs(t, http.MethodGet, inst.URL+"/v1/customers?per_page=100", "")
			require.Equal(t, http.StatusOK, status)
			var list struct{ Customers []struct{ Name string } }
			require.NoError(t, json.Unmarshal(data, &list))
			created := 0
			for _, c := range list.Customers {
				if strings.HasPrefix(c.Name, "instance ") {
					require.True(t, strings.HasPrefix(c.Name, fmt.Sprintf("instance %d ", i)), "instance %d shows %q", i, c.Name)
					created++
				}
			}
			require.Equal(t, i+1, created)
		}()
	}
	wg.Wait()
}

// sendAs makes one request with the demo partner's key and reads the answer.
func sendAs(t *testing.T, method, url, body string) (int, []byte) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+demoKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, data
}
