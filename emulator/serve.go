package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// DefaultShutdownTimeout is how long Serve lets requests in flight finish
// once its context ends.
const DefaultShutdownTimeout = 10 * time.Second

// Serve serves the emulator on ln until ctx ends, then shuts down gracefully
// with DefaultShutdownTimeout (see ServeWithShutdownTimeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.ServeWithShutdownTimeout(ctx, ln, DefaultShutdownTimeout)
}

// ServeWithShutdownTimeout serves the emulator on ln until ctx ends, then
// shuts down: it stops accepting connections and lets requests in flight
// finish for up to timeout, then closes the connections still open (their
// clients see the connection drop) and returns nil. A shutdown is the
// normal end, not an error, whether or not it had to cut requests short; a
// timeout of 0 or less closes them at once. It returns an error only when
// serving itself fails.
func (s *Server) ServeWithShutdownTimeout(ctx context.Context, ln net.Listener, timeout time.Duration) error {
	hs := s.httpServer()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: letting requests in flight finish", "shutdown_timeout", timeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), max(timeout, 0))
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		// The timeout passed with requests still in flight: cut them short.
		s.log.Warn("shutdown timeout reached: closing the connections still open", "shutdown_timeout", timeout.String())
		_ = hs.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
