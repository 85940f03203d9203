// Command auxportal serves the recruitment and training portal for city-management auxiliary
// staff. It is the one composition root: configuration → database → migrations → services →
// router → serve, with a graceful stop.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"

	"auxportal/accounts"
	"auxportal/auditlog"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams/training"
	"auxportal/handlers"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/notices/email"
	"auxportal/recruitment"
	"auxportal/refresher"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "auxportal:", err)
		os.Exit(1)
	}
}

// Config is everything run needs, from flags and environment.
type Config struct {
	Addr           string
	DSN            string
	AdminUser      string
	AdminPassword  string
	Demo           bool
	KeyFile        string
	SecureCookies  bool
	TrustedProxies []string
	RateLimit      bool
	LogLevel       slog.Level
	// PublicURL is the portal's address as the public reaches it, for the QR codes printed on
	// admission tickets and work permits and the links in e-mail notices.
	PublicURL string
	// SMTP is the e-mail server for notices; no Host: e-mail notices are off (in-app only).
	SMTP email.Config
	// Policy is the permits' refresher cycle (rule T-4); its window is a setting.
	Policy permits.Policy
}

// parseConfig reads flags, falling back to AUXPORTAL_* environment variables, then defaults.
func parseConfig(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("auxportal", flag.ContinueOnError)
	fs.SetOutput(out)
	var c Config
	var proxies, level string
	fs.StringVar(&c.Addr, "addr", env("AUXPORTAL_ADDR", ":8080"), "listen address (AUXPORTAL_ADDR)")
	fs.StringVar(&c.DSN, "dsn", env("AUXPORTAL_DSN", "sqlite:auxportal.db"), "database: sqlite:<path> or mysql:<go-sql-driver DSN> (AUXPORTAL_DSN)")
	fs.StringVar(&c.AdminUser, "admin-user", env("AUXPORTAL_ADMIN_USER", ""), "first district admin's username, used only while no admin exists (AUXPORTAL_ADMIN_USER)")
	fs.StringVar(&c.AdminPassword, "admin-password", env("AUXPORTAL_ADMIN_PASSWORD", ""), "first district admin's password (AUXPORTAL_ADMIN_PASSWORD)")
	fs.BoolVar(&c.Demo, "demo", env("AUXPORTAL_DEMO", "") == "1", "add demo accounts and a published opening (AUXPORTAL_DEMO=1)")
	fs.StringVar(&c.KeyFile, "key-file", env("AUXPORTAL_KEY_FILE", "auxportal.keys"), "file holding the encryption keys; created with mode 0600 on first start (AUXPORTAL_KEY_FILE)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", env("AUXPORTAL_SECURE_COOKIES", "") == "1", "mark cookies Secure (set behind a TLS proxy; AUXPORTAL_SECURE_COOKIES=1)")
	fs.StringVar(&proxies, "trusted-proxies", env("AUXPORTAL_TRUSTED_PROXIES", ""), "comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted (AUXPORTAL_TRUSTED_PROXIES)")
	fs.BoolVar(&c.RateLimit, "rate-limit", env("AUXPORTAL_RATE_LIMIT", "1") != "0", "per-IP rate limits on login, registration and applications (AUXPORTAL_RATE_LIMIT=0 turns them off, for load tests)")
	fs.StringVar(&c.PublicURL, "public-url", env("AUXPORTAL_PUBLIC_URL", "http://localhost:8080"), "the portal's public address, printed in QR codes (AUXPORTAL_PUBLIC_URL)")
	fs.StringVar(&level, "log-level", env("AUXPORTAL_LOG_LEVEL", "info"), "debug, info, warn or error (AUXPORTAL_LOG_LEVEL)")
	var smtpPort string
	fs.StringVar(&c.SMTP.Host, "smtp-host", env("AUXPORTAL_SMTP_HOST", ""), "SMTP server for e-mail notices; empty: in-app notices only (AUXPORTAL_SMTP_HOST)")
	fs.StringVar(&smtpPort, "smtp-port", env("AUXPORTAL_SMTP_PORT", ""), "SMTP port; default 587 for starttls, 465 for tls, 25 for none (AUXPORTAL_SMTP_PORT)")
	fs.StringVar(&c.SMTP.Username, "smtp-username", env("AUXPORTAL_SMTP_USERNAME", ""), "SMTP login, if the server wants one (AUXPORTAL_SMTP_USERNAME)")
	fs.StringVar(&c.SMTP.Password, "smtp-password", env("AUXPORTAL_SMTP_PASSWORD", ""), "SMTP password; prefer the environment variable, a flag shows in ps (AUXPORTAL_SMTP_PASSWORD)")
	fs.StringVar(&c.SMTP.From, "smtp-from", env("AUXPORTAL_SMTP_FROM", ""), `sender of e-mail notices, e.g. "海门区城市管理局 <noreply@example.gov.cn>" (AUXPORTAL_SMTP_FROM)`)
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", env("AUXPORTAL_SMTP_TLS", email.StartTLS), "starttls, tls (implicit, port 465) or none (a relay on this host) (AUXPORTAL_SMTP_TLS)")
	c.Policy = permits.DefaultPolicy
	window := env("AUXPORTAL_REFRESHER_WINDOW_DAYS", strconv.Itoa(c.Policy.WindowDays))
	fs.StringVar(&window, "refresher-window-days", window, fmt.Sprintf("the yearly refresher's window opens this many days before a permit's valid-until date, %d to %d (AUXPORTAL_REFRESHER_WINDOW_DAYS)",
		permits.MinWindowDays, permits.MaxWindowDays))
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	days, err := strconv.Atoi(window)
	if err != nil {
		return c, fmt.Errorf("-refresher-window-days %q: want a number of days", window)
	}
	c.Policy.WindowDays = days
	if err := c.Policy.Validate(); err != nil {
		return c, fmt.Errorf("-refresher-window-days: %w", err)
	}
	if smtpPort != "" {
		p, err := strconv.Atoi(smtpPort)
		if err != nil || p < 1 || p > 65535 {
			return c, fmt.Errorf("-smtp-port %q: want a port number", smtpPort)
		}
		c.SMTP.Port = p
	}
	c.SMTP.PublicURL = c.PublicURL
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for _, p := range strings.Split(proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("-log-level: %w", err)
	}
	return c, nil
}

// run starts the portal and serves until ctx is cancelled. On start it prints the address it
// listens on ("listening on http://…"), which tests read to find a :0 port.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "verify-permit" {
		return verifyPermit(args[1:], getenv, stdout)
	}
	cfg, err := parseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))

	keys, err := loadKeys(cfg.KeyFile, getenv)
	if err != nil {
		return err
	}
	cipher, err := keys.cipher()
	if err != nil {
		return err
	}
	signer, err := keys.signer()
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, cfg.DSN, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}

	// One clock for the services and the scheduler (tests drive both from one fake).
	wall := clockwork.NewRealClock()
	var clk clock.Clock = wall
	var accOpts []accounts.Option
	if cfg.Demo {
		accOpts = append(accOpts, accounts.WithDemoPassword(demoPassword))
	}
	acc, err := accounts.New(store, clk, accOpts...)
	if err != nil {
		return err
	}
	rec := recruitment.New(store, cipher, clk, log)
	if err := rec.EnsureBaseConditions(ctx); err != nil {
		return err
	}
	// ID-number ciphertexts written before they were bound to their row are re-sealed once.
	if n, err := rec.UpgradeIDCiphers(ctx); err != nil {
		return fmt.Errorf("upgrade id ciphertexts: %w", err)
	} else if n > 0 {
		log.Info("bound ID-number ciphertexts to their rows", "n", n)
	}
	runner := jobs.New(store, clk, log)
	exam := training.New(store, rec, clk, log, cfg.PublicURL, training.WithJobs(runner))
	permit := permits.New(store, signer, clk, log, runner, cfg.PublicURL, cfg.Policy)
	notes, err := newNotices(cfg, store, clk, log)
	if err != nil {
		return err
	}
	rec.SetNotices(notes)
	cycle := refresher.New(store, permit, exam, notes, clk, log, refresher.DefaultSettings)
	if created, err := acc.EnsureAdmin(ctx, cfg.AdminUser, cfg.AdminPassword); err != nil {
		return err
	} else if created {
		log.Info("created the first district admin", "username", cfg.AdminUser)
	}
	if cfg.Demo {
		if err := seedDemo(ctx, store, cipher, acc, rec, exam, notes, signer, cfg.PublicURL, clk); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		// The demo shows the refresher cycle at once instead of after its first night.
		if r, err := cycle.Daily(ctx); err != nil {
			return fmt.Errorf("demo refresher: %w", err)
		} else if r.Enrolled > 0 {
			log.Info("demo: refresher cycle run", "enrolled", r.Enrolled, "notices", r.Notices, "suspended", r.Suspended)
		}
	}

	limits := handlers.DefaultRateLimits()
	limits.Disabled = !cfg.RateLimit
	h, err := handlers.New(handlers.Deps{
		Accounts: acc, Recruitment: rec, Exams: exam, Permits: permit, Jobs: runner, Notices: notes, Refresher: cycle, Audit: auditlog.New(store), Clock: clk, Log: log, SecureCookies: cfg.SecureCookies,
		TrustedProxies: cfg.TrustedProxies, RateLimits: limits,
		Ping: func(r *http.Request) error { return store.Ping(r.Context()) },
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // slow phones uploading photos
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		// Requests must not inherit ctx's cancellation: SIGTERM cancels ctx, and a request
		// context cancelled with it fails its database calls mid-way (a 500 for someone's
		// submission) instead of letting Shutdown drain it. Shutdown stops the listener and waits
		// for in-flight requests; its own timeout bounds the wait.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	sched, err := newScheduler(ctx, store, wall, log, replicaName(), portalJobs(jobDeps{store: store, accounts: acc, rec: rec,
		exams: exam, notes: notes, refresher: cycle, log: log, clock: clk}))
	if err != nil {
		return err
	}
	sched.Start()
	defer func() {
		if err := sched.Shutdown(); err != nil {
			log.Warn("scheduler shutdown", "err", err)
		}
	}()
	go runner.Work(ctx, 2*time.Second)
	go deliverOnWake(ctx, notes, log)

	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newNotices builds the notice service with the e-mail sender when SMTP is configured.
func newNotices(cfg Config, store *models.Store, clk clock.Clock, log *slog.Logger) (*notices.Service, error) {
	if cfg.SMTP.Host == "" {
		log.Info("e-mail notices are off (no AUXPORTAL_SMTP_HOST): notices are shown in the portal only")
		return notices.New(store, clk, log), nil
	}
	if cfg.SMTP.From == "" {
		return nil, errors.New("-smtp-from (AUXPORTAL_SMTP_FROM) is required with -smtp-host")
	}
	mail, err := email.New(cfg.SMTP)
	if err != nil {
		return nil, err
	}
	log.Info("e-mail notices on", "smtp", mail.Addr(), "tls", cfg.SMTP.TLS)
	return notices.New(store, clk, log, mail), nil
}

// deliverOnWake sends the notices that are due at once when a service asks
// (notices.Service.Wake: a verification code must not wait for the scheduler's next 30-second
// tick). Any replica may: each delivery is claimed by one conditional write, so two replicas
// never send one at once.
func deliverOnWake(ctx context.Context, notes *notices.Service, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-notes.Wakeups():
		}
		if n, err := notes.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("deliver notices", "err", models.LogErr(err))
		} else if n > 0 {
			log.Info("delivered notices", "n", n)
		}
	}
}
