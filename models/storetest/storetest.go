// Package storetest opens a fresh, migrated Store for one test: an in-memory SQLite database
// named after the test, or, when AUXPORTAL_TEST_MYSQL_DSN is set, a new MySQL/MariaDB database
// created for the test and dropped after it.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/go-sql-driver/mysql" // the database/sql driver used to create test databases

	"auxportal/models"
)

// EnvMySQL names the variable holding a go-sql-driver DSN of a server the tests may create
// databases on, e.g. root@tcp(127.0.0.1:3306)/.
const EnvMySQL = "AUXPORTAL_TEST_MYSQL_DSN"

// EnvPrefix optionally names a prefix for the test databases, so that two checkouts running the
// same tests against one server at once (two developers, CI beside a local run) never share one.
const EnvPrefix = "AUXPORTAL_TEST_DB_PREFIX"

// DSN returns a fresh database's DSN for the test in the portal's own form ("sqlite:…" or
// "mysql:…"); for MySQL the database is created now and dropped when the test ends.
func DSN(tb testing.TB) string {
	tb.Helper()
	// The test binary's name (e.g. "recruitment.test") is part of the key: `go test ./...` runs
	// packages at once, and two packages' tests with the same name must not share (and drop)
	// one MySQL database. (Fix: the name alone collided across packages.)
	sum := sha256.Sum256([]byte(filepath.Base(os.Args[0]) + "/" + tb.Name()))
	prefix := os.Getenv(EnvPrefix)
	for _, r := range prefix {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			tb.Fatalf("%s=%q: use only a-z, 0-9 and _", EnvPrefix, prefix)
		}
	}
	name := "auxtest_" + prefix + hex.EncodeToString(sum[:8])
	base := os.Getenv(EnvMySQL)
	if base == "" {
		return "sqlite::memory:" + name
	}
	server, query, _ := strings.Cut(base, "?")
	i := strings.LastIndex(server, "/")
	if i < 0 {
		tb.Fatalf("%s=%q: want a DSN like root@tcp(127.0.0.1:3306)/", EnvMySQL, base)
	}
	admin, err := sql.Open("mysql", server[:i+1]+"?"+query)
	if err != nil {
		tb.Fatalf("open mysql: %v", err)
	}
	defer admin.Close()
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		tb.Fatalf("mysql unreachable (%s): %v", EnvMySQL, err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("mysql", server[:i+1]+"?"+query)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name)
	})
	q := query
	if q != "" {
		q = "?" + q
	}
	return "mysql:" + server[:i+1] + name + q
}

// Open returns a migrated Store on a fresh database, closed when the test ends.
func Open(tb testing.TB) *models.Store {
	tb.Helper()
	return OpenLogged(tb, nil)
}

// OpenLogged is Open with the Store logging to log, for tests that look at what the Store logs.
func OpenLogged(tb testing.TB, log *slog.Logger, opts ...models.Option) *models.Store {
	tb.Helper()
	dsn := DSN(tb)
	s, err := models.Open(context.Background(), dsn, log, opts...)
	if err != nil {
		tb.Fatalf("open store %s: %v", redact(dsn), err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i >= 0 {
		return fmt.Sprintf("%s…%s", dsn[:min(6, len(dsn))], dsn[i:])
	}
	return dsn
}

// LogBuffer collects log output written from several goroutines (a Store's, a server's), for
// tests that look at what was logged.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
