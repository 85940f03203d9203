package training_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
)

// Rule T-4: the bank keeps questions of the four subjects in five types; trainers and the
// district keep it, nobody else; a question's edit is a new version; duplicates are refused.
func TestBank_T4_QuestionsVersionsAndAuthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := exams.DemoBank()[0]
	for _, a := range []models.Actor{e.applicant, e.townAdmin, {}} {
		if _, err := e.svc.CreateQuestion(e.ctx, a, q); err == nil {
			t.Errorf("%q created a question", a.Role)
		}
	}
	v, err := e.svc.CreateQuestion(e.ctx, e.trainer, q)
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 1 || v.Question.Stem != q.Stem {
		t.Errorf("created %+v", v)
	}
	_, err = e.svc.CreateQuestion(e.ctx, e.district, q)
	wantCode(t, err, models.ErrConflict, "duplicate_question")
	bad := q
	bad.Correct = nil
	_, err = e.svc.CreateQuestion(e.ctx, e.trainer, bad)
	me := wantCode(t, err, models.ErrInvalid, "invalid_input")
	if me.Fields["correct"] == "" {
		t.Errorf("fields %v", me.Fields)
	}
	edit := q
	edit.Stem = q.Stem + "（修订）"
	v2, err := e.svc.UpdateQuestion(e.ctx, e.trainer, v.ID, edit)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.VersionID == v.VersionID || !strings.HasSuffix(v2.Question.Stem, "（修订）") {
		t.Errorf("after editing: %+v", v2)
	}
	if v3, _ := e.svc.UpdateQuestion(e.ctx, e.trainer, v.ID, edit); v3.Version != 2 {
		t.Errorf("an unchanged save made version %d", v3.Version)
	}
	if _, err := e.svc.ArchiveQuestion(e.ctx, e.trainer, v.ID, true); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.Bank(e.ctx, e.trainer, models.BankFilter{})
	if err != nil || page.Total != 0 {
		t.Errorf("live bank after archiving: %d, %v", page.Total, err)
	}
}

// A paper keeps the version it was made from: editing a question after scheduling changes
// nobody's paper.
func TestSchedule_T1_PapersKeepTheirVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	e.sitting(t, o)
	cid := e.candidateOf(t, people["甲"])
	before := e.paper(t, cid)
	for _, it := range before.Items() {
		q, err := e.svc.Question(e.ctx, e.trainer, it.QuestionID)
		if err != nil {
			t.Fatal(err)
		}
		edit := q.Question
		edit.Stem += "（改）"
		if _, err := e.svc.UpdateQuestion(e.ctx, e.trainer, it.QuestionID, edit); err != nil {
			t.Fatal(err)
		}
	}
	after := e.paper(t, cid)
	b1, _ := before.Canonical()
	b2, _ := after.Canonical()
	if !bytes.Equal(b1, b2) {
		t.Error("editing the bank changed a sealed paper")
	}
}

// The bank's workbook: the template, an import that reports bad rows by row and column and
// imports nothing of that file, and an export that imports back as the same questions (which
// are then skipped, not doubled).
func TestBank_ImportExportXLSX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var tpl bytes.Buffer
	if err := e.svc.BankTemplate(e.trainer, &tpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"法律法规", "单选题", "易", "城市管理辅助人员能否单独实施行政处罚？", "能", "不能", "", "", "", "", "", "", "B", "", "只有执法人员可以", ""},
		{"业务技能", "判断题", "中", "发现占道经营应立即报告执法人员。", "", "", "", "", "", "", "", "", "对", "", "", ""},
		{"纪律作风", "单选题", "易", "错误示例", "甲", "乙", "", "", "", "", "", "", "AB", "", "", ""},
		{"职业道德", "简答题", "难", "", "", "", "", "", "", "", "", "", "", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 20+i)
		if err := f.SetSheetRow(exams.SheetBank, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ImportBank(e.ctx, e.trainer, bytes.NewReader(filled.Bytes()))
	me := wantCode(t, err, models.ErrInvalid, "import_rejected")
	if me.Fields["M22"] == "" || !strings.Contains(me.Fields["M22"], "第 22 行 M 列") || me.Fields["D23"] == "" {
		t.Errorf("problems %v", me.Fields)
	}
	if p, _ := e.svc.Bank(e.ctx, e.trainer, models.BankFilter{}); p.Total != 0 {
		t.Fatalf("a rejected file imported %d questions", p.Total)
	}
	// Without the bad rows it goes in.
	for range 2 { // rows 22 and 23
		if err := f.RemoveRow(exams.SheetBank, 22); err != nil {
			t.Fatal(err)
		}
	}
	filled.Reset()
	_ = f.Write(&filled)
	res, err := e.svc.ImportBank(e.ctx, e.trainer, bytes.NewReader(filled.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 {
		t.Fatalf("added %d, want 2 (%+v)", res.Added, res)
	}
	var out bytes.Buffer
	if err := e.svc.ExportBank(e.ctx, e.trainer, &out); err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.ImportBank(e.ctx, e.trainer, bytes.NewReader(out.Bytes()))
	if err != nil || again.Added != 0 || again.Skipped != 2 {
		t.Errorf("re-importing the export: %+v %v", again, err)
	}
	_, err = e.svc.ImportBank(e.ctx, e.trainer, strings.NewReader("not a workbook"))
	wantCode(t, err, models.ErrInvalid, "not_a_workbook")
	_, err = e.svc.ImportBank(e.ctx, e.townAdmin, bytes.NewReader(out.Bytes()))
	wantKind(t, err, models.ErrForbidden)
}

// Rule T-1: scheduling checks that the bank can fill the blueprint and says which cell is
// short and by how many; otherwise it builds and seals every candidate's paper at once.
func TestSchedule_T1_BankShortagesThenSealedPapers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, people := e.proposedHires(t, false, "甲", "乙", "丙")
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "方案", Spec: smallBlueprint()})
	if err != nil {
		t.Fatal(err)
	}
	if len(bp.Shortages) != 5 || !strings.Contains(bp.Shortages[0], "缺 2 题") {
		t.Errorf("shortages of an empty bank: %v", bp.Shortages)
	}
	in := training.SittingInput{Title: "第一期", BlueprintID: bp.ID, Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00",
		Venue: "考场", OpeningIDs: []uint64{o}}
	_, err = e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	me := wantCode(t, err, models.ErrInvalid, "bank_short")
	if !strings.Contains(me.Message, "法律法规·单选题·难度不限：需要 2 题，题库只有 0 题，缺 2 题") {
		t.Errorf("message %q", me.Message)
	}
	e.demoBank(t)
	for _, c := range []struct {
		name  string
		mod   func(*training.SittingInput)
		field string
	}{
		{"window shorter than the paper", func(in *training.SittingInput) { in.Closes = "2026-07-10T09:20" }, "closes"},
		{"window over", func(in *training.SittingInput) { in.Opens, in.Closes = "2026-06-01T09:00", "2026-06-01T11:00" }, "closes"},
		{"no openings", func(in *training.SittingInput) { in.OpeningIDs = nil }, "opening_ids"},
		{"bad time", func(in *training.SittingInput) { in.Opens = "明天" }, "opens"},
		{"no venue", func(in *training.SittingInput) { in.Venue = "" }, "venue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := in
			c.mod(&x)
			_, err := e.svc.ScheduleSitting(e.ctx, e.trainer, x)
			me := wantCode(t, err, models.ErrInvalid, "invalid_input")
			if me.Fields[c.field] == "" {
				t.Errorf("fields %v", me.Fields)
			}
		})
	}
	_, err = e.svc.ScheduleSitting(e.ctx, e.townAdmin, in)
	wantKind(t, err, models.ErrForbidden)
	v, err := e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Candidates != 3 || v.Questions != 6 || v.Total != "100.00" {
		t.Fatalf("sitting %+v", v)
	}
	// Every paper sealed, each its own order (the bank allows it), none with the same order.
	orders := map[string]bool{}
	for _, n := range []string{"甲", "乙", "丙"} {
		cid := e.candidateOf(t, people[n])
		p := e.paper(t, cid)
		var ids []string
		for _, it := range p.Items() {
			ids = append(ids, fmt.Sprint(it.VersionID))
		}
		orders[strings.Join(ids, ",")] = true
	}
	if len(orders) < 2 {
		t.Errorf("the three papers have the same draw and order")
	}
	// The same people cannot be put into a second sitting while this one is open.
	_, err = e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	wantCode(t, err, models.ErrInvalid, "no_candidates")
	// Their timelines say when and where.
	apps, _ := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &o})
	v2, _ := e.rec.ApplicationFor(e.ctx, e.district, apps[0].ID)
	if last := v2.Events[len(v2.Events)-1].Message; !strings.Contains(last, "准考证号") || !strings.Contains(last, "考场") {
		t.Errorf("timeline %q", last)
	}
}

// The attempt clock on a fake clock: no start before the window; the server fixes the deadline
// at start + duration + accommodation, never past the window's end; a start after the last
// start time is refused.
func TestAttempt_T1_DeadlineArithmetic(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙", "丙", "丁")
	e.sitting(t, o)
	cids := map[string]uint64{}
	for n, who := range people {
		cids[n] = e.candidateOf(t, who)
	}
	_, err := e.svc.SetAccommodation(e.ctx, e.trainer, cids["乙"], 20, "视力障碍，需放大试卷")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(opens.Add(-time.Minute))
	_, err = e.svc.Start(e.ctx, people["甲"], cids["甲"])
	wantCode(t, err, models.ErrConflict, "cannot_start_not_open")
	e.clock.Set(opens.Add(10 * time.Minute))
	for n, want := range map[string]time.Time{
		"甲": opens.Add(40 * time.Minute), // 30 minutes
		"乙": opens.Add(60 * time.Minute), // 30 + 20 accommodation
	} {
		st, err := e.svc.Start(e.ctx, people[n], cids[n])
		if err != nil {
			t.Fatal(err)
		}
		if !st.Deadline.Equal(want) || st.State != training.StateRunning || st.Paper == nil {
			t.Errorf("%s: deadline %v, want %v (%s)", n, st.Deadline, want, st.State)
		}
	}
	_, err = e.svc.SetAccommodation(e.ctx, e.trainer, cids["乙"], 30, "再延")
	wantCode(t, err, models.ErrConflict, "already_started")
	// Late: the window's end cuts the time, and the page is told before the start.
	e.clock.Set(closes.Add(-20 * time.Minute))
	pre, _ := e.svc.Exam(e.ctx, people["丙"], cids["丙"])
	if !pre.Shortened || pre.Allowed != 20 {
		t.Errorf("before a late start: shortened %v allowed %d", pre.Shortened, pre.Allowed)
	}
	st, err := e.svc.Start(e.ctx, people["丙"], cids["丙"])
	if err != nil || !st.Deadline.Equal(closes) {
		t.Fatalf("late start: %v %v", st, err)
	}
	e.clock.Set(closes.Add(-4 * time.Minute))
	_, err = e.svc.Start(e.ctx, people["丁"], cids["丁"])
	wantCode(t, err, models.ErrConflict, "cannot_start_no_more_starts")
	// Starting twice resumes the same attempt.
	again, err := e.svc.Start(e.ctx, people["甲"], cids["甲"])
	if err != nil || !again.Deadline.Equal(opens.Add(40*time.Minute)) {
		t.Errorf("second start: %v %v", again, err)
	}
}

// Save ordering: a late or repeated save never overwrites a newer one; a repeat is idempotent;
// a conflicting repeat is refused; after the deadline nothing is written; everything saved
// before counts. Another person cannot save into someone's attempt.
func TestSave_OrderingStaleDuplicateConflictClosed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	_, err := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: 1, Seq: 1, Answer: exams.Answer{Choices: []string{"A"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := e.svc.Exam(e.ctx, who, cid); len(st.Answers) != 0 {
		t.Fatalf("a save before the start was stored: %+v", st.Answers)
	}
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	p := e.paper(t, cid)
	single := firstOf(p, exams.Single)
	a, b := exams.Answer{Choices: []string{"A"}}, exams.Answer{Choices: []string{"B"}}
	save := func(seq int64, ans exams.Answer) training.SaveResult {
		t.Helper()
		r, err := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: single.No, Seq: seq, Answer: ans}})
		if err != nil {
			t.Fatal(err)
		}
		return r.Results[0]
	}
	for _, c := range []struct {
		name string
		seq  int64
		ans  exams.Answer
		want exams.SaveOutcome
	}{
		{"first", 5, a, exams.SaveAccepted},
		{"newer", 7, b, exams.SaveAccepted},
		{"late older save", 6, a, exams.SaveStale},
		{"retry of the newest", 7, b, exams.SaveDuplicate},
		{"same number, other answer", 7, a, exams.SaveConflict},
		{"zero", 0, a, exams.SaveInvalid},
	} {
		if r := save(c.seq, c.ans); r.Outcome != c.want {
			t.Errorf("%s: %s (stored %d), want %s", c.name, r.Outcome, r.StoredSeq, c.want)
		}
	}
	st, _ := e.svc.Exam(e.ctx, who, cid)
	if !st.Answers[single.No].Equal(b) || st.Seqs[single.No] != 7 || st.LastSeq != 7 {
		t.Errorf("stored %+v seq %d last %d", st.Answers[single.No], st.Seqs[single.No], st.LastSeq)
	}
	// Malformed answers are refused with a message, not stored.
	_, err = e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: single.No, Seq: 9, Answer: exams.Answer{Choices: []string{"Z"}}}})
	wantKind(t, err, models.ErrInvalid)
	_, err = e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: 99, Seq: 9, Answer: a}})
	wantKind(t, err, models.ErrInvalid)
	// Someone else's attempt does not exist for them.
	_, err = e.svc.Save(e.ctx, people["乙"], cid, []training.SaveInput{{No: single.No, Seq: 10, Answer: a}})
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Exam(e.ctx, people["乙"], cid)
	wantKind(t, err, models.ErrNotFound)
	// At the deadline: closed, and the answer saved before still counts.
	e.clock.Set(opens.Add(30 * time.Minute))
	if r := save(11, a); r.Outcome != exams.SaveClosed {
		t.Errorf("at the deadline: %s", r.Outcome)
	}
	if r := save(7, b); r.Outcome != exams.SaveDuplicate {
		t.Errorf("a retry of a save made in time: %s", r.Outcome)
	}
	st, _ = e.svc.Exam(e.ctx, who, cid)
	if !st.Answers[single.No].Equal(b) {
		t.Errorf("after the deadline the answer is %+v", st.Answers[single.No])
	}
}

func firstOf(p exams.Paper, t exams.Type) exams.Item {
	for _, it := range p.Items() {
		if it.Type == t {
			return it
		}
	}
	return exams.Item{}
}

// Concurrent saves out of order (two tabs, retries, a journal re-sent after a drop): whatever
// the interleaving, each item ends with its highest-numbered answer, and nothing is lost.
func TestSave_ConcurrentOutOfOrderKeepsTheNewest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	items := e.paper(t, cid).Items()
	type job struct {
		no  int
		seq int64
		ans exams.Answer
	}
	var jobs []job
	want := map[int]exams.Answer{}
	seq := int64(0)
	for round := 0; round < 4; round++ {
		for _, it := range items {
			seq++
			a := wrongAnswer(it)
			if round%2 == 1 {
				a = rightAnswer(it)
			}
			jobs = append(jobs, job{it.No, seq, a})
			want[it.No] = a
		}
	}
	// Shuffle, and send everything twice from 8 goroutines.
	jobs = append(jobs, jobs...)
	sort.Slice(jobs, func(i, j int) bool { return (jobs[i].seq*7919+int64(i))%97 < (jobs[j].seq*7919+int64(j))%97 })
	var wg sync.WaitGroup
	ch := make(chan job)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				if _, err := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: j.no, Seq: j.seq, Answer: j.ans}}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	st, _ := e.svc.Exam(e.ctx, who, cid)
	for no, a := range want {
		if !st.Answers[no].Equal(a) {
			t.Errorf("item %d: %+v, want the newest %+v", no, st.Answers[no], a)
		}
	}
	if st.LastSeq != seq {
		t.Errorf("last seq %d, want %d", st.LastSeq, seq)
	}
}

// Resume: reloading, or signing in on another device, gives back exactly the answers and the
// deadline; handing in is idempotent and gives a receipt derived from the stored answers.
func TestHandIn_ReceiptIdempotentAndResumable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	first, err := e.svc.Start(e.ctx, who, cid)
	if err != nil {
		t.Fatal(err)
	}
	e.answerAll(t, who, cid, true)
	e.clock.Advance(3 * time.Minute)
	resumed, _ := e.svc.Exam(e.ctx, who, cid) // another device: same state
	if !resumed.Deadline.Equal(*first.Deadline) || len(resumed.Answers) != 6 || resumed.State != training.StateRunning {
		t.Fatalf("resumed %+v", resumed)
	}
	done, err := e.svc.HandIn(e.ctx, who, cid)
	if err != nil {
		t.Fatal(err)
	}
	if done.Receipt == "" || done.State != training.StateHandedIn || done.ClosedBy != "candidate" {
		t.Fatalf("handed in %+v", done)
	}
	as := exams.Answers{}
	for no, a := range resumed.Answers {
		as[no] = a
	}
	if want := exams.Receipt(cid, as); done.Receipt != want {
		t.Errorf("receipt %s, want %s from the stored answers", done.Receipt, want)
	}
	again, err := e.svc.HandIn(e.ctx, who, cid)
	if err != nil || again.Receipt != done.Receipt {
		t.Errorf("second hand-in: %v %v", again, err)
	}
	r, _ := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: 1, Seq: 100, Answer: rightAnswer(e.paper(t, cid).Items()[0])}})
	if r.Results[0].Outcome != exams.SaveClosed || !r.Closed {
		t.Errorf("a save after handing in: %+v", r)
	}
	// The trainer's record shows the same receipt.
	live, _ := e.svc.Live(e.ctx, e.trainer, liveSitting(t, e))
	if live.Rows[0].Receipt != done.Receipt || live.Rows[0].State != training.LiveHandedIn {
		t.Errorf("control room row %+v", live.Rows[0])
	}
}

func liveSitting(t *testing.T, e *env) uint64 {
	t.Helper()
	ss, err := e.svc.Sittings(e.ctx, e.trainer)
	if err != nil || len(ss) == 0 {
		t.Fatalf("sittings %v %v", ss, err)
	}
	return ss[0].ID
}

// At the deadline the attempt closes on the server whether or not the browser is there: the
// job hands it in with the deadline as its finish time, and what was saved before counts.
func TestCloseOverdue_T1_ClosedAtTheDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	e.sitting(t, o)
	a, b := e.candidateOf(t, people["甲"]), e.candidateOf(t, people["乙"])
	e.clock.Set(opens)
	for _, c := range []struct {
		who models.Actor
		id  uint64
	}{{people["甲"], a}, {people["乙"], b}} {
		if _, err := e.svc.Start(e.ctx, c.who, c.id); err != nil {
			t.Fatal(err)
		}
	}
	e.answerAll(t, people["甲"], a, true)
	e.clock.Set(opens.Add(29 * time.Minute))
	if n, err := e.svc.CloseOverdue(e.ctx); err != nil || n != 0 {
		t.Fatalf("before the deadline: closed %d, %v", n, err)
	}
	e.clock.Set(opens.Add(50 * time.Minute)) // the browser was gone; the job runs late
	n, err := e.svc.CloseOverdue(e.ctx)
	if err != nil || n != 2 {
		t.Fatalf("closed %d, %v", n, err)
	}
	if n, _ := e.svc.CloseOverdue(e.ctx); n != 0 {
		t.Errorf("a second run closed %d", n)
	}
	st, _ := e.svc.Exam(e.ctx, people["甲"], a)
	if !st.HandedIn.Equal(opens.Add(30*time.Minute)) || st.ClosedBy != "deadline" || st.Receipt == "" || len(st.Answers) != 6 {
		t.Errorf("closed attempt %+v", st)
	}
}

// No response a candidate receives contains the answer key or another candidate's paper.
func TestCandidateResponses_T1_NoKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	var responses []any
	st, _ := e.svc.Start(e.ctx, who, cid)
	responses = append(responses, st)
	e.answerAll(t, who, cid, false)
	st, _ = e.svc.Exam(e.ctx, who, cid)
	responses = append(responses, st)
	mine, _ := e.svc.MyExams(e.ctx, who)
	responses = append(responses, mine)
	done, _ := e.svc.HandIn(e.ctx, who, cid)
	responses = append(responses, done)
	p := e.paper(t, cid)
	other := e.paper(t, e.candidateOf(t, people["乙"]))
	for i, r := range responses {
		b, _ := json.Marshal(r)
		s := string(b)
		for _, field := range []string{`"correct"`, `"accepted"`, `"reference"`, `"rubric"`, `"explanation"`, `"origin"`, `"question_id"`, `"version_id"`} {
			if strings.Contains(s, field) {
				t.Errorf("response %d carries %s", i, field)
			}
		}
		// "truth" is how the candidate's own true/false answers are written; the paper has none.
		if st, ok := r.(*training.ExamState); ok && st.Paper != nil {
			if b, _ := json.Marshal(st.Paper); strings.Contains(string(b), `"truth"`) {
				t.Errorf("response %d's paper carries a true/false key", i)
			}
		}
		for _, it := range p.Items() {
			if it.Explanation != "" && strings.Contains(s, it.Explanation) || it.Reference != "" && strings.Contains(s, it.Reference) {
				t.Errorf("response %d carries the key of item %d", i, it.No)
			}
		}
		for _, it := range other.Items() {
			mine := false
			for _, x := range p.Items() {
				mine = mine || x.VersionID == it.VersionID
			}
			if !mine && strings.Contains(s, it.Stem) {
				t.Errorf("response %d carries a question of another candidate's paper", i)
			}
		}
	}
}

// Blind marking: a grader sees an anonymous code and the answer, never a name, an ID number or
// a town; double marking needs two different trainers, and a gap above the threshold a third;
// results are pending until then. Publishing applies the hiring gate (T-1, T-3).
func TestGrading_T1_T3_BlindDoubleMarkingAndGate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "王明", "李红", "张缺考")
	bp, _ := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "方案", Spec: smallBlueprint()})
	sv, err := e.svc.ScheduleSitting(e.ctx, e.trainer, training.SittingInput{Title: "第一期", BlueprintID: bp.ID,
		Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00", Venue: "考场", OpeningIDs: []uint64{o}, DoubleMarking: true})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(opens)
	wang, li := e.candidateOf(t, people["王明"]), e.candidateOf(t, people["李红"])
	for _, c := range []struct {
		who   models.Actor
		id    uint64
		right bool
	}{{people["王明"], wang, true}, {people["李红"], li, false}} {
		if _, err := e.svc.Start(e.ctx, c.who, c.id); err != nil {
			t.Fatal(err)
		}
		e.answerAll(t, c.who, c.id, c.right)
		if _, err := e.svc.HandIn(e.ctx, c.who, c.id); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := e.svc.Sitting(e.ctx, e.trainer, sv.ID); v.CanPublish {
		t.Fatal("publishable before the window closed and the short answers were marked")
	}
	// Marking waits while 张缺考 may still start (blind: the hand-ins would name the papers).
	if q, _ := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID); len(q) == 0 || q[0].Waiting == "" || q[0].ForMe != 0 {
		t.Fatalf("marking open while a candidate may still start: %+v", q)
	}
	if task, err := e.svc.NextToMark(e.ctx, e.trainer, sv.ID, 1); task != nil || err != nil {
		t.Fatalf("an answer offered while a candidate may still start: %+v %v", task, err)
	}
	e.clock.Set(closes.Add(-4 * time.Minute)) // past the last start, nobody writing
	queue, err := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) == 0 {
		t.Fatal("no short answers to mark")
	}
	// Identity stays out of everything a grader gets.
	names := []string{"王明", "李红", "三星镇"}
	for _, c := range []uint64{wang, li} {
		cand, _ := e.store.CandidateByID(e.ctx, c)
		names = append(names, cand.IDMasked, cand.TicketNo)
		if cand.ApplicationID != nil {
			a, _ := e.store.ApplicationByID(e.ctx, *cand.ApplicationID)
			names = append(names, a.Phone)
		}
	}
	leaks := func(v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		for _, n := range names {
			if strings.Contains(string(b), n) {
				t.Errorf("a grader's response carries %q: %s", n, b)
			}
		}
	}
	leaks(queue)
	markAll := func(marker models.Actor, pts func(task *training.MarkTask) string) int {
		t.Helper()
		n := 0
		for _, q := range queue {
			task, err := e.svc.NextToMark(e.ctx, marker, sv.ID, q.VersionID)
			if err != nil {
				t.Fatal(err)
			}
			for task != nil {
				leaks(task)
				next, err := e.svc.Mark(e.ctx, marker, sv.ID, training.MarkInput{Anon: task.Anon, VersionID: task.VersionID, Points: pts(task)})
				if err != nil {
					t.Fatal(err)
				}
				leaks(next)
				n++
				task = next
			}
		}
		return n
	}
	full := func(task *training.MarkTask) string {
		if strings.HasPrefix(task.Answer, "答：") {
			return strings.TrimSuffix(task.Points, ".00")
		}
		return "0"
	}
	if n := markAll(e.trainer, full); n != 2 {
		t.Errorf("first marker marked %d answers", n)
	}
	if n := markAll(e.trainer, full); n != 0 {
		t.Errorf("the same marker was offered %d second marks", n)
	}
	wm, _ := e.store.CandidateByID(e.ctx, wang)
	if wm.Outcome != string(exams.OutcomePending) {
		t.Errorf("after one of two marks: %s", wm.Outcome)
	}
	// The second marker disagrees by more than 5 points on 王明's answer: a third is needed.
	second := func(task *training.MarkTask) string {
		if strings.HasPrefix(task.Answer, "答：") {
			return "20"
		}
		return "0"
	}
	if n := markAll(e.trainer2, second); n != 2 {
		t.Errorf("second marker marked %d", n)
	}
	wm, _ = e.store.CandidateByID(e.ctx, wang)
	if wm.Outcome != string(exams.OutcomePending) {
		t.Errorf("with a gap above the threshold and no third mark: %s", wm.Outcome)
	}
	if n := markAll(e.trainer2, second); n != 0 {
		t.Errorf("a first or second marker was offered the third mark (%d)", n)
	}
	if n := markAll(e.trainer3, func(*training.MarkTask) string { return "28" }); n != 1 {
		t.Errorf("third marker marked %d", n)
	}
	wm, _ = e.store.CandidateByID(e.ctx, wang)
	var res exams.Result
	_ = json.Unmarshal([]byte(wm.Result), &res)
	if wm.Outcome != string(exams.OutcomePass) || res.Score != 7000+2900 { // (30 + 28)/2 = 29 on the short answer
		t.Errorf("王明: %s %d", wm.Outcome, res.Score)
	}
	// The window closes; 张缺考 never started. Publish: the gate applies.
	e.clock.Set(closes.Add(time.Minute))
	_, err = e.svc.PublishResults(e.ctx, e.townAdmin, sv.ID)
	wantKind(t, err, models.ErrForbidden)
	pub, err := e.svc.PublishResults(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != models.SittingPublished || pub.Passed != 1 {
		t.Errorf("published %+v", pub)
	}
	for n, want := range map[string]string{"王明": models.AppHired, "李红": models.AppNotHired, "张缺考": models.AppNotHired} {
		uid := people[n].UserID
		apps, _ := e.store.ListApplications(e.ctx, models.ApplicationFilter{UserID: &uid})
		if apps[0].Status != want {
			t.Errorf("%s: %s, want %s", n, apps[0].Status, want)
		}
	}
	mine, _ := e.svc.Exam(e.ctx, people["王明"], wang)
	if mine.Result == nil || !mine.Result.Passed || mine.Result.Score != "99.00" || len(mine.Result.Review) != 0 {
		t.Errorf("王明's result %+v", mine.Result)
	}
	absent, _ := e.svc.Exam(e.ctx, people["张缺考"], e.candidateOf(t, people["张缺考"]))
	if absent.Result == nil || !absent.Result.Absent || absent.Result.Passed {
		t.Errorf("absent result %+v", absent.Result)
	}
	// Each is told what the result means for their hiring (rules T-1, T-3).
	if mine.Result == nil || mine.Result.Hiring != "已正式录用，上岗证将统一颁发" || absent.Result == nil || absent.Result.Hiring != "未通过岗前培训考试，按规定不予录用" {
		t.Errorf("hiring lines: 王明 %+v, 张缺考 %+v", mine.Result, absent.Result)
	}
	_, err = e.svc.PublishResults(e.ctx, e.trainer, sv.ID)
	wantKind(t, err, models.ErrConflict)
	_, err = e.svc.Mark(e.ctx, e.trainer, sv.ID, training.MarkInput{Anon: wm.AnonCode, VersionID: queue[0].VersionID, Points: "1"})
	wantKind(t, err, models.ErrConflict)
}

// A wrong key: the trainer fixes it, the sitting is regraded, and they see whose result changed;
// the bank gets the right key for later papers.
func TestFixKey_RegradesAndShowsChanges(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	sv := e.sitting(t, o)
	e.clock.Set(opens)
	a := e.candidateOf(t, people["甲"])
	if _, err := e.svc.Start(e.ctx, people["甲"], a); err != nil {
		t.Fatal(err)
	}
	p := e.paper(t, a)
	tf := firstOf(p, exams.TrueFalse)
	// 甲 answers the true/false item the other way round from the key…
	if _, err := e.svc.Save(e.ctx, people["甲"], a, []training.SaveInput{{No: tf.No, Seq: 1, Answer: wrongAnswer(tf)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.HandIn(e.ctx, people["甲"], a); err != nil {
		t.Fatal(err)
	}
	// …and the key was wrong.
	flipped := !*tf.Truth
	changes, err := e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: tf.VersionID,
		Key: exams.Key{Truth: &flipped}, Reason: "答案有误，依据《行政处罚法》第十八条更正"})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Name != "考生甲" || changes[0].Change.Delta != tf.Points {
		t.Fatalf("changes %+v", changes)
	}
	q, _ := e.svc.Question(e.ctx, e.trainer, tf.QuestionID)
	if q.Question.Truth == nil || *q.Question.Truth != flipped || q.Version != 2 {
		t.Errorf("the bank's question after the fix: %+v", q)
	}
	_, err = e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: tf.VersionID, Key: exams.Key{}, Reason: "x"})
	wantKind(t, err, models.ErrInvalid)
}

// Exam-day control room: each candidate's state, last save and the page's evidence; one action
// adds time for a candidate or a whole sitting, audited.
func TestControlRoom_AddTimeAndEvidence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙", "丙")
	sv := e.sitting(t, o)
	e.clock.Set(opens)
	a := e.candidateOf(t, people["甲"])
	if _, err := e.svc.Start(e.ctx, people["甲"], a); err != nil {
		t.Fatal(err)
	}
	e.answerAll(t, people["甲"], a, true)
	if err := e.svc.RecordEvents(e.ctx, people["甲"], a, []training.EventInput{{Kind: "hidden"}, {Kind: "paste", Detail: "12 字"}}); err != nil {
		t.Fatal(err)
	}
	wantKind(t, e.svc.RecordEvents(e.ctx, people["甲"], a, []training.EventInput{{Kind: "cheated"}}), models.ErrInvalid)
	e.clock.Advance(90 * time.Second)
	live, err := e.svc.Live(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var row training.CandidateRow
	for _, r := range live.Rows {
		if r.ID == a {
			row = r
		}
	}
	if row.State != training.LiveRunning || row.Answered != 6 || row.Events["hidden"] != 1 || row.Events["paste"] != 1 ||
		row.SinceSave < 90 || live.Counts[training.LiveNotStarted] != 2 {
		t.Errorf("row %+v counts %v", row, live.Counts)
	}
	// A town admin sees their town; another town's admin sees nothing.
	if l, err := e.svc.Live(e.ctx, e.townAdmin, sv.ID); err != nil || len(l.Rows) != 3 {
		t.Errorf("town admin: %v %v", l, err)
	}
	_, err = e.svc.Live(e.ctx, e.otherTownAdmin, sv.ID)
	wantKind(t, err, models.ErrNotFound)
	// Ten minutes for everyone after an incident.
	_, err = e.svc.AddTime(e.ctx, e.trainer, sv.ID, training.AddTimeInput{Minutes: 10})
	wantKind(t, err, models.ErrInvalid)
	live, err = e.svc.AddTime(e.ctx, e.trainer, sv.ID, training.AddTimeInput{Minutes: 10, Reason: "考场停电 10 分钟"})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.svc.Exam(e.ctx, people["甲"], a)
	if !st.Deadline.Equal(opens.Add(40 * time.Minute)) {
		t.Errorf("deadline after adding time: %v", st.Deadline)
	}
	for _, r := range live.Rows { // the control room the invigilator gets back shows it at once
		if r.ID == a && (r.Deadline == nil || !r.Deadline.Equal(*st.Deadline)) {
			t.Errorf("the control room shows deadline %v, want %v", r.Deadline, st.Deadline)
		}
	}
	later, _ := e.svc.Exam(e.ctx, people["乙"], e.candidateOf(t, people["乙"]))
	if later.ExtraMinutes != 10 {
		t.Errorf("a candidate yet to start got %d extra minutes", later.ExtraMinutes)
	}
	entries, _ := e.rec.AuditLog(e.ctx, e.district, 50)
	found := false
	for _, en := range entries {
		found = found || en.Action == "exam.add_time" && en.Reason == "考场停电 10 分钟"
	}
	if !found {
		t.Error("adding time is not in the audit log")
	}
	_, err = e.svc.AddTime(e.ctx, e.townAdmin, sv.ID, training.AddTimeInput{Minutes: 5, Reason: "x"})
	wantKind(t, err, models.ErrForbidden)
}

// Item statistics after grading.
func TestStatistics_AfterGrading(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	names := []string{"甲", "乙", "丙", "丁", "戊", "己"}
	o, people := e.proposedHires(t, false, names...)
	sv := e.sitting(t, o)
	e.clock.Set(opens)
	for i, n := range names {
		cid := e.candidateOf(t, people[n])
		if _, err := e.svc.Start(e.ctx, people[n], cid); err != nil {
			t.Fatal(err)
		}
		e.answerAll(t, people[n], cid, i%2 == 0)
		if _, err := e.svc.HandIn(e.ctx, people[n], cid); err != nil {
			t.Fatal(err)
		}
	}
	queue, _ := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	for _, q := range queue {
		task, _ := e.svc.NextToMark(e.ctx, e.trainer, sv.ID, q.VersionID)
		for task != nil {
			var err error
			task, err = e.svc.Mark(e.ctx, e.trainer, sv.ID, training.MarkInput{Anon: task.Anon, VersionID: task.VersionID, Points: "10"})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	stats, err := e.svc.Statistics(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) == 0 {
		t.Fatal("no statistics")
	}
	for _, s := range stats {
		if s.N == 0 || s.Difficulty < 0 || s.Difficulty > 1 || s.Stem == "" {
			t.Errorf("stat %+v", s)
		}
	}
	// This sitting shows each candidate their paper with the key once results are out.
	e.clock.Set(closes.Add(time.Minute))
	if _, err := e.svc.PublishResults(e.ctx, e.trainer, sv.ID); err != nil {
		t.Fatal(err)
	}
	st, _ := e.svc.Exam(e.ctx, people["甲"], e.candidateOf(t, people["甲"]))
	if st.Result == nil || len(st.Result.Review) != 6 || st.Result.Review[0].Key == "" {
		t.Fatalf("review %+v", st.Result)
	}
}

// Handing in while saves are still arriving (a second tab, the journal re-sent): every save
// either lands before the hand-in and is in the receipt and the grade, or is refused as
// closed; none is stored after the receipt was computed.
func TestHandIn_RacingSavesNeverLandAfterTheReceipt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	items := e.paper(t, cid).Items()
	var wg sync.WaitGroup
	var seq atomic.Int64
	stop := make(chan struct{})
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				it := items[(g+i)%len(items)]
				a := wrongAnswer(it)
				if i%2 == 0 {
					a = rightAnswer(it)
				}
				if _, err := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: it.No, Seq: seq.Add(1), Answer: a}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let saves flow; the assertion below does not depend on timing
	done, err := e.svc.HandIn(e.ctx, who, cid)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := e.store.AnswersOf(e.ctx, cid)
	as := exams.Answers{}
	for _, r := range rows {
		var a exams.Answer
		_ = json.Unmarshal([]byte(r.Answer), &a)
		as[r.ItemNo] = a
	}
	if got := exams.Receipt(cid, as); got != done.Receipt {
		t.Errorf("the stored answers give receipt %s, the candidate was given %s: a save landed after the hand-in", got, done.Receipt)
	}
}

// A proposed hire who drops out after the sitting was scheduled (登记放弃) has nothing to sit:
// their exam says so and a start is refused; one who already started keeps their attempt (the
// result stands in the exam's record; the hiring gate has nobody to hire).
func TestStart_T1_NotAfterDroppingOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	e.sitting(t, o)
	a, b := e.candidateOf(t, people["甲"]), e.candidateOf(t, people["乙"])
	e.clock.Set(opens.Add(time.Minute))
	if _, err := e.svc.Start(e.ctx, people["乙"], b); err != nil {
		t.Fatal(err)
	}
	apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &o, Statuses: []string{models.AppProposed}})
	if err != nil {
		t.Fatal(err)
	}
	for _, app := range apps {
		if _, err := e.rec.DropOut(e.ctx, e.district, app.ID, "本人书面放弃"); err != nil {
			t.Fatalf("drop out %s: %v", app.Name, err)
		}
	}
	mine, err := e.svc.MyExams(e.ctx, people["甲"])
	if err != nil || len(mine) != 1 || mine[0].State != training.StateLeft {
		t.Fatalf("my exams after dropping out: %+v %v", mine, err)
	}
	if st, err := e.svc.Exam(e.ctx, people["甲"], a); err != nil || st.State != training.StateLeft || st.Paper != nil {
		t.Errorf("exam after dropping out: %+v %v", st, err)
	}
	_, err = e.svc.Start(e.ctx, people["甲"], a)
	wantCode(t, err, models.ErrConflict, "not_proposed")
	if st, err := e.svc.Exam(e.ctx, people["乙"], b); err != nil || st.State != training.StateRunning {
		t.Errorf("an attempt started before dropping out: %+v %v", st, err)
	}
}

// A save of nothing is the page's clock check: the server's time, the deadline as it stands
// (after added time) and whether the attempt has closed. A save that lost to another device's
// later answer comes back with the answer the server keeps.
func TestSave_ClockCheckAndTheAnswerKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	sv := e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Save(e.ctx, who, cid, nil)
	if err != nil || r.Closed || r.Deadline == nil || !r.Deadline.Equal(opens.Add(30*time.Minute)) || len(r.Results) != 0 {
		t.Fatalf("clock check %+v %v", r, err)
	}
	if _, err := e.svc.AddTime(e.ctx, e.trainer, sv.ID, training.AddTimeInput{Minutes: 10, Reason: "停电"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.svc.Save(e.ctx, who, cid, nil); !r.Deadline.Equal(opens.Add(40 * time.Minute)) {
		t.Errorf("after added time the clock check says %v", r.Deadline)
	}
	it := firstOf(e.paper(t, cid), exams.Single)
	newer := exams.Answer{Choices: []string{it.Options[1].Key}}
	if _, err := e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: it.No, Seq: 2000, Answer: newer}}); err != nil {
		t.Fatal(err)
	}
	r, err = e.svc.Save(e.ctx, who, cid, []training.SaveInput{{No: it.No, Seq: 1000, Answer: exams.Answer{Choices: []string{it.Options[0].Key}}}})
	if err != nil || r.Results[0].Outcome != exams.SaveStale || r.Results[0].Stored == nil || !r.Results[0].Stored.Equal(newer.Canonical()) {
		t.Errorf("a stale save: %+v %v", r.Results, err)
	}
	e.clock.Set(opens.Add(41 * time.Minute))
	if r, _ := e.svc.Save(e.ctx, who, cid, nil); !r.Closed {
		t.Error("the clock check does not say the attempt closed")
	}
}

// A short answer left blank scores 0 by itself: no marker is asked to mark an empty page, and
// a paper without any short answer written is graded at once.
func TestGrading_BlankShortAnswersScoreNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	sv := e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.HandIn(e.ctx, who, cid); err != nil { // nothing written at all
		t.Fatal(err)
	}
	q, err := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	if err != nil || len(q) != 0 {
		t.Errorf("blank answers queued for marking: %+v %v", q, err)
	}
	c, _ := e.store.CandidateByID(e.ctx, cid)
	if c.Outcome != string(exams.OutcomeFail) || c.Score == nil || *c.Score != 0 {
		t.Errorf("a blank paper: outcome %q score %v", c.Outcome, c.Score)
	}
	if v, _ := e.svc.Sitting(e.ctx, e.trainer, sv.ID); !v.CanPublish {
		t.Errorf("a blank paper holds the publication: %s", v.PublishBlocker)
	}
}
