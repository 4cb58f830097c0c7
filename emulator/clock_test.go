package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The settable clock: GET, PUT and DELETE /__emulator/clock, POST
// /__emulator/clock/advance.

const clockPath = "/__emulator/clock"

// customerAccount returns the AWS account with the owner id of the customer
// with the id, from the state dump.
func customerAccount(t *testing.T, inst *Instance, customerID int64, owner string) fixture.AWSAccount {
	t.Helper()
	doc, err := inst.Control.State()
	require.NoError(t, err)
	for _, p := range doc.Partners {
		for _, c := range p.Customers {
			for _, a := range c.AWSAccounts {
				if c.ID == customerID && a.OwnerID == owner {
					return a
				}
			}
		}
	}
	t.Fatalf("customer %d has no AWS account %s", customerID, owner)
	return fixture.AWSAccount{}
}

func TestClockFixesCreatedAt(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctl := ts.inst.Control
	at := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	clk, err := ctl.SetClock(at)
	require.NoError(t, err)
	require.Equal(t, Clock{Time: at, Fixed: true}, clk)

	// Creating an assignment creates the customer's AWS account, stamped
	// with the clock.
	require.Equal(t, http.StatusOK, ts.post(assignmentsPath, assignmentBody("000000000003", 4, "000000000003")).Status)
	acct := customerAccount(t, ts.inst, 4, "000000000003")
	require.Equal(t, "2030-05-06T07:08:09Z", acct.CreatedAt)
	require.Equal(t, "2030-05-06T07:08:09Z", acct.UpdatedAt)

	// The journal uses the clock too.
	entries, err := ctl.Journal(JournalFilter{Method: http.MethodPost})
	require.NoError(t, err)
	require.Equal(t, at, entries[0].Time)

	// A stopped clock stays stopped.
	time.Sleep(1100 * time.Millisecond)
	clk, err = ctl.Clock()
	require.NoError(t, err)
	require.Equal(t, Clock{Time: at, Fixed: true}, clk)
}

func TestClockAdvanceAndRelease(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ts := newTestServer(t, Options{Now: func() time.Time { return base }})
	ctl := ts.inst.Control

	clk, err := ctl.Clock()
	require.NoError(t, err)
	require.Equal(t, Clock{Time: base}, clk, "running on Options.Now")

	// A running clock is shifted.
	clk, err = ctl.AdvanceClock(90 * time.Second)
	require.NoError(t, err)
	require.Equal(t, Clock{Time: base.Add(90 * time.Second), OffsetSeconds: 90}, clk)

	// A stopped one moves; seconds and durations, forward and back.
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = ctl.SetClock(at)
	require.NoError(t, err)
	for _, tc := range []struct {
		body string
		want time.Time
	}{
		{`{"seconds": 60}`, at.Add(time.Minute)},
		{`{"seconds": 0.5}`, at.Add(time.Minute + 500*time.Millisecond)},
		{`{"duration": "1h30m"}`, at.Add(91*time.Minute + 500*time.Millisecond)},
		{`{"duration": "-2h"}`, at.Add(-29*time.Minute + 500*time.Millisecond)},
		{`{"seconds": -0.5}`, at.Add(-29 * time.Minute)},
	} {
		r := ts.do(request{Method: http.MethodPost, Path: clockPath + "/advance", Body: tc.body})
		require.Equal(t, http.StatusOK, r.Status, "%s: %s", tc.body, r.Body)
		require.Equal(t, map[string]any{"time": tc.want.Format(time.RFC3339Nano), "fixed": true}, r.Object(), tc.body)
	}
	// The API shows whole seconds.
	require.Equal(t, at.Add(-29*time.Minute), ts.srv.now())

	r := ts.do(request{Method: http.MethodDelete, Path: clockPath})
	require.Equal(t, http.StatusOK, r.Status)
	require.Equal(t, map[string]any{"time": "2026-01-02T03:04:05Z", "fixed": false}, r.Object(), "back to Options.Now, unshifted")

	// PUT with an offset is kept as the same instant, shown in UTC.
	r = ts.do(request{Method: http.MethodPut, Path: clockPath, Body: `{"time": "2030-01-01T02:00:00+02:00"}`})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	require.Equal(t, map[string]any{"time": "2030-01-01T00:00:00Z", "fixed": true}, r.Object())
}

func TestClockRefusesBadInput(t *testing.T) {
	ts := newTestServer(t, Options{})
	cases := []struct {
		name, method, path, contentType, body string
	}{
		{"set: no time", http.MethodPut, clockPath, "", `{}`},
		{"set: null time", http.MethodPut, clockPath, "", `{"time": null}`},
		{"set: not RFC 3339", http.MethodPut, clockPath, "", `{"time": "2030-01-01 00:00:00"}`},
		{"set: a number", http.MethodPut, clockPath, "", `{"time": 1700000000}`},
		{"set: unknown field", http.MethodPut, clockPath, "", `{"time": "2030-01-01T00:00:00Z", "zone": "UTC"}`},
		{"set: malformed", http.MethodPut, clockPath, "", `{"time": `},
		{"set: trailing data", http.MethodPut, clockPath, "", `{"time": "2030-01-01T00:00:00Z"} {}`},
		{"set: not an object", http.MethodPut, clockPath, "", `"2030-01-01T00:00:00Z"`},
		{"set: text", http.MethodPut, clockPath, "text/plain", `{"time": "2030-01-01T00:00:00Z"}`},
		{"set: no body", http.MethodPut, clockPath, "application/json", ``},
		{"advance: neither", http.MethodPost, clockPath + "/advance", "", `{}`},
		{"advance: both", http.MethodPost, clockPath + "/advance", "", `{"seconds": 1, "duration": "1s"}`},
		{"advance: bad duration", http.MethodPost, clockPath + "/advance", "", `{"duration": "a while"}`},
		{"advance: duration number", http.MethodPost, clockPath + "/advance", "", `{"duration": 5}`},
		{"advance: seconds string", http.MethodPost, clockPath + "/advance", "", `{"seconds": "5"}`},
		{"advance: too far", http.MethodPost, clockPath + "/advance", "", `{"seconds": 1e12}`},
		{"advance: too far back", http.MethodPost, clockPath + "/advance", "", `{"duration": "-900000h"}`},
		{"advance: unknown field", http.MethodPost, clockPath + "/advance", "", `{"minutes": 5}`},
		{"advance: a form", http.MethodPost, clockPath + "/advance", "application/x-www-form-urlencoded", `{"seconds": 5}`},
	}
	before := ts.inst.Control
	want, err := before.Clock()
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := ts.sub(t)
			requireJSONError(t, ts.do(request{Method: tc.method, Path: tc.path, Body: tc.body, ContentType: tc.contentType}), http.StatusUnprocessableEntity)
		})
	}
	got, err := before.Clock()
	require.NoError(t, err)
	require.Equal(t, want, got, "the clock did not move")
}
