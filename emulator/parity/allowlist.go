package parity

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Known is one allowed difference: where the emulator is known to answer
// otherwise than the real API, for a reason docs/fidelity.md records.
type Known struct {
	// Operation is the operationId it applies to; empty: every operation.
	Operation string `yaml:"operation,omitempty" json:"operation,omitempty"`
	// Path is the Diff path it allows, with "*" matching any run of
	// characters but "." (body.customers[*].client_api_id) and "**" any run.
	Path string `yaml:"path" json:"path"`
	// Fidelity names the docs/fidelity.md row that explains it, as
	// "<section>: <topic>" (the section's heading, the row's first cell).
	Fidelity string `yaml:"fidelity" json:"fidelity"`
	// Reason says why, in a sentence.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`

	re *regexp.Regexp
}

// Allowlist is the file of known differences.
type Allowlist struct {
	Known []Known `yaml:"known" json:"known"`
}

// LoadAllowlist reads an allowlist file (YAML or JSON). When fidelity is not
// empty (the text of docs/fidelity.md), every entry must name a row of it.
func LoadAllowlist(path string, fidelity []byte) (*Allowlist, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAllowlist(data, fidelity)
}

// ParseAllowlist parses an allowlist document; see LoadAllowlist.
func ParseAllowlist(data, fidelity []byte) (*Allowlist, error) {
	var a Allowlist
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("allowlist: %w", err)
	}
	rows := fidelityRows(fidelity)
	var problems []string
	for n := range a.Known {
		k := &a.Known[n]
		switch {
		case k.Path == "":
			problems = append(problems, fmt.Sprintf("known[%d]: path is required", n))
		case k.Fidelity == "":
			problems = append(problems, fmt.Sprintf("known[%d] (%s): fidelity must name its docs/fidelity.md row", n, k.Path))
		case fidelity != nil && !rows[plain(k.Fidelity)]:
			problems = append(problems, fmt.Sprintf("known[%d] (%s): docs/fidelity.md has no row %q (write \"<section>: <topic>\")", n, k.Path, k.Fidelity))
		}
		pattern := regexp.QuoteMeta(k.Path)
		pattern = strings.ReplaceAll(pattern, `\*\*`, `.*`)
		pattern = strings.ReplaceAll(pattern, `\*`, `[^.]*`)
		k.re = regexp.MustCompile("^" + pattern + "$")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("allowlist:\n  %s", strings.Join(problems, "\n  "))
	}
	return &a, nil
}

// match returns the entry that allows the difference, if any.
func (a *Allowlist) match(operation string, d Diff) *Known {
	if a == nil {
		return nil
	}
	for n := range a.Known {
		k := &a.Known[n]
		if (k.Operation == "" || k.Operation == operation) && k.re.MatchString(d.Path) {
			return k
		}
	}
	return nil
}

// fidelityRows lists "<section>: <topic>" for every table row of
// docs/fidelity.md.
func fidelityRows(doc []byte) map[string]bool {
	rows := map[string]bool{}
	section := ""
	for _, line := range strings.Split(string(doc), "\n") {
		if s, ok := strings.CutPrefix(line, "## "); ok {
			section = strings.TrimSpace(s)
			continue
		}
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "| ---") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) > 2 {
			rows[plain(section+": "+cells[1])] = true
		}
	}
	return rows
}

// plain compares names without backticks, case or surrounding space.
func plain(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "`", "")), " "))
}
