package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"auxportal/models/storetest"
)

// lineWriter hands what run prints to the test line by line.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(strings.NewReader(string(p)))
	for sc.Scan() {
		select {
		case w.lines <- sc.Text():
		default:
		}
	}
	return len(p), nil
}

// portal is run() serving on a free port, with what it prints.
type portal struct {
	start  []string // the lines printed up to the listening line
	base   string   // http://127.0.0.1:port
	dir    string
	out    lineWriter
	cancel context.CancelFunc
	done   chan error
}

// startPortal starts run on 127.0.0.1:0 with a fresh database (MySQL when the tests have one) and
// waits for its "msg=listening" line.
func startPortal(t *testing.T, env map[string]string, extra ...string) *portal {
	t.Helper()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "portal.db")
	if os.Getenv(storetest.EnvMySQL) != "" {
		dsn = storetest.DSN(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &portal{dir: dir, out: lineWriter{lines: make(chan string, 1000)}, cancel: cancel, done: make(chan error, 1)}
	args := append([]string{"-addr", "127.0.0.1:0", "-dsn", dsn, "-key-file", filepath.Join(dir, "keys")}, extra...)
	go func() { p.done <- run(ctx, args, func(k string) string { return env[k] }, p.out) }()
	timeout := time.After(60 * time.Second)
	for p.base == "" {
		select {
		case l := <-p.out.lines:
			p.start = append(p.start, l)
			if _, a, ok := strings.Cut(l, " msg=listening url="); ok {
				p.base = strings.Fields(a)[0]
			}
		case err := <-p.done:
			t.Fatalf("run returned early: %v", err)
		case <-timeout:
			t.Fatal("no listening line")
		}
	}
	return p
}

// waitLine waits until run prints a line containing s.
func (p *portal) waitLine(t *testing.T, s string) {
	t.Helper()
	p.waitFor(t, s)
}

// waitFor waits until run prints a line containing s and returns it.
func (p *portal) waitFor(t *testing.T, s string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-p.out.lines:
			if strings.Contains(l, s) {
				return l
			}
		case <-timeout:
			t.Fatalf("no line containing %q", s)
		}
	}
}

// stopped waits for run to return after cancel and reports its error.
func (p *portal) stopped(t *testing.T) error {
	t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
	}
	return nil
}

func TestRunServesMigratesAndStops(t *testing.T) {
	p := startPortal(t, map[string]string{"AUXPORTAL_ADMIN_USER": "admin", "AUXPORTAL_ADMIN_PASSWORD": "Sea-kite-orchard-71"}, "-demo")
	base, dir := p.base, p.dir
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("healthz: %d %s", code, body)
	}
	if code, body := get("/api/v1/towns"); code != 200 || strings.Count(body, `"minimum"`) != 11 {
		t.Errorf("towns: %d %s", code, body)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "城市管理辅助人员（巡查岗）") {
		t.Errorf("home page without the demo opening: %d", code)
	}
	// The demo's closed opening is ready for proposals: five scored candidates, three tied at
	// 82.5 and ordered by the preference chain.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"district","password":"Haimen-demo-2026"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("demo admin login: %v %v", err, resp)
	}
	resp.Body.Close()
	resp, err = client.Get(base + "/api/v1/openings/2/ranking")
	if err != nil {
		t.Fatal(err)
	}
	var ranking struct {
		Rows []struct {
			Application struct{ Name string } `json:"application"`
		} `json:"rows"`
		CanPropose bool `json:"can_propose"`
	}
	err = json.NewDecoder(resp.Body).Decode(&ranking)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range ranking.Rows {
		order = append(order, r.Application.Name)
	}
	if got := strings.Join(order, ","); got != "李明,刘洋,陈强,王芳,赵磊" || !ranking.CanPropose {
		t.Errorf("demo ranking %s (can propose %v), want 李明,刘洋,陈强,王芳,赵磊 and proposals open", got, ranking.CanPropose)
	}

	fi, err := os.Stat(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	p.cancel()
	if err := p.stopped(t); err != nil {
		t.Errorf("run after stop: %v", err)
	}
}

// Threat: SIGTERM failing in-flight requests. A registration whose body is still arriving when
// the signal comes completes normally: stopping drains requests instead of cancelling them (their
// contexts no longer derive from the signal context), and run then returns nil.
func TestRun_SIGTERMDuringRequest_DrainsInsteadOfCancelling(t *testing.T) {
	p := startPortal(t, nil)
	host := strings.TrimPrefix(p.base, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"purpose":"register","phone":"13900000099"}`
	half := len(body) / 2
	// Expect: 100-continue makes the server say when the handler starts reading the body, so
	// the signal comes while the handler is running, not before the request reached it.
	fmt.Fprintf(conn, "POST /api/v1/verification-codes HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", host, len(body))
	br := bufio.NewReader(conn)
	req, _ := http.NewRequest("POST", p.base+"/api/v1/verification-codes", nil)
	cont, err := http.ReadResponse(br, req)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue, got %v %v", cont, err)
	}
	if _, err := io.WriteString(conn, body[:half]); err != nil {
		t.Fatal(err)
	}
	p.cancel() // what SIGTERM does to run's context
	p.waitLine(t, "shutting down")
	if _, err := io.WriteString(conn, body[half:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		t.Fatalf("the in-flight request was cut off: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("in-flight code request: %d %s, want 202", resp.StatusCode, b)
	}
	if err := p.stopped(t); err != nil {
		t.Errorf("run after stop: %v", err)
	}
}

func TestLoadKeysRefusesWorldReadableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	ks, err := loadKeys(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	again, err := loadKeys(path, func(string) string { return "" })
	if err != nil || again != ks {
		t.Fatalf("second load differs: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadKeys(path, func(string) string { return "" }); err == nil {
		t.Error("a world-readable key file was accepted")
	}
	if _, err := loadKeys(path, func(k string) string {
		if k == "AUXPORTAL_ID_KEY" {
			return "x"
		}
		return ""
	}); err == nil {
		t.Error("one key from the environment without the other was accepted")
	}
}

func TestParseConfigRejectsBadInput(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{{"-log-level", "loud"}, {"extra-arg"}, {"-no-such-flag"}} {
		if _, err := parseConfig(args, none, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	c, err := parseConfig(nil, func(k string) string {
		return map[string]string{"AUXPORTAL_ADDR": ":9999", "AUXPORTAL_RATE_LIMIT": "0"}[k]
	}, io.Discard)
	if err != nil || c.Addr != ":9999" || c.RateLimit || c.DSN != "sqlite:auxportal.db" {
		t.Errorf("env config: %+v %v", c, err)
	}
}

// A key file from before the permits gets a signing key added once, its other keys kept and its
// mode still 0600; keys from the environment need the permit key too.
func TestLoadKeysAddsThePermitKeyToAnOlderFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	old := `{"id_number_key":"` + strings.Repeat("A", 43) + `=","id_number_hash_key":"` + strings.Repeat("B", 43) + `="}`
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	ks, err := loadKeys(path, func(string) string { return "" })
	if err != nil || ks.PermitKey == "" || ks.IDKey != strings.Repeat("A", 43)+"=" {
		t.Fatalf("loaded %+v %v", ks, err)
	}
	if _, err := ks.signer(); err != nil {
		t.Errorf("signer: %v", err)
	}
	again, err := loadKeys(path, func(string) string { return "" })
	if err != nil || again != ks {
		t.Errorf("the added key was not kept: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	env := map[string]string{"AUXPORTAL_ID_KEY": ks.IDKey, "AUXPORTAL_ID_HASH_KEY": ks.IDHashKey}
	if _, err := loadKeys(path, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "AUXPORTAL_PERMIT_KEY") {
		t.Errorf("env keys without the permit key: %v", err)
	}
	env["AUXPORTAL_PERMIT_KEY"] = ks.PermitKey
	if got, err := loadKeys(path, func(k string) string { return env[k] }); err != nil || got != ks {
		t.Errorf("env keys: %+v %v", got, err)
	}
}

// SMTP from the environment or flags; a bad setting stops the start with a message, and without
// a host e-mail notices are simply off.
func TestSMTPConfig(t *testing.T) {
	env := map[string]string{"AUXPORTAL_SMTP_HOST": "smtp.haimen.example", "AUXPORTAL_SMTP_PORT": "465",
		"AUXPORTAL_SMTP_TLS": "tls", "AUXPORTAL_SMTP_USERNAME": "portal", "AUXPORTAL_SMTP_PASSWORD": "secret",
		"AUXPORTAL_SMTP_FROM": "海门区城市管理局 <noreply@haimen.example>", "AUXPORTAL_PUBLIC_URL": "https://rczp.haimen.example"}
	c, err := parseConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Host != "smtp.haimen.example" || c.SMTP.Port != 465 || c.SMTP.TLS != "tls" || c.SMTP.Username != "portal" ||
		c.SMTP.Password != "secret" || c.SMTP.PublicURL != "https://rczp.haimen.example" {
		t.Errorf("smtp config %+v", c.SMTP)
	}
	if _, err := parseConfig([]string{"-smtp-port", "smtp"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("a port that is no number was accepted")
	}
	var logs storetest.LogBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if _, _, err := newNotices(c, nil, nil, log); err != nil {
		t.Errorf("good SMTP config refused: %v", err)
	}
	if strings.Contains(logs.String(), "secret") {
		t.Error("the SMTP password was logged")
	}
	for _, bad := range []func(*Config){
		func(c *Config) { c.SMTP.From = "" },
		func(c *Config) { c.SMTP.TLS = "ssl" },
		func(c *Config) { c.SMTP.TLS, c.SMTP.Port = "none", 25 }, // a password in clear text to another host
	} {
		cc := c
		bad(&cc)
		if _, _, err := newNotices(cc, nil, nil, log); err == nil {
			t.Errorf("bad SMTP config accepted: %+v", cc.SMTP)
		}
	}
	off, dev, err := newNotices(Config{}, nil, nil, log)
	if err != nil || off.Configured("email") {
		t.Errorf("no host: %v, e-mail configured %v", err, off.Configured("email"))
	}
	// Without a webhook, SMS goes to the development sender, which the pages then mention.
	if !dev || !off.Configured("sms") {
		t.Errorf("no webhook: dev sender %v, sms configured %v", dev, off.Configured("sms"))
	}
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"-sms-dev-show-text"}, false}, // codes in a production log
		{[]string{"-demo", "-sms-dev-show-text"}, true},
		{[]string{"-demo", "-sms-dev-show-text", "-sms-webhook", "https://sms.example/send"}, false},
	} {
		if _, err := parseConfig(c.args, func(string) string { return "" }, io.Discard); (err == nil) != c.ok {
			t.Errorf("%v: err %v, want ok %v", c.args, err, c.ok)
		}
	}
	if _, _, err := newNotices(Config{SMS: SMSConfig{Webhook: "http://sms.example/send"}}, nil, nil, log); err == nil {
		t.Error("a webhook over plain http to another host was accepted")
	}
}

// The first minutes: every line is a slog line in one format; with -demo the log names the URL
// and the demo logins; without -demo and without an admin it says nobody can sign in and how
// to create the first admin.
func TestRun_FirstMinutes_LogsSayWhatToDo(t *testing.T) {
	bare := startPortal(t, nil)
	joined := strings.Join(bare.start, "\n")
	if !strings.Contains(joined, "level=WARN msg=\"nobody can sign in") || !strings.Contains(joined, "-admin-user NAME -admin-password PASSWORD") {
		t.Errorf("no warning that nobody can sign in:\n%s", joined)
	}
	bare.cancel()
	if err := bare.stopped(t); err != nil {
		t.Fatal(err)
	}

	demo := startPortal(t, nil, "-demo")
	ready := demo.waitFor(t, "msg=\"demo ready")
	for _, want := range []string{"url=http://127.0.0.1:", "password=Haimen-demo-2026", "district (区城管局)", "13800000001 (报名人员)"} {
		if !strings.Contains(ready, want) {
			t.Errorf("the demo line %q has no %q", ready, want)
		}
	}
	for _, l := range append(demo.start, ready) {
		if !strings.HasPrefix(l, "time=") || !strings.Contains(l, " level=") || !strings.Contains(l, " msg=") {
			t.Errorf("not a slog line: %q", l)
		}
		if strings.Contains(l, "nobody can sign in") {
			t.Errorf("the demo warns that nobody can sign in: %q", l)
		}
	}
	demo.cancel()
	if err := demo.stopped(t); err != nil {
		t.Fatal(err)
	}
}

func TestBrowseURL(t *testing.T) {
	for in, want := range map[string]string{"[::]:8080": "http://localhost:8080", "0.0.0.0:80": "http://localhost:80",
		"127.0.0.1:18105": "http://127.0.0.1:18105"} {
		a, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := browseURL(a); got != want {
			t.Errorf("browseURL(%s) = %s, want %s", in, got, want)
		}
	}
}
