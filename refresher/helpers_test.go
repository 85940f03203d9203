package refresher_test

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/refresher"
	"auxportal/screening"
)

const password = "Correct-horse-battery-9"

// env is a refresher test's world on a fake clock: the exam engine with the demo bank and a
// refresher blueprint (no short answers, so papers grade themselves), permits, notices.
type env struct {
	ctx     context.Context
	store   *models.Store
	clock   *clock.Fake
	exams   *training.Service
	permits *permits.Service
	notes   *notices.Service
	cycle   *refresher.Service

	district, trainer, townAdmin models.Actor
	town                         models.Town
}

// at is a moment in China time.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, clock.China) }

func newEnv(t *testing.T, st *models.Store, fc *clock.Fake) *env {
	t.Helper()
	ctx := context.Background()
	if st == nil {
		st = storetest.Open(t)
	}
	c, err := pii.New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	acc, err := accounts.New(st, fc, accounts.WithCheapHashing())
	if err != nil {
		t.Fatal(err)
	}
	rec := recruitment.New(st, c, fc, nil)
	signer, err := certificates.NewSigner(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ex := training.New(st, rec, fc, nil, "https://portal.example")
	pm := permits.New(st, signer, fc, nil, jobs.New(st, fc, nil), "https://portal.example", permits.DefaultPolicy)
	notes := notices.New(st, fc, nil)
	e := &env{ctx: ctx, store: st, clock: fc, exams: ex, permits: pm, notes: notes,
		cycle: refresher.New(st, pm, ex, notes, fc, nil, refresher.DefaultSettings)}
	town, err := st.TownByName(ctx, "三星镇")
	if err != nil {
		t.Fatal(err)
	}
	e.town = *town
	if _, err := acc.EnsureAdmin(ctx, "admin", password); err != nil {
		t.Fatal(err)
	}
	admin, _ := st.UserByUsername(ctx, "admin")
	e.district = actorOf(admin)
	staff := func(username, role string, townID *uint64) models.Actor {
		u, err := acc.CreateStaff(ctx, e.district, accounts.StaffInput{Username: username, Password: password,
			Name: username + "老师", Role: role, TownID: townID})
		if err != nil {
			t.Fatalf("CreateStaff %s: %v", username, err)
		}
		return actorOf(u)
	}
	e.trainer = staff("trainer1", models.RoleTrainer, nil)
	e.townAdmin = staff("sanxing", models.RoleTownAdmin, &e.town.ID)
	return e
}

// stock loads the demo bank and a refresher blueprint (30 minutes, no short answers).
func (e *env) stock(t *testing.T) {
	t.Helper()
	for _, q := range exams.DemoBank() {
		if _, err := e.exams.CreateQuestion(e.ctx, e.trainer, q); err != nil {
			t.Fatal(err)
		}
	}
	spec := exams.DemoBlueprint()
	cells := spec.Cells[:0]
	for _, c := range spec.Cells {
		if c.Type != exams.Short {
			cells = append(cells, c)
		}
	}
	spec.Cells, spec.Title, spec.DurationMinutes = cells, "年度复训考试", 30
	if _, err := e.exams.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "年度复训", Purpose: models.PurposeRefresher, Spec: spec}); err != nil {
		t.Fatal(err)
	}
}

func actorOf(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID}
}

var seq atomic.Int64

// holder is a staff member in post with a permit issued on issued (written directly: how it
// was issued is the permits package's business).
type holder struct {
	who    models.Actor
	permit uint64
}

func (e *env) holder(t *testing.T, name, issued string) holder {
	t.Helper()
	u := &models.User{Username: fmt.Sprintf("135%08d", seq.Add(1)), PasswordHash: "unused", Role: models.RoleApplicant, DisplayName: name}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatal(err)
	}
	d, err := screening.ParseDate(issued)
	if err != nil {
		t.Fatal(err)
	}
	p := &models.Permit{No: certificates.FormatPermitNo(d.Year, seq.Add(1)), UserID: u.ID, TownID: &e.town.ID, HolderName: name,
		IDMasked: "320*************11", Post: "城市管理辅助人员", IssuedOn: issued, Cycle: 1,
		ValidUntil: certificates.ValidUntil(d, 1).String(), Status: models.PermitActive, StatusAt: e.clock.Now(),
		IssuedBy: e.district.UserID, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	if err := e.store.CreatePermit(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	return holder{who: actorOf(u), permit: p.ID}
}

// daily runs the day's jobs as the scheduler does: the results, then the cycle — twice, to
// show that a second run changes nothing.
func (e *env) daily(t *testing.T) refresher.Report {
	t.Helper()
	var total refresher.Report
	for i := range 2 {
		a, err := e.cycle.ApplyResults(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.cycle.Daily(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && (d.Enrolled+d.Notices+d.Suspended+d.Expired+a.Renewed+a.Notices) > 0 {
			t.Fatalf("a second run the same day did something: %+v %+v", a, d)
		}
		if i == 0 {
			total = d
			total.Renewed, total.NotPassed = a.Renewed, a.NotPassed
			total.Notices += a.Notices
		}
	}
	return total
}

// sit has the holder take their open refresher exam and hand in (right: the key; else wrong).
func (e *env) sit(t *testing.T, h holder, right bool) {
	t.Helper()
	mine, err := e.exams.MyExams(e.ctx, h.who)
	if err != nil {
		t.Fatal(err)
	}
	var cid uint64
	for _, m := range mine {
		if m.State == training.StateReady {
			cid = m.CandidateID
		}
	}
	if cid == 0 {
		t.Fatalf("%s has no refresher exam to take: %+v", h.who.Name, mine)
	}
	if _, err := e.exams.Start(e.ctx, h.who, cid); err != nil {
		t.Fatal(err)
	}
	c, err := e.store.CandidateByID(e.ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	paper, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		t.Fatal(err)
	}
	if right { // a wrong candidate hands in a blank paper
		var saves []training.SaveInput
		for i, it := range paper.Items() {
			var a exams.Answer
			switch it.Type {
			case exams.Single, exams.Multiple:
				a.Choices = it.Correct
			case exams.TrueFalse:
				a.Truth = it.Truth
			case exams.Fill:
				for _, b := range it.Blanks {
					a.Blanks = append(a.Blanks, b.Accepted[0])
				}
			}
			saves = append(saves, training.SaveInput{No: it.No, Seq: int64(i + 1), Answer: a})
		}
		if _, err := e.exams.Save(e.ctx, h.who, cid, saves); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.exams.HandIn(e.ctx, h.who, cid); err != nil {
		t.Fatal(err)
	}
}

// publishDue publishes every refresher sitting the trainer can publish now.
func (e *env) publishDue(t *testing.T) {
	t.Helper()
	sts, err := e.exams.Sittings(e.ctx, e.trainer)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.Purpose == models.PurposeRefresher && st.Status == models.SittingScheduled && st.PublishBlocker == "" {
			if _, err := e.exams.PublishResults(e.ctx, e.trainer, st.ID); err != nil {
				t.Fatalf("publish %s: %v", st.Title, err)
			}
		}
	}
}

// kinds are the notice kinds a user got, in order.
func (e *env) kinds(t *testing.T, u models.Actor) []string {
	t.Helper()
	ns, err := e.store.ListNotices(e.ctx, u.UserID, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].ID < ns[j].ID })
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func (e *env) permit(t *testing.T, id uint64) *models.Permit {
	t.Helper()
	p, err := e.store.PermitByID(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
