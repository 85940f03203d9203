package accounts_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/models"
)

// counted is an env whose service counts the password comparisons it makes.
func counted(t *testing.T) (*env, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	e := newEnv(t, accounts.WithCheapHashing(), accounts.WithCheckObserver(func() { n.Add(1) }))
	return e, &n
}

// answer is what a caller of Login can see of a refusal.
type answer struct {
	kind          error
	code, message string
}

func answerOf(err error) answer {
	me, ok := models.AsError(err)
	if !ok {
		return answer{code: fmt.Sprintf("not a user-facing error: %v", err)}
	}
	var kind error
	for _, k := range []error{models.ErrUnauthenticated, models.ErrRateLimited, models.ErrForbidden, models.ErrInvalid} {
		if errors.Is(err, k) {
			kind = k
		}
	}
	return answer{kind, me.Code, me.Message}
}

// Threat: the lockout race. Twenty wrong passwords sent at once from one address used to be
// judged all twenty (the count was read before hashing and written after), so a guesser got
// twenty tries instead of five, and a correct one among them reset the count. Now the slot is
// taken before hashing: at most five are judged, and the right password from that address is
// refused for the rest of the window, without being judged either.
func TestLogin_Lockout_ParallelWrongPasswords(t *testing.T) {
	t.Parallel()
	e, checks := counted(t)
	e.register(t, "13800138000")
	attacker := accounts.ClientInfo{IP: "198.51.100.7"}
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.svc.Login(e.ctx, "13800138000", fmt.Sprintf("guess %d", i), attacker)
		})
	}
	wg.Wait()
	judged, throttled := 0, 0
	for _, err := range errs {
		switch answerOf(err).code {
		case "bad_credentials":
			judged++
		case "too_many_logins":
			throttled++
		default:
			t.Errorf("unexpected answer %v", err)
		}
	}
	if judged != accounts.MaxFailuresPerSource || throttled != n-accounts.MaxFailuresPerSource {
		t.Errorf("%d judged, %d throttled; want %d and %d", judged, throttled, accounts.MaxFailuresPerSource, n-accounts.MaxFailuresPerSource)
	}
	if got := checks.Load(); got != accounts.MaxFailuresPerSource {
		t.Errorf("%d passwords hashed, want %d", got, accounts.MaxFailuresPerSource)
	}
	before := checks.Load()
	_, err := e.svc.Login(e.ctx, "13800138000", password, attacker)
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	if checks.Load() != before {
		t.Error("a throttled attempt was hashed")
	}
	// The owner signs in from another address meanwhile.
	if _, err := e.svc.Login(e.ctx, "13800138000", password, accounts.ClientInfo{IP: "203.0.113.20"}); err != nil {
		t.Errorf("the owner from another address: %v", err)
	}
}

// Threat: victim lockout. Wrong passwords from one address, however many, do not keep the account's
// owner out when they sign in from another address; this is the district admin's case too.
func TestLogin_Lockout_VictimFromAnotherSourceNotLockedOut(t *testing.T) {
	t.Parallel()
	e, _ := counted(t)
	for i := range 30 {
		_, err := e.svc.Login(e.ctx, "admin", fmt.Sprintf("guess %d", i), accounts.ClientInfo{IP: "198.51.100.7"})
		if err == nil {
			t.Fatal("a guess signed in")
		}
	}
	if _, err := e.svc.Login(e.ctx, "admin", password, accounts.ClientInfo{IP: "203.0.113.20"}); err != nil {
		t.Fatalf("the district admin is locked out by someone else's guesses: %v", err)
	}
	// The same username typed in capitals is the same account to the throttle.
	_, err := e.svc.Login(e.ctx, "ADMIN", password, accounts.ClientInfo{IP: "198.51.100.7"})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	// Another address of the same IPv6 /64 is the same source.
	for range accounts.MaxFailuresPerSource {
		_, _ = e.svc.Login(e.ctx, "admin", "guess", accounts.ClientInfo{IP: "2001:db8:1:2::10"})
	}
	_, err = e.svc.Login(e.ctx, "admin", password, accounts.ClientInfo{IP: "2001:db8:1:2:ffff::99"})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	if _, err := e.svc.Login(e.ctx, "admin", password, accounts.ClientInfo{IP: "2001:db8:1:3::10"}); err != nil {
		t.Errorf("another /64: %v", err)
	}
}

// Guessing spread over many addresses meets the per-account limit: after MaxFailuresPerAccount
// failures in a window every address is refused until the window ends. This is the documented
// price: someone with ten addresses can keep the owner out for the rest of a window.
func TestLogin_Lockout_DistributedGuessingHitsAccountLimit(t *testing.T) {
	t.Parallel()
	e, checks := counted(t)
	e.register(t, "13800138000")
	sources := accounts.MaxFailuresPerAccount / accounts.MaxFailuresPerSource
	for s := range sources {
		for i := range accounts.MaxFailuresPerSource {
			_, err := e.svc.Login(e.ctx, "13800138000", fmt.Sprintf("guess %d", i), accounts.ClientInfo{IP: fmt.Sprintf("198.51.100.%d", s+1)})
			wantCode(t, err, models.ErrUnauthenticated, "bad_credentials")
		}
	}
	if got := checks.Load(); got != int64(accounts.MaxFailuresPerAccount) {
		t.Errorf("%d hashed, want %d", got, accounts.MaxFailuresPerAccount)
	}
	_, err := e.svc.Login(e.ctx, "13800138000", password, accounts.ClientInfo{IP: "203.0.113.20"})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	e.clock.Advance(accounts.LoginWindow)
	if _, err := e.svc.Login(e.ctx, "13800138000", password, accounts.ClientInfo{IP: "203.0.113.20"}); err != nil {
		t.Errorf("after the window: %v", err)
	}
	// Ended windows are purged with the sessions.
	e.clock.Advance(accounts.LoginWindow)
	if _, m, err := e.svc.PurgeExpiredSessions(e.ctx); err != nil || m < int64(sources) {
		t.Errorf("purged %d throttle rows (%v), want at least %d", m, err, sources)
	}
}

// Threat: a username oracle. An unknown username is throttled exactly like a known one: the same
// answer at every step (bad credentials, then throttled with the same wait), and the same number
// of hashes, so nothing tells whether an account exists.
func TestLogin_UnknownUser_IndistinguishableFromKnown(t *testing.T) {
	t.Parallel()
	e, checks := counted(t)
	e.register(t, "13800138000")
	try := func(user, ip string) (answer, int64) {
		before := checks.Load()
		_, err := e.svc.Login(e.ctx, user, "wrong password", accounts.ClientInfo{IP: ip})
		return answerOf(err), checks.Load() - before
	}
	for step := range accounts.MaxFailuresPerSource + 3 {
		known, kh := try("13800138000", "198.51.100.7")
		unknown, uh := try("13900000000", "198.51.100.7")
		if known != unknown || kh != uh {
			t.Errorf("step %d: known %+v (%d hashes), unknown %+v (%d hashes)", step, known, kh, unknown, uh)
		}
		if step == accounts.MaxFailuresPerSource && known.code != "too_many_logins" {
			t.Errorf("step %d: %+v, want throttled", step, known)
		}
		e.clock.Advance(time.Minute)
	}
	// The per-account limit too.
	for s := range accounts.MaxFailuresPerAccount / accounts.MaxFailuresPerSource {
		for range accounts.MaxFailuresPerSource {
			ip := fmt.Sprintf("203.0.113.%d", s+1)
			known, _ := try("13800138000", ip)
			unknown, _ := try("13900000000", ip)
			if known != unknown {
				t.Fatalf("known %+v, unknown %+v", known, unknown)
			}
		}
	}
	known, _ := try("13800138000", "192.0.2.99")
	unknown, _ := try("13900000000", "192.0.2.99")
	if known != unknown || known.code != "too_many_logins" {
		t.Errorf("account limit: known %+v, unknown %+v", known, unknown)
	}
}

// Threat: a password oracle for disabled accounts. A disabled account used to answer
// account_disabled only when the password was right. Now it gets the one answer every failed
// login gets, after the same hashing, right password or not.
func TestLogin_DisabledAccount_OneAnswer(t *testing.T) {
	t.Parallel()
	e, checks := counted(t)
	u, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "trainer1", Password: password, Name: "培训员", Role: models.RoleTrainer})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetDisabled(e.ctx, e.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	var answers []answer
	for _, c := range []struct{ user, pw string }{
		{"trainer1", password},       // disabled, right password
		{"trainer1", "wrong one"},    // disabled, wrong password
		{"admin", "wrong one"},       // enabled, wrong password
		{"nobody", "wrong password"}, // no such account
	} {
		before := checks.Load()
		_, err := e.svc.Login(e.ctx, c.user, c.pw, accounts.ClientInfo{IP: "198.51.100.7"})
		if got := checks.Load() - before; got != 1 {
			t.Errorf("%s: %d hashes, want 1", c.user, got)
		}
		answers = append(answers, answerOf(err))
	}
	for _, a := range answers {
		if a != answers[0] || a.code != "bad_credentials" || a.kind != models.ErrUnauthenticated {
			t.Errorf("answers differ: %+v", answers)
			break
		}
	}
	if answers[0].message != "账号或密码错误；如账号已停用，请联系区城管局" {
		t.Errorf("message %q", answers[0].message)
	}
}

// The owner's browser is never locked out by guessing from elsewhere: a successful login leaves
// a device cookie, and an attempt that brings it is counted per device, not under the account's
// overall limit that a distributed guesser can fill. Another account's device cookie, or none,
// gets no such pass; a device itself is still stopped after MaxFailuresPerSource failures.
func TestLogin_Lockout_DistributedGuessingDoesNotLockTheOwnersBrowser(t *testing.T) {
	t.Parallel()
	e, _ := counted(t)
	e.register(t, "13800138001")
	e.register(t, "13800138002")
	home, err := e.svc.Login(e.ctx, "13800138001", password, accounts.ClientInfo{IP: "192.0.2.10"})
	if err != nil || home.Device == "" {
		t.Fatalf("first login: device %q, %v", home.Device, err)
	}
	other, _ := e.svc.Login(e.ctx, "13800138002", password, accounts.ClientInfo{IP: "192.0.2.11"})
	// A botnet fills the account's limit from many addresses.
	for s := range accounts.MaxFailuresPerAccount/accounts.MaxFailuresPerSource + 1 {
		for i := range accounts.MaxFailuresPerSource {
			_, _ = e.svc.Login(e.ctx, "13800138001", fmt.Sprintf("guess %d", i), accounts.ClientInfo{IP: fmt.Sprintf("198.51.100.%d", s+1)})
		}
	}
	_, err = e.svc.Login(e.ctx, "13800138001", password, accounts.ClientInfo{IP: "203.0.113.5"})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	_, err = e.svc.Login(e.ctx, "13800138001", password, accounts.ClientInfo{IP: "203.0.113.5", Device: other.Device})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	// The owner, at their own browser on a new network.
	in, err := e.svc.Login(e.ctx, "13800138001", password, accounts.ClientInfo{IP: "203.0.113.6", Device: home.Device})
	if err != nil {
		t.Fatalf("the owner's browser was locked out: %v", err)
	}
	if in.Device != "" {
		t.Errorf("a known browser got a new device token")
	}
	// Someone with the owner's device cookie still has only a handful of guesses.
	for i := range accounts.MaxFailuresPerSource {
		_, err := e.svc.Login(e.ctx, "13800138001", fmt.Sprintf("stolen %d", i), accounts.ClientInfo{IP: "203.0.113.7", Device: home.Device})
		wantCode(t, err, models.ErrUnauthenticated, "bad_credentials")
	}
	_, err = e.svc.Login(e.ctx, "13800138001", password, accounts.ClientInfo{IP: "203.0.113.7", Device: home.Device})
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
}
