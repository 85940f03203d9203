package loadkit

import (
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// KindStats collects the outcomes of one kind of request in one phase.
type KindStats struct {
	Name  string
	Phase string

	mu        sync.Mutex
	lat       []time.Duration
	ok        int
	status    map[int]int // unexpected statuses
	transport int         // requests with no HTTP answer
	Samples   []string    // the first few error descriptions
}

// Record adds one request's outcome. status 0 with err != nil is a transport error; a
// status that is not expected is an error.
func (k *KindStats) Record(d time.Duration, status int, expected bool, desc string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lat = append(k.lat, d)
	switch {
	case status == 0:
		k.transport++
	case !expected:
		if k.status == nil {
			k.status = map[int]int{}
		}
		k.status[status]++
	default:
		k.ok++
		return
	}
	if len(k.Samples) < 5 {
		k.Samples = append(k.Samples, desc)
	}
}

func (k *KindStats) Count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.lat)
}

func (k *KindStats) Errors() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := k.transport
	for _, v := range k.status {
		n += v
	}
	return n
}

// Summary is a KindStats reduced to its figures.
type Summary struct {
	Name, Phase   string
	Count, OK     int
	PerSec        float64
	P50, P95, P99 time.Duration
	Max           time.Duration
	Errors        int
	Breakdown     string
	Samples       []string
}

func (k *KindStats) Summarize(wall time.Duration) Summary {
	k.mu.Lock()
	defer k.mu.Unlock()
	lat := slices.Clone(k.lat)
	slices.Sort(lat)
	s := Summary{Name: k.Name, Phase: k.Phase, Count: len(lat), OK: k.ok, Samples: slices.Clone(k.Samples)}
	if wall > 0 {
		s.PerSec = float64(len(lat)) / wall.Seconds()
	}
	if len(lat) > 0 {
		s.P50, s.P95, s.P99, s.Max = Pct(lat, 50), Pct(lat, 95), Pct(lat, 99), lat[len(lat)-1]
	}
	var parts []string
	if k.transport > 0 {
		parts = append(parts, fmt.Sprintf("transport: %d", k.transport))
		s.Errors += k.transport
	}
	for _, st := range slices.Sorted(maps.Keys(k.status)) {
		label := strconv.Itoa(st)
		if st == WrongAnswer {
			label = "wrong answer"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", label, k.status[st]))
		s.Errors += k.status[st]
	}
	s.Breakdown = strings.Join(parts, ", ")
	return s
}

// Pct is the p-th percentile (nearest rank) of sorted durations.
func Pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func Ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f", float64(d)/1e6)
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1f", float64(d)/1e6)
	}
	return fmt.Sprintf("%.0f", float64(d)/1e6)
}

// WriteTable prints the per-kind figures as a Markdown table.
func WriteTable(w io.Writer, rows []Summary) {
	fmt.Fprintln(w, "| phase | kind | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		errs := "0"
		if r.Errors > 0 {
			errs = fmt.Sprintf("**%d** (%s)", r.Errors, r.Breakdown)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.0f | %s | %s | %s | %s | %s |\n",
			r.Phase, r.Name, r.Count, r.PerSec, Ms(r.P50), Ms(r.P95), Ms(r.P99), Ms(r.Max), errs)
	}
}

func NumCPU() int { return runtime.NumCPU() }
