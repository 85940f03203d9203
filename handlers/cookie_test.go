package handlers

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"auxportal/accounts"
)

// Threat: a session cookie outliving its session. The cookie was always kept 7 days, while a
// staff session ends after 12 hours; its lifetime now is the session's, on every way to sign in.
func TestSessionCookie_LifetimeMatchesSession(t *testing.T) {
	f := newFixture(t)
	form := func(v url.Values) string { return v.Encode() }
	for _, c := range []struct {
		name, path string
		body       any
		ttl        time.Duration
	}{
		{"staff on the API", "/api/v1/session", map[string]string{"username": "district", "password": fixturePassword}, accounts.StaffTTL},
		{"trainer on the login page", "/login", form(url.Values{"username": {"trainer"}, "password": {fixturePassword}}), accounts.StaffTTL},
		{"applicant on the API", "/api/v1/session", map[string]string{"username": "13800000001", "password": fixturePassword}, accounts.ApplicantTTL},
		{"applicant on the login page", "/login", form(url.Values{"username": {"13800000002"}, "password": {fixturePassword}}), accounts.ApplicantTTL},
		{"new applicant signed in by registering", "/register", nil, accounts.ApplicantTTL},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.path == "/register" {
				if w := f.do(anon, "POST", "/register/code", "phone=13911112222"); w.Code != http.StatusSeeOther {
					t.Fatalf("code: %d %.300s", w.Code, w.Body.String())
				}
				c.body = form(url.Values{"phone": {"13911112222"}, "code": {f.code("13911112222")}, "name": {"张三"},
					"password": {fixturePassword}, "password2": {fixturePassword}, "consent_sensitive": {"1"}})
			}
			w := f.do(anon, "POST", c.path, c.body)
			var got *http.Cookie
			for _, ck := range w.Result().Cookies() {
				if ck.Name == sessionCookie {
					got = ck
				}
			}
			if got == nil {
				t.Fatalf("no session cookie (%d %.200s)", w.Code, w.Body.String())
			}
			if want := int(c.ttl / time.Second); got.MaxAge != want {
				t.Errorf("Max-Age %d, want %d (%v)", got.MaxAge, want, c.ttl)
			}
			if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie %+v", got)
			}
			// The browser is remembered as the owner's (the login throttle's device cookie).
			var dev *http.Cookie
			for _, ck := range w.Result().Cookies() {
				if ck.Name == deviceCookie {
					dev = ck
				}
			}
			if dev == nil || !dev.HttpOnly || dev.MaxAge != int(accounts.DeviceTTL/time.Second) || len(dev.Value) < 40 {
				t.Errorf("device cookie %+v", dev)
			}
		})
	}
}
