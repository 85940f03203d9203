package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/clock"
	"auxportal/exams"
	"auxportal/models"
	"auxportal/recruitment"
)

// Attempt states, as the candidate's page shows them.
const (
	StateBefore    = "before"      // the window has not opened
	StateReady     = "ready"       // may start now
	StateLate      = "no_start"    // past the last start time, never started
	StateRunning   = "in_progress" // started, not handed in
	StateHandedIn  = "handed_in"   // handed in (by the candidate or at the deadline)
	StatePublished = "published"   // results out
	StateLeft      = "left"        // never started, and no longer a proposed hire (dropped out, withdrawn)
)

// ExamSummary is one of a candidate's exams in their list.
type ExamSummary struct {
	CandidateID  uint64 `json:"candidate_id"`
	SittingID    uint64 `json:"sitting_id"`
	Title        string `json:"title"`
	PurposeLabel string `json:"purpose_label"`
	When         string `json:"when"`
	Venue        string `json:"venue"`
	Online       bool   `json:"online"`
	TicketNo     string `json:"ticket_no"`
	Seat         string `json:"seat"`
	State        string `json:"state"`
	StateLabel   string `json:"state_label"`
	Result       string `json:"result,omitempty"` // once published
}

// StateLabel names an attempt state.
func StateLabel(state string) string {
	switch state {
	case StateBefore:
		return "未开始"
	case StateReady:
		return "可以开始考试"
	case StateLate:
		return "已过最晚开考时间（缺考）"
	case StateRunning:
		return "考试中"
	case StateHandedIn:
		return "已交卷，待发布成绩"
	case StatePublished:
		return "成绩已发布"
	case StateLeft:
		return "已不是拟录用人员，无需参加本次考试"
	}
	return state
}

// stateOf is stateOfAttempt, except that someone who never started and has since left the
// recruitment (dropped out of their proposed place, withdrawn) has nothing to sit.
func (s *Service) stateOf(ctx context.Context, st *models.Sitting, c *models.ExamCandidate, now time.Time) (string, error) {
	state := stateOfAttempt(st, c, now)
	// Someone who left recruitment before starting is told so even after publication: their
	// stored 0 is the exam's record of a seat not taken, not a 缺考 of theirs.
	if c.StartedAt != nil || c.ApplicationID == nil {
		return state, nil
	}
	left, err := s.leftRecruitment(ctx, c)
	if err != nil {
		return "", err
	}
	if left {
		return StateLeft, nil
	}
	return state, nil
}

// leftRecruitment reports whether a pre-job candidate's application is no longer a proposed
// hire (nor hired or not hired by a sitting): they dropped out or withdrew after scheduling.
func (s *Service) leftRecruitment(ctx context.Context, c *models.ExamCandidate) (bool, error) {
	if c.ApplicationID == nil {
		return false, nil // a refresher: no application
	}
	app, err := s.store.ApplicationByID(ctx, *c.ApplicationID)
	if err != nil {
		return false, fmt.Errorf("candidate %d application: %w", c.ID, err)
	}
	switch app.Status {
	case models.AppProposed, models.AppHired, models.AppNotHired:
		return false, nil
	}
	return true, nil
}

func stateOfAttempt(st *models.Sitting, c *models.ExamCandidate, now time.Time) string {
	switch {
	case st.Status == models.SittingPublished:
		return StatePublished
	case c.SubmittedAt != nil:
		return StateHandedIn
	case c.StartedAt != nil:
		if c.Deadline != nil && !now.Before(*c.Deadline) {
			return StateHandedIn // closed by the deadline; the job records it
		}
		return StateRunning
	case now.Before(st.Opens):
		return StateBefore
	case now.Before(st.LastStart):
		return StateReady
	}
	return StateLate
}

// MyExams lists the signed-in person's exams, newest first.
func (s *Service) MyExams(ctx context.Context, actor models.Actor) ([]ExamSummary, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{UserID: &actor.UserID})
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(cs))
	for i, c := range cs {
		ids[i] = c.SittingID
	}
	sts, err := s.store.SittingsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := make([]ExamSummary, 0, len(cs))
	for i := len(cs) - 1; i >= 0; i-- {
		c := &cs[i]
		st := sts[c.SittingID]
		state, err := s.stateOf(ctx, st, c, now)
		if err != nil {
			return nil, err
		}
		e := ExamSummary{CandidateID: c.ID, SittingID: st.ID, Title: st.Title, PurposeLabel: PurposeLabel(st.Purpose),
			When: timeRange(st.Opens, st.Closes), Venue: st.Venue, Online: st.Online, TicketNo: c.TicketNo, Seat: c.Seat,
			State: state, StateLabel: StateLabel(state)}
		if state == StatePublished {
			e.Result = resultLine(c)
		}
		out = append(out, e)
	}
	return out, nil
}

func resultLine(c *models.ExamCandidate) string {
	switch {
	case c.StartedAt == nil:
		return "缺考（不合格）"
	case c.Score == nil:
		return exams.Outcome(c.Outcome).Label()
	}
	return fmt.Sprintf("%s 分，%s", fmtScore(*c.Score), exams.Outcome(c.Outcome).Label())
}

// ExamState is everything the candidate's exam page needs, and never a key: the paper is the
// candidate view of exams, a type without keys.
type ExamState struct {
	CandidateID  uint64    `json:"candidate_id"`
	Title        string    `json:"title"`
	Venue        string    `json:"venue"`
	When         string    `json:"when"`
	TicketNo     string    `json:"ticket_no"`
	Name         string    `json:"name"`
	State        string    `json:"state"`
	StateLabel   string    `json:"state_label"`
	ServerNow    time.Time `json:"server_now"` // the page corrects its countdown by the offset to this
	Opens        time.Time `json:"opens"`
	Closes       time.Time `json:"closes"`
	LastStart    time.Time `json:"last_start"`
	Duration     int       `json:"duration_minutes"`
	ExtraMinutes int       `json:"extra_minutes"`
	// Deadline is fixed by the server at the start: start + duration + extra time, never past
	// the window's end (or later, when an invigilator added time).
	Deadline  *time.Time `json:"deadline,omitempty"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	// Shortened warns before the start that the window ends before the full time.
	Shortened bool                  `json:"shortened,omitempty"`
	Allowed   int                   `json:"allowed_minutes,omitempty"` // what a start now would get
	Paper     *exams.CandidatePaper `json:"paper,omitempty"`
	Answers   map[int]exams.Answer  `json:"answers,omitempty"`
	Seqs      map[int]int64         `json:"seqs,omitempty"`
	LastSeq   int64                 `json:"last_seq"`
	Receipt   string                `json:"receipt,omitempty"`
	HandedIn  *time.Time            `json:"handed_in_at,omitempty"`
	ClosedBy  string                `json:"closed_by,omitempty"`
	Result    *ResultView           `json:"result,omitempty"`
}

// ResultView is a published result as its candidate sees it.
type ResultView struct {
	Score    string `json:"score"`
	Total    string `json:"total"`
	PassMark string `json:"pass_mark"`
	Outcome  string `json:"outcome"`
	Label    string `json:"label"`
	Passed   bool   `json:"passed"`
	Absent   bool   `json:"absent"`
	// Review is the paper with the key and the candidate's answers and points, when the sitting
	// allows it.
	Review []ReviewItem `json:"review,omitempty"`
	// ReviewLater: the paper with the key is shown once the makeup sitting is over.
	ReviewLater bool `json:"review_later,omitempty"`
	// Hiring is what the result means for a proposed hire (rules T-1, T-3), in their words.
	Hiring string `json:"hiring,omitempty"`
}

// hiringLine tells a pre-job candidate what the hiring gate did with their result.
func hiringLine(gate string) string {
	switch gate {
	case recruitment.GateHired:
		return "已正式录用，上岗证将统一颁发"
	case recruitment.GateMakeup:
		return "本岗位允许补考一次，请留意补考安排"
	case recruitment.GateNotHired:
		return "未通过岗前培训考试，按规定不予录用"
	}
	return ""
}

// ReviewItem is one question of a published paper with its key.
type ReviewItem struct {
	No          int            `json:"no"`
	Type        exams.Type     `json:"type"`
	Stem        string         `json:"stem"`
	Options     []exams.Option `json:"options,omitempty"`
	Key         string         `json:"key"`
	Answer      string         `json:"answer"`
	Points      string         `json:"points"`
	Score       string         `json:"score"`
	Explanation string         `json:"explanation,omitempty"`
}

// ownCandidate loads the candidacy of the signed-in person; anyone else's is not found.
func (s *Service) ownCandidate(ctx context.Context, actor models.Actor, id uint64) (*models.ExamCandidate, *models.Sitting, error) {
	if actor.Anonymous() {
		return nil, nil, models.Deny(actor, "")
	}
	c, err := s.store.CandidateByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if c.UserID != actor.UserID {
		return nil, nil, models.NotFound("考试")
	}
	st, err := s.store.SittingByID(ctx, c.SittingID)
	if err != nil {
		return nil, nil, err
	}
	return c, st, nil
}

// Exam is the candidate's exam page state; reloading it, or signing in on another device,
// resumes exactly where the candidate was.
func (s *Service) Exam(ctx context.Context, actor models.Actor, id uint64) (*ExamState, error) {
	c, st, err := s.ownCandidate(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if now := s.clock.Now(); c.StartedAt != nil && c.SubmittedAt == nil && !now.Before(*c.Deadline) {
		// Past the deadline and the job has not run yet: close it now, so the candidate sees
		// the receipt at once (handIn finishes it at the deadline, once).
		if err := s.handIn(ctx, st, c, now, "deadline"); err != nil {
			return nil, err
		}
		if c, st, err = s.ownCandidate(ctx, actor, id); err != nil {
			return nil, err
		}
	}
	return s.examState(ctx, st, c)
}

func (s *Service) examState(ctx context.Context, st *models.Sitting, c *models.ExamCandidate) (*ExamState, error) {
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(st.Blueprint), &bp); err != nil {
		return nil, fmt.Errorf("sitting %d blueprint: %w", st.ID, err)
	}
	now := s.clock.Now()
	state, err := s.stateOf(ctx, st, c, now)
	if err != nil {
		return nil, err
	}
	v := &ExamState{CandidateID: c.ID, Title: st.Title, Venue: st.Venue, When: timeRange(st.Opens, st.Closes),
		TicketNo: c.TicketNo, Name: c.Name, State: state, StateLabel: StateLabel(state), ServerNow: now,
		Opens: st.Opens, Closes: st.Closes, LastStart: st.LastStart, Duration: bp.DurationMinutes,
		ExtraMinutes: c.ExtraMinutes, Deadline: c.Deadline, StartedAt: c.StartedAt, Receipt: c.Receipt,
		HandedIn: c.SubmittedAt, ClosedBy: c.ClosedBy}
	w := exams.Window{Opens: st.Opens, Closes: st.Closes, LastStart: st.LastStart}
	if state == StateReady {
		if info, err := w.Start(now, bp.Duration(), time.Duration(c.ExtraMinutes)*time.Minute); err == nil {
			v.Shortened, v.Allowed = info.Shortened, int(info.Allowed/time.Minute)
		}
	}
	if c.StartedAt == nil {
		if state == StatePublished {
			v.Result = &ResultView{Absent: true, Outcome: string(exams.OutcomeFail), Label: "缺考（不合格）", Hiring: hiringLine(c.Gate),
				Total: score(bp.Total()), PassMark: score(bp.PassMark), Score: score(0)}
		}
		return v, nil
	}
	paper, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		return nil, fmt.Errorf("candidate %d paper: %w", c.ID, err)
	}
	cv := paper.CandidateView()
	v.Paper = &cv
	answers, err := s.store.AnswersOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v.Answers, v.Seqs = map[int]exams.Answer{}, map[int]int64{}
	for _, a := range answers {
		var ans exams.Answer
		if err := json.Unmarshal([]byte(a.Answer), &ans); err != nil {
			return nil, fmt.Errorf("candidate %d answer %d: %w", c.ID, a.ItemNo, err)
		}
		v.Answers[a.ItemNo], v.Seqs[a.ItemNo] = ans, a.Seq
		v.LastSeq = max(v.LastSeq, a.Seq)
	}
	if state == StatePublished {
		v.Result, err = s.resultView(ctx, st, c, paper, answers)
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (s *Service) resultView(ctx context.Context, st *models.Sitting, c *models.ExamCandidate, paper exams.Paper, answers []models.ExamAnswer) (*ResultView, error) {
	var res exams.Result
	if err := json.Unmarshal([]byte(c.Result), &res); err != nil {
		return nil, fmt.Errorf("candidate %d result: %w", c.ID, err)
	}
	r := &ResultView{Score: score(res.Score), Total: score(res.Max), PassMark: score(res.PassMark), Outcome: string(res.Outcome),
		Label: res.Outcome.Label(), Passed: res.Passed(), Hiring: hiringLine(c.Gate)}
	if !st.ShowPaper {
		return r, nil
	}
	if c.ApplicationID != nil {
		// A candidate who failed and awaits the makeup sitting is still a proposed hire: the
		// makeup draws from the same bank, so the key waits until their training is decided.
		if app, err := s.store.ApplicationByID(ctx, *c.ApplicationID); err == nil && app.Status == models.AppProposed {
			r.ReviewLater = true
			return r, nil
		}
	}
	// The key is shown only now, to this candidate, and only because the sitting allows it.
	fixes, err := s.keyFixes(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if paper, err = exams.ApplyKeys(paper, fixes); err != nil {
		return nil, err
	}
	byNo := map[int]exams.Answer{}
	for _, a := range answers {
		var ans exams.Answer
		_ = json.Unmarshal([]byte(a.Answer), &ans)
		byNo[a.ItemNo] = ans
	}
	scores := map[int]int64{}
	for _, it := range res.Items {
		scores[it.No] = it.Score
	}
	for _, it := range paper.Items() {
		r.Review = append(r.Review, ReviewItem{No: it.No, Type: it.Type, Stem: it.Stem, Options: it.Options,
			Key: keyText(it), Answer: answerText(it, byNo[it.No]), Points: score(it.Points), Score: score(scores[it.No]),
			Explanation: it.Explanation})
	}
	return r, nil
}

// Start begins the attempt: the server fixes the deadline (start + duration + accommodation,
// never past the window's end). Starting again returns the attempt already running.
func (s *Service) Start(ctx context.Context, actor models.Actor, id uint64) (*ExamState, error) {
	c, st, err := s.ownCandidate(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if c.StartedAt != nil || st.Status != models.SittingScheduled {
		return s.examState(ctx, st, c)
	}
	if left, err := s.leftRecruitment(ctx, c); err != nil {
		return nil, err
	} else if left {
		return nil, models.Conflict("not_proposed", "您已不是拟录用人员（已放弃或已撤回），无需参加本次考试")
	}
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(st.Blueprint), &bp); err != nil {
		return nil, fmt.Errorf("sitting %d blueprint: %w", st.ID, err)
	}
	now := s.clock.Now()
	w := exams.Window{Opens: st.Opens, Closes: st.Closes, LastStart: st.LastStart}
	info, err := w.Start(now, bp.Duration(), time.Duration(c.ExtraMinutes)*time.Minute)
	if err != nil {
		var se *exams.StartError
		if errors.As(err, &se) {
			return nil, models.Conflict("cannot_start_"+se.Reason, "%s", se.Message)
		}
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		err := tx.UpdateCandidate(ctx, c.ID, map[string]any{"started_at": now, "deadline": info.Deadline, "updated_at": now},
			"already_started", "已开考", "started_at IS NULL")
		if e, ok := models.AsError(err); ok && e.Code == "already_started" {
			return nil // another tab or device started it first: resume that attempt
		}
		if err != nil {
			return err
		}
		return tx.AddExamEvents(ctx, models.ExamEvent{CandidateID: c.ID, At: now, Kind: "started",
			Detail: "截止 " + clock.InChina(info.Deadline).Format("15:04:05")})
	})
	if err != nil {
		return nil, err
	}
	return s.Exam(ctx, actor, id)
}

// SaveInput is one autosave: an item's answer with the page's sequence number.
type SaveInput struct {
	No     int          `json:"no"`
	Seq    int64        `json:"seq"`
	Answer exams.Answer `json:"answer"`
}

// SaveResult is the decision on one save.
type SaveResult struct {
	No        int               `json:"no"`
	Seq       int64             `json:"seq"`
	Outcome   exams.SaveOutcome `json:"outcome"`
	Message   string            `json:"message"`
	StoredSeq int64             `json:"stored_seq"`
	// Stored is the answer the server keeps when this save lost (stale, conflict): another
	// device's newer one, which the page puts back in the form.
	Stored *exams.Answer `json:"stored,omitempty"`
}

// SaveReply answers a batch of saves.
type SaveReply struct {
	Results   []SaveResult `json:"results"`
	ServerNow time.Time    `json:"server_now"`
	Deadline  *time.Time   `json:"deadline,omitempty"`
	Closed    bool         `json:"closed"`
}

// MaxSavesPerRequest bounds a batch (a page re-sending its journal after a network drop).
const MaxSavesPerRequest = 300

// Save stores autosaves. Each is numbered by the page, so a late or repeated save never
// overwrites a newer one, a repeat is idempotent, and after the deadline nothing is written
// (exams.DecideSave; the write itself is conditional, so two replicas racing cannot both win).
func (s *Service) Save(ctx context.Context, actor models.Actor, id uint64, saves []SaveInput) (*SaveReply, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	if len(saves) > MaxSavesPerRequest {
		return nil, models.Invalid("invalid_input", "每次保存最多 %d 个答案", MaxSavesPerRequest)
	}
	// No saves at all is the page's clock check: it answers the server's time, the deadline (it
	// may have moved: added time) and whether the attempt has closed.
	sh, err := s.shapeOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if sh.userID != actor.UserID {
		return nil, models.NotFound("考试")
	}
	fe := models.FieldErrors{}
	type prepared struct {
		in   SaveInput
		json string
	}
	todo := make([]prepared, 0, len(saves))
	for i, sv := range saves {
		it, ok := sh.items[sv.No]
		if !ok {
			fe.Add(fmt.Sprintf("saves.%d.no", i), fmt.Sprintf("第 %d 题不在试卷上", sv.No))
			continue
		}
		if err := it.CheckAnswer(sv.Answer); err != nil {
			fe.Add(fmt.Sprintf("saves.%d.answer", i), err.Error()) // CheckAnswer names the question
			continue
		}
		sv.Answer = sv.Answer.Canonical()
		todo = append(todo, prepared{in: sv, json: mustJSON(sv.Answer)})
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	reply := &SaveReply{ServerNow: now}
	var meta *models.ExamCandidate
	for _, p := range todo {
		r := SaveResult{No: p.in.No, Seq: p.in.Seq}
		if p.in.Seq < 1 {
			r.Outcome = exams.SaveInvalid
		} else {
			wrote, err := s.store.SaveAnswer(ctx, id, p.in.No, p.in.Seq, p.json, now)
			if err != nil {
				return nil, err
			}
			if wrote {
				r.Outcome, r.StoredSeq = exams.SaveAccepted, p.in.Seq
			} else {
				// Not written: tell which case from what is stored (a rare path).
				if meta == nil {
					if meta, err = s.store.CandidateMeta(ctx, id); err != nil {
						return nil, err
					}
				}
				r.Outcome, r.StoredSeq, r.Stored, err = s.classify(ctx, meta, p.in, now)
				if err != nil {
					return nil, err
				}
			}
		}
		r.Message = r.Outcome.Message()
		reply.Results = append(reply.Results, r)
	}
	if meta == nil {
		if meta, err = s.store.CandidateMeta(ctx, id); err != nil {
			return nil, err
		}
	}
	reply.Deadline = meta.Deadline
	reply.Closed = meta.SubmittedAt != nil || (meta.Deadline != nil && !now.Before(*meta.Deadline)) || meta.StartedAt == nil
	return reply, nil
}

// classify decides a save the conditional write refused (exams.DecideSave over what is stored).
func (s *Service) classify(ctx context.Context, c *models.ExamCandidate, in SaveInput, now time.Time) (exams.SaveOutcome, int64, *exams.Answer, error) {
	stored, ok, err := s.store.AnswerOf(ctx, c.ID, in.No)
	if err != nil {
		return "", 0, nil, err
	}
	var st exams.Stored
	if ok {
		st.Seq = stored.Seq
		if err := json.Unmarshal([]byte(stored.Answer), &st.Answer); err != nil {
			return "", 0, nil, fmt.Errorf("candidate %d answer %d: %w", c.ID, in.No, err)
		}
	}
	deadline := now // not started: closed
	switch {
	case c.SubmittedAt != nil:
		deadline = *c.SubmittedAt
	case c.Deadline != nil:
		deadline = *c.Deadline
	}
	out := exams.DecideSave(st, exams.Save{Seq: in.Seq, Answer: in.Answer}, deadline, now)
	if out == exams.SaveAccepted {
		// Accepted in principle but not written: another save of the item won in between with
		// a higher number (the write condition is seq < new), so this one is stale now.
		out = exams.SaveStale
	}
	if ok && (out == exams.SaveStale || out == exams.SaveConflict) {
		// The page shows what the server keeps instead (another device's newer answer).
		return out, st.Seq, &st.Answer, nil
	}
	return out, st.Seq, nil, nil
}

// shapeOf returns a candidate's paper as the save path checks answers against it, from the
// cache after the first call: a sealed paper never changes.
func (s *Service) shapeOf(ctx context.Context, id uint64) (*shape, error) {
	s.mu.RLock()
	sh, ok := s.shapes[id]
	s.mu.RUnlock()
	if ok {
		return sh, nil
	}
	c, err := s.store.CandidateByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		return nil, fmt.Errorf("candidate %d paper: %w", c.ID, err)
	}
	sh = &shape{userID: c.UserID, items: map[int]exams.Item{}}
	for _, it := range p.Items() {
		// Only what CheckAnswer reads: type, option keys, number of blanks.
		opts := make([]exams.Option, len(it.Options))
		for i, o := range it.Options {
			opts[i] = exams.Option{Key: o.Key}
		}
		sh.items[it.No] = exams.Item{No: it.No, Type: it.Type, Options: opts, Blanks: make([]exams.Blank, len(it.Blanks))}
	}
	s.mu.Lock()
	if len(s.shapes) >= 50000 {
		s.shapes = map[uint64]*shape{}
	}
	s.shapes[id] = sh
	s.mu.Unlock()
	return sh, nil
}

// HandIn hands the attempt in and returns the receipt. Handing in again returns the same
// receipt: it is derived from the answers stored when it was handed in.
func (s *Service) HandIn(ctx context.Context, actor models.Actor, id uint64) (*ExamState, error) {
	c, st, err := s.ownCandidate(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if c.StartedAt == nil {
		return nil, models.Conflict("not_started", "尚未开考，不能交卷")
	}
	if c.SubmittedAt == nil {
		if err := s.handIn(ctx, st, c, s.clock.Now(), "candidate"); err != nil {
			return nil, err
		}
	}
	return s.Exam(ctx, actor, id)
}

// handIn closes an attempt at at (by the candidate, or by the deadline job): the attempt is
// marked handed in first, so no save lands after, then the receipt is computed from what is
// stored and the paper graded automatically, in one transaction. An attempt closed late is
// recorded as finished at its deadline.
func (s *Service) handIn(ctx context.Context, st *models.Sitting, c *models.ExamCandidate, at time.Time, by string) error {
	finished := exams.FinishTime(*c.Deadline, at)
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		err := tx.UpdateCandidate(ctx, c.ID, map[string]any{"submitted_at": finished, "closed_by": by, "updated_at": at},
			"already_handed_in", "已交卷", "started_at IS NOT NULL AND submitted_at IS NULL")
		if e, ok := models.AsError(err); ok && e.Code == "already_handed_in" {
			return nil // handed in a moment ago (another tab, the job): one receipt
		}
		if err != nil {
			return err
		}
		answers, err := tx.AnswersOf(ctx, c.ID)
		if err != nil {
			return err
		}
		as, err := decodeAnswers(answers)
		if err != nil {
			return err
		}
		cols, err := s.grading(ctx, tx, st, c, as)
		if err != nil {
			return err
		}
		cols["receipt"] = exams.Receipt(c.ID, as)
		if err := tx.UpdateCandidate(ctx, c.ID, cols, "status_changed", "答卷状态已变化", ""); err != nil {
			return err
		}
		detail := "本人交卷"
		if by == "deadline" {
			detail = "到时自动收卷"
		}
		return tx.AddExamEvents(ctx, models.ExamEvent{CandidateID: c.ID, At: at, Kind: "handed_in", Detail: detail})
	})
}

func decodeAnswers(rows []models.ExamAnswer) (exams.Answers, error) {
	as := exams.Answers{}
	for _, a := range rows {
		var ans exams.Answer
		if err := json.Unmarshal([]byte(a.Answer), &ans); err != nil {
			return nil, fmt.Errorf("answer %d of candidate %d: %w", a.ItemNo, a.CandidateID, err)
		}
		as[a.ItemNo] = ans
	}
	return as, nil
}

// CloseOverdue hands in every attempt whose deadline has passed, whether or not the browser is
// there; each is finished at its deadline. It is the job the scheduler runs (idempotent: an
// attempt is handed in once).
func (s *Service) CloseOverdue(ctx context.Context) (int, error) {
	now := s.clock.Now()
	closed := 0
	sittings := map[uint64]*models.Sitting{}
	// An attempt that cannot be closed (its paper does not grade) is logged and passed over, so
	// that one broken attempt does not keep every later one open; it is tried again next run.
	failed := map[uint64]bool{}
	var firstErr error
	for {
		cs, err := s.store.OverdueCandidates(ctx, now, 200+len(failed))
		if err != nil {
			return closed, err
		}
		progress := false
		for i := range cs {
			c := &cs[i]
			if failed[c.ID] {
				continue
			}
			progress = true
			st, ok := sittings[c.SittingID]
			if !ok {
				if st, err = s.store.SittingByID(ctx, c.SittingID); err != nil {
					return closed, err
				}
				sittings[c.SittingID] = st
			}
			if err := s.handIn(ctx, st, c, now, "deadline"); err != nil {
				failed[c.ID] = true
				s.log.Error("close overdue attempt", "candidate", c.ID, "err", models.LogErr(err))
				if firstErr == nil {
					firstErr = fmt.Errorf("close attempt %d: %w", c.ID, err)
				}
				continue
			}
			closed++
		}
		if !progress {
			return closed, firstErr
		}
	}
}

// EventInput is one thing the exam page noticed.
type EventInput struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// MaxEventsPerAttempt bounds the invigilation evidence one attempt records.
const MaxEventsPerAttempt = 1000

// eventKinds are what the page may report; evidence for the invigilator, never a fail.
var eventKinds = map[string]string{
	"focus_lost": "离开考试页面", "focus_back": "回到考试页面", "hidden": "切换到其他标签页或应用", "visible": "切回考试页面",
	"paste": "粘贴内容", "offline": "网络断开", "online": "网络恢复", "resumed": "重新打开考试页面",
}

// EventLabel names an invigilation event.
func EventLabel(kind string) string {
	if l, ok := eventKinds[kind]; ok {
		return l
	}
	switch kind {
	case "started":
		return "开考"
	case "handed_in":
		return "交卷"
	case "time_added":
		return "加时"
	}
	return kind
}

// RecordEvents stores what the page noticed while the attempt runs, with the server's time.
func (s *Service) RecordEvents(ctx context.Context, actor models.Actor, id uint64, in []EventInput) error {
	c, _, err := s.ownCandidate(ctx, actor, id)
	if err != nil {
		return err
	}
	if len(in) == 0 || len(in) > 50 {
		return models.Invalid("invalid_input", "每次记录 1 至 50 条")
	}
	if c.StartedAt == nil || c.SubmittedAt != nil {
		return models.Conflict("not_running", "考试未在进行中")
	}
	// Evidence, not a log: an attempt keeps at most MaxEventsPerAttempt, which is far more than a
	// real candidate produces; a script flooding them gets 429 and stores no more.
	n, err := s.store.CountExamEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	if n+len(in) > MaxEventsPerAttempt {
		return models.E(models.ErrRateLimited, "too_many_events", "本场考试的异常记录已达上限")
	}
	now := s.clock.Now()
	es := make([]models.ExamEvent, 0, len(in))
	for _, e := range in {
		if _, ok := eventKinds[e.Kind]; !ok {
			return models.Invalid("invalid_input", "未知的记录类型 %q", e.Kind)
		}
		d := strings.TrimSpace(e.Detail)
		if utf8.RuneCountInString(d) > 200 {
			d = string([]rune(d)[:200])
		}
		es = append(es, models.ExamEvent{CandidateID: c.ID, At: now, Kind: e.Kind, Detail: d})
	}
	return s.store.AddExamEvents(ctx, es...)
}
