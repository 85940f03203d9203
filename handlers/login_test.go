package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"auxportal/accounts"
	"auxportal/models"
)

// loginServer serves the fixture's portal over real HTTP behind a trusted proxy on loopback, so
// a test sets the client address with X-Forwarded-For. The per-IP limiter is off: its burst of
// 20 would answer the 21st request from one address itself and hide the account throttle.
func (f *fixture) loginServer(t *testing.T) string {
	t.Helper()
	h, err := New(Deps{Accounts: f.acc, Recruitment: f.rec, Exams: f.exams, Clock: f.clock, RateLimits: RateLimits{Disabled: true},
		TrustedProxies: []string{"127.0.0.1", "::1"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// loginAnswer is everything a client sees of a login answer but the Date header.
type loginAnswer struct {
	status                         int
	body, contentType, cacheHeader string
	cookie                         bool
}

// postLogin signs in as user from ip on the API or the login page.
func postLogin(t *testing.T, base, path, user, pw, ip string) loginAnswer {
	t.Helper()
	var req *http.Request
	if path == "/api/v1/session" {
		b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
		req, _ = http.NewRequest("POST", base+path, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
	} else {
		form := url.Values{"username": {user}, "password": {pw}}
		req, _ = http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", ip)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Error(err) // not Fatal: this runs on the parallel requests' goroutines too
		return loginAnswer{}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return loginAnswer{status: resp.StatusCode, body: string(body), contentType: resp.Header.Get("Content-Type"),
		cacheHeader: resp.Header.Get("Cache-Control"), cookie: len(resp.Cookies()) > 0}
}

// Threat: the lockout race, through the router. Twenty wrong passwords sent at once from one
// address: five are judged (401), the rest refused at once (429), five hashes in all; then the right
// password from that address is refused too, while the owner signs in from another address.
func TestLogin_Lockout_ParallelWrongPasswordsOverHTTP(t *testing.T) {
	f := newFixture(t)
	base := f.loginServer(t)
	const attacker, owner = "198.51.100.7", "203.0.113.20"
	before := f.checks.Load()
	const n = 20
	answers := make([]loginAnswer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answers[i] = postLogin(t, base, "/api/v1/session", "13800000001", fmt.Sprintf("guess-%d", i), attacker)
		})
	}
	wg.Wait()
	codes := map[string]int{}
	for _, a := range answers {
		var e apiError
		_ = json.Unmarshal([]byte(a.body), &e)
		codes[fmt.Sprintf("%d %s", a.status, e.Error.Code)]++
	}
	want := map[string]int{"401 bad_credentials": accounts.MaxFailuresPerSource, "429 too_many_logins": n - accounts.MaxFailuresPerSource}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("answers %v, want %v", codes, want)
	}
	if got := f.checks.Load() - before; got != accounts.MaxFailuresPerSource {
		t.Errorf("%d passwords hashed, want %d", got, accounts.MaxFailuresPerSource)
	}
	if a := postLogin(t, base, "/api/v1/session", "13800000001", fixturePassword, attacker); a.status != http.StatusTooManyRequests || a.cookie {
		t.Errorf("the right password from the guessing address: %d %s", a.status, a.body)
	}
	if a := postLogin(t, base, "/api/v1/session", "13800000001", fixturePassword, owner); a.status != http.StatusOK || !a.cookie {
		t.Errorf("the owner from another address: %d %s", a.status, a.body)
	}
	if a := postLogin(t, base, "/login", "13800000001", fixturePassword, owner); a.status != http.StatusSeeOther || !a.cookie {
		t.Errorf("the owner on the login page: %d", a.status)
	}
}

// Threat: a username oracle and a password oracle for disabled accounts. An unknown name, a
// disabled account with its right password and a known account with a wrong one get byte-identical
// answers, on the API and on the login page, at every step: judged, then throttled.
func TestLogin_UnknownAndDisabled_ByteIdenticalAnswers(t *testing.T) {
	f := newFixture(t)
	u, err := f.acc.CreateStaff(context.Background(), f.actors[district], accounts.StaffInput{
		Username: "trainer2", Password: fixturePassword, Name: "培训员二", Role: models.RoleTrainer})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.SetDisabled(context.Background(), f.actors[district], u.ID, true); err != nil {
		t.Fatal(err)
	}
	base := f.loginServer(t)
	tries := []struct{ name, user, pw string }{
		{"known, wrong password", "13800000002", "wrong-password-1"},
		{"unknown", "13999999999", "wrong-password-1"},
		{"disabled, right password", "trainer2", fixturePassword},
	}
	for _, path := range []string{"/api/v1/session", "/login"} {
		ip := map[string]string{"/api/v1/session": "198.51.100.30", "/login": "198.51.100.31"}[path]
		for step := range accounts.MaxFailuresPerSource + 2 {
			var first loginAnswer
			for i, tr := range tries {
				a := postLogin(t, base, path, tr.user, tr.pw, ip)
				a.body = strings.ReplaceAll(a.body, tr.user, "USER") // the login page shows the name typed back
				if i == 0 {
					first = a
					wantStatus := http.StatusUnauthorized
					if step >= accounts.MaxFailuresPerSource {
						wantStatus = http.StatusTooManyRequests
					}
					if a.status != wantStatus {
						t.Errorf("%s step %d: status %d, want %d", path, step, a.status, wantStatus)
					}
					continue
				}
				if a != first {
					t.Errorf("%s step %d: %s answered\n%+v\nbut %s answered\n%+v", path, step, tr.name, a, tries[0].name, first)
				}
			}
		}
	}
}
