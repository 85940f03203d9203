package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

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
