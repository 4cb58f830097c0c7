package contracttests

import "github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/coverage"

// The coverage report is shared with the emulator's GET /__emulator/coverage
// (package emulator/coverage); these names keep the suite's own.

// Coverage records each (operationId, status) the suite's transport saw. It
// is safe for concurrent use; a nil *Coverage records nothing.
type Coverage = coverage.Counts

// Entry is one documented status of one operation of openapi.yaml.
type Entry = coverage.Entry

// NewCoverage returns an empty record.
func NewCoverage() *Coverage { return coverage.New() }

// Report lists every operation and documented status of spec (openapi.yaml's
// bytes), in path, method and status order, with how often the suite saw it.
// unreachable maps an operationId and status to the reason no request can
// provoke it.
func Report(c *Coverage, spec []byte, unreachable map[string]map[int]string) ([]Entry, error) {
	doc, err := loadSpec(spec)
	if err != nil {
		return nil, err
	}
	return coverage.Report(doc, c, unreachable), nil
}

// Gaps returns the entries that are gaps.
func Gaps(entries []Entry) []Entry { return coverage.Gaps(entries) }

// FormatReport renders the report as text: one line per operation and status,
// then a summary.
func FormatReport(entries []Entry) string {
	return coverage.FormatReport("Contract test coverage of openapi.yaml (operation, status: responses seen)", entries)
}
