// Package clock makes time an input: services take a Clock so rules and schedules are testable
// without sleeping, and every "today" is the civil date in China (UTC+8, no daylight saving since 1991).
package clock

import (
	"sync"
	"time"
)

// China is the zone the portal shows times in. A fixed offset is exact for China and needs no tzdata.
var China = time.FixedZone("CST", 8*60*60)

// Clock tells the time.
type Clock interface{ Now() time.Time }

// Real is the wall clock.
type Real struct{}

// Now returns the current time in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// Fake is a settable clock for tests.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a clock stopped at t.
func NewFake(t time.Time) *Fake { return &Fake{t: t.UTC()} }

// Now returns the clock's time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t.UTC()
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
}

// InChina returns t in China's zone.
func InChina(t time.Time) time.Time { return t.In(China) }

// FormatChina formats t for display in China's zone.
func FormatChina(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(China).Format("2006-01-02 15:04")
}
