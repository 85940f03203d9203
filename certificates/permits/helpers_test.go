package permits_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// The calendar of these tests (China time): applications 2026-06-08 … 06-30; proposals and the
// hire on 2026-07-20; permits issued that day, valid until 2027-07-19.
var (
	applyTime = time.Date(2026, time.June, 10, 10, 0, 0, 0, clock.China)
	hireTime  = time.Date(2026, time.July, 20, 9, 0, 0, 0, clock.China)
)

const (
	password  = "Correct-horse-battery-9"
	publicURL = "https://cg.haimen.example"
)

type env struct {
	ctx    context.Context
	store  *models.Store
	clock  *clock.Fake
	rec    *recruitment.Service
	runner *jobs.Runner
	svc    *permits.Service
	signer *certificates.Signer

	district, trainer, townAdmin, otherTownAdmin models.Actor
	town, otherTown                              models.Town
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	fc := clock.NewFake(applyTime)
	c, err := pii.New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	acc, err := accounts.New(st, fc, accounts.WithCheapHashing())
	if err != nil {
		t.Fatal(err)
	}
	rec := recruitment.New(st, c, fc, nil)
	if err := rec.EnsureBaseConditions(ctx); err != nil {
		t.Fatal(err)
	}
	signer, err := certificates.NewSigner(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	runner := jobs.New(st, fc, nil)
	e := &env{ctx: ctx, store: st, clock: fc, rec: rec, runner: runner, signer: signer,
		svc: permits.New(st, signer, fc, nil, runner, publicURL, permits.DefaultPolicy)}
	town, _ := st.TownByName(ctx, "三星镇")
	other, _ := st.TownByName(ctx, "海门街道")
	e.town, e.otherTown = *town, *other
	if ok, err := acc.EnsureAdmin(ctx, "admin", password); err != nil || !ok {
		t.Fatalf("EnsureAdmin: %v %v", ok, err)
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
	e.otherTownAdmin = staff("haimen", models.RoleTownAdmin, &e.otherTown.ID)
	return e
}

func actorOf(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID}
}

var seq atomic.Int64

func idNumber(birth string) string {
	first := "320684" + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", seq.Add(1)%1000)
	c, _ := screening.IDCheckChar(first)
	return first + string(c)
}

func photo() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for y := range 80 {
		for x := range 60 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 3), 128, 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// hire is a person who applied to a 三星镇 opening, was proposed and passed the training: the
// application is hired, as the exam's hiring gate leaves it. It returns the person and the
// application id.
type hire struct {
	who   models.Actor
	appID uint64
}

func (e *env) hires(t *testing.T, names ...string) []hire {
	t.Helper()
	e.clock.Set(applyTime)
	o, err := e.rec.CreateOpening(e.ctx, e.district, recruitment.OpeningInput{Town: "三星镇", Title: "城市管理辅助人员（巡查岗）",
		Seats: len(names), OpensAt: "2026-06-08", ClosesAt: "2026-06-30", PublicityDays: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.rec.Publish(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	no := false
	var out []hire
	var scores []recruitment.ScoreInput
	for i, n := range names {
		u := &models.User{Username: fmt.Sprintf("136%08d", seq.Add(1)), PasswordHash: "unused", Role: models.RoleApplicant, DisplayName: n}
		if err := e.store.CreateUser(e.ctx, u); err != nil {
			t.Fatal(err)
		}
		who := actorOf(u)
		e.clock.Advance(7 * time.Minute)
		v, err := e.rec.Apply(e.ctx, who, o.ID, recruitment.ApplicationForm{Name: n, IDNumber: idNumber("1995-05-05"),
			Education: "high_school", Major: "法学", AcceptsConditions: true, Healthy: true,
			UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
			Profile: recruitment.DemoProfile(i, screening.Date{Year: 1995, Month: 5, Day: 5}, screening.Date{Year: 2026, Month: 6, Day: 1}, "high_school")},
			map[string][]byte{recruitment.FilePhoto: photo(), recruitment.FileDiploma: photo()})
		if err != nil {
			t.Fatalf("apply %s: %v", n, err)
		}
		if _, err := e.rec.SanitizeQueued(e.ctx, "test-worker"); err != nil {
			t.Fatal(err)
		}
		out = append(out, hire{who: who, appID: v.ID})
		scores = append(scores, recruitment.ScoreInput{ApplicationID: v.ID, Score: fmt.Sprint(90 - i)})
	}
	e.clock.Set(hireTime)
	if err := e.rec.SetScores(e.ctx, e.district, o.ID, scores); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rec.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	for _, h := range out {
		now := e.clock.Now()
		if err := e.store.UpdateApplication(e.ctx, h.appID, []string{models.AppProposed},
			map[string]any{"status": models.AppHired, "hired_at": now}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// rename changes an application's name as stored (a name the form would take, for the
// printability tests).
func (e *env) rename(t *testing.T, appID uint64, name string) {
	t.Helper()
	if err := e.store.UpdateApplication(e.ctx, appID, []string{models.AppHired}, map[string]any{"name": name}); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, kind error, code string) {
	t.Helper()
	me, ok := models.AsError(err)
	if !ok || !errors.Is(err, kind) || (code != "" && me.Code != code) {
		t.Fatalf("err = %v (%#v), want %v %q", err, me, kind, code)
	}
}

func day(t *testing.T, s string) screening.Date {
	t.Helper()
	d, err := screening.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
