package loadkit

import (
	"testing"
	"time"
)

func TestPercentiles(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := Pct(lat, c.p); got != c.want {
			t.Errorf("p%.0f = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Pct(lat[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %v", got)
	}
}

func TestErrorsAreCountedByStatus(t *testing.T) {
	k := &KindStats{Name: "x"}
	k.Record(time.Millisecond, 200, true, "")
	k.Record(time.Millisecond, 500, false, "boom")
	k.Record(time.Millisecond, 0, false, "refused")
	k.Record(time.Millisecond, WrongAnswer, false, "bad body")
	s := k.Summarize(time.Second)
	if s.Count != 4 || s.OK != 1 || s.Errors != 3 {
		t.Fatalf("count %d ok %d errors %d", s.Count, s.OK, s.Errors)
	}
	if s.Breakdown != "transport: 1, wrong answer: 1, 500: 1" {
		t.Fatalf("breakdown %q", s.Breakdown)
	}
}
