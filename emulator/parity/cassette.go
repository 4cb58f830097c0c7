package parity

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
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

// MaxKeptBody is the largest request body a cassette keeps whole.
const MaxKeptBody = 64 << 10

// KeptPrefix is how much of a larger body it keeps.
const KeptPrefix = 256

// Cassette is a go-vcr cassette (format version 2) as replay reads it: the
// recorder (package record) writes it with go-vcr itself; replay reads it
// with these types, which name go-vcr's fields, because go-vcr's cassette
// package links the testing package, which the emulator's binary must not.
type Cassette struct {
	Version      int            `yaml:"version"`
	Interactions []*Interaction `yaml:"interactions"`
}

// Interaction is one recorded exchange.
type Interaction struct {
	ID       int      `yaml:"id"`
	Request  Request  `yaml:"request"`
	Response Response `yaml:"response"`
}

// Request is a recorded request (the go-vcr fields replay uses).
type Request struct {
	ContentLength int64       `yaml:"content_length"`
	Host          string      `yaml:"host"`
	RequestURI    string      `yaml:"request_uri,omitempty"`
	Body          string      `yaml:"body,omitempty"`
	Form          url.Values  `yaml:"form,omitempty"`
	Headers       http.Header `yaml:"headers,omitempty"`
	URL           string      `yaml:"url"`
	Method        string      `yaml:"method"`
}

// Response is a recorded response (the go-vcr fields replay uses).
type Response struct {
	Body    string      `yaml:"body"`
	Headers http.Header `yaml:"headers"`
	Status  string      `yaml:"status"`
	Code    int         `yaml:"code"`
}

// LoadCassette reads a go-vcr (format version 2) cassette file; ".yaml" is
// added when the path has no such file and lacks it.
func LoadCassette(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) && !strings.HasSuffix(path, ".yaml") {
		data, err = os.ReadFile(path + ".yaml")
	}
	if err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	var c Cassette
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	if c.Version != 2 {
		return nil, fmt.Errorf("cassette %s: format version %d; go-vcr v4's version 2 is the one read", path, c.Version)
	}
	return &c, nil
}
