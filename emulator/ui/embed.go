// Package ui holds the emulator's web page (/__emulator/ui/): plain HTML, CSS
// and a small script, embedded in the binary, with no build step. The page
// reads and drives the emulator through the control API only
// (control-openapi.yaml), so it has the control API's protections.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Files are the page's files: index.html, app.js and style.css.
var Files, _ = fs.Sub(static, "static")
