package refresher_test

import (
	"testing"

	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/refresher"
)

// Rule T-4 across a re-issue: a holder put into a refresher sitting loses their card, the
// district re-issues it under a new number, and the holder then passes. The pass renews the
// permit they hold now (before, it was settled against the superseded number and lost: the new
// permit was put into another sitting and suspended at its date although its holder had passed).
func TestCycle_T4_PassAfterAReissueRenewsTheNewPermit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.stock(t)
	h := e.holder(t, "吴志强", "2026-01-10") // valid until 2027-01-09; the window opens 2026-11-10
	if r := e.daily(t); r.Enrolled != 1 {
		t.Fatalf("the window opens: %+v", r)
	}
	e.clock.Set(at(2026, 11, 11, 9))
	nv, err := e.permits.Reissue(e.ctx, e.district, h.permit, permits.ReissueInput{Reason: "原证遗失，申请补办"})
	if err != nil {
		t.Fatal(err)
	}
	// The next night the new permit is not put into a second sitting: its place is kept.
	e.clock.Set(at(2026, 11, 12, 1))
	if r := e.daily(t); r.Enrolled != 0 {
		t.Errorf("the re-issued permit was enrolled again: %+v", r)
	}
	mine, err := e.cycle.Mine(e.ctx, h.who)
	if err != nil || mine[nv.ID].State != refresher.StateEnrolled {
		t.Errorf("the holder's refresher after the re-issue %+v %v", mine, err)
	}
	e.clock.Set(at(2026, 11, 12, 10))
	e.sit(t, h, true)
	e.publishDue(t)
	if r := e.daily(t); r.Renewed != 1 {
		t.Errorf("after passing: %+v", r)
	}
	p := e.permit(t, nv.ID)
	if p.ValidUntil != "2028-01-09" || p.Cycle != 2 || p.Status != models.PermitActive {
		t.Errorf("the new permit after the pass: until %s cycle %d %s", p.ValidUntil, p.Cycle, p.Status)
	}
	if old := e.permit(t, h.permit); old.Status != models.PermitSuperseded || old.ValidUntil != "2027-01-09" {
		t.Errorf("the old permit: %s until %s", old.Status, old.ValidUntil)
	}
}

// One holder the cycle cannot seat (here a person holding two permits, whose second place in
// the month's sitting is refused) is reported and passed over: the run goes on to everyone
// else. Before, the refusal ended the night's run there, and every holder after it went
// unenrolled, unreminded and unsuspended for as long as it lasted.
func TestCycle_T4_OneHolderRefusedDoesNotStopTheRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.stock(t)
	other := e.holder(t, "钱一鸣", "2026-01-10") // listed last (the newest permit first)
	twice := e.holder(t, "孙二娜", "2026-01-10")
	second := *e.permit(t, twice.permit)
	second.ID, second.No = 0, second.No+"9"
	if err := e.store.CreatePermit(e.ctx, &second); err != nil {
		t.Fatal(err)
	}
	r, err := e.cycle.Daily(e.ctx)
	if err != nil {
		t.Fatalf("the run stopped: %v (%+v)", err, r)
	}
	if r.Enrolled != 2 || len(r.Problems) != 1 {
		t.Errorf("report %+v, want 2 enrolled and the refused one named", r)
	}
	if mine, _ := e.exams.MyExams(e.ctx, other.who); len(mine) != 1 {
		t.Errorf("the holder after the refused one has %d exams, want 1", len(mine))
	}
}
