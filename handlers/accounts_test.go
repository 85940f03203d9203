package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"auxportal/accounts"
	"auxportal/models"
)

// Issue 8: asking for a registration or reset code answers the same (status, code, body but
// for the masked number) whether or not the number is registered, on the API and the pages.
func TestCodes_SameAnswerForRegisteredAndUnregisteredNumbers(t *testing.T) {
	f := newFixture(t)
	for _, purpose := range []string{"register", "reset"} {
		key := "phone"
		if purpose == "reset" {
			key = "account"
		}
		taken := f.do(anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": purpose, key: "13800000001"})
		free := f.do(anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": purpose, key: "13900000404"})
		tb := strings.Replace(taken.Body.String(), "138****0001", "139****0404", 1)
		if taken.Code != http.StatusAccepted || taken.Code != free.Code || tb != free.Body.String() {
			t.Errorf("%s: %d %s / %d %s", purpose, taken.Code, taken.Body, free.Code, free.Body)
		}
	}
	// The pages redirect to the same place with the same message.
	for _, path := range []string{"/register/code", "/password/forgot"} {
		key := "phone"
		if path == "/password/forgot" {
			key = "account"
		}
		f.clock.Advance(accounts.CodeCooldown)
		taken := f.do(anon, "POST", path, key+"=13800000002")
		free := f.do(anon, "POST", path, key+"=13900000405")
		lt := strings.Replace(taken.Header().Get("Location"), "13800000002", "13900000405", 1)
		if taken.Code != http.StatusSeeOther || taken.Code != free.Code || lt != free.Header().Get("Location") {
			t.Errorf("%s: %d %q / %d %q", path, taken.Code, taken.Header().Get("Location"), free.Code, free.Header().Get("Location"))
		}
	}
	// Too many: 429 with a Chinese message, the same for both.
	f.clock.Advance(accounts.CodeCooldown)
	f.do(anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "register", "phone": "13900000406"})
	w := f.do(anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "register", "phone": "13900000406"})
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "code_cooldown") || !strings.Contains(w.Body.String(), "秒后") {
		t.Errorf("cooldown: %d %s", w.Code, w.Body)
	}
}

// Registration on the pages: the code form, the code from the text, the account form with
// the consent; then signed in, and the consent shown on 账号设置.
func TestRegisterPages_WithCodeAndConsent(t *testing.T) {
	f := newFixture(t)
	w := f.do(anon, "GET", "/register", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `action="/register/code"`) {
		t.Fatalf("register page: %d", w.Code)
	}
	w = f.do(anon, "POST", "/register/code", "phone=13911112222")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/register/verify?") {
		t.Fatalf("code: %d %q", w.Code, w.Header().Get("Location"))
	}
	w = f.do(anon, "GET", w.Header().Get("Location"), nil)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "验证码已发送") || !strings.Contains(body, `name="consent_sensitive" value="1">`) ||
		!strings.Contains(body, "居民身份证号码") || !strings.Contains(body, accounts.ConsentVersion) {
		t.Fatalf("verify page (the consent box must start unticked): %d %s", w.Code, body)
	}
	code := f.code("13911112222")
	form := url.Values{"phone": {"13911112222"}, "code": {code}, "name": {"张三"}, "password": {fixturePassword}, "password2": {fixturePassword}}
	w = f.do(anon, "POST", "/register", form.Encode())
	if w.Code != 400 || !strings.Contains(w.Body.String(), "请阅读《敏感个人信息处理规则》并勾选同意") || !strings.Contains(w.Body.String(), `value="张三"`) {
		t.Fatalf("without consent: %d %.300s", w.Code, w.Body.String())
	}
	form.Set("consent_sensitive", "1")
	w = f.do(anon, "POST", "/register", form.Encode())
	if w.Code != http.StatusSeeOther {
		t.Fatalf("register: %d %.300s", w.Code, w.Body.String())
	}
	var tok string
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			tok = c.Value
		}
	}
	f.tokens["new"] = tok
	w = f.do("new", "GET", "/me/settings", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "个人信息授权记录") || !strings.Contains(w.Body.String(), accounts.ConsentVersion) {
		t.Fatalf("settings: %d %.300s", w.Code, w.Body.String())
	}
}

// A staff account reset by a district admin: the temporary password is shown once on the page
// (not stored in a URL or cache), the old sessions end, and until a new password is chosen
// every page sends the account to /me/password and the API answers 403.
func TestAdminReset_ForcesAPasswordChange(t *testing.T) {
	f := newFixture(t)
	id := f.actors[trainer].UserID
	w := f.do(district, "POST", fmt.Sprintf("/admin/users/%d/reset-password", id), "")
	if w.Code != 200 || w.Header().Get("Cache-Control") != "no-store" || !strings.Contains(w.Body.String(), "临时密码") {
		t.Fatalf("reset page: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	temp := between(w.Body.String(), `<p class="temp-pass"><code>`, `</code>`)
	if len(temp) != 19 {
		t.Fatalf("temporary password %q", temp)
	}
	if w := f.do(trainer, "GET", "/trainer", nil); w.Code != http.StatusSeeOther || strings.Contains(w.Header().Get("Location"), "password") {
		t.Fatalf("the old session: %d %q", w.Code, w.Header().Get("Location"))
	}
	f.login(trainer, "trainer", temp)
	if w := f.do(trainer, "GET", "/trainer", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/me/password" {
		t.Fatalf("before the change: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do(trainer, "GET", "/api/v1/bank", nil); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "password_change_required") {
		t.Fatalf("API before the change: %d %s", w.Code, w.Body)
	}
	if w := f.do(trainer, "GET", "/me/password", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "管理员已重置您的密码") {
		t.Fatalf("password page: %d", w.Code)
	}
	w = f.do(trainer, "PUT", "/api/v1/me/password", map[string]string{"current_password": temp, "password": "Violet-ferry-cargo-39"})
	if w.Code != 200 {
		t.Fatalf("change: %d %s", w.Code, w.Body)
	}
	if w := f.do(trainer, "GET", "/trainer", nil); w.Code != 200 {
		t.Fatalf("after the change: %d", w.Code)
	}
	// Audited, without the password.
	es, err := f.store.ListAudit(context.Background(), models.AuditFilter{ObjectType: "user", ObjectID: id})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		if e.Action == "user.password_reset" {
			found = true
			if strings.Contains(e.Detail, temp) {
				t.Error("the temporary password is in the audit log")
			}
		}
	}
	if !found {
		t.Errorf("no audit entry: %+v", es)
	}
	if strings.Contains(f.logs.String(), temp) {
		t.Error("the temporary password was logged")
	}
}

// The reset on the API: code, new password, sessions ended; the answer names no account.
func TestPasswordResetAPI(t *testing.T) {
	f := newFixture(t)
	w := f.do(anon, "POST", "/api/v1/verification-codes", map[string]string{"purpose": "reset", "account": "13800000002"})
	if w.Code != http.StatusAccepted {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	w = f.do(anon, "POST", "/api/v1/password-reset", map[string]string{"account": "13800000002", "code": f.code("13800000002"), "password": "Mossy-kettle-river-4"})
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if w := f.do(otherApplicant, "GET", "/api/v1/me", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("the session survived the reset: %d", w.Code)
	}
	var me struct{ Username string }
	w = f.do(anon, "POST", "/api/v1/session", map[string]string{"username": "13800000002", "password": "Mossy-kettle-river-4"})
	if err := json.Unmarshal(w.Body.Bytes(), &me); err != nil || w.Code != 200 || me.Username != "13800000002" {
		t.Fatalf("login: %d %s", w.Code, w.Body)
	}
}

func between(s, a, b string) string {
	_, rest, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, b)
	return v
}
