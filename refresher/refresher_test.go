package refresher_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/refresher"
)

// Rule T-4, the on-time path: the window opens 60 days before the valid-until date; the holder
// is put into this month's refresher sitting and told (and so is the town admin), once; they
// pass; the permit is renewed one year from the old date (not from the pass), and the holder
// and the town admin are told.
func TestCycle_T4_EnrolRemindRenew(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 9, 8)))
	e.stock(t)
	h := e.holder(t, "吴志强", "2026-01-10") // valid until 2027-01-09; the window opens 2026-11-10
	if r := e.daily(t); r.Enrolled != 0 || r.Notices != 0 {
		t.Fatalf("before the window: %+v", r)
	}
	e.clock.Set(at(2026, 11, 10, 1))
	r := e.daily(t)
	if r.Enrolled != 1 || r.Notices != 2 {
		t.Fatalf("the window opens: %+v", r)
	}
	mine, _ := e.exams.MyExams(e.ctx, h.who)
	if len(mine) != 1 || !strings.Contains(mine[0].Title, "2026年11月城市管理辅助人员年度复训考试") {
		t.Fatalf("the holder's exams %+v", mine)
	}
	if got := e.kinds(t, h.who); !slices.Equal(got, []string{refresher.KindWindowOpen}) {
		t.Errorf("holder's notices %v", got)
	}
	if got := e.kinds(t, e.townAdmin); !slices.Equal(got, []string{refresher.KindWindowOpen}) {
		t.Errorf("town admin's notices %v", got)
	}
	e.clock.Set(at(2026, 11, 12, 10))
	e.sit(t, h, true)
	e.publishDue(t)
	r = e.daily(t)
	if r.Renewed != 1 {
		t.Fatalf("after passing: %+v", r)
	}
	p := e.permit(t, h.permit)
	if p.ValidUntil != "2028-01-09" || p.Cycle != 2 || p.Status != models.PermitActive {
		t.Errorf("renewed permit: until %s cycle %d %s", p.ValidUntil, p.Cycle, p.Status)
	}
	if got := e.kinds(t, h.who); !slices.Equal(got, []string{refresher.KindWindowOpen, refresher.KindRenewed}) {
		t.Errorf("holder's notices %v", got)
	}
	// Renewed, the old cycle's reminders are not sent (30 days before the old date, nothing).
	e.clock.Set(at(2026, 12, 10, 1))
	if r := e.daily(t); r.Notices != 0 || r.Enrolled != 0 {
		t.Errorf("a renewed permit still reminded: %+v", r)
	}
}

// Rule T-4, the late path: a holder who never sits is reminded 30, 7 and 1 day before, once
// each; missing a sitting puts them into the next (and says so, once for the cycle); the day
// after the date the permit is suspended and they and the town admin are told; a late pass
// restores it on the same anniversary; another holder who never passes expires after the
// year's grace.
func TestCycle_T4_RemindSuspendRestoreExpire(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.stock(t)
	late := e.holder(t, "郑晓燕", "2026-01-10")  // valid until 2027-01-09
	never := e.holder(t, "钱一鸣", "2026-01-10") // never sits
	for day := at(2026, 11, 10, 1); day.Before(at(2027, 1, 13, 1)); day = day.Add(24 * time.Hour) {
		e.clock.Set(day)
		e.publishDue(t) // the trainers publish each sitting once it is over
		e.daily(t)
	}
	for _, h := range []holder{late, never} {
		p := e.permit(t, h.permit)
		if p.Status != models.PermitSuspended || p.ValidUntil != "2027-01-09" {
			t.Errorf("%s after the date: %s until %s", h.who.Name, p.Status, p.ValidUntil)
		}
		want := []string{refresher.KindWindowOpen, refresher.KindOverdue, refresher.KindDue30, refresher.KindDue7,
			refresher.KindDue1, refresher.KindSuspended}
		if got := e.kinds(t, h.who); !slices.Equal(got, want) {
			t.Errorf("%s's notices %v, want %v", h.who.Name, got, want)
		}
	}
	// Put into the November, December and January sittings in turn.
	mine, _ := e.exams.MyExams(e.ctx, late.who)
	if len(mine) != 3 {
		t.Errorf("enrolments %d, want 3 (a sitting a month until passed)", len(mine))
	}
	// A late pass in January restores it: valid until 2028-01-09, the same anniversary.
	e.clock.Set(at(2027, 1, 15, 10))
	e.sit(t, late, true)
	// January's sitting has the other holder too, who does not sit: it is published after it
	// closes.
	e.clock.Set(at(2027, 2, 1, 1))
	e.publishDue(t)
	e.daily(t)
	p := e.permit(t, late.permit)
	if p.Status != models.PermitActive || p.ValidUntil != "2028-01-09" || p.Cycle != 2 {
		t.Errorf("after a late pass: %s until %s cycle %d", p.Status, p.ValidUntil, p.Cycle)
	}
	if got := e.kinds(t, late.who); got[len(got)-1] != refresher.KindRestored {
		t.Errorf("last notice %v, want restored", got)
	}
	// The other stays suspended until the grace (365 days after 2027-01-09) ends: expired on
	// 2028-01-10, and told once.
	for _, c := range []struct {
		day  time.Time
		want string
	}{{at(2028, 1, 9, 1), models.PermitSuspended}, {at(2028, 1, 10, 1), models.PermitExpired}, {at(2028, 1, 11, 1), models.PermitExpired}} {
		e.clock.Set(c.day)
		e.publishDue(t)
		e.daily(t)
		if got := e.permit(t, never.permit).Status; got != c.want {
			t.Errorf("%s: %s, want %s", c.day.Format("2006-01-02"), got, c.want)
		}
	}
	if got := e.kinds(t, never.who); got[len(got)-1] != refresher.KindExpired || strings.Count(strings.Join(got, ","), refresher.KindExpired) != 1 {
		t.Errorf("notices of the lapsed holder %v", got)
	}
	// The town admin heard of everything, once each.
	adminKinds := e.kinds(t, e.townAdmin)
	for _, k := range []string{refresher.KindSuspended, refresher.KindRestored, refresher.KindExpired} {
		if n := strings.Count(strings.Join(adminKinds, ","), k); n < 1 {
			t.Errorf("town admin got %d %s notices: %v", n, k, adminKinds)
		}
	}
}

// After days without a run (the portal was down), only the latest reminder due is sent, not
// a burst of stale ones.
func TestCycle_T4_OnlyTheLatestReminderAfterADowntime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2027, 1, 4, 1))) // five days before 2027-01-09
	e.stock(t)
	h := e.holder(t, "孙二娜", "2026-01-10")
	e.daily(t)
	if got := e.kinds(t, h.who); !slices.Equal(got, []string{refresher.KindDue7}) {
		t.Errorf("notices after the downtime %v, want only the 7-day reminder", got)
	}
}

// Without a refresher blueprint nobody can be enrolled: the run says why and tries again the
// next day; no sitting is made up from nothing.
func TestCycle_T4_NoBlueprint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.holder(t, "李三丰", "2026-01-10")
	r, err := e.cycle.Daily(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Enrolled != 0 || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "年度复训组卷方案") {
		t.Errorf("report %+v", r)
	}
}

// The calendar: where each holder stands, the district sees every town, a town admin only
// theirs, an applicant nothing; the holder sees their own refresher beside the permit.
func TestCalendar_T4(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, clock.NewFake(at(2026, 11, 10, 1)))
	e.stock(t)
	due := e.holder(t, "吴志强", "2026-01-10")   // window open now
	later := e.holder(t, "周四海", "2026-06-01") // window opens 2027-04-02
	e.daily(t)
	cal, err := e.cycle.Calendar(e.ctx, e.district, refresher.CalendarFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[uint64]string{}
	for _, r := range cal.Rows {
		states[r.PermitID] = r.State
	}
	if states[due.permit] != refresher.StateEnrolled || states[later.permit] != refresher.StateLater || cal.Counts[refresher.StateEnrolled] != 1 {
		t.Errorf("calendar %+v", cal.Rows)
	}
	if cal.Rows[0].LastNotice == "" || !strings.Contains(cal.Rows[0].Sitting, "2026年11月") {
		t.Errorf("the due holder's row %+v", cal.Rows[0])
	}
	if c, err := e.cycle.Calendar(e.ctx, e.townAdmin, refresher.CalendarFilter{TownID: 999}); err != nil || len(c.Rows) != 2 {
		t.Errorf("town admin's calendar (its own town whatever the filter): %v %v", c, err)
	}
	if c, _ := e.cycle.Calendar(e.ctx, e.district, refresher.CalendarFilter{Month: "2027-05"}); len(c.Rows) != 1 || c.Rows[0].PermitID != later.permit {
		t.Errorf("month filter: %+v", c.Rows)
	}
	for _, bad := range []refresher.CalendarFilter{{Month: "2027-13"}, {Month: "五月"}, {State: "lost"}} {
		if _, err := e.cycle.Calendar(e.ctx, e.district, bad); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
	if _, err := e.cycle.Calendar(e.ctx, due.who, refresher.CalendarFilter{}); err == nil {
		t.Error("a holder read the calendar")
	}
	mine, err := e.cycle.Mine(e.ctx, due.who)
	if err != nil || mine[due.permit].State != refresher.StateEnrolled || mine[due.permit].ExamID == 0 || len(mine[due.permit].Notices) != 1 {
		t.Errorf("the holder's refresher %+v %v", mine, err)
	}
}
