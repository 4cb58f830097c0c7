package emulator

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator/ui"
)

// uiPrefix is where the web page lives; it is no operation of
// control-openapi.yaml.
const uiPrefix = controlPrefix + "ui"

// uiFiles serves the page's embedded files.
var uiFiles = http.FileServerFS(ui.Files)

// serveUI serves GET and HEAD of /__emulator/ui/...: the page's files, which
// hold no data and so need no admin token (the page asks for it and sends it
// with every control request it makes). It reports whether the path was the
// page's.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != uiPrefix && !strings.HasPrefix(r.URL.Path, uiPrefix+"/") {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusNotFound, msgNotFound)
		return true
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, uiPrefix), "/")
	if name == "" {
		name = "index.html"
	}
	if _, err := fs.Stat(ui.Files, name); err != nil || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		writeError(w, http.StatusNotFound, msgNotFound)
		return true
	}
	rr := r.Clone(r.Context())
	rr.URL.Path = "/" + name
	if name == "index.html" {
		rr.URL.Path = "/" // FileServer redirects /index.html to ./
	}
	uiFiles.ServeHTTP(w, rr)
	return true
}
