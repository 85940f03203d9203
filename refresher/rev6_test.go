package refresher_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/jobs"
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

// The window as set (rule T-4's setting) is what the cycle and the calendar go by, and what
// the calendar page explains (before, the page said 60 days whatever the setting).
func TestCalendar_T4_WindowAsSet(t *testing.T) {
	t.Parallel()
	fc := clock.NewFake(at(2026, 11, 10, 1))
	e := newEnv(t, nil, fc)
	e.stock(t)
	pol := permits.Policy{WindowDays: 45, ExpireAfterDays: 365}
	pm := permits.New(e.store, e.signerForTest(t), fc, nil, jobs.New(e.store, fc, nil), "https://portal.example", pol)
	cycle := refresher.New(e.store, pm, e.exams, e.notes, fc, nil, refresher.DefaultSettings)
	h := e.holder(t, "吴志强", "2026-01-10") // valid until 2027-01-09: a 45-day window opens 2026-11-25
	if r, err := cycle.Daily(e.ctx); err != nil || r.Enrolled != 0 {
		t.Fatalf("before a 45-day window: %+v %v", r, err)
	}
	cal, err := cycle.Calendar(e.ctx, e.district, refresher.CalendarFilter{})
	if err != nil || cal.WindowDays != 45 || len(cal.Rows) != 1 || cal.Rows[0].WindowOpens != "2026-11-25" || cal.Rows[0].PermitID != h.permit {
		t.Errorf("calendar %+v %v", cal, err)
	}
}

func (e *env) signerForTest(t *testing.T) *certificates.Signer {
	t.Helper()
	s, err := certificates.NewSigner(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Rule T-4's grace: a suspended holder who passes a refresher within the year's grace is
// restored, even when the sitting's results come out after the grace has run out (sittings are
// monthly and published after they close). Before, the nightly run let the permit expire while
// the passed paper waited for its marks, and the pass was then refused: an expired permit takes
// a new pre-job training, for a holder who had passed in time.
func TestCycle_T4_PassWithinTheGraceRestoresWhenPublishedLate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2027, 12, 28, 1)))
	e.stock(t)
	h := e.holder(t, "郑晓燕", "2026-01-10") // valid until 2027-01-09; the grace ends 2028-01-09
	if r := e.daily(t); r.Suspended != 1 || r.Enrolled != 1 {
		t.Fatalf("the first run: %+v", r)
	}
	e.clock.Set(at(2028, 1, 5, 10))
	e.sit(t, h, true) // passed on 2028-01-05, within the grace; marks still to come
	for _, d := range []int{10, 11} {
		e.clock.Set(at(2028, 1, d, 1))
		e.daily(t)
		if p := e.permit(t, h.permit); p.Status != models.PermitSuspended {
			t.Fatalf("2028-01-%d, the pass unpublished: %s, want still suspended", d, p.Status)
		}
	}
	e.clock.Set(at(2028, 2, 1, 1))
	e.publishDue(t)
	e.daily(t)
	// The pass restores the cycle it was made in (the same anniversary: until 2028-01-09),
	// which is over by now, so the permit is suspended again for that cycle's refresher — with
	// a new grace, not expired.
	p := e.permit(t, h.permit)
	if p.Status != models.PermitSuspended || p.ValidUntil != "2028-01-09" || p.Cycle != 2 {
		t.Errorf("after the late publication: %s until %s cycle %d, want suspended until 2028-01-09 in cycle 2", p.Status, p.ValidUntil, p.Cycle)
	}
	if got := e.kinds(t, h.who); !slices.Contains(got, refresher.KindRestored) || slices.Contains(got, refresher.KindExpired) {
		t.Errorf("the holder's notices %v", got)
	}
}

// A notice of the cycle goes once per holder and cycle (rule T-4), a re-issue notwithstanding:
// the holder told that their window is open is not told again because their card got a new
// number (before, every reminder already sent went out again, to them and their town's admins).
func TestCycle_T4_ReissueSendsNoNoticeTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.stock(t)
	h := e.holder(t, "吴志强", "2026-01-10") // valid until 2027-01-09; the window opens 2026-11-10
	e.daily(t)
	e.clock.Set(at(2026, 11, 11, 9))
	if _, err := e.permits.Reissue(e.ctx, e.district, h.permit, permits.ReissueInput{Reason: "原证遗失，申请补办"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(2026, 11, 12, 1))
	if r := e.daily(t); r.Notices != 0 {
		t.Errorf("notices sent again after the re-issue: %+v", r)
	}
	if got := e.kinds(t, h.who); !slices.Equal(got, []string{refresher.KindWindowOpen}) {
		t.Errorf("the holder's notices %v", got)
	}
	// The next reminder comes once, on its day.
	e.clock.Set(at(2026, 12, 10, 1))
	e.daily(t)
	if got := e.kinds(t, h.who); !slices.Equal(got, []string{refresher.KindWindowOpen, refresher.KindDue30}) {
		t.Errorf("the holder's notices %v", got)
	}
}

// The window setting shortened (60 → 30 days) after a holder was put into a sitting: their pass,
// sat before the new, shorter window opened, still renews the cycle it was taken for (before,
// RenewTx took it for a pass ahead of the window and the enrolment was settled for nothing).
func TestCycle_T4_WindowShortenedAfterEnrolment(t *testing.T) {
	t.Parallel()
	fc := clock.NewFake(at(2026, 11, 10, 1))
	e := newEnv(t, nil, fc)
	e.stock(t)
	h := e.holder(t, "吴志强", "2026-01-10") // valid until 2027-01-09; 60 days: opens 2026-11-10
	if r := e.daily(t); r.Enrolled != 1 {
		t.Fatalf("the window opens: %+v", r)
	}
	e.clock.Set(at(2026, 11, 12, 10))
	e.sit(t, h, true)
	e.publishDue(t)
	pol := permits.Policy{WindowDays: 30, ExpireAfterDays: 365} // restarted with a 30-day window
	pm := permits.New(e.store, e.signerForTest(t), fc, nil, jobs.New(e.store, fc, nil), "https://portal.example", pol)
	cycle := refresher.New(e.store, pm, e.exams, e.notes, fc, nil, refresher.DefaultSettings)
	e.clock.Set(at(2026, 12, 1, 1))
	if r, err := cycle.ApplyResults(e.ctx); err != nil || r.Renewed != 1 {
		t.Errorf("results after the setting changed: %+v %v", r, err)
	}
	if p := e.permit(t, h.permit); p.ValidUntil != "2028-01-09" || p.Cycle != 2 {
		t.Errorf("permit until %s cycle %d, want 2028-01-09 in cycle 2", p.ValidUntil, p.Cycle)
	}
}

// The calendar's rows and a holder's notices are JSON arrays when empty, never null.
func TestCalendar_EmptyIsAnArray(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	h := e.holder(t, "周四海", "2026-06-01") // nothing due yet: no notice
	cal, err := e.cycle.Calendar(e.ctx, e.district, refresher.CalendarFilter{Month: "2030-01"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(cal.Rows); string(b) != "[]" {
		t.Errorf("calendar rows %s, want []", b)
	}
	mine, err := e.cycle.Mine(e.ctx, h.who)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(mine[h.permit].Notices); string(b) != "[]" {
		t.Errorf("holder's notices %s, want []", b)
	}
}
