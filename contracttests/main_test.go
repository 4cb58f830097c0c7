package contracttests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
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
	baseURL  string
	apiKey   string
	profile  Profile
	writes   bool // tests that create, change or delete run
	emulator bool // the in-process emulator (TestMain started it)
	// faults: the target has the emulator's control API, whose fault rules
	// provoke the 429, 500 and 503 the real API answers on its own
	// (faults_test.go).
	faults    bool
	transport *Transport
	client    *http.Client
	coverage  *Coverage
	// findings collects, against the real API, answers openapi.yaml does
	// not describe that are no failure (findings.go).
	findings *Findings
	// leftLinkages are the GovCloud linkages the run created: the API has no
	// DELETE for them, so they stay (govcloud_test.go).
	leftLinkages []linkage
	// v2FamilyMembers are the owner ids a version 2 Family create assigned
	// (assignments_v2_test.go): their customer accounts stay.
	v2FamilyMembers []string
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

	suite.faults = hasControlAPI()
	if !suite.emulator && !suite.faults {
		// The real API: fields openapi.yaml does not know are findings.
		suite.findings = NewFindings()
		suite.transport.Findings = suite.findings
	}
	if err := startRecording(); err != nil {
		fmt.Fprintln(os.Stderr, "contract tests: recording:", err)
		return 2
	}
	var before *fixture.Document
	if suite.emulator {
		if before, err = emulatorState(); err != nil {
			fmt.Fprintln(os.Stderr, "contract tests:", err)
			return 2
		}
	}
	code := m.Run()
	if err := stopRecording(); err != nil {
		fmt.Fprintln(os.Stderr, "contract tests:", err)
		code = 1
	}
	if suite.findings != nil && suite.findings.Len() > 0 {
		fmt.Fprintf(os.Stderr, "contract tests: findings (answers openapi.yaml does not describe; not failures, see docs/parity.md):\n%s\n", suite.findings.Report())
	}
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
	unreachable := unreachableStatuses()
	if !suite.faults {
		addInjectedOnly(unreachable)
	}
	entries, err := Report(suite.coverage, cloudhealthemulator.OpenAPI, unreachable)
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

// requireCleanedUp checks, after the run, that the tests left the target as
// they found it: the same customers (every field), each with the same AWS
// account assignments, Azure assignments, GovCloud linkages and own AWS
// accounts, and the same partner AWS accounts. Two exceptions, which no API
// call can undo: the GovCloud linkages the run created, each back on the
// accounts it was created with (govcloud_test.go); and the AWS account of
// the profile's customer that a first assignment of one of the assignable
// owner ids creates (and assignments' deletes leave, as in CloudHealth).
func requireCleanedUp(before *fixture.Document) error {
	after, err := emulatorState()
	if err != nil {
		return err
	}
	type held struct {
		Customer    fixture.Customer // its own fields only
		Assignments []fixture.Assignment
		Azure       []string
		Linkages    []fixture.Linkage
		Accounts    []fixture.AWSAccount
	}
	created := map[int64]bool{}
	for _, l := range suite.leftLinkages {
		created[l.ID] = true
	}
	p := suite.profile
	collect := func(doc *fixture.Document, known map[int64]bool) (map[int64]held, map[int64][]fixture.AWSAccount) {
		customers, partners := map[int64]held{}, map[int64][]fixture.AWSAccount{}
		for _, partner := range doc.Partners {
			partners[partner.ID] = partner.AWSAccounts
			for _, c := range partner.Customers {
				var linkages []fixture.Linkage
				for _, l := range c.GovcloudLinkages {
					if created[l.ID] {
						l.UpdatedAt = "" // moved by the updates that were undone
					}
					linkages = append(linkages, l)
				}
				var accounts []fixture.AWSAccount
				for _, a := range c.AWSAccounts {
					left := known != nil && !known[a.ID] && c.ID == p.CustomerID && slices.Contains(p.AssignableOwnerIDs, a.OwnerID)
					// The same for the version 2 customer's accounts of the version 2 tests' owner ids.
					left = left || known != nil && !known[a.ID] && c.ID == p.V2CustomerID && v2Left(a.OwnerID)
					if !left {
						accounts = append(accounts, a)
					}
				}
				own := c
				own.AWSAccounts, own.AWSAccountAssignments, own.AzureCustomerIDs, own.GovcloudLinkages = nil, nil, nil, nil
				customers[c.ID] = held{own, c.AWSAccountAssignments, c.AzureCustomerIDs, linkages, accounts}
			}
		}
		return customers, partners
	}
	want, wantPartners := collect(before, nil)
	known := map[int64]bool{}
	for _, h := range want {
		for _, a := range h.Accounts {
			known[a.ID] = true
		}
	}
	for _, l := range suite.leftLinkages {
		h := want[l.CustomerID]
		h.Linkages = append(h.Linkages, fixture.Linkage{ID: l.ID, GovcloudAcctID: l.GovcloudAcct, CommercialAcctID: l.CommercialAcct, CreatedAt: l.CreatedAt})
		want[l.CustomerID] = h
	}
	got, gotPartners := collect(after, known)
	var problems []string
	for id, w := range want {
		if g, ok := got[id]; !ok {
			problems = append(problems, fmt.Sprintf("customer %d (%s) was deleted", id, w.Customer.Name))
		} else if !reflect.DeepEqual(w, g) {
			problems = append(problems, fmt.Sprintf("customer %d changed:\n  before: %+v\n  after:  %+v", id, w, g))
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			problems = append(problems, fmt.Sprintf("customer %d (%s) was left behind", id, g.Customer.Name))
		}
	}
	if !reflect.DeepEqual(wantPartners, gotPartners) {
		problems = append(problems, fmt.Sprintf("the partners' own AWS accounts changed:\n  before: %+v\n  after:  %+v", wantPartners, gotPartners))
	}
	if len(problems) > 0 {
		return fmt.Errorf("the tests did not leave the emulator as they found it:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}
