package main

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

// kindStats collects the outcomes of one kind of request in one phase.
type kindStats struct {
	Name  string
	Phase string

	mu        sync.Mutex
	lat       []time.Duration
	ok        int
	status    map[int]int // unexpected statuses
	transport int         // requests with no HTTP answer
	samples   []string    // the first few error descriptions
}

// record adds one request's outcome. status 0 with err != nil is a transport error; a
// status that is not expected is an error.
func (k *kindStats) record(d time.Duration, status int, expected bool, desc string) {
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
	if len(k.samples) < 5 {
		k.samples = append(k.samples, desc)
	}
}

func (k *kindStats) count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.lat)
}

func (k *kindStats) errors() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := k.transport
	for _, v := range k.status {
		n += v
	}
	return n
}

// summary is a kindStats reduced to its figures.
type summary struct {
	Name, Phase   string
	Count, OK     int
	PerSec        float64
	P50, P95, P99 time.Duration
	Max           time.Duration
	Errors        int
	Breakdown     string
	Samples       []string
}

func (k *kindStats) summarize(wall time.Duration) summary {
	k.mu.Lock()
	defer k.mu.Unlock()
	lat := slices.Clone(k.lat)
	slices.Sort(lat)
	s := summary{Name: k.Name, Phase: k.Phase, Count: len(lat), OK: k.ok, Samples: slices.Clone(k.samples)}
	if wall > 0 {
		s.PerSec = float64(len(lat)) / wall.Seconds()
	}
	if len(lat) > 0 {
		s.P50, s.P95, s.P99, s.Max = pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[len(lat)-1]
	}
	var parts []string
	if k.transport > 0 {
		parts = append(parts, fmt.Sprintf("transport: %d", k.transport))
		s.Errors += k.transport
	}
	for _, st := range slices.Sorted(maps.Keys(k.status)) {
		label := strconv.Itoa(st)
		if st == wrongAnswer {
			label = "wrong answer"
		}
		parts = append(parts, fmt.Sprintf("%s: %d", label, k.status[st]))
		s.Errors += k.status[st]
	}
	s.Breakdown = strings.Join(parts, ", ")
	return s
}

// pct is the p-th percentile (nearest rank) of sorted durations.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string {
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

// writeTable prints the per-kind figures as a Markdown table.
func writeTable(w io.Writer, rows []summary) {
	fmt.Fprintln(w, "| phase | kind | count | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		errs := "0"
		if r.Errors > 0 {
			errs = fmt.Sprintf("**%d** (%s)", r.Errors, r.Breakdown)
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.0f | %s | %s | %s | %s | %s |\n",
			r.Phase, r.Name, r.Count, r.PerSec, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), errs)
	}
}

func numCPU() int { return runtime.NumCPU() }
