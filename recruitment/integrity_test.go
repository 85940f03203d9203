package recruitment_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Rule A2-3: ages count on the reference date, so the dates that set it are bounded. Today in
// these tests is 2026-06-10 (China).
func TestCreateOpening_A2_3_WindowAndReferenceDateBounds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name              string
		opens, closes, rf string
		field             string // "" when allowed
	}{
		{"the default window", opensAt, closesAt, "", ""},
		{"reference date on the day of publishing", "2026-06-10", "2026-06-30", "2026-06-10", ""},
		{"backdated by the allowed few days", "2026-06-07", "2026-06-30", "", ""},
		{"reference date years after the deadline (a 13-year-old would be 18)", opensAt, closesAt, "2031-06-30", "reference_date"},
		{"reference date a day after the deadline", opensAt, closesAt, "2026-07-01", "reference_date"},
		{"window backdated by years, reference date to match (a 50-year-old would be 39)", "2015-06-01", "2015-06-30", "2015-06-30", "opens_at"},
		{"window backdated four days", "2026-06-06", "2026-06-30", "", "opens_at"},
		{"reference date before the day of publishing", opensAt, closesAt, "2026-06-09", "reference_date"},
		{"a deadline years ahead (the default reference date with it)", opensAt, "2031-06-30", "", "closes_at"},
		{"a window longer than the limit", "2026-06-10", "2026-09-09", "", "closes_at"},
		{"a window of exactly the limit", "2026-06-10", "2026-09-08", "", ""},
		{"opening more than a year ahead", "2027-06-11", "2027-06-30", "", "opens_at"},
		{"deadline already past", "2026-06-08", "2026-06-09", "", "closes_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := openingInput()
			in.OpensAt, in.ClosesAt, in.ReferenceDate = c.opens, c.closes, c.rf
			before := len(e.audit(t, "opening.create"))
			o, err := e.svc.CreateOpening(e.ctx, e.district, in)
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.Publish(e.ctx, e.district, o.ID); err != nil {
					t.Fatalf("publish: %v", err)
				}
				return
			}
			wantField(t, err, c.field)
			if got := len(e.audit(t, "opening.create")); got != before {
				t.Errorf("a refused opening was stored")
			}
		})
	}
}

// Rule A2-3: the bounds hold on the day of publishing, not only on the day the draft was saved.
func TestPublish_A2_3_WindowCheckedOnPublishingDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := openingInput()
	in.OpensAt, in.ClosesAt, in.ReferenceDate = "2026-06-11", "2026-06-30", "2026-06-11"
	d, err := e.svc.CreateOpening(e.ctx, e.district, in)
	if err != nil {
		t.Fatal(err)
	}
	// Published a week later: the window now opened 6 days ago and the reference date is past.
	e.clock.Set(chinaTime(2026, time.June, 17, 9, 0))
	_, err = e.svc.Publish(e.ctx, e.district, d.ID)
	me := wantCode(t, err, models.ErrInvalid, "window_out_of_bounds")
	if me.Fields["opens_at"] == "" || me.Fields["reference_date"] == "" {
		t.Errorf("fields %v", me.Fields)
	}
	if v, _ := e.svc.AdminOpening(e.ctx, e.district, d.ID); v.Status != models.OpeningDraft {
		t.Errorf("status %s after a refused publish", v.Status)
	}
}

// Reopening a finished opening: an extension is for an opening still taking applications, or
// just closed with no scores and no proposals; limited in length; the reference date stays.
func TestExtendDeadline_A2_3_R1_Limits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	ext := func(closes string) error {
		_, err := e.svc.ExtendDeadline(e.ctx, e.district, o.ID, closes, "报名人数不足")
		return err
	}
	wantField(t, ext("2026-07-31"), "closes_at") // more than 30 days at once
	if err := ext("2026-07-30"); err != nil {
		t.Fatal(err)
	}
	wantField(t, ext("2026-09-07"), "closes_at") // the window would pass 90 days (opens 06-08)
	if err := ext("2026-08-20"); err != nil {
		t.Fatal(err)
	}
	v, _ := e.svc.AdminOpening(e.ctx, e.district, o.ID)
	if v.ReferenceDate != closesAt || v.ClosesAt != "2026-08-20" {
		t.Errorf("after extending: reference %s closes %s", v.ReferenceDate, v.ClosesAt)
	}

	// Just closed, nobody scored: may be reopened within the grace days.
	p := e.published(t, nil)
	id := e.apply(t, e.applicant, p.ID, form(t)).ID
	e.clock.Set(chinaTime(2026, time.July, 3, 9, 0))
	if _, err := e.svc.ExtendDeadline(e.ctx, e.district, p.ID, "2026-07-10", "系统故障，补报名"); err != nil {
		t.Fatalf("reopen just closed: %v", err)
	}
	// Closed again, with a score: no reopening.
	e.clock.Set(chinaTime(2026, time.July, 11, 9, 0))
	e.score(t, p.ID, map[uint64]string{id: "80"})
	_, err := e.svc.ExtendDeadline(e.ctx, e.district, p.ID, "2026-07-20", "再延")
	wantCode(t, err, models.ErrConflict, "extension_closed")
	// And never long after the deadline, scores or not.
	q := e.published(t, func(in *recruitment.OpeningInput) {
		in.Title = "另一岗位"
		in.OpensAt, in.ClosesAt = "2026-07-11", "2026-07-20"
	})
	e.clock.Set(chinaTime(2026, time.July, 28, 9, 0))
	_, err = e.svc.ExtendDeadline(e.ctx, e.district, q.ID, "2026-08-05", "再延")
	wantCode(t, err, models.ErrConflict, "extension_closed")
	if es := e.audit(t, "opening.extend"); len(es) != 3 || es[0].Reason != "系统故障，补报名" {
		t.Errorf("audit %+v", es)
	}
}

// Rule R-1: with proposals in place, a changed score is refused; a district admin may reopen
// scoring with a reason, which withdraws the proposals, tells those concerned, and lets the
// corrected ranking make new ones.
func TestSetScores_R1_FrozenAfterProposalsUntilReopened(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "85", ids["考生丙"]: "80"})
	if _, err := e.svc.Propose(e.ctx, e.townAdmin, o.ID); err != nil {
		t.Fatal(err)
	}
	// The edit that would hand the next drop-out's seat to 丙.
	err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生丙"], Score: "99"}})
	wantCode(t, err, models.ErrConflict, "scores_frozen")
	err = e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生丙"], Absent: true}})
	wantCode(t, err, models.ErrConflict, "scores_frozen")
	if got := e.row(t, ids["考生丙"]).Score; got == nil || *got != 8000 {
		t.Fatalf("score changed to %v", got)
	}
	// Only a district admin reopens, and only with a reason.
	_, err = e.svc.ReopenScoring(e.ctx, e.townAdmin, o.ID, "成绩录入错误")
	wantKind(t, err, models.ErrForbidden)
	_, err = e.svc.ReopenScoring(e.ctx, e.district, o.ID, " ")
	wantField(t, err, "reason")
	rk, err := e.svc.ReopenScoring(e.ctx, e.district, o.ID, "考生丙成绩登记错误，经核对为 99 分")
	if err != nil {
		t.Fatal(err)
	}
	if rk.Proposed != 0 || rk.Opening.ScoresFrozen {
		t.Errorf("after reopening: proposed %d frozen %v", rk.Proposed, rk.Opening.ScoresFrozen)
	}
	for _, n := range []string{"考生甲", "考生乙"} {
		v, _ := e.svc.ApplicationFor(e.ctx, e.district, ids[n])
		if v.Status != models.AppEligible || !strings.Contains(v.Events[len(v.Events)-1].Message, "拟录用已撤销") ||
			!strings.Contains(v.Events[len(v.Events)-1].Message, "登记错误") {
			t.Errorf("%s: %s, last event %+v", n, v.Status, v.Events[len(v.Events)-1])
		}
	}
	if es := e.audit(t, "scoring.reopen"); len(es) != 1 || !strings.Contains(es[0].Detail, fmt.Sprint(ids["考生甲"])) {
		t.Errorf("audit %+v", es)
	}
	_, err = e.svc.ReopenScoring(e.ctx, e.district, o.ID, "再次")
	wantCode(t, err, models.ErrConflict, "not_frozen")
	// The corrected score, then new proposals from the corrected ranking.
	e.score(t, o.ID, map[uint64]string{ids["考生丙"]: "99"})
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]string{"考生丙": models.AppProposed, "考生甲": models.AppProposed, "考生乙": models.AppEligible} {
		if got := e.row(t, ids[n]).Status; got != want {
			t.Errorf("%s: %s, want %s", n, got, want)
		}
	}
}

// Rule R-1 under concurrency: a score change racing the proposals either lands before them (and
// is in the ranking they used) or is refused; it never lands after them.
func TestSetScores_R1_RacingProposals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 1 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "80"})
	var wg sync.WaitGroup
	var scoreErr, proposeErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		scoreErr = e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生乙"], Score: "95"}})
	}()
	go func() { defer wg.Done(); _, proposeErr = e.svc.Propose(e.ctx, e.district, o.ID) }()
	wg.Wait()
	if proposeErr != nil {
		t.Fatal(proposeErr)
	}
	winner := "考生甲"
	if scoreErr == nil {
		winner = "考生乙" // the change came first and the proposal saw it
	} else {
		wantCode(t, scoreErr, models.ErrConflict, "scores_frozen")
	}
	if got := e.row(t, ids[winner]).Status; got != models.AppProposed {
		t.Errorf("score error %v: %s is %s, want proposed", scoreErr, winner, got)
	}
}

// Rule R-3 with rule R-1: across a tie at the last seat, the extra test (加试) of the tied
// candidates may still be entered after the first proposals, and nothing else.
func TestSetScores_R1_R3_ExtraTestAfterPartialProposals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "80", ids["考生丙"]: "80"})
	_, err := e.svc.Propose(e.ctx, e.district, o.ID)
	wantCode(t, err, models.ErrConflict, "tie_at_boundary")
	err = e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生乙"], Score: "81"}})
	wantCode(t, err, models.ErrConflict, "scores_frozen")
	if err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{
		{ApplicationID: ids["考生乙"], ExtraScore: "70"}, {ApplicationID: ids["考生丙"], ExtraScore: "75"}}); err != nil {
		t.Fatalf("extra test after partial proposals: %v", err)
	}
	err = e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生乙"], ExtraScore: "99"}})
	wantCode(t, err, models.ErrConflict, "scores_frozen") // no second try once the tie is settled
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	if e.row(t, ids["考生丙"]).Status != models.AppProposed || e.row(t, ids["考生乙"]).Status != models.AppEligible {
		t.Error("the extra test did not decide the last seat")
	}
}

// Rule R-1: every eligible candidate needs a score before proposals; an absent candidate (缺考)
// counts as settled, is never ranked and never proposed, even with seats to spare; an opening's
// pass mark (合格分数线) keeps everyone below it out of the seats. Both show in the ranking and
// its export.
func TestPropose_R1_AbsentAndPassMark(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 4; in.PassMark = "60" })
	if o.PassMark != "60.00" {
		t.Fatalf("pass mark %q", o.PassMark)
	}
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "缺考者"}, person{name: "低分者"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "88", ids["考生乙"]: "60", ids["低分者"]: "0"})
	rk, _ := e.svc.Ranking(e.ctx, e.district, o.ID)
	if rk.CanPropose || len(rk.Unscored) != 1 {
		t.Fatalf("one unscored candidate must block proposals: %v %+v", rk.Blockers, rk.Unscored)
	}
	// Absent and a score at once is refused; absent alone settles it.
	err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["缺考者"], Score: "50", Absent: true}})
	wantField(t, err, fmt.Sprintf("score_%d", ids["缺考者"]))
	if err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["缺考者"], Absent: true}}); err != nil {
		t.Fatal(err)
	}
	rk, _ = e.svc.Ranking(e.ctx, e.district, o.ID)
	if !rk.CanPropose || len(rk.Absent) != 1 || rk.Absent[0].Name != "缺考者" || rk.Passing != 2 {
		t.Fatalf("blockers %v absent %+v passing %d", rk.Blockers, rk.Absent, rk.Passing)
	}
	last := rk.Rows[len(rk.Rows)-1]
	if last.Application.Name != "低分者" || !last.BelowPassMark || last.WithinSeats {
		t.Errorf("the candidate below the pass mark: %+v", last)
	}
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]string{"考生甲": models.AppProposed, "考生乙": models.AppProposed,
		"缺考者": models.AppEligible, "低分者": models.AppEligible} {
		if got := e.row(t, ids[n]).Status; got != want {
			t.Errorf("%s: %s, want %s", n, got, want)
		}
	}
	v, _ := e.svc.ApplicationFor(e.ctx, e.district, ids["缺考者"])
	if !v.Absent || v.Timeline[len(v.Timeline)-1].Label != "缺考" {
		t.Errorf("absent candidate's view: %+v", v.Timeline)
	}
	b, _, err := e.svc.RankingXLSX(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := xlsxText(t, b)
	for _, want := range []string{"缺考", "未达合格分数线", "合格分数线 60.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ranking export does not show %q", want)
		}
	}
	// A pass mark that is not a score is refused when the opening is made.
	_, err = e.svc.CreateOpening(e.ctx, e.district, func() recruitment.OpeningInput {
		in := openingInput()
		in.PassMark = "六十"
		return in
	}())
	wantField(t, err, "pass_mark")
}

// Attachment 2 is the notice's floor (rules A2-2, A2-3, A2-4): the district's base conditions
// may tighten it, never relax it, as a town's extras may only tighten the base.
func TestSetBaseConditions_A2_Floor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		name string
		in   recruitment.ConditionsInput
		ok   bool
	}{
		{"foreign nationals", recruitment.ConditionsInput{AllowForeign: ptrBool(true)}, false},
		{"minimum age 16", recruitment.ConditionsInput{MinAge: ptrInt(16)}, false},
		{"maximum age 60", recruitment.ConditionsInput{MaxAge: ptrInt(60)}, false},
		{"relaxed maximum 50", recruitment.ConditionsInput{RelaxedMaxAge: ptrInt(50)}, false},
		{"junior high for everyone", recruitment.ConditionsInput{MinEducation: ptrStr("junior_high")}, false},
		{"tighter: ages 20 to 35", recruitment.ConditionsInput{MinAge: ptrInt(20), MaxAge: ptrInt(35)}, true},
		{"HK/Macao/Taiwan residents (PRC nationals)", recruitment.ConditionsInput{AllowHKMacaoTaiwan: ptrBool(true)}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := e.svc.BaseConditions(e.ctx)
			_, err := e.svc.SetBaseConditions(e.ctx, e.district, c.in, "调整")
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				_, err = e.svc.SetBaseConditions(e.ctx, e.district, recruitment.ConditionsInput{MinAge: ptrInt(18), MaxAge: ptrInt(40),
					AllowHKMacaoTaiwan: ptrBool(false)}, "恢复")
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, models.ErrInvalid, "relaxes_attachment_2")
			if after, _ := e.svc.BaseConditions(e.ctx); after != before {
				t.Errorf("base changed to %+v", after)
			}
		})
	}
}

// A stored base that predates the floor cannot carry an opening below it (rule A2-3).
func TestPublish_A2_FloorHoldsAgainstALegacyBase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	legacy := screening.Base()
	legacy.MinAge, legacy.MaxAge, legacy.AllowForeign = 16, 60, true
	b, _ := json.Marshal(legacy)
	if err := e.store.PutSetting(e.ctx, "base_conditions", string(b), e.district.UserID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	wantField(t, err, "conditions")
}

// Rules A2-1, A2-5, A2-6 at submission: declarations unticked and disqualifiers unanswered are
// form errors on their fields, all at once, and nothing is stored; an explicit 是 to any of the
// four disqualifiers (the catch-all included) files an ineligible application.
func TestApply_A2_1_A2_5_A2_6_ExplicitAnswersRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	f.AcceptsConditions, f.Healthy = false, false
	f.UnderDiscipline, f.OtherBar = nil, nil
	_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, nil)
	me := wantField(t, err, "accepts_conditions")
	for _, field := range []string{"healthy", "under_discipline", "other_bar", "file_photo", "file_diploma"} {
		if me.Fields[field] == "" {
			t.Errorf("no message for %s: %v", field, me.Fields)
		}
	}
	if n := e.countApps(t, o.ID); n != 0 {
		t.Fatalf("%d applications stored", n)
	}
	g := form(t)
	g.OtherBar = ptrBool(true)
	v := e.apply(t, e.applicant, o.ID, g)
	if ch := check(t, v.Result, screening.RuleA2_6); v.Status != models.AppIneligible || ch.Outcome != screening.CheckFail ||
		!strings.Contains(ch.Message, "法律规定不得报考") {
		t.Errorf("other legal bar: %s %s %q", v.Status, ch.Outcome, ch.Message)
	}
	// The live check says which rule waits for an answer instead of refusing the form.
	h := form(t)
	h.UnderInvestigation = nil
	res, err := e.svc.CheckEligibility(e.ctx, o.ID, h)
	if err != nil {
		t.Fatal(err)
	}
	if ch := check(t, res.Result, screening.RuleA2_6); ch.Outcome != screening.CheckFail || !strings.Contains(ch.Message, "逐项回答") {
		t.Errorf("unanswered in the live check: %+v", ch)
	}
}

// A guessed ID number in a form without files learns nothing: the whole form is checked first,
// so the answer is the same whether or not that person applied.
func TestApply_A2_2_NoDuplicateOracleBeforeTheFormIsComplete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	e.apply(t, e.applicant, o.ID, f)
	probe := func(number string) *models.Error {
		g := form(t)
		g.IDNumber = number
		_, err := e.svc.Apply(e.ctx, e.otherApplicant, o.ID, g, nil)
		return wantField(t, err, "file_photo")
	}
	applied, notApplied := probe(f.IDNumber), probe(idNumber(t, "1996-03-15"))
	if applied.Code != notApplied.Code || applied.Message != notApplied.Message || len(applied.Fields) != len(notApplied.Fields) {
		t.Errorf("answers differ: %+v vs %+v", applied, notApplied)
	}
}

// Rule A2-4 and the review: a verdict can be corrected. A rejected claim is reopened with a
// reason (audited, on the timeline) and decided again; messages say what happened.
func TestReopenReview_A2_3_CorrectsARejection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	v := e.veteran43(t, e.applicant, o.ID)
	vet := e.reviewItem(t, v.ID, models.ReviewVeteran)
	got, err := e.svc.Decide(e.ctx, e.townAdmin, vet, recruitment.Decision{Reason: "退伍证明模糊无法辨认"})
	if err != nil {
		t.Fatal(err)
	}
	ch := check(t, got.Result, screening.RuleA2_3)
	if got.Status != models.AppIneligible || !strings.Contains(ch.Message, "复核未通过") || !strings.Contains(ch.Message, "退伍证明模糊") {
		t.Fatalf("after rejecting the veteran claim: %s %q", got.Status, ch.Message)
	}
	if strings.Contains(ch.Message, "仅适用于") {
		t.Errorf("the message reads as if no claim was made: %q", ch.Message)
	}
	// Deciding again is not the way: reopen, with a reason.
	_, err = e.svc.Decide(e.ctx, e.townAdmin, vet, recruitment.Decision{Approve: true})
	wantCode(t, err, models.ErrConflict, "already_decided")
	_, err = e.svc.ReopenReview(e.ctx, e.townAdmin, vet, "")
	wantField(t, err, "reason")
	_, err = e.svc.ReopenReview(e.ctx, e.otherTownAdmin, vet, "看错了")
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.ReopenReview(e.ctx, e.applicant, vet, "看错了")
	wantKind(t, err, models.ErrForbidden)
	got, err = e.svc.ReopenReview(e.ctx, e.townAdmin, vet, "原件已核对，证明清晰")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.AppPendingReview {
		t.Errorf("after reopening: %s", got.Status)
	}
	_, err = e.svc.ReopenReview(e.ctx, e.townAdmin, vet, "再次")
	wantCode(t, err, models.ErrConflict, "not_decided")
	e.approveAll(t, v.ID)
	final, _ := e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	if final.Status != models.AppEligible {
		t.Errorf("after approving: %s", final.Status)
	}
	if es := e.audit(t, "review.reopen"); len(es) != 1 || es[0].Reason != "原件已核对，证明清晰" || !strings.Contains(es[0].Detail, "rejected") {
		t.Errorf("audit %+v", es)
	}
	found := false
	for _, ev := range final.Events {
		found = found || strings.Contains(ev.Message, "重新复核") && strings.Contains(ev.Message, "原件已核对")
	}
	if !found {
		t.Errorf("the applicant's timeline does not say the verdict was taken back: %+v", final.Events)
	}
}

// Rule R-2 messages: a declared, rejected extra says "复核未通过" with the reason, not that it
// was never declared.
func TestDecide_R2_RejectedExtraSaysWhatHappened(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Conditions.LicenceRequired = ptrStr("C1 机动车驾驶证") })
	f := form(t)
	f.HasLicence = true
	v := e.apply(t, e.applicant, o.ID, f)
	got, err := e.svc.Decide(e.ctx, e.townAdmin, e.reviewItem(t, v.ID, models.ReviewLicence), recruitment.Decision{Reason: "驾驶证已过期"})
	if err != nil {
		t.Fatal(err)
	}
	ch := check(t, got.Result, screening.RuleR_2)
	if !strings.Contains(ch.Message, "复核未通过") || !strings.Contains(ch.Message, "驾驶证已过期") || strings.Contains(ch.Message, "未声明") {
		t.Errorf("R-2 message %q", ch.Message)
	}
}

// 补充材料: an applicant whose evidence was rejected may replace it once; the item returns to
// the queue and the application to review. Not a second time, not for another's item, not
// after proposals.
func TestSupplement_ReplacesRejectedEvidenceOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	v := e.veteran43(t, e.applicant, o.ID)
	vet := e.reviewItem(t, v.ID, models.ReviewVeteran)
	_, err := e.svc.Supplement(e.ctx, e.applicant, vet, testJPEG(t))
	wantCode(t, err, models.ErrConflict, "cannot_supplement") // not rejected yet
	if _, err := e.svc.Decide(e.ctx, e.townAdmin, vet, recruitment.Decision{Reason: "证明模糊"}); err != nil {
		t.Fatal(err)
	}
	mine, _ := e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	can := false
	for _, r := range mine.Reviews {
		can = can || r.ID == vet && r.CanSupplement && r.File == recruitment.FileVeteran
	}
	if !can {
		t.Fatalf("the applicant is not offered a supplement: %+v", mine.Reviews)
	}
	_, err = e.svc.Supplement(e.ctx, e.otherApplicant, vet, testJPEG(t))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Supplement(e.ctx, e.applicant, vet, []byte("not an image"))
	wantField(t, err, "file")
	got, err := e.svc.Supplement(e.ctx, e.applicant, vet, testJPEG(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.AppPendingReview {
		t.Errorf("after the supplement: %s", got.Status)
	}
	supp := 0
	for _, f := range got.Files {
		if f.Supplement && f.Kind == recruitment.FileVeteran {
			supp++
		}
	}
	if supp != 1 {
		t.Errorf("files %+v", got.Files)
	}
	q, _ := e.svc.ReviewQueue(e.ctx, e.townAdmin)
	if len(q) != 1 || q[0].ID != v.ID {
		t.Errorf("queue %+v", q)
	}
	// The review waits for the new evidence to leave quarantine.
	_, err = e.svc.Decide(e.ctx, e.townAdmin, vet, recruitment.Decision{Reason: "仍不清晰"})
	wantCode(t, err, models.ErrConflict, "evidence_processing")
	e.drain(t)
	if _, err := e.svc.Decide(e.ctx, e.townAdmin, vet, recruitment.Decision{Reason: "仍不清晰"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Supplement(e.ctx, e.applicant, vet, testJPEG(t))
	wantCode(t, err, models.ErrConflict, "cannot_supplement")
}

// Rule R-1: once proposals are made, review verdicts are frozen with the scores.
func TestReopenReview_R1_RefusedAfterProposals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 1 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲", vet: true}, person{name: "考生乙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "80"})
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.ReopenReview(e.ctx, e.district, e.reviewItem(t, ids["考生甲"], models.ReviewVeteran), "复查")
	wantCode(t, err, models.ErrConflict, "scores_frozen")
}

// DESIGN.md, personal data: what is stored in plain text with an application, and what the
// applicant's own view, the lists and the ranking show, leave at least 1,000 candidate ID
// numbers — brute-forced here from the stored row and the views, as an attacker would.
func TestApply_PlainDataLeavesAtLeast1000IDNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := formBorn(t, "1992-02-29")
	v := e.apply(t, e.applicant, o.ID, f)
	row := e.row(t, v.ID)
	var stored map[string]any
	if err := json.Unmarshal([]byte(row.Result), &stored); err != nil {
		t.Fatal(err)
	}
	if stored["birth_date"] != nil {
		t.Errorf("the stored result keeps the birth date: %s", row.Result)
	}
	plain, _ := json.Marshal(row)
	for _, s := range []string{"19920229", "1992-02-29", "1992年2月29日"} {
		if strings.Contains(string(plain), s) || strings.Contains(mustMarshal(t, v), s) {
			t.Errorf("the birth date %s is stored or shown in plain text", s)
		}
	}
	ref, _ := screening.ParseDate(v.ReferenceDate)
	n := 0
	for b := ref.AddDays(-366 * (v.Age + 1)); !b.After(ref); b = b.AddDays(1) {
		if screening.AgeOn(b, ref) != v.Age {
			continue
		}
		for seq := 0; seq < 1000; seq++ {
			first := fmt.Sprintf("320684%s%03d", strings.ReplaceAll(b.String(), "-", ""), seq)
			c, _ := screening.IDCheckChar(first)
			id := first + string(c)
			p, err := screening.ParseID(id, screening.Date{})
			if err == nil && screening.MaskID(id) == row.IDMasked && p.Male == row.Male {
				n++
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d ID numbers match what is stored in plain text and shown", n)
	}
}

// The personal-data rules: the ciphertext of an ID number is bound to its row; rows written
// before are upgraded at start, once.
func TestUpgradeIDCiphers_BindsLegacyRowsToTheirRow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	v := e.apply(t, e.applicant, o.ID, f)
	legacy, err := e.cipher.Seal(f.IDNumber, "applications.id_number")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetApplicationCipher(e.ctx, v.ID, legacy, 1); err != nil {
		t.Fatal(err)
	}
	if full, err := e.svc.AdminApplication(e.ctx, e.district, v.ID); err != nil || full.IDNumber != f.IDNumber {
		t.Fatalf("a legacy row does not open: %v", err)
	}
	n, err := e.svc.UpgradeIDCiphers(e.ctx)
	if err != nil || n != 1 {
		t.Fatalf("upgraded %d, %v", n, err)
	}
	if n, _ := e.svc.UpgradeIDCiphers(e.ctx); n != 0 {
		t.Errorf("a second run upgraded %d", n)
	}
	row := e.row(t, v.ID)
	if row.IDCipherVersion != 2 {
		t.Errorf("version %d", row.IDCipherVersion)
	}
	if full, err := e.svc.AdminApplication(e.ctx, e.district, v.ID); err != nil || full.IDNumber != f.IDNumber {
		t.Errorf("after the upgrade: %v", err)
	}
	// Once all are bound, an old column-bound ciphertext put back (from a backup) is refused,
	// not opened and not re-sealed as genuine.
	if err := e.store.SetApplicationCipher(e.ctx, v.ID, legacy, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AdminApplication(e.ctx, e.district, v.ID); err == nil {
		t.Error("a column-bound ciphertext opened after the upgrade")
	}
	if n, _ := e.svc.UpgradeIDCiphers(e.ctx); n != 0 || e.row(t, v.ID).IDCipherVersion != 1 {
		t.Errorf("the restored ciphertext was re-sealed (%d)", n)
	}
	if err := e.store.SetApplicationCipher(e.ctx, v.ID, row.IDCipher, 2); err != nil {
		t.Fatal(err)
	}
	// A ciphertext moved into another row no longer opens.
	w := e.apply(t, e.otherApplicant, o.ID, form(t))
	if err := e.store.SetApplicationCipher(e.ctx, w.ID, row.IDCipher, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AdminApplication(e.ctx, e.district, w.ID); err == nil || errors.Is(err, models.ErrNotFound) {
		t.Errorf("a ciphertext moved between rows opened: %v", err)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// xlsxText is every cell of a workbook's first sheet, joined.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	var sb strings.Builder
	for _, r := range readXLSX(t, b) {
		sb.WriteString(strings.Join(r, "\t"))
		sb.WriteString("\n")
	}
	return sb.String()
}

// Rule R-1: after proposals, a 加试 score is taken only for a tie across a free last seat; a
// tie below the seats cannot be settled in advance to pick the next 递补.
func TestSetScores_R1_NoExtraTestForATieBelowTheSeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 1 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "80", ids["考生丙"]: "80"})
	if _, err := e.svc.Propose(e.ctx, e.townAdmin, o.ID); err != nil {
		t.Fatal(err)
	}
	err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{
		{ApplicationID: ids["考生乙"], ExtraScore: "100"}, {ApplicationID: ids["考生丙"], ExtraScore: "0"}})
	wantCode(t, err, models.ErrConflict, "scores_frozen")
	// 甲 drops out: the seat is free and the tie is across it now.
	v, err := e.svc.DropOut(e.ctx, e.townAdmin, ids["考生甲"], "本人放弃")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(v.Blockers, ""), "加试") {
		t.Errorf("blockers %v", v.Blockers)
	}
	if err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{
		{ApplicationID: ids["考生乙"], ExtraScore: "60"}, {ApplicationID: ids["考生丙"], ExtraScore: "70"}}); err != nil {
		t.Fatalf("加试 across the free seat: %v", err)
	}
	if _, err := e.svc.Propose(e.ctx, e.townAdmin, o.ID); err != nil {
		t.Fatal(err)
	}
	if e.row(t, ids["考生丙"]).Status != models.AppProposed {
		t.Error("the 加试 did not decide the freed seat")
	}
}

// Rule A2-2: an identity conflict stays the staff's business — the applicants' timelines and
// views never name it — and it ends by itself when the other application is withdrawn.
func TestIdentityConflict_A2_2_HiddenFromApplicantsAndSettledByWithdrawal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	first := e.apply(t, e.applicant, o.ID, f)
	clash := e.apply(t, e.otherApplicant, o.ID, f)
	item := e.reviewItem(t, first.ID, models.ReviewIdentity)
	if _, err := e.svc.Decide(e.ctx, e.townAdmin, item, recruitment.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ReopenReview(e.ctx, e.townAdmin, item, "再核一次"); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct {
		a  models.Actor
		id uint64
	}{{e.applicant, first.ID}, {e.otherApplicant, clash.ID}} {
		v, _ := e.svc.ApplicationFor(e.ctx, who.a, who.id)
		b := mustMarshal(t, v)
		for _, leak := range []string{"identity", "身份证号码重复", "身份核验"} {
			if strings.Contains(b, leak) {
				t.Errorf("application %d shows its applicant %q", who.id, leak)
			}
		}
	}
	// The second account withdraws: the first no longer waits for an identity check.
	if err := e.svc.Withdraw(e.ctx, e.otherApplicant, clash.ID); err != nil {
		t.Fatal(err)
	}
	v, _ := e.svc.AdminApplication(e.ctx, e.townAdmin, first.ID)
	for _, r := range v.Reviews {
		if r.Kind == models.ReviewIdentity && r.Status != models.ReviewApproved {
			t.Errorf("identity item after the other withdrew: %+v", r)
		}
	}
	if len(v.SameID) != 0 {
		t.Errorf("same-ID list %+v", v.SameID)
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{first.ID: "80"})
	if rk, _ := e.svc.Ranking(e.ctx, e.district, o.ID); !rk.CanPropose {
		t.Errorf("blockers %v", rk.Blockers)
	}
}

// Rule A2-2 under concurrency: two reviewers approving the identity checks of two applications
// with one number at the same moment: exactly one passes.
func TestIdentityConflict_A2_2_ConcurrentApprovalsOneWins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	for round := range 6 {
		f := form(t)
		a := e.apply(t, e.candidate(t, fmt.Sprintf("甲%d", round)), o.ID, f)
		b := e.apply(t, e.candidate(t, fmt.Sprintf("乙%d", round)), o.ID, f)
		items := []uint64{e.reviewItem(t, a.ID, models.ReviewIdentity), e.reviewItem(t, b.ID, models.ReviewIdentity)}
		actors := []models.Actor{e.district, e.townAdmin}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Decide(e.ctx, actors[i], items[i], recruitment.Decision{Approve: true})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if me, _ := models.AsError(err); me == nil || me.Code != "identity_taken" {
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 {
			t.Errorf("round %d: %d identity checks passed for one number, want exactly 1", round, ok)
		}
	}
}
