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
	"runtime"
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
	"auxportal/notices/sms"
	"auxportal/recruitment"
	"auxportal/refresher"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		// The same line format as every other line the portal writes.
		slog.New(slog.NewTextHandler(os.Stderr, nil)).Error("auxportal stopped", "err", err)
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
	// UploadWorkers is the number of goroutines sanitising quarantined uploads on this replica.
	UploadWorkers int
	// SMS is the SMS channel: a webhook to the district's SMS adapter, or the development
	// sender that logs and sends nothing.
	SMS SMSConfig
}

// SMSConfig configures the SMS channel of the notices.
type SMSConfig struct {
	Webhook   string // https URL of the SMS adapter; "" for the development sender
	Token     string // bearer token for the webhook
	Signature string // 短信签名, e.g. 海门城管
	// DevShowText makes the development sender log each message's text, codes included: only
	// with -demo, whose accounts are public anyway.
	DevShowText bool
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
	fs.IntVar(&c.UploadWorkers, "upload-workers", envInt(getenv, "AUXPORTAL_UPLOAD_WORKERS", runtime.GOMAXPROCS(0)),
		"goroutines sanitising uploaded images in the background, per replica (AUXPORTAL_UPLOAD_WORKERS)")
	fs.StringVar(&c.SMS.Webhook, "sms-webhook", env("AUXPORTAL_SMS_WEBHOOK", ""), "https URL of the SMS adapter that sends texts (JSON POST); empty: the development sender, which sends nothing (AUXPORTAL_SMS_WEBHOOK)")
	c.SMS.Token = getenv("AUXPORTAL_SMS_WEBHOOK_TOKEN")
	fs.StringVar(&c.SMS.Signature, "sms-signature", env("AUXPORTAL_SMS_SIGNATURE", "海门城管"), "SMS signature (短信签名) in front of every text (AUXPORTAL_SMS_SIGNATURE)")
	fs.BoolVar(&c.SMS.DevShowText, "sms-dev-show-text", env("AUXPORTAL_SMS_DEV_SHOW_TEXT", "") == "1", "with -demo and no -sms-webhook: log the text of each SMS, verification codes included (AUXPORTAL_SMS_DEV_SHOW_TEXT=1)")
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
	if c.UploadWorkers < 1 || c.UploadWorkers > 64 {
		return c, fmt.Errorf("-upload-workers %d: want 1 to 64", c.UploadWorkers)
	}
	if c.SMS.DevShowText && (!c.Demo || c.SMS.Webhook != "") {
		// Codes in a production log would let whoever reads the log reset any password.
		return c, errors.New("-sms-dev-show-text is only for a demo portal (-demo) without -sms-webhook")
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

// run starts the portal and serves until ctx is cancelled. Everything it writes is a slog line
// in one format (logfmt); on start one says where it listens (msg=listening url=http://…), which
// tests read to find a :0 port.
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
	notes, devSMS, err := newNotices(cfg, store, clk, log)
	if err != nil {
		return err
	}
	codeKey, err := keys.codeKey()
	if err != nil {
		return err
	}
	accOpts := []accounts.Option{accounts.WithNotices(notes), accounts.WithCodeKey(codeKey)}
	if cfg.Demo {
		accOpts = append(accOpts, accounts.WithDemoPassword(demoPassword))
	}
	if !cfg.RateLimit {
		accOpts = append(accOpts, accounts.WithoutSourceLimit())
	}
	acc, err := accounts.New(store, clk, accOpts...)
	if err != nil {
		return err
	}
	rec := recruitment.New(store, cipher, clk, log, recruitment.WithNotices(notes))
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
	cycle := refresher.New(store, permit, exam, notes, clk, log, refresher.DefaultSettings)
	if created, err := acc.EnsureAdmin(ctx, cfg.AdminUser, cfg.AdminPassword); err != nil {
		return err
	} else if created {
		log.Info("created the first district admin", "username", cfg.AdminUser)
	} else if !cfg.Demo {
		if n, err := store.CountUsersByRole(ctx, models.RoleDistrictAdmin); err != nil {
			return err
		} else if n == 0 {
			log.Warn("nobody can sign in: there is no district admin yet",
				"fix", "start once with -admin-user NAME -admin-password PASSWORD (or AUXPORTAL_ADMIN_USER and AUXPORTAL_ADMIN_PASSWORD); the password needs at least 12 characters; or try the demo with -demo")
		}
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
		TrustedProxies: cfg.TrustedProxies, RateLimits: limits, DevSMS: devSMS,
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
	// Uploads wait in quarantine until sanitised: by default one worker per CPU. During a storm
	// the few worker goroutines share the CPUs with the many request goroutines, so the
	// acknowledgements keep nearly all of them; afterwards the workers drain the backlog on every
	// core. Woken by each upload on this replica and every 2 s for files uploaded through others
	// or left by a dead replica.
	go rec.SanitizeWork(ctx, cfg.UploadWorkers, 2*time.Second)
	go deliverOnWake(ctx, notes, log)

	// Where the portal listens is said at any -log-level (tests and scripts read it), in the
	// same format as every other line.
	announce := slog.New(slog.NewTextHandler(stdout, nil))
	announce.Info("listening", "url", "http://"+ln.Addr().String())
	if cfg.Demo {
		announce.Info("demo ready: open the portal and sign in", "url", browseURL(ln.Addr()), "password", demoPassword, "logins", demoLogins)
	}
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

// newNotices builds the notice service with the e-mail sender when SMTP is configured and the
// SMS sender: the webhook when configured, else the development sender (devSMS true), which
// logs that a text went out and sends nothing.
func newNotices(cfg Config, store *models.Store, clk clock.Clock, log *slog.Logger) (notes *notices.Service, devSMS bool, err error) {
	var gw sms.Gateway
	if cfg.SMS.Webhook != "" {
		w, err := sms.NewWebhook(cfg.SMS.Webhook, cfg.SMS.Token)
		if err != nil {
			return nil, false, err
		}
		gw = w
		log.Info("sms on (webhook)")
	} else {
		gw, devSMS = sms.LogGateway{Log: log, ShowText: cfg.SMS.DevShowText}, true
		log.Warn("sms: no AUXPORTAL_SMS_WEBHOOK, using the development sender: texts (verification codes) are logged as sent and NOT delivered",
			"show_text", cfg.SMS.DevShowText)
	}
	text := sms.New(gw, cfg.SMS.Signature)
	if cfg.SMTP.Host == "" {
		log.Info("e-mail notices are off (no AUXPORTAL_SMTP_HOST): notices are shown in the portal only")
		return notices.New(store, clk, log, text), devSMS, nil
	}
	if cfg.SMTP.From == "" {
		return nil, false, errors.New("-smtp-from (AUXPORTAL_SMTP_FROM) is required with -smtp-host")
	}
	mail, err := email.New(cfg.SMTP)
	if err != nil {
		return nil, false, err
	}
	log.Info("e-mail notices on", "smtp", mail.Addr(), "tls", cfg.SMTP.TLS)
	return notices.New(store, clk, log, mail, text), devSMS, nil
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

// envInt is the integer in environment variable k, or def when it is unset or not a number
// (parseConfig's range check then speaks for a bad one given by flag).
func envInt(getenv func(string) string, k string, def int) int {
	if n, err := strconv.Atoi(getenv(k)); err == nil {
		return n
	}
	return def
}

// browseURL is the address to open in a browser: a wildcard listen address is this machine.
func browseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
