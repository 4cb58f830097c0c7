package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Setting or advancing the clock outside years 0001-9999 answers 422 and
// leaves the clock (and the state) as they were; the API keeps answering and
// the state dump still loads.
func TestClockOutsideItsYearsIsRefused(t *testing.T) {
	rows := []struct {
		name       string
		set        string // the clock is set here first (RFC 3339), when not empty
		method     string
		path, body string
	}{
		{name: "set to year 0", method: http.MethodPut, path: clockPath, body: `{"time": "0000-12-31T23:59:59Z"}`},
		{name: "set to year 10000 through an offset", method: http.MethodPut, path: clockPath, body: `{"time": "9999-12-31T23:00:00-05:00"}`},
		{name: "set to year 0 through an offset", method: http.MethodPut, path: clockPath, body: `{"time": "0001-01-01T00:30:00+01:00"}`},
		{name: "advance a stopped clock past 9999", set: "9999-12-31T23:59:00Z", method: http.MethodPost,
			path: clockPath + "/advance", body: `{"seconds": 60}`},
		{name: "advance a stopped clock before 0001", set: "0001-01-01T00:00:30Z", method: http.MethodPost,
			path: clockPath + "/advance", body: `{"duration": "-31s"}`},
		{name: "advance a running clock before 0001", method: http.MethodPost, path: clockPath + "/advance",
			body: `{"duration": "-876000h"}`}, // 100 years back from a clock running in the year 50
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			// A running clock near the year 0001: Options.Now there.
			base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			if row.name == "advance a running clock before 0001" {
				base = time.Date(50, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			ts := newTestServer(t, Options{Now: func() time.Time { return base }})
			if row.set != "" {
				r := ts.do(request{Method: http.MethodPut, Path: clockPath, Body: `{"time": "` + row.set + `"}`})
				require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
			}
			before := ts.do(request{Method: http.MethodGet, Path: clockPath})
			ts.unchanged(func() {
				r := ts.do(request{Method: row.method, Path: row.path, Body: row.body})
				requireJSONError(t, r, http.StatusUnprocessableEntity)
				require.Contains(t, r.Error(), "0001-9999")
			})
			require.JSONEq(t, string(before.Body), string(ts.do(request{Method: http.MethodGet, Path: clockPath}).Body), "the clock did not move")
			requireAPIStillWorks(t, ts)
		})
	}
}

// The edges themselves are allowed, and a create at the last second of 9999
// is stamped with it and dumps and loads again.
func TestClockAtTheEdgesOfItsYears(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, at := range []string{"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		r := ts.do(request{Method: http.MethodPut, Path: clockPath, Body: `{"time": "` + at + `"}`})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
		require.Equal(t, at, r.Object()["time"])
		requireAPIStillWorks(t, ts)
	}
	r := ts.do(request{Method: http.MethodPost, Path: clockPath + "/advance", Body: `{"seconds": 1}`})
	requireJSONError(t, r, http.StatusUnprocessableEntity)
}

// A running clock whose shift carries it past 9999 as real time goes on
// stops at the last second of 9999: nothing it stamps is unencodable.
func TestRunningClockStaysInItsYears(t *testing.T) {
	now := time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC)
	c := newClock(func() time.Time { return now })
	_, err := c.Advance(30 * time.Second)
	require.NoError(t, err)
	now = now.Add(time.Hour) // real time moves on past the range
	require.Equal(t, maxClockTime, c.Now())
	now = time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, minClockTime, c.Now())
}

// A running clock cannot be shifted further than a time.Duration holds,
// however many advances are made: the shift would wrap.
func TestRunningClockShiftDoesNotWrap(t *testing.T) {
	ts := newTestServer(t, Options{Now: func() time.Time { return time.Date(5000, 1, 1, 0, 0, 0, 0, time.UTC) }})
	var last response
	for range 4 {
		last = ts.do(request{Method: http.MethodPost, Path: clockPath + "/advance", Body: `{"duration": "876000h"}`})
		if last.Status != http.StatusOK {
			break
		}
	}
	requireJSONError(t, last, http.StatusUnprocessableEntity)
	clk := ts.do(request{Method: http.MethodGet, Path: clockPath}).Object()
	require.Greater(t, clk["offset_seconds"], 0.0, "the shift never wrapped negative: %v", clk)
}

// requireAPIStillWorks creates a customer and lists customers (201/200, not
// 500), and checks that the state dump loads back.
func requireAPIStillWorks(t *testing.T, ts *testServer) {
	t.Helper()
	r := ts.post("/v1/customers", map[string]any{"name": "Clock " + time.Now().Format(time.RFC3339Nano),
		"address": map[string]string{"street1": "1 A St", "city": "B", "state": "C", "zipcode": "00001", "country": "US"}})
	require.Contains(t, []int{http.StatusOK, http.StatusCreated}, r.Status, "%s", r.Body)
	r = ts.get("/v1/customers")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	dump := ts.stateDump()
	r = ts.do(request{Method: http.MethodPut, Path: "/__emulator/state", Body: dump})
	require.Equal(t, http.StatusNoContent, r.Status, "%s", r.Body)
	require.Equal(t, dump, ts.stateDump())
}
