package contracttests

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Findings collects what a target's answers show that openapi.yaml does not
// describe but that is no reason to fail a test: a field openapi.yaml does
// not know, or a documented required field the answer leaves out (the
// emulator adds client_api_id to every customer; the guide does not list it).
// A Transport with Findings set (against the real API) records these instead
// of failing; without (against the emulator) openapi.yaml stays strict.
type Findings struct {
	mu   sync.Mutex
	seen map[string]int
}

// NewFindings returns an empty collection.
func NewFindings() *Findings { return &Findings{seen: map[string]int{}} }

func (f *Findings) add(op string, status int, problem string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen[fmt.Sprintf("%s %d: %s", op, status, problem)]++
}

// Len is how many distinct findings there are.
func (f *Findings) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.seen)
}

// Report lists each distinct finding with how many answers showed it.
func (f *Findings) Report() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	lines := make([]string, 0, len(f.seen))
	for k, n := range f.seen {
		lines = append(lines, fmt.Sprintf("  %s (%d answers)", k, n))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
