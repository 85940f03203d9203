// Command examday is the exam-day rehearsal: a sitting of the unified training exam replayed
// against the real portal over HTTP on loopback.
//
// For each database (SQLite, MariaDB, or both) it builds cmd/auxportal, seeds a fresh database
// with N proposed hires, the demo bank, a 50-question blueprint and a sitting that opens now
// (seeding is not measured), starts the portal and runs:
//
//  1. admission: every candidate signs in at a random moment of the admission period (argon2id,
//     by design expensive), finds the exam and opens its page;
//  2. the start storm: everyone starts at once, C clients at a time; the span must stay within
//     -ramp (60 s);
//  3. the autosave peak: C clients save as fast as they can for -peak, to find saves/s and p99;
//  4. answering and the submit storm: each candidate answers every question with autosaves
//     spread until their own hand-in moment, changes some answers, repeats some saves (must be
//     "duplicate"), sends one late (must be "stale"), a share drop mid-way and resume on a new
//     session that must show every acknowledged answer; all hand in within the last -submit-window
//     before their deadline, some twice (the same receipt), then a save must be "closed";
//  5. the ceiling: a bare Gin handler started here doing one single-row upsert into the same
//     database, at the same concurrency for the same time as the peak;
//  6. verification in the database: every acknowledged answer is the one stored (0 lost), every
//     hand-in is stored with the receipt the candidate got.
//
// It prints a Markdown report and exits non-zero on any error, lost answer or bad hand-in.
//
//	go run ./bench/examday                                  # SQLite, 300 candidates
//	go run ./bench/examday -db sqlite,mysql -n 2000
//	go run ./bench/examday -db mysql -n 10000 -admission 5m -inflight 2000
//	go run ./bench/examday -pprof /tmp/prof                 # CPU profiles of the portal per phase
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"auxportal/bench/loadkit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "examday:", err)
		os.Exit(1)
	}
}

// config is the rehearsal's flags.
type config struct {
	DBs          []string
	MySQL        string
	Prefix       string
	PortalBin    string
	PprofDir     string
	WorkDir      string
	Keep         bool
	N, C         int
	Inflight     int
	Minutes      int
	Admission    time.Duration
	Finish       time.Duration
	SignedIn     float64
	Ramp         time.Duration
	Peak         time.Duration
	SubmitWindow time.Duration
	Change       float64
	Repeat       float64
	Stale        float64
	Drop         float64
	Twice        float64
	Salt         uint32
	Timeout      time.Duration
	MarkdownTo   string
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("examday", flag.ContinueOnError)
	fs.SetOutput(out)
	var dbs string
	var salt uint64
	fs.StringVar(&dbs, "db", "sqlite", "databases, one run each: sqlite, mysql or sqlite,mysql")
	fs.StringVar(&c.MySQL, "mysql", "root@tcp(127.0.0.1:3306)/", "MariaDB/MySQL server (go-sql-driver DSN) to create a fresh database on")
	fs.StringVar(&c.Prefix, "prefix", "examday", "name prefix of the fresh MariaDB database (engineers sharing a server use their own)")
	fs.StringVar(&c.PortalBin, "portal-bin", "", "use this portal binary instead of building ./cmd/auxportal")
	fs.StringVar(&c.PprofDir, "pprof", "", "write CPU profiles of the portal (one per phase) to this directory")
	fs.StringVar(&c.WorkDir, "workdir", "", "directory for the binary, database, keys and portal log (default: a temporary one)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the work directory and the MariaDB database afterwards")
	fs.IntVar(&c.N, "n", 300, "candidates in the sitting")
	fs.IntVar(&c.C, "c", 100, "concurrent clients of the start storm, the autosave peak and the ceiling")
	fs.IntVar(&c.Inflight, "inflight", 1000, "at most this many requests in the air in the paced phases (admission, answering, hand-in)")
	fs.IntVar(&c.Minutes, "minutes", 5, "exam duration in minutes (the blueprint's minimum is 5): the answering phase is compressed into it")
	fs.DurationVar(&c.Admission, "admission", 30*time.Second, "admission period: sign-ins spread over it (compressed)")
	fs.Float64Var(&c.SignedIn, "signed-in", 0, "share of candidates whose phone kept a session from the last week (they skip the sign-in, everyone else signs in with the password during admission)")
	fs.DurationVar(&c.Finish, "finish", 0, "quick mode: everyone hands in within this after the answering begins, long before the deadline (0: in the last -submit-window before it)")
	fs.DurationVar(&c.Ramp, "ramp", 60*time.Second, "target: every attempt started within this")
	fs.DurationVar(&c.Peak, "peak", 10*time.Second, "length of the autosave peak and of the ceiling run")
	fs.DurationVar(&c.SubmitWindow, "submit-window", 60*time.Second, "everyone hands in within this before their deadline")
	fs.Float64Var(&c.Change, "change", 0.2, "chance, after each question, of changing an earlier answer")
	fs.Float64Var(&c.Repeat, "repeat", 0.05, "chance of a save being sent again (a retry: must be duplicate)")
	fs.Float64Var(&c.Stale, "stale", 0.3, "share of candidates with one save arriving after a newer one (must be stale)")
	fs.Float64Var(&c.Drop, "drop", 0.05, "share of candidates who drop mid-way and resume on a new device")
	fs.Float64Var(&c.Twice, "twice", 0.05, "share of candidates who press hand-in twice (then one more save: must be closed)")
	fs.Uint64Var(&salt, "salt", 0, "makes usernames differ between runs (default random)")
	fs.DurationVar(&c.Timeout, "timeout", 2*time.Minute, "per-request timeout")
	fs.StringVar(&c.MarkdownTo, "md", "", "also write the report (Markdown) to this file")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for _, d := range strings.Split(dbs, ",") {
		switch d = strings.TrimSpace(d); d {
		case "sqlite", "mysql":
			c.DBs = append(c.DBs, d)
		case "":
		default:
			return c, fmt.Errorf("-db: unknown database %q (want sqlite or mysql)", d)
		}
	}
	switch {
	case len(c.DBs) == 0:
		return c, errors.New("-db: nothing to run")
	case c.N < 1 || c.C < 1 || c.Inflight < 1:
		return c, errors.New("-n, -c and -inflight must be positive")
	case c.SignedIn < 0 || c.SignedIn > 1:
		return c, errors.New("-signed-in is a share, 0 to 1")
	case c.Minutes < 5:
		return c, errors.New("-minutes: a blueprint lasts at least 5 minutes")
	case c.SubmitWindow >= time.Duration(c.Minutes)*time.Minute/2:
		return c, errors.New("-submit-window must be under half the exam")
	}
	if salt == 0 {
		salt = uint64(rand.Uint32()) + 1
	}
	c.Salt = uint32(salt)
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	progress := func(format string, a ...any) {
		fmt.Fprintf(stderr, "examday %s: "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	work, cleanup, err := loadkit.WorkDir(cfg.WorkDir, "auxexamday-", cfg.Keep)
	defer cleanup()
	if err != nil {
		return err
	}
	if cfg.PprofDir, err = loadkit.ProfileDir(cfg.PprofDir); err != nil {
		return err
	}
	bin := cfg.PortalBin
	if bin == "" {
		progress("building ./cmd/auxportal")
		if bin, err = loadkit.BuildPortal(ctx, work, cfg.PprofDir != ""); err != nil {
			return err
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "Machine: %s, %d CPUs (GOMAXPROCS %d), %s. Exam day: %d candidates (%.0f%% still signed in from the last week, the rest sign in), 50 questions, %d-minute exam, admission %s, %d clients for the start storm, the autosave peak (%s) and the ceiling, at most %d requests in flight when paced, hand-in within the last %s.\n\n",
		loadkit.CPUModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), cfg.N, cfg.SignedIn*100, cfg.Minutes, cfg.Admission,
		cfg.C, cfg.Peak, cfg.Inflight, cfg.SubmitWindow)
	failed := false
	// The report is printed and written after each database, so a long second run that is
	// stopped leaves the first one's figures.
	flush := func() error {
		if cfg.MarkdownTo == "" {
			return nil
		}
		return os.WriteFile(cfg.MarkdownTo, []byte(report.String()), 0o644)
	}
	fmt.Fprint(stdout, report.String())
	for _, db := range cfg.DBs {
		res, err := runOne(ctx, cfg, db, bin, work, func(f string, a ...any) { progress(db+": "+f, a...) })
		if err != nil {
			return fmt.Errorf("%s: %w", db, err)
		}
		n := report.Len()
		res.write(&report, cfg)
		fmt.Fprint(stdout, report.String()[n:])
		if err := flush(); err != nil {
			return err
		}
		failed = failed || res.failed()
	}
	if failed {
		return errors.New("the rehearsal failed: see the errors, lost answers or hand-ins above")
	}
	return nil
}

// runOne seeds a fresh database, starts a portal on it and rehearses exam day.
func runOne(ctx context.Context, cfg config, db, bin, work string, progress func(string, ...any)) (*result, error) {
	dir := filepath.Join(work, db)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var dsn string
	switch db {
	case "sqlite":
		dsn = "sqlite:" + filepath.Join(dir, "examday.db")
	case "mysql":
		var drop func() error
		var err error
		if dsn, drop, err = loadkit.CreateMySQLDB(ctx, cfg.MySQL, cfg.Prefix); err != nil {
			return nil, err
		}
		if !cfg.Keep {
			defer func() {
				if err := drop(); err != nil {
					progress("drop database: %v", err)
				}
			}()
		}
	}
	progress("seeding %d proposed hires, the bank, the blueprint and the sitting (%s)", cfg.N, loadkit.RedactDSN(dsn))
	t0 := time.Now()
	seeded, err := seed(ctx, dsn, cfg.N, cfg.Minutes, cfg.Salt, cfg.SignedIn)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	progress("seeded in %s; starting the portal", time.Since(t0).Round(time.Millisecond))
	p, err := loadkit.StartPortal(ctx, bin, dir, dsn, cfg.PprofDir != "")
	if err != nil {
		return nil, err
	}
	res := &result{db: db}
	r := &rehearsal{cfg: cfg, c: loadkit.NewClient(p.URL, max(cfg.C, cfg.Inflight), cfg.Timeout),
		cpu: loadkit.NewCPUClock(p.Cmd.Process.Pid, db != "sqlite"), portal: p, db: db, progress: progress}
	runErr := r.run(ctx, seeded)
	res.peakRSS = loadkit.ProcStatusMiB(p.Cmd.Process.Pid, "VmHWM:")
	if err := p.Stop(); err != nil {
		progress("stopping the portal: %v", err)
	}
	res.portalLog = portalLog(p.LogPath)
	if runErr != nil {
		return nil, fmt.Errorf("%w\nportal log: %s", runErr, res.portalLog)
	}
	res.r = r
	progress("ceiling: bare Gin handler, %d clients for %s", cfg.C, cfg.Peak)
	if res.ceiling, res.ceilingWall, res.ceilingCPU, err = ceiling(ctx, dsn, cfg.C, cfg.Peak, cfg.Timeout); err != nil {
		return nil, fmt.Errorf("ceiling: %w", err)
	}
	progress("verifying in the database")
	if res.v, err = verify(ctx, dsn, r.cands); err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	return res, nil
}

// portalLog is the tail of the portal's log without GORM's SQL tracing.
func portalLog(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line != "" && !strings.Contains(line, `msg="SQL executed"`) {
			keep = append(keep, line)
		}
	}
	return loadkit.Tail(strings.Join(keep, "\n"), 3000)
}
