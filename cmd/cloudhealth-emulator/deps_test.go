package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The binary links no test helper: the testing package (and what imports it,
// such as emulator/emulatortest) stays out of its dependencies.
func TestBinaryDoesNotLinkTesting(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %v", deps)
	}
	for _, dep := range deps {
		if dep == "testing" || strings.HasSuffix(dep, "/emulatortest") || strings.Contains(dep, "stretchr/testify") {
			t.Errorf("the binary depends on %s", dep)
		}
	}
}
