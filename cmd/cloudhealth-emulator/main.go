// Command cloudhealth-emulator serves a local emulation of the CloudHealth
// partner REST API for contract tests of CloudHealth clients.
//
// Usage:
//
//	cloudhealth-emulator [--addr 127.0.0.1:8080] [--fixtures FILE]
//	                     [--journal-size 1000] [--admin-token TOKEN]
//
// Every flag can also be set with an environment variable
// CLOUDHEALTH_EMULATOR_<FLAG> (for example CLOUDHEALTH_EMULATOR_ADDR or
// CLOUDHEALTH_EMULATOR_JOURNAL_SIZE); a flag on the command line wins over
// the environment.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(os.Args[2:], os.Getenv, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "parity" {
		os.Exit(runParity(os.Args[2:], os.Stdout, os.Stderr))
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, log, nil); err != nil {
		log.Error("cloudhealth-emulator stopped", "error", err)
		stop()
		os.Exit(1)
	}
}

// config is what the flags and the environment set.
type config struct {
	addr        string
	fixtures    string
	journalSize int
	adminToken  string
}

// envName is the environment variable of a flag.
func envName(flagName string) string {
	return "CLOUDHEALTH_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig reads the flags, each defaulting to its environment variable,
// then to the built-in default.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	fs := flag.NewFlagSet("cloudhealth-emulator", flag.ContinueOnError)
	env := func(name, def string) string {
		if v := getenv(envName(name)); v != "" {
			return v
		}
		return def
	}
	var c config
	journalSize, err := strconv.Atoi(env("journal-size", strconv.Itoa(emulator.DefaultJournalSize)))
	if err != nil {
		return c, fmt.Errorf("%s: %q is not a whole number", envName("journal-size"), getenv(envName("journal-size")))
	}
	fs.StringVar(&c.addr, "addr", env("addr", "127.0.0.1:8080"), "address to listen on (env "+envName("addr")+")")
	fs.StringVar(&c.fixtures, "fixtures", env("fixtures", ""), "fixture document (YAML or JSON) for the initial state; empty: the embedded defaults (env "+envName("fixtures")+")")
	fs.IntVar(&c.journalSize, "journal-size", journalSize, "how many API requests GET /__emulator/journal keeps (env "+envName("journal-size")+")")
	fs.StringVar(&c.adminToken, "admin-token", env("admin-token", ""), "token the control API asks for (except health); empty: none (env "+envName("admin-token")+")")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.journalSize < 1 {
		return c, fmt.Errorf("the journal size must be at least 1, not %d", c.journalSize)
	}
	return c, nil
}

// run serves until ctx ends, then shuts down gracefully. ready, when not nil,
// is told the address it listens on.
func run(ctx context.Context, args []string, getenv func(string) string, log *slog.Logger, ready func(addr string)) error {
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	opts := emulator.Options{Logger: log, JournalSize: cfg.journalSize, AdminToken: cfg.adminToken}
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
	logStartup(log, ln.Addr().String(), cfg, srv)
	if ready != nil {
		ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// logStartup prints what a newcomer needs to paste into the documents'
// examples: the address, each partner's keys, each customer's ids.
func logStartup(log *slog.Logger, addr string, cfg config, srv *emulator.Server) {
	fixtures := cfg.fixtures
	if fixtures == "" {
		fixtures = "(embedded defaults)"
	}
	log.Info("cloudhealth-emulator listening", "url", "http://"+addr, "fixtures", fixtures,
		"journal_size", cfg.journalSize, "admin_token", cfg.adminToken != "")
	for _, p := range srv.Partners() {
		log.Info("partner", "id", p.ID, "name", p.Name, "api_keys", strings.Join(p.APIKeys, ","))
		for _, c := range p.Customers {
			log.Info("  customer", "partner", p.Name, "id", c.ID, "client_api_id", c.ClientAPIID, "name", c.Name,
				"partner_billing", c.PartnerBillingConfiguration != nil && c.PartnerBillingConfiguration.Enabled)
		}
	}
}
