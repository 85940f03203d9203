package recruitment_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// The fixed calendar of these tests (China time, UTC+8): the default opening takes applications
// from 2026-06-08 to 2026-06-30 and counts ages on 2026-06-30; "now" starts on 2026-06-10.
const (
	opensAt  = "2026-06-08"
	closesAt = "2026-06-30"
	townName = "三星镇"  // the town of the town admin and of the default opening
	otherTwn = "海门街道" // the town of the other town's admin
	password = "correct horse battery"
)

// chinaTime is a wall-clock time in China.
func chinaTime(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, clock.China)
}

var (
	startTime = chinaTime(2026, time.June, 10, 10, 0)
	// afterClose is the morning after the default opening's deadline.
	afterClose = chinaTime(2026, time.July, 1, 9, 0)
)

// env is one test's world: a fresh database, the services on a fake clock, and the actors of
// every role, created through the accounts service.
type env struct {
	ctx    context.Context
	store  *models.Store
	clock  *clock.Fake
	cipher *pii.Cipher
	acc    *accounts.Service
	notes  *notices.Service
	svc    *recruitment.Service

	town, otherTown models.Town

	district, townAdmin, otherTownAdmin, trainer, applicant, otherApplicant models.Actor
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	fc := clock.NewFake(startTime)
	c, err := pii.New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	// Cheap hashing: these tests create several accounts each; argon2 is tested in package accounts.
	acc, err := accounts.New(st, fc, accounts.WithCheapHashing())
	if err != nil {
		t.Fatal(err)
	}
	notes := notices.New(st, fc, nil)
	e := &env{ctx: ctx, store: st, clock: fc, cipher: c, acc: acc, notes: notes,
		svc: recruitment.New(st, c, fc, nil, recruitment.WithNotices(notes))}
	if err := e.svc.EnsureBaseConditions(ctx); err != nil {
		t.Fatal(err)
	}
	town, err := st.TownByName(ctx, townName)
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.TownByName(ctx, otherTwn)
	if err != nil {
		t.Fatal(err)
	}
	e.town, e.otherTown = *town, *other

	if ok, err := acc.EnsureAdmin(ctx, "admin", password); err != nil || !ok {
		t.Fatalf("EnsureAdmin: %v %v", ok, err)
	}
	admin, err := st.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	e.district = actorOf(admin)
	staff := func(username, name, role string, townID *uint64) models.Actor {
		u, err := acc.CreateStaff(ctx, e.district, accounts.StaffInput{
			Username: username, Password: password, Name: name, Role: role, TownID: townID})
		if err != nil {
			t.Fatalf("CreateStaff %s: %v", username, err)
		}
		return actorOf(u)
	}
	e.townAdmin = staff("sanxing", "三星镇管理员", models.RoleTownAdmin, &e.town.ID)
	e.otherTownAdmin = staff("haimen", "海门街道管理员", models.RoleTownAdmin, &e.otherTown.ID)
	e.trainer = staff("trainer", "培训员", models.RoleTrainer, nil)
	register := func(phone, name string) models.Actor {
		u, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: phone, Password: password, Name: name})
		if err != nil {
			t.Fatalf("Register %s: %v", phone, err)
		}
		return actorOf(u)
	}
	e.applicant = register("13800000001", "张三")
	e.otherApplicant = register("13800000002", "李四")
	return e
}

func actorOf(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID}
}

var phoneSeq atomic.Int64

// candidate adds one more applicant account. Ranking tests need many; they never sign in, so the
// row is written directly instead of paying for an argon2 hash each (Register is tested in
// package accounts and used for e.applicant and e.otherApplicant).
func (e *env) candidate(t *testing.T, name string) models.Actor {
	t.Helper()
	u := &models.User{Username: fmt.Sprintf("139%08d", phoneSeq.Add(1)), PasswordHash: "unused",
		Role: models.RoleApplicant, DisplayName: name}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatal(err)
	}
	return actorOf(u)
}

// openingInput is the default opening of 三星镇: 3 seats, 2026-06-08 … 2026-06-30.
func openingInput() recruitment.OpeningInput {
	return recruitment.OpeningInput{Town: townName, Title: "城市管理辅助人员", Seats: 3,
		OpensAt: opensAt, ClosesAt: closesAt}
}

// published creates (as the district admin) and publishes an opening; mod edits the default input.
func (e *env) published(t *testing.T, mod func(*recruitment.OpeningInput)) *recruitment.OpeningView {
	t.Helper()
	in := openingInput()
	if mod != nil {
		mod(&in)
	}
	o, err := e.svc.CreateOpening(e.ctx, e.district, in)
	if err != nil {
		t.Fatalf("CreateOpening: %v", err)
	}
	o, err = e.svc.Publish(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return o
}

var idSeq atomic.Int64

// idNumber builds a valid 18-character mainland ID number (GB 11643-1999 check character) for a
// birth date "YYYY-MM-DD"; every call gives a new number.
func idNumber(t *testing.T, birth string) string {
	t.Helper()
	return idWith(t, "320684", birth)
}

// idWith builds a valid number with the given 6-digit prefix.
func idWith(t *testing.T, prefix, birth string) string {
	t.Helper()
	seq := idSeq.Add(1) % 1000
	first := prefix + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", seq)
	c, ok := screening.IDCheckChar(first)
	if !ok || len(first) != 17 {
		t.Fatalf("bad ID parts %q", first)
	}
	return first + string(c)
}

// form is a complete application form that passes every base rule (age 30 on 2026-06-30).
func form(t *testing.T) recruitment.ApplicationForm {
	t.Helper()
	return formBorn(t, "1996-03-15")
}

func formBorn(t *testing.T, birth string) recruitment.ApplicationForm {
	t.Helper()
	no := false
	return recruitment.ApplicationForm{Name: "王五", IDNumber: idNumber(t, birth), Education: "high_school",
		Major: "汉语言文学", AcceptsConditions: true, Healthy: true,
		UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
		Profile: sampleProfile(birth)}
}

// sampleProfile is a complete 报名表 for someone born on birth (YYYY-MM-DD): high school
// finished at 18, or junior high at 15 for those too young to have finished high school by 2025.
func sampleProfile(birth string) recruitment.Profile {
	y, _ := strconv.Atoi(birth[:4])
	grad, school := y+18, "江苏省海门中学"
	if grad > 2025 {
		grad, school = y+15, "海门市三星镇初级中学"
	}
	return recruitment.Profile{Ethnicity: "汉族", Political: "群众", Hukou: "江苏省南通市海门区三星镇",
		Address: "江苏省南通市海门区三星镇叠石桥村 5 组 18 号", School: school, Graduated: fmt.Sprintf("%d-06", grad),
		EmergencyName: "王建国", EmergencyRelation: "父亲", EmergencyPhone: "13962800001",
		Resume: []recruitment.ResumeRow{{From: fmt.Sprintf("%d-09", grad-3), To: fmt.Sprintf("%d-06", grad), Org: school, Role: "学生"},
			{From: fmt.Sprintf("%d-07", grad), Org: "海门叠石桥家纺城", Role: "营业员"}},
		Family: []recruitment.FamilyRow{{Relation: "父亲", Name: "王建国", Work: "三星镇叠石桥村村民"}}}
}

var (
	jpegOnce  sync.Once
	jpegBytes []byte
)

// testJPEG is a small real JPEG made with image/jpeg.
func testJPEG(t *testing.T) []byte {
	t.Helper()
	jpegOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 60, 80))
		for y := 0; y < 80; y++ {
			for x := 0; x < 60; x++ {
				img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 3), 128, 255})
			}
		}
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
			panic(err)
		}
		jpegBytes = b.Bytes()
	})
	return jpegBytes
}

// filesFor returns every upload the form needs (photo, diploma and the evidence of each claim).
func filesFor(t *testing.T, f recruitment.ApplicationForm) map[string][]byte {
	t.Helper()
	img := testJPEG(t)
	files := map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img}
	add := func(on bool, kind string) {
		if on {
			files[kind] = img
		}
	}
	add(f.Veteran, recruitment.FileVeteran)
	add(f.FormerAuxStaff, recruitment.FileFormerAux)
	add(f.PartyMember, recruitment.FileParty)
	add(f.HeroicHonor, recruitment.FileHeroic)
	add(f.HasHukou, recruitment.FileHukou)
	add(f.HasLicence, recruitment.FileLicence)
	return files
}

// apply submits f with the files it needs and fails the test on error.
func (e *env) apply(t *testing.T, who models.Actor, openingID uint64, f recruitment.ApplicationForm) *recruitment.ApplicationView {
	t.Helper()
	v, err := e.svc.Apply(e.ctx, who, openingID, f, filesFor(t, f))
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	e.drain(t)
	v, err = e.svc.ApplicationFor(e.ctx, who, v.ID)
	if err != nil {
		t.Fatalf("ApplicationFor: %v", err)
	}
	return v
}

// drain runs the sanitising worker until the quarantine is empty, as the portal's background
// worker does after an upload.
func (e *env) drain(t *testing.T) int {
	t.Helper()
	n, err := e.svc.SanitizeQueued(e.ctx, "test-worker")
	if err != nil {
		t.Fatalf("sanitise: %v", err)
	}
	return n
}

// countApps counts an opening's stored applications (any status).
func (e *env) countApps(t *testing.T, openingID uint64) int {
	t.Helper()
	apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &openingID})
	if err != nil {
		t.Fatal(err)
	}
	return len(apps)
}

// row loads an application's stored row.
func (e *env) row(t *testing.T, id uint64) *models.Application {
	t.Helper()
	a, err := e.store.ApplicationByID(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// audit lists the district's audit entries with the given action, newest first.
func (e *env) audit(t *testing.T, action string) []models.AuditEntry {
	t.Helper()
	es, err := e.svc.AuditLog(e.ctx, e.district, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditEntry
	for _, a := range es {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// reviewItem returns the id of the application's review item of a kind.
func (e *env) reviewItem(t *testing.T, appID uint64, kind string) uint64 {
	t.Helper()
	v, err := e.svc.AdminApplication(e.ctx, e.district, appID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Reviews {
		if r.Kind == kind {
			return r.ID
		}
	}
	t.Fatalf("application %d has no %s review item: %+v", appID, kind, v.Reviews)
	return 0
}

// approveAll approves every pending review item of an application.
func (e *env) approveAll(t *testing.T, appID uint64) {
	t.Helper()
	v, err := e.svc.AdminApplication(e.ctx, e.district, appID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Reviews {
		if r.Status != models.ReviewPending {
			continue
		}
		if _, err := e.svc.Decide(e.ctx, e.district, r.ID, recruitment.Decision{Approve: true}); err != nil {
			t.Fatalf("approve %s: %v", r.Kind, err)
		}
	}
}

// score enters scores ("" leaves one alone) as the district admin.
func (e *env) score(t *testing.T, openingID uint64, scores map[uint64]string) {
	t.Helper()
	var in []recruitment.ScoreInput
	for id, s := range scores {
		in = append(in, recruitment.ScoreInput{ApplicationID: id, Score: s})
	}
	if err := e.svc.SetScores(e.ctx, e.district, openingID, in); err != nil {
		t.Fatalf("SetScores: %v", err)
	}
}

// wantKind fails unless err wraps kind.
func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v (%T), want %v", err, err, kind)
	}
}

// wantCode fails unless err is a *models.Error of kind with code.
func wantCode(t *testing.T, err, kind error, code string) *models.Error {
	t.Helper()
	wantKind(t, err, kind)
	me, ok := models.AsError(err)
	if !ok || me.Code != code {
		t.Fatalf("err = %#v, want code %q", err, code)
	}
	return me
}

// wantField fails unless err is ErrInvalid naming field.
func wantField(t *testing.T, err error, field string) *models.Error {
	t.Helper()
	wantKind(t, err, models.ErrInvalid)
	me, ok := models.AsError(err)
	if !ok || me.Fields[field] == "" {
		t.Fatalf("err = %#v, want a message for field %q", err, field)
	}
	return me
}

// check returns the result's check for a rule.
func check(t *testing.T, r screening.Result, rule string) screening.Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Rule == rule {
			return c
		}
	}
	t.Fatalf("no check for %s in %+v", rule, r.Checks)
	return screening.Check{}
}

// training applies a pre-job training result to a proposed hire as the exam service does.
func (e *env) training(t *testing.T, appID uint64, passed bool) string {
	t.Helper()
	var gate string
	err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
		var err error
		gate, err = e.svc.TrainingResult(e.ctx, tx, e.trainer, appID, passed, "测试场次：测试")
		return err
	})
	if err != nil {
		t.Fatalf("TrainingResult: %v", err)
	}
	return gate
}
