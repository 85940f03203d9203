package recruitment_test

import (
	"strings"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
)

// Rules: each town's minimum staffing (557 in all), staff in post, and seats in open
// openings; a town admin sees their own town only.
func TestDashboard_Q1_Q2_StaffingAgainstMinimums(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.published(t, nil) // 三星镇, 3 seats, closes 2026-06-30
	e.published(t, func(in *recruitment.OpeningInput) { in.Town, in.Seats, in.ClosesAt = otherTwn, 5, "2026-06-20" })
	e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	draft := openingInput()
	draft.Seats = 7
	if _, err := e.svc.CreateOpening(e.ctx, e.district, draft); err != nil {
		t.Fatal(err)
	}

	d, err := e.svc.Dashboard(e.ctx, e.district)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Towns) != 11 || d.Total.Minimum != 557 {
		t.Fatalf("%d towns, total minimum %d; want 11 and 557", len(d.Towns), d.Total.Minimum)
	}
	if d.Towns[0].Town != "海门街道" || d.Towns[0].Minimum != 170 {
		t.Errorf("first town %+v", d.Towns[0])
	}
	byName := map[string]recruitment.TownStaffing{}
	for _, ts := range d.Towns {
		byName[ts.Town] = ts
	}
	if s := byName[townName]; s.Minimum != 110 || s.OpenSeats != 5 || s.OpenOpenings != 2 || s.Gap != 110 {
		t.Errorf("%s %+v: want minimum 110, 5 open seats in 2 openings (drafts not counted)", townName, s)
	}
	if s := byName[otherTwn]; s.OpenSeats != 5 || s.OpenOpenings != 1 {
		t.Errorf("%s %+v", otherTwn, s)
	}
	if d.Total.OpenSeats != 10 || d.Total.Gap != 557 {
		t.Errorf("total %+v", d.Total)
	}

	own, err := e.svc.Dashboard(e.ctx, e.townAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if len(own.Towns) != 1 || own.Towns[0].Town != townName || own.Towns[0].Minimum != 110 || own.Towns[0].OpenSeats != 5 || own.Total != nil {
		t.Errorf("town admin's dashboard %+v", own)
	}
	for name, a := range map[string]models.Actor{"trainer": e.trainer, "applicant": e.applicant} {
		if _, err := e.svc.Dashboard(e.ctx, a); err == nil {
			t.Errorf("%s saw the dashboard", name)
		} else {
			wantKind(t, err, models.ErrForbidden)
		}
	}

	// After an opening's deadline its seats are no longer open.
	e.clock.Set(chinaTime(2026, time.June, 21, 8, 0))
	d, _ = e.svc.Dashboard(e.ctx, e.district)
	for _, ts := range d.Towns {
		if ts.Town == otherTwn && (ts.OpenSeats != 0 || ts.OpenOpenings != 0) {
			t.Errorf("closed opening still counted: %+v", ts)
		}
	}
	if d.Total.OpenSeats != 5 {
		t.Errorf("total open seats %d, want 5", d.Total.OpenSeats)
	}
}

// Staff in post (hired before the portal) are set by the district only, with a reason, audited.
func TestSetExistingStaff_Q1_DistrictOnlyAndAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wantKind(t, e.svc.SetExistingStaff(e.ctx, e.townAdmin, e.town.ID, 100, "年初统计"), models.ErrForbidden)
	wantKind(t, e.svc.SetExistingStaff(e.ctx, e.trainer, e.town.ID, 100, "年初统计"), models.ErrForbidden)
	wantField(t, e.svc.SetExistingStaff(e.ctx, e.district, e.town.ID, -1, "年初统计"), "existing_staff")
	wantField(t, e.svc.SetExistingStaff(e.ctx, e.district, e.town.ID, 10001, "年初统计"), "existing_staff")
	wantField(t, e.svc.SetExistingStaff(e.ctx, e.district, e.town.ID, 100, " "), "reason")
	wantKind(t, e.svc.SetExistingStaff(e.ctx, e.district, 9999, 100, "年初统计"), models.ErrNotFound)

	if err := e.svc.SetExistingStaff(e.ctx, e.district, e.town.ID, 100, "2026年初统计"); err != nil {
		t.Fatal(err)
	}
	// Setting the same number again (say, to record a better reason) is not an error.
	if err := e.svc.SetExistingStaff(e.ctx, e.district, e.town.ID, 100, "核对后确认"); err != nil {
		t.Fatalf("same value again: %v", err)
	}
	d, _ := e.svc.Dashboard(e.ctx, e.townAdmin)
	if s := d.Towns[0]; s.ExistingStaff != 100 || s.Gap != 10 {
		t.Errorf("dashboard %+v, want 100 in post and a gap of 10", s)
	}
	es := e.audit(t, "town.existing_staff")
	if len(es) != 2 || es[1].Reason != "2026年初统计" || !strings.Contains(es[1].Detail, `"new":100`) || es[1].ObjectID != e.town.ID {
		t.Errorf("audit %+v", es)
	}
	// The town's admin sees the entry in their audit log; the other town's admin does not.
	mine, _ := e.svc.AuditLog(e.ctx, e.townAdmin, 0)
	theirs, _ := e.svc.AuditLog(e.ctx, e.otherTownAdmin, 0)
	count := func(es []models.AuditEntry) int {
		n := 0
		for _, a := range es {
			if a.Action == "town.existing_staff" {
				n++
			}
		}
		return n
	}
	if count(mine) != 2 || count(theirs) != 0 {
		t.Errorf("town-scoped audit: own %d, other %d", count(mine), count(theirs))
	}
	_, err := e.svc.AuditLog(e.ctx, e.trainer, 0)
	wantKind(t, err, models.ErrForbidden)
}
