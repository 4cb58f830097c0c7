package emulator

import (
	"encoding/json"
	"io"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/state"
)

// StateVersion is a counter of the changes made to the state: it grows with
// every API write that succeeded, every reset and every state replacement,
// and stays put while nothing changes. A state file writer compares it with
// the version it last wrote to know whether to write again.
func (s *Server) StateVersion() uint64 { return s.store.Version() }

// WriteState writes the whole state to w as the JSON fixture document
// GET /__emulator/state answers, a consistent snapshot taken under the read
// lock. The document is what LoadState (or --fixtures, or PUT
// /__emulator/state) accepts back.
func (s *Server) WriteState(w io.Writer) error {
	var doc *fixture.Document
	s.store.Read(func(st *state.State) { doc = fixture.Dump(st) })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// LoadState replaces the whole state with a fixture document (YAML or
// JSON), as PUT /__emulator/state does: all or nothing, and the error names
// every problem of the document. POST /__emulator/reset still goes back to
// the fixtures the server was built on, not to this document.
func (s *Server) LoadState(data []byte) error {
	doc, err := fixture.Parse(data)
	if err != nil {
		return err
	}
	st, err := fixture.Build(doc, s.now())
	if err != nil {
		return err
	}
	s.store.Replace(st)
	return nil
}
