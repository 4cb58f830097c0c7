package emulator

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// What every request goes through before a handler (docs/fidelity.md,
// "Everywhere" and "The request path"): limits, credentials, routing,
// slashes, content types, error shapes and panics, on the AWS account
// assignment endpoints.

// sendRaw sends a request the harness cannot express (no Content-Type, a
// chunked body, an odd Authorization header) and never follows a redirect,
// so that a 301 shows as one.
func sendRaw(t testing.TB, req *http.Request) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// newRawRequest builds a request to ts; a nil body sends none.
func newRawRequest(t testing.TB, ts *testServer, method, path string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	require.NoError(t, err)
	return req
}

// requireErrorShape checks the body of an error answer: {"errors": [...]}
// for a 422 of the assignment endpoints, {"error": "..."} for anything else,
// always JSON and nothing more.
func requireErrorShape(t testing.TB, r response, status int) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	body := r.Object()
	require.NotNil(t, body, "not a JSON object: %q", r.Body)
	require.Len(t, body, 1, "body: %s", r.Body)
	if status == http.StatusUnprocessableEntity {
		require.NotEmpty(t, r.Errors(), "body: %s", r.Body)
		for _, msg := range r.Errors() {
			require.NotEmpty(t, msg)
		}
		return
	}
	require.NotEmpty(t, r.Error(), "body: %s", r.Body)
}

var createBody = `{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003"}`

func TestAuthentication(t *testing.T) {
	cases := []struct {
		name          string
		authorization string // sent as is when not empty
		apiKey        string // sent as ?api_key= when not empty
		status        int
		total         string // X-Total of the partner the key belongs to
	}{
		{name: "no credentials", status: http.StatusUnauthorized},
		{name: "empty api_key", apiKey: "-", status: http.StatusUnauthorized},
		{name: "Basic header", authorization: "Basic ZGVtbzpkZW1v", status: http.StatusUnauthorized},
		{name: "Bearer with an empty key", authorization: "Bearer ", status: http.StatusUnauthorized},
		{name: "Bearer and no key", authorization: "Bearer", status: http.StatusUnauthorized},
		{name: "a bare key", authorization: demoKey, status: http.StatusUnauthorized},
		{name: "Token scheme", authorization: "Token " + demoKey, status: http.StatusUnauthorized},
		{name: "unknown Bearer key", authorization: "Bearer nope", status: http.StatusForbidden},
		{name: "unknown api_key", apiKey: "nope", status: http.StatusForbidden},
		{name: "Bearer key", authorization: "Bearer " + demoKey, status: http.StatusOK, total: "3"},
		{name: "api_key", apiKey: demoKey, status: http.StatusOK, total: "3"},
		{name: "other partner's api_key", apiKey: otherKey, status: http.StatusOK, total: "1"},
		{name: "scheme in lower case", authorization: "bearer " + otherKey, status: http.StatusOK, total: "1"},
		{name: "header wins over a bad api_key", authorization: "Bearer " + demoKey, apiKey: "nope", status: http.StatusOK, total: "3"},
		{name: "header wins over another valid api_key", authorization: "Bearer " + otherKey, apiKey: demoKey, status: http.StatusOK, total: "1"},
		{name: "a bad header key wins over a valid api_key", authorization: "Bearer nope", apiKey: demoKey, status: http.StatusForbidden},
		{name: "a non-Bearer header leaves the api_key", authorization: "Basic ZGVtbzpkZW1v", apiKey: demoKey, status: http.StatusOK, total: "3"},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := assignmentsPath
			switch tc.apiKey {
			case "":
			case "-":
				path += "?api_key="
			default:
				path += "?api_key=" + tc.apiKey
			}
			req := newRawRequest(t, ts, http.MethodGet, path, nil)
			if tc.authorization != "" {
				req.Header.Set("Authorization", tc.authorization)
			}
			r := sendRaw(t, req)
			if tc.status != http.StatusOK {
				requireErrorShape(t, r, tc.status)
				return
			}
			require.Equal(t, tc.status, r.Status, "body: %s", r.Body)
			require.Equal(t, tc.total, r.Header.Get("X-Total"), "the key's partner")
		})
	}
}

// Every operation refuses a request without credentials (401) or with an
// unknown key (403), and changes nothing.
func TestEveryOperationNeedsAKey(t *testing.T) {
	ops := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, assignmentsPath, nil},
		{http.MethodPost, assignmentsPath, createBody},
		{http.MethodGet, assignmentPath(1), nil},
		{http.MethodPut, assignmentPath(1), `{"customer_id": 4}`},
		{http.MethodDelete, assignmentPath(1), nil},
	}
	ts := newTestServer(t, Options{})
	for _, op := range ops {
		t.Run(op.method+" "+op.path, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				requireErrorShape(t, ts.do(request{Method: op.method, Path: op.path, Body: op.body}), http.StatusUnauthorized)
				requireErrorShape(t, ts.do(request{Method: op.method, Path: op.path, Body: op.body, Key: "nope"}), http.StatusForbidden)
				requireErrorShape(t, ts.do(request{Method: op.method, Path: op.path + "?api_key=nope", Body: op.body}), http.StatusForbidden)
			})
		})
	}
}

func TestNotFound(t *testing.T) {
	cases := []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, assignmentPath(999), nil},
		{http.MethodGet, assignmentPath(4), nil}, // the other partner's
		{http.MethodPut, assignmentPath(4), `{}`},
		{http.MethodDelete, assignmentPath(4), nil},
		{http.MethodPut, assignmentPath(999), `{}`},
		{http.MethodDelete, assignmentPath(999), nil},
		{http.MethodGet, assignmentsPath + "/abc", nil},
		{http.MethodPut, assignmentsPath + "/abc", `{}`},
		{http.MethodDelete, assignmentsPath + "/abc", nil},
		{http.MethodGet, assignmentsPath + "/-1", nil},
		{http.MethodGet, assignmentsPath + "/1.0", nil},
		{http.MethodGet, assignmentsPath + "/1e3", nil},
		{http.MethodGet, assignmentsPath + "/99999999999999999999", nil},
		{http.MethodGet, assignmentsPath + "/1/extra", nil},
		{http.MethodGet, "/", nil},
		{http.MethodGet, "/v1", nil},
		{http.MethodGet, "/v1/nope", nil},
		{http.MethodGet, "/v3/aws_account_assignments", nil},
		{http.MethodGet, "/V1/AWS_ACCOUNT_ASSIGNMENTS", nil},
		// Methods a path does not serve.
		{http.MethodPatch, assignmentPath(1), `{}`},
		{http.MethodPost, assignmentPath(1), createBody},
		{http.MethodPut, assignmentsPath, `{}`},
		{http.MethodDelete, assignmentsPath, nil},
		{http.MethodPatch, assignmentsPath, createBody},
		{http.MethodOptions, assignmentsPath, nil},
		{"PROPFIND", assignmentsPath, nil},
		// Paths with dot segments are not cleaned into a route.
		{http.MethodGet, "/v1/../v1/aws_account_assignments", nil},
		{http.MethodGet, "/v1/aws_account_assignments/../aws_account_assignments", nil},
		{http.MethodGet, "/v1/aws_account_assignments/1/..", nil},
		{http.MethodGet, "/v1/aws_account_assignments/..", nil},
		{http.MethodGet, "/v1/aws_account_assignments/./1", nil},
		{http.MethodGet, "/v1/%2e%2e/v1/aws_account_assignments", nil},
		{http.MethodPost, "/v1/x/../aws_account_assignments", createBody},
		{http.MethodPut, "/v1/aws_account_assignments/5/../1", `{"customer_id": 4}`},
		{http.MethodDelete, "/v1/aws_account_assignments/../aws_account_assignments/1", nil},
		{http.MethodDelete, "/v1/aws_account_assignments/5/../1", nil},
	}
	ts := newTestServer(t, Options{})
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() {
				requireErrorShape(t, ts.do(request{Method: tc.method, Path: tc.path, Key: demoKey, Body: tc.body}), http.StatusNotFound)
			})
		})
	}
}

func TestURITooLong(t *testing.T) {
	ts := newTestServer(t, Options{})
	// A request URI (path and query) of exactly n characters.
	uri := func(n int) string {
		prefix := assignmentsPath + "?pad="
		return prefix + strings.Repeat("a", n-len(prefix))
	}
	require.Len(t, uri(4000), 4000)
	require.Equal(t, http.StatusOK, ts.get(uri(4000)).Status, "4000 characters are allowed")

	ts.unchanged(func() {
		requireErrorShape(t, ts.get(uri(4001)), http.StatusRequestURITooLong)
		// Before credentials: 414 with no key, a bad key or a good one.
		requireErrorShape(t, ts.do(request{Method: http.MethodGet, Path: uri(4001)}), http.StatusRequestURITooLong)
		requireErrorShape(t, ts.do(request{Method: http.MethodGet, Path: uri(4001), Key: "nope"}), http.StatusRequestURITooLong)
		// Before the route: an unknown path.
		requireErrorShape(t, ts.do(request{Method: http.MethodGet, Path: "/nope?pad=" + strings.Repeat("a", 4000)}), http.StatusRequestURITooLong)
		// On writes, with a valid body.
		requireErrorShape(t, ts.post(uri(4001), createBody), http.StatusRequestURITooLong)
		requireErrorShape(t, ts.put(assignmentPath(1)+"?pad="+strings.Repeat("a", 4000), `{"customer_id": 4}`), http.StatusRequestURITooLong)
		requireErrorShape(t, ts.del(assignmentPath(1)+"?pad="+strings.Repeat("a", 4000)), http.StatusRequestURITooLong)
		// A long path, not only a long query.
		requireErrorShape(t, ts.get("/"+strings.Repeat("v", 4001)), http.StatusRequestURITooLong)
	})
}

func TestBodyTooLarge(t *testing.T) {
	ts := newTestServer(t, Options{})
	// A valid create body padded with white space to exactly n bytes.
	padded := func(body string, n int) string { return body + strings.Repeat(" ", n-len(body)) }
	const mib = 1 << 20

	ts.unchanged(func() {
		// Declared Content-Length over 1 MiB: 413 before credentials and route.
		requireErrorShape(t, ts.post(assignmentsPath, padded(createBody, mib+1)), http.StatusRequestEntityTooLarge)
		requireErrorShape(t, ts.do(request{Method: http.MethodPost, Path: assignmentsPath, Body: padded(createBody, mib+1)}), http.StatusRequestEntityTooLarge)
		requireErrorShape(t, ts.do(request{Method: http.MethodPost, Path: "/nope", Body: padded(createBody, mib+1), Key: "nope"}), http.StatusRequestEntityTooLarge)
		requireErrorShape(t, ts.put(assignmentPath(1), padded(`{"customer_id": 4}`, mib+1)), http.StatusRequestEntityTooLarge)

		// A chunked body (no Content-Length) over 1 MiB.
		for _, tc := range []struct{ method, path, body string }{
			{http.MethodPost, assignmentsPath, createBody},
			{http.MethodPut, assignmentPath(1), `{"customer_id": 4}`},
		} {
			req := newRawRequest(t, ts, tc.method, tc.path, io.MultiReader(strings.NewReader(padded(tc.body, mib)), strings.NewReader("  ")))
			req.ContentLength = -1
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+demoKey)
			r := sendRaw(t, req)
			requireErrorShape(t, r, http.StatusRequestEntityTooLarge)
		}
	})

	// Exactly 1 MiB is allowed, declared or chunked.
	r := ts.post(assignmentsPath, padded(createBody, mib))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	req := newRawRequest(t, ts, http.MethodPut, assignmentPath(newAssignmentID), io.MultiReader(strings.NewReader(padded(`{"customer_id": 4}`, mib))))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+demoKey)
	r = sendRaw(t, req)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
}

// docs/fidelity.md, "Everywhere", order of checks: 414 and 413 first, then
// credentials, then the route, then the body.
func TestOrderOfChecks(t *testing.T) {
	ts := newTestServer(t, Options{})
	long := "?pad=" + strings.Repeat("a", 4000)
	cases := []struct {
		name   string
		req    request
		status int
	}{
		{"414 before 401", request{Method: http.MethodGet, Path: assignmentsPath + long}, http.StatusRequestURITooLong},
		{"414 before 403", request{Method: http.MethodGet, Path: assignmentsPath + long, Key: "nope"}, http.StatusRequestURITooLong},
		{"413 before 401", request{Method: http.MethodPost, Path: assignmentsPath, Body: strings.Repeat(" ", 1<<20+1)}, http.StatusRequestEntityTooLarge},
		{"401 before 404 (unknown path)", request{Method: http.MethodGet, Path: "/v1/nope"}, http.StatusUnauthorized},
		{"401 before 404 (unknown id)", request{Method: http.MethodGet, Path: assignmentPath(999)}, http.StatusUnauthorized},
		{"401 before 404 (method not served)", request{Method: http.MethodPatch, Path: assignmentPath(1), Body: `{}`}, http.StatusUnauthorized},
		{"403 before 404", request{Method: http.MethodGet, Path: "/v1/nope", Key: "nope"}, http.StatusForbidden},
		{"401 before 422 (body)", request{Method: http.MethodPost, Path: assignmentsPath, Body: `{`}, http.StatusUnauthorized},
		{"401 before 422 (query)", request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages?client_api_id=x"}, http.StatusUnauthorized},
		{"403 before 422 (body)", request{Method: http.MethodPost, Path: assignmentsPath, Body: `{`, Key: "nope"}, http.StatusForbidden},
		{"404 (unknown id) before 422 (malformed body) on PUT", request{Method: http.MethodPut, Path: assignmentPath(999), Body: `{`, Key: demoKey}, http.StatusNotFound},
		{"404 (other partner's id) before 422 on PUT", request{Method: http.MethodPut, Path: assignmentPath(4), Body: `{"owner_id": 1}`, Key: demoKey}, http.StatusNotFound},
		{"404 before 422 (content type) on PUT", request{Method: http.MethodPut, Path: assignmentPath(999), Body: `{}`, ContentType: "text/plain", Key: demoKey}, http.StatusNotFound},
		{"404 before 422 (rules) on PUT", request{Method: http.MethodPut, Path: assignmentPath(999), Body: `{"customer_id": 3}`, Key: demoKey}, http.StatusNotFound},
		{"404 (route) before 422 (body)", request{Method: http.MethodPost, Path: assignmentsPath + "/x", Body: `{`, Key: demoKey}, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() { requireErrorShape(t, ts.do(tc.req), tc.status) })
		})
	}
}

func TestRequestBodies(t *testing.T) {
	cases := []struct {
		name        string
		contentType string // "-" sends no Content-Type header at all
		body        string
		want        []string // the exact messages; nil: check prefixes
		prefixes    []string // each message starts with one, in order
	}{
		{name: "no Content-Type", contentType: "-", body: createBody, want: []string{msgContentType}},
		{name: "empty Content-Type", contentType: " ", body: createBody, want: []string{msgContentType}},
		{name: "form-encoded", contentType: "application/x-www-form-urlencoded", body: "owner_id=000000000003&customer_id=4&payer_account_owner_id=000000000003", want: []string{msgContentType}},
		{name: "form-encoded JSON", contentType: "application/x-www-form-urlencoded", body: createBody, want: []string{msgContentType}},
		{name: "multipart", contentType: "multipart/form-data; boundary=x", body: "--x--", want: []string{msgContentType}},
		{name: "text/plain", contentType: "text/plain", body: createBody, want: []string{msgContentType}},
		{name: "application/xml", contentType: "application/xml", body: "<a/>", want: []string{msgContentType}},
		{name: "a JSON-like media type", contentType: "application/merge-patch+json", body: createBody, want: []string{msgContentType}},
		{name: "empty body", body: "", want: []string{msgMalformedJSON}},
		{name: "white space", body: "  \n", want: []string{msgMalformedJSON}},
		{name: "malformed JSON", body: `{"owner_id": "000000000003",`, want: []string{msgMalformedJSON}},
		{name: "trailing comma", body: `{"owner_id": "000000000003",}`, want: []string{msgMalformedJSON}},
		{name: "trailing data", body: createBody + ` {}`, want: []string{msgMalformedJSON}},
		{name: "trailing garbage", body: createBody + `x`, want: []string{msgMalformedJSON}},
		{name: "single quotes", body: `{'owner_id': '000000000003'}`, want: []string{msgMalformedJSON}},
		{name: "a byte order mark", body: "\ufeff" + createBody, want: []string{msgMalformedJSON}},
		{name: "an array", body: `[` + createBody + `]`, prefixes: []string{"request body:"}},
		{name: "a string", body: `"x"`, prefixes: []string{"request body:"}},
		{name: "null", body: `null`, prefixes: []string{"request body:"}},
		{name: "customer_id as a string", body: `{"owner_id": "000000000003", "customer_id": "4", "payer_account_owner_id": "000000000003"}`, prefixes: []string{"customer_id:"}},
		{name: "owner_id as a number", body: `{"owner_id": 1, "customer_id": 4, "payer_account_owner_id": "000000000003"}`, prefixes: []string{"owner_id:"}},
		{name: "payer as an object", body: `{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": {}}`, prefixes: []string{"payer_account_owner_id:"}},
		{name: "customer_id fractional", body: `{"owner_id": "000000000003", "customer_id": 4.5, "payer_account_owner_id": "000000000003"}`, prefixes: []string{"customer_id:"}},
		{name: "customer_id beyond int64", body: `{"owner_id": "000000000003", "customer_id": 1e30, "payer_account_owner_id": "000000000003"}`, prefixes: []string{"customer_id:"}},
		{name: "a null field", body: `{"owner_id": null, "customer_id": 4, "payer_account_owner_id": "000000000003"}`, prefixes: []string{"owner_id:"}},
		{name: "three wrong types", body: `{"owner_id": 1, "customer_id": "4", "payer_account_owner_id": null}`, prefixes: []string{"customer_id:", "owner_id:", "payer_account_owner_id:"}},
	}
	ts := newTestServer(t, Options{})
	for _, op := range []struct{ method, path string }{{http.MethodPost, assignmentsPath}, {http.MethodPut, assignmentPath(1)}} {
		for _, tc := range cases {
			t.Run(op.method+" "+tc.name, func(t *testing.T) {
				ts := ts.sub(t)
				ts.unchanged(func() {
					req := newRawRequest(t, ts, op.method, op.path, strings.NewReader(tc.body))
					req.Header.Set("Authorization", "Bearer "+demoKey)
					if tc.contentType == "" {
						req.Header.Set("Content-Type", "application/json")
					} else if tc.contentType != "-" {
						req.Header.Set("Content-Type", tc.contentType)
					}
					r := sendRaw(t, req)
					requireErrorShape(t, r, http.StatusUnprocessableEntity)
					if tc.want != nil {
						require.Equal(t, tc.want, r.Errors())
						return
					}
					require.Len(t, r.Errors(), len(tc.prefixes), "messages: %q", r.Errors())
					for i, p := range tc.prefixes {
						require.True(t, strings.HasPrefix(r.Errors()[i], p), "message %q should start with %q", r.Errors()[i], p)
					}
				})
			})
		}
	}
}

// An integral number written as 1.0 or 1e0 is an integer to JSON Schema but
// not to Go's decoder; either way the answer is a 422 naming the field.
func TestIntegralNumbersInOtherForms(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, n := range []string{"4.0", "4e0"} {
		ts.unchanged(func() {
			r := ts.post(assignmentsPath, `{"owner_id": "000000000003", "customer_id": `+n+`, "payer_account_owner_id": "000000000003"}`)
			msgs := requireJSONErrors(t, r)
			require.Len(t, msgs, 1)
			require.Contains(t, msgs[0], "customer_id")
		})
	}
}

func TestAcceptedContentTypes(t *testing.T) {
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"} {
		t.Run(ct, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			r := ts.do(request{Method: http.MethodPost, Path: assignmentsPath, Key: demoKey, Body: createBody, ContentType: ct})
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			r = ts.do(request{Method: http.MethodPut, Path: assignmentPath(newAssignmentID), Key: demoKey, Body: `{}`, ContentType: ct})
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		})
	}
}

// Bodies are not looked at where an operation takes none: a GET or DELETE
// with a body and any Content-Type is served.
func TestBodiesOfGetAndDeleteAreIgnored(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.do(request{Method: http.MethodGet, Path: assignmentPath(1), Key: demoKey, Body: "not json", ContentType: "text/plain"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	r = ts.do(request{Method: http.MethodDelete, Path: assignmentPath(1), Key: demoKey, Body: "{", ContentType: "text/plain"})
	require.Equal(t, http.StatusNoContent, r.Status, "body: %s", r.Body)
}

func TestRepeatedSlashes(t *testing.T) {
	ts := newTestServer(t, Options{})
	single := ts.get(assignmentsPath)
	for _, p := range []string{"//v1/aws_account_assignments", "/v1//aws_account_assignments", "///v1///aws_account_assignments//", "/v1/aws_account_assignments/"} {
		req := newRawRequest(t, ts, http.MethodGet, p, nil)
		req.Header.Set("Authorization", "Bearer "+demoKey)
		r := sendRaw(t, req)
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", p, r.Body)
		require.Equal(t, single.Body, r.Body, p)
	}

	get := sendRaw(t, withKey(newRawRequest(t, ts, http.MethodGet, "//v1//aws_account_assignments//1", nil)))
	require.Equal(t, http.StatusOK, get.Status)
	require.Equal(t, assignment(1, "000000000002", 1, "000000000002"), get.Object())

	// A POST is served where it was sent, never redirected (a 301 would turn it into a GET).
	post := newRawRequest(t, ts, http.MethodPost, "//v1/aws_account_assignments", strings.NewReader(createBody))
	post.Header.Set("Content-Type", "application/json")
	created := sendRaw(t, withKey(post))
	require.Equal(t, http.StatusOK, created.Status, "body: %s", created.Body)
	require.Equal(t, assignment(newAssignmentID, "000000000003", 4, "000000000003"), created.Object())
	requireLocation(t, ts, created, newAssignmentID)

	put := newRawRequest(t, ts, http.MethodPut, "//v1/aws_account_assignments//11", strings.NewReader(`{"customer_id": 1}`))
	put.Header.Set("Content-Type", "application/json")
	updated := sendRaw(t, withKey(put))
	require.Equal(t, http.StatusOK, updated.Status, "body: %s", updated.Body)
	require.Equal(t, assignment(newAssignmentID, "000000000003", 1, "000000000003"), updated.Object())
	requireLocation(t, ts, updated, newAssignmentID)

	deleted := sendRaw(t, withKey(newRawRequest(t, ts, http.MethodDelete, "///v1/aws_account_assignments/11", nil)))
	require.Equal(t, http.StatusNoContent, deleted.Status)
	requireJSONError(t, ts.get(assignmentPath(newAssignmentID)), http.StatusNotFound)
}

func withKey(req *http.Request) *http.Request {
	req.Header.Set("Authorization", "Bearer "+demoKey)
	return req
}

// Every error answer of the assignment endpoints is JSON of the documented
// shape: {"errors": [...]} for a 422, {"error": "..."} for anything else.
func TestErrorShapes(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name   string
		req    request
		status int
	}{
		{"401", request{Method: http.MethodGet, Path: assignmentsPath}, http.StatusUnauthorized},
		{"403", request{Method: http.MethodGet, Path: assignmentsPath, Key: "nope"}, http.StatusForbidden},
		{"404 id", request{Method: http.MethodGet, Path: assignmentPath(99), Key: demoKey}, http.StatusNotFound},
		{"404 route", request{Method: http.MethodGet, Path: "/x", Key: demoKey}, http.StatusNotFound},
		{"404 method", request{Method: http.MethodPatch, Path: assignmentPath(1), Key: demoKey}, http.StatusNotFound},
		{"413", request{Method: http.MethodPost, Path: assignmentsPath, Key: demoKey, Body: strings.Repeat(" ", 1<<20+1)}, http.StatusRequestEntityTooLarge},
		{"414", request{Method: http.MethodGet, Path: "/" + strings.Repeat("x", 4000), Key: demoKey}, http.StatusRequestURITooLong},
		{"422 query", request{Method: http.MethodGet, Path: "/api/v1/govcloud_linkages?client_api_id=x", Key: demoKey}, http.StatusUnprocessableEntity},
		{"422 content type", request{Method: http.MethodPost, Path: assignmentsPath, Key: demoKey, Body: "{}", ContentType: "text/plain"}, http.StatusUnprocessableEntity},
		{"422 JSON", request{Method: http.MethodPut, Path: assignmentPath(1), Key: demoKey, Body: "{"}, http.StatusUnprocessableEntity},
		{"422 schema", request{Method: http.MethodPut, Path: assignmentPath(1), Key: demoKey, Body: `{"customer_id": true}`}, http.StatusUnprocessableEntity},
		{"422 rules", request{Method: http.MethodPost, Path: assignmentsPath, Key: demoKey, Body: `{}`}, http.StatusUnprocessableEntity},
		{"422 delete", request{Method: http.MethodDelete, Path: assignmentPath(2), Key: demoKey}, http.StatusUnprocessableEntity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			ts.unchanged(func() { requireErrorShape(t, ts.do(tc.req), tc.status) })
		})
	}
}

// recoverPanic answers a panic with a 500 JSON error, logs it with its
// stack, and lets the server go on; http.ErrAbortHandler passes through.
func TestRecoverPanic(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	calls := 0
	h := withRecover(log, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.URL.Path == "/boom" {
			panic("boom")
		}
		writeJSON(w, http.StatusOK, map[string]string{"ok": "yes"})
	})

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	r := response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	requireErrorShape(t, r, http.StatusInternalServerError)
	require.Equal(t, msgInternalFailure, r.Error())
	require.Contains(t, logs.String(), "panic=boom")
	require.Contains(t, logs.String(), "path=/boom")
	require.Contains(t, logs.String(), "stack=", "the stack is logged")

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/fine", nil))
	require.Equal(t, http.StatusOK, rec.Code, "the next request is served")
	require.Equal(t, 2, calls)

	abort := withRecover(log, func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	require.PanicsWithError(t, http.ErrAbortHandler.Error(), func() {
		abort.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	})
}

// A panic that is an error value is logged too.
func TestRecoverPanicWithAnError(t *testing.T) {
	var logs bytes.Buffer
	h := withRecover(slog.New(slog.NewTextHandler(&logs, nil)), func(http.ResponseWriter, *http.Request) {
		panic(errors.New("broken invariant"))
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/aws_account_assignments", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.Contains(t, logs.String(), "broken invariant")
}

// Successes are JSON with a charset, and a list carries its paging headers.
func TestSuccessHeaders(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, r := range []response{ts.get(assignmentsPath), ts.get(assignmentPath(1)), ts.put(assignmentPath(1), `{}`), ts.post(assignmentsPath, createBody)} {
		require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	}
	r := ts.get(assignmentsPath)
	require.NotEmpty(t, r.Header.Get("X-Total"))
	require.NotEmpty(t, r.Header.Get("X-Per-Page"))
}

// withRecover is h with recoverPanic deferred, as ServeHTTP defers it.
func withRecover(log *slog.Logger, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer recoverPanic(log, w, r)
		h(w, r)
	})
}
