package handlers

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// countApplications counts every stored application of an opening.
func (f *fixture) countApplications(opening uint64) int {
	f.t.Helper()
	as, err := f.store.ListApplications(context.Background(), models.ApplicationFilter{OpeningID: &opening})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(as)
}

func TestAPIBadInputIsA4xxWithCodeAndNothingStored(t *testing.T) {
	f := newFixture(t)
	open := fmt.Sprintf("/api/v1/openings/%d", f.opening)
	goodID := f.idNumber("1990-05-05")
	badCheck := goodID[:17] + map[bool]string{true: "1", false: "2"}[goodID[17] != '1']
	okFields := withProfile(map[string]string{"name": "张三", "id_number": f.idNumber("1991-01-01"), "education": "high_school",
		"accepts_conditions": "true", "healthy": "true",
		"under_discipline": "false", "criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false"})
	photo := map[string][]byte{"photo": testJPEG(40, 50), "diploma": testJPEG(50, 40)}
	with := func(m map[string]string, k, v string) map[string]string {
		out := map[string]string{}
		for a, b := range m {
			out[a] = b
		}
		out[k] = v
		return out
	}
	tests := []struct {
		name   string
		r      role
		method string
		path   string
		body   any
		status int
		code   string
		field  string
	}{
		{"malformed json", anon, "POST", open + "/eligibility", rawJSON(`{"name":`), 400, "bad_request", ""},
		{"unknown field", anon, "POST", open + "/eligibility", rawJSON(`{"nmae":"x"}`), 400, "bad_request", ""},
		{"trailing data", anon, "POST", open + "/eligibility", rawJSON(`{} {}`), 400, "bad_request", ""},
		{"wrong type", anon, "POST", open + "/eligibility", rawJSON(`{"veteran":"yes"}`), 400, "bad_request", ""},
		{"form instead of json", anon, "POST", open + "/eligibility", "name=x", 400, "unsupported_media_type", ""},
		{"bad checksum", anon, "POST", open + "/eligibility", eligibleForm(badCheck), 400, "invalid_id_number", "id_number"},
		{"impossible date", anon, "POST", open + "/eligibility", eligibleForm("32068419900230123X"), 400, "invalid_id_number", "id_number"},
		{"short id", anon, "POST", open + "/eligibility", eligibleForm("3206841990"), 400, "invalid_id_number", "id_number"},
		{"unknown education", anon, "POST", open + "/eligibility", recruitment.ApplicationForm{Name: "张三", IDNumber: goodID, Education: "phd"}, 400, "invalid_input", "education"},
		{"missing opening", anon, "POST", "/api/v1/openings/999/eligibility", eligibleForm(goodID), 404, "not_found", ""},
		{"non-numeric id", anon, "GET", "/api/v1/openings/abc", nil, 404, "not_found", ""},
		{"register bad phone", anon, "POST", "/api/v1/applicants", map[string]string{"phone": "12345", "password": fixturePassword, "name": "张三"}, 400, "invalid_input", "phone"},
		{"register short password", anon, "POST", "/api/v1/applicants", map[string]string{"phone": "13900000000", "password": "short", "name": "张三"}, 400, "invalid_input", "password"},
		// A registered number is answered as any number without a valid code: no phone_taken.
		{"register taken phone", anon, "POST", "/api/v1/applicants", map[string]any{"phone": "13800000001", "code": "123456", "password": fixturePassword, "name": "张三", "consent_sensitive": true}, 400, "invalid_code", "code"},
		{"register without consent", anon, "POST", "/api/v1/applicants", map[string]any{"phone": "13900000000", "code": "123456", "password": fixturePassword, "name": "张三"}, 400, "invalid_input", "consent_sensitive"},
		{"register without code", anon, "POST", "/api/v1/applicants", map[string]any{"phone": "13900000000", "password": fixturePassword, "name": "张三", "consent_sensitive": true}, 400, "invalid_input", "code"},
		{"register bad email", anon, "POST", "/api/v1/applicants", map[string]any{"phone": "13900000000", "code": "123456", "password": fixturePassword, "name": "张三", "email": "张三@163", "consent_sensitive": true}, 400, "invalid_input", "email"},
		{"code for no purpose", anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "login", "phone": "13900000000"}, 400, "invalid_input", "purpose"},
		{"code for a bad phone", anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "register", "phone": "1390000"}, 400, "invalid_input", "phone"},
		{"code for no account", anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "reset", "account": ""}, 400, "invalid_input", "account"},
		{"code with an unknown field", anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "reset", "account": "x", "admin": "1"}, 400, "bad_request", ""},
		{"reset with a short code", anon, "POST", "/api/v1/password-reset", map[string]string{"account": "13800000001", "code": "12", "password": fixturePassword}, 400, "invalid_input", "code"},
		{"reset with a wrong code", anon, "POST", "/api/v1/password-reset", map[string]string{"account": "13800000001", "code": "000000", "password": fixturePassword}, 400, "invalid_code", "code"},
		{"reset without password", anon, "POST", "/api/v1/password-reset", map[string]string{"account": "13800000001", "code": "000000"}, 400, "invalid_input", "password"},
		{"change with a wrong current password", applicant, "PUT", "/api/v1/me/password", map[string]string{"current_password": "not-my-password", "password": "New-pass-word-2026"}, 400, "invalid_input", "current_password"},
		{"change to a common password", applicant, "PUT", "/api/v1/me/password", map[string]string{"current_password": fixturePassword, "password": "password1"}, 400, "invalid_input", "password"},
		{"verify email without a code", applicant, "POST", "/api/v1/me/email/verify", map[string]string{"code": ""}, 400, "invalid_input", "code"},
		{"reset own password", district, "POST", fmt.Sprintf("/api/v1/users/%d/reset-password", f.actors[district].UserID), nil, 400, "self_reset", ""},
		{"login bad", anon, "POST", "/api/v1/session", map[string]string{"username": "13800000001", "password": "wrong-password"}, 401, "bad_credentials", ""},
		{"apply without photo", applicant, "POST", open + "/applications", multipartForm(t, okFields, map[string][]byte{"diploma": testJPEG(9, 9)}), 400, "invalid_input", "file_photo"},
		{"apply with text as photo", applicant, "POST", open + "/applications", multipartForm(t, okFields, map[string][]byte{"photo": []byte("<script>alert(1)</script>"), "diploma": testJPEG(9, 9)}), 400, "invalid_input", "file_photo"},
		{"apply bad id", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "id_number", badCheck), photo), 400, "invalid_id_number", "id_number"},
		{"apply bad boolean", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "veteran", "maybe"), photo), 400, "invalid_input", "veteran"},
		{"apply veteran without proof", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "veteran", "true"), photo), 400, "invalid_input", "file_veteran_proof"},
		{"apply json", applicant, "POST", open + "/applications", eligibleForm(goodID), 400, "unsupported_media_type", ""},
		{"opening missing fields", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇"}, 400, "invalid_input", "title"},
		{"opening unknown town", district, "POST", "/api/v1/openings", map[string]any{"town": "火星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-06-08", "closes_at": "2026-06-30"}, 400, "invalid_input", "town"},
		{"opening closes before opens", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-06-30", "closes_at": "2026-06-01"}, 400, "invalid_input", "closes_at"},
		{"opening relaxes base (R-2)", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-06-08", "closes_at": "2026-06-30", "conditions": map[string]any{"max_age": 50}}, 400, "invalid_input", "conditions"},
		{"opening bad date", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-02-30", "closes_at": "2026-06-30"}, 400, "invalid_input", "opens_at"},
		{"extend earlier", district, "POST", open + "/extend", map[string]string{"closes_at": "2026-06-15", "reason": "x"}, 400, "invalid_input", "closes_at"},
		{"extend without reason", district, "POST", open + "/extend", map[string]string{"closes_at": "2026-07-15"}, 400, "invalid_input", "reason"},
		{"bad score", district, "PUT", open + "/scores", map[string]any{"scores": []map[string]any{{"application_id": 1, "score": "abc"}}}, 400, "invalid_input", ""},
		{"staff bad role", district, "POST", "/api/v1/users", map[string]any{"username": "someone", "password": fixturePassword, "name": "某人", "role": "root"}, 400, "invalid_input", "role"},
		{"town admin without town", district, "POST", "/api/v1/users", map[string]any{"username": "someone", "password": fixturePassword, "name": "某人", "role": "town_admin"}, 400, "invalid_input", "town_id"},
		{"existing staff negative", district, "PUT", fmt.Sprintf("/api/v1/towns/%d/existing-staff", f.town.ID), map[string]any{"existing_staff": -3, "reason": "x"}, 400, "invalid_input", "existing_staff"},
		// Recruitment integrity (A2-1, A2-2, A2-3, A2-5, A2-6, R-1).
		{"apply with A2-6 unanswered", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "other_bar", ""), photo), 400, "invalid_input", "other_bar"},
		{"apply with an A2-6 answer that is neither", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "under_discipline", "maybe"), photo), 400, "invalid_input", "under_discipline"},
		{"apply without the A2-1 promise", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "accepts_conditions", "false"), photo), 400, "invalid_input", "accepts_conditions"},
		{"apply without the A2-5 promise", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "healthy", ""), photo), 400, "invalid_input", "healthy"},
		{"apply with a region code no ID has", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "id_number", regionless(goodID, "80")), photo), 400, "invalid_id_number", "id_number"},
		{"eligibility with region 10", anon, "POST", open + "/eligibility", eligibleForm(regionless(goodID, "10")), 400, "invalid_id_number", "id_number"},
		{"apply a photo of 40 megapixels", applicant, "POST", open + "/applications", multipartForm(t, okFields, map[string][]byte{"photo": bigProgressive(t), "diploma": testJPEG(9, 9)}), 400, "invalid_input", "file_photo"},
		{"opening reference date after the deadline", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-06-08", "closes_at": "2026-06-30", "reference_date": "2031-06-30"}, 400, "invalid_input", "reference_date"},
		{"opening backdated years", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2015-06-01", "closes_at": "2015-06-30"}, 400, "invalid_input", "opens_at"},
		{"opening bad pass mark", district, "POST", "/api/v1/openings", map[string]any{"town": "三星镇", "title": "巡查岗", "seats": 1, "opens_at": "2026-06-08", "closes_at": "2026-06-30", "pass_mark": "-5"}, 400, "invalid_input", "pass_mark"},
		{"extend by ten years", district, "POST", open + "/extend", map[string]string{"closes_at": "2036-06-30", "reason": "x"}, 400, "invalid_input", "closes_at"},
		{"base admits foreign nationals", district, "PUT", "/api/v1/base-conditions", map[string]any{"conditions": map[string]any{"allow_foreign": true}, "reason": "x"}, 400, "relaxes_attachment_2", ""},
		{"base minimum age 16", district, "PUT", "/api/v1/base-conditions", map[string]any{"conditions": map[string]any{"min_age": 16}, "reason": "x"}, 400, "relaxes_attachment_2", ""},
		{"base maximum age 60", district, "PUT", "/api/v1/base-conditions", map[string]any{"conditions": map[string]any{"max_age": 60, "relaxed_max_age": 60}, "reason": "x"}, 400, "relaxes_attachment_2", ""},
		{"reopen scoring without reason", district, "POST", open + "/scoring/reopen", map[string]string{"reason": ""}, 400, "invalid_input", "reason"},
		{"reopen scoring of an unfrozen opening", district, "POST", open + "/scoring/reopen", map[string]string{"reason": "x"}, 409, "not_frozen", ""},
		{"reopen a missing review item", district, "POST", "/api/v1/reviews/999999/reopen", map[string]string{"reason": "x"}, 404, "not_found", ""},
		{"reopen review without reason", district, "POST", "/api/v1/reviews/1/reopen", map[string]string{}, 400, "invalid_input", "reason"},
		{"supplement as json", applicant, "POST", "/api/v1/reviews/1/supplement", map[string]string{"file": "x"}, 400, "unsupported_media_type", ""},
		{"score for an id past 2^63", district, "PUT", open + "/scores", map[string]any{"scores": []map[string]any{{"application_id": uint64(1<<63 + 5), "score": "80"}}}, 400, "invalid_input", ""},
		{"apply with a name that is not UTF-8", applicant, "POST", open + "/applications", multipartForm(t, with(okFields, "name", "\xff\xfe张三"), photo), 400, "invalid_text", "name"},
		{"a query that is not UTF-8", district, "GET", "/api/v1/bank?category=%ff%fe", nil, 400, "invalid_text", ""},
		{"mark absent with a score", district, "PUT", open + "/scores", map[string]any{"scores": []map[string]any{{"application_id": 1, "score": "80", "absent": true}}}, 400, "invalid_input", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.countApplications(f.opening)
			w := f.do(tt.r, tt.method, tt.path, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body.String())
			}
			var e apiError
			e.Error.Code = errorCode(t, w)
			if e.Error.Code != tt.code {
				t.Errorf("code %q, want %q (%s)", e.Error.Code, tt.code, w.Body.String())
			}
			if !strings.Contains(w.Body.String(), `"message":"`) {
				t.Errorf("no message: %s", w.Body.String())
			}
			if tt.field != "" && !strings.Contains(w.Body.String(), `"`+tt.field+`":`) {
				t.Errorf("no message for field %s: %s", tt.field, w.Body.String())
			}
			if after := f.countApplications(f.opening); after != before {
				t.Errorf("applications %d → %d: a refused request stored something", before, after)
			}
		})
	}
}

// regionless is number with its first two digits replaced and the check character redone.
func regionless(number, code string) string {
	first := code + number[2:17]
	c, _ := screening.IDCheckChar(first)
	return first + string(c)
}

// bigProgressive is the 6300×6300 progressive JPEG (466 KB) of the decode-flood report.
func bigProgressive(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../media/testdata/progressive-6300.jpg")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawJSON is a request body sent as it is, labelled JSON.
type rawJSON string

func TestPagesShowChineseErrors(t *testing.T) {
	f := newFixture(t)
	goodID := f.idNumber("1990-05-05")
	badCheck := goodID[:17] + map[bool]string{true: "1", false: "2"}[goodID[17] != '1']
	tests := []struct {
		name   string
		r      role
		path   string
		body   any
		status int
		want   string
	}{
		{"register passwords differ", anon, "/register", "phone=13911112222&code=123456&name=张三&password=Fixture-pass-2026&password2=password2", 400, "两次输入的密码不一致"},
		{"register bad phone", anon, "/register", "phone=123&code=123456&name=张三&password=Fixture-pass-2026&password2=Fixture-pass-2026&consent_sensitive=1", 400, "请填写 11 位中国大陆手机号码"},
		{"register without consent", anon, "/register", "phone=13911112222&code=123456&name=张三&password=Fixture-pass-2026&password2=Fixture-pass-2026", 400, "请阅读《敏感个人信息处理规则》并勾选同意"},
		{"register wrong code", anon, "/register", "phone=13911112222&code=123456&name=张三&password=Fixture-pass-2026&password2=Fixture-pass-2026&consent_sensitive=1", 400, "验证码错误或已过期"},
		{"code for a bad phone", anon, "/register/code", "phone=139", 400, "请填写 11 位中国大陆手机号码"},
		{"reset passwords differ", anon, "/password/reset", "account=13800000001&code=123456&password=Fixture-pass-2026&password2=x", 400, "两次输入的密码不一致"},
		{"reset wrong code", anon, "/password/reset", "account=13800000001&code=123456&password=Fixture-pass-2027&password2=Fixture-pass-2027", 400, "验证码错误或已过期"},
		{"change wrong current", applicant, "/me/password", "current_password=nope-nope-nope&password=Fixture-pass-2027&password2=Fixture-pass-2027", 400, "当前密码不正确"},
		{"login bad", anon, "/login", "username=13800000001&password=nope-nope", 401, "账号或密码错误"},
		{"apply bad id", applicant, fmt.Sprintf("/openings/%d/apply", f.opening),
			multipartForm(t, map[string]string{"name": "张三", "id_number": badCheck, "education": "high_school"}, nil), 400, "身份证号码"},
		{"apply no photo", applicant, fmt.Sprintf("/openings/%d/apply", f.opening),
			multipartForm(t, map[string]string{"name": "张三", "id_number": goodID, "education": "high_school", "accepts_conditions": "on", "healthy": "on"}, nil), 400, "请上传证件照"},
		{"new opening empty", district, "/admin/openings/new", "title=&seats=0", 400, "岗位名称须为 2 至 100 个字"},
		{"extend without reason", district, fmt.Sprintf("/admin/openings/%d/extend", f.opening), "closes_at=2026-07-30&reason=", 400, "请填写延期原因"},
		{"score for another opening's application", district, fmt.Sprintf("/admin/openings/%d/scores", f.opening), "score_1=abc", 400, "报名记录不属于该岗位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.countApplications(f.opening)
			w := f.do(tt.r, "POST", tt.path, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body.String())
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q, want an HTML page", ct)
			}
			if !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("page does not say %q", tt.want)
			}
			if !strings.Contains(w.Body.String(), `role="alert"`) {
				t.Errorf("error not announced (role=alert)")
			}
			if after := f.countApplications(f.opening); after != before {
				t.Errorf("a refused form stored an application")
			}
		})
	}
}

func TestUntrustedTextIsEscaped(t *testing.T) {
	f := newFixture(t)
	form := eligibleForm(f.idNumber("1990-05-05"))
	form.Name = `<script>alert("x")</script>`
	form.Major = `"><img src=x onerror=alert(1)>`
	id := f.apply(applicant, f.opening, form)
	for _, r := range []role{applicant, district} {
		path := fmt.Sprintf("/me/applications/%d", id)
		if r == district {
			path = fmt.Sprintf("/admin/applications/%d", id)
		}
		body := f.do(r, "GET", path, nil).Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s page contains unescaped input", r)
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s page does not show the escaped name", r)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	f := newFixture(t)
	w := f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/eligibility", f.opening), eligibleForm(f.idNumber("1990-01-01")),
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if w.Code != http.StatusForbidden || errorCode(t, w) != "cross_origin" {
		t.Fatalf("cross-site POST: %d %s", w.Code, w.Body.String())
	}
	w = f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/eligibility", f.opening), eligibleForm(f.idNumber("1990-01-01")),
		"Sec-Fetch-Site", "same-origin")
	if w.Code != http.StatusOK {
		t.Fatalf("same-origin POST: %d %s", w.Code, w.Body.String())
	}
}

func TestIDNumberMaskedOutsideReviewerView_NoBirthDate(t *testing.T) {
	f := newFixture(t)
	number := f.idNumber("1990-05-05")
	id := f.apply(applicant, f.opening, eligibleForm(number))
	for _, tt := range []struct {
		r     role
		path  string
		whole bool
	}{
		{applicant, fmt.Sprintf("/me/applications/%d", id), false},
		{applicant, fmt.Sprintf("/api/v1/applications/%d", id), false},
		{applicant, "/me", false},
		{district, fmt.Sprintf("/admin/openings/%d", f.opening), false},
		{district, fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), false},
		{district, fmt.Sprintf("/api/v1/openings/%d/ranking", f.opening), false},
		{district, "/admin/review", false},
		{district, fmt.Sprintf("/admin/applications/%d", id), true},
		{district, fmt.Sprintf("/api/v1/admin/applications/%d", id), true},
	} {
		body := f.do(tt.r, "GET", tt.path, nil).Body.String()
		if got := strings.Contains(body, number); got != tt.whole {
			t.Errorf("%s: whole ID number shown = %v, want %v", tt.path, got, tt.whole)
		}
		if masked := number[:3] + "*************" + number[16:]; !tt.whole && !strings.Contains(body, masked) {
			t.Errorf("%s: masked number %s missing", tt.path, masked)
		}
		// DESIGN.md: beside the mask, the birth date gives the number back; no view below the
		// reviewer's shows it, in any spelling.
		for _, birth := range []string{"1990-05-05", "19900505", "1990年5月5日"} {
			if !tt.whole && strings.Contains(body, birth) {
				t.Errorf("%s: shows the birth date %s beside the mask", tt.path, birth)
			}
		}
	}
}

func TestRateLimitPerIP(t *testing.T) {
	f := newFixture(t)
	limited := 0
	for i := 0; i < DefaultRateLimits().Login.Burst+5; i++ {
		// A name per try, so the per-account throttle (5 failures) stays out of the way.
		w := f.do(anon, "POST", "/api/v1/session", map[string]string{"username": fmt.Sprintf("nobody%d", i), "password": fixturePassword})
		if w.Code == http.StatusTooManyRequests {
			limited++
			if errorCode(t, w) != "rate_limited" || w.Header().Get("Retry-After") == "" {
				t.Errorf("429 without code or Retry-After: %s", w.Body.String())
			}
		}
	}
	if limited != 5 {
		t.Errorf("%d logins refused, want 5 beyond the burst", limited)
	}
}

// A browser sends an empty file input as a part with an empty file name, which Go reads as a
// plain value of that name. Upload names never equal a field's name, so an empty proof upload
// cannot untick the claim it supports.
func TestEmptyFileInputDoesNotDropAClaim(t *testing.T) {
	f := newFixture(t)
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range map[string]string{"name": "张三", "id_number": f.idNumber("1983-01-01"), "education": "high_school",
		"accepts_conditions": "on", "healthy": "on", "veteran": "on"} {
		_ = w.WriteField(k, v)
	}
	for _, k := range recruitment.FileKinds() {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=""`, k))
		h.Set("Content-Type", "application/octet-stream")
		if k == recruitment.FilePhoto || k == recruitment.FileDiploma {
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s.jpg"`, k, k))
		}
		part, _ := w.CreatePart(h)
		if k == recruitment.FilePhoto || k == recruitment.FileDiploma {
			_, _ = part.Write(testJPEG(30, 30))
		}
	}
	_ = w.Close()
	resp := f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening),
		&multipartBody{data: b.Bytes(), contentType: w.FormDataContentType()})
	if resp.Code != http.StatusBadRequest || !strings.Contains(resp.Body.String(), "file_"+recruitment.FileVeteran) {
		t.Fatalf("a veteran claim with an empty proof upload: %d %s; want 400 asking for the proof", resp.Code, resp.Body.String())
	}
}

// The decode flood of the security report, with real concurrent requests: applications that
// carry big images under seven file kinds but leave out a required one are refused before any
// image is decoded, and 40-megapixel images are refused from their header; an ordinary
// application made at the same time goes through, and the decodes stay within their budget.
func TestApply_DecodeFloodRefusedBeforeDecoding(t *testing.T) {
	f := newFixture(t)
	mid, err := os.ReadFile("../media/testdata/progressive-3000.jpg")
	if err != nil {
		t.Fatal(err)
	}
	big := bigProgressive(t)
	fields := func() map[string]string {
		return map[string]string{"name": "张三", "id_number": f.idNumber("1991-01-01"), "education": "high_school",
			"accepts_conditions": "true", "healthy": "true", "veteran": "true", "former_aux_staff": "true",
			"party_member": "true", "heroic_honor": "true",
			"under_discipline": "false", "criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false"}
	}
	flood := func(img []byte) map[string][]byte {
		files := map[string][]byte{}
		for _, k := range recruitment.FileKinds() {
			if k != recruitment.FileDiploma { // the required one left out
				files[k] = img
			}
		}
		return files
	}
	_, before := f.rec.ImageBudget().Stats()
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img := mid
			if i%2 == 1 {
				img = big
			}
			codes[i] = f.do(applicant, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), multipartForm(t, fields(), flood(img))).Code
		}()
	}
	ordinary := make(chan int)
	go func() {
		ordinary <- f.do(otherApplicant, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", f.opening), multipartForm(t,
			withProfile(map[string]string{"name": "李四", "id_number": f.idNumber("1992-02-02"), "education": "high_school",
				"accepts_conditions": "true", "healthy": "true", "under_discipline": "false",
				"criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false"}),
			map[string][]byte{"photo": testJPEG(60, 80), "diploma": testJPEG(80, 60)})).Code
	}()
	wg.Wait()
	if code := <-ordinary; code != http.StatusCreated {
		t.Errorf("the ordinary application during the flood: %d", code)
	}
	for i, c := range codes {
		if c != http.StatusBadRequest {
			t.Errorf("flood request %d: %d, want 400", i, c)
		}
	}
	// Nothing is decoded in a request any more: the ordinary application's two files wait in
	// quarantine, and the flood left nothing there.
	if _, during := f.rec.ImageBudget().Stats(); during != before {
		t.Errorf("%d images decoded in the requests, want none", during-before)
	}
	if n, err := f.store.QuarantineBacklog(context.Background()); err != nil || n != 2 {
		t.Errorf("%d files in quarantine (%v), want the ordinary application's 2", n, err)
	}
	f.drain()
	peak, after := f.rec.ImageBudget().Stats()
	if after-before != 2 {
		t.Errorf("%d images decoded, want only the ordinary application's 2", after-before)
	}
	if peak > f.rec.ImageBudget().Size() {
		t.Errorf("decodes reserved %d bytes at once, over the budget of %d", peak, f.rec.ImageBudget().Size())
	}
}
