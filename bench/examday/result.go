package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"auxportal/bench/loadkit"
)

// result is one database's run.
type result struct {
	db          string
	r           *rehearsal
	ceiling     *loadkit.KindStats
	ceilingWall time.Duration
	ceilingCPU  float64 // the bench process (handler and its client) during the ceiling run
	v           verification
	peakRSS     float64
	portalLog   string
}

// The targets.
const (
	targetSaves  = 4000.0
	targetStarts = 1000.0
	targetP99    = 50 * time.Millisecond
	targetRatio  = 0.5
)

func (res *result) errors() int {
	n := 0
	for _, ph := range res.r.phases {
		for _, k := range ph.Kinds {
			n += k.Errors()
		}
	}
	return n + res.ceiling.Errors()
}

func (res *result) failed() bool {
	return res.errors() > 0 || res.v.Lost > 0 || res.v.Extra > 0 || res.v.HandInsBad > 0 ||
		res.r.resumeBad.Load() > 0 || res.r.keyLeaks.Load() > 0
}

// find is the summary of the kind named name in the phase starting with prefix.
func (res *result) find(prefix, name string) (loadkit.Summary, *phase) {
	for _, ph := range res.r.phases {
		if strings.HasPrefix(ph.Name, prefix) {
			for _, k := range ph.Kinds {
				if k.Name == name {
					return k.Summarize(ph.Wall), ph
				}
			}
		}
	}
	return loadkit.Summary{}, nil
}

func (res *result) write(w io.Writer, cfg config) {
	r := res.r
	fmt.Fprintf(w, "### %s\n\n", res.db)
	var rows []loadkit.Summary
	for _, ph := range r.phases {
		for _, k := range ph.Kinds {
			if k.Count() > 0 {
				rows = append(rows, k.Summarize(ph.Wall))
			}
		}
	}
	rows = append(rows, res.ceiling.Summarize(res.ceilingWall))
	loadkit.WriteTable(w, rows)
	fmt.Fprintln(w, "\nreq/s is over the phase's wall time; in phase 4 that is the whole answering time, so hand-ins/s there is diluted (they all come in the last minute).")

	fmt.Fprintln(w, "\n| phase | wall s | requests | portal CPU s | portal CPU ms/request | database CPU s | bench CPU s | machine busy |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, ph := range r.phases {
		n := 0
		for _, k := range ph.Kinds {
			n += k.Count()
		}
		perReq := 0.0
		if n > 0 {
			perReq = ph.CPU["portal"] / float64(n) * 1000
		}
		busy := ph.CPU["machine"] / ph.Wall.Seconds() / float64(loadkit.NumCPU())
		fmt.Fprintf(w, "| %s | %.1f | %d | %.1f | %.3f | %.1f | %.1f | %.0f%% |\n", ph.Name, ph.Wall.Seconds(), n,
			ph.CPU["portal"], perReq, ph.CPU["database"], ph.CPU["storm"], busy*100)
	}
	cn := res.ceiling.Count()
	if cn > 0 {
		fmt.Fprintf(w, "| ceiling (handler + client in the bench) | %.1f | %d | – | %.3f (bench process) | – | %.1f | – |\n",
			res.ceilingWall.Seconds(), cn, res.ceilingCPU/float64(cn)*1000, res.ceilingCPU)
	}

	starts, _ := res.find("2", "start (paper load)")
	saves, _ := res.find("3", "autosave")
	ceil := res.ceiling.Summarize(res.ceilingWall)
	ratio := 0.0
	if ceil.PerSec > 0 {
		ratio = saves.PerSec / ceil.PerSec
	}
	v := res.v
	fmt.Fprintf(w, "\nVerification in the database: %d acknowledged answers, **lost = %d**, stored but never acknowledged = %d, outcome unknown (no HTTP answer) = %d; hand-ins acknowledged %d, **not stored with their receipt = %d**; resumed sessions missing an acknowledged answer = %d; responses carrying a key = %d; hand-ins outside the last %s = %d.\n",
		v.Acked, v.Lost, v.Extra, v.Unknown, v.HandedIn, v.HandInsBad, r.resumeBad.Load(), r.keyLeaks.Load(), cfg.SubmitWindow, r.submitLate.Load())
	for _, p := range v.Problems {
		fmt.Fprintf(w, "- %s\n", p)
	}
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	fmt.Fprintf(w, "\nTargets: errors %d (0: %s); lost %d (0: %s); all %d started within %.1f s (≤ %s: %s); starts %.0f/s at %d clients (≥ %.0f: %s); autosaves %.0f/s at %d clients (≥ %.0f: %s), p99 %s ms (< %s ms: %s); autosave/ceiling = %.0f / %.0f = **%.2f** (≥ %.2f: %s). Portal peak RSS %.0f MiB.\n",
		res.errors(), mark(res.errors() == 0), v.Lost, mark(v.Lost == 0), starts.Count, r.startSpan.Seconds(), cfg.Ramp, mark(r.startSpan <= cfg.Ramp),
		starts.PerSec, cfg.C, targetStarts, mark(starts.PerSec >= targetStarts),
		saves.PerSec, cfg.C, targetSaves, mark(saves.PerSec >= targetSaves), loadkit.Ms(saves.P99), loadkit.Ms(targetP99), mark(saves.P99 < targetP99),
		saves.PerSec, ceil.PerSec, ratio, targetRatio, mark(ratio >= targetRatio), res.peakRSS)
	var samples []string
	for _, row := range rows {
		for _, s := range row.Samples {
			samples = append(samples, row.Phase+" / "+row.Name+": "+s)
		}
	}
	if len(samples) > 0 {
		fmt.Fprintln(w, "\nFirst errors:")
		for _, s := range samples[:min(len(samples), 10)] {
			fmt.Fprintf(w, "- %s\n", s)
		}
	}
	if len(r.profiles) > 0 {
		fmt.Fprintf(w, "\nProfiles: %s\n", strings.Join(slices.Clone(r.profiles), ", "))
	}
	if res.portalLog != "" && res.failed() {
		fmt.Fprintf(w, "\nPortal log (tail):\n\n```\n%s\n```\n", res.portalLog)
	}
	fmt.Fprintln(w)
}
