package handlers

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/certificates/permits"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
)

// route is one request in the authorization matrix. prep runs once per role on the shared
// fixture and returns the request, so a state-changing request acts on its own fresh object.
type route struct {
	name string
	prep func(f *fixture, r role) (method, path string, body any)
	want map[role]int
}

func fixed(method, path string, body any) func(*fixture, role) (string, string, any) {
	return func(*fixture, role) (string, string, any) { return method, path, body }
}

// statuses fills a role→status map from a default and exceptions.
func statuses(def int, except map[role]int) map[role]int {
	m := map[role]int{}
	for _, r := range allRoles {
		m[r] = def
	}
	for r, s := range except {
		m[r] = s
	}
	return m
}

const (
	ok     = http.StatusOK
	made   = http.StatusCreated
	see    = http.StatusSeeOther
	unauth = http.StatusUnauthorized
	forb   = http.StatusForbidden
	nf     = http.StatusNotFound
	confl  = http.StatusConflict
)

// adminOfTown: the usual shape for an object of 三星镇 (the fixture's town).
func adminOfTown(allowed int) map[role]int {
	return statuses(forb, map[role]int{anon: unauth, otherTown: nf, ownTown: allowed, district: allowed})
}

// TestAuthorizationMatrix_M1 walks every API route (and the main pages) with every role and
// asserts who may do what: anonymous, applicant, another applicant, trainer, the town admin of
// another town, the town's own admin and the district admin.
func TestAuthorizationMatrix_M1(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	appID := f.apply(applicant, f.opening, eligibleForm(f.idNumber("1995-03-04")))
	app, err := f.rec.AdminApplication(ctx, f.actors[district], appID)
	if err != nil {
		t.Fatal(err)
	}
	photo := app.Files[0].ID
	draft := f.newOpening(f.town.ID, false)
	users := 0
	pa := f.permitApplicants()
	pp := f.publicityApplicants()
	ex := f.examFixture()
	pf := f.permitFixture(pa)
	pub := f.publicityFixture(pp)
	pubAPI := fmt.Sprintf("/api/v1/openings/%d", pub.opening)
	pubApp := pub.apps[0]
	adminPage := statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})
	adminPost := func(allowed int) map[role]int {
		return statuses(forb, map[role]int{anon: unauth, otherTown: nf, ownTown: allowed, district: allowed})
	}
	objectionBody := recruitment.ObjectionInput{Objector: "匿名", Content: "反映的问题", ReceivedOn: "2026-06-11"}
	// A short answer written, so that marking (and so the publication) waits for a marker: a
	// blank one would score 0 by itself.
	if c, err := f.store.CandidateByID(ctx, ex.candidate); err == nil {
		p, _ := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
		for _, it := range p.Items() {
			if it.Type == exams.Short {
				if _, err := f.exams.Save(ctx, f.actors[applicant], ex.candidate, []training.SaveInput{{No: it.No, Seq: 100,
					Answer: exams.Answer{Text: "先劝导，再报告执法人员。"}}}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
	}
	// A photo received with a form not filed yet (the confirmation step): its own account only.
	if err := f.rec.StageFiles(ctx, f.actors[applicant], f.opening, map[string][]byte{"photo": testJPEG(60, 80)}); err != nil {
		t.Fatal(err)
	}
	staged, err := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening)
	if err != nil || len(staged) != 1 {
		t.Fatalf("staged %v, %v", staged, err)
	}
	questions := 0
	printJob, err := f.permits.Print(ctx, f.actors[district], permits.PrintInput{TownID: f.town.ID, Format: "pdf"})
	if err != nil {
		t.Fatal(err)
	}
	permit := fmt.Sprintf("/api/v1/permits/%d", pf.viewed)
	job := fmt.Sprintf("/api/v1/jobs/%d", printJob.ID)
	issued := 0
	staffSee := statuses(forb, map[role]int{anon: unauth, trainer: ok, district: ok, ownTown: ok, otherTown: ok})
	holderOrStaff := statuses(nf, map[role]int{anon: unauth, applicant: ok, trainer: ok, district: ok, ownTown: ok})
	exam := fmt.Sprintf("/api/v1/exams/%d", ex.candidate)
	sit := fmt.Sprintf("/api/v1/sittings/%d", ex.sitting)
	runners := func(allowed int) map[role]int { // trainers and the district run the exams
		return statuses(forb, map[role]int{anon: unauth, trainer: allowed, district: allowed})
	}
	mineOnly := statuses(nf, map[role]int{anon: unauth, applicant: ok})
	live, err := f.exams.Live(ctx, f.actors[trainer], ex.sitting)
	if err != nil || len(live.Rows) != 1 {
		t.Fatalf("live: %v %v", live, err)
	}
	ticket := live.Rows[0].TicketNo
	// The trainers' pages: anonymous visitors are sent to the login page (GET) or told to sign
	// in (POST); applicants may not; trainers and the district run the exams; a town admin
	// watches their own town's candidates.
	runPages := func(allowed int) map[role]int {
		return statuses(forb, map[role]int{anon: see, trainer: allowed, district: allowed})
	}
	runPosts := func(allowed int) map[role]int {
		return statuses(forb, map[role]int{anon: unauth, trainer: allowed, district: allowed})
	}
	watchPages := statuses(forb, map[role]int{anon: see, trainer: ok, district: ok, ownTown: ok, otherTown: nf})
	tp := fmt.Sprintf("/trainer/sittings/%d", ex.sitting)
	bad := http.StatusBadRequest
	// running is a request made while the attempt runs: the other routes move the clock on
	// (every application is seven minutes later) and an attempt past its deadline is handed in
	// the moment anyone looks at it.
	running := func(method, path string, body any) func(*fixture, role) (string, string, any) {
		return func(f *fixture, _ role) (string, string, any) {
			f.clock.Set(time.Date(2026, 6, 11, 2, 5, 0, 0, time.UTC)) // 10:05, five minutes in
			return method, path, body
		}
	}

	routes := []route{
		{"public openings", fixed("GET", "/api/v1/openings", nil), statuses(ok, nil)},
		{"public opening", fixed("GET", fmt.Sprintf("/api/v1/openings/%d", f.opening), nil), statuses(ok, nil)},
		{"draft is not public", fixed("GET", fmt.Sprintf("/api/v1/openings/%d", draft), nil), statuses(nf, nil)},
		{"towns", fixed("GET", "/api/v1/towns", nil), statuses(ok, nil)},
		{"eligibility", fixed("POST", fmt.Sprintf("/api/v1/openings/%d/eligibility", f.opening), eligibleForm(f.idNumber("1990-01-01"))), statuses(ok, nil)},
		{"me", fixed("GET", "/api/v1/me", nil), statuses(ok, map[role]int{anon: unauth})},
		{"my applications", fixed("GET", "/api/v1/me/applications", nil), statuses(ok, map[role]int{anon: unauth})},
		{"application", fixed("GET", fmt.Sprintf("/api/v1/applications/%d", appID), nil),
			statuses(nf, map[role]int{anon: unauth, applicant: ok, ownTown: ok, district: ok})},
		{"apply", func(f *fixture, r role) (string, string, any) {
			o := f.newOpening(f.town.ID, true)
			f.clock.Advance(7 * time.Minute)
			return "POST", fmt.Sprintf("/api/v1/openings/%d/applications", o), multipartForm(t, withProfile(map[string]string{
				"name": "赵六", "id_number": f.idNumber("1996-05-06"), "education": "bachelor", "major": "法学",
				"accepts_conditions": "true", "healthy": "true",
				"under_discipline": "false", "criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false"}), map[string][]byte{"photo": testJPEG(50, 60), "diploma": testJPEG(60, 50)})
		}, statuses(forb, map[role]int{anon: unauth, applicant: made, otherApplicant: made})},
		{"withdraw", func(f *fixture, r role) (string, string, any) {
			o := f.newOpening(f.town.ID, true)
			id := f.apply(applicant, o, eligibleForm(f.idNumber("1993-07-08")))
			return "POST", fmt.Sprintf("/api/v1/applications/%d/withdraw", id), nil
		}, statuses(nf, map[role]int{anon: unauth, applicant: ok})},
		{"dashboard", fixed("GET", "/api/v1/dashboard", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"existing staff", fixed("PUT", fmt.Sprintf("/api/v1/towns/%d/existing-staff", f.town.ID),
			existingStaffRequest{ExistingStaff: 90, Reason: "年初核定"}), statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"base conditions", fixed("GET", "/api/v1/base-conditions", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"set base conditions", fixed("PUT", "/api/v1/base-conditions", baseConditionsRequest{Reason: "复核"}),
			statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"admin openings", fixed("GET", "/api/v1/admin/openings", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"create opening", fixed("POST", "/api/v1/openings", recruitment.OpeningInput{Town: "三星镇", Title: "巡查岗", Seats: 1,
			OpensAt: "2026-06-08", ClosesAt: "2026-06-30"}), statuses(forb, map[role]int{anon: unauth, ownTown: made, district: made})},
		{"admin opening", fixed("GET", fmt.Sprintf("/api/v1/admin/openings/%d", f.opening), nil), adminOfTown(ok)},
		{"update draft", func(f *fixture, r role) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/openings/%d", f.newOpening(f.town.ID, false)),
				recruitment.OpeningInput{TownID: f.town.ID, Title: "巡查岗（修改）", Seats: 3, OpensAt: "2026-06-08", ClosesAt: "2026-06-30"}
		}, adminOfTown(ok)},
		{"publish", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/openings/%d/publish", f.newOpening(f.town.ID, false)), nil
		}, adminOfTown(ok)},
		{"extend", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/openings/%d/extend", f.newOpening(f.town.ID, true)),
				extendRequest{ClosesAt: "2026-07-15", Reason: "报名人数不足"}
		}, adminOfTown(ok)},
		{"opening applications", fixed("GET", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), nil), adminOfTown(ok)},
		{"admin application", fixed("GET", fmt.Sprintf("/api/v1/admin/applications/%d", appID), nil), adminOfTown(ok)},
		{"review queue", fixed("GET", "/api/v1/reviews", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"decide", func(f *fixture, r role) (string, string, any) {
			o := f.newOpening(f.town.ID, true)
			form := eligibleForm(f.idNumber("1992-02-02"))
			form.Veteran = true
			id := f.apply(applicant, o, form)
			v, err := f.rec.AdminApplication(context.Background(), f.actors[district], id)
			if err != nil || len(v.Reviews) == 0 {
				t.Fatalf("no review item: %v", err)
			}
			return "POST", fmt.Sprintf("/api/v1/reviews/%d/decision", v.Reviews[0].ID), recruitment.Decision{Approve: true}
		}, adminOfTown(ok)},
		{"reopen review", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/reviews/%d/reopen", f.rejectedVeteranItem()), reasonRequest{Reason: "复核有误"}
		}, adminOfTown(ok)},
		{"supplement", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/reviews/%d/supplement", f.rejectedVeteranItem()),
				multipartForm(t, nil, map[string][]byte{"file": testJPEG(40, 40)})
		}, statuses(nf, map[role]int{anon: unauth, applicant: ok})},
		{"replace a refused file", func(f *fixture, r role) (string, string, any) {
			_, id := f.rejectedPhoto()
			return "POST", "/api/v1/files/" + id + "/replacement", multipartForm(t, nil, map[string][]byte{"file": testJPEG(40, 40)})
		}, statuses(nf, map[role]int{anon: unauth, applicant: ok})},
		{"replace a refused file (page)", func(f *fixture, r role) (string, string, any) {
			app, id := f.rejectedPhoto()
			return "POST", "/me/files/" + id + "/replacement",
				multipartForm(t, map[string]string{"application_id": fmt.Sprint(app)}, map[string][]byte{"file": testJPEG(40, 40)})
		}, statuses(nf, map[role]int{anon: unauth, applicant: see})},
		// Nothing is frozen before proposals: the district admin is told so (409); a town admin
		// may not reopen scoring at all.
		{"reopen scoring", fixed("POST", fmt.Sprintf("/api/v1/openings/%d/scoring/reopen", f.opening), reasonRequest{Reason: "成绩有误"}),
			statuses(forb, map[role]int{anon: unauth, otherTown: nf, district: confl})},
		{"scores", func(f *fixture, r role) (string, string, any) {
			o := f.newOpening(f.town.ID, true)
			id := f.apply(applicant, o, eligibleForm(f.idNumber("1994-04-04")))
			return "PUT", fmt.Sprintf("/api/v1/openings/%d/scores", o), scoresRequest{Scores: []recruitment.ScoreInput{{ApplicationID: id, Score: "88.5"}}}
		}, adminOfTown(ok)},
		{"ranking", fixed("GET", fmt.Sprintf("/api/v1/openings/%d/ranking", f.opening), nil), adminOfTown(ok)},
		{"ranking xlsx", fixed("GET", fmt.Sprintf("/api/v1/openings/%d/ranking.xlsx", f.opening), nil), adminOfTown(ok)},
		// Before the deadline proposing is refused for those allowed to try: 409, not 403/404.
		{"propose", fixed("POST", fmt.Sprintf("/api/v1/openings/%d/proposals", f.opening), nil), adminOfTown(confl)},
		{"drop out", fixed("POST", fmt.Sprintf("/api/v1/applications/%d/dropout", appID), reasonRequest{Reason: "放弃"}), adminOfTown(confl)},
		{"filing xlsx", fixed("GET", fmt.Sprintf("/api/v1/towns/%d/filing.xlsx", f.town.ID), nil), adminOfTown(ok)},
		{"opening filing xlsx", fixed("GET", fmt.Sprintf("/api/v1/openings/%d/filing.xlsx", f.opening), nil), adminOfTown(ok)},
		{"roster xlsx", fixed("GET", fmt.Sprintf("/api/v1/openings/%d/roster.xlsx", f.opening), nil), adminOfTown(ok)},
		{"opening filing download", fixed("GET", fmt.Sprintf("/admin/openings/%d/filing.xlsx", f.opening), nil),
			statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})},
		{"roster download", fixed("GET", fmt.Sprintf("/admin/openings/%d/roster.xlsx", f.opening), nil),
			statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})},
		{"town filing download", fixed("GET", fmt.Sprintf("/admin/towns/%d/filing.xlsx", f.town.ID), nil),
			statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})},
		{"proposed hires", fixed("GET", "/api/v1/proposed-hires", nil), statuses(ok, map[role]int{anon: unauth, applicant: forb, otherApplicant: forb})},
		{"users", fixed("GET", "/api/v1/users", nil), statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"create user", func(f *fixture, r role) (string, string, any) {
			users++
			return "POST", "/api/v1/users", map[string]any{"username": fmt.Sprintf("trainer%d", users), "password": fixturePassword, "name": "培训员", "role": "trainer"}
		}, statuses(forb, map[role]int{anon: unauth, district: made})},
		{"disable user", func(f *fixture, r role) (string, string, any) {
			users++
			u, err := f.acc.CreateStaff(context.Background(), f.actors[district], accounts.StaffInput{
				Username: fmt.Sprintf("staff%d", users), Password: fixturePassword, Name: "培训员", Role: "trainer"})
			if err != nil {
				t.Fatal(err)
			}
			return "POST", fmt.Sprintf("/api/v1/users/%d/disable", u.ID), nil
		}, statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"audit", fixed("GET", "/api/v1/audit", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		// Another town's entries are not a town admin's to filter by: a field error.
		{"audit of a town", fixed("GET", fmt.Sprintf("/api/v1/audit?town=%d&from=2026-01-01&page=2", f.town.ID), nil),
			statuses(forb, map[role]int{anon: unauth, otherTown: http.StatusBadRequest, ownTown: ok, district: ok})},
		{"review queue page 2", fixed("GET", "/api/v1/reviews?page=2", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"applicant search", fixed("GET", "/api/v1/applications?q=320&page=1", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"applicant search of an opening", fixed("GET", fmt.Sprintf("/api/v1/applications?opening=%d", f.opening), nil),
			statuses(forb, map[role]int{anon: unauth, otherTown: http.StatusBadRequest, ownTown: ok, district: ok})},
		{"applicant search page", fixed("GET", "/admin/applications?q=张", nil), statuses(forb, map[role]int{anon: see, otherTown: ok, ownTown: ok, district: ok})},
		{"review queue page", fixed("GET", "/admin/review?page=2", nil), statuses(forb, map[role]int{anon: see, otherTown: ok, ownTown: ok, district: ok})},
		{"audit page", fixed("GET", "/admin/audit?what=hiring", nil), statuses(forb, map[role]int{anon: see, otherTown: ok, ownTown: ok, district: ok})},
		{"audit page of a town", fixed("GET", fmt.Sprintf("/admin/audit?town=%d", f.town.ID), nil),
			statuses(forb, map[role]int{anon: see, otherTown: http.StatusBadRequest, ownTown: ok, district: ok})},

		// The exam: the candidate's attempt is theirs alone.
		{"my exams", fixed("GET", "/api/v1/me/exams", nil), statuses(ok, map[role]int{anon: unauth})},
		{"exam", running("GET", exam, nil), mineOnly},
		{"exam start", running("POST", exam+"/start", nil), mineOnly},
		{"exam saves", running("POST", exam+"/saves", savesRequest{Saves: []training.SaveInput{{No: 1, Seq: 1, Answer: exams.Answer{}}}}), mineOnly},
		{"exam events", running("POST", exam+"/events", eventsRequest{Events: []training.EventInput{{Kind: "hidden"}}}), mineOnly},
		{"admission ticket", fixed("GET", exam+"/ticket.pdf", nil), statuses(nf, map[role]int{anon: unauth, applicant: ok, trainer: ok, district: ok})},
		// The bank, blueprints, sittings, the control room and grading.
		{"bank", fixed("GET", "/api/v1/bank", nil), runners(ok)},
		{"create question", func(f *fixture, r role) (string, string, any) {
			questions++
			q := exams.DemoBank()[0]
			q.Stem = fmt.Sprintf("（第 %d 题）%s", questions, q.Stem)
			return "POST", "/api/v1/bank", q
		}, runners(made)},
		{"question", fixed("GET", fmt.Sprintf("/api/v1/bank/%d", ex.question), nil), runners(ok)},
		{"update question", fixed("PUT", fmt.Sprintf("/api/v1/bank/%d", ex.question), exams.DemoBank()[0]), runners(ok)},
		{"archive question", fixed("POST", fmt.Sprintf("/api/v1/bank/%d/archive", ex.question), archiveRequest{Archived: false}), runners(ok)},
		{"bank template", fixed("GET", "/api/v1/bank/template.xlsx", nil), runners(ok)},
		{"bank export", fixed("GET", "/api/v1/bank/export.xlsx", nil), runners(ok)},
		{"bank import", fixed("POST", "/api/v1/bank/import", multipartForm(t, nil, map[string][]byte{"file": []byte("not a workbook")})),
			statuses(forb, map[role]int{anon: unauth, trainer: http.StatusBadRequest, district: http.StatusBadRequest})},
		{"blueprints", fixed("GET", "/api/v1/blueprints", nil), runners(ok)},
		{"create blueprint", fixed("POST", "/api/v1/blueprints", training.BlueprintInput{Name: "方案", Spec: exams.DemoBlueprint()}), runners(made)},
		{"blueprint", fixed("GET", fmt.Sprintf("/api/v1/blueprints/%d", ex.blueprint), nil), runners(ok)},
		{"update blueprint", fixed("PUT", fmt.Sprintf("/api/v1/blueprints/%d", ex.blueprint), training.BlueprintInput{Name: "演示方案", Spec: exams.DemoBlueprint()}), runners(ok)},
		{"sittings", fixed("GET", "/api/v1/sittings", nil), statuses(forb, map[role]int{anon: unauth, trainer: ok, district: ok, ownTown: ok, otherTown: ok})},
		// Allowed to schedule, but nobody is left to schedule: 400, not 403.
		{"schedule sitting", fixed("POST", "/api/v1/sittings", training.SittingInput{Title: "第二期", BlueprintID: ex.blueprint}),
			statuses(forb, map[role]int{anon: unauth, trainer: http.StatusBadRequest, district: http.StatusBadRequest})},
		{"sitting", fixed("GET", sit, nil), statuses(forb, map[role]int{anon: unauth, trainer: ok, district: ok, ownTown: ok, otherTown: nf})},
		{"control room", fixed("GET", sit+"/live", nil), statuses(forb, map[role]int{anon: unauth, trainer: ok, district: ok, ownTown: ok, otherTown: nf})},
		{"add time", running("POST", sit+"/time", training.AddTimeInput{Minutes: 5, Reason: "网络故障"}), runners(ok)},
		{"accommodation", fixed("PUT", fmt.Sprintf("/api/v1/exam-candidates/%d/accommodation", ex.candidate), accommodationRequest{ExtraMinutes: 10, Reason: "视力"}), runners(confl)},
		{"tickets", fixed("GET", sit+"/tickets.pdf", nil), runners(ok)},
		{"print tickets", fixed("POST", sit+"/tickets/print", training.TicketsInput{Format: "zip"}), runners(http.StatusAccepted)},
		{"grading queue", fixed("GET", sit+"/grading", nil), runners(ok)},
		{"next to mark", fixed("GET", sit+"/grading/1/next", nil), runners(ok)},
		// Marking opens once nobody is writing: while the attempt runs, a mark is 409.
		{"mark", fixed("POST", sit+"/marks", training.MarkInput{Anon: "NOBODY", VersionID: 1, Points: "1"}), runners(confl)},
		{"key fix", fixed("POST", sit+"/key-fixes", training.KeyFixInput{VersionID: 1}), runners(http.StatusBadRequest)},
		{"publish results", fixed("POST", sit+"/publish", nil), runners(confl)},
		{"item statistics", fixed("GET", sit+"/stats", nil), runners(ok)},
		{"exam submit", fixed("POST", exam+"/submit", nil), mineOnly},

		// Work permits (rule T-2) and their jobs; the public verification.
		{"permits", fixed("GET", "/api/v1/permits", nil), staffSee},
		{"issuable", fixed("GET", "/api/v1/permits/issuable", nil), runners(ok)},
		{"permit", fixed("GET", permit, nil), holderOrStaff},
		{"permit card", fixed("GET", permit+"/card.pdf", nil), holderOrStaff},
		{"issue permit", func(f *fixture, r role) (string, string, any) {
			app := pf.issuable[0]
			if r == district || r == trainer {
				app = pf.issuable[issued]
				issued++
			}
			return "POST", fmt.Sprintf("/api/v1/applications/%d/permit", app), nil
		}, runners(made)},
		{"issue a sitting's permits", fixed("POST", sit+"/permits", nil), runners(confl)},
		{"print permits", fixed("POST", "/api/v1/permits/print", permits.PrintInput{TownID: f.town.ID, Format: "zip"}),
			statuses(forb, map[role]int{anon: unauth, trainer: http.StatusAccepted, district: http.StatusAccepted, ownTown: http.StatusAccepted})},
		{"revoke permit", fixed("POST", fmt.Sprintf("/api/v1/permits/%d/revoke", pf.revoke), reasonRequest{Reason: "违纪"}),
			statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"reissue permit", fixed("POST", fmt.Sprintf("/api/v1/permits/%d/reissue", pf.reissue), permits.ReissueInput{Reason: "遗失补办"}),
			statuses(forb, map[role]int{anon: unauth, district: made})},
		{"my permits", fixed("GET", "/api/v1/me/permits", nil), statuses(ok, map[role]int{anon: unauth})},
		{"job", fixed("GET", job, nil), statuses(nf, map[role]int{anon: unauth, district: ok, ownTown: ok})},
		{"job result", fixed("GET", job+"/result", nil), statuses(nf, map[role]int{anon: unauth, district: confl, ownTown: confl})},
		{"verify (API)", fixed("GET", "/api/v1/verify/"+pf.no+"?sig="+pf.sig, nil), statuses(ok, nil)},
		{"verify page", fixed("GET", "/verify/"+pf.no+"?sig="+pf.sig, nil), statuses(ok, nil)},
		{"verify photo", fixed("GET", "/verify/"+pf.no+"/photo?sig="+pf.sig, nil), statuses(ok, nil)},
		{"verify key", fixed("GET", "/verify/key", nil), statuses(ok, nil)},
		{"verify key file", fixed("GET", "/verify/key.pem", nil), statuses(ok, nil)},
		{"permits page", fixed("GET", "/admin/permits", nil), statuses(forb, map[role]int{anon: see, trainer: ok, district: ok, ownTown: ok, otherTown: ok})},
		{"permit page", fixed("GET", fmt.Sprintf("/admin/permits/%d", pf.viewed), nil), statuses(nf, map[role]int{anon: see, applicant: ok, trainer: ok, district: ok, ownTown: ok})},
		{"my permits page", fixed("GET", "/me/permits", nil), statuses(ok, map[role]int{anon: see})},
		{"my permit card", fixed("GET", fmt.Sprintf("/me/permits/%d/card.pdf", pf.viewed), nil), statuses(nf, map[role]int{anon: see, applicant: ok, trainer: ok, district: ok, ownTown: ok})},
		{"job page", fixed("GET", fmt.Sprintf("/jobs/%d", printJob.ID), nil), statuses(nf, map[role]int{anon: see, district: ok, ownTown: ok})},
		{"revoke page", fixed("POST", fmt.Sprintf("/admin/permits/%d/revoke", pf.reissue), "reason=x"), statuses(forb, map[role]int{anon: unauth, district: confl})},
		{"refresher calendar", fixed("GET", "/api/v1/refresher/calendar", nil), staffSee},
		{"my refresher", fixed("GET", "/api/v1/me/refresher", nil), statuses(ok, map[role]int{anon: unauth})},
		{"refresher page", fixed("GET", "/admin/refresher", nil), statuses(forb, map[role]int{anon: see, trainer: ok, district: ok, ownTown: ok, otherTown: ok})},
		{"issue sitting page", fixed("POST", "/admin/permits/issue", fmt.Sprintf("sitting_id=%d", ex.sitting)), statuses(forb, map[role]int{anon: unauth, trainer: confl, district: confl})},
		// Notices: a user's own; the deliveries are the district's.
		{"my notices", fixed("GET", "/api/v1/me/notices", nil), statuses(ok, map[role]int{anon: unauth})},
		{"read notice", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/me/notices/%d/read", f.notice(applicant, "审核结果通知")), nil
		}, mineOnly},
		{"read all notices", fixed("POST", "/api/v1/me/notices/read-all", nil), statuses(ok, map[role]int{anon: unauth})},
		{"settings", fixed("GET", "/api/v1/me/settings", nil), statuses(ok, map[role]int{anon: unauth})},
		{"save settings", fixed("PUT", "/api/v1/me/settings", map[string]string{"email": ""}), statuses(ok, map[role]int{anon: unauth})},
		{"notice deliveries", fixed("GET", "/api/v1/notice-deliveries", nil), statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"retry delivery", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/notice-deliveries/%d/retry", f.deadDelivery()), nil
		}, statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"notices page", fixed("GET", "/me/notices", nil), statuses(ok, map[role]int{anon: see})},
		{"read notice page", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/me/notices/%d/read", f.notice(applicant, "审核结果通知")), ""
		}, statuses(nf, map[role]int{anon: unauth, applicant: see})},
		{"read all notices page", fixed("POST", "/me/notices/read-all", ""), statuses(see, map[role]int{anon: unauth})},
		{"settings page", fixed("GET", "/me/settings", nil), statuses(ok, map[role]int{anon: see})},
		{"save settings page", fixed("POST", "/me/settings", "email="), statuses(see, map[role]int{anon: unauth})},
		// Accounts (issue 8): codes, registration and reset are public and answer alike for
		// everyone; one's own password, e-mail and consents need a session; only a district
		// admin resets a staff password.
		{"request code", func(f *fixture, r role) (string, string, any) {
			return "POST", "/api/v1/verification-codes", map[string]string{"purpose": "register", "phone": f.freshPhone()}
		}, statuses(http.StatusAccepted, nil)},
		{"request reset code", func(f *fixture, r role) (string, string, any) {
			return "POST", "/api/v1/verification-codes", map[string]string{"purpose": "reset", "account": f.freshPhone()}
		}, statuses(http.StatusAccepted, nil)},
		{"register with a wrong code", fixed("POST", "/api/v1/applicants", map[string]any{"phone": "13900000077", "code": "000000",
			"password": fixturePassword, "name": "张三", "consent_sensitive": true}), statuses(bad, nil)},
		{"reset with a wrong code", fixed("POST", "/api/v1/password-reset", map[string]string{"account": "13900000077", "code": "000000",
			"password": fixturePassword}), statuses(bad, nil)},
		{"consent statement", fixed("GET", "/api/v1/consent-statement", nil), statuses(ok, nil)},
		{"change password (wrong current)", fixed("PUT", "/api/v1/me/password", map[string]string{"current_password": "not-the-password",
			"password": "Quiet-harbour-lamp-58"}), statuses(bad, map[role]int{anon: unauth})},
		{"verify e-mail (no code sent)", fixed("POST", "/api/v1/me/email/verify", map[string]string{"code": "000000"}), statuses(bad, map[role]int{anon: unauth})},
		{"my consents", fixed("GET", "/api/v1/me/consents", nil), statuses(ok, map[role]int{anon: unauth})},
		{"reset staff password", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/users/%d/reset-password", f.staff()), nil
		}, statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"register page", fixed("GET", "/register", nil), statuses(ok, nil)},
		{"register code form", func(f *fixture, r role) (string, string, any) {
			return "POST", "/register/code", "phone=" + f.freshPhone()
		}, statuses(see, nil)},
		{"register verify page", fixed("GET", "/register/verify?phone=13900000077", nil), statuses(ok, nil)},
		{"register form (wrong code)", fixed("POST", "/register", "phone=13900000077&code=000000&name=张三&password=Fixture-pass-2026&password2=Fixture-pass-2026&consent_sensitive=1"), statuses(bad, nil)},
		{"forgot page", fixed("GET", "/password/forgot", nil), statuses(ok, nil)},
		{"forgot form", func(f *fixture, r role) (string, string, any) {
			return "POST", "/password/forgot", "account=" + f.freshPhone()
		}, statuses(see, nil)},
		{"reset page", fixed("GET", "/password/reset?account=13900000077", nil), statuses(ok, nil)},
		{"reset form (wrong code)", fixed("POST", "/password/reset", "account=13900000077&code=000000&password=Fixture-pass-2026&password2=Fixture-pass-2026"), statuses(bad, nil)},
		{"password page", fixed("GET", "/me/password", nil), statuses(ok, map[role]int{anon: see})},
		{"password form (wrong current)", fixed("POST", "/me/password", "current_password=not-the-password&password=Quiet-harbour-lamp-58&password2=Quiet-harbour-lamp-58"),
			statuses(bad, map[role]int{anon: unauth})},
		{"verify e-mail form", fixed("POST", "/me/email/verify", "code=000000"), statuses(bad, map[role]int{anon: unauth})},
		{"reset staff password page", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/admin/users/%d/reset-password", f.staff()), ""
		}, statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"notice deliveries page", fixed("GET", "/admin/notices", nil), statuses(forb, map[role]int{anon: see, district: ok})},
		{"retry delivery page", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/admin/notices/deliveries/%d/retry", f.deadDelivery()), ""
		}, statuses(forb, map[role]int{anon: unauth, district: see})},

		// 公示 and the steps after ranking: the public page is anyone's; the rest the town's admins'.
		{"public publicity (API)", fixed("GET", pubAPI+"/publicity", nil), statuses(ok, nil)},
		{"public publicity page", fixed("GET", fmt.Sprintf("/openings/%d/publicity", pub.opening), nil), statuses(ok, nil)},
		{"no publicity yet", fixed("GET", fmt.Sprintf("/openings/%d/publicity", f.opening), nil), statuses(nf, nil)},
		{"after ranking", fixed("GET", pubAPI+"/after-ranking", nil), adminOfTown(ok)},
		{"set after ranking", fixed("PUT", pubAPI+"/after-ranking", recruitment.AfterRankingInput{PublicityDays: 5,
			SupervisionPhone: "0513-82100000", SupervisionAddress: "海门区城市管理局人事科"}), adminOfTown(ok)},
		// Both proposals are in the 公示 already: nothing to start (409).
		{"start publicity", fixed("POST", pubAPI+"/publicity", nil), adminOfTown(confl)},
		{"record step", fixed("POST", fmt.Sprintf("/api/v1/applications/%d/steps", pubApp),
			recruitment.StepInput{Step: recruitment.StepMedical, Result: models.StepPass, On: "2026-06-11"}), adminOfTown(confl)},
		{"record objection", fixed("POST", fmt.Sprintf("/api/v1/applications/%d/objections", pubApp), objectionBody), adminOfTown(ok)},
		{"decide objection", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/objections/%d/decision", f.objection(pubApp)),
				recruitment.ObjectionDecision{Outcome: models.ObjectionNotUpheld, Reason: "经查不属实"}
		}, adminOfTown(ok)},
		{"calendar", fixed("GET", "/api/v1/calendar/2026", nil), statuses(forb, map[role]int{anon: unauth, otherTown: ok, ownTown: ok, district: ok})},
		{"set calendar", fixed("PUT", "/api/v1/calendar/2026", recruitment.CalendarInput{Holidays: "2026-10-01 国庆节"}),
			statuses(forb, map[role]int{anon: unauth, district: ok})},
		{"after ranking page", fixed("GET", fmt.Sprintf("/admin/openings/%d/after-ranking", pub.opening), nil), adminPage},
		{"after ranking settings form", fixed("POST", fmt.Sprintf("/admin/openings/%d/after-ranking", pub.opening),
			"publicity_days=5&supervision_phone=0513-82100000&supervision_address=人事科"), adminPost(see)},
		{"start publicity form", fixed("POST", fmt.Sprintf("/admin/openings/%d/publicity", pub.opening), ""), adminPost(confl)},
		{"step form", fixed("POST", fmt.Sprintf("/admin/applications/%d/steps", pubApp),
			fmt.Sprintf("opening_id=%d&step=medical&result=pass&on=2026-06-11", pub.opening)), adminPost(confl)},
		{"objection form", fixed("POST", fmt.Sprintf("/admin/applications/%d/objections", pubApp),
			fmt.Sprintf("opening_id=%d&objector=匿名&content=反映&received_on=2026-06-11", pub.opening)), adminPost(see)},
		{"decision form", func(f *fixture, r role) (string, string, any) {
			return "POST", fmt.Sprintf("/admin/objections/%d/decision", f.objection(pubApp)),
				fmt.Sprintf("opening_id=%d&outcome=not_upheld&reason=不属实", pub.opening)
		}, adminPost(see)},
		{"calendar page", fixed("GET", "/admin/calendar?year=2026", nil), statuses(forb, map[role]int{anon: see, otherTown: ok, ownTown: ok, district: ok})},
		{"calendar form", fixed("POST", "/admin/calendar", "year=2026&holidays=2026-10-01"), statuses(forb, map[role]int{anon: unauth, district: see})},

		// Pages and files.
		{"file", fixed("GET", "/files/"+photo, nil), statuses(nf, map[role]int{anon: see, applicant: ok, ownTown: ok, district: ok})},
		{"admin page", fixed("GET", "/admin", nil), statuses(see, map[role]int{otherTown: ok, ownTown: ok, district: ok})},
		{"headcount form", fixed("POST", "/admin/staff", fmt.Sprintf("town_id=%d&existing_staff=3&reason=核定", f.town.ID)),
			statuses(forb, map[role]int{anon: unauth, district: see})},
		{"admin opening page", fixed("GET", fmt.Sprintf("/admin/openings/%d", f.opening), nil),
			statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})},
		{"my application page", fixed("GET", fmt.Sprintf("/me/applications/%d", appID), nil),
			statuses(nf, map[role]int{anon: see, applicant: ok, ownTown: ok, district: ok})},
		{"review page", fixed("GET", fmt.Sprintf("/admin/applications/%d", appID), nil),
			statuses(forb, map[role]int{anon: see, otherTown: nf, ownTown: ok, district: ok})},
		// The printable 报名表: the owner's copy, or the reviewer's for an admin of the town.
		{"application form pdf", fixed("GET", fmt.Sprintf("/api/v1/applications/%d/form.pdf", appID), nil),
			statuses(nf, map[role]int{anon: unauth, applicant: ok, ownTown: ok, district: ok})},
		{"my application form pdf", fixed("GET", fmt.Sprintf("/me/applications/%d/form.pdf", appID), nil),
			statuses(nf, map[role]int{anon: see, applicant: ok, ownTown: ok, district: ok})},
		{"review application form pdf", fixed("GET", fmt.Sprintf("/admin/applications/%d/form.pdf", appID), nil),
			statuses(nf, map[role]int{anon: see, applicant: ok, ownTown: ok, district: ok})},
		{"users page", fixed("GET", "/admin/users", nil), statuses(forb, map[role]int{anon: see, district: ok})},
		{"trainer page", fixed("GET", "/trainer", nil), statuses(ok, map[role]int{anon: see, applicant: forb, otherApplicant: forb})},
		{"apply page", fixed("GET", fmt.Sprintf("/openings/%d/apply", f.opening), nil), statuses(ok, map[role]int{anon: see})},
		// The form's first round checks and shows the confirmation step; an empty one is refused
		// field by field; staff cannot apply at all.
		{"apply form review", fixed("POST", fmt.Sprintf("/openings/%d/apply", f.opening), multipartForm(t, map[string]string{"step": "review"}, nil)),
			statuses(forb, map[role]int{anon: unauth, applicant: bad, otherApplicant: bad})},
		{"staged file", fixed("GET", "/me/staged/"+staged[0].ID, nil), statuses(nf, map[role]int{anon: see, applicant: ok})},
		{"bank page", fixed("GET", "/trainer/bank?category=法律法规&type=single&difficulty=2&offset=0", nil), runPages(ok)},
		{"new question page", fixed("GET", "/trainer/bank/new?type=fill", nil), runPages(ok)},
		{"create question form", fixed("POST", "/trainer/bank/new", "type=single&stem=x"), runPosts(bad)},
		{"question page", fixed("GET", fmt.Sprintf("/trainer/bank/%d", ex.question), nil), runPages(ok)},
		{"update question form", fixed("POST", fmt.Sprintf("/trainer/bank/%d", ex.question), "type=single"), runPosts(bad)},
		{"archive question form", fixed("POST", fmt.Sprintf("/trainer/bank/%d/archive", ex.question), "archived=0&back=/trainer/bank"), runPosts(see)},
		{"import page", fixed("GET", "/trainer/bank/import", nil), runPages(ok)},
		{"import form", fixed("POST", "/trainer/bank/import", multipartForm(t, nil, map[string][]byte{"file": []byte("not a workbook")})), runPosts(bad)},
		{"blueprints page", fixed("GET", "/trainer/blueprints", nil), runPages(ok)},
		{"new blueprint page", fixed("GET", "/trainer/blueprints/new", nil), runPages(ok)},
		{"create blueprint form", fixed("POST", "/trainer/blueprints/new", "name=x"), runPosts(bad)},
		{"blueprint page", fixed("GET", fmt.Sprintf("/trainer/blueprints/%d", ex.blueprint), nil), runPages(ok)},
		{"update blueprint form", fixed("POST", fmt.Sprintf("/trainer/blueprints/%d", ex.blueprint), "name=x"), runPosts(bad)},
		{"sittings page", fixed("GET", "/trainer/sittings", nil), statuses(ok, map[role]int{anon: see, applicant: forb, otherApplicant: forb})},
		{"new sitting page", fixed("GET", "/trainer/sittings/new", nil), runPages(ok)},
		{"schedule sitting form", fixed("POST", "/trainer/sittings/new", "title=x"), runPosts(bad)},
		{"sitting page", fixed("GET", tp, nil), watchPages},
		{"add time form", fixed("POST", tp+"/time", "minutes=5"), statuses(forb, map[role]int{anon: unauth, trainer: bad, district: bad, otherTown: nf})},
		{"accommodation form", fixed("POST", tp+"/accommodation", "extra_minutes=10&reason=视力"), statuses(forb, map[role]int{anon: unauth, trainer: bad, district: bad, otherTown: nf})},
		{"publish form", fixed("POST", tp+"/publish", ""), statuses(forb, map[role]int{anon: unauth, trainer: confl, district: confl, otherTown: nf})},
		{"print tickets form", fixed("POST", tp+"/tickets/print", "format=pdf"), statuses(forb, map[role]int{anon: unauth, trainer: see, district: see, otherTown: nf})},
		{"key fix page", fixed("GET", tp+"/key-fix", nil), runPages(ok)},
		{"key fix form", fixed("POST", tp+"/key-fix", "version_id=0&reason=x"), runPosts(nf)},
		{"grading page", fixed("GET", tp+"/grading", nil), runPages(ok)},
		{"mark page", fixed("GET", tp+"/grading/1", nil), runPages(ok)},
		{"mark form", fixed("POST", tp+"/grading/1", "anon_code=NOBODY"), runPosts(bad)},
		{"statistics page", fixed("GET", tp+"/stats?sort=difficulty", nil), runPages(ok)},
		{"ticket check page", fixed("GET", "/trainer/tickets/"+ticket, nil), statuses(nf, map[role]int{anon: see, trainer: ok, district: ok, ownTown: ok})},
		{"my exams page", fixed("GET", "/me/exams", nil), statuses(ok, map[role]int{anon: see})},
		{"exam page", running("GET", fmt.Sprintf("/exams/%d", ex.candidate), nil), statuses(nf, map[role]int{anon: see, applicant: ok})},
		// Handed in by the "exam submit" row: a late save is refused (409), a start shows the exam.
		{"exam answers page", running("POST", fmt.Sprintf("/exams/%d/answers", ex.candidate), "save=1"), statuses(nf, map[role]int{anon: unauth, applicant: confl})},
		{"exam start page", running("POST", fmt.Sprintf("/exams/%d/start", ex.candidate), ""), statuses(nf, map[role]int{anon: unauth, applicant: see})},
		{"exam ticket page", fixed("GET", fmt.Sprintf("/exams/%d/ticket.pdf", ex.candidate), nil), statuses(nf, map[role]int{anon: see, applicant: ok, trainer: ok, district: ok})},
	}
	for _, rt := range routes {
		for _, r := range allRoles {
			method, path, body := rt.prep(f, r)
			w := f.do(r, method, path, body)
			if want := rt.want[r]; w.Code != want {
				t.Errorf("%s (%s %s) as %s: status %d, want %d; body: %.200s", rt.name, method, path, r, w.Code, want, w.Body.String())
			}
		}
	}
}
