// Package emulatortest starts a CloudHealth emulator for a Go test and closes
// it when the test ends. It is apart from package emulator so that the
// emulator's binary does not link the testing package.
//
//	emu := emulatortest.Start(t, emulator.Options{})
//	client := cloudhealth.New(emu.URL, emulator.DemoPartnerKey)
package emulatortest

import (
	"testing"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// Start starts an emulator on 127.0.0.1 for t and closes it when t ends.
// Unless opts says otherwise, a response of the emulator that breaks its
// OpenAPI documents (an emulator bug) fails t.
func Start(t testing.TB, opts emulator.Options) *emulator.Instance {
	t.Helper()
	if opts.OnSpecViolation == nil {
		opts.OnSpecViolation = func(v emulator.SpecViolation) {
			t.Errorf("emulator response breaks its OpenAPI document: %s %s (%s) status %d: %s", v.Method, v.Path, v.Operation, v.Status, v.Problem)
		}
	}
	inst, err := emulator.Start(opts)
	if err != nil {
		t.Fatalf("starting the CloudHealth emulator: %v", err)
	}
	t.Cleanup(inst.Close)
	return inst
}
