package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store holds every query the portal makes. It wraps one *gorm.DB, which is either the pool or,
// inside WithTx, the transaction.
type Store struct {
	db      *gorm.DB
	dialect string
}

// Dialects.
const (
	DialectSQLite = "sqlite"
	DialectMySQL  = "mysql"
)

// Option configures Open.
type Option func(*openConfig)

type openConfig struct {
	slowThreshold time.Duration
}

// WithSlowThreshold sets how long a query may run before it is logged as slow (2 s by default).
// Tests set it to a nanosecond so that every query writes the slow-query line, to check what
// such a line carries.
func WithSlowThreshold(d time.Duration) Option {
	return func(c *openConfig) { c.slowThreshold = d }
}

// Open connects to the database named by dsn: "sqlite:<path>" (or "sqlite::memory:<name>") or
// "mysql:<go-sql-driver DSN>". Queries that fail or are slow are logged to log (nil: not at all),
// without their bound values.
func Open(ctx context.Context, dsn string, log *slog.Logger, opts ...Option) (*Store, error) {
	kind, rest, ok := strings.Cut(dsn, ":")
	if !ok {
		return nil, fmt.Errorf("open database: dsn must start with sqlite: or mysql: (for example sqlite:auxportal.db)")
	}
	oc := openConfig{slowThreshold: 2 * time.Second}
	for _, o := range opts {
		o(&oc)
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 newGormLogger(log, oc.slowThreshold),
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	switch kind {
	case DialectSQLite:
		// Reusing prepared statements saves SQLite re-parsing every query (15% of a signed-in
		// request's CPU in the storm benchmark). The cache is bounded: IN lists make many shapes.
		cfg.PrepareStmt, cfg.PrepareStmtMaxSize, cfg.PrepareStmtTTL = true, 512, time.Hour
		db, err = gorm.Open(sqlite.Open(sqliteDSN(rest)), cfg)
	case DialectMySQL:
		db, err = gorm.Open(mysql.New(mysql.Config{DSN: mysqlDSN(rest)}), cfg)
	default:
		return nil, fmt.Errorf("open database: unknown kind %q (want sqlite or mysql)", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", kind, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", kind, err)
	}
	if kind == DialectSQLite {
		// One writer at a time is SQLite's rule; transactions take the write lock up front
		// (_txlock=immediate) and wait for it (busy_timeout), so they queue instead of failing.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	} else {
		sqlDB.SetMaxOpenConns(64)
		sqlDB.SetMaxIdleConns(64)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("ping %s database: %w", kind, err)
	}
	return &Store{db: db, dialect: kind}, nil
}

// sqliteDSN adds the pragmas the portal relies on to a path (or ":memory:<name>" for a private
// in-memory database shared by the pool's connections).
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(15000)")
	q.Set("_txlock", "immediate")
	if name, ok := strings.CutPrefix(path, ":memory:"); ok {
		// The memdb VFS shares one in-memory database between the pool's connections with
		// ordinary file locking, so busy_timeout makes writers queue. (Fix: mode=memory with
		// cache=shared used table-level shared-cache locks, which fail at once with
		// "database table is locked" (SQLITE_LOCKED_SHAREDCACHE) instead of waiting, so
		// concurrent writes failed in tests.)
		q.Set("vfs", "memdb")
		return "file:/" + url.PathEscape(name) + "?" + q.Encode()
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	return "file:" + path + "?" + q.Encode()
}

// mysqlDSN makes sure times are parsed and kept in UTC, text is utf8mb4, and an UPDATE reports
// the rows it matched rather than the rows it changed (clientFoundRows), as SQLite does: the Store
// reads RowsAffected == 0 as "no such row in that state", which must not depend on whether the
// new values happen to equal the old.
func mysqlDSN(dsn string) string {
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return dsn
	}
	if q.Get("parseTime") == "" {
		q.Set("parseTime", "true")
	}
	if q.Get("loc") == "" {
		q.Set("loc", "UTC")
	}
	if q.Get("charset") == "" {
		q.Set("charset", "utf8mb4")
	}
	if q.Get("clientFoundRows") == "" {
		q.Set("clientFoundRows", "true")
	}
	// One round trip per query instead of prepare, execute and close; the driver escapes
	// values itself, which is safe with utf8mb4 (+62% signed-in checks per CPU-second measured).
	if q.Get("interpolateParams") == "" {
		q.Set("interpolateParams", "true")
	}
	return base + "?" + q.Encode()
}

// Dialect is "sqlite" or "mysql".
func (s *Store) Dialect() string { return s.dialect }

// Close closes the pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// WithTx runs fn in one transaction: all of its writes land, or none.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, dialect: s.dialect})
	})
}

func (s *Store) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// IsDuplicate reports whether err is a unique-key violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

func notFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return NotFound(what)
	}
	return fmt.Errorf("load %s: %w", what, err)
}

// quietLogger leaves out the errors the Store expects and turns into the error vocabulary (a
// duplicate key is a 409 for the user, not an incident), and keeps personal data out of the log:
// no bound value of a query, no value quoted in a driver's error message.
type quietLogger struct{ logger.Interface }

func (l quietLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = nil
	}
	if err != nil {
		err = redactedError{err}
	}
	l.Interface.Trace(ctx, begin, fc, err)
}

// ParamsFilter gives gorm the statement without its values for the log line. gorm looks for this
// method on the logger it was given, this wrapper; embedding logger.Interface does not carry the
// inner logger's ParamsFilter over, so without this method ParameterizedQueries was lost and a
// slow or failed query logged the phone numbers, names and password hashes bound into it.
func (quietLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l quietLogger) LogMode(level logger.LogLevel) logger.Interface {
	return quietLogger{l.Interface.LogMode(level)}
}

func (l quietLogger) Info(ctx context.Context, msg string, data ...any) {
	l.Interface.Info(ctx, msg, redactArgs(data)...)
}

func (l quietLogger) Warn(ctx context.Context, msg string, data ...any) {
	l.Interface.Warn(ctx, msg, redactArgs(data)...)
}

func (l quietLogger) Error(ctx context.Context, msg string, data ...any) {
	l.Interface.Error(ctx, msg, redactArgs(data)...)
}

// redactArgs replaces the errors among a log call's arguments by their LogErr text.
func redactArgs(data []any) []any {
	out := make([]any, len(data))
	for i, d := range data {
		if err, ok := d.(error); ok {
			d = LogErr(err)
		}
		out[i] = d
	}
	return out
}

func newGormLogger(log *slog.Logger, slow time.Duration) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	return quietLogger{logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             slow,
		IgnoreRecordNotFoundError: true,
		LogLevel:                  logger.Warn,
		ParameterizedQueries:      true, // never log personal data bound into queries
	})}
}

// DB exposes the handle for schema tests; services never use it.
func (s *Store) DB() *gorm.DB { return s.db }
