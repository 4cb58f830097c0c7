package emulator

import (
	"runtime/debug"
	"sync/atomic"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The reset snapshot is the state as it was built at start-up (Server.initial),
// never changed: the store serves it shared (state.Store.Share) from start-up
// and after every reset, and copies it (state.Clone) before the first write.
// So neither a start-up nor a reset copies the state; the first write after
// either does, once.

// resetState serves the start-up snapshot again, shared.
func (s *Server) resetState() {
	s.store.Share(s.initial)
}

// replaceState swaps the served state for st, which the store then owns.
func (s *Server) replaceState(st *state.State) {
	s.store.Replace(st)
}

// memoryReturner gives the memory of a dropped state back to the operating
// system (debug.FreeOSMemory) after the answer of the reset or replace that
// dropped it, in the background: without it the Go runtime keeps the pages
// of a large state for minutes (a replace of a million assignments by the
// default fixtures kept gigabytes), and with it in the request the answer
// waited for a whole collection. Requests while one runs make it run once
// more after it.
type memoryReturner struct {
	running atomic.Bool
	again   atomic.Bool
}

// request asks for a return of memory to the OS, now or after the one
// running.
func (m *memoryReturner) request() {
	m.again.Store(true)
	if !m.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		for {
			for m.again.Swap(false) {
				debug.FreeOSMemory()
			}
			m.running.Store(false)
			// A request between the last Swap and the Store finds running
			// set and returns: look again.
			if !m.again.Load() || !m.running.CompareAndSwap(false, true) {
				return
			}
		}
	}()
}
