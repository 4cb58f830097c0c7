package emulatortest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/emulatortest"
)

// recorder is a testing.TB that keeps its failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

func get(t *testing.T, url string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+emulator.DemoPartnerKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// Verify passes on the exact count and otherwise fails with the near misses
// and their diagnostics; FailOnUnmatched fails on a path no route serves.
func TestVerifyAndFailOnUnmatched(t *testing.T) {
	rec := &recorder{TB: t}
	emu := emulatortest.Start(t, emulator.Options{OnUnmatched: emulatortest.FailOnUnmatched(rec)})
	get(t, emu.URL+"/v1/customers")
	get(t, emu.URL+"/v1/customers/999999")

	emulatortest.Verify(rec, emu.Control, emulator.JournalFilter{Operation: "listCustomers"}, 1)
	emulatortest.Verify(rec, emu.Control, emulator.JournalFilter{Method: "GET", PathPrefix: "/v1/customers"}, 2)
	if len(rec.failures) != 0 {
		t.Fatalf("a right count failed: %v", rec.failures)
	}
	emulatortest.Verify(rec, emu.Control, emulator.JournalFilter{Operation: "getCustomer"}, 2)
	if len(rec.failures) != 1 || !strings.Contains(rec.failures[0], "1 requests match operation getCustomer, want 2") ||
		!strings.Contains(rec.failures[0], "GET /v1/customers/999999 -> 404 (getCustomer): no customer 999999 exists") {
		t.Fatalf("a wrong count: %q", rec.failures)
	}

	rec.failures = nil
	get(t, emu.URL+"/v1/govcloud_linkages")
	if len(rec.failures) != 1 || !strings.Contains(rec.failures[0], "GET /v1/govcloud_linkages matches no route") {
		t.Fatalf("an unmatched request: %q", rec.failures)
	}
}
