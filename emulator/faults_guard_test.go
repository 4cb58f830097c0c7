package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Fault rules that could never fire, or would break the connection, are
// refused with 422 naming the field; nothing is added.
func TestFaultRefusesRulesThatBreakTheConnectionOrNeverFire(t *testing.T) {
	cases := []struct {
		name, body string
		problems   []string
	}{
		{"control path", `{"path": "/__emulator/state", "status": 500}`,
			[]string{`path: "/__emulator/state" is under /__emulator/, which fault rules never apply to`}},
		{"control prefix", `{"path_prefix": "/__emulator/", "status": 500}`,
			[]string{`path_prefix: "/__emulator/" is under /__emulator/, which fault rules never apply to`}},
		{"trailing slash", `{"path": "/v1/customers/", "status": 500}`,
			[]string{`path: "/v1/customers/" never matches: requests are served with // folded and a trailing slash dropped`}},
		{"double slash", `{"path": "/v1//customers", "status": 500}`,
			[]string{`path: "/v1//customers" never matches: requests are served with // folded and a trailing slash dropped`}},
		{"content-length", `{"path": "/a", "status": 500, "headers": {"content-length": "1"}}`,
			[]string{`headers: "content-length" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"transfer-encoding", `{"path": "/a", "status": 500, "headers": {"Transfer-Encoding": "chunked"}}`,
			[]string{`headers: "Transfer-Encoding" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"connection", `{"path": "/a", "status": 500, "headers": {"Connection": "close"}}`,
			[]string{`headers: "Connection" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"upgrade", `{"path": "/a", "status": 500, "headers": {"Upgrade": "h2c"}}`,
			[]string{`headers: "Upgrade" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"keep-alive", `{"path": "/a", "status": 500, "headers": {"Keep-Alive": "timeout=5"}}`,
			[]string{`headers: "Keep-Alive" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"trailer", `{"path": "/a", "status": 500, "headers": {"Trailer": "X"}}`,
			[]string{`headers: "Trailer" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"te", `{"path": "/a", "status": 500, "headers": {"TE": "trailers"}}`,
			[]string{`headers: "TE" frames the connection (the emulator sets it, or it is hop-by-hop): a fault may not set it`}},
		{"NUL in a value", `{"path": "/a", "status": 500, "headers": {"X-A": "a\u0000b"}}`,
			[]string{`headers: the value of "X-A" has the control character U+0000 at byte 1`}},
		{"escape in a value", `{"path": "/a", "status": 500, "headers": {"X-A": "\u001b[31m"}}`,
			[]string{`headers: the value of "X-A" has the control character U+001B at byte 0`}},
		{"DEL in a value", `{"path": "/a", "status": 500, "headers": {"X-A": "ab\u007f"}}`,
			[]string{`headers: the value of "X-A" has the control character U+007F at byte 2`}},
		{"probability underflows", `{"path": "/a", "status": 500, "probability": 1e-300}`,
			[]string{"probability: 1e-300 is below 2^-53 (1.1102230246251565e-16), the smallest chance a rule can be drawn with"}},
		{"probability just under 2^-53", `{"path": "/a", "status": 500, "probability": 1.1102230246251563e-16}`,
			[]string{"probability: 1.1102230246251563e-16 is below 2^-53 (1.1102230246251565e-16), the smallest chance a rule can be drawn with"}},
		{"body over 64 KiB", `{"path": "/a", "status": 500, "body": "` + strings.Repeat("x", maxFaultBody) + `"}`,
			[]string{"body: 65538 bytes is more than 65536 (64 KiB)"}},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: tc.body})
			requireJSONError(t, r, http.StatusUnprocessableEntity)
			var body problemsBody
			require.NoError(t, json.Unmarshal(r.Body, &body))
			require.Equal(t, tc.problems, body.Problems)
			faults, err := ts.inst.Control.Faults()
			require.NoError(t, err)
			require.Empty(t, faults, "a refused rule was added")
		})
	}
}

// What is still allowed at the edges: a tab in a value, a probability of
// exactly 2^-53 or 0, a body of exactly 64 KiB, a prefix that only starts
// like the control API's.
func TestFaultAcceptsRulesAtTheBounds(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	for _, rule := range []FaultRule{
		{Path: "/a", Status: 500, Headers: map[string]string{"X-A": "a\tb"}},
		{Path: "/a", Status: 500, Probability: prob(minProbability)},
		{Path: "/a", Status: 500, Probability: prob(0)},
		{Path: "/a", Status: 500, Body: json.RawMessage(`"` + strings.Repeat("x", maxFaultBody-2) + `"`)},
		{PathPrefix: "/__emulator", Status: 500},
		{Path: "/", Status: 500, Method: "POST"},
	} {
		_, err := ctl.AddFault(rule)
		require.NoError(t, err, "%+v", rule.Path)
	}
}

// The 1,001st rule is refused over HTTP (422), and the rules stay as they were.
func TestFaultThe1001stRuleIsRefused(t *testing.T) {
	ts := newTestServer(t, Options{})
	for range maxFaultRules {
		_, err := ts.srv.faults.add(FaultRule{Path: "/v1/x", Status: 500})
		require.NoError(t, err)
	}
	r := ts.do(request{Method: http.MethodPost, Path: faultsPath, Body: `{"path": "/v1/y", "status": 503}`})
	requireJSONError(t, r, http.StatusUnprocessableEntity)
	var body problemsBody
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.Equal(t, []string{errTooManyFaults.Error()}, body.Problems)
	require.Len(t, ts.srv.faults.list(), maxFaultRules)
	require.Equal(t, http.StatusNotFound, ts.get("/v1/y").Status, "the refused rule does not fire")
}
