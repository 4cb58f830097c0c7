package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// envName is the environment variable of a flag of the server:
// CLOUDHEALTH_EMULATOR_<FLAG>, upper case, dashes as underscores.
func envName(flagName string) string {
	return "CLOUDHEALTH_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// newFlagSet returns a flag set that prints nothing itself: the command
// prints its help on flag.ErrHelp and logs the other errors.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseWithEnv parses args, then gives every flag the command line did not
// set the value of its environment variable (envFor names it), when that
// variable is set and not empty: a flag on the command line wins over the
// environment, which wins over the default. A bad environment value is an
// error naming the variable; one that a flag overrides is not read at all.
func parseWithEnv(fs *flag.FlagSet, args []string, getenv, envFor func(string) string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w (see --help)", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := envFor(f.Name)
		if err != nil || set[f.Name] || name == "" {
			return
		}
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: invalid value for --%s: %v", name, v, f.Name, e)
			}
		}
	})
	return err
}

// printFlags writes every flag of fs with its value's placeholder, meaning,
// default and environment variable, for --help.
func printFlags(w io.Writer, fs *flag.FlagSet, envFor func(string) string) {
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s %s\n        %s\n", f.Name, placeholder, usage)
		var notes []string
		if f.DefValue != "" {
			notes = append(notes, "default "+f.DefValue)
		}
		if env := envFor(f.Name); env != "" {
			notes = append(notes, "env "+env)
		} else {
			notes = append(notes, "no environment variable")
		}
		fmt.Fprintf(w, "        (%s)\n", strings.Join(notes, "; "))
	})
}
