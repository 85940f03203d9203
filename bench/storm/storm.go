package main

import (
	"auxportal/bench/loadkit"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"auxportal/bench/fixture"
)

// storm runs the phases against one portal.
type storm struct {
	cfg      config
	c        *loadkit.Client
	res      *result
	cpu      *loadkit.CPUClock
	portal   *loadkit.Portal
	sink     *codeSink // receives the portal's texts: the verification codes
	progress func(string, ...any)
	files    map[string][]byte
	people   []*person
}

// phase is one timed part of the storm.
type phase struct {
	Name  string
	Wall  time.Duration
	CPU   map[string]float64 // CPU seconds per process during the phase
	RSS   float64            // the portal's largest resident set seen during the phase, MiB
	Kinds []*loadkit.KindStats
}

func (s *storm) kind(ph *phase, name string) *loadkit.KindStats {
	k := &loadkit.KindStats{Name: name, Phase: ph.Name}
	ph.Kinds = append(ph.Kinds, k)
	return k
}

// timed runs fn as phase name, with its wall time, CPU use and (when profiling) a CPU profile
// of the portal.
func (s *storm) timed(ctx context.Context, name, profile string, fn func(ph *phase)) error {
	ph := &phase{Name: name}
	if s.cfg.PprofDir != "" && profile != "" {
		file := filepath.Join(s.cfg.PprofDir, s.res.db+"-"+profile+".pprof")
		if err := s.portal.Profile("start", file); err != nil {
			return err
		}
		defer func() {
			if err := s.portal.Profile("stop", ""); err != nil {
				s.progress("stop profile: %v", err)
			} else if s.portal != nil && s.portal.PprofURL != "" {
				s.res.profiles = append(s.res.profiles, file)
			}
		}()
	}
	before := s.cpu.Sample()
	start := time.Now()
	stopRSS := make(chan struct{})
	rssDone := make(chan float64)
	go func() { // sample the portal's memory while the phase runs
		peak := 0.0
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if pid := s.cpu.Pids["portal"]; pid > 0 {
				peak = max(peak, loadkit.ProcStatusMiB(pid, "VmRSS:"))
			}
			select {
			case <-stopRSS:
				rssDone <- peak
				return
			case <-t.C:
			}
		}
	}()
	fn(ph)
	ph.Wall = time.Since(start)
	close(stopRSS)
	ph.RSS = <-rssDone
	after := s.cpu.Sample()
	ph.CPU = map[string]float64{}
	for k, v := range after {
		ph.CPU[k] = v - before[k]
	}
	s.res.phases = append(s.res.phases, ph)
	return ctx.Err()
}

func (s *storm) run(ctx context.Context) error {
	cfg := s.cfg
	s.people = make([]*person, cfg.N)
	for i := range s.people {
		p := &person{Applicant: fixture.NewApplicant(cfg.Salt, i)}
		for v := 0; v < max(1, cfg.Checks); v++ {
			p.elig = append(p.elig, loadkit.MustJSON(p.Form(v)))
		}
		s.people[i] = p
	}

	// Phase 1: register and sign in.
	s.progress("register + login: %d applicants, %d clients", cfg.N, cfg.C)
	if err := s.timed(ctx, "1 register+login", "register", func(ph *phase) {
		codes, reg, login := s.kind(ph, "code"), s.kind(ph, "register"), s.kind(ph, "login")
		var next atomic.Int64
		loadkit.Parallel(cfg.C, func(int) {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(s.people) {
					return
				}
				p := s.people[i]
				// Issue 8: a code texted to the phone (through the outbox and the SMS webhook)
				// comes first; its round trip is part of registering.
				arrived := s.sink.expect(p.Phone)
				r := s.c.PostJSON(ctx, codes, "/api/v1/verification-codes",
					loadkit.MustJSON(map[string]string{"purpose": "register", "phone": p.Phone}), "", nil, 202)
				if r.Status != 202 {
					continue
				}
				code, err := s.sink.wait(ctx, p.Phone, arrived, 60*time.Second)
				if err != nil {
					codes.Record(0, loadkit.WrongAnswer, false, err.Error())
					continue
				}
				r = s.c.PostJSON(ctx, reg, "/api/v1/applicants",
					loadkit.MustJSON(map[string]any{"phone": p.Phone, "code": code, "password": p.Password, "name": p.Name,
						"consent_sensitive": true}), "", nil, 201)
				if r.Status != 201 {
					continue
				}
				r = s.c.PostJSON(ctx, login, "/api/v1/session",
					loadkit.MustJSON(map[string]string{"username": p.Phone, "password": p.Password}), "",
					func([]byte) bool { return true }, 200)
				if r.Status == 200 && r.Token == "" {
					login.Record(0, loadkit.WrongAnswer, false, "login: 200 without a session cookie")
				}
				p.token = r.Token
			}
		})
	}); err != nil {
		return err
	}
	var signedIn []*person
	for _, p := range s.people {
		if p.token != "" {
			signedIn = append(signedIn, p)
		}
	}
	if len(signedIn) == 0 {
		return fmt.Errorf("no applicant could register and sign in; first errors: %v", s.res.phases[0].Kinds[0].Samples)
	}

	eligPath := fmt.Sprintf("/api/v1/openings/%d/eligibility", cfg.Opening)
	eligible := func(b []byte) bool { return bytes.Contains(b, []byte(`"outcome":"eligible"`)) }

	// Phase 2: the eligibility peak.
	for _, mode := range cfg.EligModes {
		s.progress("eligibility peak (%s): %d clients for %s", mode, cfg.C, cfg.EligFor)
		if err := s.timed(ctx, "2 eligibility peak", "eligibility-"+mode, func(ph *phase) {
			k := s.kind(ph, "eligibility ("+map[string]string{"session": "signed in", "anonymous": "anonymous"}[mode]+")")
			deadline := time.Now().Add(cfg.EligFor)
			loadkit.Parallel(cfg.C, func(w int) {
				for i := w; ctx.Err() == nil && time.Now().Before(deadline); i += cfg.C {
					p := signedIn[i%len(signedIn)]
					tok := p.token
					if mode == "anonymous" {
						tok = ""
					}
					s.c.PostJSON(ctx, k, eligPath, p.elig[(i/len(signedIn))%len(p.elig)], tok, eligible, 200)
				}
			})
		}); err != nil {
			return err
		}
	}

	// Phase 3: the mixed storm.
	baseline, err := s.adminList(ctx)
	if err != nil {
		return fmt.Errorf("the admin's application list before the storm: %w", err)
	}
	s.res.baseline = baseline
	appliers := cfg.C - cfg.Reloaders
	s.progress("mixed: %d applicants through %d clients (%d checks each, then apply), %d reloading status",
		len(signedIn), appliers, cfg.Checks, cfg.Reloaders)
	applyPath := fmt.Sprintf("/api/v1/openings/%d/applications", cfg.Opening)
	doubleEvery := 0
	if cfg.Double > 0 {
		doubleEvery = max(1, int(1/cfg.Double+0.5))
	}
	return s.timed(ctx, "3 mixed", "mixed", func(ph *phase) {
		elig, apply := s.kind(ph, "eligibility (signed in)"), s.kind(ph, "apply (photo+diploma)")
		twice := s.kind(ph, "apply twice at once (201 + 409)")
		list, detail := s.kind(ph, "status: my applications"), s.kind(ph, "status: application")
		var next atomic.Int64
		var applying sync.WaitGroup
		stopAt := time.Now().Add(cfg.MaxMixed)
		applied := make(chan struct{})
		reloaded := make(chan struct{})
		go func() {
			defer close(reloaded)
			loadkit.Parallel(cfg.Reloaders, func(w int) {
				r := rand.New(rand.NewPCG(uint64(w), cfg.Salt64()))
				for ctx.Err() == nil {
					select {
					case <-applied:
						return
					default:
					}
					p := signedIn[r.IntN(len(signedIn))]
					id := p.appID.Load() // known before the list is asked for: it must be in it, once
					s.c.Do(ctx, list, "GET", "/api/v1/me/applications", "", nil, p.token, func(b []byte) bool {
						var l summaries
						if json.Unmarshal(b, &l) != nil {
							return false
						}
						if id == 0 {
							return true
						}
						n := 0
						for _, a := range l.Applications {
							if a.ID == id {
								n++
							}
						}
						return n == 1 && len(l.Applications) == 1
					}, 200)
					if id != 0 {
						s.c.Do(ctx, detail, "GET", "/api/v1/applications/"+strconv.FormatUint(id, 10), "", nil, p.token,
							func(b []byte) bool {
								var v applicationView
								return json.Unmarshal(b, &v) == nil && v.ID == id && v.Status == "eligible" && len(v.Files) == 2
							}, 200)
					}
				}
			})
		}()
		applying.Add(1)
		go func() {
			defer applying.Done()
			loadkit.Parallel(appliers, func(int) {
				for ctx.Err() == nil && time.Now().Before(stopAt) {
					i := int(next.Add(1)) - 1
					if i >= len(signedIn) {
						return
					}
					p := signedIn[i]
					for v := 0; v < cfg.Checks; v++ {
						s.c.PostJSON(ctx, elig, eligPath, p.elig[v], p.token, eligible, 200)
					}
					body, ctype := applicationBody(p.FormValues(cfg.Checks), s.files)
					p.attempted = true
					if doubleEvery > 0 && p.Seq%doubleEvery == 0 {
						s.applyTwiceAtOnce(ctx, twice, applyPath, ctype, body, p)
						continue
					}
					var got applicationView
					r := s.c.Do(ctx, apply, "POST", applyPath, ctype, body, p.token, func(b []byte) bool {
						return json.Unmarshal(b, &got) == nil && got.ID != 0 && got.Status == "eligible" && len(got.Files) == 2
					}, 201)
					if r.Status == 201 && got.ID != 0 {
						p.appID.Store(got.ID)
						s.res.created.Add(1)
					}
					if r.Status != 0 {
						p.answered = true
					}
				}
			})
		}()
		applying.Wait()
		close(applied)
		<-reloaded // the reloaders finish the request they are in
	})
}

// applyTwiceAtOnce sends one applicant's application twice at the same moment (a double click,
// or two tabs): exactly one must be created (201) and the other refused as a duplicate (409).
func (s *storm) applyTwiceAtOnce(ctx context.Context, k *loadkit.KindStats, path, ctype string, body []byte, p *person) {
	var rs [2]loadkit.Reply
	var views [2]applicationView
	var wg sync.WaitGroup
	for j := range 2 {
		wg.Go(func() {
			rs[j] = s.c.Do(ctx, k, "POST", path, ctype, body, p.token, func(b []byte) bool {
				var v applicationView
				if json.Unmarshal(b, &v) == nil && v.ID != 0 {
					views[j] = v
					return v.Status == "eligible" && len(v.Files) == 2
				}
				return bytes.Contains(b, []byte(`"duplicate_application"`))
			}, 201, 409)
		})
	}
	wg.Wait()
	created := 0
	for j := range 2 {
		if rs[j].Status == 201 && views[j].ID != 0 {
			created++
			s.res.created.Add(1)
			if p.appID.Load() == 0 {
				p.appID.Store(views[j].ID)
			} else {
				p.extraIDs = append(p.extraIDs, views[j].ID)
			}
		}
	}
	if rs[0].Status != 0 && rs[1].Status != 0 {
		p.answered = true
		if created != 1 {
			k.Record(0, loadkit.WrongAnswer, false, fmt.Sprintf("two submissions at once by %s: %d and %d (%d created)",
				p.Phone, rs[0].Status, rs[1].Status, created))
		}
	}
}

// Salt64 is the salt as a PCG seed.
func (c config) Salt64() uint64 { return uint64(c.Salt) }
