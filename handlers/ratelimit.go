package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit is a per-IP budget: Burst requests at once, refilled at PerMinute.
type RateLimit struct {
	PerMinute float64
	Burst     int
}

// RateLimits are the per-IP budgets of the endpoints people can abuse. They are generous
// because many applicants share one address behind a mobile carrier's NAT; per-account limits
// live in the services and the database.
type RateLimits struct {
	Disabled    bool
	Login       RateLimit
	Register    RateLimit
	Codes       RateLimit // verification codes asked for (the database limits them per number too)
	Apply       RateLimit
	Eligibility RateLimit
}

// DefaultRateLimits are the production budgets.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Login:       RateLimit{PerMinute: 20, Burst: 20},
		Register:    RateLimit{PerMinute: 20, Burst: 20},
		Codes:       RateLimit{PerMinute: 60, Burst: 60},
		Apply:       RateLimit{PerMinute: 30, Burst: 30},
		Eligibility: RateLimit{PerMinute: 600, Burst: 120},
	}
}

// ipLimiter keeps a token bucket per client IP for one endpoint group. It is per replica: a
// client spread over N replicas gets up to N times the budget, which is acceptable for abuse
// control (the per-account limits are exact, in the database).
type ipLimiter struct {
	limit rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(l RateLimit) *ipLimiter {
	return &ipLimiter{limit: rate.Limit(l.PerMinute / 60), burst: l.Burst, buckets: map[string]*bucket{}}
}

// allow takes one token for ip.
func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		// Forget idle clients so the map cannot grow without bound.
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
