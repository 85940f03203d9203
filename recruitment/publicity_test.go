package recruitment_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/notices"
	"auxportal/recruitment"
)

// after is an opening past its deadline with four scored candidates (90, 85, 80, 75) and two
// seats, proposed on 2026-07-01 (a Wednesday): 甲 and 乙 are proposed, 丙 and 丁 wait.
type after struct {
	o   *recruitment.OpeningView
	ids map[string]uint64
	who map[string]uint64 // user ids
}

func (e *env) afterRanking(t *testing.T, mod func(*recruitment.OpeningInput)) after {
	t.Helper()
	e.svc.SetNotices(notices.New(e.store, e.clock, nil))
	o := e.published(t, func(in *recruitment.OpeningInput) {
		in.Seats = 2
		in.SupervisionPhone, in.SupervisionAddress = "0513-82100000", "海门区城市管理局人事科"
		if mod != nil {
			mod(in)
		}
	})
	a := after{o: o, ids: map[string]uint64{}, who: map[string]uint64{}}
	scores := map[uint64]string{}
	for i, name := range []string{"考生甲", "考生乙", "考生丙", "考生丁"} {
		who := e.candidate(t, name)
		f := form(t)
		f.Name = name
		id := e.apply(t, who, o.ID, f).ID
		a.ids[name], a.who[name] = id, who.UserID
		scores[id] = []string{"90", "85", "80", "75"}[i]
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, scores)
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *env) status(t *testing.T, id uint64) string { t.Helper(); return e.row(t, id).Status }

// final reports which of the opening's proposals may sit the training now.
func (e *env) final(t *testing.T, openingID uint64) map[uint64]bool {
	t.Helper()
	o, err := e.store.OpeningByID(e.ctx, openingID)
	if err != nil {
		t.Fatal(err)
	}
	apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &openingID, Statuses: []string{models.AppProposed}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.svc.FinalProposals(e.ctx, e.store, o, apps)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The 公示期 is 5 working days from the day it starts, skipping weekends and the holidays the
// district entered, and ends at midnight China time: a proposal is final only from the next day.
func TestPublicity_T1_PeriodInWorkingDaysOnChinaClock(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, nil)
	// An invented holiday on Thursday and Friday, to see it skipped.
	if _, err := e.svc.SetCalendar(e.ctx, e.district, 2026, recruitment.CalendarInput{Holidays: "2026-07-02 至 2026-07-03 测试假日"}); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.StartPublicity(e.ctx, e.townAdmin, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday 1, Monday 6, Tuesday 7, Wednesday 8, Thursday 9 July.
	if len(v.Publicities) != 1 || v.Publicities[0].StartsOn != "2026-07-01" || v.Publicities[0].EndsOn != "2026-07-09" || !v.Publicities[0].Running {
		t.Fatalf("publicity %+v", v.Publicities)
	}
	if n := len(e.audit(t, "publicity.start")); n != 1 {
		t.Errorf("%d publicity.start audit entries", n)
	}
	for _, at := range []time.Time{chinaTime(2026, time.July, 1, 9, 0), chinaTime(2026, time.July, 9, 23, 59)} {
		e.clock.Set(at)
		if f := e.final(t, a.o.ID); f[a.ids["考生甲"]] || f[a.ids["考生乙"]] {
			t.Fatalf("final at %v, before the 公示 ended", at)
		}
	}
	// 2026-07-09 16:00 UTC is midnight in China: the period is over there.
	e.clock.Set(time.Date(2026, time.July, 9, 16, 0, 0, 0, time.UTC))
	if f := e.final(t, a.o.ID); !f[a.ids["考生甲"]] || !f[a.ids["考生乙"]] {
		t.Fatalf("not final after the 公示 ended: %v", f)
	}
	// The applicant was told, on the timeline and in a notice.
	av, err := e.svc.ApplicationFor(e.ctx, actorWithID(a.who["考生甲"]), a.ids["考生甲"])
	if err != nil {
		t.Fatal(err)
	}
	if !hasStep(av.Timeline, "公示", "2026-07-01 至 2026-07-09") {
		t.Errorf("timeline %+v", av.Timeline)
	}
	ns, err := e.store.ListNotices(e.ctx, a.who["考生甲"], 0, 10)
	if err != nil || len(ns) != 1 || !strings.Contains(ns[0].Body, "2026年7月9日") {
		t.Errorf("notices %+v %v", ns, err)
	}
	// Nothing left to publish: a second start is refused.
	_, err = e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	wantCode(t, err, models.ErrConflict, "nobody_to_publish")
}

func actorWithID(id uint64) models.Actor { return models.Actor{UserID: id, Role: models.RoleApplicant} }

func hasStep(steps []recruitment.TimelineStep, label, note string) bool {
	for _, s := range steps {
		if s.Label == label && strings.Contains(s.Note, note) {
			return true
		}
	}
	return false
}

// The public page shows masked names and ranks, the period and the supervision contacts, and
// nothing else of the people.
func TestPublicity_PublicPageMasksNames(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, nil)
	_, err := e.svc.PublicPublicity(e.ctx, a.o.ID)
	wantKind(t, err, models.ErrNotFound) // nothing before the 公示 starts
	if _, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.PublicPublicity(e.ctx, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := p.Publicities[0]
	if len(n.Rows) != 2 || n.Rows[0] != (recruitment.PublicRow{Rank: 1, Name: "考*甲"}) || n.Rows[1].Name != "考*乙" ||
		n.Phone != "0513-82100000" || n.Period != "2026年7月1日至2026年7月7日" {
		t.Fatalf("public page %+v", n)
	}
	b, _ := json.Marshal(p)
	row := e.row(t, a.ids["考生甲"])
	for _, leak := range []string{"考生甲", row.IDMasked, row.IDMasked[:6], row.Phone} {
		if leak != "" && strings.Contains(string(b), leak) {
			t.Errorf("public page shows %q: %s", leak, b)
		}
	}
}

// An objection received in the 公示期 holds the proposal until it is decided; upheld, the
// proposal is cancelled, the seat goes to the next ranked (递补) and the applicant is told;
// not upheld, the proposal stands.
func TestPublicity_ObjectionUpheldFreesSeatNotUpheldKeeps(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, nil)
	if _, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(chinaTime(2026, time.July, 3, 10, 0))
	for _, name := range []string{"考生甲", "考生乙"} {
		if _, err := e.svc.RecordObjection(e.ctx, e.townAdmin, a.ids[name], recruitment.ObjectionInput{
			Objector: "匿名", Content: "反映其曾受处分", ReceivedOn: "2026-07-02"}); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set(chinaTime(2026, time.July, 8, 9, 0)) // the 公示 has ended
	if f := e.final(t, a.o.ID); f[a.ids["考生甲"]] || f[a.ids["考生乙"]] {
		t.Fatalf("final with an undecided objection: %v", f)
	}
	v, err := e.svc.AfterRanking(e.ctx, e.district, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	objOf := map[string]uint64{}
	for _, r := range v.Publicities[0].Rows {
		objOf[r.Name] = r.Objections[0].ID
	}
	if _, err := e.svc.DecideObjection(e.ctx, e.district, objOf["考生甲"], recruitment.ObjectionDecision{
		Outcome: models.ObjectionNotUpheld, Reason: "经查无此事"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DecideObjection(e.ctx, e.district, objOf["考生乙"], recruitment.ObjectionDecision{
		Outcome: models.ObjectionUpheld, Reason: "经查属实：处分期未满"}); err != nil {
		t.Fatal(err)
	}
	if s := e.status(t, a.ids["考生甲"]); s != models.AppProposed {
		t.Errorf("甲 is %s after an objection not upheld", s)
	}
	if s := e.status(t, a.ids["考生乙"]); s != models.AppCancelled {
		t.Errorf("乙 is %s after an upheld objection", s)
	}
	if s := e.status(t, a.ids["考生丙"]); s != models.AppProposed {
		t.Errorf("丙 is %s: the freed seat was not filled", s)
	}
	f := e.final(t, a.o.ID)
	if !f[a.ids["考生甲"]] || f[a.ids["考生丙"]] {
		t.Errorf("final %v: 甲 should be, 丙 (new, not yet in a 公示) not", f)
	}
	// Decided once: a second decision is refused.
	_, err = e.svc.DecideObjection(e.ctx, e.district, objOf["考生甲"], recruitment.ObjectionDecision{Outcome: models.ObjectionUpheld, Reason: "x"})
	wantCode(t, err, models.ErrConflict, "already_decided")
	if len(e.audit(t, "objection.upheld")) != 1 || len(e.audit(t, "objection.not_upheld")) != 1 || len(e.audit(t, "objection.record")) != 2 {
		t.Error("objection decisions not audited")
	}
	av, err := e.svc.ApplicationFor(e.ctx, actorWithID(a.who["考生乙"]), a.ids["考生乙"])
	if err != nil {
		t.Fatal(err)
	}
	if last := av.Timeline[len(av.Timeline)-1]; last.Label != "公示" || last.State != "failed" {
		t.Errorf("the cancelled applicant's timeline %+v", av.Timeline)
	}
	if r := av.Results; r == nil || r.Rank != 2 || r.Of != 4 {
		t.Errorf("the cancelled applicant's 成绩查询 %+v: the rank proposed at stays", r)
	}
	if !strings.Contains(av.Events[len(av.Events)-1].Message, "处分期未满") {
		t.Errorf("events %+v", av.Events)
	}
	// 丙's own 公示.
	v, err = e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Publicities) != 2 || v.Publicities[1].StartsOn != "2026-07-08" || len(v.Publicities[1].Rows) != 1 {
		t.Errorf("the 递补's 公示 %+v", v.Publicities)
	}
}

func TestPublicity_ObjectionRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, nil)
	id := a.ids["考生甲"]
	_, err := e.svc.RecordObjection(e.ctx, e.district, id, recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-07-01"})
	wantCode(t, err, models.ErrConflict, "not_in_publicity")
	if _, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(chinaTime(2026, time.July, 3, 10, 0))
	for _, tc := range []struct {
		name  string
		in    recruitment.ObjectionInput
		field string
	}{
		{"no objector", recruitment.ObjectionInput{Content: "x", ReceivedOn: "2026-07-02"}, "objector"},
		{"no content", recruitment.ObjectionInput{Objector: "匿名", ReceivedOn: "2026-07-02"}, "content"},
		{"no date", recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "7月2日"}, "received_on"},
		{"before the 公示", recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-06-30"}, "received_on"},
		{"in the future", recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-07-06"}, "received_on"},
		{"content too long", recruitment.ObjectionInput{Objector: "匿名", Content: strings.Repeat("长", 1001), ReceivedOn: "2026-07-02"}, "content"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.RecordObjection(e.ctx, e.district, id, tc.in)
			if me := wantField(t, err, tc.field); !strings.ContainsAny(me.Fields[tc.field], "请须能") {
				t.Errorf("message %q", me.Fields[tc.field])
			}
		})
	}
	// Another town's admin does not see the application; an applicant may not record.
	_, err = e.svc.RecordObjection(e.ctx, e.otherTownAdmin, id, recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-07-02"})
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.RecordObjection(e.ctx, e.applicant, id, recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-07-02"})
	wantKind(t, err, models.ErrForbidden)
	_, err = e.svc.DecideObjection(e.ctx, e.district, 999, recruitment.ObjectionDecision{Outcome: "maybe", Reason: "x"})
	wantKind(t, err, models.ErrNotFound)
	if n := len(e.audit(t, "objection.record")); n != 0 {
		t.Errorf("%d objections recorded from bad input", n)
	}
}

// Rule A2-5: with a 体检 (and a 考察) enabled, a proposal goes to the 公示 only once both passed;
// a failure cancels it and frees the seat for 递补.
func TestSteps_A2_5_FailureFreesSeatPassLeadsToPublicity(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.MedicalCheck, in.Vetting = true, true })
	_, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	wantCode(t, err, models.ErrConflict, "steps_pending")
	step := func(name, step, result, note string) {
		t.Helper()
		if _, err := e.svc.RecordStep(e.ctx, e.townAdmin, a.ids[name], recruitment.StepInput{Step: step, Result: result, On: "2026-07-01", Note: note}); err != nil {
			t.Fatalf("%s %s: %v", name, step, err)
		}
	}
	step("考生甲", recruitment.StepMedical, models.StepPass, "")
	step("考生乙", recruitment.StepMedical, models.StepFail, "血压不符合标准")
	if s := e.status(t, a.ids["考生乙"]); s != models.AppCancelled {
		t.Fatalf("乙 is %s after failing the 体检", s)
	}
	if s := e.status(t, a.ids["考生丙"]); s != models.AppProposed {
		t.Fatalf("丙 is %s: the seat was not filled", s)
	}
	_, err = e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	wantCode(t, err, models.ErrConflict, "steps_pending") // 甲 waits for the 考察, 丙 for both
	step("考生甲", recruitment.StepVetting, models.StepPass, "考察合格")
	v, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rows := v.Publicities[0].Rows; len(rows) != 1 || rows[0].ApplicationID != a.ids["考生甲"] {
		t.Errorf("publicity rows %+v", rows)
	}
	if len(e.audit(t, "application.medical_fail")) != 1 || len(e.audit(t, "application.vetting_pass")) != 1 {
		t.Error("steps not audited")
	}
	ns, err := e.store.ListNotices(e.ctx, a.who["考生乙"], 0, 10)
	if err != nil || len(ns) != 1 || !strings.Contains(ns[0].Body, "血压不符合标准") {
		t.Errorf("the notice of the failed 体检: %+v %v", ns, err)
	}
	av, err := e.svc.ApplicationFor(e.ctx, actorWithID(a.who["考生乙"]), a.ids["考生乙"])
	if err != nil {
		t.Fatal(err)
	}
	if last := av.Timeline[len(av.Timeline)-1]; last.Label != "体检" || last.State != "failed" {
		t.Errorf("timeline %+v", av.Timeline)
	}
	// Once steps are recorded, the steps and period are fixed; the phone may still change.
	_, err = e.svc.SetAfterRanking(e.ctx, e.district, a.o.ID, recruitment.AfterRankingInput{PublicityDays: 5})
	wantCode(t, err, models.ErrConflict, "steps_started")
	if _, err := e.svc.SetAfterRanking(e.ctx, e.district, a.o.ID, recruitment.AfterRankingInput{PublicityDays: 5, MedicalCheck: true, Vetting: true,
		SupervisionPhone: "0513-82100001", SupervisionAddress: "新地址"}); err != nil {
		t.Fatal(err)
	}
}

func TestSteps_RefuseBadInput(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.MedicalCheck = true })
	id := a.ids["考生甲"]
	for _, tc := range []struct {
		name  string
		in    recruitment.StepInput
		field string
	}{
		{"no step", recruitment.StepInput{Result: models.StepPass, On: "2026-07-01"}, "step"},
		{"no result", recruitment.StepInput{Step: recruitment.StepMedical, On: "2026-07-01"}, "result"},
		{"no date", recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass}, "on"},
		{"in the future", recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass, On: "2026-07-02"}, "on"},
		{"before the proposal", recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass, On: "2026-06-30"}, "on"},
		{"a failure without a reason", recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepFail, On: "2026-07-01"}, "note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.RecordStep(e.ctx, e.district, id, tc.in)
			wantField(t, err, tc.field)
		})
	}
	_, err := e.svc.RecordStep(e.ctx, e.district, id, recruitment.StepInput{Step: recruitment.StepVetting, Result: models.StepPass, On: "2026-07-01"})
	wantCode(t, err, models.ErrConflict, "step_off")
	_, err = e.svc.RecordStep(e.ctx, e.district, a.ids["考生丁"], recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass, On: "2026-07-01"})
	wantCode(t, err, models.ErrConflict, "not_proposed")
	if e.row(t, id).MedicalResult != "" || e.status(t, id) != models.AppProposed {
		t.Fatal("a refused step was stored")
	}
	for _, bad := range []recruitment.AfterRankingInput{{PublicityDays: 31}, {PublicityDays: -1}, {PublicityDays: 5, SupervisionPhone: "电话"},
		{PublicityDays: 5, SupervisionAddress: "<script>"}} {
		_, err := e.svc.SetAfterRanking(e.ctx, e.district, a.o.ID, bad)
		wantKind(t, err, models.ErrInvalid)
	}
}

// A 公示 cannot start without the supervision contacts, nor on an opening without one.
func TestPublicity_NeedsSupervisionContacts(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.SupervisionPhone = "" })
	_, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID)
	wantCode(t, err, models.ErrConflict, "no_supervision")
	t.Run("no publicity", func(t *testing.T) {
		e := newEnv(t)
		b := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.PublicityDays = new(int) })
		_, err := e.svc.StartPublicity(e.ctx, e.district, b.o.ID)
		wantCode(t, err, models.ErrConflict, "no_publicity")
		// Without a 公示 in the portal the proposals are final at once (as before it existed).
		if f := e.final(t, b.o.ID); !f[b.ids["考生甲"]] {
			t.Errorf("final %v", f)
		}
	})
}

// Two admins deciding one objection at once: one decision stands. Two steps failing at once on
// one opening: each freed seat goes to a different candidate, never one candidate twice and
// never more proposals than seats.
func TestPublicity_ConcurrentDecisionsAndFailures(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.MedicalCheck = true })
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, name := range []string{"考生甲", "考生乙"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.RecordStep(e.ctx, e.district, a.ids[name], recruitment.StepInput{Step: recruitment.StepMedical,
				Result: models.StepFail, On: "2026-07-01", Note: "不合格"})
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("concurrent failures: %v", errs)
	}
	if e.status(t, a.ids["考生丙"]) != models.AppProposed || e.status(t, a.ids["考生丁"]) != models.AppProposed {
		t.Fatalf("丙 %s, 丁 %s: both freed seats should be filled", e.status(t, a.ids["考生丙"]), e.status(t, a.ids["考生丁"]))
	}
	if n := len(e.audit(t, "application.replace")); n != 2 {
		t.Errorf("%d replacements, want 2", n)
	}
	for _, name := range []string{"考生丙", "考生丁"} {
		if _, err := e.svc.RecordStep(e.ctx, e.district, a.ids[name], recruitment.StepInput{Step: recruitment.StepMedical,
			Result: models.StepPass, On: "2026-07-01"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordObjection(e.ctx, e.district, a.ids["考生丙"], recruitment.ObjectionInput{Objector: "匿名", Content: "x", ReceivedOn: "2026-07-01"}); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.AfterRanking(e.ctx, e.district, a.o.ID)
	if err != nil {
		t.Fatal(err)
	}
	var obj uint64
	for _, r := range v.Publicities[0].Rows {
		if len(r.Objections) > 0 {
			obj = r.Objections[0].ID
		}
	}
	outcomes := []string{models.ObjectionUpheld, models.ObjectionNotUpheld}
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.DecideObjection(e.ctx, e.district, obj, recruitment.ObjectionDecision{Outcome: outcomes[i], Reason: "核查"})
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("both or neither decision stood: %v", errs)
	}
	upheld := errs[0] == nil
	if got := e.status(t, a.ids["考生丙"]); (got == models.AppCancelled) != upheld {
		t.Errorf("丙 is %s, upheld %v", got, upheld)
	}
}

// Reopening scoring withdraws proposals and everything after ranking with them: a new proposal
// goes through the steps and a 公示 again.
func TestPublicity_R1_ReopenScoringClearsSteps(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, func(in *recruitment.OpeningInput) { in.MedicalCheck = true })
	if _, err := e.svc.RecordStep(e.ctx, e.district, a.ids["考生甲"], recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass, On: "2026-07-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ReopenScoring(e.ctx, e.district, a.o.ID, "成绩录入有误"); err != nil {
		t.Fatal(err)
	}
	if r := e.row(t, a.ids["考生甲"]); r.Status != models.AppEligible || r.MedicalResult != "" || r.PublicityID != nil {
		t.Errorf("after reopening: %s %q %v", r.Status, r.MedicalResult, r.PublicityID)
	}
}

// 成绩查询: the score, the rank and the pass mark appear once results are released (the
// proposals), not before.
func TestResults_ShownOnceReleased(t *testing.T) {
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats, in.PassMark = 1, "60" })
	ids := map[string]uint64{}
	users := map[string]models.Actor{}
	for _, name := range []string{"考生甲", "考生乙"} {
		who := e.candidate(t, name)
		f := form(t)
		f.Name = name
		ids[name], users[name] = e.apply(t, who, o.ID, f).ID, who
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "88", ids["考生乙"]: "55"})
	v, err := e.svc.ApplicationFor(e.ctx, users["考生乙"], ids["考生乙"])
	if err != nil || v.Results != nil || v.Score != "" {
		t.Fatalf("before the release: %+v %q %v", v.Results, v.Score, err)
	}
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	v, err = e.svc.ApplicationFor(e.ctx, users["考生乙"], ids["考生乙"])
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Results; r == nil || r.Score != "55.00" || r.Rank != 2 || r.PassMark != "60.00" || r.Passed {
		t.Fatalf("results %+v", r)
	}
	if v.Timeline[3].Label != "排名" || !strings.Contains(v.Timeline[3].Note, "合格分数线 60.00（未达到）") {
		t.Errorf("timeline %+v", v.Timeline)
	}
}

// An objection is recorded while the 公示 runs: once it has ended the proposal is final (it may
// be scheduled for the training and hired), and a back-dated objection would leave it with an
// undecided objection nobody can decide any more (DecideObjection needs a proposal).
func TestPublicity_ObjectionAfterPeriodRefused(t *testing.T) {
	e := newEnv(t)
	a := e.afterRanking(t, nil)
	id := a.ids["考生甲"]
	if _, err := e.svc.StartPublicity(e.ctx, e.district, a.o.ID); err != nil {
		t.Fatal(err)
	}
	// Wednesday 1 to Tuesday 7 July; on Wednesday 8 in China it is over.
	e.clock.Set(chinaTime(2026, time.July, 8, 10, 0))
	if f := e.final(t, a.o.ID); !f[id] {
		t.Fatalf("not final after the 公示: %v", f)
	}
	canObject := func() bool {
		t.Helper()
		v, err := e.svc.AfterRanking(e.ctx, e.district, a.o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range v.Publicities {
			for _, r := range p.Rows {
				if r.ApplicationID == id {
					return r.CanObject
				}
			}
		}
		t.Fatal("no row in the 公示")
		return false
	}
	if canObject() {
		t.Error("the page offers to record an objection after the 公示")
	}
	_, err := e.svc.RecordObjection(e.ctx, e.district, id, recruitment.ObjectionInput{Objector: "匿名", Content: "迟到的信", ReceivedOn: "2026-07-07"})
	wantCode(t, err, models.ErrConflict, "publicity_ended")
	if f := e.final(t, a.o.ID); !f[id] {
		t.Errorf("a back-dated objection took a final proposal back: %v", f)
	}
	// On the last day it is still taken.
	e.clock.Set(chinaTime(2026, time.July, 7, 23, 0))
	if !canObject() {
		t.Error("the page does not offer to record an objection during the 公示")
	}
	if _, err := e.svc.RecordObjection(e.ctx, e.district, id, recruitment.ObjectionInput{Objector: "匿名", Content: "来信", ReceivedOn: "2026-07-07"}); err != nil {
		t.Fatal(err)
	}
}
