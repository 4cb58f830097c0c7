package emulator

import (
	"runtime/debug"
	"sync/atomic"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// The state built at start-up is what a reset returns to: the store serves
// it and records in its undo log how to take back every write
// (state.Store.Restorable), so a reset replays the writes made since the
// last one backwards (state.Store.Reset) instead of rebuilding or copying
// the state, and no write ever copies it first.

// resetState takes the state back to the start-up state, and reports
// whether a whole state was dropped (one a replace installed).
func (s *Server) resetState() (droppedState bool) {
	return s.store.Reset()
}

// replaceState swaps the served state for st, which the store then owns;
// the start-up state is rolled back and kept for the next reset.
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
