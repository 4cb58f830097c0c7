package parity

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

type testKey struct{}
type skipKey struct{}

// WithTest marks a request with the name of the test that sends it; the
// recorder writes it to the cassette (HeaderTest) and never sends it.
func WithTest(r *http.Request, name string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), testKey{}, name))
}

// WithSkip marks a request whose exchange replay must skip, and why (an answer
// only the target's own controls can produce, such as an emulator fault rule).
func WithSkip(r *http.Request, reason string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), skipKey{}, reason))
}

// Recorder is an http.RoundTripper that sends each request through Base and
// records the exchange into a go-vcr cassette. Nothing is written until
// Stop, and Stop redacts every secret (Redact, with the keys given to
// NewRecorder) before the cassette touches the disk.
type Recorder struct {
	vcr *recorder.Recorder
}

// NewRecorder records into the cassette file path (".yaml" is added when
// missing; an existing file is replaced), sending requests through base (nil:
// http.DefaultTransport). keys are the API keys to redact.
func NewRecorder(path string, base http.RoundTripper, keys ...string) (*Recorder, error) {
	if base == nil {
		base = http.DefaultTransport
	}
	vcr, err := recorder.New(strings.TrimSuffix(path, ".yaml"),
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithSkipRequestLatency(true),
		recorder.WithRealTransport(stripMarks{base}),
		recorder.WithHook(detach, recorder.AfterCaptureHook),
		recorder.WithHook(func(i *cassette.Interaction) error { Redact(i, keys...); return nil }, recorder.BeforeSaveHook),
	)
	if err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	return &Recorder{vcr: vcr}, nil
}

// RoundTrip records the marks of the request's context as headers of the
// recorded request, and sends it without them.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	test, _ := req.Context().Value(testKey{}).(string)
	skip, _ := req.Context().Value(skipKey{}).(string)
	if test != "" || skip != "" {
		req = req.Clone(req.Context())
		if test != "" {
			req.Header.Set(HeaderTest, test)
		}
		if skip != "" {
			req.Header.Set(HeaderSkip, skip)
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
	req.Header.Del(HeaderTest)
	req.Header.Del(HeaderSkip)
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
	if n := len(i.Request.Body); n > maxKeptBody {
		i.Request.Body = i.Request.Body[:keptPrefix]
		if i.Request.Headers == nil {
			i.Request.Headers = http.Header{}
		}
		i.Request.Headers.Set(HeaderBodyOmitted, strconv.Itoa(max(n, int(i.Request.ContentLength))))
	}
	return nil
}
