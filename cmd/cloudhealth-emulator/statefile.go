package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudhealth-emulator/cloudhealth-emulator/emulator"
)

// stateFile keeps the emulator's state in a file across restarts
// (--state-file): loaded at start when it exists, written after changes
// (at most once per debounce interval) and at shutdown, always atomically.
type stateFile struct {
	path   string
	srv    *emulator.Server
	log    *slog.Logger
	loaded bool // the state at start came from the file
	// saved is the StateVersion last written; wrote says whether any was.
	saved uint64
	wrote bool
}

// openStateFile loads path into srv when the file exists. A file that cannot
// be read, parsed or built into a state is an error naming every problem; the
// file is left as it is.
func openStateFile(path string, srv *emulator.Server, log *slog.Logger) (*stateFile, error) {
	f := &stateFile{path: path, srv: srv, log: log}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("reading the state file: %w", err)
	}
	if err := srv.LoadState(data); err != nil {
		return nil, fmt.Errorf("the state file %s was refused (it is left unchanged; fix it or remove it to start from the fixtures): %w", path, err)
	}
	f.loaded = true
	return f, nil
}

// run writes the state every interval in which it changed, until ctx ends.
// A failed write is logged and tried again at the next tick.
func (f *stateFile) run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := f.save(); err != nil {
				f.log.Error("writing the state file", "error", err)
			}
		}
	}
}

// save writes the state unless the version written last is still current.
// It is not safe for concurrent use: run calls it, then (once run returned)
// the shutdown.
func (f *stateFile) save() error {
	version := f.srv.StateVersion() // read before the snapshot: at worst one write too many
	if f.wrote && version == f.saved {
		return nil
	}
	if err := writeFileAtomic(f.path, f.srv.WriteState); err != nil {
		return fmt.Errorf("writing the state file: %w", err)
	}
	f.saved, f.wrote = version, true
	return nil
}

// writeFileAtomic replaces path with what write writes, so that a reader or
// a crash sees either the old file or the whole new one: a temporary file in
// the same directory, written, synced and renamed over path, then the
// directory synced so the rename itself survives a power cut. The file is
// readable by its owner only (the state holds API keys).
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
