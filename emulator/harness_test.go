package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/rules"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// Keys of the default fixtures' two partners, short for the tests.
const (
	demoKey  = DemoPartnerKey
	otherKey = OtherPartnerKey
)

// testServer is an emulator on a real loopback listener, with helpers that
// speak plain HTTP to it. Any response that breaks openapi.yaml fails the
// test that caused it.
type testServer struct {
	t    testing.TB
	srv  *Server
	inst *Instance
	URL  string
}

// newTestServer starts an emulator on the default fixtures (or opts.Fixtures)
// with a fixed clock unless opts sets one.
func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	}
	opts.OnSpecViolation = func(v SpecViolation) {
		t.Errorf("response breaks openapi.yaml: %s %s (%s) status %d: %s", v.Method, v.Path, v.Operation, v.Status, v.Problem)
	}
	inst := startTB(t, opts)
	checkResetUndoesTheTest(t, inst.Server())
	return &testServer{t: t, srv: inst.Server(), inst: inst, URL: inst.URL}
}

// checkResetUndoesTheTest makes every test of a test server a test of the
// reset: when the test ends, whatever it did, a reset must give back the
// start-up state byte for byte (its dump) with every index true. A change
// the undo log missed (state/undo.go) fails the test that made it.
func checkResetUndoesTheTest(t testing.TB, srv *Server) {
	t.Helper()
	startUp := dumpOf(t, srv)
	t.Cleanup(func() {
		srv.resetState()
		require.Equal(t, startUp, dumpOf(t, srv), "a reset at the end of the test gives the start-up state back")
		srv.store.Read(func(st *state.State) {
			require.Empty(t, st.CheckIndexes(), "the indexes after a reset at the end of the test")
		})
	})
}

// dumpOf is the server's state as GET /__emulator/state gives it (JSON),
// read in process so that no request is journaled.
func dumpOf(t testing.TB, srv *Server) string {
	t.Helper()
	var buf bytes.Buffer
	srv.store.Read(func(st *state.State) { require.NoError(t, fixture.WriteJSON(&buf, st)) })
	return buf.String()
}

// sub returns the same server speaking for the subtest t, so that a failed
// assertion fails t and not the test that started the server. Only for
// subtests that leave the state as they found it.
func (ts *testServer) sub(t testing.TB) *testServer {
	return &testServer{t: t, srv: ts.srv, inst: ts.inst, URL: ts.URL}
}

// response is what a request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r response) JSON() any {
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return nil
	}
	return v
}

// Object decodes the body as a JSON object (nil when it is not one).
func (r response) Object() map[string]any {
	m, _ := r.JSON().(map[string]any)
	return m
}

// Errors returns the messages of an {"errors": [...]} body.
func (r response) Errors() []string {
	var b struct{ Errors []string }
	_ = json.Unmarshal(r.Body, &b)
	return b.Errors
}

// Error returns the message of an {"error": "..."} body.
func (r response) Error() string {
	var b struct{ Error string }
	_ = json.Unmarshal(r.Body, &b)
	return b.Error
}

// request is one request to send; Key is sent as a Bearer header unless empty.
type request struct {
	Method, Path, Key string
	// Body is sent as is; a non-string non-nil value is marshalled to JSON.
	Body any
	// ContentType defaults to application/json when there is a body.
	ContentType string
	Header      http.Header
	// Host, when set, is sent as the Host header instead of the server's.
	Host string
}

// do sends req and reads the whole response.
func (ts *testServer) do(req request) response {
	ts.t.Helper()
	var body io.Reader
	if req.Body != nil {
		switch b := req.Body.(type) {
		case string:
			body = strings.NewReader(b)
		case []byte:
			body = bytes.NewReader(b)
		default:
			data, err := json.Marshal(b)
			require.NoError(ts.t, err)
			body = bytes.NewReader(data)
		}
		if req.ContentType == "" {
			req.ContentType = "application/json"
		}
	}
	hr, err := http.NewRequest(req.Method, ts.URL+req.Path, body)
	require.NoError(ts.t, err)
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if req.Host != "" {
		hr.Host = req.Host
	}
	if req.ContentType != "" {
		hr.Header.Set("Content-Type", req.ContentType)
	}
	if req.Key != "" {
		hr.Header.Set("Authorization", "Bearer "+req.Key)
	}
	resp, err := http.DefaultClient.Do(hr)
	require.NoError(ts.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(ts.t, err)
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		ts.requireInvariants(req.Method + " " + req.Path)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// requireInvariants fails the test when the state breaks any invariant
// rules.CheckInvariants checks (what the rules keep true of the whole state):
// after every request that may change the state, whatever it answered.
func (ts *testServer) requireInvariants(after string) {
	ts.t.Helper()
	require.Empty(ts.t, ts.violations(), "the state breaks its invariants after %s", after)
}

// violations are the invariants the state breaks now (none: nil).
func (ts *testServer) violations() []string {
	var v []string
	ts.srv.store.Read(func(st *state.State) { v = rules.CheckInvariants(st) })
	return v
}

// get, post, put and del are shorthands for do with the demo partner's key.
func (ts *testServer) get(path string) response {
	return ts.do(request{Method: http.MethodGet, Path: path, Key: demoKey})
}

func (ts *testServer) post(path string, body any) response {
	return ts.do(request{Method: http.MethodPost, Path: path, Key: demoKey, Body: body})
}

func (ts *testServer) put(path string, body any) response {
	return ts.do(request{Method: http.MethodPut, Path: path, Key: demoKey, Body: body})
}

func (ts *testServer) del(path string) response {
	return ts.do(request{Method: http.MethodDelete, Path: path, Key: demoKey})
}

// stateDump returns the whole state as the control API dumps it.
func (ts *testServer) stateDump() string {
	ts.t.Helper()
	req := request{Method: http.MethodGet, Path: "/__emulator/state"}
	if ts.inst != nil && ts.inst.Control.AdminToken != "" {
		req.Header = http.Header{"X-Emulator-Admin-Token": {ts.inst.Control.AdminToken}}
	}
	r := ts.do(req)
	require.Equal(ts.t, http.StatusOK, r.Status)
	return string(r.Body)
}

// unchanged runs fn and fails the test unless the state is byte for byte
// what it was before: the proof that a refused request changed nothing.
func (ts *testServer) unchanged(fn func()) {
	ts.t.Helper()
	before := ts.stateDump()
	fn()
	require.Equal(ts.t, before, ts.stateDump(), "a refused request changed the state")
}

// requireJSONError checks that a response has the given status and a JSON {"error": "..."} body.
func requireJSONError(t testing.TB, r response, status int) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Header.Get("Content-Type"), "application/json")
	require.NotEmpty(t, r.Error(), "body: %s", r.Body)
}

// requireJSONErrors checks a 422 {"errors": [...]} body and returns its messages.
func requireJSONErrors(t testing.TB, r response) []string {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, "body: %s", r.Body)
	require.Contains(t, r.Header.Get("Content-Type"), "application/json")
	require.NotEmpty(t, r.Errors(), "body: %s", r.Body)
	return r.Errors()
}

// createdWithoutID asserts that r is a 200 with an object that has an id, and
// returns the object without its id, and the id.
func createdWithoutID(t testing.TB, r response) (map[string]any, any) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	body := r.Object()
	id := body["id"]
	require.NotNil(t, id)
	delete(body, "id")
	return body, id
}

// startTB starts an emulator for t and closes it when t ends, as
// emulatortest.Start does for other packages (which the emulator's own tests
// cannot import: it imports them).
func startTB(t testing.TB, opts Options) *Instance {
	t.Helper()
	inst, err := Start(opts)
	require.NoError(t, err, "starting the emulator")
	t.Cleanup(inst.Close)
	return inst
}
