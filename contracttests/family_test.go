package contracttests

import (
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/stretchr/testify/require"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
)

// family is an endpoint family of openapi.yaml (one tag) as the suite covers
// it. Each family lives in its own file (assignments_test.go, azure_test.go,
// ...) with its tests and one addFamily call; the common tests of
// common_test.go then check the answers every operation shares (401, 403,
// 413, 414) through the family's probes.
type family struct {
	// tag is the family's tag in openapi.yaml; every operation with it must
	// have a probe.
	tag string
	// probes returns, for each operation of the family, a request that routes
	// to it. Ids come from the profile; nothing needs to exist, since the
	// common tests never get past the credentials check.
	probes func(p Profile) []probe
	// unreachable lists documented statuses that no request can provoke, by
	// operationId, with the reason; the coverage report shows them as such
	// instead of as gaps.
	unreachable map[string]map[int]string
}

// probe is a request that routes to one operation.
type probe struct {
	op, method, path string
	// body: the operation takes a request body (so it can answer 413).
	body bool
}

// families are the registered endpoint families, in registration order.
var families []family

// addFamily registers f; call it from a package-level var of the family's file:
//
//	var _ = addFamily(family{tag: "...", probes: ..., unreachable: ...})
func addFamily(f family) bool {
	families = append(families, f)
	return true
}

// unreachableStatuses merges every family's unreachable statuses.
func unreachableStatuses() map[string]map[int]string {
	out := map[string]map[int]string{}
	for _, f := range families {
		for op, statuses := range f.unreachable {
			if out[op] == nil {
				out[op] = map[int]string{}
			}
			for s, why := range statuses {
				out[op][s] = why
			}
		}
	}
	return out
}

// allProbes returns every family's probes for the suite's profile.
func allProbes() []probe {
	var out []probe
	for _, f := range families {
		out = append(out, f.probes(suite.profile)...)
	}
	return out
}

// Every family has a probe for each of its operations, each probe routes to
// the operation it names, and every unreachable status is one the operation
// documents.
func TestFamiliesProbeEveryOperation(t *testing.T) {
	doc, err := loadSpec(cloudhealthemulator.OpenAPI)
	require.NoError(t, err)
	for _, f := range families {
		t.Run(f.tag, func(t *testing.T) {
			want := map[string]bool{}
			for _, item := range doc.Paths.Map() {
				for _, op := range item.Operations() {
					if len(op.Tags) > 0 && op.Tags[0] == f.tag {
						want[op.OperationID] = true
					}
				}
			}
			require.NotEmpty(t, want, "openapi.yaml has no operation tagged %s", f.tag)
			got := map[string]bool{}
			for _, p := range f.probes(suite.profile) {
				req, err := http.NewRequest(p.method, suite.baseURL+p.path, nil)
				require.NoError(t, err)
				require.Equal(t, p.op, suite.transport.Operation(req), "probe %s %s", p.method, p.path)
				got[p.op] = true
			}
			require.Equal(t, want, got, "the family's probes and openapi.yaml's operations")
			for op, statuses := range f.unreachable {
				require.True(t, want[op], "unreachable statuses of %s, not an operation of %s", op, f.tag)
				for s := range statuses {
					var documented bool
					for _, item := range doc.Paths.Map() {
						for _, o := range item.Operations() {
							if o.OperationID == op && o.Responses.Status(s) != nil {
								documented = true
							}
						}
					}
					require.True(t, documented, "%s does not document %d", op, s)
				}
			}
		})
	}
}

// specDoc is openapi.yaml, loaded once for the tests that ask what it documents.
var specDoc = sync.OnceValues(func() (*openapi3.T, error) { return loadSpec(cloudhealthemulator.OpenAPI) })

// documents reports whether openapi.yaml documents status for the operation.
func documents(t *testing.T, operationID string, status int) bool {
	t.Helper()
	doc, err := specDoc()
	require.NoError(t, err)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return op.Responses.Status(status) != nil
			}
		}
	}
	t.Fatalf("openapi.yaml has no operation %s", operationID)
	return false
}
