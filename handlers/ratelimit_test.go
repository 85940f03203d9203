package handlers

import (
	"testing"
	"time"
)

func TestIPLimiter(t *testing.T) {
	l := newIPLimiter(RateLimit{PerMinute: 60, Burst: 3})
	now := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name string
		ip   string
		at   time.Duration
		want bool
	}{
		{"first", "1.1.1.1", 0, true},
		{"second", "1.1.1.1", 0, true},
		{"third", "1.1.1.1", 0, true},
		{"burst spent", "1.1.1.1", 0, false},
		{"other ip has its own budget", "2.2.2.2", 0, true},
		{"refilled after a second", "1.1.1.1", time.Second, true},
		{"spent again", "1.1.1.1", time.Second, false},
	}
	for _, tt := range tests {
		if got := l.allow(tt.ip, now.Add(tt.at)); got != tt.want {
			t.Errorf("%s: allow = %v, want %v", tt.name, got, tt.want)
		}
	}
}
