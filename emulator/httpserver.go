package emulator

import (
	"log/slog"
	"net/http"
	"time"
)

// maxHeaderBytes bounds a request's header block. It is far above the 4000
// characters a URI may have, so that a long URI gets the emulator's JSON 414
// rather than net/http's own plain-text 431 (docs/fidelity.md, "What net/http
// answers itself").
const maxHeaderBytes = 1 << 20

// httpServer is the net/http server every listener of the emulator uses
// (Serve, Start): its timeouts, its header limit, and net/http's own error
// log sent to the emulator's logger.
func (s *Server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// Long enough for a fault's latency (at most ten minutes).
		WriteTimeout:   11 * time.Minute,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: maxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
