package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The request journal: GET and DELETE /__emulator/journal.

const journalPath = "/__emulator/journal"

// fixedNow is the clock newTestServer gives every emulator.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestJournalRecordsAPIRequests(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control

	ts.do(request{Method: http.MethodGet, Path: assignmentsPath + "?per_page=2&api_key=" + demoKey})
	ts.post(assignmentsPath, `{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003"}`)
	ts.do(request{Method: http.MethodGet, Path: assignmentsPath, Key: "nope"})
	// Control requests are not journaled.
	ts.stateDump()
	_, err := ctl.Clock()
	require.NoError(t, err)

	entries, err := ctl.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 3)
	for i, e := range entries {
		require.Equal(t, int64(i+1), e.Seq)
		require.Equal(t, fixedNow, e.Time, "by the emulator's clock")
		require.GreaterOrEqual(t, e.DurationMS, 0.0)
		require.False(t, e.Injected)
		require.Zero(t, e.FaultID)
		require.Empty(t, e.SpecViolation)
	}
	require.Equal(t, JournalEntry{Seq: 1, Time: fixedNow, Method: "GET", Path: assignmentsPath, Query: "per_page=2&api_key=***",
		Status: 200, DurationMS: entries[0].DurationMS, Operation: "listAwsAccountAssignments",
		ResponseBody: entries[0].ResponseBody, ResponseType: "application/json; charset=utf-8"}, entries[0], "the api_key is masked")
	require.Contains(t, entries[0].ResponseBody, `{"aws_account_assignments":[`, "the answer is journaled")
	require.Equal(t, JournalEntry{Seq: 2, Time: fixedNow, Method: "POST", Path: assignmentsPath, Status: 200, DurationMS: entries[1].DurationMS,
		Operation: "createAwsAccountAssignment", ResponseBody: entries[1].ResponseBody, ResponseType: "application/json; charset=utf-8", RequestBody: `{"owner_id": "000000000003", "customer_id": 4, "payer_account_owner_id": "000000000003"}`}, entries[1])
	require.Equal(t, http.StatusForbidden, entries[2].Status)
}

func TestJournalMasksSecretsAndBoundsBodies(t *testing.T) {
	ts := newTestServer(t, Options{})
	// Refused before the body is read (no key): journaled all the same.
	ts.do(request{Method: http.MethodPost, Path: "/v1/aws_accounts",
		Body: `{"name": "x", "authentication": {"protocol": "access_key", "access_key": "AKIA123", "secret_key": "s3cr\"et"}, "api_key": "k"}`})
	big := `{"owner_id": "` + strings.Repeat("1", 5000) + `"}`
	ts.post(assignmentsPath, big)

	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 2)
	require.Equal(t, `{"name": "x", "authentication": {"protocol": "access_key", "access_key": "***", "secret_key": "***"}, "api_key": "***"}`, entries[0].RequestBody)
	require.False(t, entries[0].RequestBodyTruncated)
	require.Equal(t, big[:maxJournalBody], entries[1].RequestBody)
	require.True(t, entries[1].RequestBodyTruncated)
}

func TestMaskQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                             "",
		"api_key=abc":                  "api_key=***",
		"page=2&api_key=abc&per_page=": "page=2&api_key=***&per_page=",
		"api%5Fkey=abc":                "api%5Fkey=***",
		"api_keys=abc&x=api_key":       "api_keys=abc&x=api_key",
		"api_key":                      "api_key=***",
	} {
		require.Equal(t, want, maskQuery(raw), raw)
	}
}

func TestJournalFilters(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.get(assignmentsPath)
	ts.get(assignmentPath(1))
	ts.get(assignmentPath(99))
	ts.del(assignmentPath(3))
	ts.get("/v1/nope")

	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"GET /v1/aws_account_assignments", "GET /v1/aws_account_assignments/1", "GET /v1/aws_account_assignments/99", "DELETE /v1/aws_account_assignments/3", "GET /v1/nope"}},
		{"?method=delete", []string{"DELETE /v1/aws_account_assignments/3"}},
		{"?path_prefix=/v1/aws_account_assignments/", []string{"GET /v1/aws_account_assignments/1", "GET /v1/aws_account_assignments/99", "DELETE /v1/aws_account_assignments/3"}},
		{"?status=404", []string{"GET /v1/aws_account_assignments/99", "GET /v1/nope"}},
		{"?method=GET&status=404&path_prefix=/v1/aws", []string{"GET /v1/aws_account_assignments/99"}},
		{"?status=500", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			r := ts.sub(t).do(request{Method: http.MethodGet, Path: journalPath + tc.query})
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			var got []string
			for _, e := range r.Object()["entries"].([]any) {
				e := e.(map[string]any)
				got = append(got, fmt.Sprintf("%s %s", e["method"], e["path"]))
			}
			require.Equal(t, tc.want, got)
			require.Equal(t, float64(DefaultJournalSize), r.Object()["capacity"])
		})
	}
	for _, bad := range []string{"?status=abc", "?status=", "?status=-1", "?status=1000", "?status=2.5"} {
		requireJSONError(t, ts.do(request{Method: http.MethodGet, Path: journalPath + bad}), http.StatusUnprocessableEntity)
	}
}

func TestJournalKeepsTheLastN(t *testing.T) {
	ts := newTestServer(t, Options{JournalSize: 3})
	for i := 1; i <= 5; i++ {
		ts.get(assignmentPath(i))
	}
	entries, err := ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 3)
	for i, e := range entries {
		require.Equal(t, int64(i+3), e.Seq)
		require.Equal(t, assignmentPath(i+3), e.Path)
	}

	r := ts.do(request{Method: http.MethodDelete, Path: journalPath})
	require.Equal(t, http.StatusNoContent, r.Status)
	require.Empty(t, r.Body)
	entries, err = ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Empty(t, entries)

	ts.get(assignmentsPath)
	entries, err = ts.inst.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, int64(6), entries[0].Seq, "the sequence goes on after a clear")
}

func TestJournalRing(t *testing.T) {
	j := newJournal(2)
	require.Empty(t, j.list(JournalFilter{}))
	for i := 1; i <= 5; i++ {
		j.add(JournalEntry{Path: fmt.Sprint(i)})
		entries := j.list(JournalFilter{})
		require.Len(t, entries, min(i, 2))
		require.Equal(t, fmt.Sprint(i), entries[len(entries)-1].Path, "newest last")
		require.LessOrEqual(t, cap(j.entries), 2, "memory stays bounded")
	}
	require.Equal(t, []JournalEntry{{Seq: 4, Path: "4"}, {Seq: 5, Path: "5"}}, j.list(JournalFilter{}))
}

func TestNegativeJournalSize(t *testing.T) {
	_, err := New(Options{JournalSize: -1})
	require.ErrorContains(t, err, "negative")
}

// A response that breaks openapi.yaml is journaled with the violation.
func TestJournalRecordsSpecViolations(t *testing.T) {
	var reported []SpecViolation
	srv, err := New(Options{OnSpecViolation: func(v SpecViolation) { reported = append(reported, v) }})
	require.NoError(t, err)
	require.NotNil(t, srv.api.ops["listAwsAccountAssignments"], "an operation of openapi.yaml")
	rec := serveAs(srv, "listAwsAccountAssignments", func(_ *Server, rq *call) {
		writeJSON(rq.w, http.StatusOK, map[string]any{"aws_account_assignments": []any{map[string]any{"id": 1}}})
	}, httptest.NewRequest(http.MethodGet, assignmentsPath, nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	entries := srv.journal.list(JournalFilter{})
	require.Len(t, entries, 1)
	require.Contains(t, entries[0].SpecViolation, "X-Per-Page")
	require.Equal(t, http.StatusInternalServerError, entries[0].Status)
	require.Len(t, reported, 1)
}
