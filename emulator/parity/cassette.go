package parity

import (
	"fmt"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

// Headers the recorder writes into a recorded request; they are never sent.
const (
	// HeaderTest names the test that sent the request (SweepTest for the
	// pre-state sweep).
	HeaderTest = "X-Parity-Test"
	// HeaderSkip says why the exchange must not be replayed (for example an
	// answer made by a fault rule of the emulator's control API).
	HeaderSkip = "X-Parity-Skip"
	// HeaderBodyOmitted holds the length of a request body too large to keep;
	// the cassette keeps its first bytes and replay pads it with spaces.
	HeaderBodyOmitted = "X-Parity-Body-Omitted"
)

// SweepTest is the HeaderTest value of the pre-state sweep's requests.
const SweepTest = "sweep"

// Placeholders written in place of secrets.
const (
	// RedactedKey replaces the recording partner's API key, wherever it was.
	RedactedKey = "<redacted:api_key>"
	// RedactedOther replaces any other credential (a bad key on purpose, or
	// a key of another partner); replay sends a key no partner has.
	RedactedOther = "<redacted:other>"
	// Redacted replaces a secret field of a body.
	Redacted = "<redacted>"
)

// maxKeptBody is the largest request body a cassette keeps whole.
const maxKeptBody = 64 << 10

// keptPrefix is how much of a larger body it keeps.
const keptPrefix = 256

// LoadCassette reads a go-vcr (format version 2) cassette file; the name may
// be given with or without its .yaml extension.
func LoadCassette(path string) (*cassette.Cassette, error) {
	c, err := cassette.Load(strings.TrimSuffix(path, ".yaml"))
	if err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	return c, nil
}
