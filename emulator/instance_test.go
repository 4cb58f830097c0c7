package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// The Go API for other projects' tests: Start, Instance and the
// typed ControlClient.

// getJSON sends a GET with the demo key to an instance and decodes the answer.
func getJSON(t *testing.T, inst *Instance, path string, out any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, inst.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+DemoPartnerKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func TestStartServesOnLoopback(t *testing.T) {
	inst, err := Start(Options{})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(inst.URL, "http://127.0.0.1:"), inst.URL)
	require.NoError(t, inst.Control.Health())

	var list struct {
		Assignments []map[string]any `json:"aws_account_assignments"`
	}
	require.Equal(t, http.StatusOK, getJSON(t, inst, assignmentsPath, &list))
	require.Len(t, list.Assignments, 3)

	partners := inst.Partners()
	require.Len(t, partners, 2)
	require.Equal(t, []string{DemoPartnerKey}, partners[0].APIKeys)
	require.Equal(t, []string{OtherPartnerKey}, partners[1].APIKeys)

	inst.Close()
	inst.Close() // twice is harmless
	_, err = http.Get(inst.URL + healthPath)
	require.Error(t, err, "closed")
}

func TestStartRefusesBadOptions(t *testing.T) {
	_, err := Start(Options{Fixtures: []byte("partners: [")})
	require.Error(t, err)
	_, err = Start(Options{JournalSize: -5})
	require.Error(t, err)
}

// Several instances in one test binary share nothing: state, journal,
// faults, clock.
func TestInstancesShareNothing(t *testing.T) {
	a, b := startTB(t, Options{}), startTB(t, Options{})
	require.NotEqual(t, a.URL, b.URL)

	doc, err := a.Control.State()
	require.NoError(t, err)
	doc.Partners = doc.Partners[:1]
	require.NoError(t, a.Control.PutState(doc))
	_, err = a.Control.AddFault(FaultRule{Path: "/v1/aws_account_assignments/{id}", Status: 500})
	require.NoError(t, err)
	at := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = a.Control.SetClock(at)
	require.NoError(t, err)
	require.Equal(t, http.StatusInternalServerError, getJSON(t, a, assignmentPath(1), nil))

	require.Equal(t, http.StatusOK, getJSON(t, b, assignmentPath(1), nil))
	docB, err := b.Control.State()
	require.NoError(t, err)
	require.Len(t, docB.Partners, 2)
	faults, err := b.Control.Faults()
	require.NoError(t, err)
	require.Empty(t, faults)
	clk, err := b.Control.Clock()
	require.NoError(t, err)
	require.False(t, clk.Fixed)
	journalA, err := a.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	journalB, err := b.Control.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Len(t, journalA, 1)
	require.Len(t, journalB, 1)
	require.True(t, journalA[0].Injected)
	require.False(t, journalB[0].Injected)
}

// Every method of the ControlClient against a live instance.
func TestControlClient(t *testing.T) {
	inst := startTB(t, Options{})
	ctl := inst.Control

	require.NoError(t, ctl.Health())
	initial, err := ctl.State()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, getJSON(t, inst, assignmentsPath, nil))
	req, err := http.NewRequest(http.MethodDelete, inst.URL+assignmentPath(3), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+DemoPartnerKey)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNoContent, resp.StatusCode)

	changed, err := ctl.State()
	require.NoError(t, err)
	require.NotEqual(t, initial, changed)
	require.NoError(t, ctl.Reset())
	now, err := ctl.State()
	require.NoError(t, err)
	require.Equal(t, initial, now)

	// PutState refuses a bad document with every problem named.
	bad := &fixture.Document{Partners: []fixture.Partner{{Name: "a", APIKeys: []string{"k"}}, {Name: "b", APIKeys: []string{"k"}}}}
	var ce *ControlError
	require.ErrorAs(t, ctl.PutState(bad), &ce)
	require.Equal(t, http.StatusUnprocessableEntity, ce.Status)
	require.Len(t, ce.Problems, 1)
	require.Contains(t, ce.Error(), "already the key")
	require.NoError(t, ctl.PutStateData([]byte("partners: []\n"), "application/yaml"))
	empty, err := ctl.State()
	require.NoError(t, err)
	require.Empty(t, empty.Partners)
	require.NoError(t, ctl.Reset())

	entries, err := ctl.Journal(JournalFilter{Method: "DELETE"})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	status := http.StatusOK
	entries, err = ctl.Journal(JournalFilter{PathPrefix: "/v1/aws_account_assignments", Status: &status})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.NoError(t, ctl.ClearJournal())
	entries, err = ctl.Journal(JournalFilter{})
	require.NoError(t, err)
	require.Empty(t, entries)

	f, err := ctl.AddFault(FaultRule{PathPrefix: "/v1", Status: 503, Probability: prob(0.5)})
	require.NoError(t, err)
	got, err := ctl.Fault(f.ID)
	require.NoError(t, err)
	require.Equal(t, f, got)
	_, err = ctl.AddFault(FaultRule{Status: 503})
	require.ErrorAs(t, err, &ce)
	require.Equal(t, []string{"path or path_prefix: one of them is required"}, ce.Problems)
	require.NoError(t, ctl.RemoveFault(f.ID))
	require.NoError(t, ctl.ClearFaults())

	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clk, err := ctl.SetClock(at)
	require.NoError(t, err)
	require.Equal(t, Clock{Time: at, Fixed: true}, clk)
	clk, err = ctl.AdvanceClock(36 * time.Hour)
	require.NoError(t, err)
	require.Equal(t, at.Add(36*time.Hour), clk.Time)
	clk, err = ctl.ReleaseClock()
	require.NoError(t, err)
	require.False(t, clk.Fixed)
	require.WithinDuration(t, time.Now(), clk.Time, time.Minute)
}

func TestControlClientReportsTransportErrors(t *testing.T) {
	inst, err := Start(Options{})
	require.NoError(t, err)
	inst.Close()
	require.Error(t, inst.Control.Health())
	_, err = inst.Control.State()
	require.Error(t, err)
}

// The control API's own answers are checked against control-openapi.yaml:
// one that breaks it is a 500 and a reported violation.
func TestControlResponsesAreChecked(t *testing.T) {
	var violations []SpecViolation
	srv, err := New(Options{OnSpecViolation: func(v SpecViolation) { violations = append(violations, v) }})
	require.NoError(t, err)
	rec := &recorder{header: http.Header{}}
	req, err := http.NewRequest(http.MethodGet, "/__emulator/clock", nil)
	require.NoError(t, err)
	srv.respondControl(rec, &call{r: req, op: srv.control.ops["getClock"]}, func(_ *Server, rq *call) {
		writeJSON(rq.w, http.StatusOK, map[string]any{"time": "yesterday", "fixed": true})
	})
	require.Equal(t, http.StatusInternalServerError, rec.status)
	require.Contains(t, rec.body.String(), "control-openapi.yaml")
	require.Len(t, violations, 1)
	require.Equal(t, "getClock", violations[0].Operation)
}

func TestControlOpenAPILoads(t *testing.T) {
	_, ops, err := loadSpec("control-openapi.yaml", cloudhealthemulator.ControlOpenAPI)
	require.NoError(t, err)
	var ids []string
	for id := range ops {
		ids = append(ids, id)
	}
	var handlers []string
	for id := range controlHandlers() {
		handlers = append(handlers, id)
	}
	require.ElementsMatch(t, handlers, ids, "one handler per operation")
	// It is not part of the CloudHealth contract.
	_, apiOps, err := loadSpec("openapi.yaml", cloudhealthemulator.OpenAPI)
	require.NoError(t, err)
	for id := range ops {
		require.NotContains(t, apiOps, id)
	}
}
