package training_test

// Regression tests from the review of issues 5 and 7 (rev57): races and rule holes of the exam
// service. Each failed when it was written; its comment describes the finding as found. Each test names
// the finding it demonstrates. The races are made deterministic with a GORM callback that runs
// the competing call at the exact point where the first one is exposed.

import (
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// afterQuery runs fn once, the first time a query of table finishes (inside a transaction when
// inTx, outside one otherwise). It is the point where another request gets in between. fn runs
// on its own goroutine: the hook waits for it to finish, or for a second if it blocks (a fixed
// service holds a row lock that fn needs, and fn can only go on once the first call commits).
// The returned wait blocks until fn has finished; call it before looking at what fn did.
func afterQuery(t *testing.T, st *models.Store, table string, inTx bool, fn func()) (wait func()) {
	t.Helper()
	var armed atomic.Bool
	armed.Store(true)
	done := make(chan struct{})
	err := st.DB().Callback().Query().After("gorm:query").Register("rev57:"+table, func(db *gorm.DB) {
		if db.Statement.Table != table {
			return
		}
		if _, tx := db.Statement.ConnPool.(gorm.TxCommitter); tx != inTx {
			return
		}
		if armed.CompareAndSwap(true, false) {
			go func() {
				defer close(done)
				fn()
			}()
			select {
			case <-done:
			case <-time.After(time.Second):
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			t.Fatal("the competing call never finished")
		}
	}
}

func onlyMySQL(t *testing.T, e *env) {
	t.Helper()
	if e.store.Dialect() == models.DialectSQLite {
		t.Skip("SQLite runs one transaction at a time; the race needs MariaDB (AUXPORTAL_TEST_MYSQL_DSN)")
	}
}

// handedIn starts, answers (all right) and hands in the candidate's paper.
func (e *env) handedIn(t *testing.T, who models.Actor, cid uint64) {
	t.Helper()
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	e.answerAll(t, who, cid, true)
	if _, err := e.svc.HandIn(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
}

// markEverything gives every short answer of the sitting pts points, as marker.
func (e *env) markEverything(t *testing.T, marker models.Actor, sittingID uint64, pts string) {
	t.Helper()
	queue, err := e.svc.GradingQueue(e.ctx, marker, sittingID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queue {
		task, err := e.svc.NextToMark(e.ctx, marker, sittingID, q.VersionID)
		for ; err == nil && task != nil; task, err = e.svc.Mark(e.ctx, marker, sittingID,
			training.MarkInput{Anon: task.Anon, VersionID: task.VersionID, Points: pts}) {
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// otherKey is a key for a multiple-choice item (in bank option keys) that makes its current
// right answer wrong: every option but the first correct one.
func otherKey(it exams.Item) exams.Key {
	correct := map[string]bool{}
	for _, k := range it.Correct {
		correct[k] = true
	}
	first := ""
	var bankKeys []string
	for i, o := range it.Options {
		if correct[o.Key] && first == "" {
			first = it.Origin[i]
			continue
		}
		bankKeys = append(bankKeys, it.Origin[i])
	}
	sort.Strings(bankKeys)
	return exams.Key{Correct: bankKeys}
}

func appStatus(t *testing.T, e *env, who models.Actor) string {
	t.Helper()
	apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{UserID: &who.UserID})
	if err != nil || len(apps) != 1 {
		t.Fatalf("applications of %s: %v %v", who.Name, apps, err)
	}
	return apps[0].Status
}

// Finding (rule T-3): FixKey checks "not published" before its transaction and never again, so
// a key fix that races the publication regrades papers whose results are already out. Here a
// candidate who passed (and was hired by the gate) fails after the fix: a failed candidate
// stays hired, and the result he reads says 不合格 beside the 已录用 on his timeline.
func TestRev57_T3_KeyFixRacingPublishRegradesAPublishedSitting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	sv := e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	e.handedIn(t, who, cid)
	e.markEverything(t, e.trainer, sv.ID, "0") // 70 of 100: a pass, by 10 points
	multi := firstOf(e.paper(t, cid), exams.Multiple)

	// The publication gets in between FixKey's check and its transaction.
	var published error
	wait := afterQuery(t, e.store, "question_versions", false, func() {
		_, published = e.svc.PublishResults(e.ctx, e.trainer, sv.ID)
	})
	_, fixErr := e.svc.FixKey(e.ctx, e.trainer2, sv.ID, training.KeyFixInput{VersionID: multi.VersionID,
		Key: otherKey(multi), Reason: "多选题答案有误"})
	wait()
	if published != nil {
		t.Fatalf("publish: %v", published)
	}
	c, _ := e.store.CandidateByID(e.ctx, cid)
	status := appStatus(t, e, who)
	if fixErr == nil && c.Outcome == string(exams.OutcomeFail) && status == models.AppHired {
		t.Errorf("rule T-3: after the key fix the published result is %s (%d) and the application is still %s; "+
			"the fix should have been refused as published (or applied before the gate)", c.Outcome, *c.Score, status)
	}
}

// Finding (MariaDB): two trainers marking two different short-answer questions of one candidate
// at the same moment — the normal way of blind grading, one question each — lose a mark: each
// transaction regrades the paper from a snapshot without the other's mark, the later write
// wins, and the paper stays 待评阅 for ever (the queue says both are done, publishing is blocked
// with "还有 1 份答卷的简答题未评完", and no page can make it regrade).
func TestRev57_ConcurrentMarksOfTwoQuestionsLoseOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	onlyMySQL(t, e)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	spec := smallBlueprint()
	spec.Cells[len(spec.Cells)-1].Points = 1500
	spec.Cells = append(spec.Cells, exams.Cell{Category: exams.Law, Type: exams.Short, Count: 1, Points: 1500})
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "两道简答", Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := e.svc.ScheduleSitting(e.ctx, e.trainer, training.SittingInput{Title: "两道简答题", BlueprintID: bp.ID,
		Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00", Venue: "考场", OpeningIDs: []uint64{o}})
	if err != nil {
		t.Fatal(err)
	}
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	e.handedIn(t, who, cid)
	queue, err := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	if err != nil || len(queue) != 2 {
		t.Fatalf("queue %+v %v", queue, err)
	}
	task := func(m models.Actor, v uint64) *training.MarkTask {
		tk, err := e.svc.NextToMark(e.ctx, m, sv.ID, v)
		if err != nil || tk == nil {
			t.Fatalf("next to mark: %v %v", tk, err)
		}
		return tk
	}
	t1, t2 := task(e.trainer, queue[0].VersionID), task(e.trainer2, queue[1].VersionID)
	// trainer2's mark commits while trainer's transaction is between its read and its write.
	var second error
	wait := afterQuery(t, e.store, "exam_marks", true, func() {
		_, second = e.svc.Mark(e.ctx, e.trainer2, sv.ID, training.MarkInput{Anon: t2.Anon, VersionID: t2.VersionID, Points: "10"})
	})
	if _, err := e.svc.Mark(e.ctx, e.trainer, sv.ID, training.MarkInput{Anon: t1.Anon, VersionID: t1.VersionID, Points: "10"}); err != nil {
		t.Fatal(err)
	}
	wait()
	if second != nil {
		t.Fatalf("second mark: %v", second)
	}
	marks, _ := e.store.MarksOfCandidate(e.ctx, cid)
	c, _ := e.store.CandidateByID(e.ctx, cid)
	if len(marks) == 2 && c.Outcome == string(exams.OutcomePending) {
		e.clock.Set(closes.Add(time.Minute))
		v, _ := e.svc.Sitting(e.ctx, e.trainer, sv.ID)
		t.Errorf("both short answers are marked (%d marks) but the stored result is %s; publishing: %q", len(marks), c.Outcome, v.PublishBlocker)
	}
}

// Finding (MariaDB): two key fixes of one sitting at once (two trainers, two questions) — each
// regrades every paper with the corrections its own snapshot holds, so the later commit
// overwrites the results with only its own correction: the other fix is recorded, audited and
// shown as applied on the key-fix page, and no paper is graded with it.
func TestRev57_ConcurrentKeyFixesLoseOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	onlyMySQL(t, e)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	sv := e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	e.handedIn(t, who, cid)
	e.markEverything(t, e.trainer, sv.ID, "30") // 100 of 100
	p := e.paper(t, cid)
	multi, tf := firstOf(p, exams.Multiple), firstOf(p, exams.TrueFalse)
	flipped := !*tf.Truth

	var second error
	wait := afterQuery(t, e.store, "key_fixes", true, func() {
		_, second = e.svc.FixKey(e.ctx, e.trainer2, sv.ID, training.KeyFixInput{VersionID: tf.VersionID,
			Key: exams.Key{Truth: &flipped}, Reason: "判断题答案有误"})
	})
	if _, err := e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: multi.VersionID,
		Key: otherKey(multi), Reason: "多选题答案有误"}); err != nil {
		t.Fatal(err)
	}
	wait()
	if second != nil {
		t.Fatalf("second fix: %v", second)
	}
	c, _ := e.store.CandidateByID(e.ctx, cid)
	want := int64(10000) - multi.Points - tf.Points
	if c.Score == nil || *c.Score != want {
		got := int64(-1)
		if c.Score != nil {
			got = *c.Score
		}
		t.Errorf("after two key fixes the paper scores %d, want %d (both corrections applied)", got, want)
	}
}

// Finding (rule T-1, T-3): ScheduleSitting picks its candidates ("proposed, in no open sitting")
// outside its transaction, so two schedulings at once — two trainers, or one double-click on
// 安排考试 — put the same proposed hires into two sittings. Each then has a paper and a ticket;
// whichever result is published first decides (a failure in one and a pass in the other hires
// or not by the order of publication), and rule T-3's one makeup is a free second try.
func TestRev57_T1_TwoSchedulingsAtOnceEnrolTheSameHiresTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "测试方案", Spec: smallBlueprint()})
	if err != nil {
		t.Fatal(err)
	}
	in := training.SittingInput{Title: "第一期", BlueprintID: bp.ID, Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00",
		Venue: "区城管局三楼考场", OpeningIDs: []uint64{o}}
	var second error
	wait := afterQuery(t, e.store, "bank_questions", false, func() {
		in2 := in
		in2.Title = "第一期（重复提交）"
		_, second = e.svc.ScheduleSitting(e.ctx, e.trainer2, in2)
	})
	_, first := e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	wait()
	if first != nil || second != nil {
		t.Logf("first %v, second %v", first, second)
	}
	for n, who := range people {
		mine, err := e.svc.MyExams(e.ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) > 1 {
			t.Errorf("%s holds %d places in sittings still to be published: %+v", n, len(mine), mine)
		}
	}
}

// Finding: a second correction of the same key (the first correction was wrong too) regrades
// the sitting but leaves the bank with the first correction: FixKey only adds a bank version
// when the sitting's version is still the question's current one.
func TestRev57_SecondKeyFixOfAQuestionDoesNotReachTheBank(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲")
	sv := e.sitting(t, o)
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	e.handedIn(t, who, cid)
	tf := firstOf(e.paper(t, cid), exams.TrueFalse)
	flipped, original := !*tf.Truth, *tf.Truth
	for _, k := range []bool{flipped, original} {
		if _, err := e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: tf.VersionID,
			Key: exams.Key{Truth: &k}, Reason: "更正"}); err != nil {
			t.Fatal(err)
		}
	}
	q, err := e.svc.Question(e.ctx, e.trainer, tf.QuestionID)
	if err != nil {
		t.Fatal(err)
	}
	if q.Question.Truth == nil || *q.Question.Truth != original {
		t.Errorf("the sitting is graded with 对=%t (the second correction), the bank keeps %v (the first)", original, *q.Question.Truth)
	}
}

// Finding: one person who is a proposed hire of two openings (applied to two towns, allowed)
// cannot be scheduled: a sitting for both openings fails as a whole with 409 "有考生已在本场考试中"
// (the unique index on sitting × user), naming nobody.
func TestRev57_T1_APersonProposedByTwoOpeningsBlocksTheSitting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	e.clock.Set(startTime)
	no := false
	who := e.person(t, "两岗甲")
	id := idNumber("1994-04-04")
	var ids []uint64
	for _, town := range []string{"三星镇", "海门街道"} {
		op, err := e.rec.CreateOpening(e.ctx, e.district, recruitment.OpeningInput{Town: town, Title: "巡查岗", Seats: 1,
			OpensAt: "2026-06-08", ClosesAt: "2026-06-30", PublicityDays: new(int)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.rec.Publish(e.ctx, e.district, op.ID); err != nil {
			t.Fatal(err)
		}
		f := recruitment.ApplicationForm{Name: "两岗甲", IDNumber: id, Education: "high_school", Major: "法学",
			AcceptsConditions: true, Healthy: true, UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
			Profile: recruitment.DemoProfile(0, screening.Date{Year: 1995, Month: 5, Day: 5}, screening.Date{Year: 2026, Month: 6, Day: 1}, "high_school")}
		if _, err := e.rec.Apply(e.ctx, who, op.ID, f, map[string][]byte{recruitment.FilePhoto: photo(), recruitment.FileDiploma: photo()}); err != nil {
			t.Fatalf("apply to %s: %v", town, err)
		}
		if _, err := e.rec.SanitizeQueued(e.ctx, "test-worker"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, op.ID)
	}
	e.clock.Set(afterClose)
	for _, oid := range ids {
		apps, _ := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &oid})
		if err := e.rec.SetScores(e.ctx, e.district, oid, []recruitment.ScoreInput{{ApplicationID: apps[0].ID, Score: "88"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.rec.Propose(e.ctx, e.district, oid); err != nil {
			t.Fatal(err)
		}
	}
	bp, _ := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "测试方案", Spec: smallBlueprint()})
	_, err := e.svc.ScheduleSitting(e.ctx, e.trainer, training.SittingInput{Title: "第一期", BlueprintID: bp.ID,
		Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00", Venue: "区城管局三楼考场", OpeningIDs: ids})
	if err != nil {
		msg := err.Error()
		if me, ok := models.AsError(err); ok {
			msg = me.Message
		}
		if !strings.Contains(msg, "两岗甲") {
			t.Errorf("scheduling the two openings' hires: %v (nobody is named; the sitting cannot be made)", err)
		}
	}
}

// Finding (blind grading): answers enter the marking queue the moment their paper is handed in,
// while the control room — which every marker may open — names who has handed in and when. The
// first paper handed in is the only one to mark: its anonymous code is a name. (The code is also
// the same for all questions of a paper, so one identification unmasks every answer.)
func TestRev57_BlindMarkingOpensWhileTheControlRoomNamesWhoHandedIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙", "丙")
	sv := e.sitting(t, o)
	e.clock.Set(opens.Add(10 * time.Minute))
	for _, n := range []string{"甲", "乙", "丙"} {
		if _, err := e.svc.Start(e.ctx, people[n], e.candidateOf(t, people[n])); err != nil {
			t.Fatal(err)
		}
	}
	first := people["乙"]
	cid := e.candidateOf(t, first)
	e.answerAll(t, first, cid, true)
	if _, err := e.svc.HandIn(e.ctx, first, cid); err != nil {
		t.Fatal(err)
	}
	room, err := e.svc.Live(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var handedIn []string
	for _, r := range room.Rows {
		if r.HandedInAt != nil {
			handedIn = append(handedIn, r.Name)
		}
	}
	queue, err := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	if err != nil || len(queue) == 0 {
		t.Fatalf("queue %v %v", queue, err)
	}
	task, err := e.svc.NextToMark(e.ctx, e.trainer, sv.ID, queue[0].VersionID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := e.store.CandidateByID(e.ctx, cid)
	if task != nil && len(handedIn) == 1 && task.Anon == c.AnonCode {
		t.Errorf("the marker is offered answer %s while the control room shows that only %s has handed in", task.Anon, handedIn[0])
	}
}

// Finding (low): two markers sharing a question (single marking) are both given the same answer
// (the queue is in code order for everyone, nothing is claimed): one of the two marks is refused
// as already_marked after the marker has read the answer and typed a score, on every answer.
func TestRev57_TwoMarkersAreGivenTheSameAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙", "丙")
	sv := e.sitting(t, o)
	e.clock.Set(opens)
	for _, n := range []string{"甲", "乙", "丙"} {
		e.handedIn(t, people[n], e.candidateOf(t, people[n]))
	}
	queue, err := e.svc.GradingQueue(e.ctx, e.trainer, sv.ID)
	if err != nil || len(queue) == 0 {
		t.Fatalf("queue %v %v", queue, err)
	}
	a, _ := e.svc.NextToMark(e.ctx, e.trainer, sv.ID, queue[0].VersionID)
	b, _ := e.svc.NextToMark(e.ctx, e.trainer2, sv.ID, queue[0].VersionID)
	if a != nil && b != nil && a.Anon == b.Anon {
		if _, err := e.svc.Mark(e.ctx, e.trainer, sv.ID, training.MarkInput{Anon: a.Anon, VersionID: a.VersionID, Points: "20"}); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Mark(e.ctx, e.trainer2, sv.ID, training.MarkInput{Anon: b.Anon, VersionID: b.VersionID, Points: "25"})
		t.Errorf("both markers were given answer %s; the second mark: %v", a.Anon, err)
	}
}

// Finding (low, rule T-1): a sitting for proposed hires can be scheduled with a refresher
// blueprint; its results then apply no hiring gate at all (publishing skips non-pre-job
// sittings), so those who sat it are neither hired nor failed and can be put in sitting after
// sitting.
func TestRev57_T1_PreJobCandidatesInARefresherSitting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, _ := e.proposedHires(t, false, "甲")
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "复训方案", Purpose: models.PurposeRefresher, Spec: smallBlueprint()})
	if err != nil {
		t.Skipf("refresher blueprint: %v", err)
	}
	_, err = e.svc.ScheduleSitting(e.ctx, e.trainer, training.SittingInput{Title: "年度复训", BlueprintID: bp.ID,
		Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00", Venue: "考场", OpeningIDs: []uint64{o}})
	if err == nil {
		t.Error("proposed hires were scheduled into a refresher sitting, whose publication applies no hiring gate")
	}
}

// Finding (medium): the form takes any name of 2–32 characters, but the admission tickets are
// refused for a name with a character beyond the embedded font (a rare name character outside
// GBK, 生僻字 of CJK Extension B and later, or an emoji): that candidate can never download a
// ticket, and "打印全部准考证" fails for the whole sitting, so nobody's ticket can be printed.
// The permits already handle this per person (IssuableRow.Problem).
func TestRev57_OneRareNameCharacterStopsEveryTicketOfTheSitting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, _ := e.proposedHires(t, false, "张三", "王𠀾")
	sv := e.sitting(t, o)
	if _, _, err := e.svc.TicketsPDF(e.ctx, e.trainer, sv.ID); err != nil {
		t.Errorf("printing the sitting's tickets: %v", err)
	}
}

// Finding (low-medium): a proposed hire who dropped out after scheduling can no longer start,
// yet "everyone has handed in" still counts them, so a sitting whose other candidates have all
// handed in cannot be published before its window ends (the demo's window is 30 days).
func TestRev57_ADroppedOutCandidateHoldsPublicationUntilTheWindowEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	sv := e.sitting(t, o)
	e.clock.Set(opens)
	uid := people["乙"].UserID
	apps, _ := e.store.ListApplications(e.ctx, models.ApplicationFilter{UserID: &uid})
	if _, err := e.rec.DropOut(e.ctx, e.district, apps[0].ID, "本人书面放弃"); err != nil {
		t.Fatal(err)
	}
	e.handedIn(t, people["甲"], e.candidateOf(t, people["甲"]))
	e.markEverything(t, e.trainer, sv.ID, "20")
	v, err := e.svc.Sitting(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !v.CanPublish {
		t.Fatalf("everyone who can sit has handed in and is marked, but: %s", v.PublishBlocker)
	}
	if _, err := e.svc.PublishResults(e.ctx, e.trainer, sv.ID); err != nil {
		t.Fatal(err)
	}
	// After publication the one who dropped out is still told they needn't sit, not 缺考.
	mine, err := e.svc.MyExams(e.ctx, people["乙"])
	if err != nil || len(mine) != 1 {
		t.Fatalf("my exams %v %v", mine, err)
	}
	if mine[0].State != training.StateLeft || mine[0].Result != "" {
		t.Errorf("after publication the dropped-out candidate sees %q (%s), want %q and no result", mine[0].StateLabel, mine[0].Result, training.StateLabel(training.StateLeft))
	}
	st, err := e.svc.Exam(e.ctx, people["乙"], e.candidateOf(t, people["乙"]))
	if err != nil {
		t.Fatal(err)
	}
	if st.State != training.StateLeft || st.Result != nil {
		t.Errorf("the exam page after publication: %q, result %+v", st.StateLabel, st.Result)
	}
}

// Finding (rule T-3, makeup): with "show the paper with the key" on, a candidate who failed and
// is allowed the opening's one makeup reads the key of every question of their paper — and the
// makeup sitting draws from the same bank (with the demo bank, most of the same questions).
func TestRev57_T3_MakeupCandidateReadsTheKeyBeforeTheMakeup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, true, "甲")
	sv := e.sitting(t, o) // ShowPaper: true
	who := people["甲"]
	cid := e.candidateOf(t, who)
	e.clock.Set(opens)
	if _, err := e.svc.Start(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	e.answerAll(t, who, cid, false)
	if _, err := e.svc.HandIn(e.ctx, who, cid); err != nil {
		t.Fatal(err)
	}
	e.markEverything(t, e.trainer, sv.ID, "0")
	if _, err := e.svc.PublishResults(e.ctx, e.trainer, sv.ID); err != nil {
		t.Fatal(err)
	}
	if st := appStatus(t, e, who); st != models.AppProposed {
		t.Fatalf("after a first failure with makeup allowed: %s", st)
	}
	mine, err := e.svc.Exam(e.ctx, who, cid)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Result != nil && len(mine.Result.Review) > 0 {
		t.Errorf("a candidate waiting for the makeup sitting reads the key of %d questions of the bank it draws from, e.g. %q → %q",
			len(mine.Result.Review), mine.Result.Review[0].Stem, mine.Result.Review[0].Key)
	}
}

// Finding (high): FixKey accepts a "correction" of a short-answer question (an empty key passes
// Question.WithKey), stores it, and from then on exams.ApplyKeys refuses every paper with that
// question ("简答题由人工评分，没有标准答案可更正"): handing in fails with a 500 for those
// candidates, the deadline job stops at the first of them (so no later overdue attempt is closed
// either), marking and every later key fix fail, and a published paper shown with its key fails.
func TestRev57_KeyFixOfAShortAnswerBreaksGrading(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	sv := e.sitting(t, o)
	a, b := e.candidateOf(t, people["甲"]), e.candidateOf(t, people["乙"])
	short := firstOf(e.paper(t, a), exams.Short)
	_, fixErr := e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: short.VersionID, Key: exams.Key{}, Reason: "误操作"})
	e.clock.Set(opens)
	for _, id := range []uint64{a, b} {
		who := people["甲"]
		if id == b {
			who = people["乙"]
		}
		if _, err := e.svc.Start(e.ctx, who, id); err != nil {
			t.Fatal(err)
		}
	}
	_, handErr := e.svc.HandIn(e.ctx, people["甲"], a)
	e.clock.Set(closes.Add(time.Minute))
	n, closeErr := e.svc.CloseOverdue(e.ctx)
	if fixErr == nil && (handErr != nil || closeErr != nil) {
		t.Errorf("a key fix of the short answer (accepted) breaks grading: hand-in: %v; the deadline job closed %d, error %v", handErr, n, closeErr)
	}
}
