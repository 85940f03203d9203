// Package loadkit is what the load tests of bench/ share: an HTTP client that records each
// request's latency and outcome, percentiles and Markdown tables, building and starting the
// real portal binary (with an optional pprof overlay), fresh MariaDB databases, and CPU time
// per process from /proc.
package loadkit

import (
	"bufio"
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/go-sql-driver/mysql" // creates and drops the run's MariaDB database
)

//go:embed pprof_overlay.go.txt
var pprofOverlay []byte

// ModuleRoot finds the directory of the auxportal go.mod.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the storm inside the auxportal module (or pass -portal-bin)")
	}
	return filepath.Dir(mod), nil
}

// BuildPortal builds cmd/auxportal into dir; with profiling, a file serving pprof is overlaid
// into package main (the portal's source is not touched).
func BuildPortal(ctx context.Context, dir string, profiling bool) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "auxportal")
	args := []string{"build", "-o", bin}
	if profiling {
		src := filepath.Join(dir, "zz_bench_pprof.go")
		if err := os.WriteFile(src, pprofOverlay, 0o644); err != nil {
			return "", err
		}
		ov, _ := json.Marshal(map[string]map[string]string{"Replace": {
			filepath.Join(root, "cmd", "auxportal", "zz_bench_pprof.go"): src,
		}})
		ovFile := filepath.Join(dir, "overlay.json")
		if err := os.WriteFile(ovFile, ov, 0o644); err != nil {
			return "", err
		}
		args = append(args, "-overlay", ovFile)
	}
	args = append(args, "./cmd/auxportal")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// portal is a running portal the storm started.
type Portal struct {
	URL      string
	PprofURL string // "" unless built for profiling
	DSN      string // the Portal's -dsn, for verification
	Cmd      *exec.Cmd
	LogPath  string
	done     chan error
}

// StartPortal runs bin on a free loopback port on dsn, without per-IP rate limits (every
// simulated user comes from 127.0.0.1), logging warnings to dir/portal.log; extra are more
// flags (the registration storm passes -demo for its opening).
func StartPortal(ctx context.Context, bin, dir, dsn string, profiling bool, extra ...string) (*Portal, error) {
	logPath := filepath.Join(dir, "portal.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-dsn", dsn, "-key-file", filepath.Join(dir, "portal.keys"),
		"-rate-limit=false", "-log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	if profiling {
		cmd.Env = append(cmd.Env, "AUXPORTAL_BENCH_PPROF=127.0.0.1:0")
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start portal: %w", err)
	}
	p := &Portal{DSN: dsn, Cmd: cmd, LogPath: logPath, done: make(chan error, 1)}
	found := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		announced := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case !announced && strings.HasPrefix(line, "bench pprof on "):
				p.PprofURL = strings.TrimPrefix(line, "bench pprof on ")
			case !announced && strings.Contains(line, " msg=listening url="):
				_, u, _ := strings.Cut(line, " url=")
				p.URL = strings.Fields(u)[0]
				announced = true
				found <- nil
			default:
				fmt.Fprintln(logf, line)
			}
		}
		if !announced {
			found <- errors.New("portal exited before listening")
		}
		p.done <- cmd.Wait()
		logf.Close()
	}()
	select {
	case err := <-found:
		if err != nil {
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("%w; its log:\n%s", err, Tail(string(log), 2000))
		}
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		return nil, errors.New("portal did not start within 2 minutes")
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		return nil, ctx.Err()
	}
	return p, nil
}

// Stop asks the portal to shut down gracefully, then waits.
func (p *Portal) Stop() error {
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		_ = p.Cmd.Process.Kill()
		return errors.New("portal did not stop within 30s; killed")
	}
}

// Profile starts or stops the portal's CPU profile (profiling builds only).
func (p *Portal) Profile(action, file string) error {
	if p == nil || p.PprofURL == "" {
		return nil
	}
	u := p.PprofURL + "/bench/cpu/" + action
	if file != "" {
		u += "?file=" + url.QueryEscape(file)
	}
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("profile %s: %s: %s", action, resp.Status, b)
	}
	return nil
}

// CreateMySQLDB makes a fresh database on the server of base (a go-sql-driver DSN such as
// root@tcp(127.0.0.1:3306)/) and returns the portal's DSN for it and a function dropping it.
// The database is named prefix_<time>_<pid> (prefix "auxbench" when empty), so engineers sharing one
// server never meet each other's.
func CreateMySQLDB(ctx context.Context, base, prefix string) (string, func() error, error) {
	server, query, _ := strings.Cut(base, "?")
	i := strings.LastIndex(server, "/")
	if i < 0 {
		return "", nil, fmt.Errorf("-mysql %q: want a DSN like root@tcp(127.0.0.1:3306)/", base)
	}
	adminDSN := server[:i+1]
	if query != "" {
		adminDSN += "?" + query
	}
	db, err := sql.Open("mysql", adminDSN)
	if err != nil {
		return "", nil, err
	}
	defer db.Close()
	if prefix == "" {
		prefix = "auxbench"
	}
	name := fmt.Sprintf("%s_%s_%d", prefix, time.Now().UTC().Format("20060102150405"), os.Getpid())
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return "", nil, fmt.Errorf("create database on %s: %w", server[:i+1], err)
	}
	drop := func() error {
		db, err := sql.Open("mysql", adminDSN)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec("DROP DATABASE IF EXISTS " + name)
		return err
	}
	dsn := "mysql:" + server[:i+1] + name
	if query != "" {
		dsn += "?" + query
	}
	return dsn, drop, nil
}

func Tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// CPUClock reads the CPU time (user+system) of processes from /proc, to show how the two cores
// are shared between the portal, the database server, the storm itself and anything else. With
// SQLite the database is inside the portal; a MariaDB server is then counted as "other".
type CPUClock struct {
	Pids  map[string]int // label → pid
	ticks float64
}

func NewCPUClock(portalPID int, withDB bool) *CPUClock {
	c := &CPUClock{Pids: map[string]int{"storm": os.Getpid()}, ticks: 100}
	if portalPID > 0 {
		c.Pids["portal"] = portalPID
	}
	if pid := FindProcess("mariadbd", "mysqld"); pid > 0 && withDB {
		c.Pids["database"] = pid
	}
	return c
}

// Sample returns each process's CPU seconds so far.
func (c *CPUClock) Sample() map[string]float64 {
	out := map[string]float64{}
	for label, pid := range c.Pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command name (which is in parentheses and may hold spaces).
		s := string(b)
		j := strings.LastIndexByte(s, ')')
		if j < 0 {
			continue
		}
		f := strings.Fields(s[j+1:])
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		out[label] = (ut + st) / c.ticks
	}
	// The whole machine: busy time from /proc/stat, so other load on a shared machine shows.
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		if len(f) > 8 && f[0] == "cpu" {
			busy := 0.0
			for i, v := range f[1:] {
				if i == 3 || i == 4 { // idle, iowait
					continue
				}
				x, _ := strconv.ParseFloat(v, 64)
				busy += x
			}
			out["machine"] = busy / c.ticks
		}
	}
	return out
}

func FindProcess(names ...string) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil {
			continue
		}
		comm := strings.TrimSpace(string(b))
		for _, n := range names {
			if comm == n {
				return pid
			}
		}
	}
	return 0
}

// ProcStatusMiB reads a memory field of /proc/PID/status ("VmRSS:", "VmHWM:") in MiB, or 0.
func ProcStatusMiB(pid int, field string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// Parallel runs fn(worker) on n goroutines and waits.
func Parallel(n int, fn func(w int)) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { fn(w) })
	}
	wg.Wait()
}

// CPUModel is the machine's CPU, for the report.
func CPUModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// WaitIdle waits until the machine's CPUs were under 15% busy for 5 s, or for at most d. It
// returns the last busy fraction and whether it got idle.
func WaitIdle(ctx context.Context, d time.Duration) (float64, bool) {
	c := NewCPUClock(0, false)
	deadline := time.Now().Add(d)
	busy := 1.0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		before := c.Sample()["machine"]
		time.Sleep(5 * time.Second)
		busy = (c.Sample()["machine"] - before) / 5 / float64(runtime.NumCPU())
		if busy < 0.15 {
			return busy, true
		}
	}
	return busy, false
}

// RedactDSN hides a password in a DSN for the log.
func RedactDSN(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn[:i], ":"); j >= 0 && strings.HasPrefix(dsn, "mysql:") {
			if k := strings.Index(dsn[j+1:i], ":"); k >= 0 {
				return dsn[:j+1+k] + ":***" + dsn[i:]
			}
		}
	}
	return dsn
}
