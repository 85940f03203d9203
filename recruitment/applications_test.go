package recruitment_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Rule A2-3 through Apply: what is stored, and which reviews a relaxation opens.
func TestApply_A2_3_AgeBoundariesOnReferenceDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	for _, c := range ageCases {
		t.Run(c.name, func(t *testing.T) {
			who := e.candidate(t, "考生"+c.name)
			f := formBorn(t, c.birth)
			f.Veteran, f.FormerAuxStaff = c.veteran, c.former
			v := e.apply(t, who, o.ID, f)
			wantStatus := map[screening.Outcome]string{screening.Eligible: models.AppEligible,
				screening.Ineligible: models.AppIneligible, screening.PendingReview: models.AppPendingReview}[c.outcome]
			if v.Status != wantStatus || v.Age != c.age || v.BirthDate != "" {
				t.Errorf("status %s age %d birth %q, want %s %d and no birth date in the applicant's view", v.Status, v.Age, v.BirthDate, wantStatus, c.age)
			}
			if full, err := e.svc.AdminApplication(e.ctx, e.district, v.ID); err != nil || full.BirthDate != c.birth {
				t.Errorf("reviewer's view birth %q (%v), want %s", full.BirthDate, err, c.birth)
			}
			if row := e.row(t, v.ID); row.Status != wantStatus || row.ReferenceDate != closesAt {
				t.Errorf("stored status %s reference date %s", row.Status, row.ReferenceDate)
			}
			hasAgeReview := false
			for _, r := range v.Reviews {
				if r.Kind == models.ReviewAgeRelaxation {
					hasAgeReview = r.Status == models.ReviewPending
				}
			}
			if hasAgeReview != (c.a23 == screening.CheckRelaxed) {
				t.Errorf("age relaxation review item present=%v, A2-3 %s", hasAgeReview, c.a23)
			}
			if c.outcome == screening.Ineligible && len(v.Reviews) != 0 {
				t.Errorf("ineligible application has review items %+v", v.Reviews)
			}
		})
	}
}

func TestApply_NeedsApplicantRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	for name, a := range map[string]models.Actor{"anonymous": {}, "district admin": e.district,
		"town admin": e.townAdmin, "trainer": e.trainer} {
		f := form(t)
		_, err := e.svc.Apply(e.ctx, a, o.ID, f, filesFor(t, f))
		want := models.ErrForbidden
		if a.Anonymous() {
			want = models.ErrUnauthenticated // sign in first
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}
	if n := e.countApps(t, o.ID); n != 0 {
		t.Errorf("%d applications stored", n)
	}
}

// The application window is counted in China's civil date: 2026-07-01 00:05 in China is still
// 30 June in UTC, yet applications are closed.
func TestApply_WindowInChinaCivilDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	submit := func() error {
		_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, filesFor(t, f))
		return err
	}
	withdrawAll := func() {
		apps, _ := e.svc.MyApplications(e.ctx, e.applicant)
		for _, a := range apps {
			if a.Status != models.AppWithdrawn {
				if err := e.svc.Withdraw(e.ctx, e.applicant, a.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	e.clock.Set(chinaTime(2026, time.June, 7, 23, 59))
	wantCode(t, submit(), models.ErrConflict, "not_open_yet")
	e.clock.Set(chinaTime(2026, time.June, 8, 0, 0)) // 7 June 16:00 UTC
	if err := submit(); err != nil {
		t.Fatalf("first day in China: %v", err)
	}
	withdrawAll()
	e.clock.Set(chinaTime(2026, time.June, 30, 23, 59))
	if err := submit(); err != nil {
		t.Fatalf("last minute of the last day: %v", err)
	}
	withdrawAll()
	e.clock.Set(chinaTime(2026, time.July, 1, 0, 5)) // 30 June 16:05 UTC
	wantCode(t, submit(), models.ErrConflict, "closed")
	if n := e.countApps(t, o.ID); n != 2 {
		t.Errorf("%d applications stored, want 2", n)
	}
}

// Required uploads and content-typed images; on any error nothing is stored.
func TestApply_FilesRequiredAndTypedByContent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	img := testJPEG(t)
	cases := []struct {
		name   string
		mod    func(*recruitment.ApplicationForm)
		files  map[string][]byte
		fields []string
	}{
		{"no files", nil, nil, []string{"file_photo", "file_diploma"}},
		{"no diploma", nil, map[string][]byte{recruitment.FilePhoto: img}, []string{"file_diploma"}},
		{"empty photo", nil, map[string][]byte{recruitment.FilePhoto: {}, recruitment.FileDiploma: img}, []string{"file_photo"}},
		{"veteran without discharge certificate", func(f *recruitment.ApplicationForm) { f.Veteran = true },
			map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img}, []string{"file_" + recruitment.FileVeteran}},
		{"former staff without proof", func(f *recruitment.ApplicationForm) { f.FormerAuxStaff = true },
			map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img}, []string{"file_" + recruitment.FileFormerAux}},
		{"CCP member without proof", func(f *recruitment.ApplicationForm) { f.PartyMember, f.Political = true, "中共党员" },
			map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img}, []string{"file_" + recruitment.FileParty}},
		{"bravery honour without proof", func(f *recruitment.ApplicationForm) { f.HeroicHonor = true },
			map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img}, []string{"file_" + recruitment.FileHeroic}},
		{"PDF as photo", nil, map[string][]byte{recruitment.FilePhoto: []byte("%PDF-1.4 not an image"), recruitment.FileDiploma: img}, []string{"file_photo"}},
		{"text named like a JPEG", nil, map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: []byte("hello.jpg")}, []string{"file_diploma"}},
		{"truncated JPEG", nil, map[string][]byte{recruitment.FilePhoto: img[:20], recruitment.FileDiploma: img}, []string{"file_photo"}},
		{"non-image evidence", func(f *recruitment.ApplicationForm) { f.Veteran = true },
			map[string][]byte{recruitment.FilePhoto: img, recruitment.FileDiploma: img, recruitment.FileVeteran: []byte("<html>")}, []string{"file_" + recruitment.FileVeteran}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := form(t)
			if c.mod != nil {
				c.mod(&f)
			}
			_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, c.files)
			for _, field := range c.fields {
				wantField(t, err, field)
			}
			if n := e.countApps(t, o.ID); n != 0 {
				t.Fatalf("%d applications stored after an error", n)
			}
		})
	}

	// A PNG is accepted and re-encoded as JPEG; unknown kinds are ignored.
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 30, 40))); err != nil {
		t.Fatal(err)
	}
	f := form(t)
	v, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, map[string][]byte{
		recruitment.FilePhoto: pngBuf.Bytes(), recruitment.FileDiploma: img, "selfie": []byte("whatever")})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Files) != 2 {
		t.Fatalf("files %+v, want photo and diploma", v.Files)
	}
	// Acknowledged from the headers alone: in quarantine until the worker has re-encoded
	// them, and refused to everyone meanwhile, the owner included.
	for _, fv := range v.Files {
		if fv.State != models.UploadQuarantined || !v.FilesProcessing {
			t.Errorf("file %s is %q before the worker ran, want quarantined", fv.Kind, fv.State)
		}
		for _, a := range []models.Actor{e.applicant, e.townAdmin} {
			if _, err := e.svc.File(e.ctx, a, fv.ID); err == nil {
				t.Errorf("a quarantined %s was served", fv.Kind)
			} else {
				wantCode(t, err, models.ErrConflict, "file_processing")
			}
		}
	}
	if n := e.drain(t); n != 2 {
		t.Fatalf("sanitised %d files, want 2", n)
	}
	if v, err = e.svc.ApplicationFor(e.ctx, e.applicant, v.ID); err != nil || v.FilesProcessing {
		t.Fatalf("after the worker: %+v %v", v, err)
	}
	for _, fv := range v.Files {
		u, err := e.svc.File(e.ctx, e.applicant, fv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.ContentType != "image/jpeg" || !bytes.HasPrefix(u.Data, []byte{0xFF, 0xD8, 0xFF}) || len(fv.ID) != 32 {
			t.Errorf("upload %s: type %s, id %q", fv.Kind, u.ContentType, fv.ID)
		}
		if fv.Kind == recruitment.FilePhoto && (fv.Width != 30 || fv.Height != 40) {
			t.Errorf("photo %dx%d, want 30x40", fv.Width, fv.Height)
		}
		// Only the owner and the town's admins may fetch it.
		if _, err := e.svc.File(e.ctx, e.townAdmin, fv.ID); err != nil {
			t.Errorf("town admin: %v", err)
		}
		for name, a := range map[string]models.Actor{"other applicant": e.otherApplicant, "other town": e.otherTownAdmin, "trainer": e.trainer} {
			if _, err := e.svc.File(e.ctx, a, fv.ID); err == nil {
				t.Errorf("%s fetched the file", name)
			} else {
				wantKind(t, err, models.ErrNotFound)
			}
		}
	}
	_, err = e.svc.File(e.ctx, e.applicant, strings.Repeat("0", 32))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.File(e.ctx, e.applicant, "../etc/passwd")
	wantKind(t, err, models.ErrNotFound)
}

func TestApply_InvalidFormStoresNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	cases := []struct {
		name  string
		mod   func(*recruitment.ApplicationForm)
		code  string
		field string
	}{
		{"bad check character", func(f *recruitment.ApplicationForm) { f.IDNumber = f.IDNumber[:17] + "Z" }, "invalid_id_number", "id_number"},
		{"impossible birth date", func(f *recruitment.ApplicationForm) {
			c, _ := screening.IDCheckChar("32068419990229123")
			f.IDNumber = "32068419990229123" + string(c)
		}, "invalid_id_number", "id_number"},
		{"no name", func(f *recruitment.ApplicationForm) { f.Name = " " }, "invalid_input", "name"},
		{"no education", func(f *recruitment.ApplicationForm) { f.Education = "" }, "invalid_input", "education"},
		{"former staff end in the future", func(f *recruitment.ApplicationForm) { f.FormerAuxStaff, f.FormerAuxEnd = true, "2027-01-01" }, "invalid_input", "former_aux_end"},
		{"former staff end not a date", func(f *recruitment.ApplicationForm) { f.FormerAuxStaff, f.FormerAuxEnd = true, "last year" }, "invalid_input", "former_aux_end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := form(t)
			c.mod(&f)
			_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, filesFor(t, f))
			me := wantCode(t, err, models.ErrInvalid, c.code)
			if me.Fields[c.field] == "" {
				t.Errorf("fields %+v, want %s", me.Fields, c.field)
			}
			if n := e.countApps(t, o.ID); n != 0 {
				t.Fatalf("%d applications stored after an error", n)
			}
		})
	}
	_, err := e.svc.Apply(e.ctx, e.applicant, 987654, form(t), filesFor(t, form(t)))
	wantKind(t, err, models.ErrNotFound)
}

// An ineligible application is stored with its status and the reason for every failed rule;
// it opens no reviews.
func TestApply_IneligibleStoredWithFailedChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := formBorn(t, born46)
	f.UnderDiscipline = ptrBool(true)
	v := e.apply(t, e.applicant, o.ID, f)
	if v.Status != models.AppIneligible || v.StatusLabel != "资格审查不合格" {
		t.Errorf("status %s %s", v.Status, v.StatusLabel)
	}
	rules := map[string]bool{}
	for _, c := range v.Failed {
		rules[c.Rule] = true
		if c.Message == "" {
			t.Errorf("failed check %s without a reason", c.Rule)
		}
	}
	if len(rules) != 2 || !rules[screening.RuleA2_3] || !rules[screening.RuleA2_6] {
		t.Errorf("failed rules %v, want A2-3 and A2-6", rules)
	}
	if len(v.Reviews) != 0 {
		t.Errorf("review items %+v", v.Reviews)
	}
	if last := v.Timeline[len(v.Timeline)-1]; last.Label != "不合格" || last.State != "failed" {
		t.Errorf("timeline %+v", v.Timeline)
	}
	// The timeline is the applicant's: the rules by name (年龄条件), never by id.
	if len(v.Events) != 2 || !strings.Contains(v.Events[1].Message, "年龄条件") || !strings.Contains(v.Events[1].Message, "不得报考的情形") ||
		strings.Contains(v.Events[1].Message, "A2-") {
		t.Errorf("events %+v", v.Events)
	}
	if !v.CanWithdraw {
		t.Error("an ineligible application can be withdrawn before the deadline")
	}
	q, err := e.svc.ReviewQueue(e.ctx, e.district)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 0 {
		t.Errorf("review queue %+v", q)
	}
}

// A relaxation or a claimed preference opens review items and puts the application in the
// reviewers' queue, within the town.
func TestApply_A2_3_A2_4_PendingReviewCreatesReviewItems(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := formBorn(t, born43)
	f.Education, f.Major = "junior_high", ""
	f.Veteran, f.PartyMember, f.HeroicHonor, f.Political = true, true, true, "中共预备党员"
	v := e.apply(t, e.applicant, o.ID, f)
	if v.Status != models.AppPendingReview || v.Result.Outcome != screening.PendingReview {
		t.Fatalf("status %s outcome %s", v.Status, v.Result.Outcome)
	}
	kinds := map[string]string{}
	for _, r := range v.Reviews {
		kinds[r.Kind] = r.Status
	}
	for _, k := range []string{models.ReviewAgeRelaxation, models.ReviewEducationRelaxation, models.ReviewVeteran,
		models.ReviewParty, models.ReviewHeroic} {
		if kinds[k] != models.ReviewPending {
			t.Errorf("review item %s: %q", k, kinds[k])
		}
	}
	if len(kinds) != 5 {
		t.Errorf("review items %v, want 5", kinds)
	}
	if v.Timeline[2].Label != "待复核" || v.Timeline[2].State != "current" {
		t.Errorf("timeline %+v", v.Timeline)
	}
	// An eligible applicant claiming a preference (urban-management major) also needs a reviewer.
	g := form(t)
	g.Major = "城市管理"
	w := e.apply(t, e.otherApplicant, o.ID, g)
	if w.Status != models.AppEligible || len(w.Reviews) != 1 || w.Reviews[0].Kind != models.ReviewUrbanManagement {
		t.Errorf("urban-management graduate: %s %+v", w.Status, w.Reviews)
	}
	for name, c := range map[string]struct {
		actor models.Actor
		n     int
	}{"district": {e.district, 2}, "own town": {e.townAdmin, 2}, "other town": {e.otherTownAdmin, 0}} {
		q, err := e.svc.ReviewQueue(e.ctx, c.actor)
		if err != nil {
			t.Fatal(err)
		}
		if len(q) != c.n {
			t.Errorf("%s queue has %d entries, want %d", name, len(q), c.n)
		}
		if c.n > 0 && (q[0].ID != v.ID || len(q[0].Pending) != 5) {
			t.Errorf("%s queue head %+v", name, q[0])
		}
	}
	_, err := e.svc.ReviewQueue(e.ctx, e.trainer)
	wantKind(t, err, models.ErrForbidden)
}

// One account, one live application per opening: a second one is "duplicate", said only to the
// account that holds the first. Another account with the same ID number is not told that anyone
// applied (that would prove who applied and, swept over ~1,000 sequence numbers, give the number
// back): its application is filed, and both go to a reviewer as an identity conflict (A2-2).
func TestApply_A2_2_DuplicatesAndIdentityConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	o2 := e.published(t, func(in *recruitment.OpeningInput) { in.Title = "第二批岗位" })
	f := form(t)
	first := e.apply(t, e.applicant, o.ID, f)

	_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, filesFor(t, f))
	wantCode(t, err, models.ErrConflict, "duplicate_application")
	g := form(t) // another person, same account
	_, err = e.svc.Apply(e.ctx, e.applicant, o.ID, g, filesFor(t, g))
	wantCode(t, err, models.ErrConflict, "duplicate_application")

	// Another account, the same number: filed like any other, with nothing in its answer that
	// tells it apart from an application nobody else made.
	clash, err := e.svc.Apply(e.ctx, e.otherApplicant, o.ID, f, filesFor(t, f))
	if err != nil {
		t.Fatalf("another account, same number: %v", err)
	}
	fresh := e.apply(t, e.candidate(t, "无关考生"), o.ID, form(t))
	if clash.Status != fresh.Status || len(clash.Reviews) != len(fresh.Reviews) || len(clash.Events) != len(fresh.Events) {
		t.Errorf("the conflicting application's view differs from an ordinary one: %+v vs %+v", clash, fresh)
	}
	for _, v := range []*recruitment.ApplicationView{clash} {
		b, _ := json.Marshal(v)
		for _, leak := range []string{"identity", "重复", "相同", first.Name} {
			if strings.Contains(string(b), leak) && leak != v.Name {
				t.Errorf("the applicant's view mentions %q: %s", leak, b)
			}
		}
	}
	spaced := f
	spaced.IDNumber = " " + f.IDNumber + " " // the same number, spelled differently, same account again
	_, err = e.svc.Apply(e.ctx, e.otherApplicant, o.ID, spaced, filesFor(t, f))
	wantCode(t, err, models.ErrConflict, "duplicate_application")
	if n := e.countApps(t, o.ID); n != 3 {
		t.Fatalf("%d applications stored, want 3", n)
	}
	// Another opening is another application.
	if _, err := e.svc.Apply(e.ctx, e.applicant, o2.ID, f, filesFor(t, f)); err != nil {
		t.Errorf("same person, another opening: %v", err)
	}

	// Staff see the conflict on both, and proposals wait for it.
	for _, id := range []uint64{first.ID, clash.ID} {
		v, err := e.svc.AdminApplication(e.ctx, e.townAdmin, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.SameID) != 1 || e.reviewItem(t, id, models.ReviewIdentity) == 0 {
			t.Errorf("application %d: same-ID list %+v", id, v.SameID)
		}
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{first.ID: "80", clash.ID: "90", fresh.ID: "70"})
	rk, err := e.svc.Ranking(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rk.CanPropose || !strings.Contains(strings.Join(rk.Blockers, ""), "身份") {
		t.Errorf("proposals not blocked by the identity conflict: %v", rk.Blockers)
	}
	// The reviewer finds the second account is not that person: A2-2 fails with the reason.
	if _, err := e.svc.Decide(e.ctx, e.townAdmin, e.reviewItem(t, first.ID, models.ReviewIdentity), recruitment.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Decide(e.ctx, e.townAdmin, e.reviewItem(t, clash.ID, models.ReviewIdentity), recruitment.Decision{Approve: true})
	wantCode(t, err, models.ErrConflict, "identity_taken")
	got, err := e.svc.Decide(e.ctx, e.townAdmin, e.reviewItem(t, clash.ID, models.ReviewIdentity), recruitment.Decision{Reason: "现场核验身份证，与本人不符"})
	if err != nil {
		t.Fatal(err)
	}
	if ch := check(t, got.Result, screening.RuleA2_2); got.Status != models.AppIneligible || ch.Outcome != screening.CheckFail ||
		!strings.Contains(ch.Message, "现场核验身份证") {
		t.Errorf("rejected identity: %s, A2-2 %s %q", got.Status, ch.Outcome, ch.Message)
	}
	if rk, _ := e.svc.Ranking(e.ctx, e.district, o.ID); !rk.CanPropose {
		t.Errorf("still blocked: %v", rk.Blockers)
	}
}

// After withdrawing, the same person may apply again, from either account, as an ordinary
// application.
func TestApply_ReapplyAfterWithdrawal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	first := e.apply(t, e.applicant, o.ID, f)
	if err := e.svc.Withdraw(e.ctx, e.applicant, first.ID); err != nil {
		t.Fatal(err)
	}
	again := e.apply(t, e.otherApplicant, o.ID, f)
	if again.ID == first.ID || again.Status != models.AppEligible {
		t.Errorf("reapplication %+v", again)
	}
	if v, _ := e.svc.AdminApplication(e.ctx, e.district, again.ID); len(v.SameID) != 0 || len(v.Reviews) != 0 {
		t.Errorf("a withdrawn application made a conflict: %+v %+v", v.SameID, v.Reviews)
	}
}

// Submissions at once: from one account, exactly one is stored; with one ID number from many
// accounts, every one is stored, exactly one holds the number's place and every one waits for an
// identity check (rule A2-2), whatever the interleaving.
func TestApply_ConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	const n = 8
	run := func(t *testing.T, who func(i int) models.Actor, formOf func(i int) recruitment.ApplicationForm) (ok int, stored []models.Application) {
		before := e.countApps(t, o.ID)
		actors := make([]models.Actor, n)
		forms := make([]recruitment.ApplicationForm, n)
		files := make([]map[string][]byte, n)
		for i := range n {
			actors[i], forms[i] = who(i), formOf(i)
			files[i] = filesFor(t, forms[i])
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = e.svc.Apply(e.ctx, actors[i], o.ID, forms[i], files[i])
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			default:
				if me, isErr := models.AsError(err); !isErr || me.Code != "duplicate_application" {
					t.Errorf("unexpected error: %v", err)
				}
			}
		}
		apps, err := e.store.ListApplications(e.ctx, models.ApplicationFilter{OpeningID: &o.ID})
		if err != nil {
			t.Fatal(err)
		}
		return ok, apps[before:]
	}
	t.Run("one ID number, many accounts", func(t *testing.T) {
		f := form(t)
		accounts := make([]models.Actor, n)
		for i := range accounts {
			accounts[i] = e.candidate(t, fmt.Sprintf("考生%d", i))
		}
		ok, stored := run(t, func(i int) models.Actor { return accounts[i] }, func(int) recruitment.ApplicationForm { return f })
		if ok != n || len(stored) != n {
			t.Fatalf("%d succeeded, %d stored; want %d and %d", ok, len(stored), n, n)
		}
		holders := 0
		for _, a := range stored {
			if a.ActiveIDHash != nil {
				holders++
			}
			e.reviewItem(t, a.ID, models.ReviewIdentity)
		}
		if holders != 1 {
			t.Errorf("%d applications hold the number's place, want 1", holders)
		}
	})
	t.Run("one account, many ID numbers", func(t *testing.T) {
		forms := make([]recruitment.ApplicationForm, n)
		for i := range forms {
			forms[i] = form(t)
		}
		ok, stored := run(t, func(int) models.Actor { return e.otherApplicant }, func(i int) recruitment.ApplicationForm { return forms[i] })
		if ok != 1 || len(stored) != 1 {
			t.Errorf("%d succeeded, %d stored; want exactly 1", ok, len(stored))
		}
	})
}

func TestWithdraw_ThenReapplyAndOwnership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	v := e.apply(t, e.applicant, o.ID, f)

	// Another applicant, another town's admin and a trainer cannot see or withdraw it.
	for name, a := range map[string]models.Actor{"other applicant": e.otherApplicant, "other town": e.otherTownAdmin, "trainer": e.trainer} {
		_, err := e.svc.ApplicationFor(e.ctx, a, v.ID)
		wantKind(t, err, models.ErrNotFound)
		if err := e.svc.Withdraw(e.ctx, a, v.ID); err == nil {
			t.Errorf("%s withdrew it", name)
		} else {
			wantKind(t, err, models.ErrNotFound)
		}
	}
	_, err := e.svc.ApplicationFor(e.ctx, models.Actor{}, v.ID)
	wantKind(t, err, models.ErrUnauthenticated)
	_, err = e.svc.MyApplications(e.ctx, models.Actor{})
	wantKind(t, err, models.ErrUnauthenticated)
	if mine, _ := e.svc.MyApplications(e.ctx, e.otherApplicant); len(mine) != 0 {
		t.Errorf("other applicant lists %+v", mine)
	}
	_, err = e.svc.AdminApplication(e.ctx, e.otherTownAdmin, v.ID)
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.AdminApplication(e.ctx, e.applicant, v.ID)
	wantKind(t, err, models.ErrForbidden)
	if err := e.svc.Withdraw(e.ctx, e.applicant, 999999); err == nil {
		t.Error("withdrew a missing application")
	}

	if err := e.svc.Withdraw(e.ctx, e.applicant, v.ID); err != nil {
		t.Fatal(err)
	}
	w, err := e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Status != models.AppWithdrawn || w.CanWithdraw || w.Events[len(w.Events)-1].Kind != "withdrawn" {
		t.Errorf("after withdrawal: %s can=%v events %+v", w.Status, w.CanWithdraw, w.Events)
	}
	wantCode(t, e.svc.Withdraw(e.ctx, e.applicant, v.ID), models.ErrConflict, "cannot_withdraw")

	again := e.apply(t, e.applicant, o.ID, f)
	mine, err := e.svc.MyApplications(e.ctx, e.applicant)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 2 || mine[0].ID != again.ID || mine[1].Status != models.AppWithdrawn {
		t.Errorf("my applications %+v, want the new one first", mine)
	}

	// After the deadline, no withdrawal.
	e.clock.Set(afterClose)
	wantCode(t, e.svc.Withdraw(e.ctx, e.applicant, again.ID), models.ErrConflict, "closed")
	if x, _ := e.svc.ApplicationFor(e.ctx, e.applicant, again.ID); x.CanWithdraw || x.Status != models.AppEligible {
		t.Errorf("after the deadline: %s can=%v", x.Status, x.CanWithdraw)
	}
}

// ID numbers are encrypted at rest, found by a keyed hash, and shown masked except in the
// reviewer's detail view.
func TestApply_IDNumberEncryptedAndMasked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	number := f.IDNumber
	v := e.apply(t, e.applicant, o.ID, f)
	row := e.row(t, v.ID)
	if bytes.Contains(row.IDCipher, []byte(number)) || bytes.Contains(row.IDCipher, []byte(number[6:14])) {
		t.Error("IDCipher holds the plain number")
	}
	if row.IDHash == number || strings.Contains(row.IDHash, number[6:14]) || len(row.IDHash) != 64 {
		t.Errorf("IDHash %q", row.IDHash)
	}
	// The ciphertext is bound to its row: it opens with the row's id and hash, not elsewhere.
	aad := fmt.Sprintf("applications.id_number/v2/%d/%s", row.ID, row.IDHash)
	if plain, err := e.cipher.Open(row.IDCipher, aad); err != nil || plain != number || row.IDCipherVersion != 2 {
		t.Errorf("decrypts to %q, %v (version %d)", plain, err, row.IDCipherVersion)
	}
	for _, other := range []string{"applications.id_number", fmt.Sprintf("applications.id_number/v2/%d/%s", row.ID+1, row.IDHash)} {
		if _, err := e.cipher.Open(row.IDCipher, other); err == nil {
			t.Errorf("the ciphertext opens under %q", other)
		}
	}
	wantMask := number[:3] + strings.Repeat("*", 13) + number[16:]
	if row.IDMasked != wantMask || v.IDMasked != wantMask {
		t.Errorf("masked %q / %q, want %q", row.IDMasked, v.IDMasked, wantMask)
	}
	if v.IDNumber != "" || v.Phone != "" {
		t.Errorf("applicant's view shows %q %q", v.IDNumber, v.Phone)
	}
	mine, _ := e.svc.MyApplications(e.ctx, e.applicant)
	if len(mine) != 1 || mine[0].IDMasked != wantMask {
		t.Errorf("summary %+v", mine)
	}
	q, _ := e.svc.ApplicationFor(e.ctx, e.townAdmin, v.ID)
	if q.IDNumber != "" {
		t.Error("the list/summary view of an admin shows the whole number")
	}
	full, err := e.svc.AdminApplication(e.ctx, e.townAdmin, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.IDNumber != number || full.Phone != e.applicant.Username {
		t.Errorf("reviewer's view: %q %q", full.IDNumber, full.Phone)
	}
}

// Per-account limit: at most MaxApplyAttemptsPerHour calls of Apply an hour, and every attempt
// counts, failed ones included (a form with a guessed ID number and no files costs the same as a
// real one), withdrawals and re-applications too.
func TestApply_RateLimitPerAccount_EveryAttemptCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	bad := f
	bad.IDNumber = idNumber(t, "1990-01-01")
	for i := range recruitment.MaxApplyAttemptsPerHour {
		switch i % 3 {
		case 0: // a probe with no files: refused on the form, still counted
			if _, err := e.svc.Apply(e.ctx, e.applicant, o.ID, bad, nil); !errors.Is(err, models.ErrInvalid) {
				t.Fatalf("attempt %d: %v, want a form error", i, err)
			}
		default:
			v := e.apply(t, e.applicant, o.ID, f)
			if err := e.svc.Withdraw(e.ctx, e.applicant, v.ID); err != nil {
				t.Fatalf("withdraw %d: %v", i, err)
			}
		}
		e.clock.Advance(time.Minute)
	}
	before := e.countApps(t, o.ID)
	_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, filesFor(t, f))
	wantCode(t, err, models.ErrRateLimited, "too_many_applications")
	if n := e.countApps(t, o.ID); n != before {
		t.Errorf("%d applications stored after the refused attempt, want %d", n, before)
	}
	// Another account is not affected.
	e.apply(t, e.otherApplicant, o.ID, form(t))
	// An hour after the first attempts, the window has room again.
	e.clock.Advance(45 * time.Minute)
	e.apply(t, e.applicant, o.ID, f)
}

// Rule R-2: a town's extra condition (household registration) is declared by the applicant,
// needs its evidence, and is verified at review; a rejected declaration fails the rule.
func TestApply_R2_TownExtrasDeclaredAndVerified(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Conditions.HukouRequired = ptrStr("海门区") })
	if !strings.Contains(strings.Join(o.ConditionLines, "\n"), "海门区户籍") {
		t.Errorf("condition lines %q", o.ConditionLines)
	}
	// Not declared: ineligible, with the R-2 check saying why.
	f := form(t)
	v := e.apply(t, e.candidate(t, "外地考生"), o.ID, f)
	if ch := check(t, v.Result, screening.RuleR_2); v.Status != models.AppIneligible || ch.Outcome != screening.CheckFail {
		t.Errorf("undeclared hukou: %s, R-2 %s %q", v.Status, ch.Outcome, ch.Message)
	}
	// Declared: the household register is required evidence, and a reviewer checks it.
	g := form(t)
	g.HasHukou = true
	_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, g, map[string][]byte{recruitment.FilePhoto: testJPEG(t), recruitment.FileDiploma: testJPEG(t)})
	wantField(t, err, "file_"+recruitment.FileHukou)
	w := e.apply(t, e.applicant, o.ID, g)
	if w.Status != models.AppEligible || len(w.Reviews) != 1 || w.Reviews[0].Kind != models.ReviewHukou {
		t.Fatalf("declared hukou: %s %+v", w.Status, w.Reviews)
	}
	got, err := e.svc.Decide(e.ctx, e.townAdmin, w.Reviews[0].ID, recruitment.Decision{Reason: "户口簿显示为外区户籍"})
	if err != nil {
		t.Fatal(err)
	}
	if ch := check(t, got.Result, screening.RuleR_2); got.Status != models.AppIneligible || ch.Outcome != screening.CheckFail {
		t.Errorf("rejected hukou: %s, R-2 %s", got.Status, ch.Outcome)
	}
	// The application keeps the conditions it was judged by.
	if row := e.row(t, w.ID); !strings.Contains(row.Conditions, "海门区") || row.ReferenceDate != closesAt {
		t.Errorf("snapshot %s %s", row.Conditions, row.ReferenceDate)
	}
}
