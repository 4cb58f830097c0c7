// Package cloudhealthemulator embeds openapi.yaml, the wire contract of the
// emulated CloudHealth API. The emulator validates every request and response
// against it, and the contract tests load it too.
package cloudhealthemulator

import _ "embed"

// OpenAPI is the contents of openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// ControlOpenAPI is the contents of control-openapi.yaml: the emulator's own
// control API under /__emulator/, which is not part of the CloudHealth
// contract.
//
//go:embed control-openapi.yaml
var ControlOpenAPI []byte
