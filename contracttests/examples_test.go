package contracttests

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// Helpers shared by the customers and AWS accounts families: the guide's
// examples as openapi.yaml records them, unique names for what the tests
// create, and reading a whole paged list.

// specOperation returns the operation of openapi.yaml with the id.
func specOperation(t *testing.T, operationID string) *openapi3.Operation {
	t.Helper()
	doc, err := specDoc()
	require.NoError(t, err)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return op
			}
		}
	}
	t.Fatalf("openapi.yaml has no operation %s", operationID)
	return nil
}

// copyJSON returns a deep copy of v as plain JSON values (maps, slices,
// strings, float64, bool, nil).
func copyJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	return out
}

// requestExample is the request body example "guide" of an operation.
func requestExample(t *testing.T, operationID string) map[string]any {
	t.Helper()
	op := specOperation(t, operationID)
	require.NotNil(t, op.RequestBody, "%s has no request body", operationID)
	ex := op.RequestBody.Value.Content.Get("application/json").Examples["guide"]
	require.NotNil(t, ex, "%s has no request example \"guide\"", operationID)
	return copyJSON(t, ex.Value.Value)
}

// responseExample is the response example "guide" of an operation's status.
func responseExample(t *testing.T, operationID string, status int) map[string]any {
	t.Helper()
	resp := specOperation(t, operationID).Responses.Status(status)
	require.NotNil(t, resp, "%s documents no %d", operationID, status)
	ex := resp.Value.Content.Get("application/json").Examples["guide"]
	require.NotNil(t, ex, "%s %d has no example \"guide\"", operationID, status)
	return copyJSON(t, ex.Value.Value)
}

// nonce is a random number for names and owner ids, so that what a run
// creates never collides with what exists (or with an aborted run's leftovers).
func nonce(t *testing.T, digits int) string {
	t.Helper()
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, limit)
	require.NoError(t, err)
	return fmt.Sprintf("%0*d", digits, n)
}

// testName is a unique name for something a test creates; it starts with
// "contract-tests" so that leftovers of an aborted run are recognisable.
func testName(t *testing.T, what string) string {
	return fmt.Sprintf("contract-tests %s %s", what, nonce(t, 9))
}

// listAll reads every page of a list (path may carry a query) and returns
// its items as JSON objects.
func listAll(t *testing.T, path, key string) []map[string]any {
	t.Helper()
	sep := "?"
	for _, c := range path {
		if c == '?' {
			sep = "&"
		}
	}
	var all []map[string]any
	for page := 1; ; page++ {
		r := do(t, call{method: http.MethodGet, path: fmt.Sprintf("%s%sper_page=100&page=%d", path, sep, page)})
		require.Equal(t, http.StatusOK, r.status, "GET %s: %s", path, r.body)
		var body map[string][]map[string]any
		r.decode(t, &body)
		all = append(all, body[key]...)
		total, err := strconv.Atoi(r.header.Get("X-Total"))
		require.NoError(t, err)
		if len(body[key]) == 0 || len(all) >= total {
			return all
		}
	}
}

// idOf is the integer id of a JSON object.
func idOf(t *testing.T, m map[string]any) int64 {
	t.Helper()
	id, ok := m["id"].(float64)
	require.True(t, ok, "no integer id in %v", m)
	return int64(id)
}
