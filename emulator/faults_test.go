package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Fault injection: POST, GET and DELETE /__emulator/faults[/{id}].

const faultsPath = "/__emulator/faults"

func prob(p float64) *float64 { return &p }

// getWithRetries is a client that retries a GET on 429 and 503, as a
// CloudHealth client should, reading Retry-After (seconds) but not waiting
// that long; it returns every status it saw and the Retry-After values.
func getWithRetries(t *testing.T, url string, attempts int) (statuses []int, retryAfter []string, body []byte) {
	t.Helper()
	for range attempts {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+demoKey)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
			return statuses, retryAfter, body
		}
		retryAfter = append(retryAfter, resp.Header.Get("Retry-After"))
		_, err = strconv.Atoi(resp.Header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After is a number of seconds")
	}
	return statuses, retryAfter, body
}

func TestFaultClientRetryScenario(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	fault, err := ctl.AddFault(FaultRule{Method: "get", Path: "/v1/aws_account_assignments/{id}", Status: http.StatusTooManyRequests,
		Headers: map[string]string{"Retry-After": "1"}, Times: 2})
	require.NoError(t, err)
	require.Equal(t, Fault{FaultRule: FaultRule{Method: "GET", Path: "/v1/aws_account_assignments/{id}", Status: 429,
		Headers: map[string]string{"Retry-After": "1"}, Times: 2}, ID: 1, Remaining: 2}, fault)

	statuses, retryAfter, body := getWithRetries(t, ts.URL+assignmentPath(1), 5)
	require.Equal(t, []int{429, 429, 200}, statuses)
	require.Equal(t, []string{"1", "1"}, retryAfter)
	var got map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	require.Equal(t, assignment(1, "000000000002", 1, "000000000002"), got, "the real answer after the faults")

	entries, err := ctl.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 3)
	for i, e := range entries {
		require.Equal(t, assignmentPath(1), e.Path)
		require.Equal(t, statuses[i], e.Status)
		require.Equal(t, i < 2, e.Injected, "entry %d", i)
	}
	require.Equal(t, int64(1), entries[0].FaultID)
	require.Zero(t, entries[2].FaultID)

	faults, err := ctl.Faults()
	require.NoError(t, err)
	require.Empty(t, faults, "a rule with times is removed when spent")
}

func TestFaultAnswers(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name        string
		rule        string
		wantStatus  int
		wantType    string
		wantBody    string
		wantHeaders map[string]string
	}{
		{"default body", `{"path_prefix": "/", "status": 503}`, 503, "application/json; charset=utf-8",
			`{"error":"Service Unavailable (injected by emulator fault 1)"}` + "\n", nil},
		{"JSON body", `{"path": "/v1/aws_account_assignments", "status": 500, "body": {"error": "boom", "n": [1, 2]}}`, 500,
			"application/json; charset=utf-8", `{"error":"boom","n":[1,2]}` + "\n", nil},
		{"text body", `{"path": "/v1/aws_account_assignments", "status": 502, "body": "<html>Bad gateway</html>"}`, 502,
			"text/plain; charset=utf-8", "<html>Bad gateway</html>", nil},
		{"headers win", `{"path": "/v1/aws_account_assignments", "status": 502, "body": "<html/>", "headers": {"Content-Type": "text/html", "X-Request-Id": "abc"}}`,
			502, "text/html", "<html/>", map[string]string{"X-Request-Id": "abc"}},
		{"no content", `{"path": "/v1/aws_account_assignments", "status": 204}`, 204, "application/json; charset=utf-8", "", nil},
		{"a success", `{"method": "GET", "path": "/v1/aws_account_assignments", "status": 200, "body": []}`, 200,
			"application/json; charset=utf-8", "[]\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			r := ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: tc.rule})
			require.Equal(t, http.StatusCreated, r.Status, "body: %s", r.Body)
			id := int64(r.Object()["id"].(float64))
			require.Equal(t, faultsPath+"/"+strconv.FormatInt(id, 10), r.Header.Get("Location"))
			t.Cleanup(func() { require.NoError(t, ts.inst.Control.RemoveFault(id)) })
			if tc.name == "default body" {
				tc.wantBody = strings.Replace(tc.wantBody, "fault 1", "fault "+strconv.FormatInt(id, 10), 1)
			}
			got := ts.get(assignmentsPath)
			require.Equal(t, tc.wantStatus, got.Status)
			require.Equal(t, tc.wantType, got.Header.Get("Content-Type"))
			require.Equal(t, tc.wantBody, string(got.Body))
			for k, v := range tc.wantHeaders {
				require.Equal(t, v, got.Header.Get(k))
			}
		})
	}
	ts.inst.srv.faults.clear()
	require.Equal(t, http.StatusOK, ts.get(assignmentsPath).Status)
}

func TestFaultMatching(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name  string
		rule  FaultRule
		hit   []string // "METHOD path"
		unhit []string
	}{
		{"pattern", FaultRule{Path: "/v1/aws_account_assignments/{id}", Status: 500},
			[]string{"GET /v1/aws_account_assignments/1", "DELETE /v1/aws_account_assignments/99", "GET /v1/aws_account_assignments/abc/"},
			[]string{"GET /v1/aws_account_assignments", "GET /v1/aws_account_assignments/1/x"}},
		{"method", FaultRule{Method: "POST", Path: "/v1/aws_account_assignments", Status: 500},
			[]string{"POST /v1/aws_account_assignments"},
			[]string{"GET /v1/aws_account_assignments"}},
		{"prefix", FaultRule{PathPrefix: "/v1/aws_account_assignments", Status: 500},
			[]string{"GET /v1/aws_account_assignments", "GET /v1/aws_account_assignments/1"},
			[]string{"GET /v1/partner/azure_customer_accounts", "GET /v1/nope"}},
		{"before credentials", FaultRule{Path: "/nothing/here", Status: 418},
			[]string{"GET /nothing/here"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			fault, err := ts.inst.Control.AddFault(tc.rule)
			require.NoError(t, err)
			defer func() { require.NoError(t, ts.inst.Control.RemoveFault(fault.ID)) }()
			ts.unchanged(func() {
				for _, req := range tc.hit {
					method, path, _ := strings.Cut(req, " ")
					require.Equal(t, tc.rule.Status, ts.do(request{Method: method, Path: path}).Status, req)
				}
				for _, req := range tc.unhit {
					method, path, _ := strings.Cut(req, " ")
					require.NotEqual(t, tc.rule.Status, ts.do(request{Method: method, Path: path, Key: demoKey}).Status, req)
				}
			})
			got, err := ts.inst.Control.Fault(fault.ID)
			require.NoError(t, err)
			require.Equal(t, int64(len(tc.hit)), got.Matched)
		})
	}
}

func TestPathMatches(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/v1/x/{id}", "/v1/x/1", true},
		{"/v1/x/{id}", "/v1/x/", false},
		{"/v1/x/{id}", "/v1/x", false},
		{"/v1/x/{id}", "/v1/x/1/y", false},
		{"/v1/{a}/{b}", "/v1/x/y", true},
		{"/v1/x", "/v1/x", true},
		{"/v1/x", "/v1/y", false},
		{"/v1/x/{id}/y", "/v1/x/7/y", true},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, pathMatches(tc.pattern, tc.path), "%s %s", tc.pattern, tc.path)
	}
}

func TestFaultLatency(t *testing.T) {
	ts := newTestServer(t, Options{})
	fault, err := ts.inst.Control.AddFault(FaultRule{Path: "/v1/aws_account_assignments/{id}", LatencyMS: 300})
	require.NoError(t, err)

	started := time.Now()
	r := ts.get(assignmentPath(1))
	require.GreaterOrEqual(t, time.Since(started), 300*time.Millisecond)
	require.Equal(t, http.StatusOK, r.Status, "latency alone: the real answer follows")
	require.Equal(t, assignment(1, "000000000002", 1, "000000000002"), r.Object())

	// With a status, the injected answer comes after the latency.
	_, err = ts.inst.Control.AddFault(FaultRule{Path: "/v1/aws_account_assignments", Status: 503, LatencyMS: 200})
	require.NoError(t, err)
	started = time.Now()
	require.Equal(t, http.StatusServiceUnavailable, ts.get(assignmentsPath).Status)
	require.GreaterOrEqual(t, time.Since(started), 200*time.Millisecond)

	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 2)
	require.Equal(t, fault.ID, entries[0].FaultID)
	require.False(t, entries[0].Injected)
	require.GreaterOrEqual(t, entries[0].DurationMS, 300.0)
	require.True(t, entries[1].Injected)
	require.GreaterOrEqual(t, entries[1].DurationMS, 200.0)
}

func TestFaultClosesTheConnection(t *testing.T) {
	ts := newTestServer(t, Options{})
	_, err := ts.inst.Control.AddFault(FaultRule{Method: "POST", Path: "/v1/aws_account_assignments", CloseConnection: true, Times: 1})
	require.NoError(t, err)

	ts.unchanged(func() {
		req, err := http.NewRequest(http.MethodPost, ts.URL+assignmentsPath, strings.NewReader(`{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003"}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+demoKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		require.Error(t, err, "the client sees the connection closed")
	})
	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, 0, entries[0].Status)
	require.True(t, entries[0].Injected)
	require.Contains(t, entries[0].RequestBody, `"owner_id": "000000000003"`, "the body is journaled")

	// Spent: the next request gets the real answer.
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("000000000003", 4, "000000000003")).Status)
	closed := 0
	entries, err = ts.inst.Control.Journal(JournalFilter{Status: &closed})
	require.NoError(t, err)
	require.Len(t, entries, 1)
}

func TestFaultProbability(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, p := range []float64{0, 1} {
		fault, err := ts.inst.Control.AddFault(FaultRule{Path: "/v1/aws_account_assignments", Status: 500, Probability: prob(p)})
		require.NoError(t, err)
		want := http.StatusOK
		if p == 1 {
			want = http.StatusInternalServerError
		}
		for range 30 {
			require.Equal(t, want, ts.get(assignmentsPath).Status, "probability %v", p)
		}
		got, err := ts.inst.Control.Fault(fault.ID)
		require.NoError(t, err)
		require.Equal(t, int64(30*p), got.Matched)
		require.NoError(t, ts.inst.Control.RemoveFault(fault.ID))
	}
	// A rule that does not fire lets the next one try.
	_, err := ts.inst.Control.AddFault(FaultRule{PathPrefix: "/", Status: 500, Probability: prob(0)})
	require.NoError(t, err)
	_, err = ts.inst.Control.AddFault(FaultRule{PathPrefix: "/", Status: 503})
	require.NoError(t, err)
	require.Equal(t, http.StatusServiceUnavailable, ts.get(assignmentsPath).Status)
}

func TestFaultOperations(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	list := func() []int64 {
		faults, err := ctl.Faults()
		require.NoError(t, err)
		ids := []int64{}
		for _, f := range faults {
			ids = append(ids, f.ID)
		}
		return ids
	}
	require.Equal(t, []int64{}, list())
	r := ts.do(request{Method: http.MethodGet, Path: faultsPath})
	require.JSONEq(t, `{"faults": []}`, string(r.Body))

	for range 3 {
		_, err := ctl.AddFault(FaultRule{Path: "/v1/x", Status: 500})
		require.NoError(t, err)
	}
	require.Equal(t, []int64{1, 2, 3}, list())
	got, err := ctl.Fault(2)
	require.NoError(t, err)
	require.Equal(t, Fault{FaultRule: FaultRule{Path: "/v1/x", Status: 500}, ID: 2}, got)

	r = ts.do(request{Method: http.MethodDelete, Path: faultsPath + "/2"})
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Empty(t, r.Body)
	require.Equal(t, []int64{1, 3}, list())
	requireJSONError(t, ts.do(request{Method: http.MethodDelete, Path: faultsPath + "/2"}), http.StatusNotFound)
	requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: faultsPath + "/2"}), http.StatusNotFound)
	var ce *ControlError
	require.ErrorAs(t, ctl.RemoveFault(2), &ce)
	require.Equal(t, http.StatusNotFound, ce.Status)

	r = ts.do(request{Method: http.MethodDelete, Path: faultsPath})
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Equal(t, []int64{}, list())
	f, err := ctl.AddFault(FaultRule{Path: "/v1/x", Status: 500})
	require.NoError(t, err)
	require.Equal(t, int64(4), f.ID, "ids are not reused")
	require.NoError(t, ctl.ClearFaults())
	require.Equal(t, []int64{}, list())
}

func TestFaultRefusesBadRules(t *testing.T) {
	cases := []struct {
		name, body string
		problems   []string
	}{
		{"no path", `{"status": 500}`, []string{"path or path_prefix: one of them is required"}},
		{"both paths", `{"path": "/a", "path_prefix": "/a", "status": 500}`, []string{"path and path_prefix: give only one of them"}},
		{"relative path", `{"path": "v1/a", "status": 500}`, []string{`path: "v1/a" must start with /`}},
		{"relative prefix", `{"path_prefix": "v1", "status": 500}`, []string{`path_prefix: "v1" must start with /`}},
		{"half a parameter", `{"path": "/v1/a{id}", "status": 500}`, []string{`path: segment "a{id}": a parameter is a whole segment like {id}`}},
		{"bad method", `{"method": "FETCH", "path": "/a", "status": 500}`, []string{`method: "FETCH" is not an HTTP method`}},
		{"status too low", `{"path": "/a", "status": 99}`, []string{"status: 99 is not between 200 and 599"}},
		{"status too high", `{"path": "/a", "status": 600}`, []string{"status: 600 is not between 200 and 599"}},
		{"does nothing", `{"path": "/a"}`, []string{"the rule does nothing: give a status, latency_ms or close_connection"}},
		{"body without status", `{"path": "/a", "latency_ms": 5, "body": {}}`, []string{"body and headers: they need a status"}},
		{"close with status", `{"path": "/a", "close_connection": true, "status": 500}`,
			[]string{"close_connection: it answers nothing, so status, body and headers must not be set"}},
		{"negative latency", `{"path": "/a", "latency_ms": -1}`, []string{"latency_ms: -1 is not between 0 and 600000"}},
		{"huge latency", `{"path": "/a", "latency_ms": 600001}`, []string{"latency_ms: 600001 is not between 0 and 600000"}},
		{"bad header name", `{"path": "/a", "status": 500, "headers": {"Retry After": "1"}}`, []string{`headers: "Retry After" is not a header name`}},
		{"header line break", `{"path": "/a", "status": 500, "headers": {"X-A": "1\r\nX-B: 2"}}`, []string{`headers: the value of "X-A" has the control character U+000D at byte 1`}},
		{"negative times", `{"path": "/a", "status": 500, "times": -2}`, []string{"times: -2 is negative"}},
		{"probability over 1", `{"path": "/a", "status": 500, "probability": 1.5}`, []string{"probability: 1.5 is not between 0 and 1"}},
		{"probability negative", `{"path": "/a", "status": 500, "probability": -0.1}`, []string{"probability: -0.1 is not between 0 and 1"}},
		{"times and probability", `{"path": "/a", "status": 500, "times": 2, "probability": 0.5}`, []string{"times and probability: give only one of them"}},
		{"everything wrong", `{"method": "x", "status": 1}`, []string{`method: "X" is not an HTTP method`, "path or path_prefix: one of them is required",
			"status: 1 is not between 200 and 599"}},
		{"unknown field", `{"path": "/a", "status": 500, "count": 2}`, nil},
		{"wrong type", `{"path": "/a", "status": "500"}`, nil},
		{"malformed", `{"path": "/a"`, nil},
		{"not an object", `[{"path": "/a", "status": 500}]`, nil},
		{"empty", ``, nil},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			r := ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: tc.body, ContentType: "application/json"})
			requireJSONError(t, r, http.StatusUnprocessableEntity)
			if tc.problems != nil {
				var body problemsBody
				require.NoError(t, json.Unmarshal(r.Body, &body))
				require.Equal(t, tc.problems, body.Problems)
			}
		})
	}
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: `{"path": "/a", "status": 500}`, ContentType: "text/plain"}),
		http.StatusUnprocessableEntity)
	requireJSONError(t, ts.do(request{Method: http.MethodPost, Path: faultsPath,
		Body: `{"path": "/a", "status": 500, "body": "` + strings.Repeat("x", maxBodyBytes) + `"}`}), http.StatusRequestEntityTooLarge)
	faults, err := ts.inst.Control.Faults()
	require.NoError(t, err)
	require.Empty(t, faults, "no refused rule was added")
}

func TestFaultLatencyClientGivesUp(t *testing.T) {
	ts := newTestServer(t, Options{})
	fault, err := ts.inst.Control.AddFault(FaultRule{Path: "/v1/aws_account_assignments", LatencyMS: 5000})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+assignmentsPath, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+demoKey)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// Once the request waits out the latency, the client gives up.
	require.Eventually(t, func() bool {
		f, err := ts.inst.Control.Fault(fault.ID)
		return err == nil && f.Matched == 1
	}, 5*time.Second, 10*time.Millisecond)
	started := time.Now()
	cancel()
	require.Error(t, <-done)
	require.Eventually(t, func() bool {
		noAnswer := 0
		entries, err := ts.inst.Control.Journal(JournalFilter{Status: &noAnswer})
		return err == nil && len(entries) == 1 && !entries[0].Injected && entries[0].FaultID == fault.ID
	}, 3*time.Second, 20*time.Millisecond, "journaled as no answer")
	require.Less(t, time.Since(started), 3*time.Second, "the emulator stopped waiting")
}
