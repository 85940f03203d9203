package main

import (
	"context"
	"io"
	"os"
	"strings"
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
		if got := pct(lat, c.p); got != c.want {
			t.Errorf("p%.0f = %v, want %v", c.p, got, c.want)
		}
	}
	if got := pct(lat[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %v", got)
	}
}

func TestErrorsAreCountedByStatus(t *testing.T) {
	k := &kindStats{Name: "x"}
	k.record(time.Millisecond, 200, true, "")
	k.record(time.Millisecond, 500, false, "boom")
	k.record(time.Millisecond, 0, false, "refused")
	k.record(time.Millisecond, wrongAnswer, false, "bad body")
	s := k.summarize(time.Second)
	if s.Count != 4 || s.OK != 1 || s.Errors != 3 {
		t.Fatalf("count %d ok %d errors %d", s.Count, s.OK, s.Errors)
	}
	if s.Breakdown != "transport: 1, wrong answer: 1, 500: 1" {
		t.Fatalf("breakdown %q", s.Breakdown)
	}
}

func TestFlags(t *testing.T) {
	c, err := parseFlags([]string{"-db", "sqlite,mysql", "-c", "10"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.DBs, ",") != "sqlite,mysql" || c.Reloaders != 2 || c.Salt == 0 {
		t.Fatalf("%+v", c)
	}
	if _, err := parseFlags([]string{"-db", "postgres"}, io.Discard); err == nil {
		t.Fatal("unknown database accepted")
	}
	if _, err := parseFlags([]string{"-c", "4", "-reloaders", "4"}, io.Discard); err == nil {
		t.Fatal("no appliers accepted")
	}
}

// TestSmallStorm builds the portal and runs a tiny storm on SQLite: the harness end to end. It
// takes a while (building, argon2id), so it runs only with AUXPORTAL_STORM_SMOKE=1.
func TestSmallStorm(t *testing.T) {
	if os.Getenv("AUXPORTAL_STORM_SMOKE") != "1" {
		t.Skip("set AUXPORTAL_STORM_SMOKE=1 to run a small storm")
	}
	var out, progress strings.Builder
	err := run(context.Background(), []string{"-n", "20", "-c", "5", "-elig-duration", "1s", "-double", "0.25",
		"-photo-kb", "40", "-diploma-kb", "30"}, &out, &progress)
	t.Log(out.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if !strings.Contains(out.String(), "**lost = 0, duplicated = 0**") {
		t.Fatal("no clean verification line")
	}
}
