package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck is the `cloudhealth-emulator healthcheck` subcommand, for a
// container's HEALTHCHECK (the image, FROM scratch, has no curl or shell): it
// probes http://<addr>/__emulator/health of the emulator listening on --addr
// (or CLOUDHEALTH_EMULATOR_ADDR, as the server reads it) and returns the exit
// status: 0 when it answers 200 {"status": "ok"} within the timeout, else 1.
// An address that listens on every interface (0.0.0.0, ::, or an empty host)
// is probed on 127.0.0.1.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	addr := defaultAddr
	timeout := 3 * time.Second
	fs := healthcheckFlags(&addr, &timeout)
	if err := parseWithEnv(fs, args, getenv, healthcheckEnv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage: cloudhealth-emulator healthcheck [flags]\n\n%s.\n\nFlags:\n", healthcheckSummary)
			printFlags(stdout, fs, healthcheckEnv)
			return 0
		}
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "healthcheck: unexpected arguments: %q\n", fs.Args())
		return 1
	}
	target, err := probeAddr(addr)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	if err := probe(ctx, "http://"+target+"/__emulator/health", timeout); err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return 1
	}
	return 0
}

// healthcheckSummary is the subcommand's one-line description.
const healthcheckSummary = "Probe the /__emulator/health of an emulator running on --addr: exit 0 when it answers 200 {\"status\": \"ok\"} within --timeout, else 1"

// healthcheckFlags defines the subcommand's flags, bound to addr and timeout.
func healthcheckFlags(addr *string, timeout *time.Duration) *flag.FlagSet {
	fs := newFlagSet("cloudhealth-emulator healthcheck")
	fs.StringVar(addr, "addr", *addr, "`HOST:PORT` the emulator listens on, as given to it (a wildcard host is probed on 127.0.0.1)")
	fs.DurationVar(timeout, "timeout", *timeout, "how long to wait for the answer, a `DURATION`")
	return fs
}

// healthcheckEnv names the environment variable of a healthcheck flag: the
// server's CLOUDHEALTH_EMULATOR_ADDR for --addr, so that in a container the
// probe reads the address the server was given, and
// CLOUDHEALTH_EMULATOR_HEALTHCHECK_TIMEOUT for --timeout.
func healthcheckEnv(flagName string) string {
	if flagName == "addr" {
		return envName("addr")
	}
	return envName("healthcheck-" + flagName)
}

// probeAddr maps the listen address to one to connect to: a wildcard or
// empty host becomes 127.0.0.1.
func probeAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	if port == "" {
		return "", fmt.Errorf("address %q has no port", addr)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// probe GETs url and checks for 200 {"status": "ok"}.
func probe(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, body)
	}
	var health struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &health); err != nil || health.Status != "ok" {
		return fmt.Errorf("%s answered 200 without {\"status\": \"ok\"}: %s", url, body)
	}
	return nil
}
