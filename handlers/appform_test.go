package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"auxportal/certificates/pdftest"
	"auxportal/screening"
)

// The printable 报名表 through the router: the applicant's copy carries the mask and no birth
// date (DESIGN.md, personal data); the reviewer's copy the whole number, the birth date and the
// 报名表's other fields; both are PDFs with extractable text, sent as downloads nobody caches.
func TestAppFormPDF_OwnerAndReviewerCopies(t *testing.T) {
	f := newFixture(t)
	id := f.idNumber("1994-09-09")
	appID := f.apply(applicant, f.opening, eligibleForm(id))
	squeeze := strings.NewReplacer(" ", "", "\n", "").Replace
	get := func(r role, path string) string {
		t.Helper()
		resp := f.do(r, "GET", path, nil)
		if resp.Code != http.StatusOK || resp.Header().Get("Content-Type") != "application/pdf" ||
			!strings.Contains(resp.Header().Get("Cache-Control"), "no-store") {
			t.Fatalf("%s: %d %s %q", path, resp.Code, resp.Header().Get("Content-Type"), resp.Body.String())
		}
		return pdftest.Text(t, resp.Body.Bytes())
	}
	own := get(applicant, fmt.Sprintf("/me/applications/%d/form.pdf", appID))
	for _, want := range []string{screening.MaskID(id), "王五", "汉族", "群众", "江苏省海门中学", "2012.06", "王建国（父亲） 13962800001", "本人留存"} {
		if !strings.Contains(own, want) {
			t.Errorf("the applicant's copy lacks %q:\n%s", want, own)
		}
	}
	for _, leak := range []string{id, "1994年9月9日", "19940909"} {
		if strings.Contains(squeeze(own), leak) {
			t.Errorf("the applicant's copy shows %q beside the mask", leak)
		}
	}
	rev := get(ownTown, fmt.Sprintf("/admin/applications/%d/form.pdf", appID))
	for _, want := range []string{id, "1994年9月9日", "海门区三星镇叠石桥村 5 组 18 号", "资格审查用"} {
		if !strings.Contains(rev, want) {
			t.Errorf("the reviewer's copy lacks %q:\n%s", want, rev)
		}
	}
	if resp := f.do(otherTown, "GET", fmt.Sprintf("/api/v1/applications/%d/form.pdf", appID), nil); resp.Code != http.StatusNotFound ||
		!strings.Contains(resp.Body.String(), "not_found") {
		t.Errorf("another town's admin: %d %s", resp.Code, resp.Body.String())
	}
}

// The 报名表's fields on the page: a wrong answer comes back on its own field, in Chinese,
// with what was typed kept (lines included) and nothing stored; the API names the same fields.
func TestApplyPage_ProfileErrorsFieldByField(t *testing.T) {
	f := newFixture(t)
	fields := withProfile(map[string]string{"name": "张三", "id_number": f.idNumber("1991-05-06"), "education": "high_school",
		"accepts_conditions": "on", "healthy": "on", "under_discipline": "false", "criminal_penalty_unfinished": "false",
		"under_investigation": "false", "other_bar": "false",
		"graduated": "2003-06", "emergency_phone": "123", "address": "三星镇\u202e叠石桥",
		"family_relation": "母亲", "family_name": "李秀英"})
	files := map[string][]byte{"photo": testJPEG(40, 50), "diploma": testJPEG(50, 40)}
	before := f.countApplications(f.opening)
	resp := f.do(applicant, "POST", fmt.Sprintf("/openings/%d/apply", f.opening), multipartForm(t, fields, files))
	body := resp.Body.String()
	if resp.Code != http.StatusBadRequest {
		t.Fatalf("page: %d", resp.Code)
	}
	for _, want := range []string{`id="graduated-err"`, "出生日期不符", `id="emergency_phone-err"`, "11 位中国大陆手机号码",
		`id="address-err"`, "控制字符", `id="family_work_1-err"`, "不完整", `value="李秀英"`, `value="江苏省海门中学"`,
		`<option selected>汉族</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form shown again lacks %q", want)
		}
	}
	resp = f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), multipartForm(t, fields, files))
	for _, want := range []string{`"code":"invalid_input"`, `"graduated":`, `"emergency_phone":`, `"address":`, `"family_work_1":`} {
		if resp.Code != http.StatusBadRequest || !strings.Contains(resp.Body.String(), want) {
			t.Errorf("API: %d, want %s in %s", resp.Code, want, resp.Body.String())
		}
	}
	if n := f.countApplications(f.opening); n != before {
		t.Errorf("%d applications stored by refused forms", n-before)
	}
}

// What the 报名表 cannot print is refused when the applicant types it, on its own field: an
// application accepted with it would have a 报名表 nobody can print, the reviewer included.
func TestApply_ProfileTextTheFormCannotPrintRefused(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ field, value string }{
		{"address", "海门区三星镇叠石桥村 5 组 18 号😀"},
		{"school", "江苏省海门中学\U00020000"},
		{"resume_org", "南通\U0001F3E0有限公司"},
		{"family_name", "李𠀀"},
	} {
		fields := withProfile(map[string]string{"name": "张三", "id_number": f.idNumber("1991-05-06"), "education": "high_school",
			"accepts_conditions": "on", "healthy": "on", "under_discipline": "false", "criminal_penalty_unfinished": "false",
			"under_investigation": "false", "other_bar": "false", c.field: c.value})
		if c.field == "family_name" {
			fields["family_relation"], fields["family_work"] = "母亲", "个体经营"
		}
		files := map[string][]byte{"photo": testJPEG(40, 50), "diploma": testJPEG(50, 40)}
		f.clock.Advance(7 * time.Minute)
		resp := f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), multipartForm(t, fields, files))
		if resp.Code != http.StatusBadRequest || !strings.Contains(resp.Body.String(), "无法打印") {
			t.Errorf("%s %q: %d %.300s", c.field, c.value, resp.Code, resp.Body.String())
			continue
		}
	}
	if n := f.countApplications(f.opening); n != 0 {
		t.Errorf("%d applications stored with text the 报名表 cannot print", n)
	}
}
