package training_test

import (
	"testing"
	"time"

	"auxportal/clock"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
)

// Rule T-1 takes final proposals only: while the 公示 runs, and while an objection to a proposal
// is undecided, nobody (that one) is scheduled; once it has ended, the others are.
func TestSchedule_T1_OnlyProposalsWhosePublicityEnded(t *testing.T) {
	e := newEnv(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	if _, err := e.rec.SetAfterRanking(e.ctx, e.district, o, recruitment.AfterRankingInput{PublicityDays: 5,
		SupervisionPhone: "0513-82100000", SupervisionAddress: "海门区城市管理局人事科"}); err != nil {
		t.Fatal(err)
	}
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "测试方案", Spec: smallBlueprint()})
	if err != nil {
		t.Fatal(err)
	}
	e.demoBank(t)
	in := training.SittingInput{Title: "第一期", BlueprintID: bp.ID, Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00",
		Venue: "区城管局三楼考场", OpeningIDs: []uint64{o}}
	_, err = e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	wantCode(t, err, models.ErrInvalid, "no_candidates") // no 公示 yet
	if _, err := e.rec.StartPublicity(e.ctx, e.district, o); err != nil {
		t.Fatal(err)
	}
	apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &o})
	if err != nil {
		t.Fatal(err)
	}
	var yi uint64
	for _, a := range apps {
		if a.UserID == people["乙"].UserID {
			yi = a.ID
		}
	}
	if _, err := e.rec.RecordObjection(e.ctx, e.district, yi, recruitment.ObjectionInput{Objector: "匿名", Content: "反映", ReceivedOn: "2026-07-01"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, time.July, 7, 23, 0, 0, 0, clock.China)) // the last day of the 公示
	_, err = e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	wantCode(t, err, models.ErrInvalid, "no_candidates")
	e.clock.Set(time.Date(2026, time.July, 8, 9, 0, 0, 0, clock.China))
	v, err := e.svc.ScheduleSitting(e.ctx, e.trainer, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Candidates != 1 {
		t.Fatalf("%d candidates, want 甲 only (乙's objection is undecided)", v.Candidates)
	}
	if mine, err := e.svc.MyExams(e.ctx, people["乙"]); err != nil || len(mine) != 0 {
		t.Errorf("乙 was scheduled: %v %v", mine, err)
	}
}
