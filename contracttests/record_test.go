package contracttests

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
)

// envRecord names the directory a run records its cassette into
// (README.md, "Recording a cassette").
const envRecord = "CLOUDHEALTH_CONTRACT_RECORD"

// recording is the run's cassette recorder (nil when not recording).
var recording struct {
	rec  *parity.Recorder
	path string
	// faultsArmed counts the emulator fault rules in force: the exchanges
	// they answer are recorded as ones replay must skip.
	faultsArmed int
}

// startRecording, when CLOUDHEALTH_CONTRACT_RECORD is set, puts a recorder
// under the validating transport and sweeps the account's lists into the
// cassette first (its pre-state).
func startRecording() error {
	dir := os.Getenv(envRecord)
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	recording.path = filepath.Join(dir, "contract-"+time.Now().UTC().Format("20060102T150405Z")+".yaml")
	rec, err := parity.NewRecorder(recording.path, nil, suite.apiKey)
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
	fmt.Fprintf(os.Stderr, "contract tests: recorded %s (compare: cloudhealth-emulator parity %s)\n", recording.path, recording.path)
	return nil
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
	return req
}
