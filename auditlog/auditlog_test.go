package auditlog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"auxportal/auditlog"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/models/storetest"
)

type env struct {
	ctx              context.Context
	store            *models.Store
	svc              *auditlog.Service
	district, sanxin models.Actor
	town, other      models.Town
	app              uint64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	e := &env{ctx: ctx, store: st, svc: auditlog.New(st)}
	towns, err := st.ListTowns(ctx)
	if err != nil || len(towns) < 2 {
		t.Fatalf("towns %v %v", towns, err)
	}
	e.town, e.other = towns[0], towns[1]
	e.district = e.user(t, "district", "区局王科长", models.RoleDistrictAdmin, nil)
	e.sanxin = e.user(t, "townadmin", "镇管理员李", models.RoleTownAdmin, &e.town.ID)
	o := &models.Opening{TownID: e.town.ID, Title: "城市管理辅助人员", Seats: 2, OpensAt: "2026-06-01", ClosesAt: "2026-06-30",
		ReferenceDate: "2026-06-30", Conditions: "{}", PreferenceChain: "[]", Status: models.OpeningPublished, CreatedBy: e.district.UserID}
	if err := st.CreateOpening(ctx, o); err != nil {
		t.Fatal(err)
	}
	a := &models.Application{OpeningID: o.ID, UserID: e.district.UserID, Status: models.AppEligible, Name: "欧阳建国",
		Phone: "13800000009", IDCipher: []byte{1}, IDHash: "h", IDMasked: "320***1234", Education: "high_school",
		Conditions: "{}", ReferenceDate: "2026-06-30", Result: "{}", SubmittedAt: time.Now()}
	if err := st.CreateApplication(ctx, a); err != nil {
		t.Fatal(err)
	}
	e.app = a.ID
	return e
}

func (e *env) user(t *testing.T, username, name, role string, town *uint64) models.Actor {
	t.Helper()
	u := &models.User{Username: username, PasswordHash: "unused", Role: role, DisplayName: name, TownID: town}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatal(err)
	}
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: role, TownID: town}
}

func (e *env) add(t *testing.T, at time.Time, who models.Actor, action, typ string, id uint64, town *uint64, detail string) {
	t.Helper()
	if err := e.store.AppendAudit(e.ctx, &models.AuditEntry{At: at, ActorID: who.UserID, ActorName: who.Name, Action: action,
		ObjectType: typ, ObjectID: id, TownID: town, Reason: "原因", Detail: detail}); err != nil {
		t.Fatal(err)
	}
}

func china(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, clock.China)
}

// The log reads in Chinese: the action in words, the person's name, labelled details; an
// unknown key is still shown (escaped by the page), a detail that is not JSON too.
func TestList_ReadsInChinese(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.add(t, china(2026, 7, 1, 9), e.sanxin, "review.rejected", "application", e.app, &e.town.ID,
		`{"item":"veteran","status_before":"pending_review","status_after":"ineligible","extra_key":"<b>x</b>"}`)
	e.add(t, china(2026, 7, 1, 10), e.district, "town.existing_staff", "town", e.town.ID, &e.town.ID, `{"old":10,"new":12}`)
	e.add(t, china(2026, 7, 1, 11), e.district, "user.create", "user", e.sanxin.UserID, &e.town.ID, `not json`)
	p, err := e.svc.List(e.ctx, e.district, auditlog.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 3 || len(p.Entries) != 3 {
		t.Fatalf("%d entries of %d", len(p.Entries), p.Total)
	}
	user, staff, review := p.Entries[0], p.Entries[1], p.Entries[2]
	if review.ActionName != "复核不通过" || review.Subject != "欧阳建国" || review.SubjectNote != fmt.Sprintf("报名号 %d", e.app) ||
		review.Link != fmt.Sprintf("/admin/applications/%d", e.app) || review.Town != e.town.Name || review.When != "2026-07-01 09:00" {
		t.Errorf("review entry %+v", review)
	}
	got := map[string]string{}
	for _, f := range review.Fields {
		got[f.Label] = f.Value
	}
	if got["复核事项"] == "" || got["复核事项"] == "veteran" || got["复核后状态"] != "资格审查不合格" || got["extra_key"] != "<b>x</b>" {
		t.Errorf("review fields %q", review.Fields)
	}
	if review.Fields[len(review.Fields)-1].Label != "extra_key" {
		t.Errorf("unknown keys come last: %q", review.Fields)
	}
	if staff.ActionName != "修改在岗人数" || staff.Subject != e.town.Name ||
		fmt.Sprint(staff.Fields) != "[{新在岗人数 12} {原在岗人数 10}]" {
		t.Errorf("staff entry %+v", staff)
	}
	if user.Subject != "镇管理员李" || len(user.Fields) != 1 || user.Fields[0].Value != "not json" {
		t.Errorf("user entry %+v", user)
	}
}

// Filters: who, what, town, date range in China time (both ends whole days); town admins see
// their town's entries only and cannot ask for another's.
func TestList_FiltersAndScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.add(t, china(2026, 6, 30, 23), e.district, "opening.create", "opening", 1, &e.town.ID, `{}`)
	e.add(t, china(2026, 7, 1, 0), e.sanxin, "score.set", "application", e.app, &e.town.ID, `{"score":"85.50"}`)
	e.add(t, china(2026, 7, 2, 23), e.district, "opening.publish", "opening", 1, &e.other.ID, `{}`)
	e.add(t, china(2026, 7, 3, 0), e.district, "bank.import", "question", 0, nil, `{"added":3}`)
	count := func(a models.Actor, f auditlog.Filter) int64 {
		t.Helper()
		p, err := e.svc.List(e.ctx, a, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		return p.Total
	}
	for _, c := range []struct {
		name string
		f    auditlog.Filter
		want int64
	}{
		{"all", auditlog.Filter{}, 4},
		{"who", auditlog.Filter{Who: e.sanxin.UserID}, 1},
		{"what group", auditlog.Filter{What: "openings"}, 2},
		{"what action", auditlog.Filter{What: "opening.publish"}, 1},
		{"town", auditlog.Filter{Town: e.town.ID}, 2},
		{"from (China midnight)", auditlog.Filter{From: "2026-07-01"}, 3},
		{"to (whole day)", auditlog.Filter{To: "2026-07-02"}, 3},
		{"one day", auditlog.Filter{From: "2026-07-01", To: "2026-07-01"}, 1},
	} {
		if got := count(e.district, c.f); got != c.want {
			t.Errorf("%s: %d entries, want %d", c.name, got, c.want)
		}
	}
	if got := count(e.sanxin, auditlog.Filter{}); got != 2 {
		t.Errorf("town admin sees %d entries, want their town's 2", got)
	}
	for name, f := range map[string]auditlog.Filter{
		"other town": {Town: e.other.ID}, "bad date": {From: "2026-13-01"}, "reversed": {From: "2026-07-02", To: "2026-07-01"},
		"unknown what": {What: "drop table"},
	} {
		_, err := e.svc.List(e.ctx, e.sanxin, f)
		if !errors.Is(err, models.ErrInvalid) {
			t.Errorf("%s: %v, want a field error", name, err)
		}
	}
	if _, err := e.svc.List(e.ctx, models.Actor{UserID: 99, Role: models.RoleTrainer}, auditlog.Filter{}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("trainer: %v", err)
	}
}

// Paging: a stable order (newest first), page links with gaps, no cap at 500: every entry is on
// some page exactly once.
func TestList_PagesThroughEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 3*auditlog.PageSize + 7
	at := china(2026, 7, 1, 9)
	for i := range n {
		e.add(t, at, e.district, "score.set", "application", e.app, &e.town.ID, fmt.Sprintf(`{"score":"%d"}`, i))
	}
	seen := map[uint64]bool{}
	var last uint64
	for page := 1; page <= 4; page++ {
		p, err := e.svc.List(e.ctx, e.district, auditlog.Filter{Page: page, What: "hiring"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Pages != 4 || p.Total != n {
			t.Fatalf("pages %d total %d", p.Pages, p.Total)
		}
		for _, en := range p.Entries {
			if seen[en.ID] || (last != 0 && en.ID >= last) {
				t.Fatalf("entry %d out of order or twice", en.ID)
			}
			seen[en.ID], last = true, en.ID
		}
		var links []string
		for _, l := range p.PageLinks {
			if l.Gap {
				links = append(links, "…")
				continue
			}
			links = append(links, fmt.Sprint(l.N))
			if !strings.Contains(l.Query, "what=hiring") {
				t.Errorf("page link %q loses the filter", l.Query)
			}
		}
		if page == 1 && strings.Join(links, " ") != "1 2 3 4" {
			t.Errorf("links %q", links)
		}
	}
	if len(seen) != n {
		t.Errorf("saw %d of %d entries", len(seen), n)
	}
}
