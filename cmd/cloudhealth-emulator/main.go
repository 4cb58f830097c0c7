// Command cloudhealth-emulator serves a local emulation of the CloudHealth
// partner REST API for contract tests of CloudHealth clients.
//
// Usage:
//
//	cloudhealth-emulator [--addr 127.0.0.1:8080] [--fixtures FILE]
//	                     [--journal-size 1000] [--admin-token TOKEN]
//	                     [--shutdown-timeout 10s]
//	                     [--state-file FILE] [--state-file-debounce 250ms]
//	cloudhealth-emulator healthcheck [--addr ADDR] [--timeout 3s]
//	cloudhealth-emulator --help
//
// Every flag can also be set with an environment variable
// CLOUDHEALTH_EMULATOR_<FLAG> (for example CLOUDHEALTH_EMULATOR_ADDR or
// CLOUDHEALTH_EMULATOR_JOURNAL_SIZE); a flag on the command line wins over
// the environment. docs/configuration.md describes each one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// subcommand is a command of the binary besides serving.
type subcommand struct {
	name    string
	summary string
	// run runs the subcommand on the arguments after its name and returns
	// the exit status.
	run func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int
}

// subcommands lists the subcommands; --help lists them in this order, and a
// first argument equal to a name runs it. One line adds a subcommand.
var subcommands = []subcommand{
	{"healthcheck", "probe a running emulator's /__emulator/health, exit 0 when healthy (a container's HEALTHCHECK)", healthcheck},
	{"parity", "replay recorded cassettes of the real API against a fresh emulator and report every difference", paritySubcommand},
}

// paritySubcommand adapts runParity to the subcommand table.
func paritySubcommand(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) int {
	return runParity(args, stdout, stderr)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// cli runs the command line args and returns the exit status: a subcommand
// when the first argument names one, else the server until ctx ends. ready,
// when not nil, is told the address the server listens on.
func cli(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(addr string)) int {
	if len(args) > 0 {
		for _, sc := range subcommands {
			if args[0] == sc.name {
				return sc.run(ctx, args[1:], getenv, stdout, stderr)
			}
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	err := run(ctx, args, getenv, log, ready)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return 0
	default:
		log.Error("cloudhealth-emulator stopped", "error", err)
		return 1
	}
}

// config is what the flags and the environment set.
type config struct {
	addr              string
	fixtures          string
	journalSize       int
	adminToken        string
	shutdownTimeout   time.Duration
	stateFile         string
	stateFileDebounce time.Duration
}

// Defaults of the flags that have one.
const (
	defaultAddr              = "127.0.0.1:8080"
	defaultStateFileDebounce = 250 * time.Millisecond
)

// serverFlags defines the server's flags on a new flag set, bound to c.
// A back-quoted word in a usage is the value's placeholder in --help.
func serverFlags(c *config) *flag.FlagSet {
	fs := newFlagSet("cloudhealth-emulator")
	fs.StringVar(&c.addr, "addr", defaultAddr, "`HOST:PORT` to listen on; 0.0.0.0:PORT listens on every interface (give an admin token then)")
	fs.StringVar(&c.fixtures, "fixtures", "", "fixture document (YAML or JSON) of the initial state, `FILE`; empty: the embedded default fixtures")
	fs.IntVar(&c.journalSize, "journal-size", emulator.DefaultJournalSize, "how many API requests GET /__emulator/journal keeps, `N` >= 1")
	fs.StringVar(&c.adminToken, "admin-token", "", "`TOKEN` every control request but health must carry; empty: none")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", emulator.DefaultShutdownTimeout, "on SIGINT or SIGTERM, how long requests in flight may finish before their connections are closed (exit 0 either way), a `DURATION`")
	fs.StringVar(&c.stateFile, "state-file", "", "keep the state in `FILE`: loaded at start instead of the fixtures when it exists, written after each change and at shutdown; empty: the state lives in memory only")
	fs.DurationVar(&c.stateFileDebounce, "state-file-debounce", defaultStateFileDebounce, "at most one write of the state file per `DURATION` (a crash loses at most the changes of the last one)")
	return fs
}

// parseConfig reads the flags, each defaulting to its environment variable,
// then to the built-in default. It returns flag.ErrHelp for -h and --help.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	var c config
	fs := serverFlags(&c)
	if err := parseWithEnv(fs, args, getenv, envName); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q (subcommands: %s; see --help)", fs.Args(), subcommandNames())
	}
	switch {
	case c.journalSize < 1:
		return c, fmt.Errorf("the journal size must be at least 1, not %d", c.journalSize)
	case c.shutdownTimeout < 0:
		return c, fmt.Errorf("the shutdown timeout must not be negative, not %s", c.shutdownTimeout)
	case c.stateFileDebounce <= 0:
		return c, fmt.Errorf("the state file debounce must be positive, not %s", c.stateFileDebounce)
	}
	return c, nil
}

// subcommandNames lists the subcommands' names for an error message.
func subcommandNames() string {
	names := make([]string, len(subcommands))
	for i, sc := range subcommands {
		names[i] = sc.name
	}
	return strings.Join(names, ", ")
}

// usage writes the server's --help: the subcommands, then every flag.
func usage(w io.Writer) {
	fmt.Fprintf(w, `cloudhealth-emulator: a local emulator of the CloudHealth partner REST API, for contract tests.

Usage:
  cloudhealth-emulator [flags]                 serve the API and the control API (/__emulator/)
  cloudhealth-emulator SUBCOMMAND [flags]      see cloudhealth-emulator SUBCOMMAND --help

Subcommands:
`)
	for _, sc := range subcommands {
		fmt.Fprintf(w, "  %-14s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintf(w, "\nFlags (each one also read from its environment variable; a flag on the command line wins):\n")
	printFlags(w, serverFlags(&config{}), envName)
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
	var persist *stateFile
	if cfg.stateFile != "" {
		if persist, err = openStateFile(cfg.stateFile, srv, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	if persist != nil {
		if err := persist.save(); err != nil { // the file exists from now on
			_ = ln.Close()
			return err
		}
	}
	logStartup(log, ln.Addr(), cfg, persist, srv)
	if ready != nil {
		ready(ln.Addr().String())
	}
	if persist == nil {
		return srv.ServeWithShutdownTimeout(ctx, ln, cfg.shutdownTimeout)
	}
	writerCtx, stopWriter := context.WithCancel(context.Background())
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		persist.run(writerCtx, cfg.stateFileDebounce)
	}()
	serveErr := srv.ServeWithShutdownTimeout(ctx, ln, cfg.shutdownTimeout)
	stopWriter()
	<-writerDone
	return errors.Join(serveErr, persist.save())
}

// logStartup prints what a newcomer needs to paste into the documents'
// examples: the address, each partner's keys, each customer's ids. It warns
// when the control API is open to the network.
func logStartup(log *slog.Logger, addr net.Addr, cfg config, persist *stateFile, srv *emulator.Server) {
	fixtures := cfg.fixtures
	if fixtures == "" {
		fixtures = "(embedded defaults)"
	}
	attrs := []any{"url", "http://" + addr.String(), "fixtures", fixtures,
		"journal_size", cfg.journalSize, "admin_token", cfg.adminToken != "", "shutdown_timeout", cfg.shutdownTimeout.String()}
	if persist != nil {
		attrs = append(attrs, "state_file", persist.path, "state_loaded", persist.loaded)
	}
	log.Info("cloudhealth-emulator listening", attrs...)
	warnIfControlOpen(log, addr, cfg.adminToken)
	for _, p := range srv.Partners() {
		log.Info("partner", "id", p.ID, "name", p.Name, "api_keys", strings.Join(p.APIKeys, ","))
		for _, c := range p.Customers {
			log.Info("  customer", "partner", p.Name, "id", c.ID, "client_api_id", c.ClientAPIID, "name", c.Name,
				"partner_billing", c.PartnerBillingConfiguration != nil && c.PartnerBillingConfiguration.Enabled)
		}
	}
}

// controlOpenWarning is the message of the start-up warning that anyone who
// reaches the address can drive the control API.
const controlOpenWarning = "the control API (/__emulator/) is open: listening on a non-loopback address without an admin token, anyone who reaches it can reset, replace or read the state; set --admin-token"

// warnIfControlOpen logs controlOpenWarning when addr is not a loopback
// address (0.0.0.0 and :: included) and no admin token is set.
func warnIfControlOpen(log *slog.Logger, addr net.Addr, adminToken string) {
	if adminToken != "" {
		return
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return
	}
	log.Warn(controlOpenWarning, "addr", addr.String())
}
