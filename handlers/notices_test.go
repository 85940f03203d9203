package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"auxportal/accounts"
	"auxportal/models"
)

// Bad input on every notice and settings endpoint: a 4xx with a code and a message, and nothing
// stored (the applicant's address and read marks stay as they were).
func TestNoticesAPI_BadInputIsA4xxAndNothingStored(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.acc.SaveSettings(ctx, f.actors[applicant], accounts.SettingsInput{Email: "zhangsan@163.com"}); err != nil {
		t.Fatal(err)
	}
	mine := f.notice(applicant, "审核结果通知")
	theirs := f.notice(otherApplicant, "审核结果通知")
	sent := f.deadDelivery()
	if err := f.store.DB().Model(&models.NoticeDelivery{}).Where("id = ?", sent).Update("status", models.DeliverySent).Error; err != nil {
		t.Fatal(err)
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
		{"inbox before not a number", applicant, "GET", "/api/v1/me/notices?before=abc", nil, 400, "invalid_input", "before"},
		{"inbox before past 2^63", applicant, "GET", "/api/v1/me/notices?before=9223372036854775808", nil, 400, "invalid_input", "before"},
		{"inbox before negative", applicant, "GET", "/api/v1/me/notices?before=-1", nil, 400, "invalid_input", "before"},
		{"read another user's notice", applicant, "POST", fmt.Sprintf("/api/v1/me/notices/%d/read", theirs), nil, 404, "not_found", ""},
		{"read a missing notice", applicant, "POST", "/api/v1/me/notices/999999/read", nil, 404, "not_found", ""},
		{"read a non-numeric id", applicant, "POST", "/api/v1/me/notices/abc/read", nil, 404, "not_found", ""},
		{"read with GET", applicant, "GET", fmt.Sprintf("/api/v1/me/notices/%d/read", mine), nil, 400, "method_not_allowed", ""},
		{"settings bad address", applicant, "PUT", "/api/v1/me/settings", map[string]string{"email": "zhangsan.163.com"}, 400, "invalid_input", "email"},
		{"settings address with CRLF", applicant, "PUT", "/api/v1/me/settings", map[string]string{"email": "a@b.com\r\nBcc: c@d.com"}, 400, "invalid_input", "email"},
		{"settings display name", applicant, "PUT", "/api/v1/me/settings", map[string]string{"email": "张三 <zhangsan@163.com>"}, 400, "invalid_input", "email"},
		{"settings unknown field", applicant, "PUT", "/api/v1/me/settings", rawJSON(`{"email":"a@b.com","role":"district_admin"}`), 400, "bad_request", ""},
		{"settings wrong type", applicant, "PUT", "/api/v1/me/settings", rawJSON(`{"email":42}`), 400, "bad_request", ""},
		{"settings malformed", applicant, "PUT", "/api/v1/me/settings", rawJSON(`{"email":`), 400, "bad_request", ""},
		{"settings as a form", applicant, "PUT", "/api/v1/me/settings", "email=a@b.com", 400, "unsupported_media_type", ""},
		{"settings not UTF-8", applicant, "PUT", "/api/v1/me/settings", rawJSON("{\"email\":\"\xff@b.com\"}"), 400, "", ""},
		{"retry a missing delivery", district, "POST", "/api/v1/notice-deliveries/999999/retry", nil, 404, "not_found", ""},
		{"retry a delivery already sent", district, "POST", fmt.Sprintf("/api/v1/notice-deliveries/%d/retry", sent), nil, 409, "not_retryable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(tt.r, tt.method, tt.path, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body.String())
			}
			if code := errorCode(t, w); tt.code != "" && code != tt.code {
				t.Errorf("code %q, want %q (%s)", code, tt.code, w.Body.String())
			}
			if !strings.Contains(w.Body.String(), `"message":"`) {
				t.Errorf("no message: %s", w.Body.String())
			}
			if tt.field != "" && !strings.Contains(w.Body.String(), `"`+tt.field+`":`) {
				t.Errorf("no message for field %s: %s", tt.field, w.Body.String())
			}
			st, _ := f.acc.Settings(ctx, f.actors[applicant])
			if st.Email != "zhangsan@163.com" {
				t.Errorf("the address changed to %q", st.Email)
			}
			if n, _ := f.notes.UnreadCount(ctx, f.actors[otherApplicant]); n != 1 {
				t.Error("another user's notice was marked read")
			}
		})
	}
}

// The inbox page: newest first, unread ones marked, a mark-all button, the unread count in
// the header's badge on every page, text escaped; marking read works without JavaScript.
func TestNoticesPage_UnreadMarkedAndBadge(t *testing.T) {
	f := newFixture(t)
	first := f.notice(applicant, "第一条")
	f.notice(applicant, `<script>alert("x")</script>`)
	body := f.do(applicant, "GET", "/me/notices", nil).Body.String()
	for _, want := range []string{"您有 <strong>2</strong> 条未读通知", `action="/me/notices/read-all"`, `class="tag new">未读`,
		`<span class="badge">2<span class="sr-only">条未读</span></span>`, "&lt;script&gt;", `href="/me/exams"`, "正文第一行\n正文第二行"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a notice's title is not escaped")
	}
	if strings.Index(body, "&lt;script&gt;") > strings.Index(body, "第一条") {
		t.Error("not newest first")
	}
	if other := f.do(otherApplicant, "GET", "/me/notices", nil).Body.String(); strings.Contains(other, "第一条") || strings.Contains(other, `class="badge"`) {
		t.Error("another user sees the applicant's notices")
	}
	w := f.do(applicant, "POST", fmt.Sprintf("/me/notices/%d/read", first), "")
	if w.Code != 303 || w.Header().Get("Location") != "/me/notices" {
		t.Fatalf("mark read: %d %s", w.Code, w.Header().Get("Location"))
	}
	if body := f.do(applicant, "GET", "/me", nil).Body.String(); !strings.Contains(body, `<span class="badge">1<span`) {
		t.Error("the badge on another page does not show 1 unread")
	}
	w = f.do(applicant, "POST", "/me/notices/read-all", "")
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/me/notices?ok=read_all") {
		t.Fatalf("mark all: %d %s", w.Code, w.Header().Get("Location"))
	}
	body = f.do(applicant, "GET", w.Header().Get("Location"), nil).Body.String()
	if strings.Contains(body, `class="badge"`) || strings.Contains(body, `action="/me/notices/read-all"`) || !strings.Contains(body, "全部通知已标为已读") {
		t.Error("after marking all read: still a badge or the button, or no message")
	}
}

// The settings form: a bad address is shown again with its message (role=alert), nothing
// stored; a good one is saved; an empty one clears it.
func TestSettingsPage_SetAndClearEmail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	w := f.do(applicant, "POST", "/me/settings", "email=zhangsan%40163")
	if w.Code != 400 || !strings.Contains(w.Body.String(), `role="alert"`) || !strings.Contains(w.Body.String(), "请填写有效的电子邮箱地址") ||
		!strings.Contains(w.Body.String(), `value="zhangsan@163"`) || !strings.Contains(w.Body.String(), `aria-invalid="true"`) {
		t.Fatalf("bad address: %d %.400s", w.Code, w.Body.String())
	}
	if st, _ := f.acc.Settings(ctx, f.actors[applicant]); st.Email != "" {
		t.Fatalf("a refused address was stored: %q", st.Email)
	}
	for _, tt := range []struct{ form, want string }{{"email=zhangsan%40163.com", "zhangsan@163.com"}, {"email=", ""}} {
		w := f.do(applicant, "POST", "/me/settings", tt.form)
		if w.Code != 303 {
			t.Fatalf("%s: %d", tt.form, w.Code)
		}
		if st, _ := f.acc.Settings(ctx, f.actors[applicant]); st.Email != tt.want {
			t.Errorf("%s: stored %q", tt.form, st.Email)
		}
	}
	if strings.Contains(f.logs.String(), "zhangsan@163") {
		t.Error("an e-mail address was logged")
	}
	body := f.do(applicant, "GET", "/me/settings?ok=settings", nil).Body.String()
	if !strings.Contains(body, "账号设置已保存") || !strings.Contains(body, "本平台暂未开通邮件通知") || !strings.Contains(body, `<label for="email">`) {
		t.Errorf("settings page: %.600s", body)
	}
}

// The district's page lists the delivery that was given up, and its retry is audited.
func TestNoticeDeliveriesPage_RetryAudited(t *testing.T) {
	f := newFixture(t)
	id := f.deadDelivery()
	body := f.do(district, "GET", "/admin/notices", nil).Body.String()
	for _, want := range []string{"已放弃", "复训提醒", "无法连接邮件服务器", fmt.Sprintf(`action="/admin/notices/deliveries/%d/retry"`, id), "电子邮件：未开通"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if w := f.do(district, "POST", fmt.Sprintf("/admin/notices/deliveries/%d/retry", id), ""); w.Code != 303 {
		t.Fatalf("retry: %d", w.Code)
	}
	es, err := f.store.ListAudit(context.Background(), models.AuditFilter{ObjectType: "notice_delivery", ObjectID: id})
	if err != nil || len(es) != 1 || es[0].Action != "notice_delivery.retry" {
		t.Errorf("audit: %+v %v", es, err)
	}
}
