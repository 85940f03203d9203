package handlers

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"auxportal/recruitment"
)

// fieldsOf is a form as the browser posts it, plus the button pressed.
func fieldsOf(f recruitment.ApplicationForm, step string) map[string]string {
	m := map[string]string{"step": step}
	for _, h := range hiddenFields(f) {
		m[h.Name] = h.Value
	}
	return m
}

// ruleIDs are the rule ids of seed/RULES.md as they could leak into an applicant's page.
var ruleIDs = regexp.MustCompile(`\b(A2|R|D|Q|T|M|E|P|U)-[0-9]\b`)

// TestApplyForm_RoundsKeepFilesAndConfirmBeforeFiling walks the page form as an applicant:
// an empty round names every missing field at once, files included; a round that fails on a
// field keeps the photo it carried; the confirmation step shows everything and files nothing;
// the final submit files once, and a second tap does not file twice.
func TestApplyForm_RoundsKeepFilesAndConfirmBeforeFiling(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := fmt.Sprintf("/openings/%d/apply", f.opening)
	mine := func() int {
		as, err := f.rec.MyApplications(ctx, f.actors[applicant])
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}

	// 1. Empty: every required field and both required files, under a general heading.
	w := f.do(applicant, "POST", path, multipartForm(t, map[string]string{"step": "review"}, nil))
	body := w.Body.String()
	if w.Code != http.StatusBadRequest {
		t.Fatalf("empty round: status %d", w.Code)
	}
	for _, want := range []string{"未能提交，请修改以下", `href="#name"`, `href="#id_number"`, `href="#education"`,
		`href="#accepts_conditions"`, `href="#healthy"`, `href="#under_discipline"`, `href="#other_bar"`,
		`href="#file_photo"`, `href="#file_diploma"`, "请上传证件照", "请上传学历证书"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty round: no %q in the error summary", want)
		}
	}
	// The summary follows the form: the name before the files.
	if strings.Index(body, `href="#name"`) > strings.Index(body, `href="#file_photo"`) {
		t.Error("the error summary is not in the form's order")
	}

	// 2. A photo with a bad ID number: the photo is kept and said to be received.
	form := eligibleForm(f.idNumber("1995-03-04"))
	bad := form
	bad.IDNumber = "320684199503041234"
	w = f.do(applicant, "POST", path, multipartForm(t, fieldsOf(bad, "review"), map[string][]byte{"photo": testJPEG(60, 80)}))
	body = w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(body, `href="#id_number"`) {
		t.Fatalf("bad ID round: status %d", w.Code)
	}
	if strings.Contains(body, "请上传证件照") || !strings.Contains(body, `class="received"`) {
		t.Error("the photo of the failed round is asked for again instead of being kept")
	}
	staged, err := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening)
	if err != nil || len(staged) != 1 || staged[0].Kind != recruitment.FilePhoto {
		t.Fatalf("staged after the failed round: %+v %v", staged, err)
	}
	photo := "/me/staged/" + staged[0].ID
	if !strings.Contains(body, `src="`+photo+`"`) {
		t.Error("the re-shown form does not preview the photo received")
	}
	for r, want := range map[role]int{applicant: http.StatusOK, otherApplicant: http.StatusNotFound, district: http.StatusNotFound} {
		if w := f.do(r, "GET", photo, nil); w.Code != want {
			t.Errorf("received photo as %s: status %d, want %d", r, w.Code, want)
		}
	}

	// 3. The rest of the form with the diploma: the confirmation step, nothing filed.
	w = f.do(applicant, "POST", path, multipartForm(t, fieldsOf(form, "review"), map[string][]byte{"diploma": testJPEG(80, 60)}))
	body = w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "核对报名信息") || !strings.Contains(body, `src="`+photo+`"`) {
		t.Fatalf("confirmation step: status %d, photo shown %v", w.Code, strings.Contains(body, photo))
	}
	for _, want := range []string{"王五", "高中", "城市管理", "确认提交报名", "返回修改", "年龄条件", `name="id_number" value="` + form.IDNumber + `"`,
		"报名表其他信息", "江苏省海门中学", "王建国（父亲）13962800001", `name="resume_org" value="江苏省海门中学"`} {
		if !strings.Contains(body, want) {
			t.Errorf("confirmation step: no %q", want)
		}
	}
	if m := ruleIDs.FindString(body); m != "" {
		t.Errorf("the confirmation step shows the rule id %q to the applicant", m)
	}
	if n := mine(); n != 0 {
		t.Fatalf("%d applications filed before the final submit", n)
	}

	// 4. Back to the form: values and files kept, no error.
	w = f.do(applicant, "POST", path, multipartForm(t, fieldsOf(form, "edit"), nil))
	if body := w.Body.String(); w.Code != http.StatusOK || strings.Contains(body, "error-summary") ||
		!strings.Contains(body, form.IDNumber) || strings.Count(body, `class="received"`) != 2 {
		t.Errorf("back to the form: status %d", w.Code)
	}

	// 5. The final submit files it with the received files; a second tap files nothing more.
	w = f.do(applicant, "POST", path, multipartForm(t, fieldsOf(form, "submit"), nil))
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/me/applications/") {
		t.Fatalf("final submit: status %d, to %q; body %.300s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	page := f.do(applicant, "GET", strings.Split(w.Header().Get("Location"), "?")[0], nil).Body.String()
	if strings.Count(page, `href="/files/`) != 2 {
		t.Errorf("the filed application does not carry the photo and the diploma received earlier")
	}
	if m := ruleIDs.FindString(page); m != "" {
		t.Errorf("the applicant's application page shows the rule id %q", m)
	}
	if w := f.do(applicant, "GET", photo, nil); w.Code != http.StatusNotFound {
		t.Errorf("the received photo outlives the filed application: %d", w.Code)
	}
	w = f.do(applicant, "POST", path, multipartForm(t, fieldsOf(form, "submit"), nil))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/me?ok=already_applied" {
		t.Errorf("second final submit: status %d, to %q", w.Code, w.Header().Get("Location"))
	}
	if n := mine(); n != 1 {
		t.Errorf("%d applications after two final submits, want 1", n)
	}
}

// TestApplyForm_ReceivedFilesExpire: a file received with a form that is never filed is
// forgotten after StagedTTL, on the form and at its address.
func TestApplyForm_ReceivedFilesExpire(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.rec.StageFiles(ctx, f.actors[applicant], f.opening, map[string][]byte{"photo": testJPEG(60, 80)}); err != nil {
		t.Fatal(err)
	}
	staged, _ := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening)
	f.clock.Advance(recruitment.StagedTTL + time.Minute)
	if w := f.do(applicant, "GET", "/me/staged/"+staged[0].ID, nil); w.Code != http.StatusNotFound {
		t.Errorf("expired received photo: status %d", w.Code)
	}
	if body := f.do(applicant, "GET", fmt.Sprintf("/openings/%d/apply", f.opening), nil).Body.String(); strings.Contains(body, `class="received"`) {
		t.Error("the form still says an expired photo is received")
	}
	if n, err := f.rec.PurgeStagedUploads(ctx); err != nil || n != 1 {
		t.Errorf("purge: %d, %v", n, err)
	}
}

// TestApplyForm_BadFileNamedAndOlderKept: a file that is not an image is named on its field
// and the one received before stays.
func TestApplyForm_BadFileNamedAndOlderKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.rec.StageFiles(ctx, f.actors[applicant], f.opening, map[string][]byte{"photo": testJPEG(60, 80)}); err != nil {
		t.Fatal(err)
	}
	before, _ := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening)
	w := f.do(applicant, "POST", fmt.Sprintf("/openings/%d/apply", f.opening),
		multipartForm(t, map[string]string{"step": "review"}, map[string][]byte{"photo": []byte("%PDF-1.4 not an image")}))
	if body := w.Body.String(); w.Code != http.StatusBadRequest || !strings.Contains(body, `id="file_photo-err"`) {
		t.Errorf("bad photo: status %d", w.Code)
	}
	after, _ := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening)
	if len(after) != 1 || after[0].ID != before[0].ID {
		t.Errorf("the photo received before was dropped by a bad one: %+v", after)
	}
}

// TestApplyForm_NothingKeptAfterTheDeadline: past the deadline a round keeps no file and says
// the opening is closed.
func TestApplyForm_NothingKeptAfterTheDeadline(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.Advance(30 * 24 * time.Hour)
	f.login(applicant, f.users[applicant], fixturePassword) // the old session has expired
	w := f.do(applicant, "POST", fmt.Sprintf("/openings/%d/apply", f.opening),
		multipartForm(t, map[string]string{"step": "review"}, map[string][]byte{"photo": testJPEG(60, 80)}))
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "截止") {
		t.Errorf("round after the deadline: status %d", w.Code)
	}
	if staged, _ := f.rec.StagedFiles(ctx, f.actors[applicant], f.opening); len(staged) != 0 {
		t.Errorf("files kept for a closed opening: %+v", staged)
	}
}
