package state

// SetUndoLimit lets the tests fold an undo log without writing 65,536 steps.
func (s *Store) SetUndoLimit(n int) { s.undoLimit = n }

// UndoSteps returns how many steps the base's undo log holds.
func (s *Store) UndoSteps() int { return s.base.undo.len() }
