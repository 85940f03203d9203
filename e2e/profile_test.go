package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"auxportal/certificates/pdftest"
)

// The 报名表's further fields, as the journey's applicants fill them in.
var profileValues = map[string]string{
	"ethnicity": "汉族", "political_status": "群众", "hukou_place": "江苏省南通市海门区三星镇",
	"address": "海门区三星镇叠石桥村 5 组 18 号", "school": "江苏省海门中学",
	"phone2": "13706281234", "emergency_name": "王建国", "emergency_relation": "父亲", "emergency_phone": "13962800001",
}

// fillProfile fills in the 报名表's further fields on the apply form, lines included, the way an
// applicant does: selects by choosing, texts by typing, the month inputs by their picker's
// value. School ended in June of grad, and a job followed.
func fillProfile(grad int) chromedp.Action[chromedp.Void] {
	ym := func(y int, m string) string { return fmt.Sprintf("%d-%s", y, m) }
	steps := []chromedp.Action[chromedp.Void]{choose("#graduated", ym(grad, "06"))}
	for _, k := range []string{"ethnicity", "political_status"} {
		steps = append(steps, choose("#"+k, profileValues[k]))
	}
	for _, k := range []string{"hukou_place", "address", "school", "phone2", "emergency_name", "emergency_relation", "emergency_phone"} {
		steps = append(steps, typeInto("#"+k, profileValues[k]))
	}
	steps = append(steps,
		choose("#resume_from_1", ym(grad-3, "09")), choose("#resume_to_1", ym(grad, "06")),
		typeInto("#resume_org_1", "江苏省海门中学"), typeInto("#resume_role_1", "学生"),
		choose("#resume_from_2", ym(grad, "07")),
		typeInto("#resume_org_2", "海门叠石桥国际家纺城"), typeInto("#resume_role_2", "营业员"),
		typeInto("#family_relation_1", "父亲"), typeInto("#family_name_1", "王建国"), typeInto("#family_work_1", "三星镇叠石桥村村民"),
	)
	return chromedp.Steps(steps...)
}

// birthYear is the year of birth inside an ID number.
func birthYear(t *testing.T, id string) int {
	t.Helper()
	y, err := strconv.Atoi(id[6:10])
	if err != nil {
		t.Fatalf("ID number %q: %v", id, err)
	}
	return y
}

// withProfile adds the 报名表's further fields (one line of each table) to an API form.
func withProfile(m map[string]string, grad int) map[string]string {
	for k, v := range profileValues {
		m[k] = v
	}
	for k, v := range map[string]string{"graduated": fmt.Sprintf("%d-06", grad), "resume_from": fmt.Sprintf("%d-09", grad-3),
		"resume_to": fmt.Sprintf("%d-06", grad), "resume_org": "江苏省海门中学", "resume_role": "学生"} {
		m[k] = v
	}
	return m
}

// downloadText fetches a PDF with the browser's session and returns pdftotext's reading of it.
func downloadText(t *testing.T, b *browser, href string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+href, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.cookies() {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", href, err)
	}
	pdf, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GET %s: %s %q %v\n%.300s", href, resp.Status, resp.Header.Get("Content-Type"), err, pdf)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("GET %s: not a PDF", href)
	}
	return pdftest.Text(t, pdf)
}
