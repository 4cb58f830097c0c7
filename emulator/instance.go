package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/fixture"
)

// Instance is an emulator serving on a loopback port, for the tests of a
// CloudHealth client in another Go project:
//
//	emu, err := emulator.Start(emulator.Options{})
//	...
//	defer emu.Close()
//	client := cloudhealth.New(emu.URL, emulator.DemoPartnerKey)
//
// Every instance has its own state, journal, fault rules and clock.
type Instance struct {
	// URL is the base URL of the CloudHealth API and the control API, such
	// as http://127.0.0.1:41234 (no trailing slash).
	URL string
	// Control drives the control API of this instance.
	Control *ControlClient

	srv  *Server
	http *http.Server
	done chan struct{}
}

// Keys of the embedded default fixtures' two partners.
const (
	DemoPartnerKey  = "demo-partner-key"
	OtherPartnerKey = "other-partner-key"
)

// Start builds an emulator on opts and serves it on 127.0.0.1 on a free
// port until Close.
func Start(opts Options) (*Instance, error) {
	srv, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	inst := &Instance{
		URL:  "http://" + ln.Addr().String(),
		srv:  srv,
		http: srv.httpServer(),
		done: make(chan struct{}),
	}
	inst.Control = NewControlClient(inst.URL, opts.AdminToken)
	go func() {
		defer close(inst.done)
		_ = inst.http.Serve(ln)
	}()
	return inst, nil
}

// Server is the instance's emulator (an http.Handler).
func (inst *Instance) Server() *Server { return inst.srv }

// Partners returns each partner with its API keys and customers as the
// state holds them now.
func (inst *Instance) Partners() []fixture.Partner { return inst.srv.Partners() }

// Close stops serving: requests in flight get a few seconds to finish, then
// every connection is closed. It is safe to call more than once.
func (inst *Instance) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := inst.http.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = inst.http.Close()
	}
	<-inst.done
}
