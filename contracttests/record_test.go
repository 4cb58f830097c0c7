package contracttests

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity/record"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// envRecord names the directory a run records its cassette into
// (README.md, "Recording a cassette").
const envRecord = "CLOUDHEALTH_CONTRACT_RECORD"

// recording is the run's cassette recorder (nil when not recording).
var recording struct {
	rec  *record.Recorder
	path string
	// selfCheck: the in-process emulator, recorded without being asked to
	// (into a temporary directory): after the run the cassette is replayed
	// against a fresh emulator and every exchange must match.
	selfCheck bool
	// faultsArmed counts the emulator fault rules in force: the exchanges
	// they answer are recorded as ones replay must skip.
	faultsArmed int
}

// startRecording, when CLOUDHEALTH_CONTRACT_RECORD is set, puts a recorder
// under the validating transport and sweeps the account's lists into the
// cassette first (its pre-state).
func startRecording() error {
	dir := os.Getenv(envRecord)
	if dir == "" && suite.emulator {
		tmp, err := os.MkdirTemp("", "contract-cassette-")
		if err != nil {
			return err
		}
		dir, recording.selfCheck = tmp, true
	}
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	recording.path = filepath.Join(dir, "contract-"+time.Now().UTC().Format("20060102T150405Z")+".yaml")
	rec, err := record.New(recording.path, nil, suite.apiKey)
	if err != nil {
		return err
	}
	recording.rec = rec
	suite.transport.Base = rec
	return parity.Sweep(&http.Client{Transport: rec}, suite.baseURL, suite.apiKey)
}

// stopRecording writes the cassette (secrets redacted).
func stopRecording() error {
	if recording.rec == nil {
		return nil
	}
	if err := recording.rec.Stop(); err != nil {
		return fmt.Errorf("writing the cassette: %w", err)
	}
	if !recording.selfCheck {
		fmt.Fprintf(os.Stderr, "contract tests: recorded %s (compare: cloudhealth-emulator parity %s)\n", recording.path, recording.path)
		return nil
	}
	defer os.RemoveAll(filepath.Dir(recording.path))
	return replayOwnRecording()
}

// replayOwnRecording replays the run's cassette against a fresh emulator
// loaded from the recorded sweep: the emulator must answer every exchange as
// it did (parity's own proof, on the whole suite). The billing families come
// from the default fixtures, since the API does not show them.
func replayOwnRecording() error {
	doc, err := fixture.Parse(fixtures.Default)
	if err != nil {
		return err
	}
	families := map[string]string{}
	for _, p := range doc.Partners {
		if !slices.Contains(p.APIKeys, suite.apiKey) {
			continue
		}
		for _, a := range p.AWSAccounts {
			if a.BillingFamilyOwnerID != "" {
				families[a.OwnerID] = a.BillingFamilyOwnerID
			}
		}
	}
	rep, err := parity.ReplayFiles([]string{recording.path}, parity.Options{BillingFamilies: families})
	if err != nil {
		return fmt.Errorf("replaying the run's cassette: %w", err)
	}
	if !rep.Failed() && len(rep.Spec) == 0 {
		return nil
	}
	var b strings.Builder
	for _, x := range rep.Exchanges {
		if x.Verdict == parity.VerdictDiff {
			fmt.Fprintf(&b, "\n  #%d %s %s (%s): %+v", x.Index, x.Method, x.Path, x.Test, x.Diffs)
		}
	}
	for _, f := range rep.Spec {
		fmt.Fprintf(&b, "\n  #%d %s %s %d: %s", f.Exchange, f.Method, f.Path, f.Status, f.Problem)
	}
	return fmt.Errorf("the run's cassette, replayed against a fresh emulator: %s%s", rep.Summary(), b.String())
}

// markRecorded names the test in the recording, and marks an exchange that an
// emulator fault rule answers.
func markRecorded(req *http.Request, test string) *http.Request {
	if recording.rec == nil {
		return req
	}
	req = parity.WithTest(req, test)
	if recording.faultsArmed > 0 {
		req = parity.WithSkip(req, "answered by a fault rule of the emulator's control API")
	}
	if strings.HasPrefix(test, "TestBlocks") {
		// Its state (billing blocks) is not in the sweep's pre-state yet.
		req = parity.WithSkip(req, "a version 2 assignment test: billing blocks are not in the sweep's pre-state yet")
	}
	return req
}
