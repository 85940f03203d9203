package recruitment_test

import (
	"strings"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

func ptrInt(v int) *int       { return &v }
func ptrStr(v string) *string { return &v }
func ptrBool(v bool) *bool    { return &v }

// Rule M-1: district admins create openings for any town, a town admin only for its own.
func TestCreateOpening_M1_WhoMayCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name  string
		actor models.Actor
		town  string
		want  error
	}{
		{"district admin, any town", e.district, otherTwn, nil},
		{"district admin, own-town opening of a town admin", e.district, townName, nil},
		{"town admin, own town", e.townAdmin, townName, nil},
		{"town admin, other town", e.townAdmin, otherTwn, models.ErrForbidden},
		{"trainer", e.trainer, townName, models.ErrForbidden},
		{"applicant", e.applicant, townName, models.ErrForbidden},
		{"anonymous", models.Actor{}, townName, models.ErrUnauthenticated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := openingInput()
			in.Town = c.town
			o, err := e.svc.CreateOpening(e.ctx, c.actor, in)
			if c.want != nil {
				wantKind(t, err, c.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Town != c.town || o.Status != models.OpeningDraft {
				t.Errorf("got town %q status %q", o.Town, o.Status)
			}
		})
	}
	all, err := e.svc.AdminOpenings(e.ctx, e.district)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Errorf("district sees %d openings, want 3", len(all))
	}
	own, err := e.svc.AdminOpenings(e.ctx, e.townAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if len(own) != 2 {
		t.Errorf("town admin sees %d openings, want its town's 2", len(own))
	}
	for _, o := range own {
		if o.TownID != e.town.ID {
			t.Errorf("town admin sees another town's opening %+v", o)
		}
	}
	if got := len(e.audit(t, "opening.create")); got != 3 {
		t.Errorf("%d opening.create audit entries, want 3", got)
	}
}

func TestCreateOpening_FieldValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name  string
		mod   func(*recruitment.OpeningInput)
		field string
	}{
		{"no town", func(in *recruitment.OpeningInput) { in.Town = "" }, "town"},
		{"unknown town", func(in *recruitment.OpeningInput) { in.Town = "火星镇" }, "town"},
		{"unknown town id", func(in *recruitment.OpeningInput) { in.Town, in.TownID = "", 9999 }, "town"},
		{"empty title", func(in *recruitment.OpeningInput) { in.Title = "  " }, "title"},
		{"one-character title", func(in *recruitment.OpeningInput) { in.Title = "岗" }, "title"},
		{"title too long", func(in *recruitment.OpeningInput) { in.Title = strings.Repeat("岗", 101) }, "title"},
		{"zero seats", func(in *recruitment.OpeningInput) { in.Seats = 0 }, "seats"},
		{"negative seats", func(in *recruitment.OpeningInput) { in.Seats = -1 }, "seats"},
		{"too many seats", func(in *recruitment.OpeningInput) { in.Seats = 501 }, "seats"},
		{"bad opens date", func(in *recruitment.OpeningInput) { in.OpensAt = "2026-13-01" }, "opens_at"},
		{"missing closes date", func(in *recruitment.OpeningInput) { in.ClosesAt = "" }, "closes_at"},
		{"impossible closes date", func(in *recruitment.OpeningInput) { in.ClosesAt = "2026-02-29" }, "closes_at"},
		{"closes before opens", func(in *recruitment.OpeningInput) { in.ClosesAt = "2026-05-31" }, "closes_at"},
		{"reference date before opens", func(in *recruitment.OpeningInput) { in.ReferenceDate = "2026-05-01" }, "reference_date"},
		{"bad reference date", func(in *recruitment.OpeningInput) { in.ReferenceDate = "30/06/2026" }, "reference_date"},
		{"unknown preference", func(in *recruitment.OpeningInput) { in.PreferenceChain = []string{"veteran", "rich"} }, "preference_chain"},
		{"repeated preference", func(in *recruitment.OpeningInput) { in.PreferenceChain = []string{"veteran", "veteran"} }, "preference_chain"},
		{"unknown education", func(in *recruitment.OpeningInput) { in.Conditions.MinEducation = ptrStr("kindergarten") }, "conditions.min_education"},
		{"min age above max age", func(in *recruitment.OpeningInput) {
			in.Conditions.MinAge = ptrInt(39)
			in.Conditions.MaxAge = ptrInt(30)
		}, "conditions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := openingInput()
			c.mod(&in)
			_, err := e.svc.CreateOpening(e.ctx, e.district, in)
			wantField(t, err, c.field)
		})
	}
	if os, _ := e.svc.AdminOpenings(e.ctx, e.district); len(os) != 0 {
		t.Errorf("%d openings stored after invalid input, want 0", len(os))
	}
	// The same day for opening and closing is a valid one-day window.
	in := openingInput()
	in.OpensAt, in.ClosesAt = "2026-06-15", "2026-06-15"
	if _, err := e.svc.CreateOpening(e.ctx, e.district, in); err != nil {
		t.Errorf("one-day window: %v", err)
	}
}

// Rule R-2: a town's extra conditions may tighten the district base, never relax it.
func TestCreateOpening_R2_ExtrasTightenNeverRelax(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tighten := []struct {
		name  string
		cond  recruitment.ConditionsInput
		check func(t *testing.T, c screening.Conditions)
	}{
		{"narrower age", recruitment.ConditionsInput{MaxAge: ptrInt(35), MinAge: ptrInt(20)}, func(t *testing.T, c screening.Conditions) {
			if c.MaxAge != 35 || c.MinAge != 20 {
				t.Errorf("ages %d..%d, want 20..35", c.MinAge, c.MaxAge)
			}
		}},
		{"higher education floor", recruitment.ConditionsInput{MinEducation: ptrStr("junior_college")}, func(t *testing.T, c screening.Conditions) {
			if c.MinEducation != screening.EduJuniorCollege {
				t.Errorf("min education %q", c.MinEducation)
			}
		}},
		{"hukou", recruitment.ConditionsInput{HukouRequired: ptrStr("海门区")}, func(t *testing.T, c screening.Conditions) {
			if c.HukouRequired != "海门区" {
				t.Errorf("hukou %q", c.HukouRequired)
			}
		}},
		{"licence", recruitment.ConditionsInput{LicenceRequired: ptrStr("C1 机动车驾驶证")}, func(t *testing.T, c screening.Conditions) {
			if c.LicenceRequired != "C1 机动车驾驶证" {
				t.Errorf("licence %q", c.LicenceRequired)
			}
		}},
		{"no education relaxation", recruitment.ConditionsInput{EducationRelaxation: ptrBool(false)}, func(t *testing.T, c screening.Conditions) {
			if c.EducationRelaxation {
				t.Error("education relaxation still on")
			}
		}},
		{"no age relaxation", recruitment.ConditionsInput{RelaxedMaxAge: ptrInt(0)}, func(t *testing.T, c screening.Conditions) {
			if c.RelaxedMaxAge != 0 {
				t.Errorf("relaxed max age %d", c.RelaxedMaxAge)
			}
		}},
	}
	for _, c := range tighten {
		t.Run("tighten/"+c.name, func(t *testing.T) {
			in := openingInput()
			in.Conditions = c.cond
			o, err := e.svc.CreateOpening(e.ctx, e.townAdmin, in)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, o.Conditions)
		})
	}
	relax := []struct {
		name string
		cond recruitment.ConditionsInput
	}{
		{"max age 45", recruitment.ConditionsInput{MaxAge: ptrInt(45)}},
		{"min age 17", recruitment.ConditionsInput{MinAge: ptrInt(17)}},
		{"relaxed max age 50", recruitment.ConditionsInput{RelaxedMaxAge: ptrInt(50)}},
		{"junior high for everyone", recruitment.ConditionsInput{MinEducation: ptrStr("junior_high")}},
		{"allow foreign", recruitment.ConditionsInput{AllowForeign: ptrBool(true)}},
		{"allow HK/Macao/Taiwan", recruitment.ConditionsInput{AllowHKMacaoTaiwan: ptrBool(true)}},
	}
	for _, c := range relax {
		t.Run("relax/"+c.name, func(t *testing.T) {
			in := openingInput()
			in.Conditions = c.cond
			_, err := e.svc.CreateOpening(e.ctx, e.district, in)
			me := wantField(t, err, "conditions")
			if !strings.Contains(me.Fields["conditions"], "R-2") {
				t.Errorf("message %q does not cite R-2", me.Fields["conditions"])
			}
		})
	}
}

// Rule A2-3: the age reference date defaults to the application deadline, and the opening shows
// the exact birth-date window.
func TestCreateOpening_A2_3_ReferenceDateDefaultsToDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	if o.ReferenceDate != closesAt {
		t.Errorf("reference date %q, want the deadline %s", o.ReferenceDate, closesAt)
	}
	if want := "出生日期须在 1985年7月1日 至 2008年6月30日 之间"; o.BirthWindowPhrase != want {
		t.Errorf("birth window %q, want %q", o.BirthWindowPhrase, want)
	}
	if o.BirthFrom != "1985-07-01" || o.BirthTo != "2008-06-30" || o.RelaxedBirthFrom != "1980-07-01" {
		t.Errorf("windows %s..%s relaxed from %s", o.BirthFrom, o.BirthTo, o.RelaxedBirthFrom)
	}
	want := screening.DefaultPreferenceChain()
	if len(o.PreferenceChain) != 3 || o.PreferenceChain[0] != want[0] || o.PreferenceChain[1] != want[1] || o.PreferenceChain[2] != want[2] {
		t.Errorf("default chain %v, want %v", o.PreferenceChain, want)
	}
	in := openingInput()
	in.ReferenceDate = "2026-06-15"
	o2, err := e.svc.CreateOpening(e.ctx, e.district, in)
	if err != nil {
		t.Fatal(err)
	}
	if o2.ReferenceDate != "2026-06-15" || o2.BirthTo != "2008-06-15" {
		t.Errorf("explicit reference date: %s, latest birth %s", o2.ReferenceDate, o2.BirthTo)
	}
}

// Rule R-2: once published, an opening's conditions are frozen.
func TestPublish_R2_FreezesConditions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, err := e.svc.CreateOpening(e.ctx, e.townAdmin, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	// A draft can be edited, by its town's admin.
	in := openingInput()
	in.Title = "城市管理辅助人员（修订）"
	in.Conditions.MaxAge = ptrInt(35)
	if o, err = e.svc.UpdateDraft(e.ctx, e.townAdmin, o.ID, in); err != nil {
		t.Fatal(err)
	}
	if o.Title != in.Title || o.Conditions.MaxAge != 35 {
		t.Errorf("draft edit lost: %+v", o)
	}
	// Edits obey the same rules as creation.
	bad := openingInput()
	bad.Conditions.MaxAge = ptrInt(45)
	_, err = e.svc.UpdateDraft(e.ctx, e.townAdmin, o.ID, bad)
	wantField(t, err, "conditions")
	_, err = e.svc.UpdateDraft(e.ctx, e.otherTownAdmin, o.ID, in)
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Publish(e.ctx, e.otherTownAdmin, o.ID)
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Publish(e.ctx, e.trainer, o.ID)
	wantKind(t, err, models.ErrForbidden)

	p, err := e.svc.Publish(e.ctx, e.townAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != models.OpeningPublished || p.PublishedAt == nil || !p.Accepting {
		t.Errorf("published view %+v", p)
	}
	_, err = e.svc.Publish(e.ctx, e.district, o.ID)
	wantCode(t, err, models.ErrConflict, "already_published")
	_, err = e.svc.UpdateDraft(e.ctx, e.district, o.ID, openingInput())
	wantCode(t, err, models.ErrConflict, "opening_frozen")
	got, err := e.svc.AdminOpening(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Conditions.MaxAge != 35 || got.Title != in.Title {
		t.Errorf("conditions changed after publishing: %+v", got.Conditions)
	}
	if n := len(e.audit(t, "opening.publish")); n != 1 {
		t.Errorf("%d opening.publish audit entries, want 1", n)
	}
}

func TestPublish_RefusesPastDeadline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := openingInput()
	in.OpensAt, in.ClosesAt = "2026-06-09", "2026-06-09" // yesterday in China
	_, err := e.svc.CreateOpening(e.ctx, e.district, in)
	wantField(t, err, "closes_at")
	// A draft whose deadline passes before it is published.
	in.OpensAt, in.ClosesAt = "2026-06-10", "2026-06-12"
	o, err := e.svc.CreateOpening(e.ctx, e.district, in)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(chinaTime(2026, time.June, 13, 9, 0))
	_, err = e.svc.Publish(e.ctx, e.district, o.ID)
	wantCode(t, err, models.ErrInvalid, "closes_in_past")
	// Closing today is fine.
	e.clock.Set(chinaTime(2026, time.June, 12, 9, 0))
	if _, err := e.svc.Publish(e.ctx, e.district, o.ID); err != nil {
		t.Errorf("publish closing today: %v", err)
	}
}

func TestExtendDeadline_NeedsLaterDateAndReason_Audited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ExtendDeadline(e.ctx, e.district, draft.ID, "2026-07-10", "报名人数不足")
	wantCode(t, err, models.ErrConflict, "not_published")

	o := e.published(t, nil)
	cases := []struct {
		name, closes, reason, field string
	}{
		{"same date", closesAt, "报名人数不足", "closes_at"},
		{"earlier date", "2026-06-20", "报名人数不足", "closes_at"},
		{"bad date", "2026-07-32", "报名人数不足", "closes_at"},
		{"no reason", "2026-07-10", "   ", "reason"},
		{"reason too long", "2026-07-10", strings.Repeat("长", 501), "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.ExtendDeadline(e.ctx, e.district, o.ID, c.closes, c.reason)
			wantField(t, err, c.field)
		})
	}
	_, err = e.svc.ExtendDeadline(e.ctx, e.otherTownAdmin, o.ID, "2026-07-10", "报名人数不足")
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.ExtendDeadline(e.ctx, e.applicant, o.ID, "2026-07-10", "报名人数不足")
	wantKind(t, err, models.ErrForbidden)

	// Applications are closed the day after the old deadline …
	e.clock.Set(afterClose)
	_, err = e.svc.Apply(e.ctx, e.applicant, o.ID, form(t), filesFor(t, form(t)))
	wantCode(t, err, models.ErrConflict, "closed")
	// … and open again once the deadline moves; the reference date for age does not move.
	v, err := e.svc.ExtendDeadline(e.ctx, e.townAdmin, o.ID, "2026-07-10", "系统故障，延长报名")
	if err != nil {
		t.Fatal(err)
	}
	if v.ClosesAt != "2026-07-10" || v.ReferenceDate != closesAt || !v.Accepting {
		t.Errorf("after extension: closes %s ref %s accepting %v", v.ClosesAt, v.ReferenceDate, v.Accepting)
	}
	e.apply(t, e.applicant, o.ID, form(t))
	es := e.audit(t, "opening.extend")
	if len(es) != 1 || es[0].Reason != "系统故障，延长报名" || es[0].ActorID != e.townAdmin.UserID ||
		!strings.Contains(es[0].Detail, closesAt) || !strings.Contains(es[0].Detail, "2026-07-10") {
		t.Errorf("audit entries %+v", es)
	}
}

// Drafts are invisible to the public; another town's openings are invisible to a town admin.
func TestOpening_M1_Visibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	pub := e.published(t, nil)

	_, err = e.svc.PublicOpening(e.ctx, draft.ID)
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.CheckEligibility(e.ctx, draft.ID, form(t))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Apply(e.ctx, e.applicant, draft.ID, form(t), filesFor(t, form(t)))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.PublicOpening(e.ctx, 424242)
	wantKind(t, err, models.ErrNotFound)

	list, err := e.svc.PublicOpenings(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != pub.ID {
		t.Errorf("public list %+v, want only the published opening", list)
	}
	v, err := e.svc.PublicOpening(e.ctx, pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Town != townName || len(v.ConditionLines) == 0 || len(v.PreferenceLabels) != 3 {
		t.Errorf("public view %+v", v)
	}

	for _, id := range []uint64{draft.ID, pub.ID} {
		if _, err := e.svc.AdminOpening(e.ctx, e.townAdmin, id); err != nil {
			t.Errorf("own town admin: %v", err)
		}
		_, err := e.svc.AdminOpening(e.ctx, e.otherTownAdmin, id)
		wantKind(t, err, models.ErrNotFound)
		_, err = e.svc.AdminOpening(e.ctx, e.trainer, id)
		wantKind(t, err, models.ErrForbidden)
	}
	if os, _ := e.svc.AdminOpenings(e.ctx, e.otherTownAdmin); len(os) != 0 {
		t.Errorf("other town admin lists %d openings", len(os))
	}
	towns, err := e.svc.Towns(e.ctx, e.townAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if len(towns) != 1 || towns[0].ID != e.town.ID {
		t.Errorf("town admin may create for %+v", towns)
	}
	if towns, _ := e.svc.Towns(e.ctx, e.district); len(towns) != 11 {
		t.Errorf("district admin may create for %d towns, want 11", len(towns))
	}
}

// Rule R-2: the district may change the base; published openings keep theirs.
func TestBaseConditions_R2_DistrictOnlyAndPublishedKeepTheirs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pub := e.published(t, nil)
	draft, err := e.svc.CreateOpening(e.ctx, e.district, openingInput()) // max age 40, the base so far
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.SetBaseConditions(e.ctx, e.townAdmin, recruitment.ConditionsInput{MaxAge: ptrInt(35)}, "收紧")
	wantKind(t, err, models.ErrForbidden)
	_, err = e.svc.SetBaseConditions(e.ctx, e.district, recruitment.ConditionsInput{MaxAge: ptrInt(35)}, "")
	wantField(t, err, "reason")
	c, err := e.svc.SetBaseConditions(e.ctx, e.district, recruitment.ConditionsInput{MaxAge: ptrInt(35)}, "区人社局通知")
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxAge != 35 {
		t.Errorf("base max age %d", c.MaxAge)
	}
	if got, _ := e.svc.BaseConditions(e.ctx); got.MaxAge != 35 {
		t.Errorf("stored base max age %d", got.MaxAge)
	}
	// EnsureBaseConditions does not overwrite the district's choice.
	if err := e.svc.EnsureBaseConditions(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.BaseConditions(e.ctx); got.MaxAge != 35 {
		t.Errorf("EnsureBaseConditions reset the base: max age %d", got.MaxAge)
	}
	if v, _ := e.svc.PublicOpening(e.ctx, pub.ID); v.Conditions.MaxAge != 40 {
		t.Errorf("published opening re-judged by the new base: max age %d", v.Conditions.MaxAge)
	}
	// A draft written under the old base is checked again when it is published.
	_, err = e.svc.Publish(e.ctx, e.district, draft.ID)
	wantCode(t, err, models.ErrInvalid, "relaxes_base_conditions")
	// A new opening may not go above the new base.
	in := openingInput()
	in.Conditions.MaxAge = ptrInt(40)
	_, err = e.svc.CreateOpening(e.ctx, e.district, in)
	wantField(t, err, "conditions")
	if n := len(e.audit(t, "base_conditions.update")); n != 1 {
		t.Errorf("%d base_conditions.update audit entries", n)
	}
}

// Rule R-2: an edit that read the opening as a draft just before someone published it must not
// un-publish it or change its frozen conditions. UpdateDraft checks the status and then writes;
// the write itself (Store.SaveOpening) must refuse a row that is no longer a draft.
func TestUpdateDraft_R2_WriteRefusedOnceOpeningIsPublished(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	stale, err := e.store.OpeningByID(e.ctx, o.ID) // read as a draft …
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(e.ctx, e.townAdmin, o.ID); err != nil { // … published meanwhile …
		t.Fatal(err)
	}
	stale.Title, stale.Conditions = "改过的标题", `{"min_age":18,"max_age":45}`
	err = e.store.SaveOpening(e.ctx, stale) // … then the edit lands
	wantKind(t, err, models.ErrConflict)
	got, err := e.svc.PublicOpening(e.ctx, o.ID)
	if err != nil {
		t.Fatalf("the opening was un-published: %v", err)
	}
	if got.Status != models.OpeningPublished || got.Title != o.Title || got.Conditions.MaxAge != 40 {
		t.Errorf("published opening changed: %+v", got)
	}
	// Saving a draft twice with the same content is fine, every field lands, and only that
	// draft changes.
	d, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	in := recruitment.OpeningInput{Town: otherTwn, Title: "修订后的岗位", Description: "说明", Seats: 9,
		OpensAt: "2026-06-09", ClosesAt: "2026-07-05", ReferenceDate: "2026-07-01",
		PreferenceChain: []string{"veteran"}, Conditions: recruitment.ConditionsInput{MaxAge: ptrInt(38)}}
	for range 2 {
		if _, err := e.svc.UpdateDraft(e.ctx, e.district, d.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	got, err = e.svc.AdminOpening(e.ctx, e.district, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Town != otherTwn || got.Title != in.Title || got.Description != "说明" || got.Seats != 9 ||
		got.OpensAt != "2026-06-09" || got.ClosesAt != "2026-07-05" || got.ReferenceDate != "2026-07-01" ||
		len(got.PreferenceChain) != 1 || got.Conditions.MaxAge != 38 || got.Status != models.OpeningDraft {
		t.Errorf("saved draft %+v", got)
	}
	if o2, _ := e.svc.AdminOpening(e.ctx, e.district, other.ID); o2.Title != openingInput().Title || o2.Seats != 3 {
		t.Errorf("another draft changed: %+v", o2)
	}
}
