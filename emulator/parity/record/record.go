// Package record records exchanges with the CloudHealth API into go-vcr v4
// cassettes for the parity replay (package parity): each request's marks
// (parity.WithTest, parity.WithSkip) are written into the recorded request and
// never sent, and every secret is redacted (parity.Redact) before the
// cassette is written. It is kept apart from package parity because go-vcr
// links the testing package, which the emulator's binary must not.
package record

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/parity"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// Recorder is an http.RoundTripper that sends each request through base and
// records the exchange into a go-vcr cassette. Nothing is written until
// Stop, and Stop redacts every secret (parity.Redact, with the keys given to
// New) before the cassette touches the disk.
type Recorder struct {
	vcr *recorder.Recorder
}

// New records into the cassette file path (".yaml" is added when
// missing; an existing file is replaced), sending requests through base (nil:
// http.DefaultTransport). keys are the API keys to redact.
func New(path string, base http.RoundTripper, keys ...string) (*Recorder, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	vcr, err := recorder.New(strings.TrimSuffix(path, ".yaml"),
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithSkipRequestLatency(true),
		recorder.WithRealTransport(stripMarks{base}),
		recorder.WithHook(detach, recorder.AfterCaptureHook),
		recorder.WithHook(func(i *cassette.Interaction) error { redact(i, keys); return nil }, recorder.BeforeSaveHook),
	)
	if err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	return &Recorder{vcr: vcr}, nil
}

// RoundTrip records the marks of the request's context as headers of the
// recorded request, and sends it without them.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	test, skip := parity.Marks(req.Context())
	if test != "" || skip != "" {
		req = req.Clone(req.Context())
		if test != "" {
			req.Header.Set(parity.HeaderTest, test)
		}
		if skip != "" {
			req.Header.Set(parity.HeaderSkip, skip)
		}
	}
	return r.vcr.RoundTrip(req)
}

// Stop redacts the cassette and writes it.
func (r *Recorder) Stop() error { return r.vcr.Stop() }

// stripMarks removes the recorder's own headers before a request leaves.
type stripMarks struct{ base http.RoundTripper }

// It also reads the body whole before sending it: go-vcr copies the body as
// it is read, and a server that answers before reading it all (a 413) would
// otherwise leave the transport still reading while the copy is saved.
func (s stripMarks) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Del(parity.HeaderTest)
	req.Header.Del(parity.HeaderSkip)
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return s.base.RoundTrip(req)
}

// detach gives the interaction its own header maps (go-vcr shares the
// request's and the response's) and cuts a request body too large to keep,
// noting its length.
func detach(i *cassette.Interaction) error {
	i.Request.Headers = i.Request.Headers.Clone()
	i.Response.Headers = i.Response.Headers.Clone()
	if n := len(i.Request.Body); n > parity.MaxKeptBody {
		i.Request.Body = i.Request.Body[:parity.KeptPrefix]
		if i.Request.Headers == nil {
			i.Request.Headers = http.Header{}
		}
		i.Request.Headers.Set(parity.HeaderBodyOmitted, strconv.Itoa(max(n, int(i.Request.ContentLength))))
	}
	return nil
}

// redact applies parity.Redact to a go-vcr interaction.
func redact(i *cassette.Interaction, keys []string) {
	x := &parity.Interaction{ID: i.ID,
		Request: parity.Request{ContentLength: i.Request.ContentLength, Host: i.Request.Host, RequestURI: i.Request.RequestURI,
			Body: i.Request.Body, Form: i.Request.Form, Headers: i.Request.Headers, URL: i.Request.URL, Method: i.Request.Method},
		Response: parity.Response{Body: i.Response.Body, Headers: i.Response.Headers, Status: i.Response.Status, Code: i.Response.Code}}
	parity.Redact(x, keys...)
	i.Request.RequestURI, i.Request.Body, i.Request.Form, i.Request.Headers, i.Request.URL = x.Request.RequestURI, x.Request.Body, x.Request.Form, x.Request.Headers, x.Request.URL
	i.Response.Body, i.Response.Headers = x.Response.Body, x.Response.Headers
}
