package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"auxportal/models/storetest"
)

// The binary is built once per test process, into a directory TestMain removes.
var (
	buildOnce sync.Once
	buildDir  string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// moduleRoot is the directory of go.mod, asked of the go command (the test runs in ./e2e).
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

// portalBinary builds ./cmd/auxportal once and returns its path.
func portalBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		if buildDir, err = os.MkdirTemp("", "auxportal-e2e-"); err != nil {
			buildErr = err
			return
		}
		touchSources(root)
		binPath = filepath.Join(buildDir, "auxportal")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/auxportal")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/auxportal: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// touchSources opens every file the portal is built from. The go command caches test results
// by the files a test opens; the portal is built by a child process it cannot see, so without
// this a change to the portal would leave a stale "ok (cached)" for these tests.
func touchSources(root string) {
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "e2e" || name == "bench" || name == "docs") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".html", ".css", ".js", ".mod", ".sum":
			if f, err := os.Open(path); err == nil {
				_, _ = io.Copy(io.Discard, f)
				f.Close()
			}
		}
		return nil
	})
}

// portal is a running auxportal process.
type portal struct {
	URL string // http://127.0.0.1:PORT, no trailing slash
	DSN string

	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}

	mu    sync.Mutex
	codes map[string]int // codes read per phone number so far
}

var smsCodeRE = regexp.MustCompile(`验证码为 ([0-9]{6})`)

// lastCode is the code last texted to phone (one code may be typed again after an error).
func (p *portal) lastCode(t *testing.T, phone string) string {
	t.Helper()
	var last string
	for _, line := range strings.Split(p.out.String(), "\n") {
		if strings.Contains(line, "to="+phone) && strings.Contains(line, "sms (development") {
			if m := smsCodeRE.FindStringSubmatch(line); m != nil {
				last = m[1]
			}
		}
	}
	if last == "" {
		t.Fatalf("no code texted to %s", phone)
	}
	return last
}

// code waits for the next verification code texted to phone (the development sender logs the
// text with -sms-dev-show-text) and returns it.
func (p *portal) code(t *testing.T, phone string) string {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.codes == nil {
		p.codes = map[string]int{}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var found []string
		for _, line := range strings.Split(p.out.String(), "\n") {
			if strings.Contains(line, "to="+phone) && strings.Contains(line, "sms (development") {
				if m := smsCodeRE.FindStringSubmatch(line); m != nil {
					found = append(found, m[1])
				}
			}
		}
		if len(found) > p.codes[phone] {
			p.codes[phone] = len(found)
			return found[len(found)-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new code texted to %s within 30 s", phone)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// databaseDSN is a fresh database for the test: a MySQL/MariaDB database when
// AUXPORTAL_TEST_MYSQL_DSN is set (created now, dropped after the test), else a SQLite file.
func databaseDSN(t *testing.T) string {
	if os.Getenv(storetest.EnvMySQL) != "" {
		return storetest.DSN(t)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "e2e.db")
}

// startPortal starts the real binary on a free loopback port with the demo data and any extra
// flags, and stops it (SIGTERM, then a kill after 15 s) when the test ends. Its output is logged
// if the test fails.
func startPortal(t *testing.T, extra ...string) *portal {
	t.Helper()
	bin := portalBinary(t)
	dir := t.TempDir()
	p := &portal{DSN: databaseDSN(t), out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin,
		"-addr", "127.0.0.1:0",
		"-dsn", p.DSN,
		"-key-file", filepath.Join(dir, "keys"),
		"-demo",
		"-sms-dev-show-text", // the development SMS sender logs each text: the tests read the codes there
		"-rate-limit=false",
		"-log-level", "warn",
	)
	p.cmd.Args = append(p.cmd.Args, extra...)
	p.cmd.Env = cleanEnv()
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start portal: %v", err)
	}
	addr := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.out, line)
			if u, ok := listenURL(line); ok && !sent {
				addr <- u
				sent = true
			}
		}
		_, _ = io.Copy(p.out, stdout)
		_ = p.cmd.Wait()
	}()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			t.Logf("portal output:\n%s", p.out.String())
		}
	})
	select {
	case p.URL = <-addr:
	case <-p.done:
		t.Fatalf("portal exited before listening:\n%s", p.out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("portal did not print its address within 60s:\n%s", p.out.String())
	}
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Fatalf("unexpected address %q", p.URL)
	}
	kind, _, _ := strings.Cut(p.DSN, ":")
	t.Logf("portal listening on %s, database %s", p.URL, kind)
	return p
}

// cleanEnv is the test's environment without AUXPORTAL_* settings, so a developer's shell
// cannot change what the portal under test does; the flags say everything.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AUXPORTAL_") {
			env = append(env, kv)
		}
	}
	return env
}

func (p *portal) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if st := p.cmd.ProcessState; st != nil && !st.Success() {
			t.Errorf("portal exited with %v after SIGTERM", st)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("portal did not stop within 15s of SIGTERM; killing it")
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// getJSON fetches a JSON document from the portal.
func (p *portal) getJSON(t *testing.T, path string, into any) {
	t.Helper()
	resp, err := http.Get(p.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, into); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// TestPortalStartsAndStops checks the process contract the other tests rely on: the portal
// prints its address, serves /healthz, and exits cleanly on SIGTERM.
func TestPortalStartsAndStops(t *testing.T) {
	p := startPortal(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %s", resp.Status)
	}
	p.stop(t)
	if st := p.cmd.ProcessState; st == nil || !st.Success() {
		t.Fatalf("portal did not exit cleanly: %v\n%s", st, p.out.String())
	}
}

// listenURL reads the portal's "msg=listening url=http://…" log line.
func listenURL(line string) (string, bool) {
	if !strings.Contains(line, " msg=listening ") {
		return "", false
	}
	_, u, ok := strings.Cut(line, " url=")
	f := strings.Fields(u)
	if !ok || len(f) == 0 {
		return "", false
	}
	return f[0], true
}
