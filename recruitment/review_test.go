package recruitment_test

import (
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// veteran43 applies as a 43-year-old veteran: A2-3 passes only by the relaxation (to 45).
func (e *env) veteran43(t *testing.T, who models.Actor, openingID uint64) *recruitment.ApplicationView {
	t.Helper()
	f := formBorn(t, born43)
	f.Veteran = true
	v := e.apply(t, who, openingID, f)
	if v.Status != models.AppPendingReview {
		t.Fatalf("43-year-old veteran: status %s", v.Status)
	}
	return v
}

// Rule A2-3: a relaxation counts once a reviewer approves it; a rejection fails the rule with
// the reviewer's reason, which the applicant sees.
func TestDecide_A2_3_AgeRelaxation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)

	t.Run("approve", func(t *testing.T) {
		v := e.veteran43(t, e.applicant, o.ID)
		got, err := e.svc.Decide(e.ctx, e.townAdmin, e.reviewItem(t, v.ID, models.ReviewAgeRelaxation), recruitment.Decision{Approve: true})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.AppEligible || got.Result.Outcome != screening.Eligible {
			t.Errorf("after approval: %s %s", got.Status, got.Result.Outcome)
		}
		if ch := check(t, got.Result, screening.RuleA2_3); ch.Outcome != screening.CheckRelaxed || !strings.Contains(ch.Message, "复核已同意放宽") {
			t.Errorf("A2-3 %s %q", ch.Outcome, ch.Message)
		}
		es := e.audit(t, "review.approved")
		if len(es) != 1 || es[0].ObjectID != v.ID || es[0].ActorID != e.townAdmin.UserID || es[0].TownID == nil || *es[0].TownID != e.town.ID {
			t.Errorf("audit %+v", es)
		}
		// The veteran evidence is still to check, so it stays in the queue.
		q, _ := e.svc.ReviewQueue(e.ctx, e.townAdmin)
		if len(q) != 1 || q[0].ID != v.ID || len(q[0].Pending) != 1 {
			t.Errorf("queue %+v", q)
		}
	})

	t.Run("reject", func(t *testing.T) {
		v := e.veteran43(t, e.otherApplicant, o.ID)
		const reason = "退伍证明显示服役不满两年，不符合放宽条件"
		_, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewAgeRelaxation), recruitment.Decision{Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := e.svc.ApplicationFor(e.ctx, e.otherApplicant, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if mine.Status != models.AppIneligible || mine.Result.Outcome != screening.Ineligible {
			t.Errorf("after rejection: %s %s", mine.Status, mine.Result.Outcome)
		}
		ch := check(t, mine.Result, screening.RuleA2_3)
		if ch.Outcome != screening.CheckFail || !strings.Contains(ch.Message, reason) {
			t.Errorf("A2-3 %s %q, want fail with the reviewer's reason", ch.Outcome, ch.Message)
		}
		if len(mine.Failed) != 1 || mine.Failed[0].Rule != screening.RuleA2_3 {
			t.Errorf("failed %+v", mine.Failed)
		}
		found := false
		for _, r := range mine.Reviews {
			if r.Kind == models.ReviewAgeRelaxation {
				found = r.Status == models.ReviewRejected && r.Reason == reason
			}
		}
		if !found {
			t.Errorf("reviews %+v", mine.Reviews)
		}
		if last := mine.Events[len(mine.Events)-1]; !strings.Contains(last.Message, "资格审查不合格") {
			t.Errorf("events %+v", mine.Events)
		}
		es := e.audit(t, "review.rejected")
		if len(es) != 1 || es[0].Reason != reason || !strings.Contains(es[0].Detail, models.AppIneligible) {
			t.Errorf("audit %+v", es)
		}
		// Ineligible now, its other items can still be decided (they matter again if this
		// rejection is corrected); the application stays ineligible while the rejection stands.
		got, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewVeteran), recruitment.Decision{Approve: true})
		if err != nil {
			t.Fatalf("deciding the veteran item of the ineligible application: %v", err)
		}
		if got.Status != models.AppIneligible {
			t.Errorf("after approving the veteran item: %s, want still ineligible", got.Status)
		}
		_, err = e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewVeteran), recruitment.Decision{Approve: true})
		wantCode(t, err, models.ErrConflict, "already_decided")
	})
}

// Rejected evidence re-runs screening: a 43-year-old whose veteran status is not accepted no
// longer qualifies for the age relaxation (rule A2-3), even after the relaxation was approved.
func TestDecide_A2_3_RejectedVeteranEvidenceRerunsScreening(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	v := e.veteran43(t, e.applicant, o.ID)
	if _, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewAgeRelaxation), recruitment.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewVeteran), recruitment.Decision{Reason: "退伍证明为伪造"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.AppIneligible {
		t.Errorf("status %s, want ineligible", got.Status)
	}
	if ch := check(t, got.Result, screening.RuleA2_3); ch.Outcome != screening.CheckFail {
		t.Errorf("A2-3 %s %q", ch.Outcome, ch.Message)
	}
	if len(got.Result.Preferences) != 0 {
		t.Errorf("preferences %v after the veteran claim was rejected", got.Result.Preferences)
	}
}

// Rule A2-4: the education relaxation for CCP members goes to a reviewer; rejecting the party
// membership takes the relaxation away.
func TestDecide_A2_4_EducationRelaxation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	apply := func(who models.Actor) *recruitment.ApplicationView {
		f := form(t)
		f.Education, f.PartyMember, f.Political = "junior_high", true, "中共党员"
		v := e.apply(t, who, o.ID, f)
		if v.Status != models.AppPendingReview {
			t.Fatalf("status %s", v.Status)
		}
		return v
	}
	a := apply(e.applicant)
	got, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, a.ID, models.ReviewEducationRelaxation), recruitment.Decision{Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != models.AppEligible {
		t.Errorf("approved relaxation: %s", got.Status)
	}
	b := apply(e.otherApplicant)
	got, err = e.svc.Decide(e.ctx, e.district, e.reviewItem(t, b.ID, models.ReviewParty), recruitment.Decision{Reason: "未提供党组织关系证明"})
	if err != nil {
		t.Fatal(err)
	}
	if ch := check(t, got.Result, screening.RuleA2_4); got.Status != models.AppIneligible || ch.Outcome != screening.CheckFail {
		t.Errorf("rejected party membership: %s, A2-4 %s", got.Status, ch.Outcome)
	}
}

func TestDecide_RulesAndAuthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	v := e.veteran43(t, e.applicant, o.ID)
	item := e.reviewItem(t, v.ID, models.ReviewAgeRelaxation)

	_, err := e.svc.Decide(e.ctx, e.district, item, recruitment.Decision{Approve: false, Reason: "  "})
	wantField(t, err, "reason")
	_, err = e.svc.Decide(e.ctx, e.district, item, recruitment.Decision{Approve: false, Reason: strings.Repeat("长", 501)})
	wantField(t, err, "reason")
	_, err = e.svc.Decide(e.ctx, e.otherTownAdmin, item, recruitment.Decision{Approve: true})
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Decide(e.ctx, e.trainer, item, recruitment.Decision{Approve: true})
	wantKind(t, err, models.ErrForbidden)
	_, err = e.svc.Decide(e.ctx, e.applicant, item, recruitment.Decision{Approve: true})
	wantKind(t, err, models.ErrForbidden)
	_, err = e.svc.Decide(e.ctx, e.district, 999999, recruitment.Decision{Approve: true})
	wantKind(t, err, models.ErrNotFound)
	if got := e.row(t, v.ID); got.Status != models.AppPendingReview {
		t.Fatalf("refused decisions changed the status to %s", got.Status)
	}
	if n := len(e.audit(t, "review.approved")) + len(e.audit(t, "review.rejected")); n != 0 {
		t.Fatalf("%d audit entries for refused decisions", n)
	}

	if _, err := e.svc.Decide(e.ctx, e.townAdmin, item, recruitment.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Decide(e.ctx, e.district, item, recruitment.Decision{Reason: "改变主意"})
	wantCode(t, err, models.ErrConflict, "already_decided")
	if got := e.row(t, v.ID); got.Status != models.AppEligible {
		t.Errorf("second decision changed the status to %s", got.Status)
	}
	if n := len(e.audit(t, "review.rejected")); n != 0 {
		t.Errorf("refused second decision was audited")
	}
	// The reviewer's detail view; the owner sees the decision in the timeline.
	mine, _ := e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	found := false
	for _, ev := range mine.Events {
		if ev.Kind == "review" && strings.Contains(ev.Message, "已核实") {
			found = true
		}
	}
	if !found {
		t.Errorf("events %+v", mine.Events)
	}
}

// Rule R-3: only verified preferences count; a rejected claim leaves the ranking.
func TestDecide_R3_RejectedPreferenceLeavesRanking(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 1 })
	mk := func(name string, veteran bool, major string) uint64 {
		f := form(t)
		f.Name, f.Veteran, f.Major = name, veteran, major
		return e.apply(t, e.candidate(t, name), o.ID, f).ID
	}
	approved := mk("考生甲", true, "")
	rejected := mk("考生乙", true, "")
	plain := mk("考生丙", false, "")
	urban := mk("考生丁", false, "城市管理")
	e.approveAll(t, approved)
	for _, id := range []uint64{rejected, urban} {
		kind := models.ReviewVeteran
		if id == urban {
			kind = models.ReviewUrbanManagement
		}
		got, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, id, kind), recruitment.Decision{Reason: "证明材料不清晰"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.AppEligible || len(got.Verified) != 0 {
			t.Errorf("a rejected claim of a 30-year-old: %s verified %v", got.Status, got.Verified)
		}
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{approved: "80", rejected: "80", plain: "80", urban: "80"})
	r, err := e.svc.Ranking(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 4 {
		t.Fatalf("rows %+v", r.Rows)
	}
	top := r.Rows[0]
	if top.Application.ID != approved || top.Tied || top.Rank != 1 || len(top.Verified) != 1 || top.VsNext.Step != screening.StepPreference {
		t.Errorf("top row %+v", top)
	}
	for _, row := range r.Rows[1:] {
		if row.Rank != 2 || !row.Tied || len(row.Verified) != 0 {
			t.Errorf("row %+v: want a visible tie at rank 2 without preferences", row)
		}
		if row.Application.ID == rejected || row.Application.ID == urban {
			if len(row.Unverified) != 1 || !strings.Contains(row.Unverified[0], "未通过") {
				t.Errorf("unverified %v", row.Unverified)
			}
		}
	}
}
