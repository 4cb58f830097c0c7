package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
)

// parityUsage is the help of the parity subcommand.
const parityUsage = `Usage: cloudhealth-emulator parity CASSETTE... [--report out.md] [--json out.json]
                            [--allowlist FILE] [--fidelity docs/fidelity.md]
                            [--billing-family OWNER=PAYER]...

Replays cassettes recorded by the contract suite (CLOUDHEALTH_CONTRACT_RECORD)
against a fresh emulator loaded with the recorded pre-state, and compares every
answer with the recorded one after normalisation (ids by reference, timestamps,
error texts, URL hosts, volatile headers). Each exchange is MATCH, DIFF, KNOWN
(allowed by the allowlist, naming its docs/fidelity.md row) or SKIP. Recorded
answers are also checked against openapi.yaml and reported apart.

The summary goes to standard output; --report writes Markdown, --json JSON.
Exit status: 0 when no exchange is an unknown DIFF, 1 when one is, 2 on bad
arguments or an unreadable cassette. docs/parity.md explains the report.

Flags:
`

// runParity is the parity subcommand: args are those after "parity".
func runParity(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), parityUsage)
		fs.PrintDefaults()
	}
	report := fs.String("report", "", "write the report as Markdown to this file")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	allowlist := fs.String("allowlist", "", "known differences (YAML or JSON); each entry names its docs/fidelity.md row")
	fidelity := fs.String("fidelity", "docs/fidelity.md", "docs/fidelity.md, to check the allowlist's rows against (skipped when the file is missing)")
	families := map[string]string{}
	fs.Func("billing-family", "OWNER=PAYER: a partner AWS account's consolidated billing family, which the API does not show (repeatable)", func(v string) error {
		owner, payer, ok := strings.Cut(v, "=")
		if !ok || owner == "" || payer == "" {
			return fmt.Errorf("want OWNER=PAYER, got %q", v)
		}
		families[owner] = payer
		return nil
	})
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout) // help asked for is no error: stdout, exit 0
			fs.Usage()
			return 0
		}
	}
	var cassettes []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return 0
			}
			return 2
		}
		rest = fs.Args()
		if len(rest) > 0 {
			cassettes = append(cassettes, rest[0])
			rest = rest[1:]
		}
	}
	if len(cassettes) == 0 {
		fmt.Fprintln(stderr, "parity: name at least one cassette (see cloudhealth-emulator parity --help)")
		return 2
	}
	opts := parity.Options{BillingFamilies: families}
	if *allowlist != "" {
		doc, err := os.ReadFile(*fidelity)
		if err != nil {
			doc = nil
		}
		if opts.Allowlist, err = parity.LoadAllowlist(*allowlist, doc); err != nil {
			fmt.Fprintln(stderr, "parity:", err)
			return 2
		}
	}
	rep, err := parity.ReplayFiles(cassettes, opts)
	if err != nil {
		fmt.Fprintln(stderr, "parity:", err)
		return 2
	}
	write := func(path string, f func(io.Writer) error) bool {
		if path == "" {
			return true
		}
		out, err := os.Create(path)
		if err == nil {
			err = f(out)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "parity:", err)
			return false
		}
		return true
	}
	if !write(*report, rep.WriteMarkdown) || !write(*jsonOut, rep.WriteJSON) {
		return 2
	}
	fmt.Fprintln(stdout, rep.Summary())
	for _, x := range rep.Exchanges {
		if x.Verdict == parity.VerdictDiff {
			fmt.Fprintf(stdout, "DIFF #%d %s %s (%s, %s): %d differences, first %s\n", x.Index, x.Method, x.Path, x.Operation, x.Test, len(x.Diffs), x.Diffs[0].Path)
		}
	}
	if rep.Failed() {
		return 1
	}
	return 0
}
