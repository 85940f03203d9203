package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

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
