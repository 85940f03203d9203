package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/auditlog"
	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/sms"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/refresher"
	"auxportal/screening"
)

// role names the test actors.
type role string

const (
	anon           role = "anonymous"
	applicant      role = "applicant"
	otherApplicant role = "other applicant"
	trainer        role = "trainer"
	otherTown      role = "town admin of another town"
	ownTown        role = "town admin of the town"
	district       role = "district admin"
)

var allRoles = []role{anon, applicant, otherApplicant, trainer, otherTown, ownTown, district}

// fixture is a portal on a fresh database: one published opening at 三星镇 open today, and an
// account and session for every role.
type fixture struct {
	t       *testing.T
	store   *models.Store
	acc     *accounts.Service
	rec     *recruitment.Service
	exams   *training.Service
	permits *permits.Service
	jobs    *jobs.Runner
	signer  *certificates.Signer
	notes   *notices.Service // no e-mail configured; SMS to texts
	texts   *sms.Recorder
	clock   *clock.Fake
	h       http.Handler
	logs    *logBuffer    // what the server and the Store logged
	checks  *atomic.Int64 // password comparisons made by acc
	tokens  map[role]string
	actors  map[role]models.Actor
	users   map[role]string // login names, to sign in again after the clock moves
	town    *models.Town    // 三星镇
	other   *models.Town    // 海门街道
	opening uint64
	seq     atomic.Int64
}

// fixturePassword is every fixture account's password: long enough for staff, in no list.
const fixturePassword = "Fixture-pass-2026"

// today in the fixture is 2026-06-10 (China); the opening runs 2026-06-08 to 2026-06-30.
var fixtureNow = time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	st := storetest.OpenLogged(t, log)
	clk := clock.NewFake(fixtureNow)
	checks := &atomic.Int64{}
	texts := &sms.Recorder{}
	notes := notices.New(st, clk, log, sms.New(texts, "海门城管"))
	acc, err := accounts.New(st, clk, accounts.WithCheapHashing(), accounts.WithCheckObserver(func() { checks.Add(1) }),
		accounts.WithNotices(notes))
	if err != nil {
		t.Fatal(err)
	}
	cipher, err := pii.New(bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	rec := recruitment.New(st, cipher, clk, nil)
	if err := rec.EnsureBaseConditions(ctx); err != nil {
		t.Fatal(err)
	}
	runner := jobs.New(st, clk, nil)
	ex := training.New(st, rec, clk, nil, "https://portal.example", training.WithJobs(runner))
	signer, err := certificates.NewSigner(bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	pm := permits.New(st, signer, clk, nil, runner, "https://portal.example", permits.DefaultPolicy)
	cycle := refresher.New(st, pm, ex, notes, clk, nil, refresher.DefaultSettings)
	h, err := New(Deps{Accounts: acc, Recruitment: rec, Exams: ex, Permits: pm, Jobs: runner, Notices: notes, Refresher: cycle, Audit: auditlog.New(st), Clock: clk, RateLimits: DefaultRateLimits(), Log: log,
		Ping: func(r *http.Request) error { return st.Ping(r.Context()) }})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: st, acc: acc, rec: rec, exams: ex, permits: pm, jobs: runner, signer: signer, notes: notes, texts: texts, clock: clk, h: h, logs: logs, checks: checks,
		tokens: map[role]string{}, actors: map[role]models.Actor{}, users: map[role]string{}}
	f.town, _ = st.TownByName(ctx, "三星镇")
	f.other, _ = st.TownByName(ctx, "海门街道")
	if err := acc.CreateDistrictAdmin(ctx, "district", fixturePassword, "区管理员"); err != nil {
		t.Fatal(err)
	}
	f.login(district, "district", fixturePassword)
	for _, s := range []struct {
		r  role
		in accounts.StaffInput
	}{
		{ownTown, accounts.StaffInput{Username: "sanxing", Password: fixturePassword, Name: "三星镇管理员", Role: models.RoleTownAdmin, TownID: &f.town.ID}},
		{otherTown, accounts.StaffInput{Username: "haimen", Password: fixturePassword, Name: "海门街道管理员", Role: models.RoleTownAdmin, TownID: &f.other.ID}},
		{trainer, accounts.StaffInput{Username: "trainer", Password: fixturePassword, Name: "培训员", Role: models.RoleTrainer}},
	} {
		if _, err := acc.CreateStaff(ctx, f.actors[district], s.in); err != nil {
			t.Fatal(err)
		}
		f.login(s.r, s.in.Username, fixturePassword)
	}
	for r, phone := range map[role]string{applicant: "13800000001", otherApplicant: "13800000002"} {
		if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: phone, Password: fixturePassword, Name: "报名人" + phone[10:]}); err != nil {
			t.Fatal(err)
		}
		f.login(r, phone, fixturePassword)
	}
	f.opening = f.newOpening(f.town.ID, true)
	return f
}

func (f *fixture) login(r role, user, pw string) {
	f.t.Helper()
	in, err := f.acc.Login(context.Background(), user, pw, accounts.ClientInfo{IP: "test"})
	if err != nil {
		f.t.Fatalf("login %s: %v", user, err)
	}
	f.tokens[r], f.actors[r], f.users[r] = in.Token, in.Actor, user
}

// newOpening creates an opening at town as the district admin, published or a draft.
func (f *fixture) newOpening(town uint64, publish bool) uint64 {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.rec.CreateOpening(ctx, f.actors[district], recruitment.OpeningInput{
		TownID: town, Title: "巡查岗", Seats: 2, OpensAt: "2026-06-08", ClosesAt: "2026-06-30", PublicityDays: new(int)})
	if err != nil {
		f.t.Fatal(err)
	}
	if publish {
		if _, err := f.rec.Publish(ctx, f.actors[district], o.ID); err != nil {
			f.t.Fatal(err)
		}
	}
	return o.ID
}

// idNumber makes a valid ID number born on birth, unique per call.
func (f *fixture) idNumber(birth string) string {
	n := f.seq.Add(1) // concurrent requests in a test make numbers too
	first := "320684" + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", n%1000)
	c, ok := screening.IDCheckChar(first)
	if !ok {
		f.t.Fatalf("bad id prefix %s", first)
	}
	return first + string(c)
}

func eligibleForm(id string) recruitment.ApplicationForm {
	no := false
	return recruitment.ApplicationForm{Name: "王五", IDNumber: id, Education: "high_school", Major: "城市管理",
		AcceptsConditions: true, Healthy: true,
		UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
		Profile: sampleProfile()}
}

// sampleProfile is the rest of a complete 报名表 for someone born before 1997.
func sampleProfile() recruitment.Profile {
	return recruitment.Profile{Ethnicity: "汉族", Political: "群众", Hukou: "江苏省南通市海门区三星镇",
		Address: "海门区三星镇叠石桥村 5 组 18 号", School: "江苏省海门中学", Graduated: "2012-06",
		EmergencyName: "王建国", EmergencyRelation: "父亲", EmergencyPhone: "13962800001",
		Resume: []recruitment.ResumeRow{{From: "2009-09", To: "2012-06", Org: "江苏省海门中学", Role: "学生"}}}
}

// withProfile adds the fields of sampleProfile to a form's fields, as the page sends them.
func withProfile(m map[string]string) map[string]string {
	for k, v := range map[string]string{"ethnicity": "汉族", "political_status": "群众", "hukou_place": "江苏省南通市海门区三星镇",
		"address": "海门区三星镇叠石桥村 5 组 18 号", "school": "江苏省海门中学", "graduated": "2012-06",
		"emergency_name": "王建国", "emergency_relation": "父亲", "emergency_phone": "13962800001",
		"resume_from": "2009-09", "resume_to": "2012-06", "resume_org": "江苏省海门中学", "resume_role": "学生"} {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return m
}

func testJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y * 5), 120, 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// apply submits an application for r through the service and returns its id.
func (f *fixture) apply(r role, opening uint64, form recruitment.ApplicationForm) uint64 {
	f.t.Helper()
	// Space submissions out so the per-account limit (20 attempts an hour) never trips in tests.
	f.clock.Advance(7 * time.Minute)
	files := map[string][]byte{"photo": testJPEG(60, 80), "diploma": testJPEG(80, 60)}
	if form.Veteran {
		files[recruitment.FileVeteran] = testJPEG(40, 40)
	}
	v, err := f.rec.Apply(context.Background(), f.actors[r], opening, form, files)
	if err != nil {
		e, _ := models.AsError(err)
		f.t.Fatalf("apply: %v %v", err, e)
	}
	f.drain()
	return v.ID
}

// drain runs the sanitising worker until the quarantine is empty, as the portal's background
// worker does after an upload.
func (f *fixture) drain() {
	f.t.Helper()
	if _, err := f.rec.SanitizeQueued(context.Background(), "test-worker"); err != nil {
		f.t.Fatalf("sanitise: %v", err)
	}
}

// rejectedPhoto is the id of a photo the sanitising worker refused, of a fresh application of
// the applicant's: a JPEG whose header passes and whose image data stops half-way.
func (f *fixture) rejectedPhoto() (appID uint64, fileID string) {
	f.t.Helper()
	o := f.newOpening(f.town.ID, true)
	f.clock.Advance(7 * time.Minute)
	good := testJPEG(400, 300)
	v, err := f.rec.Apply(context.Background(), f.actors[applicant], o, eligibleForm(f.idNumber("1992-02-02")),
		map[string][]byte{"photo": good[:len(good)/2], "diploma": testJPEG(80, 60)})
	if err != nil {
		f.t.Fatal(err)
	}
	f.drain()
	got, err := f.rec.ApplicationFor(context.Background(), f.actors[applicant], v.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, fv := range got.Files {
		if fv.State == models.UploadFailed {
			return v.ID, fv.ID
		}
	}
	f.t.Fatalf("no refused file: %+v", got.Files)
	return 0, ""
}

// do sends a request as r. body may be nil, a string (form-encoded), []byte with a content
// type in header, or any value (JSON).
func (f *fixture) do(r role, method, path string, body any, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/x-www-form-urlencoded"
	case rawJSON:
		rd, ct = strings.NewReader(string(b)), "application/json"
	case *multipartBody:
		rd, ct = bytes.NewReader(b.data), b.contentType
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	// Each role sends from an address of its own, as people do: the per-address limits (30
	// applications a minute) are then one person's, not the whole matrix's.
	req.RemoteAddr = roleAddr(r)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if tok := f.tokens[r]; tok != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return w
}

type multipartBody struct {
	data        []byte
	contentType string
}

// multipartForm builds a multipart body of fields and files.
func multipartForm(t *testing.T, fields map[string]string, files map[string][]byte) *multipartBody {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	for k, data := range files {
		fw, err := w.CreateFormFile(k, k+".jpg")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return &multipartBody{data: b.Bytes(), contentType: w.FormDataContentType()}
}

// errorCode decodes an API error body's code.
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("not an API error body (%d): %s", w.Code, w.Body.String())
	}
	return e.Error.Code
}

// rejectedVeteranItem applies as the applicant to a new opening, claiming to be a veteran, and
// has the district reject that claim; it returns the rejected item's id.
func (f *fixture) rejectedVeteranItem() uint64 {
	f.t.Helper()
	o := f.newOpening(f.town.ID, true)
	form := eligibleForm(f.idNumber("1991-01-01"))
	form.Veteran = true
	id := f.apply(applicant, o, form)
	v, err := f.rec.AdminApplication(context.Background(), f.actors[district], id)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, it := range v.Reviews {
		if it.Kind == models.ReviewVeteran {
			if _, err := f.rec.Decide(context.Background(), f.actors[district], it.ID, recruitment.Decision{Reason: "证明不清"}); err != nil {
				f.t.Fatal(err)
			}
			return it.ID
		}
	}
	f.t.Fatalf("no veteran item: %+v", v.Reviews)
	return 0
}

// logBuffer collects log output written from the requests' goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// examFixture is an exam sitting in progress for the applicant, who is a proposed hire of a new
// opening of 三星镇: the demo bank, the demo blueprint, a sitting open now (the clock moves to
// 2026-06-11 10:00 China time) and the applicant's attempt started.
type examFixture struct {
	sitting, blueprint, candidate, question uint64
}

func (f *fixture) examFixture() examFixture {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.rec.CreateOpening(ctx, f.actors[district], recruitment.OpeningInput{
		TownID: f.town.ID, Title: "巡查岗（已截止）", Seats: 1, OpensAt: "2026-06-10", ClosesAt: "2026-06-10", PublicityDays: new(int)})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Publish(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	form := eligibleForm(f.idNumber("1994-09-09"))
	form.Major = "法学" // no preference to verify, so nothing holds the proposal up
	app := f.apply(applicant, o.ID, form)
	f.clock.Set(time.Date(2026, 6, 11, 1, 0, 0, 0, time.UTC)) // 09:00 in China
	if err := f.rec.SetScores(ctx, f.actors[district], o.ID, []recruitment.ScoreInput{{ApplicationID: app, Score: "80"}}); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Propose(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	var ef examFixture
	for i, q := range exams.DemoBank() {
		v, err := f.exams.CreateQuestion(ctx, f.actors[trainer], q)
		if err != nil {
			f.t.Fatal(err)
		}
		if i == 0 {
			ef.question = v.ID
		}
	}
	bp, err := f.exams.CreateBlueprint(ctx, f.actors[trainer], training.BlueprintInput{Name: "演示方案", Spec: exams.DemoBlueprint()})
	if err != nil {
		f.t.Fatal(err)
	}
	st, err := f.exams.ScheduleSitting(ctx, f.actors[trainer], training.SittingInput{Title: "第一期岗前培训考试",
		BlueprintID: bp.ID, Opens: "2026-06-11T09:30", Closes: "2026-06-11T12:00", Venue: "区城管局考场", OpeningIDs: []uint64{o.ID}})
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock.Set(time.Date(2026, 6, 11, 2, 0, 0, 0, time.UTC)) // 10:00
	mine, err := f.exams.MyExams(ctx, f.actors[applicant])
	if err != nil || len(mine) != 1 {
		f.t.Fatalf("MyExams: %v %v", mine, err)
	}
	if _, err := f.exams.Start(ctx, f.actors[applicant], mine[0].CandidateID); err != nil {
		f.t.Fatal(err)
	}
	ef.sitting, ef.blueprint, ef.candidate = st.ID, bp.ID, mine[0].CandidateID
	// A day went by: staff sessions (12 hours) have ended; everyone signs in again.
	for r, u := range f.users {
		f.login(r, u, fixturePassword)
	}
	return ef
}

// permitFixture is five hires of a new 三星镇 opening (the applicant and four others), their
// applications hired as the training's gate leaves them: the applicant's permit (viewed), one
// to revoke and one to re-issue are issued; two hires wait for theirs. The five apply on the
// fixture's first day (permitApplicants, before examFixture moves the clock on) and are
// hired the morning after (permitFixture).
type permitFixture struct {
	viewed, revoke, reissue uint64 // permit ids
	issuable                []uint64
	no, sig                 string // the viewed permit's number and signature
}

type permitApplicants struct {
	opening uint64
	apps    []uint64
}

func (f *fixture) permitApplicants() permitApplicants {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.rec.CreateOpening(ctx, f.actors[district], recruitment.OpeningInput{
		TownID: f.town.ID, Title: "巡查岗（已录用）", Seats: 5, OpensAt: "2026-06-10", ClosesAt: "2026-06-10", PublicityDays: new(int)})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Publish(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	var apps []uint64
	for i := range 5 {
		who := applicant
		form := eligibleForm(f.idNumber("1993-03-03"))
		form.Major = "法学"
		if i == 0 {
			apps = append(apps, f.apply(who, o.ID, form))
			continue
		}
		u := &models.User{Username: fmt.Sprintf("1391111000%d", i), PasswordHash: "unused", Role: models.RoleApplicant, DisplayName: "录用人员"}
		if err := f.store.CreateUser(ctx, u); err != nil {
			f.t.Fatal(err)
		}
		form.Name = []string{"", "钱一鸣", "孙二娜", "李三丰", "周四海"}[i]
		f.clock.Advance(7 * time.Minute)
		v, err := f.rec.Apply(ctx, models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role}, o.ID, form,
			map[string][]byte{"photo": testJPEG(60, 80), "diploma": testJPEG(80, 60)})
		if err != nil {
			f.t.Fatal(err)
		}
		apps = append(apps, v.ID)
	}
	return permitApplicants{opening: o.ID, apps: apps}
}

func (f *fixture) permitFixture(pa permitApplicants) permitFixture {
	f.t.Helper()
	ctx := context.Background()
	apps, o := pa.apps, struct{ ID uint64 }{pa.opening}
	var scores []recruitment.ScoreInput
	for i, id := range apps {
		scores = append(scores, recruitment.ScoreInput{ApplicationID: id, Score: fmt.Sprint(90 - i)})
	}
	if err := f.rec.SetScores(ctx, f.actors[district], o.ID, scores); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Propose(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	now := f.clock.Now()
	for _, id := range apps {
		if err := f.store.UpdateApplication(ctx, id, []string{models.AppProposed}, map[string]any{"status": models.AppHired, "hired_at": now}); err != nil {
			f.t.Fatal(err)
		}
	}
	var pf permitFixture
	for i, p := range []*uint64{&pf.viewed, &pf.revoke, &pf.reissue} {
		v, err := f.permits.Issue(ctx, f.actors[district], apps[i])
		if err != nil {
			f.t.Fatal(err)
		}
		*p = v.ID
		if i == 0 {
			pf.no, pf.sig = v.No, f.signer.Sign(v.No)
		}
	}
	pf.issuable = apps[3:]
	return pf
}

// notice records a notice to r and returns its id.
func (f *fixture) notice(r role, title string) uint64 {
	f.t.Helper()
	f.seq.Add(1)
	m := notices.Message{UserID: f.actors[r].UserID, Kind: "test.notice", DedupKey: fmt.Sprintf("test:%d", f.seq.Load()),
		Title: title, Body: "正文第一行\n正文第二行", Link: "/me/exams", Channels: []string{notices.ChannelEmail}}
	if _, err := f.notes.Notify(context.Background(), nil, m); err != nil {
		f.t.Fatal(err)
	}
	in, err := f.notes.Inbox(context.Background(), f.actors[r], 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return in.Notices[0].ID
}

// deadDelivery stores a notice to the applicant with an e-mail delivery given up after
// failures, as DeliverDue leaves one, and returns the delivery's id.
func (f *fixture) deadDelivery() uint64 {
	f.t.Helper()
	ctx := context.Background()
	f.seq.Add(1)
	now := f.clock.Now()
	n := &models.Notice{UserID: f.actors[applicant].UserID, Kind: "test.notice", DedupKey: fmt.Sprintf("dead:%d", f.seq.Load()),
		Title: "复训提醒", Body: "正文", CreatedAt: now}
	if _, err := f.store.CreateNotice(ctx, n); err != nil {
		f.t.Fatal(err)
	}
	d := models.NoticeDelivery{NoticeID: n.ID, UserID: n.UserID, Channel: models.ChannelEmail, Status: models.DeliveryDead,
		NextAt: now, Attempts: 10, LastError: "无法连接邮件服务器 127.0.0.1:25", CreatedAt: now, UpdatedAt: now}
	if err := f.store.CreateDeliveries(ctx, []models.NoticeDelivery{d}); err != nil {
		f.t.Fatal(err)
	}
	ds, err := f.notes.DeliveryReport(ctx, f.actors[district])
	if err != nil || len(ds.Deliveries) == 0 {
		f.t.Fatalf("no dead delivery: %v", err)
	}
	return ds.Deliveries[0].ID
}

// roleAddr is the client address of a role's requests in the fixture (TEST-NET-2, by role).
func roleAddr(r role) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(r))
	return fmt.Sprintf("198.51.100.%d:1234", 1+h.Sum32()%250)
}

// code delivers what is due and returns the verification code the last text to phone carried.
func (f *fixture) code(phone string) string {
	f.t.Helper()
	if _, err := f.notes.DeliverDue(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	msgs := f.texts.To(phone)
	if len(msgs) == 0 {
		f.t.Fatalf("no text to %s", phone)
	}
	m := codeRE.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		f.t.Fatalf("no code in %q", msgs[len(msgs)-1].Text)
	}
	return m[1]
}

var codeRE = regexp.MustCompile(`验证码为 ([0-9]{6})`)

// freshPhone is a phone number no request has used yet (each gets its own code cooldown).
func (f *fixture) freshPhone() string {
	return fmt.Sprintf("1370000%04d", f.seq.Add(1)%10000)
}

// staff creates a trainer account and returns its id.
func (f *fixture) staff() uint64 {
	f.t.Helper()
	n := f.seq.Add(1)
	u, err := f.acc.CreateStaff(context.Background(), f.actors[district], accounts.StaffInput{
		Username: fmt.Sprintf("staffer%d", n), Password: fixturePassword, Name: "培训员", Role: models.RoleTrainer})
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}
