// Package cloudhealthemulator embeds openapi.yaml, the wire contract of the
// emulated CloudHealth API. The emulator validates every request and response
// against it, and the contract tests load it too.
package cloudhealthemulator

import _ "embed"

// OpenAPI is the contents of openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
