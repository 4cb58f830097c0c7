package contracttests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	cloudhealthemulator "github.com/cloudhealth-emulator/cloudhealth-emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/fixtures"
)

// Environment variables of the suite (README.md in this directory).
const (
	envBaseURL      = "CLOUDHEALTH_BASE_URL"
	envAPIKey       = "CLOUDHEALTH_API_KEY"
	envProfile      = "CLOUDHEALTH_CONTRACT_PROFILE"
	envWrites       = "CLOUDHEALTH_CONTRACT_WRITES"
	envCoverage     = "CLOUDHEALTH_CONTRACT_COVERAGE"
	envFullCoverage = "CLOUDHEALTH_CONTRACT_REQUIRE_FULL_COVERAGE"
)

// target is what every test talks to.
type target struct {
	baseURL   string
	apiKey    string
	profile   Profile
	writes    bool // tests that create, change or delete run
	emulator  bool // the in-process emulator (TestMain started it)
	transport *Transport
	client    *http.Client
	coverage  *Coverage
	// leftLinkages are the GovCloud linkages the run created: the API has no
	// DELETE for them, so they stay (govcloud_test.go).
	leftLinkages []linkage
}

// suite is the target of this run, set up by TestMain.
var suite *target

func TestMain(m *testing.M) { os.Exit(runSuite(m)) }

func runSuite(m *testing.M) int {
	cov := NewCoverage()
	tr, err := NewTransport(cloudhealthemulator.OpenAPI, nil, cov)
	if err != nil {
		fmt.Fprintln(os.Stderr, "contract tests:", err)
		return 2
	}
	suite = &target{transport: tr, client: &http.Client{Transport: tr}, coverage: cov}
	var emulatorBug atomic.Bool
	if base := os.Getenv(envBaseURL); base != "" {
		suite.baseURL = strings.TrimSuffix(base, "/")
		suite.apiKey = os.Getenv(envAPIKey)
		suite.writes = os.Getenv(envWrites) == "1"
		if suite.apiKey == "" || os.Getenv(envProfile) == "" {
			fmt.Fprintf(os.Stderr, "contract tests: %s needs %s and %s\n", envBaseURL, envAPIKey, envProfile)
			return 2
		}
	} else {
		srv, err := emulator.New(emulator.Options{OnSpecViolation: func(v emulator.SpecViolation) {
			emulatorBug.Store(true)
			fmt.Fprintf(os.Stderr, "emulator bug: %s %s (%s) answered %d, which breaks openapi.yaml: %s\n", v.Method, v.Path, v.Operation, v.Status, v.Problem)
		}})
		if err != nil {
			fmt.Fprintln(os.Stderr, "contract tests: starting the emulator:", err)
			return 2
		}
		hs := httptest.NewServer(srv)
		defer hs.Close()
		key, err := defaultFixturesKey()
		if err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			return 2
		}
		suite.baseURL, suite.apiKey, suite.writes, suite.emulator = hs.URL, key, true, true
		if suite.profile, err = EmulatorProfile(fixtures.Default, suite.apiKey); err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			return 2
		}
	}
	if path := os.Getenv(envProfile); path != "" {
		if suite.profile, err = LoadProfile(path); err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			return 2
		}
	}

	var before *fixture.Document
	if suite.emulator {
		if before, err = emulatorState(); err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			return 2
		}
	}
	code := m.Run()
	if suite.emulator {
		if err := requireCleanedUp(before); err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			code = 1
		}
	}
	if emulatorBug.Load() && code == 0 {
		code = 1
	}
	if err := reportCoverage(); err != nil {
		fmt.Fprintln(os.Stderr, "contract tests:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// reportCoverage prints the coverage report, writes it to its file, and, when
// full coverage is required, fails on any gap. A partial run (go test -run)
// reports gaps it was never meant to fill: require full coverage only on full
// runs (make contract does).
func reportCoverage() error {
	entries, err := suite.coverage.Report(cloudhealthemulator.OpenAPI, unreachableStatuses())
	if err != nil {
		return err
	}
	text := FormatReport(entries)
	if testing.Verbose() || os.Getenv(envFullCoverage) == "1" {
		fmt.Print(text)
	}
	path := os.Getenv(envCoverage)
	if path == "" {
		path = "coverage.txt"
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("writing the coverage report: %w", err)
	}
	if gaps := Gaps(entries); len(gaps) > 0 && os.Getenv(envFullCoverage) == "1" {
		var b strings.Builder
		for _, g := range gaps {
			fmt.Fprintf(&b, "\n  %s (%s %s) %s", g.Operation, g.Method, g.Path, g.Status)
		}
		return fmt.Errorf("%s=1 and %d documented statuses were not exercised:%s", envFullCoverage, len(gaps), b.String())
	}
	return nil
}

// defaultFixturesKey is the first API key of the default fixtures' first
// partner: the partner the suite acts as against the emulator.
func defaultFixturesKey() (string, error) {
	doc, err := fixture.Parse(fixtures.Default)
	if err != nil {
		return "", err
	}
	if len(doc.Partners) == 0 || len(doc.Partners[0].APIKeys) == 0 {
		return "", fmt.Errorf("the default fixtures have no partner with an API key")
	}
	return doc.Partners[0].APIKeys[0], nil
}

// emulatorState reads the in-process emulator's state through its control
// API (only TestMain does, and only for the emulator it started).
func emulatorState() (*fixture.Document, error) {
	resp, err := http.Get(suite.baseURL + "/__emulator/state")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc fixture.Document
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("reading the emulator's state: %w", err)
	}
	return &doc, nil
}

// requireCleanedUp checks, after the run, that every AWS account assignment
// and Azure assignment the tests made was removed, and that the GovCloud
// linkages are as they were plus the ones the run created (which no API call
// can remove), each back on the accounts it was created with: each
// customer's are as they were before the run. (The customer AWS accounts
// that a first assignment creates stay, as they do in CloudHealth.)
func requireCleanedUp(before *fixture.Document) error {
	after, err := emulatorState()
	if err != nil {
		return err
	}
	type held struct {
		Assignments []fixture.Assignment
		Azure       []string
		Linkages    []fixture.Linkage
	}
	created := map[int64]bool{}
	for _, l := range suite.leftLinkages {
		created[l.ID] = true
	}
	collect := func(doc *fixture.Document) map[int64]held {
		out := map[int64]held{}
		for _, p := range doc.Partners {
			for _, c := range p.Customers {
				var linkages []fixture.Linkage
				for _, l := range c.GovcloudLinkages {
					if created[l.ID] {
						l.UpdatedAt = "" // moved by the updates that were undone
					}
					linkages = append(linkages, l)
				}
				out[c.ID] = held{c.AWSAccountAssignments, c.AzureCustomerIDs, linkages}
			}
		}
		return out
	}
	want := collect(before)
	for _, l := range suite.leftLinkages {
		h := want[l.CustomerID]
		h.Linkages = append(h.Linkages, fixture.Linkage{ID: l.ID, GovcloudAcctID: l.GovcloudAcct, CommercialAcctID: l.CommercialAcct, CreatedAt: l.CreatedAt})
		want[l.CustomerID] = h
	}
	if got := collect(after); !reflect.DeepEqual(want, got) {
		return fmt.Errorf("the tests left assignments or linkages behind (or changed them):\nwant: %+v\ngot:  %+v", want, got)
	}
	return nil
}
