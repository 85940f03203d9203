package training

import (
	"auxportal/clock"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/exams"
	"auxportal/models"
	"auxportal/screening"
)

func fmtScore(h int64) string { return screening.FormatScore(h) }

// keyFixes loads a sitting's key corrections, by version.
func (s *Service) keyFixes(ctx context.Context, sittingID uint64) (map[uint64]exams.Key, error) {
	return keyFixesIn(ctx, s.store, sittingID)
}

func keyFixesIn(ctx context.Context, st *models.Store, sittingID uint64) (map[uint64]exams.Key, error) {
	fs, err := st.KeyFixesOf(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	out := map[uint64]exams.Key{}
	for _, f := range fs {
		var k exams.Key
		if err := json.Unmarshal([]byte(f.Key), &k); err != nil {
			return nil, fmt.Errorf("key fix %d: %w", f.ID, err)
		}
		out[f.VersionID] = k
	}
	return out, nil
}

func gapOf(st *models.Sitting) (exams.Blueprint, error) {
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(st.Blueprint), &bp); err != nil {
		return bp, fmt.Errorf("sitting %d blueprint: %w", st.ID, err)
	}
	return bp, nil
}

// finalMarks applies the marking rule to a paper's short answers: one mark, or with double
// marking two (and a third when they are too far apart).
func finalMarks(paper exams.Paper, marks []models.ExamMark, double bool, gap int64) (map[int]int64, error) {
	byItem := map[int]*exams.Marks{}
	for _, m := range marks {
		mk := byItem[m.ItemNo]
		if mk == nil {
			mk = &exams.Marks{}
			byItem[m.ItemNo] = mk
		}
		p := m.Points
		switch m.Round {
		case 1:
			mk.First = &p
		case 2:
			mk.Second = &p
		case 3:
			mk.Third = &p
		}
	}
	out := map[int]int64{}
	for no, mk := range byItem {
		it, ok := paper.Item(no)
		if !ok || it.Type != exams.Short {
			continue
		}
		if !double {
			if mk.First != nil {
				out[no] = *mk.First
			}
			continue
		}
		m, err := exams.FinalMark(it.Points, gap, *mk)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", no, err)
		}
		if m.Done {
			out[no] = m.Final
		}
	}
	return out, nil
}

// grading grades a handed-in paper with the sitting's key corrections and the hand marks so far,
// and returns the columns to store.
func (s *Service) grading(ctx context.Context, tx *models.Store, st *models.Sitting, c *models.ExamCandidate, answers exams.Answers) (map[string]any, error) {
	res, err := s.grade(ctx, tx, st, c, answers)
	if err != nil {
		return nil, err
	}
	cols := map[string]any{"result": mustJSON(res), "outcome": string(res.Outcome), "score": nil}
	if res.Outcome != exams.OutcomePending {
		cols["score"] = res.Score
	}
	return cols, nil
}

func (s *Service) grade(ctx context.Context, tx *models.Store, st *models.Sitting, c *models.ExamCandidate, answers exams.Answers) (exams.Result, error) {
	paper, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		return exams.Result{}, fmt.Errorf("candidate %d paper: %w", c.ID, err)
	}
	fixes, err := keyFixesIn(ctx, tx, st.ID)
	if err != nil {
		return exams.Result{}, err
	}
	bp, err := gapOf(st)
	if err != nil {
		return exams.Result{}, err
	}
	marks, err := tx.MarksOfCandidate(ctx, c.ID)
	if err != nil {
		return exams.Result{}, err
	}
	hand, err := finalMarks(paper, marks, st.DoubleMarking, bp.ThirdMarkGap)
	if err != nil {
		return exams.Result{}, err
	}
	for _, it := range paper.Items() {
		// A short answer left blank scores nothing: no marker is asked to mark an empty page
		// (nor could one give it points).
		if it.Type == exams.Short && strings.TrimSpace(answers[it.No].Text) == "" {
			hand[it.No] = 0
		}
	}
	return exams.Regrade(paper, answers, hand, fixes)
}

// regradeCandidate grades a handed-in candidate again from what is stored.
func (s *Service) regradeCandidate(ctx context.Context, tx *models.Store, st *models.Sitting, c *models.ExamCandidate) (exams.Result, exams.Result, error) {
	var before exams.Result
	if c.Result != "" {
		if err := json.Unmarshal([]byte(c.Result), &before); err != nil {
			return before, before, fmt.Errorf("candidate %d result: %w", c.ID, err)
		}
	}
	rows, err := tx.AnswersOf(ctx, c.ID)
	if err != nil {
		return before, before, err
	}
	as, err := decodeAnswers(rows)
	if err != nil {
		return before, before, err
	}
	cols, err := s.grading(ctx, tx, st, c, as)
	if err != nil {
		return before, before, err
	}
	if err := tx.UpdateCandidate(ctx, c.ID, cols, "status_changed", "答卷状态已变化", "submitted_at IS NOT NULL"); err != nil {
		return before, before, err
	}
	var after exams.Result
	_ = json.Unmarshal([]byte(cols["result"].(string)), &after)
	return before, after, nil
}

// ---- Blind marking of short answers ----

// QuestionQueue is one short-answer question of a sitting in the grading queue.
type QuestionQueue struct {
	VersionID uint64 `json:"version_id"`
	Stem      string `json:"stem"`
	Points    string `json:"points"`
	Answers   int    `json:"answers"` // handed-in papers with this question
	Done      int    `json:"done"`    // with their final mark
	ForMe     int    `json:"for_me"`  // the signed-in marker may mark now
	// Waiting says why marking has not begun ("" once it may).
	Waiting string `json:"waiting,omitempty"`
}

// markingState is the marks of one short answer of one candidate.
type markingState struct {
	c      *models.ExamCandidate
	item   exams.Item
	answer string
	marks  []models.ExamMark
	anon   string // the answer's code: its own per question, so one known answer unmasks no other
}

// markingState of a sitting: its answers by version, and whether marking may begin.
type markingSet struct {
	st        *models.Sitting
	byVersion map[uint64][]markingState
	// waiting says why marking has not begun ("" once it may): while a candidate is still
	// writing or may still start, the order of hand-ins in the control room would tell a marker
	// whose answer they read.
	waiting string
}

// questionAnon is an answer's code for the marker: derived from the sitting's secret seed, the
// candidate's anonymous code and the question, so codes of one paper are unrelated.
func questionAnon(st *models.Sitting, c *models.ExamCandidate, versionID uint64) string {
	m := hmac.New(sha256.New, st.Seed)
	fmt.Fprintf(m, "mark:%s:%d", c.AnonCode, versionID)
	sum := m.Sum(nil)
	out := make([]byte, 6)
	for i := range out {
		out[i] = anonAlphabet[int(sum[i])%len(anonAlphabet)]
	}
	return string(out)
}

// needs says which round the answer needs next (0: none) and whether marker may give it.
func (m markingState) needs(double bool, gap int64, marker uint64) (round int, mine bool) {
	var mk exams.Marks
	for _, x := range m.marks {
		p := x.Points
		switch x.Round {
		case 1:
			mk.First = &p
		case 2:
			mk.Second = &p
		case 3:
			mk.Third = &p
		}
		if x.MarkerID == marker {
			mine = true // marked it already
		}
	}
	switch {
	case mk.First == nil:
		round = 1
	case !double:
		return 0, false
	case mk.Second == nil:
		round = 2
	default:
		f, err := exams.FinalMark(m.item.Points, gap, mk)
		if err != nil || f.Done || !f.NeedThird {
			return 0, false
		}
		round = 3
	}
	return round, !mine
}

// marking loads every handed-in short answer of a sitting with its marks, by version.
func (s *Service) marking(ctx context.Context, sittingID uint64) (*markingSet, error) {
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, WithPaper: true})
	if err != nil {
		return nil, err
	}
	answers, err := s.store.AnswersOfSitting(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	text := map[[2]uint64]string{}
	for _, a := range answers {
		var ans exams.Answer
		if err := json.Unmarshal([]byte(a.Answer), &ans); err == nil {
			text[[2]uint64{a.CandidateID, uint64(a.ItemNo)}] = ans.Text
		}
	}
	marks, err := s.store.MarksOfSitting(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	marksOf := map[[2]uint64][]models.ExamMark{}
	for _, m := range marks {
		k := [2]uint64{m.CandidateID, uint64(m.ItemNo)}
		marksOf[k] = append(marksOf[k], m)
	}
	now := s.clock.Now()
	set := &markingSet{st: st, byVersion: map[uint64][]markingState{}}
	running, toStart := 0, 0
	var mayStart []uint64 // applications of those who may still start
	for i := range cs {
		c := &cs[i]
		switch {
		case c.SubmittedAt != nil:
		case c.StartedAt != nil && c.Deadline != nil && now.Before(*c.Deadline):
			running++
			continue
		case c.StartedAt == nil && now.Before(st.LastStart):
			toStart++
			if c.ApplicationID != nil {
				mayStart = append(mayStart, *c.ApplicationID)
			}
			continue
		default:
			continue
		}
		if c.SubmittedAt == nil {
			continue
		}
		p, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
		if err != nil {
			return nil, fmt.Errorf("candidate %d paper: %w", c.ID, err)
		}
		for _, it := range p.Items() {
			if it.Type != exams.Short {
				continue
			}
			k := [2]uint64{c.ID, uint64(it.No)}
			if strings.TrimSpace(text[k]) == "" {
				continue // blank: scored 0 without a marker (grade)
			}
			set.byVersion[it.VersionID] = append(set.byVersion[it.VersionID], markingState{c: c, item: it, answer: text[k],
				marks: marksOf[k], anon: questionAnon(st, c, it.VersionID)})
		}
	}
	if running == 0 && toStart > 0 && toStart <= 500 && len(mayStart) == toStart {
		// Those who dropped out or withdrew since will not start: they do not hold marking up.
		apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{IDs: mayStart})
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			switch a.Status {
			case models.AppProposed, models.AppHired, models.AppNotHired:
			default:
				toStart--
			}
		}
	}
	if (running > 0 || toStart > 0) && now.Before(st.Closes) {
		set.waiting = fmt.Sprintf("考生仍在作答（%d 人作答中，%d 人尚可开考）：匿名评阅在全部考生交卷或最晚开考时间 %s 过后、无人作答时开始",
			running, toStart, clock.FormatChina(st.LastStart))
	}
	return set, nil
}

// GradingQueue lists a sitting's short-answer questions with what is left to mark; graders see
// questions and counts, never a name.
func (s *Service) GradingQueue(ctx context.Context, actor models.Actor, sittingID uint64) ([]QuestionQueue, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	set, err := s.marking(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	st := set.st
	bp, err := gapOf(st)
	if err != nil {
		return nil, err
	}
	out := []QuestionQueue{}
	for v, states := range set.byVersion {
		q := QuestionQueue{VersionID: v, Stem: clip(states[0].item.Stem, 80), Points: score(states[0].item.Points), Answers: len(states),
			Waiting: set.waiting}
		for _, m := range states {
			round, mine := m.needs(st.DoubleMarking, bp.ThirdMarkGap, actor.UserID)
			if round == 0 {
				q.Done++
			} else if mine && set.waiting == "" {
				q.ForMe++
			}
		}
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].VersionID < out[j].VersionID })
	return out, nil
}

// MarkTask is one answer to mark, as blind as it can be: an anonymous code and the answer,
// never a name, an ID number, a town or another marker's mark.
type MarkTask struct {
	SittingID uint64 `json:"sitting_id"`
	VersionID uint64 `json:"version_id"`
	Anon      string `json:"anon_code"`
	Round     int    `json:"round"`
	Stem      string `json:"stem"`
	Reference string `json:"reference"`
	Rubric    string `json:"rubric"`
	Points    string `json:"points"`
	Answer    string `json:"answer"`
	Remaining int    `json:"remaining"` // answers of this question the marker may still mark, this one included
}

// NextToMark is the next answer to a short-answer question the marker may mark, or nil when
// none is left for them.
func (s *Service) NextToMark(ctx context.Context, actor models.Actor, sittingID, versionID uint64) (*MarkTask, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	set, err := s.marking(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	st := set.st
	if st.Status == models.SittingPublished {
		return nil, models.Conflict("published", "成绩已发布，不能再评分")
	}
	if set.waiting != "" {
		return nil, nil // nothing to mark yet (GradingQueue says why)
	}
	bp, err := gapOf(st)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var task *MarkTask
	left := 0
	// In the order of the answers' codes, which says nothing about who anyone is; an answer
	// another marker has open is passed over, so two markers of one question get different ones.
	states := set.byVersion[versionID]
	sort.Slice(states, func(i, j int) bool { return states[i].anon < states[j].anon })
	for _, m := range states {
		round, mine := m.needs(st.DoubleMarking, bp.ThirdMarkGap, actor.UserID)
		if round == 0 || !mine {
			continue
		}
		left++
		if task != nil {
			continue
		}
		held, err := s.store.ClaimMark(ctx, m.c.ID, m.item.No, actor.UserID, now, now.Add(MarkHold))
		if err != nil {
			return nil, err
		}
		if !held {
			continue
		}
		task = &MarkTask{SittingID: st.ID, VersionID: versionID, Anon: m.anon, Round: round, Stem: m.item.Stem,
			Reference: m.item.Reference, Rubric: m.item.Rubric, Points: score(m.item.Points), Answer: m.answer}
	}
	if task != nil {
		task.Remaining = left
	}
	return task, nil
}

// MarkHold is how long an answer offered to a marker is kept from the others.
const MarkHold = 15 * time.Minute

// MarkInput is a marker's mark of one answer.
type MarkInput struct {
	Anon      string `json:"anon_code"`
	VersionID uint64 `json:"version_id"`
	Points    string `json:"points"`
	Comment   string `json:"comment"`
}

// Mark records a hand mark and regrades the paper. The round is the one the answer needs; a
// marker marks an answer once, so double marking is two different people, and a third mark a
// third person.
func (s *Service) Mark(ctx context.Context, actor models.Actor, sittingID uint64, in MarkInput) (*MarkTask, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	fe := models.FieldErrors{}
	pts, err := screening.ParseScore(in.Points)
	if err != nil {
		fe.Add("points", "请填写得分："+err.Error())
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(in.Comment) > 500 {
		fe.Add("comment", "评语不能超过 500 字")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	set, err := s.marking(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	st, byVersion := set.st, set.byVersion
	if st.Status == models.SittingPublished {
		return nil, models.Conflict("published", "成绩已发布，不能再评分")
	}
	if set.waiting != "" {
		return nil, models.Conflict("marking_not_open", "%s", set.waiting)
	}
	bp, err := gapOf(st)
	if err != nil {
		return nil, err
	}
	var target *markingState
	for i := range byVersion[in.VersionID] {
		if m := &byVersion[in.VersionID][i]; m.anon == strings.TrimSpace(in.Anon) {
			target = m
		}
	}
	if target == nil {
		return nil, models.NotFound("答卷")
	}
	if pts > target.item.Points {
		return nil, fieldErrOf("points", fmt.Sprintf("得分不能超过本题满分 %s", score(target.item.Points)))
	}
	round, mine := target.needs(st.DoubleMarking, bp.ThirdMarkGap, actor.UserID)
	switch {
	case round == 0:
		return nil, models.Conflict("already_marked", "该答案已评完")
	case !mine:
		return nil, models.Conflict("already_marked", "您已评过该答案；双评须由另一位培训员完成")
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		// One mark at a time per sitting (its row lock, taken first): a regrade computed from a
		// snapshot without another trainer's mark of another question would overwrite it, and a
		// mark must not land after the publication.
		cur, err := tx.LockSitting(ctx, st.ID)
		if err != nil {
			return err
		}
		if cur.Status == models.SittingPublished {
			return models.Conflict("published", "成绩已发布，不能再评分")
		}
		if err := tx.AddMark(ctx, &models.ExamMark{CandidateID: target.c.ID, ItemNo: target.item.No, Round: round,
			MarkerID: actor.UserID, Points: pts, Comment: in.Comment, At: s.clock.Now()}); err != nil {
			return err
		}
		if _, _, err = s.regradeCandidate(ctx, tx, st, target.c); err != nil {
			return err
		}
		return tx.ReleaseMark(ctx, target.c.ID, target.item.No)
	})
	if err != nil {
		return nil, err
	}
	return s.NextToMark(ctx, actor, sittingID, in.VersionID)
}

func fieldErrOf(field, msg string) error {
	fe := models.FieldErrors{}
	fe.Add(field, msg)
	return fe.Err()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ---- Key corrections ----

// KeyFixInput corrects a wrong key of one question version, in the bank's option keys.
type KeyFixInput struct {
	VersionID uint64    `json:"version_id"`
	Key       exams.Key `json:"key"`
	Reason    string    `json:"reason"`
}

// ResultChange is a candidate whose result a regrade changed. Grading by hand is blind; this
// view is the trainers' record, so it names the candidate.
type ResultChange struct {
	CandidateID uint64       `json:"candidate_id"`
	Name        string       `json:"name"`
	TicketNo    string       `json:"ticket_no"`
	Change      exams.Change `json:"change"`
	Before      string       `json:"before"`
	After       string       `json:"after"`
}

// FixKey corrects a key for the whole sitting and regrades every handed-in paper, returning
// whose result changed. The bank gets a new version with the right key, for later papers;
// papers already sealed keep what their candidates saw.
func (s *Service) FixKey(ctx context.Context, actor models.Actor, sittingID uint64, in KeyFixInput) ([]ResultChange, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > 500 {
		return nil, fieldErrOf("reason", "请填写更正答案的原因（不超过 500 字）")
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	if st.Status == models.SittingPublished {
		return nil, models.Conflict("published", "成绩已发布，不能再更正答案")
	}
	v, err := s.store.QuestionVersionByID(ctx, in.VersionID)
	if err != nil {
		return nil, err
	}
	var q exams.Question
	if err := json.Unmarshal([]byte(v.Content), &q); err != nil {
		return nil, fmt.Errorf("version %d: %w", v.ID, err)
	}
	if q.Type == exams.Short {
		// Short answers are marked by hand against the rubric; they have no key to correct.
		return nil, fieldErrOf("version_id", "简答题由人工评分，没有标准答案可更正")
	}
	onPaper, err := s.versionOnPapers(ctx, st.ID, v.ID)
	if err != nil {
		return nil, err
	}
	if !onPaper {
		return nil, fieldErrOf("version_id", "该试题不在本场考试的试卷上")
	}
	fixed, err := q.WithKey(in.Key)
	if err != nil {
		return nil, questionErr(err)
	}
	var changes []ResultChange
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		// The sitting's row lock orders this fix against the publication, marks and other
		// fixes: checked again under it, a published sitting is never regraded, and no fix is
		// computed from a snapshot missing another one.
		cur, err := tx.LockSitting(ctx, st.ID)
		if err != nil {
			return err
		}
		if cur.Status == models.SittingPublished {
			return models.Conflict("published", "成绩已发布，不能再更正答案")
		}
		if err := tx.PutKeyFix(ctx, &models.KeyFix{SittingID: st.ID, VersionID: v.ID, Key: mustJSON(fixed.Key()),
			Reason: in.Reason, By: actor.UserID, At: s.clock.Now()}); err != nil {
			return err
		}
		cs, err := tx.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, WithPaper: true})
		if err != nil {
			return err
		}
		for i := range cs {
			c := &cs[i]
			if c.SubmittedAt == nil {
				continue
			}
			before, after, err := s.regradeCandidate(ctx, tx, st, c)
			if err != nil {
				return err
			}
			if ch := exams.Compare(before, after); ch.Changed {
				changes = append(changes, ResultChange{CandidateID: c.ID, Name: c.Name, TicketNo: c.TicketNo, Change: ch,
					Before: before.Summary(), After: after.Summary()})
			}
		}
		// The bank's question gets the right key for papers still to be made.
		row, err := tx.BankQuestionByID(ctx, v.QuestionID)
		if err != nil {
			return err
		}
		current, err := tx.QuestionVersionByID(ctx, row.CurrentVersionID)
		if err != nil {
			return err
		}
		if sameButKey(current, v) && fixed.Hash() != current.Hash {
			nv := &models.QuestionVersion{Hash: fixed.Hash(), Content: mustJSON(fixed), CreatedBy: actor.UserID, CreatedAt: s.clock.Now()}
			if err := tx.AddQuestionVersion(ctx, row, nv); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "exam.key_fix", "sitting", st.ID, nil, in.Reason,
			map[string]any{"version": v.ID, "question": v.QuestionID, "changed": len(changes)})
	})
	if err != nil {
		return nil, err
	}
	if changes == nil {
		changes = []ResultChange{}
	}
	return changes, nil
}

// ---- Results and the hiring gate ----

// PublishResults publishes a sitting's results once grading is complete: every candidate sees
// score and pass/fail (and, if the sitting allows, their paper with the key). For the pre-job
// training it applies the hiring gate (rules T-1, T-3): a proposed hire who passes is hired;
// one who fails — or did not sit — is not hired, whatever their recruitment rank, unless their
// opening allows one makeup sitting and this was the first failure.
func (s *Service) PublishResults(ctx context.Context, actor models.Actor, sittingID uint64) (*SittingView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	v, err := s.Sitting(ctx, actor, sittingID)
	if err != nil {
		return nil, err
	}
	if !v.CanPublish {
		return nil, models.Conflict("cannot_publish", "暂不能发布成绩：%s", v.PublishBlocker)
	}
	now := s.clock.Now()
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		st, err := tx.LockSitting(ctx, sittingID)
		if err != nil {
			return err
		}
		if err := tx.PublishSitting(ctx, st.ID, actor.UserID, now); err != nil {
			return err
		}
		cs, err := tx.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID})
		if err != nil {
			return err
		}
		passed := 0
		for i := range cs {
			c := &cs[i]
			switch {
			case c.StartedAt == nil:
				// 缺考: did not pass.
				if err := tx.UpdateCandidate(ctx, c.ID, map[string]any{"outcome": string(exams.OutcomeFail), "score": int64(0)},
					"status_changed", "答卷状态已变化", ""); err != nil {
					return err
				}
				c.Outcome = string(exams.OutcomeFail)
			case c.SubmittedAt == nil || c.Outcome == string(exams.OutcomePending) || c.Outcome == "":
				return models.Conflict("cannot_publish", "考生 %s 的答卷尚未评完", c.TicketNo)
			}
			pass := c.Outcome == string(exams.OutcomePass)
			if pass {
				passed++
			}
			if st.Purpose != models.PurposePreJob || c.ApplicationID == nil {
				continue
			}
			line := fmt.Sprintf("%s：%s", st.Title, resultLine(c))
			gate, err := s.rec.TrainingResult(ctx, tx, actor, *c.ApplicationID, pass, line)
			if err != nil {
				return err
			}
			if err := tx.UpdateCandidate(ctx, c.ID, map[string]any{"gate": gate}, "status_changed", "答卷状态已变化", ""); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "sitting.publish", "sitting", st.ID, nil, "",
			map[string]any{"candidates": len(cs), "passed": passed})
	})
	if err != nil {
		return nil, err
	}
	return s.Sitting(ctx, actor, sittingID)
}

// ---- Item statistics ----

// ItemStatView is one question's statistics over a sitting, for improving the bank.
type ItemStatView struct {
	exams.ItemStat
	Stem     string     `json:"stem"`
	Type     exams.Type `json:"type"`
	Category string     `json:"category"`
}

// Statistics computes item difficulty and discrimination over the completely graded papers.
func (s *Service) Statistics(ctx context.Context, actor models.Actor, sittingID uint64) ([]ItemStatView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, WithPaper: true})
	if err != nil {
		return nil, err
	}
	var cohort []exams.Scored
	items := map[uint64]exams.Item{}
	for i := range cs {
		c := &cs[i]
		if c.Result == "" || c.Score == nil {
			continue
		}
		var res exams.Result
		if err := json.Unmarshal([]byte(c.Result), &res); err != nil {
			return nil, fmt.Errorf("candidate %d result: %w", c.ID, err)
		}
		if res.Outcome == exams.OutcomePending {
			continue
		}
		cohort = append(cohort, exams.Scored{Candidate: c.AnonCode, Items: res.Responses()})
		p, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items() {
			items[it.VersionID] = it
		}
	}
	out := []ItemStatView{}
	for _, stat := range exams.ItemStatistics(cohort) {
		it := items[stat.VersionID]
		out = append(out, ItemStatView{ItemStat: stat, Stem: clip(it.Stem, 60), Type: it.Type, Category: string(it.Category)})
	}
	return out, nil
}

// keyText writes an item's key as a candidate reads it.
func keyText(it exams.Item) string {
	switch it.Type {
	case exams.Single, exams.Multiple:
		return strings.Join(it.Correct, "")
	case exams.TrueFalse:
		if it.Truth != nil && *it.Truth {
			return "对"
		}
		return "错"
	case exams.Fill:
		parts := make([]string, len(it.Blanks))
		for i, b := range it.Blanks {
			parts[i] = strings.Join(b.Accepted, " / ")
		}
		return strings.Join(parts, "；")
	}
	return it.Reference
}

// answerText writes a candidate's answer.
func answerText(it exams.Item, a exams.Answer) string {
	switch it.Type {
	case exams.Single, exams.Multiple:
		return strings.Join(a.Choices, "")
	case exams.TrueFalse:
		switch {
		case a.Truth == nil:
			return ""
		case *a.Truth:
			return "对"
		}
		return "错"
	case exams.Fill:
		return strings.Join(a.Blanks, "；")
	}
	return a.Text
}

// sameButKey reports whether version a is version b with, at most, another key: the bank's
// question after an earlier key fix of b, which a second fix of b must correct again.
func sameButKey(a, b *models.QuestionVersion) bool {
	if a.ID == b.ID {
		return true
	}
	var qa, qb exams.Question
	if json.Unmarshal([]byte(a.Content), &qa) != nil || json.Unmarshal([]byte(b.Content), &qb) != nil {
		return false
	}
	rekeyed, err := qb.WithKey(qa.Key())
	return err == nil && rekeyed.Hash() == qa.Hash()
}

// versionOnPapers reports whether a question version is on any paper of the sitting.
func (s *Service) versionOnPapers(ctx context.Context, sittingID, versionID uint64) (bool, error) {
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &sittingID, WithPaper: true})
	if err != nil {
		return false, err
	}
	for i := range cs {
		p, err := exams.Open(exams.Sealed{JSON: cs[i].Paper, SHA256: cs[i].PaperHash})
		if err != nil {
			return false, fmt.Errorf("candidate %d paper: %w", cs[i].ID, err)
		}
		for _, it := range p.Items() {
			if it.VersionID == versionID {
				return true, nil
			}
		}
	}
	return false, nil
}
