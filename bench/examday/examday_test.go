package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	c, err := parseFlags([]string{"-db", "sqlite,mysql", "-n", "10"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.DBs, ",") != "sqlite,mysql" || c.N != 10 || c.Salt == 0 || c.Minutes != 5 {
		t.Fatalf("%+v", c)
	}
	for _, bad := range [][]string{{"-db", "postgres"}, {"-minutes", "4"}, {"-submit-window", "3m"}, {"-n", "0"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestQuickExamDay is the rehearsal in small: the real portal binary on a fresh SQLite database
// (and on MariaDB when AUXPORTAL_TEST_MYSQL_DSN is set, in a database named with
// AUXPORTAL_TEST_DB_PREFIX), 30 candidates through admission, the start storm, a short autosave
// peak, answering with repeats, late saves, resumes on a new device and hand-ins twice. It
// asserts correctness only — no error, no lost answer, every hand-in stored with its receipt,
// no key in a candidate's response — never a time.
func TestQuickExamDay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the portal")
	}
	dbs := "sqlite"
	args := []string{"-n", "30", "-c", "8", "-admission", "2s", "-peak", "2s", "-finish", "12s",
		"-signed-in", "0.5", "-drop", "0.3", "-twice", "0.3", "-stale", "0.5", "-repeat", "0.1"}
	if dsn := os.Getenv("AUXPORTAL_TEST_MYSQL_DSN"); dsn != "" {
		dbs += ",mysql"
		prefix := os.Getenv("AUXPORTAL_TEST_DB_PREFIX")
		if prefix == "" {
			prefix = "auxtest"
		}
		args = append(args, "-mysql", dsn, "-prefix", prefix+"_examday")
	}
	var out, progress strings.Builder
	err := run(context.Background(), append(args, "-db", dbs), &out, &progress)
	t.Log(out.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	for _, want := range []string{"**lost = 0**", "**not stored with their receipt = 0**", "resumed sessions missing an acknowledged answer = 0", "responses carrying a key = 0"} {
		if n := strings.Count(out.String(), want); n != len(strings.Split(dbs, ",")) {
			t.Errorf("%q appears %d times", want, n)
		}
	}
}
