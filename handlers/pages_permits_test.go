package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"auxportal/certificates/permits"
)

// The permit pages from issue to revocation, as an admin and an inspector use them: the 颁发
// button, the card's page, the verify page a QR code opens (valid, then revoked, never the ID
// number or the reason), a forged code, the public key; bad input on every form and API call
// answered on the page or as JSON, in Chinese, nothing changed.
func TestPermitPages_T2(t *testing.T) {
	f := newFixture(t)
	pa := f.permitApplicants()
	_ = f.examFixture()
	pf := f.permitFixture(pa)
	ctx := context.Background()

	list := f.do(trainer, "GET", "/admin/permits", nil)
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), "待颁发（2 人）") || !strings.Contains(list.Body.String(), pf.no) {
		t.Fatalf("permits page: %d %.500s", list.Code, list.Body.String())
	}
	w := f.do(trainer, "POST", fmt.Sprintf("/admin/applications/%d/permit", pf.issuable[0]), "")
	if w.Code != http.StatusSeeOther || !strings.HasSuffix(w.Header().Get("Location"), "?ok=issued") {
		t.Fatalf("issue: %d %s %.300s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	page := f.do(trainer, "GET", w.Header().Get("Location"), nil).Body.String()
	if !strings.Contains(page, "上岗证已颁发") || !strings.Contains(page, "HM2026-") || !strings.Contains(page, "下载上岗证") {
		t.Errorf("permit page after issue: %.500s", page)
	}
	// Issuing twice is refused on the list, in Chinese.
	w = f.do(trainer, "POST", fmt.Sprintf("/admin/applications/%d/permit", pf.issuable[0]), "")
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "已持有上岗证") {
		t.Errorf("issue twice: %d %.300s", w.Code, w.Body.String())
	}

	// The verify page: valid, the name masked, no ID number.
	verify := "/verify/" + pf.no + "?sig=" + pf.sig
	v := f.do(anon, "GET", verify, nil).Body.String()
	viewed, _ := f.permits.Get(ctx, f.actors[district], pf.viewed)
	if !strings.Contains(v, "✓ 有效") || strings.Contains(v, viewed.HolderName) || strings.Contains(v, viewed.IDMasked) ||
		!strings.Contains(v, "/photo?sig=") {
		t.Errorf("verify page: %.800s", v)
	}
	// Revoking: an empty reason stays on the page with the error; then it is revoked, and the
	// verify page says so without the reason.
	w = f.do(district, "POST", fmt.Sprintf("/admin/permits/%d/revoke", pf.viewed), "reason=+")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "请填写原因") {
		t.Errorf("revoke without reason: %d %.300s", w.Code, w.Body.String())
	}
	w = f.do(district, "POST", fmt.Sprintf("/admin/permits/%d/revoke", pf.viewed), url.Values{"reason": {"冒用他人证件"}}.Encode())
	if w.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d %.300s", w.Code, w.Body.String())
	}
	v = f.do(anon, "GET", verify, nil).Body.String()
	if !strings.Contains(v, "已吊销") || strings.Contains(v, "冒用") || strings.Contains(v, "✓") {
		t.Errorf("verify after revoking: %.800s", v)
	}
	mine := f.do(applicant, "GET", "/me/permits", nil).Body.String()
	if !strings.Contains(mine, "已吊销") || !strings.Contains(mine, "冒用他人证件") {
		t.Errorf("the holder's page after revoking: %.600s", mine)
	}
	// A forged code: 404, 无效, nothing about any permit.
	for _, bad := range []string{"/verify/" + pf.no + "?sig=" + pf.sig[:85] + "A", "/verify/HM2026-00099?sig=" + pf.sig, "/verify/%3Cscript%3E?sig=x", "/verify/" + pf.no} {
		w := f.do(anon, "GET", bad, nil)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "无效") || strings.Contains(w.Body.String(), "<script>") {
			t.Errorf("verify %s: %d %.300s", bad, w.Code, w.Body.String())
		}
	}
	var pub permits.Public
	w = f.do(anon, "GET", "/api/v1/verify/"+pf.no+"?sig="+pf.sig, nil)
	if err := json.Unmarshal(w.Body.Bytes(), &pub); err != nil || pub.Status != "revoked" || pub.Valid || !pub.Genuine {
		t.Errorf("verify API: %s %v", w.Body.String(), err)
	}
	if key := f.do(anon, "GET", "/verify/key.pem", nil); !strings.HasPrefix(key.Body.String(), "-----BEGIN PUBLIC KEY-----") {
		t.Errorf("key file: %.200s", key.Body.String())
	}

	// Re-issue with a bad town or an over-long post stays on the page with the field's error.
	for form, want := range map[string]string{
		url.Values{"reason": {"调动"}, "town_id": {"999"}}.Encode():                "区镇不存在",
		url.Values{"reason": {"调动"}, "post": {strings.Repeat("岗", 21)}}.Encode(): "不超过 20 字",
		url.Values{"reason": {""}}.Encode():                                      "请填写原因",
	} {
		w := f.do(district, "POST", fmt.Sprintf("/admin/permits/%d/reissue", pf.revoke), form)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), want) {
			t.Errorf("reissue %s: %d, want 400 with %q: %.300s", form, w.Code, want, w.Body.String())
		}
	}
	if p, _ := f.permits.Get(ctx, f.actors[district], pf.revoke); p.Status != "active" {
		t.Errorf("a refused re-issue changed the permit: %s", p.Status)
	}
	// The JSON API's bad input: codes and fields.
	for _, c := range []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"POST", fmt.Sprintf("/api/v1/permits/%d/revoke", pf.revoke), reasonRequest{Reason: ""}, 400, "invalid_input"},
		{"POST", fmt.Sprintf("/api/v1/permits/%d/revoke", pf.revoke), rawJSON(`{"reason":"x","extra":1}`), 400, "bad_request"},
		{"POST", fmt.Sprintf("/api/v1/permits/%d/reissue", pf.revoke), permits.ReissueInput{Reason: "调动", TownID: 999}, 400, "invalid_input"},
		{"POST", "/api/v1/permits/print", permits.PrintInput{TownID: f.town.ID, Format: "docx"}, 400, "invalid_input"},
		{"POST", "/api/v1/permits/print", permits.PrintInput{Format: "pdf"}, 400, "invalid_input"},
		{"POST", "/api/v1/permits/print", permits.PrintInput{TownID: 999, Format: "pdf"}, 404, "not_found"},
		{"POST", fmt.Sprintf("/api/v1/applications/%d/permit", pf.issuable[0]), nil, 409, "already_issued"},
		{"POST", "/api/v1/applications/99999999999999999999/permit", nil, 404, "not_found"},
		{"GET", "/api/v1/permits?status=lost", nil, 400, "invalid_input"},
		{"GET", "/api/v1/permits?town=abc", nil, 400, "bad_request"},
		{"GET", "/api/v1/jobs/0", nil, 404, "not_found"},
	} {
		w := f.do(district, c.method, c.path, c.body)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != c.status || e.Error.Code != c.code || e.Error.Message == "" {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, w.Code, w.Body.String(), c.status, c.code)
		}
	}
}

// A print run as a page follows it: queued, then (the worker ran) done with its file; the
// page reloads itself only while the job runs.
func TestPermitPrintJob(t *testing.T) {
	f := newFixture(t)
	pa := f.permitApplicants()
	_ = f.examFixture()
	_ = f.permitFixture(pa)
	w := f.do(ownTown, "POST", "/admin/permits/print", url.Values{"town_id": {fmt.Sprint(f.town.ID)}, "format": {"zip"}}.Encode())
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "/jobs/") {
		t.Fatalf("print: %d %.300s", w.Code, w.Body.String())
	}
	jobPage := strings.Split(w.Header().Get("Location"), "?")[0]
	if p := f.do(ownTown, "GET", jobPage, nil).Body.String(); !strings.Contains(p, `http-equiv="refresh"`) || !strings.Contains(p, "排队中") {
		t.Errorf("queued job page: %.500s", p)
	}
	if w := f.do(otherTown, "GET", jobPage, nil); w.Code != http.StatusNotFound {
		t.Errorf("another town's admin sees the job: %d", w.Code)
	}
	if w := f.do(otherTown, "POST", "/admin/permits/print", url.Values{"town_id": {fmt.Sprint(f.town.ID)}, "format": {"zip"}}.Encode()); w.Code != http.StatusForbidden {
		t.Errorf("another town's admin prints this town: %d", w.Code)
	}
	if ran, err := f.jobs.RunOne(context.Background()); !ran || err != nil {
		t.Fatalf("run: %v %v", ran, err)
	}
	p := f.do(ownTown, "GET", jobPage, nil).Body.String()
	if strings.Contains(p, `http-equiv="refresh"`) || !strings.Contains(p, "已完成") || !strings.Contains(p, ".zip") {
		t.Errorf("finished job page: %.500s", p)
	}
	res := f.do(ownTown, "GET", jobPage+"/result", nil)
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "application/zip" ||
		!strings.Contains(res.Header().Get("Content-Disposition"), "filename*=UTF-8''") || res.Body.Len() < 1000 {
		t.Errorf("result: %d %v %d bytes", res.Code, res.Header(), res.Body.Len())
	}
}
