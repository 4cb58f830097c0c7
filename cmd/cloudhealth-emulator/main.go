// Command cloudhealth-emulator serves a local emulation of the CloudHealth
// partner REST API for contract tests of CloudHealth clients.
//
// Usage:
//
//	cloudhealth-emulator [--addr 127.0.0.1:8080] [--fixtures FILE]
//
// Every flag can also be set with an environment variable
// CLOUDHEALTH_EMULATOR_<FLAG> (for example CLOUDHEALTH_EMULATOR_ADDR); a flag
// on the command line wins over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(os.Args[2:], os.Getenv, os.Stderr))
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(os.Args[1:], os.Getenv, log); err != nil {
		log.Error("cloudhealth-emulator stopped", "error", err)
		os.Exit(1)
	}
}

// config is what the flags and the environment set.
type config struct {
	addr     string
	fixtures string
}

// parseConfig reads the flags, each defaulting to its environment variable,
// then to the built-in default.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	fs := flag.NewFlagSet("cloudhealth-emulator", flag.ContinueOnError)
	env := func(name, def string) string {
		if v := getenv("CLOUDHEALTH_EMULATOR_" + strings.ToUpper(name)); v != "" {
			return v
		}
		return def
	}
	var c config
	fs.StringVar(&c.addr, "addr", env("addr", "127.0.0.1:8080"), "address to listen on (env CLOUDHEALTH_EMULATOR_ADDR)")
	fs.StringVar(&c.fixtures, "fixtures", env("fixtures", ""), "fixture document (YAML or JSON) for the initial state; empty: the embedded defaults (env CLOUDHEALTH_EMULATOR_FIXTURES)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	return c, nil
}

func run(args []string, getenv func(string) string, log *slog.Logger) error {
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	opts := emulator.Options{Logger: log}
	if cfg.fixtures != "" {
		if opts.Fixtures, err = os.ReadFile(cfg.fixtures); err != nil {
			return fmt.Errorf("reading fixtures: %w", err)
		}
	}
	srv, err := emulator.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	logStartup(log, ln.Addr().String(), cfg.fixtures, srv)

	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: letting requests in flight finish")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// logStartup prints what a newcomer needs to paste into the documents'
// examples: the address, each partner's keys, each customer's ids.
func logStartup(log *slog.Logger, addr, fixtures string, srv *emulator.Server) {
	if fixtures == "" {
		fixtures = "(embedded defaults)"
	}
	log.Info("cloudhealth-emulator listening", "url", "http://"+addr, "fixtures", fixtures)
	for _, p := range srv.Partners() {
		log.Info("partner", "id", p.ID, "name", p.Name, "api_keys", strings.Join(p.APIKeys, ","))
		for _, c := range p.Customers {
			log.Info("  customer", "partner", p.Name, "id", c.ID, "client_api_id", c.ClientAPIID, "name", c.Name,
				"partner_billing", c.PartnerBillingConfiguration != nil && c.PartnerBillingConfiguration.Enabled)
		}
	}
}
