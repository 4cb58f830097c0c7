package emulator

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pipelineStatuses are the answers serveAPI can give any operation before
// its handler runs, or instead of it (a fault rule).
var pipelineStatuses = []int{
	http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusRequestURITooLong,
	http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable,
}

// Every operation of openapi.yaml documents every status the pipeline can
// answer it with, and the emulator answers each of them (and HEAD on a GET)
// without a spec violation: newTestServer fails the test on any.
func TestEveryPipelineStatusIsDocumented(t *testing.T) {
	ts := newTestServer(t, Options{})
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	for id, op := range ts.srv.api.ops {
		path := param.ReplaceAllString(op.route.Path, "1")
		method := op.route.Method
		t.Run(id, func(t *testing.T) {
			for _, status := range pipelineStatuses {
				require.NotNil(t, op.route.Operation.Responses.Status(status), "%s does not document %d", id, status)
			}
			requireErrorShape(t, ts.do(request{Method: method, Path: path}), http.StatusUnauthorized)
			requireErrorShape(t, ts.do(request{Method: method, Path: path, Key: "nobody's key"}), http.StatusForbidden)
			requireErrorShape(t, ts.do(request{Method: method, Path: path + "?pad=" + strings.Repeat("a", maxURILength), Key: demoKey}), http.StatusRequestURITooLong)
			big := `{"padding": "` + strings.Repeat("x", maxBodyBytes) + `"}`
			requireErrorShape(t, ts.do(request{Method: method, Path: path, Key: demoKey, Body: big}), http.StatusRequestEntityTooLarge)
			for _, status := range []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
				_, err := ts.inst.Control.AddFault(FaultRule{Method: method, Path: path, Status: status, Times: 1})
				require.NoError(t, err)
				requireErrorShape(t, ts.do(request{Method: method, Path: path, Key: demoKey}), status)
			}
		})
	}
	require.Empty(t, ts.srv.faults.list(), "every fault rule was spent")
	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	for _, e := range entries {
		require.Empty(t, e.SpecViolation, "%s %s", e.Method, e.Path)
	}
}

// HEAD on every GET operation answers GET's status and headers, without a
// body (Rails routes HEAD to the GET action).
func TestHeadAnswersAsGet(t *testing.T) {
	ts := newTestServer(t, Options{})
	for id, op := range ts.srv.api.ops {
		if op.route.Method != http.MethodGet {
			continue
		}
		path := strings.NewReplacer("{id}", "7", "{client_api_id}", "1").Replace(op.route.Path)
		if strings.Contains(path, "govcloud") {
			path += "?client_api_id=1"
		}
		t.Run(id, func(t *testing.T) {
			get := ts.get(path)
			head := ts.do(request{Method: http.MethodHead, Path: path, Key: demoKey})
			require.Equal(t, get.Status, head.Status, "GET answered %s", get.Body)
			require.Empty(t, head.Body)
			for _, h := range []string{"Content-Type", "X-Total", "X-Per-Page", "Link"} {
				require.Equal(t, get.Header.Get(h), head.Header.Get(h), h)
			}
			require.Equal(t, strconv.Itoa(len(get.Body)), head.Header.Get("Content-Length"))
		})
	}
	r := ts.do(request{Method: http.MethodHead, Path: "/v1/no_such_thing", Key: demoKey})
	require.Equal(t, http.StatusNotFound, r.Status)
	require.Empty(t, r.Body)
	r = ts.do(request{Method: http.MethodHead, Path: assignmentsPath})
	require.Equal(t, http.StatusUnauthorized, r.Status)
}

// An encoded slash is part of its segment, never a separator.
func TestEncodedSlashIsNoSeparator(t *testing.T) {
	ts := newTestServer(t, Options{})
	require.Equal(t, http.StatusOK, ts.get(assignmentPath(1)).Status)
	for _, path := range []string{"/v1/aws_account_assignments%2F1", "/v1%2Faws_account_assignments/1", "/v1/aws_account_assignments/1%2F"} {
		requireErrorShape(t, ts.get(path), http.StatusNotFound)
	}
}

// A URI over 4000 characters gets the emulator's JSON 414 however long it
// is, up to the header limit: net/http's own plain-text 431 starts only
// beyond maxHeaderBytes.
func TestLongURIsAreJSON414s(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, n := range []int{maxURILength + 1, 70 << 10, 512 << 10} {
		requireErrorShape(t, ts.get(assignmentsPath+"?pad="+strings.Repeat("a", n)), http.StatusRequestURITooLong)
	}
}
