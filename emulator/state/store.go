package state

import (
	"sync"
	"sync/atomic"
)

// Store guards a State for concurrent use: any number of readers, or one
// writer. A write function checks its rules and then changes the state, all
// under the lock, so no request ever sees or leaves a half-applied change.
//
// A store can also take its state back to a base state (Restorable, Reset):
// while it serves the base, every write is recorded in the base's undo log
// (undo.go), and a reset replays the log backwards. So neither a start-up
// nor a reset nor the first write after either copies the state: a reset
// costs what was written since the last one. A log grown past a quarter of
// the size of the state (undoLimit) is folded away: the next write copies
// the state, the base is rolled back and kept aside, and the store goes on
// with the copy.
type Store struct {
	mu sync.RWMutex
	st *State
	// base is what Reset returns to (nil until Restorable). While st is
	// base, base.undo records every write.
	base *State
	// undoLimit is the most steps the base's log may hold before the next
	// write folds it away.
	undoLimit int
	// version counts the changes: each Write whose fn succeeded, each
	// Replace, Restorable or Reset.
	version atomic.Uint64
}

// minUndoSteps is the least undo log a store keeps before it folds it
// away (a copy of a small state is cheap; of a large one, rare).
const minUndoSteps = 1 << 16

// undoShare bounds the log to a quarter as many steps as the state has
// entities: a reset takes back at most that many (0.12-0.17 s measured at
// a million assignments, where a step costs up to about 170 ns;
// BenchmarkScaleResetLongLog), and the log holds a few tens of bytes per
// step.
const undoShare = 4

// NewStore returns a store holding st.
func NewStore(st *State) *Store { return &Store{st: st} }

// Read runs fn with shared access to the state. fn must not change it.
func (s *Store) Read(fn func(*State)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn(s.st)
}

// Write runs fn with exclusive access to the state. fn must return an error
// before it changes anything, never after. A nil return counts as a change
// (Version grows).
func (s *Store) Write(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base != nil && s.st == s.base && s.base.undo.len() > s.undoLimit {
		s.foldUndoLog()
	}
	err := fn(s.st)
	if err == nil {
		s.version.Add(1)
	}
	return err
}

// foldUndoLog ends a log too long to keep: the store goes on with a copy of
// the state as it is, and the base is rolled back to what it was.
func (s *Store) foldUndoLog() {
	s.st = s.base.Clone()
	s.base.rollback()
}

// Restorable serves base from now on and makes it what Reset returns to:
// every later write to it is recorded so that Reset can take it back.
// Nothing but the store may change base from then on. It counts as a
// change.
func (s *Store) Restorable(base *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base != nil && s.st == s.base {
		s.base.rollback()
	}
	base.undo = &undoLog{}
	s.base, s.st = base, base
	s.undoLimit = max(minUndoSteps, base.size()/undoShare)
	s.version.Add(1)
}

// Reset serves the base again as it was when Restorable was called: it
// takes back the writes made to it since, or, when the store was serving
// another state (a Replace, or a copy made when the log grew too long),
// drops that state. It reports whether it dropped a whole state. It counts
// as a change.
func (s *Store) Reset() (droppedState bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base == nil {
		return false
	}
	droppedState = s.st != s.base
	s.base.rollback()
	s.st = s.base
	s.version.Add(1)
	return droppedState
}

// Replace swaps the served state for st, which the store then owns; the
// base (Restorable) is rolled back and kept for Reset. It counts as a
// change.
func (s *Store) Replace(st *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base != nil && s.st == s.base {
		s.base.rollback()
	}
	s.st = st
	s.version.Add(1)
}

// Version is the number of changes made so far: it grows with every
// successful Write and every Replace, Restorable or Reset, so a reader that
// saw version v and reads v again knows the state has not changed since. It
// starts at 0.
func (s *Store) Version() uint64 { return s.version.Load() }
