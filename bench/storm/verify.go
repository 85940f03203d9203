package main

import (
	"auxportal/bench/loadkit"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"auxportal/models"
)

// result is one run's figures.
type result struct {
	db            string
	phases        []*phase
	baseline      map[uint64]bool // the opening's applications before the mixed phase
	profiles      []string
	created       atomic.Int64 // applications acknowledged with 201 in the mixed phase
	portalLog     string
	portalLogDup  int // GORM's log lines for expected duplicate-key errors
	portalSlow    int // GORM's slow-SQL warnings
	portalSlowTop []string
	peakRSS       float64 // the portal's peak resident memory, MiB
	backlog       int64   // files in quarantine when the mixed phase ended
	v             verification
}

// verification is what the storm found stored afterwards.
type verification struct {
	Acked      int // applications acknowledged with 201
	Unanswered int // applications whose request got no HTTP answer (outcome unknown)
	NotReached int // signed-in applicants who never applied (the mixed phase hit -max-duration)
	APIRows    int // new applications the admin API lists
	Lost       int // acknowledged but not stored
	Duplicated int // stored more than once for one applicant (or acknowledged twice)
	Orphaned   int // stored although the applicant never got a 201
	Foreign    int // new rows of applicants this storm did not create (only with -url)
	DBChecked  bool
	DBRows     int
	Incomplete int // acknowledged applications without exactly their photo, diploma and events
	// Files of acknowledged applications: sanitised (ready), and claimed by a worker more than
	// once (a lease taken over: decoded twice) — the quarantine's "once".
	Files, Sanitized, Reclaimed int
	Problems                    []string
}

func (v *verification) problem(format string, a ...any) {
	if len(v.Problems) < 10 {
		v.Problems = append(v.Problems, fmt.Sprintf(format, a...))
	}
}

// adminToken signs the district admin in (once).
func (s *storm) adminToken(ctx context.Context) (string, error) {
	k := &loadkit.KindStats{Name: "admin"}
	r := s.c.PostJSON(ctx, k, "/api/v1/session",
		loadkit.MustJSON(map[string]string{"username": s.cfg.AdminUser, "password": s.cfg.AdminPass}), "", nil, 200)
	if r.Token == "" {
		return "", fmt.Errorf("admin login as %q failed: %v", s.cfg.AdminUser, k.Samples)
	}
	return r.Token, nil
}

// adminList returns the ids of the opening's applications, as the district admin sees them.
func (s *storm) adminList(ctx context.Context) (map[uint64]bool, error) {
	tok, err := s.adminToken(ctx)
	if err != nil {
		return nil, err
	}
	k := &loadkit.KindStats{Name: "admin list"}
	var l summaries
	r := s.c.Do(ctx, k, "GET", fmt.Sprintf("/api/v1/openings/%d/applications", s.cfg.Opening), "", nil, tok,
		func(b []byte) bool { return json.Unmarshal(b, &l) == nil }, 200)
	if r.Status != 200 || k.Errors() > 0 {
		return nil, fmt.Errorf("list applications: %v", k.Samples)
	}
	ids := map[uint64]bool{}
	for _, a := range l.Applications {
		if ids[a.ID] {
			return nil, fmt.Errorf("application %d listed twice", a.ID)
		}
		ids[a.ID] = true
	}
	return ids, nil
}

// verify checks that every acknowledged application is stored exactly once: through the admin
// API, and in the database when dsn is known.
func (s *storm) verify(ctx context.Context, dsn string) {
	v := &s.res.v
	acked := map[uint64]*person{}
	byPhone := map[string]*person{}
	for _, p := range s.people {
		byPhone[p.Phone] = p
		if id := p.appID.Load(); id != 0 {
			if q := acked[id]; q != nil {
				v.Duplicated++
				v.problem("application %d acknowledged to two applicants (%s, %s)", id, q.Phone, p.Phone)
			}
			acked[id] = p
		}
		switch {
		case p.token == "" || p.appID.Load() != 0:
		case !p.attempted:
			v.NotReached++
		case !p.answered:
			v.Unanswered++
		}
		if len(p.extraIDs) > 0 {
			v.Duplicated += len(p.extraIDs)
			v.problem("applicant %s got 201 twice: %v", p.Phone, p.extraIDs)
		}
	}
	v.Acked = len(acked)

	// Through the API.
	rows, err := s.adminList(ctx)
	if err != nil {
		v.problem("admin list after the storm: %v", err)
		return
	}
	for id := range acked {
		if !rows[id] {
			v.Lost++
			v.problem("application %d (%s) acknowledged but not listed", id, acked[id].Phone)
		}
	}
	tok, err := s.adminToken(ctx)
	if err != nil {
		v.problem("%v", err)
		return
	}
	for id := range rows {
		if s.res.baseline[id] {
			continue
		}
		v.APIRows++
		if acked[id] != nil {
			continue
		}
		// A stored application nobody was told about: whose is it?
		k := &loadkit.KindStats{Name: "admin detail"}
		var d struct {
			Phone string `json:"phone"`
		}
		s.c.Do(ctx, k, "GET", "/api/v1/admin/applications/"+strconv.FormatUint(id, 10), "", nil, tok,
			func(b []byte) bool { return json.Unmarshal(b, &d) == nil }, 200)
		switch p := byPhone[d.Phone]; {
		case d.Phone == "":
			v.problem("application %d: admin detail failed: %v", id, k.Samples)
		case p == nil:
			v.Foreign++
		case p.appID.Load() != 0 || slices.Contains(p.extraIDs, id):
			if !slices.Contains(p.extraIDs, id) {
				v.Duplicated++
			}
			v.problem("applicant %s has application %d stored besides %d", p.Phone, id, p.appID.Load())
		default:
			v.Orphaned++
			v.problem("application %d of %s stored, but its request got no 201", id, p.Phone)
		}
	}

	// In the database.
	if dsn == "" {
		return
	}
	st, err := models.Open(ctx, dsn, nil)
	if err != nil {
		v.problem("open the database: %v", err)
		return
	}
	defer st.Close()
	apps, err := st.ListApplications(ctx, models.ApplicationFilter{OpeningID: &s.cfg.Opening})
	if err != nil {
		v.problem("list applications in the database: %v", err)
		return
	}
	v.DBChecked = true
	perPhone := map[string][]uint64{}
	perHash := map[string]int{}
	inDB := map[uint64]bool{}
	for _, a := range apps {
		if byPhone[a.Phone] == nil {
			continue
		}
		v.DBRows++
		inDB[a.ID] = true
		perPhone[a.Phone] = append(perPhone[a.Phone], a.ID)
		perHash[a.IDHash]++
	}
	dbDup := 0
	for phone, ids := range perPhone {
		if len(ids) > 1 {
			dbDup += len(ids) - 1
			v.problem("database: applicant %s has %d applications: %v", phone, len(ids), ids)
		}
	}
	for h, n := range perHash {
		if n > 1 && dbDup == 0 {
			v.problem("database: one ID number (hash %.8s…) has %d applications", h, n)
			dbDup += n - 1
		}
	}
	v.Duplicated = max(v.Duplicated, dbDup)
	for id, p := range acked {
		if !inDB[id] {
			v.problem("database: acknowledged application %d of %s is missing", id, p.Phone)
			if rows[id] { // the API listed it, so Lost did not count it yet
				v.Lost++
			}
			continue
		}
		ups, err := st.UploadsOf(ctx, id)
		if err != nil {
			v.problem("database: uploads of %d: %v", id, err)
			continue
		}
		var kinds []string
		for _, u := range ups {
			v.Files++
			if u.State != models.UploadReady {
				kinds = append(kinds, u.Kind+"("+u.State+")")
				continue
			}
			if u.Attempts > 1 {
				v.Reclaimed++
				v.problem("database: upload %s of application %d was claimed %d times", u.ID, id, u.Attempts)
			}
			full, err := st.UploadByID(ctx, u.ID) // UploadsOf leaves the bytes out
			if err != nil {
				kinds = append(kinds, u.Kind+"(unreadable)")
				continue
			}
			v.Sanitized++
			sum := sha256.Sum256(full.Data)
			if len(full.Data) == 0 || full.Size != len(full.Data) || hex.EncodeToString(sum[:]) != full.SHA256 {
				kinds = append(kinds, u.Kind+"(corrupt)")
				continue
			}
			kinds = append(kinds, u.Kind)
		}
		slices.Sort(kinds)
		evs, err := st.EventsOf(ctx, id)
		if err != nil {
			v.problem("database: events of %d: %v", id, err)
			continue
		}
		if !slices.Equal(kinds, []string{"diploma", "photo"}) || len(evs) < 2 {
			v.Incomplete++
			v.problem("database: application %d has uploads %v and %d events", id, kinds, len(evs))
		}
	}
}

// totals over every request the storm made.
func (r *result) errors() int {
	n := 0
	for _, ph := range r.phases {
		for _, k := range ph.Kinds {
			n += k.Errors()
		}
	}
	return n
}

func (r *result) find(phase, prefix string) (*phase, *loadkit.KindStats) {
	for _, ph := range r.phases {
		if ph.Name != phase {
			continue
		}
		for _, k := range ph.Kinds {
			if strings.HasPrefix(k.Name, prefix) {
				return ph, k
			}
		}
	}
	return nil, nil
}

func (r *result) phase(name string) *phase {
	for _, ph := range r.phases {
		if ph.Name == name {
			return ph
		}
	}
	return nil
}

// appsPerSec is complete (201) applications per second of the mixed phase.
func (r *result) appsPerSec() float64 {
	ph, k := r.find("3 mixed", "apply")
	if k == nil || ph.Wall <= 0 {
		return 0
	}
	return float64(r.created.Load()) / ph.Wall.Seconds()
}

func (r *result) integrityFailed() bool {
	v := r.v
	return v.Lost > 0 || v.Duplicated > 0 || v.Orphaned > 0 || v.Incomplete > 0 || v.Reclaimed > 0 || len(v.Problems) > 0 ||
		(v.DBChecked && v.Sanitized != v.Files)
}

func (r *result) targetsMissed(cfg config) bool {
	for _, ph := range r.phases {
		if ph.Name == "2 eligibility peak" {
			for _, k := range ph.Kinds {
				if float64(k.Count())/ph.Wall.Seconds() < cfg.MinChecks {
					return true
				}
			}
		}
	}
	return r.appsPerSec() < cfg.MinApps
}

func (r *result) failed(cfg config) bool {
	return r.errors() > 0 || r.integrityFailed() || (cfg.Strict && r.targetsMissed(cfg))
}

// capacity is n per CPU-second of the portal and its database during ph, and what that makes
// on all of the machine's cores.
func capacity(n float64, ph *phase) string {
	cpu := ph.CPU["portal"] + ph.CPU["database"]
	if cpu <= 0 {
		return ""
	}
	per := n / cpu
	return fmt.Sprintf(" — %.0f per CPU-second of portal+database ⇒ capacity ≈ %.0f/s on %d dedicated cores", per, per*float64(loadkit.NumCPU()), loadkit.NumCPU())
}

func passMiss(ok bool) string {
	if ok {
		return "PASS"
	}
	return "**MISS**"
}

// write prints the run's report in Markdown.
func (r *result) write(w io.Writer, cfg config) {
	fmt.Fprintf(w, "### %s\n\n", r.db)
	var rows []loadkit.Summary
	for _, ph := range r.phases {
		for _, k := range ph.Kinds {
			rows = append(rows, k.Summarize(ph.Wall))
		}
	}
	loadkit.WriteTable(w, rows)

	fmt.Fprintf(w, "\nCPU used per phase (cores busy on average; the machine has %d):\n\n", loadkit.NumCPU())
	fmt.Fprintln(w, "| phase | wall s | portal | database | storm (load generator) | other processes | portal peak RSS MiB |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, ph := range r.phases {
		cores := func(k string) string {
			v, ok := ph.CPU[k]
			if !ok || ph.Wall <= 0 {
				return "–"
			}
			return fmt.Sprintf("%.2f", v/ph.Wall.Seconds())
		}
		other := "–"
		if m, ok := ph.CPU["machine"]; ok && ph.Wall > 0 {
			other = fmt.Sprintf("%.2f", max(0, m-ph.CPU["portal"]-ph.CPU["database"]-ph.CPU["storm"])/ph.Wall.Seconds())
		}
		rss := "–"
		if ph.RSS > 0 {
			rss = fmt.Sprintf("%.0f", ph.RSS)
		}
		fmt.Fprintf(w, "| %s | %.1f | %s | %s | %s | %s | %s |\n", ph.Name, ph.Wall.Seconds(), cores("portal"), cores("database"), cores("storm"), other, rss)
	}

	v := r.v
	fmt.Fprintf(w, "\nVerification: acknowledged (201) = %d, new rows listed by the admin API = %d", v.Acked, v.APIRows)
	if v.DBChecked {
		fmt.Fprintf(w, ", rows in the database = %d", v.DBRows)
	}
	fmt.Fprintf(w, "; **lost = %d, duplicated = %d**, stored without a 201 = %d, unanswered = %d, incomplete = %d", v.Lost, v.Duplicated, v.Orphaned, v.Unanswered, v.Incomplete)
	if v.NotReached > 0 {
		fmt.Fprintf(w, ", never applied (-max-duration reached) = %d", v.NotReached)
	}
	if v.Foreign > 0 {
		fmt.Fprintf(w, ", other applicants' new rows = %d", v.Foreign)
	}
	if !v.DBChecked {
		fmt.Fprint(w, " (database not checked directly: no DSN)")
	}
	fmt.Fprintln(w, ".")
	if v.DBChecked {
		fmt.Fprintf(w, "Files of the acknowledged applications: %d, sanitised (ready, bytes match their SHA-256) = %d, claimed by a worker more than once = %d; in quarantine when the storm ended: %d",
			v.Files, v.Sanitized, v.Reclaimed, r.backlog)
		if ph := r.phase("4 drain"); ph != nil {
			fmt.Fprintf(w, ", drained in %.1f s", ph.Wall.Seconds())
		}
		fmt.Fprintln(w, ".")
	}
	for _, p := range v.Problems {
		fmt.Fprintf(w, "- %s\n", p)
	}

	fmt.Fprintln(w, "\nTargets (the capacity column divides by the CPU the portal and its database actually got, so it does not")
	fmt.Fprintln(w, "depend on what else ran: it is what the two cores would give them alone, the load generator elsewhere):")
	fmt.Fprintln(w)
	for _, ph := range r.phases {
		if ph.Name != "2 eligibility peak" {
			continue
		}
		for _, k := range ph.Kinds {
			rate := float64(k.Count()) / ph.Wall.Seconds()
			fmt.Fprintf(w, "- %s: %.0f checks/s (target ≥ %.0f): %s%s\n", k.Name, rate, cfg.MinChecks, passMiss(rate >= cfg.MinChecks),
				capacity(float64(k.Count()), ph))
		}
	}
	apps := r.appsPerSec()
	mixed, _ := r.find("3 mixed", "apply")
	capApps := ""
	if mixed != nil {
		capApps = capacity(float64(r.created.Load()), mixed)
	}
	fmt.Fprintf(w, "- complete applications with photo acknowledged: %.1f/s (target ≥ %.0f): %s%s\n", apps, cfg.MinApps, passMiss(apps >= cfg.MinApps), capApps)
	if n := float64(r.created.Load()); n > 0 && mixed != nil {
		ack := (mixed.CPU["portal"] + mixed.CPU["database"]) / n * 1000
		line := fmt.Sprintf("- CPU per application: %.1f ms of portal+database during the storm (acknowledgement, checks, status reloads and the sanitising done meanwhile)", ack)
		if d := r.phase("4 drain"); d != nil {
			line += fmt.Sprintf(", %.1f ms more after it (sanitising the backlog); %.1f ms in all",
				(d.CPU["portal"]+d.CPU["database"])/n*1000, (mixed.CPU["portal"]+mixed.CPU["database"]+d.CPU["portal"]+d.CPU["database"])/n*1000)
		}
		fmt.Fprintln(w, line)
	}
	if d := r.phase("4 drain"); d != nil && mixed != nil {
		all := mixed.Wall + d.Wall
		fmt.Fprintf(w, "- complete applications sanitised end to end: %.1f/s (storm + drain, %.1f s)\n", float64(r.created.Load())/all.Seconds(), all.Seconds())
	}
	fmt.Fprintf(w, "- errors: %d (target 0): %s\n", r.errors(), passMiss(r.errors() == 0))
	fmt.Fprintf(w, "- lost/duplicated: %d/%d (target 0/0): %s\n", v.Lost, v.Duplicated, passMiss(!r.integrityFailed()))

	var samples []string
	for _, ph := range r.phases {
		for _, k := range ph.Kinds {
			for _, s := range k.Samples {
				samples = append(samples, k.Name+": "+s)
			}
		}
	}
	if len(samples) > 0 {
		fmt.Fprintln(w, "\nFirst errors:")
		for _, s := range samples[:min(len(samples), 12)] {
			fmt.Fprintf(w, "- `%s`\n", strings.ReplaceAll(s, "`", "'"))
		}
	}
	if len(r.profiles) > 0 {
		fmt.Fprintln(w, "\nCPU profiles of the portal:")
		for _, p := range r.profiles {
			fmt.Fprintf(w, "- %s\n", p)
		}
	}
	if r.peakRSS > 0 {
		fmt.Fprintf(w, "\nPortal peak resident memory (VmHWM): %.0f MiB.\n", r.peakRSS)
	}
	if r.portalSlow > 0 {
		fmt.Fprintf(w, "\nThe portal logged %d slow-SQL warnings (over GORM's 1 s threshold; under a CPU-bound storm this is mostly time waiting for a CPU or a pooled connection). Most frequent:\n\n", r.portalSlow)
		for _, q := range r.portalSlowTop {
			fmt.Fprintf(w, "- %s\n", q)
		}
	}
	if r.portalLogDup > 0 {
		fmt.Fprintf(w, "\nThe portal logged %d duplicate-key INSERTs at level ERROR (GORM's \"SQL executed\" lines): the expected 409s of the second submissions.\n", r.portalLogDup)
	}
	if r.portalLog != "" {
		fmt.Fprintf(w, "\nPortal log (warnings and errors, tail):\n\n```\n%s\n```\n", r.portalLog)
	}
	fmt.Fprintln(w)
}
