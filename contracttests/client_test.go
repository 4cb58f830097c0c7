package contracttests

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// auth is how a call presents credentials.
type auth int

const (
	authBearer auth = iota // Authorization: Bearer <the suite's key>
	authQuery              // ?api_key=<the suite's key>
	authNone               // no credentials
	authBadKey             // a key that matches no partner
	authBasic              // an Authorization header that is not Bearer
)

// badKey matches no partner on any target.
const badKey = "contract-tests-not-a-key"

// call is one request of a test.
type call struct {
	method string
	// path is the path and query, relative to the base URL.
	path string
	// body: nil sends none; a string or []byte is sent as it is; anything
	// else is sent as JSON.
	body any
	// contentType defaults to application/json when there is a body.
	contentType string
	auth        auth
	// invalid marks a request that breaks openapi.yaml on purpose (see
	// ExpectInvalid); other requests are checked before they are sent.
	invalid bool
}

// reply is what a call got back.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (r reply) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), "body: %s", r.body)
	return m
}

// decode decodes the body into v.
func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// do sends c to the target through the validating transport. A request or
// response that breaks openapi.yaml fails the test here, naming the
// operation, the status and the violation.
func do(t *testing.T, c call) reply {
	t.Helper()
	var body io.Reader
	var raw []byte
	switch b := c.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	if c.body != nil {
		body = bytes.NewReader(raw)
	}
	path := c.path
	if c.auth == authQuery {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "api_key=" + suite.apiKey
	}
	req, err := http.NewRequest(c.method, suite.baseURL+path, body)
	require.NoError(t, err)
	if c.body != nil {
		ct := c.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	switch c.auth {
	case authBearer:
		req.Header.Set("Authorization", "Bearer "+suite.apiKey)
	case authBadKey:
		req.Header.Set("Authorization", "Bearer "+badKey)
	case authBasic:
		req.Header.Set("Authorization", "Basic "+suite.apiKey)
	}
	if c.invalid {
		req = ExpectInvalid(req)
	}
	req = markRecorded(req, t.Name())
	resp, err := suite.client.Do(req)
	require.NoError(t, err, "%s %s", c.method, c.path)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: out}
}

// requireWrites skips a test that creates, changes or deletes anything unless
// writes are enabled (always against the in-process emulator; against another
// target only with CLOUDHEALTH_CONTRACT_WRITES=1).
func requireWrites(t *testing.T) {
	t.Helper()
	if !suite.writes {
		t.Skipf("writes to %s; set %s=1 to run it", suite.baseURL, envWrites)
	}
}

// requireError checks a {"error": "..."} answer with the status.
func requireError(t *testing.T, r reply, status int) string {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	var b map[string]any
	r.decode(t, &b)
	msg, ok := b["error"].(string)
	require.True(t, ok && msg != "", `want {"error": "..."}, got %s`, r.body)
	require.Len(t, b, 1, "body: %s", r.body)
	return msg
}

// requireErrors checks a 422 {"errors": [...]} answer and returns the messages.
func requireErrors(t *testing.T, r reply) []string {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, r.status, "body: %s", r.body)
	var b struct {
		Errors []string `json:"errors"`
	}
	r.decode(t, &b)
	require.NotEmpty(t, b.Errors, "body: %s", r.body)
	return b.Errors
}
