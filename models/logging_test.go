package models_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"auxportal/models"
	"auxportal/models/storetest"
)

// logBuffer collects log output; the Store may log from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Threat: personal data in logs. A slow query and a failing query, each with a phone number, a
// name, a birth date and a password hash bound into it, must leave none of them in any log line
// of a real Store (SQLite, and MariaDB when AUXPORTAL_TEST_MYSQL_DSN is set). Every query is
// "slow" here (a 1 ns threshold), so every statement writes its line.
func TestStoreLogs_PersonalData_NoBoundValueInAnyLine(t *testing.T) {
	const (
		phone = "13987654321"
		name  = "欧阳娜娜"
		birth = "1987-02-31" // an impossible date, so MySQL's error message quotes it
		hash  = "$argon2id$v=19$m=64,t=1,p=1$c2VjcmV0LXNhbHQ$c2VjcmV0LWhhc2gtbWFya2Vy"
	)
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := storetest.OpenLogged(t, log, models.WithSlowThreshold(time.Nanosecond))
	ctx := context.Background()

	// Slow queries: an insert and a lookup carrying the values.
	u := &models.User{Username: phone, PasswordHash: hash, Role: models.RoleApplicant, DisplayName: name}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UserByUsername(ctx, phone); err != nil {
		t.Fatal(err)
	}
	// An expected failure (duplicate) and unexpected ones, with the values bound.
	if err := st.CreateUser(ctx, &models.User{Username: phone, PasswordHash: hash, Role: models.RoleApplicant, DisplayName: name}); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	err := st.DB().WithContext(ctx).Exec("INSERT INTO users (username, display_name, password_hash, role, no_such_column) VALUES (?, ?, ?, ?, ?)",
		phone, name, hash, models.RoleApplicant, birth).Error
	if err == nil {
		t.Fatal("insert into a missing column succeeded")
	}
	if st.Dialect() == models.DialectMySQL {
		// MySQL quotes the offending value in the message: this is what must not be logged.
		err := st.DB().WithContext(ctx).Exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen, ip) VALUES (?, ?, ?, ?, ?, ?)",
			phone, u.ID, birth, birth, birth, name).Error
		if err == nil || !strings.Contains(err.Error(), birth) {
			t.Fatalf("want MySQL's incorrect-datetime error quoting %s, got %v", birth, err)
		}
		if got := models.LogErr(err); strings.Contains(got, birth) || !strings.Contains(got, "1292") {
			t.Errorf("LogErr(%v) = %q", err, got)
		}
	}

	out := logs.String()
	if !strings.Contains(out, "SQL executed") || !strings.Contains(out, "no_such_column") {
		t.Fatalf("the slow and failed queries were not logged at all:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, v := range []string{phone, name, birth, hash, "c2VjcmV0"} {
			if strings.Contains(line, v) {
				t.Errorf("log line carries %q: %s", v, line)
			}
		}
	}
}

// LogErr withholds a MySQL error's message wherever it sits in the chain, and keeps every other
// error's text, which the Store writes without values.
func TestLogErr_PersonalData_MySQLMessageWithheld(t *testing.T) {
	dup := &mysql.MySQLError{Number: 1062, SQLState: [5]byte{'2', '3', '0', '0', '0'}, Message: "Duplicate entry '13800138000' for key 'idx_users_username'"}
	bad := &mysql.MySQLError{Number: 1366, Message: "Incorrect string value: '\\xE6\\xAC\\xA7' for column `name`"}
	cases := []struct {
		name     string
		err      error
		want     []string
		withheld []string
	}{
		{"nil", nil, nil, nil},
		{"plain error", errors.New("load 账号: sql: database is closed"), []string{"load 账号: sql: database is closed"}, nil},
		{"bare", dup, []string{"1062", "23000"}, []string{"13800138000"}},
		{"wrapped", fmt.Errorf("create user: %w", dup), []string{"create user: ", "1062"}, []string{"13800138000"}},
		{"joined", errors.Join(fmt.Errorf("a: %w", dup), fmt.Errorf("b: %w", bad)), []string{"a: ", "b: ", "1062", "1366"}, []string{"13800138000", "xE6"}},
		{"rewritten by a wrapper", rewritten{dup}, []string{"1062"}, []string{"13800138000", "rewritten"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := models.LogErr(c.err)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("LogErr = %q, want it to contain %q", got, w)
				}
			}
			for _, w := range c.withheld {
				if strings.Contains(got, w) {
					t.Errorf("LogErr = %q carries %q", got, w)
				}
			}
		})
	}
}

// rewritten is a wrapper whose text does not contain the wrapped error's text verbatim.
type rewritten struct{ err error }

func (r rewritten) Error() string { return "rewritten: " + strings.ToUpper(r.err.Error()) }
func (r rewritten) Unwrap() error { return r.err }
