package state

// The undo log is how a reset costs what was written since, not the size of
// the state. A state being logged (Store.Restorable) records, before each
// change, how to take it back: the old value of a map key, the old fields of
// an entity, the inverse of an id set's change. Reset replays the log
// backwards, which leaves the state exactly as it was when the log started
// (the same entities at the same addresses, every index with them). A state
// that is not being logged (every state the fixture builder makes, and a
// state replace) records nothing.
//
// Every change the state makes goes through the helpers below (setKey,
// deleteKey, addID, removeID, keep, keepBilling): a change made another
// way would survive a reset: the source tests (undo_lint_test.go) and the
// reset check every test server runs at its end look for one.

// undoLog is the list of steps that take back the changes made since the log
// started, oldest first.
type undoLog struct {
	steps []func()
	// billingKept is set once the billing state was saved whole (keepBilling).
	billingKept bool
}

// push records one step.
func (u *undoLog) push(step func()) { u.steps = append(u.steps, step) }

// len returns how many steps the log holds.
func (u *undoLog) len() int { return len(u.steps) }

// rollback takes back every change of the log, newest first, and empties it.
func (s *State) rollback() {
	u := s.undo
	for i := len(u.steps) - 1; i >= 0; i-- {
		u.steps[i]()
		u.steps[i] = nil
	}
	u.steps = u.steps[:0]
	if cap(u.steps) > minUndoSteps {
		u.steps = nil // a long log's array is not kept for the next one
	}
	u.billingKept = false
}

// size is how many entities the state holds (partners, customers, AWS
// accounts, assignments, linkages): the scale of a copy of it.
func (s *State) size() int {
	return len(s.partners) + len(s.customers) + len(s.awsAccounts) + len(s.assignments) + len(s.linkages)
}

// setKey sets m[k] to v.
func setKey[K comparable, V any](s *State, m map[K]V, k K, v V) {
	if s.undo != nil {
		old, had := m[k]
		s.undo.push(func() {
			if had {
				m[k] = old
			} else {
				delete(m, k)
			}
		})
	}
	m[k] = v
}

// deleteKey deletes k from m.
func deleteKey[K comparable, V any](s *State, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	if s.undo != nil {
		s.undo.push(func() { m[k] = old })
	}
	delete(m, k)
}

// addID adds id to set.
func (s *State) addID(set idSet, id int64) {
	if _, had := set.tree.Set(id); !had && s.undo != nil {
		s.undo.push(func() { set.tree.Delete(id) })
	}
}

// removeID removes id from set.
func (s *State) removeID(set idSet, id int64) {
	if _, had := set.tree.Delete(id); had && s.undo != nil {
		s.undo.push(func() { set.tree.Set(id) })
	}
}

// keep records *v as it is now, before the caller changes it in place (an
// entity's fields, a counter, a slice header).
func keep[T any](s *State, v *T) {
	if s.undo != nil {
		old := *v
		s.undo.push(func() { *v = old })
	}
}

// keepBilling records the statements and price books whole before their
// first change in the log (billingState.clone): nothing outside the billing
// state points into it, so it is restored by putting the copy back.
func (s *State) keepBilling() {
	if s.undo == nil || s.undo.billingKept {
		return
	}
	old := s.billing.clone()
	s.undo.push(func() { s.billing = old })
	s.undo.billingKept = true
}
