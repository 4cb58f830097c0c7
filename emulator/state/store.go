package state

import (
	"sync"
	"sync/atomic"
)

// Store guards a State for concurrent use: any number of readers, or one
// writer. A write function checks its rules and then changes the state, all
// under the lock, so no request ever sees or leaves a half-applied change.
type Store struct {
	mu sync.RWMutex
	st *State
	// version counts the changes: each Write whose fn succeeded, each Replace.
	version atomic.Uint64
}

// NewStore returns a store holding st.
func NewStore(st *State) *Store { return &Store{st: st} }

// Read runs fn with shared access to the state.
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
	err := fn(s.st)
	if err == nil {
		s.version.Add(1)
	}
	return err
}

// Replace swaps the whole state for st (reset, state replace). It counts as
// a change.
func (s *Store) Replace(st *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
	s.version.Add(1)
}

// Version is the number of changes made so far: it grows with every
// successful Write and every Replace, so a reader that saw version v and
// reads v again knows the state has not changed since. It starts at 0.
func (s *Store) Version() uint64 { return s.version.Load() }
