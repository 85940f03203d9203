// Command storm is "the registration storm": the last hours before an application deadline,
// replayed against a real portal over HTTP on loopback.
//
// It builds cmd/auxportal and starts it on a fresh database (SQLite, MariaDB, or both one after
// the other), or drives a portal that is already running (-url), and then:
//
//  1. register + login: N applicants register (argon2id, by design expensive) and sign in,
//     C at a time;
//  2. eligibility peak: C clients call the public eligibility check for a fixed time (signed in,
//     as the application page does, and anonymous), to find the peak checks per second;
//  3. mixed: every applicant fills in the form — several eligibility checks, as the page calls it
//     while typing — and submits the application with a ≈200 KB JPEG photo and a diploma scan,
//     a few submit twice (a double click: must be 409), while other clients keep reloading their
//     status page (their list and their application);
//  4. verification: every acknowledged (201) application must exist exactly once, with its
//     files; nothing may be lost or duplicated. Checked through the admin API and, when the
//     storm knows the database, in the database itself.
//
// It prints a Markdown table per database (count, requests/s, p50/p95/p99/max latency and errors
// by status for each kind of request), the CPU each process used per phase, and the targets.
// It exits non-zero on any error, lost or duplicated application (and, with -strict, on a missed
// throughput target).
//
//	go run ./bench/storm                         # SQLite, 1000 applicants, 100 clients
//	go run ./bench/storm -db sqlite,mysql        # both, one after the other
//	go run ./bench/storm -db mysql -pprof /tmp/prof   # with CPU profiles of the portal per phase
//	go run ./bench/storm -url http://127.0.0.1:8080   # an already running portal started with -demo -rate-limit=false
//
// The portal it starts runs with -rate-limit=false: every simulated applicant comes from 127.0.0.1,
// and per-IP limits would (rightly) refuse them.
package main

import (
	"auxportal/bench/loadkit"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"auxportal/bench/fixture"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "storm:", err)
		os.Exit(1)
	}
}

// config is the storm's flags.
type config struct {
	URL        string
	DBs        []string
	MySQL      string
	PortalBin  string
	PprofDir   string
	WorkDir    string
	Keep       bool
	VerifyDSN  string
	N, C       int
	Reloaders  int
	Checks     int
	EligFor    time.Duration
	EligModes  []string
	MaxMixed   time.Duration
	Double     float64
	PhotoW     int
	PhotoH     int
	PhotoKB    int
	DiplomaW   int
	DiplomaH   int
	DiplomaKB  int
	Opening    uint64
	AdminUser  string
	AdminPass  string
	Salt       uint32
	Timeout    time.Duration
	MarkdownTo string
	Strict     bool
	MinChecks  float64
	MinApps    float64
	WaitIdle   time.Duration
	MaxDrain   time.Duration
}

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("storm", flag.ContinueOnError)
	fs.SetOutput(out)
	var dbs, modes string
	var salt uint64
	fs.StringVar(&c.URL, "url", "", "drive this running portal instead of starting one (it must run with -demo -rate-limit=false)")
	fs.StringVar(&dbs, "db", "sqlite", "databases to start the portal on, one run each: sqlite, mysql or sqlite,mysql")
	fs.StringVar(&c.MySQL, "mysql", "root@tcp(127.0.0.1:3306)/", "MariaDB/MySQL server (go-sql-driver DSN) to create a fresh database on, for -db mysql")
	fs.StringVar(&c.PortalBin, "portal-bin", "", "use this portal binary instead of building ./cmd/auxportal")
	fs.StringVar(&c.PprofDir, "pprof", "", "write CPU profiles of the portal (one per phase) to this directory; builds the portal with a pprof overlay")
	fs.StringVar(&c.WorkDir, "workdir", "", "directory for the binary, database, keys and portal log (default: a temporary one)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the work directory and the MariaDB database afterwards")
	fs.StringVar(&c.VerifyDSN, "verify-dsn", "", "with -url: the portal's -dsn, to verify in the database as well as through the API")
	fs.IntVar(&c.N, "n", 1000, "applicants")
	fs.IntVar(&c.C, "c", 100, "concurrent clients")
	fs.IntVar(&c.Reloaders, "reloaders", -1, "of the clients, how many reload status pages during the mixed phase (default c/5)")
	fs.IntVar(&c.Checks, "checks", 5, "eligibility checks per applicant before submitting (the form checks while it is typed)")
	fs.DurationVar(&c.EligFor, "elig-duration", 10*time.Second, "length of each eligibility peak run")
	fs.StringVar(&modes, "elig-modes", "session,anonymous", "eligibility peak runs: session (with the applicant's cookie, as the page sends it), anonymous; empty for none")
	fs.DurationVar(&c.MaxMixed, "max-duration", 10*time.Minute, "stop handing out applicants after this long in the mixed phase")
	fs.Float64Var(&c.Double, "double", 0.05, "fraction of applicants who submit twice (the second must be 409)")
	fs.IntVar(&c.PhotoW, "photo-w", 600, "photo width, px")
	fs.IntVar(&c.PhotoH, "photo-h", 800, "photo height, px")
	fs.IntVar(&c.PhotoKB, "photo-kb", 200, "photo JPEG size, KB (noise is tuned to reach it)")
	fs.IntVar(&c.DiplomaW, "diploma-w", 1000, "diploma scan width, px")
	fs.IntVar(&c.DiplomaH, "diploma-h", 700, "diploma scan height, px")
	fs.IntVar(&c.DiplomaKB, "diploma-kb", 150, "diploma scan JPEG size, KB")
	fs.Uint64Var(&c.Opening, "opening", 1, "the published, open opening to apply to (the -demo one is 1)")
	fs.StringVar(&c.AdminUser, "admin-user", "district", "district admin for the verification (the -demo one)")
	fs.StringVar(&c.AdminPass, "admin-password", "Haimen-demo-2026", "its password")
	fs.Uint64Var(&salt, "salt", 0, "makes phone and ID numbers differ between runs (default random)")
	fs.DurationVar(&c.Timeout, "timeout", 2*time.Minute, "per-request timeout")
	fs.StringVar(&c.MarkdownTo, "md", "", "also write the report (Markdown) to this file")
	fs.DurationVar(&c.MaxDrain, "max-drain", 15*time.Minute, "after the storm, wait this long at most for the portal to sanitise the uploads left in quarantine")
	fs.BoolVar(&c.Strict, "strict", false, "also exit non-zero when a throughput target is missed")
	fs.Float64Var(&c.MinChecks, "target-checks", 5000, "target: eligibility checks/s at the peak")
	fs.Float64Var(&c.MinApps, "target-apps", 100, "target: complete applications/s in the mixed phase")
	fs.DurationVar(&c.WaitIdle, "wait-idle", 0, "on a shared machine: before each database's run, wait up to this long for 5 s in which the machine is under 15% busy")
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
	for _, m := range strings.Split(modes, ",") {
		switch m = strings.TrimSpace(m); m {
		case "session", "anonymous":
			c.EligModes = append(c.EligModes, m)
		case "":
		default:
			return c, fmt.Errorf("-elig-modes: unknown mode %q", m)
		}
	}
	if c.URL != "" {
		c.DBs = []string{"(running portal)"}
	}
	if len(c.DBs) == 0 {
		return c, errors.New("-db: nothing to run")
	}
	if c.N < 1 || c.C < 1 || c.N >= fixture.MaxApplicants {
		return c, errors.New("-n and -c must be positive")
	}
	if c.Reloaders < 0 {
		c.Reloaders = c.C / 5
	}
	if c.Reloaders >= c.C {
		return c, errors.New("-reloaders must leave at least one client to apply")
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
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "storm: "+format+"\n", a...) }

	progress("generating the photo (%dx%d, ≈%d KB) and the diploma scan (%dx%d, ≈%d KB)",
		cfg.PhotoW, cfg.PhotoH, cfg.PhotoKB, cfg.DiplomaW, cfg.DiplomaH, cfg.DiplomaKB)
	photo, err := fixture.Photo(cfg.PhotoW, cfg.PhotoH, cfg.PhotoKB<<10, 1)
	if err != nil {
		return err
	}
	diploma, err := fixture.Photo(cfg.DiplomaW, cfg.DiplomaH, cfg.DiplomaKB<<10, 2)
	if err != nil {
		return err
	}
	files := map[string][]byte{"photo": photo, "diploma": diploma}

	work, cleanup, err := loadkit.WorkDir(cfg.WorkDir, "auxstorm-", cfg.Keep)
	defer cleanup()
	if err != nil {
		return err
	}
	if cfg.PprofDir, err = loadkit.ProfileDir(cfg.PprofDir); err != nil {
		return err
	}

	bin := cfg.PortalBin
	if cfg.URL == "" && bin == "" {
		progress("building ./cmd/auxportal%s", map[bool]string{true: " (with the pprof overlay)"}[cfg.PprofDir != ""])
		if bin, err = loadkit.BuildPortal(ctx, work, cfg.PprofDir != ""); err != nil {
			return err
		}
	}

	var report strings.Builder
	fmt.Fprintf(&report, "Machine: %s, %d CPUs (GOMAXPROCS %d), %s. Storm: %d applicants, %d clients (%d reloading status), %d eligibility checks per applicant, photo %d B, diploma %d B.\n\n",
		loadkit.CPUModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), cfg.N, cfg.C, cfg.Reloaders, cfg.Checks, len(photo), len(diploma))
	failed := false
	for _, db := range cfg.DBs {
		res, err := runOne(ctx, cfg, db, bin, work, files, progress)
		if err != nil {
			return fmt.Errorf("%s: %w", db, err)
		}
		res.write(&report, cfg)
		if res.failed(cfg) {
			failed = true
		}
	}
	fmt.Fprint(stdout, report.String())
	if cfg.MarkdownTo != "" {
		if err := os.WriteFile(cfg.MarkdownTo, []byte(report.String()), 0o644); err != nil {
			return err
		}
	}
	if failed {
		return errors.New("the storm failed: see the errors, lost/duplicated counts or targets above")
	}
	return nil
}

// runOne starts a portal on db (or uses -url) and runs every phase against it.
func runOne(ctx context.Context, cfg config, db, bin, work string, files map[string][]byte,
	progress func(string, ...any)) (*result, error) {
	res := &result{db: db}
	if cfg.WaitIdle > 0 {
		progress("%s: waiting up to %s for the machine to be idle", db, cfg.WaitIdle)
		if busy, ok := loadkit.WaitIdle(ctx, cfg.WaitIdle); !ok {
			progress("%s: still %.0f%% busy; running anyway", db, busy*100)
		}
	}
	base, verifyDSN := cfg.URL, cfg.VerifyDSN
	var p *loadkit.Portal
	var sink *codeSink
	if cfg.URL == "" {
		dir := filepath.Join(work, db)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		var dsn string
		var drop func() error
		switch db {
		case "sqlite":
			dsn = "sqlite:" + filepath.Join(dir, "storm.db")
		case "mysql":
			var err error
			if dsn, drop, err = loadkit.CreateMySQLDB(ctx, cfg.MySQL, ""); err != nil {
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
		progress("%s: starting the portal (%s)", db, loadkit.RedactDSN(dsn))
		var err error
		if sink, err = startCodeSink(); err != nil {
			return nil, err
		}
		defer sink.close()
		if p, err = loadkit.StartPortal(ctx, bin, dir, dsn, cfg.PprofDir != "", "-demo", "-sms-webhook", sink.URL); err != nil {
			return nil, err
		}
		defer func() {
			if err := p.Stop(); err != nil {
				progress("%s: stopping the portal: %v", db, err)
			}
			res.portalLog, res.portalLogDup, res.portalSlow, res.portalSlowTop = summarizeLog(p.LogPath)
		}()
		base, verifyDSN = p.URL, dsn
	}
	pid := 0
	if p != nil {
		pid = p.Cmd.Process.Pid
	}
	if sink == nil {
		return nil, errors.New("-url: registration needs the verification codes, which only a portal the storm starts texts to it")
	}
	s := &storm{cfg: cfg, c: loadkit.NewClient(base, cfg.C, cfg.Timeout), res: res, cpu: loadkit.NewCPUClock(pid, db != "sqlite"),
		portal: p, sink: sink, progress: func(f string, a ...any) { progress(db+": "+f, a...) }, files: files}
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	if err := s.drain(ctx, verifyDSN); err != nil {
		return nil, err
	}
	s.verify(ctx, verifyDSN)
	if pid > 0 {
		res.peakRSS = loadkit.ProcStatusMiB(pid, "VmHWM:")
	}
	return res, nil
}

// summarizeLog reads the portal's log: the tail of what is not GORM's SQL tracing, how many
// duplicate-key errors GORM logged (the expected 409s of second submissions), how many slow-SQL
// warnings, and the most frequent slow statements.
func summarizeLog(path string) (rest string, dup, slow int, slowTop []string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, 0, nil
	}
	var keep []string
	bySQL := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		switch {
		case line == "":
		case strings.Contains(line, "duplicated key not allowed") || strings.Contains(line, "Duplicate entry"):
			dup++
		case strings.Contains(line, `msg="SQL executed"`) && strings.Contains(line, "level=WARN"):
			slow++
			if _, q, ok := strings.Cut(line, "trace.sql="); ok {
				q, _, _ = strings.Cut(q, " trace.rows=")
				bySQL[q]++
			}
		default:
			keep = append(keep, line)
		}
	}
	qs := slices.SortedFunc(maps.Keys(bySQL), func(a, b string) int { return bySQL[b] - bySQL[a] })
	for _, q := range qs[:min(len(qs), 5)] {
		slowTop = append(slowTop, fmt.Sprintf("%d× `` %s ``", bySQL[q], strings.Trim(loadkit.Tail(q, 160), `"`)))
	}
	return loadkit.Tail(strings.Join(keep, "\n"), 4000), dup, slow, slowTop
}
