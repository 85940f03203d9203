package main

import (
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

	"auxportal/bench/loadkit"
	"auxportal/exams"
)

// phase is one timed part of the rehearsal.
type phase struct {
	Name  string
	Wall  time.Duration
	CPU   map[string]float64 // CPU seconds per process during the phase
	Kinds []*loadkit.KindStats
}

// rehearsal runs exam day against one portal.
type rehearsal struct {
	cfg      config
	c        *loadkit.Client
	cpu      *loadkit.CPUClock
	portal   *loadkit.Portal
	db       string
	progress func(string, ...any)
	cands    []*cand
	phases   []*phase
	profiles []string
	// inflight bounds the requests in the air during the paced phases (the phones' sockets).
	inflight   chan struct{}
	answerFrom time.Time // when phase 4 began
	// startSpan is from the first start sent to the last start answered.
	startSpan time.Duration
	// submitLate counts hand-ins sent outside the last submit window before the deadline.
	submitLate atomic.Int64
	resumeBad  atomic.Int64 // resumed sessions that did not show the acknowledged answers
	keyLeaks   atomic.Int64 // candidate responses that carried a key
}

func (r *rehearsal) kind(ph *phase, name string) *loadkit.KindStats {
	k := &loadkit.KindStats{Name: name, Phase: ph.Name}
	ph.Kinds = append(ph.Kinds, k)
	return k
}

// timed runs fn as one phase, with its wall time, CPU per process and (when profiling) a CPU
// profile of the portal.
func (r *rehearsal) timed(ctx context.Context, name, profile string, fn func(ph *phase)) error {
	ph := &phase{Name: name}
	if r.cfg.PprofDir != "" && profile != "" && r.portal != nil && r.portal.PprofURL != "" {
		file := filepath.Join(r.cfg.PprofDir, r.db+"-"+profile+".pprof")
		if err := r.portal.Profile("start", file); err != nil {
			return err
		}
		defer func() {
			if err := r.portal.Profile("stop", ""); err != nil {
				r.progress("stop profile: %v", err)
			} else {
				r.profiles = append(r.profiles, file)
			}
		}()
	}
	before := r.cpu.Sample()
	start := time.Now()
	fn(ph)
	ph.Wall = time.Since(start)
	after := r.cpu.Sample()
	ph.CPU = map[string]float64{}
	for k, v := range after {
		ph.CPU[k] = v - before[k]
	}
	r.phases = append(r.phases, ph)
	return ctx.Err()
}

// sleepUntil waits for t or the end of ctx.
func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// paced runs one request of a paced phase inside the in-flight bound.
func (r *rehearsal) paced(fn func()) {
	r.inflight <- struct{}{}
	defer func() { <-r.inflight }()
	fn()
}

// noKey reports whether a candidate's response body is free of the key: the candidate view
// never carries correct options, truth values, accepted blanks or the reference answer.
func (r *rehearsal) noKey(b []byte) bool {
	for _, f := range []string{`"correct"`, `"accepted"`, `"reference"`, `"rubric"`, `"explanation"`} {
		if bytes.Contains(b, []byte(f)) {
			r.keyLeaks.Add(1)
			return false
		}
	}
	return true
}

func (r *rehearsal) login(ctx context.Context, k *loadkit.KindStats, c *cand) bool {
	rep := r.c.PostJSON(ctx, k, "/api/v1/session",
		loadkit.MustJSON(map[string]string{"username": c.Username, "password": seedPassword}), "",
		func([]byte) bool { return true }, 200)
	if rep.Status == 200 && rep.Token == "" {
		k.Record(0, loadkit.WrongAnswer, false, "login: 200 without a session cookie")
		return false
	}
	if rep.Token == "" {
		return false
	}
	c.mu.Lock()
	c.token = rep.Token
	c.mu.Unlock()
	return true
}

func (r *rehearsal) tokenOf(c *cand) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

func (r *rehearsal) run(ctx context.Context, seeded []candidate) error {
	cfg := r.cfg
	r.cands = make([]*cand, len(seeded))
	for i, s := range seeded {
		r.cands[i] = &cand{candidate: s, rng: rand.New(rand.NewPCG(uint64(i), uint64(cfg.Salt))),
			acked: map[int]ack{}, last: map[int]saveReq{}, unknown: map[int]bool{}}
	}
	r.inflight = make(chan struct{}, cfg.Inflight)

	// 1. Admission: candidates sign in over the admission period, find their exam and look at it
	// (state "ready": the sitting is open, the attempt not started).
	r.progress("admission: %d sign-ins over %s", len(r.cands), cfg.Admission)
	if err := r.timed(ctx, "1 admission", "admission", func(ph *phase) {
		login, mine, look := r.kind(ph, "sign in"), r.kind(ph, "my exams"), r.kind(ph, "exam page (before start)")
		t0 := time.Now()
		var wg sync.WaitGroup
		for _, c := range r.cands {
			at := t0.Add(time.Duration(c.rng.Int64N(int64(cfg.Admission) + 1)))
			wg.Go(func() {
				if !sleepUntil(ctx, at) {
					return
				}
				r.paced(func() {
					if c.Token != "" {
						c.token = c.Token // signed in earlier this week
					} else if !r.login(ctx, login, c) {
						return
					}
					var m struct {
						Exams []struct {
							CandidateID uint64 `json:"candidate_id"`
						} `json:"exams"`
					}
					rep := r.c.Do(ctx, mine, "GET", "/api/v1/me/exams", "", nil, r.tokenOf(c), func(b []byte) bool {
						return json.Unmarshal(b, &m) == nil && len(m.Exams) == 1 && m.Exams[0].CandidateID != 0
					}, 200)
					if rep.Status != 200 || len(m.Exams) != 1 {
						return
					}
					c.id = m.Exams[0].CandidateID
					r.c.Do(ctx, look, "GET", "/api/v1/exams/"+strconv.FormatUint(c.id, 10), "", nil, r.tokenOf(c), func(b []byte) bool {
						var st examState
						return json.Unmarshal(b, &st) == nil && st.State == "ready" && st.Paper == nil && r.noKey(b)
					}, 200)
				})
			})
		}
		wg.Wait()
	}); err != nil {
		return err
	}
	var ready []*cand
	for _, c := range r.cands {
		if c.id != 0 {
			ready = append(ready, c)
		}
	}
	if len(ready) == 0 {
		return fmt.Errorf("no candidate got through admission; first errors: %v", r.phases[0].Kinds[0].Samples)
	}
	r.cands = ready

	// 2. The start storm: the invigilator says "begin" and everyone starts at once, C at a time.
	r.progress("start storm: %d starts, %d clients", len(r.cands), cfg.C)
	if err := r.timed(ctx, "2 start storm", "start", func(ph *phase) {
		k := r.kind(ph, "start (paper load)")
		var next atomic.Int64
		t0 := time.Now()
		loadkit.Parallel(cfg.C, func(int) {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(r.cands) {
					return
				}
				c := r.cands[i]
				var st examState
				r.c.Do(ctx, k, "POST", "/api/v1/exams/"+strconv.FormatUint(c.id, 10)+"/start", "", nil, r.tokenOf(c),
					func(b []byte) bool {
						return json.Unmarshal(b, &st) == nil && st.State == "in_progress" && st.Paper != nil &&
							st.Deadline != nil && r.noKey(b)
					}, 200)
				if st.Paper != nil && st.Deadline != nil {
					c.items, c.deadline = itemsOf(st.Paper), *st.Deadline
				}
			}
		})
		r.startSpan = time.Since(t0)
	}); err != nil {
		return err
	}
	var started []*cand
	for _, c := range r.cands {
		if len(c.items) > 0 {
			started = append(started, c)
		}
	}
	r.cands = started
	if len(started) == 0 {
		return fmt.Errorf("no attempt started; first errors: %v", r.phases[1].Kinds[0].Samples)
	}

	// 3. The autosave peak: C clients save as fast as they can, each on its own candidates.
	r.progress("autosave peak: %d clients for %s", cfg.C, cfg.Peak)
	if err := r.timed(ctx, "3 autosave peak", "saves-peak", func(ph *phase) {
		k := r.kind(ph, "autosave")
		stop := time.Now().Add(cfg.Peak)
		loadkit.Parallel(cfg.C, func(w int) {
			for n := 0; ctx.Err() == nil && time.Now().Before(stop); n++ {
				mine := (len(r.cands) + cfg.C - 1 - w) / cfg.C
				if mine == 0 {
					return
				}
				c := r.cands[w+cfg.C*(n%mine)]
				it := c.items[c.rng.IntN(len(c.items))]
				r.save(ctx, k, c, saveReq{No: it.No, Seq: c.nextSeq(), Answer: c.answer(it)}, exams.SaveAccepted)
			}
		})
	}); err != nil {
		return err
	}

	// 4. Answering at human pace, compressed, until each candidate's own hand-in moment in the
	// last submit window before their deadline; then 5. the submit storm. Both run in one
	// phase of time, measured apart by request kind.
	r.progress("answering + submit storm: %d candidates until their deadlines", len(r.cands))
	return r.timed(ctx, "4 answering + submit storm", "answering", func(ph *phase) {
		save, repeat, stale := r.kind(ph, "autosave"), r.kind(ph, "autosave repeated (duplicate)"), r.kind(ph, "autosave out of order (stale)")
		relogin, resume := r.kind(ph, "sign in again (new device)"), r.kind(ph, "resume: exam page")
		submit, again, after := r.kind(ph, "hand in"), r.kind(ph, "hand in again (same receipt)"), r.kind(ph, "save after hand-in (closed)")
		r.answerFrom = time.Now()
		var wg sync.WaitGroup
		for _, c := range r.cands {
			wg.Go(func() {
				r.answerAll(ctx, c, save, repeat, stale, relogin, resume)
				r.handIn(ctx, c, submit, again, after)
			})
		}
		wg.Wait()
	})
}

// save sends one save and records what the portal acknowledged; want is the outcome it must have.
func (r *rehearsal) save(ctx context.Context, k *loadkit.KindStats, c *cand, s saveReq, want exams.SaveOutcome) {
	body := loadkit.MustJSON(map[string][]saveReq{"saves": {s}})
	c.mu.Lock()
	c.last[s.No] = s
	c.mu.Unlock()
	var rep saveReply
	res := r.c.PostJSON(ctx, k, "/api/v1/exams/"+strconv.FormatUint(c.id, 10)+"/saves", body, r.tokenOf(c), func(b []byte) bool {
		return json.Unmarshal(b, &rep) == nil && len(rep.Results) == 1 && rep.Results[0].Outcome == want
	}, 200)
	c.mu.Lock()
	defer c.mu.Unlock()
	if res.Status == 0 {
		c.unknown[s.No] = true // no answer: it may or may not have been written
		return
	}
	if len(rep.Results) == 1 && rep.Results[0].Outcome == exams.SaveAccepted {
		if a, ok := c.acked[s.No]; !ok || s.Seq > a.Seq {
			c.acked[s.No] = ack{Seq: s.Seq, Answer: canonical(s.Answer)}
			delete(c.unknown, s.No)
		}
	}
}

// answerAll is one candidate's answering: every question in order with autosaves spread over the
// time to their hand-in, some answers changed later, some saves repeated, one sent late (out of
// order), and for a share of candidates a drop mid-way: a new sign-in on another device that
// must show every acknowledged answer.
func (r *rehearsal) answerAll(ctx context.Context, c *cand, save, repeat, stale, relogin, resume *loadkit.KindStats) {
	cfg := r.cfg
	end, window := c.deadline, cfg.SubmitWindow
	if cfg.Finish > 0 { // quick mode: hand in early instead of waiting out the exam's 5 minutes
		end, window = r.answerFrom.Add(cfg.Finish), min(window, cfg.Finish/3)
	}
	submitAt := end.Add(-time.Duration(float64(window) * (0.05 + 0.9*c.rng.Float64())))
	c.submitAt = submitAt
	type action struct {
		kind int // 0 save, 1 change an earlier answer, 2 repeat the last save, 3 stale re-send, 4 drop and resume
		it   item
	}
	var plan []action
	for i, it := range c.items {
		plan = append(plan, action{0, it})
		if i > 0 && c.rng.Float64() < cfg.Change {
			plan = append(plan, action{1, c.items[c.rng.IntN(i)]})
		}
		if c.rng.Float64() < cfg.Repeat {
			plan = append(plan, action{2, it})
		}
	}
	if c.rng.Float64() < cfg.Stale {
		plan = append(plan, action{3, c.items[c.rng.IntN(len(c.items))]})
	}
	if c.rng.Float64() < cfg.Drop {
		mid := len(plan) / 2
		plan = append(plan[:mid], append([]action{{kind: 4}}, plan[mid:]...)...)
	}
	from := time.Now()
	span := submitAt.Add(-2 * time.Second).Sub(from)
	for j, a := range plan {
		at := from.Add(time.Duration(float64(span) * (float64(j) + c.rng.Float64()) / float64(len(plan))))
		if !sleepUntil(ctx, at) {
			return
		}
		r.paced(func() {
			switch a.kind {
			case 0, 1:
				r.save(ctx, save, c, saveReq{No: a.it.No, Seq: c.nextSeq(), Answer: c.answer(a.it)}, exams.SaveAccepted)
			case 2:
				c.mu.Lock()
				s, ok := c.last[a.it.No]
				c.mu.Unlock()
				if ok {
					r.save(ctx, repeat, c, s, exams.SaveDuplicate)
				}
			case 3:
				// A save held back by a flaky network arrives after a newer one: it must lose.
				older := saveReq{No: a.it.No, Seq: c.nextSeq(), Answer: c.answer(a.it)}
				newer := saveReq{No: a.it.No, Seq: c.nextSeq(), Answer: c.answer(a.it)}
				r.save(ctx, save, c, newer, exams.SaveAccepted)
				r.save(ctx, stale, c, older, exams.SaveStale)
				c.mu.Lock()
				c.last[a.it.No] = newer
				c.mu.Unlock()
			case 4:
				r.resume(ctx, c, relogin, resume)
			}
		})
	}
}

// resume is a dropped candidate coming back on a new device: a new sign-in (a new session) and
// the exam page, which must show every acknowledged answer with its number.
func (r *rehearsal) resume(ctx context.Context, c *cand, relogin, resume *loadkit.KindStats) {
	if !r.login(ctx, relogin, c) {
		return
	}
	c.mu.Lock()
	want := make(map[int]ack, len(c.acked))
	for no, a := range c.acked {
		if !c.unknown[no] {
			want[no] = a
		}
	}
	c.mu.Unlock()
	r.c.Do(ctx, resume, "GET", "/api/v1/exams/"+strconv.FormatUint(c.id, 10), "", nil, r.tokenOf(c), func(b []byte) bool {
		var st examState
		if json.Unmarshal(b, &st) != nil || st.State != "in_progress" || st.Paper == nil || !r.noKey(b) {
			return false
		}
		for no, a := range want {
			got, ok := st.Answers[no]
			if !ok || st.Seqs[no] != a.Seq || canonical(got) != a.Answer {
				r.resumeBad.Add(1)
				return false
			}
		}
		return true
	}, 200)
}

// handIn hands the attempt in at the candidate's moment in the last submit window; some press
// it twice (the same receipt), and a save after it must be refused as closed.
func (r *rehearsal) handIn(ctx context.Context, c *cand, submit, again, after *loadkit.KindStats) {
	if !sleepUntil(ctx, c.submitAt) {
		return
	}
	if (r.cfg.Finish == 0 && time.Until(c.deadline) > r.cfg.SubmitWindow) || time.Now().After(c.deadline) {
		r.submitLate.Add(1)
	}
	path := "/api/v1/exams/" + strconv.FormatUint(c.id, 10) + "/submit"
	var st examState
	r.paced(func() {
		r.c.Do(ctx, submit, "POST", path, "", nil, r.tokenOf(c), func(b []byte) bool {
			return json.Unmarshal(b, &st) == nil && st.State == "handed_in" && st.Receipt != ""
		}, 200)
	})
	if st.Receipt == "" {
		return
	}
	c.mu.Lock()
	c.receipt, c.handedIn = st.Receipt, true
	c.mu.Unlock()
	if c.rng.Float64() < r.cfg.Twice {
		r.paced(func() {
			r.c.Do(ctx, again, "POST", path, "", nil, r.tokenOf(c), func(b []byte) bool {
				var st2 examState
				return json.Unmarshal(b, &st2) == nil && st2.Receipt == st.Receipt
			}, 200)
			it := c.items[c.rng.IntN(len(c.items))]
			r.save(ctx, after, c, saveReq{No: it.No, Seq: c.nextSeq(), Answer: c.answer(it)}, exams.SaveClosed)
		})
	}
}
