package state

import "sync"

// Store guards a State for concurrent use: any number of readers, or one
// writer. A write function checks its rules and then changes the state, all
// under the lock, so no request ever sees or leaves a half-applied change.
type Store struct {
	mu sync.RWMutex
	st *State
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
// before it changes anything, never after.
func (s *Store) Write(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.st)
}

// Replace swaps the whole state for st (reset, state replace).
func (s *Store) Replace(st *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
}
