package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// ControlClient is a typed client of an emulator's control API
// (control-openapi.yaml). Every method returns a *ControlError when the
// emulator refuses the request.
type ControlClient struct {
	// BaseURL is the emulator's URL, such as http://127.0.0.1:8080.
	BaseURL string
	// AdminToken is sent as a Bearer token when set.
	AdminToken string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// NewControlClient returns a client of the control API of the emulator at
// baseURL (adminToken may be empty).
func NewControlClient(baseURL, adminToken string) *ControlClient {
	return &ControlClient{BaseURL: strings.TrimSuffix(baseURL, "/"), AdminToken: adminToken}
}

// ControlError is a control API answer other than success.
type ControlError struct {
	Status   int
	Message  string   `json:"error"`
	Problems []string `json:"problems"`
}

func (e *ControlError) Error() string {
	msg := fmt.Sprintf("emulator control API: %d: %s", e.Status, e.Message)
	if len(e.Problems) > 0 {
		msg += ": " + strings.Join(e.Problems, "; ")
	}
	return msg
}

// Clock is the emulator's clock as the control API shows it (and as the
// server writes it: one type for both sides).
type Clock struct {
	Time  time.Time `json:"time"`
	Fixed bool      `json:"fixed"`
	// OffsetSeconds is, for a running clock, its shift from real time
	// (absent when none).
	OffsetSeconds float64 `json:"offset_seconds,omitempty"`
}

// Health checks that the emulator answers.
func (c *ControlClient) Health() error {
	return c.do(http.MethodGet, "health", nil, "", nil, http.StatusOK)
}

// Reset puts the state back to the start-up fixtures.
func (c *ControlClient) Reset() error {
	return c.do(http.MethodPost, "reset", nil, "", nil, http.StatusNoContent)
}

// State returns the whole state as a fixture document.
func (c *ControlClient) State() (*fixture.Document, error) {
	var doc fixture.Document
	if err := c.do(http.MethodGet, "state", nil, "", &doc, http.StatusOK); err != nil {
		return nil, err
	}
	return &doc, nil
}

// PutState replaces the whole state with doc (all or nothing).
func (c *ControlClient) PutState(doc *fixture.Document) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return c.PutStateData(data, "application/json")
}

// PutStateData replaces the whole state with a fixture document as text,
// JSON or YAML by contentType (application/json or application/yaml).
func (c *ControlClient) PutStateData(data []byte, contentType string) error {
	return c.do(http.MethodPut, "state", data, contentType, nil, http.StatusNoContent)
}

// Journal returns the journaled requests f selects, oldest first.
func (c *ControlClient) Journal(f JournalFilter) ([]JournalEntry, error) {
	var body journalBody
	if err := c.do(http.MethodGet, "journal"+f.query(), nil, "", &body, http.StatusOK); err != nil {
		return nil, err
	}
	return body.Entries, nil
}

// JournalCount returns how many journaled requests f selects (of those the
// journal keeps: see Options.JournalSize).
func (c *ControlClient) JournalCount(f JournalFilter) (int, error) {
	var body journalCountBody
	if err := c.do(http.MethodGet, "journal/count"+f.query(), nil, "", &body, http.StatusOK); err != nil {
		return 0, err
	}
	return body.Count, nil
}

// Coverage returns, for each operation of openapi.yaml, the documented
// statuses the client's requests reached since the last reset or journal
// clear.
func (c *ControlClient) Coverage() (Coverage, error) {
	var body Coverage
	err := c.do(http.MethodGet, "coverage", nil, "", &body, http.StatusOK)
	return body, err
}

// query is f as the control API's query string ("" or "?...").
func (f JournalFilter) query() string {
	q := url.Values{}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.PathPrefix != "" {
		q.Set("path_prefix", f.PathPrefix)
	}
	if f.Operation != "" {
		q.Set("operation", f.Operation)
	}
	if f.Status != nil {
		q.Set("status", strconv.Itoa(*f.Status))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// ClearJournal forgets every journaled request.
func (c *ControlClient) ClearJournal() error {
	return c.do(http.MethodDelete, "journal", nil, "", nil, http.StatusNoContent)
}

// AddFault adds a fault rule and returns it with its id.
func (c *ControlClient) AddFault(rule FaultRule) (Fault, error) {
	var fault Fault
	err := c.doJSON(http.MethodPost, "faults", rule, &fault, http.StatusCreated)
	return fault, err
}

// Faults returns the active fault rules, in the order they are tried.
func (c *ControlClient) Faults() ([]Fault, error) {
	var body faultsBody
	err := c.do(http.MethodGet, "faults", nil, "", &body, http.StatusOK)
	return body.Faults, err
}

// Fault returns one fault rule.
func (c *ControlClient) Fault(id int64) (Fault, error) {
	var fault Fault
	err := c.do(http.MethodGet, "faults/"+strconv.FormatInt(id, 10), nil, "", &fault, http.StatusOK)
	return fault, err
}

// RemoveFault removes one fault rule.
func (c *ControlClient) RemoveFault(id int64) error {
	return c.do(http.MethodDelete, "faults/"+strconv.FormatInt(id, 10), nil, "", nil, http.StatusNoContent)
}

// ClearFaults removes every fault rule.
func (c *ControlClient) ClearFaults() error {
	return c.do(http.MethodDelete, "faults", nil, "", nil, http.StatusNoContent)
}

// Clock returns the emulator's clock.
func (c *ControlClient) Clock() (Clock, error) {
	var clk Clock
	err := c.do(http.MethodGet, "clock", nil, "", &clk, http.StatusOK)
	return clk, err
}

// SetClock stops the emulator's clock at t.
func (c *ControlClient) SetClock(t time.Time) (Clock, error) {
	var clk Clock
	err := c.doJSON(http.MethodPut, "clock", map[string]string{"time": t.UTC().Format(time.RFC3339Nano)}, &clk, http.StatusOK)
	return clk, err
}

// AdvanceClock moves the emulator's clock by d (a running clock is shifted).
func (c *ControlClient) AdvanceClock(d time.Duration) (Clock, error) {
	var clk Clock
	err := c.doJSON(http.MethodPost, "clock/advance", map[string]string{"duration": d.String()}, &clk, http.StatusOK)
	return clk, err
}

// ReleaseClock lets the emulator's clock run on real time again.
func (c *ControlClient) ReleaseClock() (Clock, error) {
	var clk Clock
	err := c.do(http.MethodDelete, "clock", nil, "", &clk, http.StatusOK)
	return clk, err
}

func (c *ControlClient) doJSON(method, path string, in, out any, want int) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(method, path, data, "application/json", out, want)
}

// do sends one control request and decodes a want answer into out (when not
// nil); any other answer is a *ControlError.
func (c *ControlClient) do(method, path string, body []byte, contentType string, out any, want int) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.BaseURL+controlPrefix+path, rd)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.AdminToken != "" {
		req.Header.Set("Authorization", "Bearer "+c.AdminToken)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		ce := &ControlError{Status: resp.StatusCode}
		if json.Unmarshal(data, ce) != nil || ce.Message == "" {
			ce.Message = strings.TrimSpace(string(data))
		}
		return ce
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
