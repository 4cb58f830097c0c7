package emulator

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// The clock's range: years 0001 to 9999, the times RFC 3339 (and so every
// created_at and updated_at of the API, and the state document) can write.
var (
	minClockTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxClockTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// errClockRange is the 422 of a set or an advance that would leave the range.
func errClockRange(t time.Time) error {
	return fmt.Errorf("the clock would be at %s, outside years 0001-9999 (UTC): every timestamp the emulator writes must be an RFC 3339 time",
		t.UTC().Format("2006-01-02T15:04:05Z07:00 (year 2006)"))
}

// inClockRange reports whether t is within years 0001-9999 in UTC.
func inClockRange(t time.Time) bool { return !t.Before(minClockTime) && !t.After(maxClockTime) }

// clock is the emulator's settable clock: real time (Options.Now) shifted by
// an offset, or stopped at a fixed time. Every created_at and updated_at
// comes from it. It never leaves years 0001-9999: a set or an advance that
// would is refused, and a running clock that real time carries out of the
// range stops at its edge. It is safe for concurrent use.
type clock struct {
	real func() time.Time

	mu     sync.Mutex
	fixed  bool
	at     time.Time     // the stopped time, when fixed
	offset time.Duration // the shift from real time, when running
}

func newClock(real func() time.Time) *clock { return &clock{real: real} }

// Now is the clock's time, within years 0001-9999.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *clock) nowLocked() time.Time {
	t := c.at
	if !c.fixed {
		t = c.real().Add(c.offset)
	}
	switch {
	case t.Before(minClockTime):
		return minClockTime
	case t.After(maxClockTime):
		return maxClockTime
	}
	return t
}

// Set stops the clock at t, or refuses a t outside years 0001-9999.
func (c *clock) Set(t time.Time) (Clock, error) {
	if !inClockRange(t) {
		return Clock{}, errClockRange(t)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.at, c.offset = true, t.UTC(), 0
	return c.stateLocked(), nil
}

// Advance moves a stopped clock by d, or shifts a running one by d; it
// refuses a move that would take it outside years 0001-9999.
func (c *clock) Advance(d time.Duration) (Clock, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	base := c.at
	if !c.fixed {
		base = c.real().Add(c.offset)
	}
	if next := base.Add(d); !inClockRange(next) {
		return Clock{}, errClockRange(next)
	}
	if !c.fixed && ((d > 0 && c.offset > math.MaxInt64-d) || (d < 0 && c.offset < math.MinInt64-d)) {
		return Clock{}, errors.New("a running clock cannot be shifted more than 292 years from real time: set it instead")
	}
	if c.fixed {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	return c.stateLocked(), nil
}

// Release lets the clock run on real time again, without a shift.
func (c *clock) Release() Clock {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed, c.at, c.offset = false, time.Time{}, 0
	return c.stateLocked()
}

// State is the clock as the control API shows it.
func (c *clock) State() Clock {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stateLocked()
}

func (c *clock) stateLocked() Clock {
	return Clock{Time: c.nowLocked().UTC(), Fixed: c.fixed, OffsetSeconds: c.offset.Seconds()}
}
