package emulator

import (
	"runtime/debug"
	"sync"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// snapshot keeps the state as it was built at start-up, never served and
// never changed, for reset: a reset takes a deep copy of it (state.Clone)
// instead of building the start-up document through the rules again, a copy
// of memory rather than a second start-up.
type snapshot struct {
	mu sync.Mutex // Clone marks the snapshot's id sets copy-on-write: one clone at a time
	st *state.State
}

func newSnapshot(st *state.State) *snapshot { return &snapshot{st: st} }

// clone returns a state equal to the snapshot that shares nothing it could
// change with it.
func (s *snapshot) clone() *state.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Clone()
}

// replaceState swaps the served state for st and gives the memory of the
// old one back to the operating system: without it the Go runtime keeps the
// pages of a large state it dropped for minutes (a replace of a million
// assignments by the default fixtures kept gigabytes).
func (s *Server) replaceState(st *state.State) {
	s.store.Replace(st)
	debug.FreeOSMemory()
}
