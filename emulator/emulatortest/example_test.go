package emulatortest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/emulatortest"
)

// listAssignments stands for the CloudHealth client under test: it lists
// the partner's AWS account assignments, retrying once on 429.
func listAssignments(baseURL, apiKey string) (ids []int, err error) {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(http.MethodGet, baseURL+"/v1/aws_account_assignments", nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+apiKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusTooManyRequests && attempt == 0 {
			resp.Body.Close()
			continue // a real client would wait Retry-After seconds
		}
		defer resp.Body.Close()
		var body struct {
			Assignments []struct {
				ID int `json:"id"`
			} `json:"aws_account_assignments"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			return nil, err
		}
		for _, a := range body.Assignments {
			ids = append(ids, a.ID)
		}
		return ids, nil
	}
}

func TestClientRetriesWhenThrottled(t *testing.T) {
	// A fresh emulator on 127.0.0.1, default fixtures, closed when the test ends.
	emu := emulatortest.Start(t, emulator.Options{})

	// A stopped clock makes every created_at and updated_at predictable.
	if _, err := emu.Control.SetClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	// The next list request is throttled.
	if _, err := emu.Control.AddFault(emulator.FaultRule{
		Method: http.MethodGet, Path: "/v1/aws_account_assignments",
		Status: http.StatusTooManyRequests, Headers: map[string]string{"Retry-After": "1"}, Times: 1,
	}); err != nil {
		t.Fatal(err)
	}

	ids, err := listAssignments(emu.URL, emulator.DemoPartnerKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 {
		t.Fatalf("got assignments %v, want the default fixtures' 3", ids)
	}

	// The journal shows what the client sent and what it got.
	entries, err := emu.Control.Journal(emulator.JournalFilter{PathPrefix: "/v1/aws_account_assignments"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || !entries[0].Injected || entries[0].Status != 429 || entries[1].Status != 200 {
		t.Fatalf("journal: %+v", entries)
	}
}
