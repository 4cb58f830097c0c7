package emulator

import "testing"

// BenchmarkNewInstance is what a test that gives each case a fresh emulator
// pays per instance beyond the first: New on the embedded default fixtures,
// no listener. openapi.yaml and control-openapi.yaml are compiled once per
// process (contract.go), so only the state is built here.
//
//	go test -run '^$' -bench NewInstance -benchmem ./emulator/
//
// Target: at most 1 ms and 300 KB (10 ms under -race).
func BenchmarkNewInstance(b *testing.B) {
	if _, err := New(Options{}); err != nil { // the first, which compiles the contract
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		if _, err := New(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
