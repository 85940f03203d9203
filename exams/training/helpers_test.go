package training_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// The calendar of these tests (China time): the opening took applications 2026-06-08 … 06-30;
// the proposals are made on 2026-07-01; the sitting runs 2026-07-10 09:00–11:00.
var (
	startTime  = time.Date(2026, time.June, 10, 10, 0, 0, 0, clock.China)
	afterClose = time.Date(2026, time.July, 1, 9, 0, 0, 0, clock.China)
	opens      = time.Date(2026, time.July, 10, 9, 0, 0, 0, clock.China)
	closes     = time.Date(2026, time.July, 10, 11, 0, 0, 0, clock.China)
)

const password = "Correct-horse-battery-9"

// env is one test's world: a fresh database and the services on a fake clock.
type env struct {
	ctx   context.Context
	store *models.Store
	clock *clock.Fake
	acc   *accounts.Service
	rec   *recruitment.Service
	svc   *training.Service
	jobs  *jobs.Runner

	district, trainer, trainer2, trainer3, townAdmin, otherTownAdmin, applicant models.Actor
	town, otherTown                                                             models.Town
}

// seeded is a deterministic source of "random" bytes for seeds and codes.
type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	fc := clock.NewFake(startTime)
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
	var seed [32]byte
	copy(seed[:], t.Name())
	runner := jobs.New(st, fc, nil)
	e := &env{ctx: ctx, store: st, clock: fc, acc: acc, rec: rec, jobs: runner,
		svc: training.New(st, rec, fc, nil, "https://portal.example", training.WithRandom(seeded{rand.NewChaCha8(seed)}), training.WithJobs(runner))}
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
	e.trainer2 = staff("trainer2", models.RoleTrainer, nil)
	e.trainer3 = staff("trainer3", models.RoleTrainer, nil)
	e.townAdmin = staff("sanxing", models.RoleTownAdmin, &e.town.ID)
	e.otherTownAdmin = staff("haimen", models.RoleTownAdmin, &e.otherTown.ID)
	e.applicant = e.person(t, "旁观者")
	return e
}

func actorOf(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID}
}

var phoneSeq atomic.Int64

// person adds an applicant account (written directly: these tests never sign in).
func (e *env) person(t *testing.T, name string) models.Actor {
	t.Helper()
	u := &models.User{Username: fmt.Sprintf("137%08d", phoneSeq.Add(1)), PasswordHash: "unused",
		Role: models.RoleApplicant, DisplayName: name}
	if err := e.store.CreateUser(e.ctx, u); err != nil {
		t.Fatal(err)
	}
	return actorOf(u)
}

var idSeq atomic.Int64

func idNumber(birth string) string {
	first := "320684" + strings.ReplaceAll(birth, "-", "") + fmt.Sprintf("%03d", idSeq.Add(1)%1000)
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

// proposedHires publishes an opening of 三星镇 with seats for names, has each apply, scores
// them in order and proposes them all; it returns the opening and the candidates by name.
func (e *env) proposedHires(t *testing.T, makeup bool, names ...string) (uint64, map[string]models.Actor) {
	t.Helper()
	e.clock.Set(startTime)
	o, err := e.rec.CreateOpening(e.ctx, e.district, recruitment.OpeningInput{Town: "三星镇", Title: "巡查岗",
		Seats: len(names), OpensAt: "2026-06-08", ClosesAt: "2026-06-30", MakeupAllowed: makeup, PublicityDays: new(int)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.rec.Publish(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	no := false
	people := map[string]models.Actor{}
	var scores []recruitment.ScoreInput
	for i, n := range names {
		full := n
		if len([]rune(n)) < 2 {
			full = "考生" + n // a name has at least two characters
		}
		who := e.person(t, full)
		people[n] = who
		f := recruitment.ApplicationForm{Name: full, IDNumber: idNumber("1995-05-05"), Education: "high_school", Major: "法学",
			AcceptsConditions: true, Healthy: true, UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
			Profile: recruitment.DemoProfile(i, screening.Date{Year: 1995, Month: 5, Day: 5}, screening.Date{Year: 2026, Month: 6, Day: 1}, "high_school")}
		v, err := e.rec.Apply(e.ctx, who, o.ID, f, map[string][]byte{recruitment.FilePhoto: photo(), recruitment.FileDiploma: photo()})
		if err != nil {
			t.Fatalf("apply %s: %v", n, err)
		}
		if _, err := e.rec.SanitizeQueued(e.ctx, "test-worker"); err != nil {
			t.Fatal(err)
		}
		scores = append(scores, recruitment.ScoreInput{ApplicationID: v.ID, Score: fmt.Sprint(90 - i)})
	}
	e.clock.Set(afterClose)
	if err := e.rec.SetScores(e.ctx, e.district, o.ID, scores); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rec.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	return o.ID, people
}

// demoBank loads the demo bank into the bank as a trainer.
func (e *env) demoBank(t *testing.T) {
	t.Helper()
	for _, q := range exams.DemoBank() {
		if _, err := e.svc.CreateQuestion(e.ctx, e.trainer, q); err != nil {
			t.Fatalf("CreateQuestion: %v", err)
		}
	}
}

// smallBlueprint is a 6-question paper of the demo bank: 2 single, 1 multiple, 1 true/false,
// 1 fill-in, 1 short answer; 30 minutes; pass mark 60 of 100.
func smallBlueprint() exams.Blueprint {
	return exams.Blueprint{Title: "测试试卷", DurationMinutes: 30, PassMark: 6000, Multi: exams.Partial,
		ShuffleQuestions: true, ShuffleOptions: true, ThirdMarkGap: 500,
		Cells: []exams.Cell{
			{Category: exams.Law, Type: exams.Single, Count: 2, Points: 1000},
			{Category: exams.Skills, Type: exams.Multiple, Count: 1, Points: 2000},
			{Category: exams.Discipline, Type: exams.TrueFalse, Count: 1, Points: 1000},
			{Category: exams.Ethics, Type: exams.Fill, Count: 1, Points: 2000},
			{Category: exams.Skills, Type: exams.Short, Count: 1, Points: 3000},
		}}
}

// sitting schedules the small blueprint for the opening's proposed hires, 09:00–11:00 on 10 July.
func (e *env) sitting(t *testing.T, openingIDs ...uint64) *training.SittingView {
	t.Helper()
	bp, err := e.svc.CreateBlueprint(e.ctx, e.trainer, training.BlueprintInput{Name: "测试方案", Spec: smallBlueprint()})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.ScheduleSitting(e.ctx, e.trainer, training.SittingInput{Title: "2026年第一期岗前培训考试",
		BlueprintID: bp.ID, Opens: "2026-07-10T09:00", Closes: "2026-07-10T11:00", Venue: "区城管局三楼考场",
		OpeningIDs: openingIDs, ShowPaper: true})
	if err != nil {
		t.Fatalf("ScheduleSitting: %v", err)
	}
	return v
}

// candidateOf is the candidacy id of a person in a sitting.
func (e *env) candidateOf(t *testing.T, who models.Actor) uint64 {
	t.Helper()
	mine, err := e.svc.MyExams(e.ctx, who)
	if err != nil || len(mine) == 0 {
		t.Fatalf("MyExams of %s: %v %v", who.Name, mine, err)
	}
	return mine[0].CandidateID
}

// paper is a candidate's sealed paper with keys, for a test to answer it.
func (e *env) paper(t *testing.T, candidateID uint64) exams.Paper {
	t.Helper()
	c, err := e.store.CandidateByID(e.ctx, candidateID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rightAnswer is the key of an item as an answer; wrongAnswer a wrong one.
func rightAnswer(it exams.Item) exams.Answer {
	switch it.Type {
	case exams.Single, exams.Multiple:
		return exams.Answer{Choices: it.Correct}
	case exams.TrueFalse:
		return exams.Answer{Truth: it.Truth}
	case exams.Fill:
		bs := make([]string, len(it.Blanks))
		for i, b := range it.Blanks {
			bs[i] = b.Accepted[0]
		}
		return exams.Answer{Blanks: bs}
	}
	return exams.Answer{Text: "答：" + it.Reference}
}

func wrongAnswer(it exams.Item) exams.Answer {
	switch it.Type {
	case exams.Single, exams.Multiple:
		for _, o := range it.Options {
			if !contains(it.Correct, o.Key) {
				return exams.Answer{Choices: []string{o.Key}}
			}
		}
	case exams.TrueFalse:
		v := !*it.Truth
		return exams.Answer{Truth: &v}
	case exams.Fill:
		return exams.Answer{Blanks: []string{"不知道"}}
	}
	return exams.Answer{Text: "不会"}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// answerAll saves answers to every item (right or wrong) with increasing sequence numbers.
func (e *env) answerAll(t *testing.T, who models.Actor, cid uint64, right bool) {
	t.Helper()
	var saves []training.SaveInput
	for i, it := range e.paper(t, cid).Items() {
		a := wrongAnswer(it)
		if right {
			a = rightAnswer(it)
		}
		saves = append(saves, training.SaveInput{No: it.No, Seq: int64(i + 1), Answer: a})
	}
	r, err := e.svc.Save(e.ctx, who, cid, saves)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.Results {
		if x.Outcome != exams.SaveAccepted {
			t.Fatalf("save %d: %s", x.No, x.Outcome)
		}
	}
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v (%T), want %v", err, err, kind)
	}
}

func wantCode(t *testing.T, err, kind error, code string) *models.Error {
	t.Helper()
	wantKind(t, err, kind)
	me, ok := models.AsError(err)
	if !ok || me.Code != code {
		t.Fatalf("err = %#v, want code %q", err, code)
	}
	return me
}
