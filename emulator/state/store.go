package state

import (
	"sync"
	"sync/atomic"
)

// Store guards a State for concurrent use: any number of readers, or one
// writer. A write function checks its rules and then changes the state, all
// under the lock, so no request ever sees or leaves a half-applied change.
//
// A store can serve a state it shares with someone who must never see it
// change (the reset snapshot, Share): it reads the shared state as it is and
// copies it (Clone) under the write lock before the first write, so that a
// reset, or a start-up that serves its snapshot, copies nothing until a
// client writes.
type Store struct {
	mu sync.RWMutex
	st *State
	// shared is set while st is shared (Share): the next Write copies it
	// first.
	shared bool
	// version counts the changes: each Write whose fn succeeded, each
	// Replace or Share.
	version atomic.Uint64
}

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
// (Version grows). A shared state is copied first (Share), whatever fn
// returns.
func (s *Store) Write(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shared {
		s.st = s.st.Clone()
		s.shared = false
	}
	err := fn(s.st)
	if err == nil {
		s.version.Add(1)
	}
	return err
}

// Replace swaps the whole state for st (a state replace), which the store
// then owns. It counts as a change.
func (s *Store) Replace(st *State) { s.swap(st, false) }

// Share swaps the whole state for st, which stays unchanged: it is read as
// it is, and the first Write changes a copy of it (Clone). Every clone of
// st must be taken through stores that share it under their write lock, one
// at a time (Clone marks st's id sets copy-on-write), and nothing else may
// change st. It counts as a change.
func (s *Store) Share(st *State) { s.swap(st, true) }

func (s *Store) swap(st *State, shared bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
	s.shared = shared
	s.version.Add(1)
}

// Version is the number of changes made so far: it grows with every
// successful Write and every Replace or Share, so a reader that saw version
// v and reads v again knows the state has not changed since. It starts at 0.
func (s *Store) Version() uint64 { return s.version.Load() }
