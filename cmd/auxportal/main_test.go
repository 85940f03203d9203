package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
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

func TestRunServesMigratesAndStops(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "portal.db")
	if os.Getenv(storetest.EnvMySQL) != "" {
		dsn = storetest.DSN(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := lineWriter{lines: make(chan string, 1000)}
	env := map[string]string{"AUXPORTAL_ADMIN_USER": "admin", "AUXPORTAL_ADMIN_PASSWORD": "a-long-password"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-dsn", dsn, "-key-file", filepath.Join(dir, "keys"), "-demo"},
			func(k string) string { return env[k] }, out)
	}()
	var base string
	timeout := time.After(60 * time.Second)
	for base == "" {
		select {
		case l := <-out.lines:
			if a, ok := strings.CutPrefix(l, "listening on "); ok {
				base = a
			}
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		case <-timeout:
			t.Fatal("no listening line")
		}
	}
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
	resp, err := client.Post(base+"/api/v1/session", "application/json", strings.NewReader(`{"username":"district","password":"demo12345"}`))
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
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after stop: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop")
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
