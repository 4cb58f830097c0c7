package emulator

import (
	"sync"
	"time"
)

// clock is the emulator's settable clock: real time (Options.Now) shifted by
// an offset, or stopped at a fixed time. Every created_at and updated_at
// comes from it. It is safe for concurrent use.
type clock struct {
	real func() time.Time

	mu     sync.Mutex
	fixed  bool
	at     time.Time     // the stopped time, when fixed
	offset time.Duration // the shift from real time, when running
}

// clockState is what the control API shows of the clock.
type clockState struct {
	Time          time.Time `json:"time"`
	Fixed         bool      `json:"fixed"`
	OffsetSeconds float64   `json:"offset_seconds,omitempty"`
}

func newClock(real func() time.Time) *clock { return &clock{real: real} }

// Now is the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() time.Time {
	if c.fixed {
		return c.at
	}
	return c.real().Add(c.offset)
}

// Set stops the clock at t.
func (c *clock) Set(t time.Time) clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.at, c.offset = true, t.UTC(), 0
	return c.stateLocked()
}

// Advance moves a stopped clock by d, or shifts a running one by d.
func (c *clock) Advance(d time.Duration) clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	return c.stateLocked()
}

// Release lets the clock run on real time again, without a shift.
func (c *clock) Release() clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.at, c.offset = false, time.Time{}, 0
	return c.stateLocked()
}

// State is the clock as the control API shows it.
func (c *clock) State() clockState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stateLocked()
}

func (c *clock) stateLocked() clockState {
	return clockState{Time: c.nowLocked().UTC(), Fixed: c.fixed, OffsetSeconds: c.offset.Seconds()}
}
