package accounts_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/email"
	"auxportal/notices/sms"
	"auxportal/notices/smtptest"
)

const password = "correct horse battery"

type env struct {
	ctx   context.Context
	store *models.Store
	clock *clock.Fake
	svc   *accounts.Service
	admin models.Actor // the first district admin
	notes *notices.Service
	sms   *sms.Recorder    // what the SMS channel sent
	mail  *smtptest.Server // the loopback SMTP server the e-mail channel sends to
}

// newEnv opens a fresh database and the service on a fake clock. Hashing is cheap unless the
// test asks for the production parameters.
func newEnv(t *testing.T, opts ...accounts.Option) *env {
	t.Helper()
	st := storetest.Open(t)
	fc := clock.NewFake(time.Date(2026, time.June, 10, 10, 0, 0, 0, clock.China))
	if opts == nil {
		opts = []accounts.Option{accounts.WithCheapHashing()}
	}
	rec := &sms.Recorder{}
	srv := smtptest.Start(t)
	mail, err := email.New(email.Config{Host: srv.Host, Port: srv.Port, TLS: email.NoTLS,
		From: "海门区城市管理局 <noreply@haimen.example>", PublicURL: "https://rczp.haimen.example"})
	if err != nil {
		t.Fatal(err)
	}
	notes := notices.New(st, fc, nil, sms.New(rec, "海门城管"), mail)
	svc, err := accounts.New(st, fc, append(opts, accounts.WithNotices(notes))...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{ctx: context.Background(), store: st, clock: fc, svc: svc, notes: notes, sms: rec, mail: srv}
	if ok, err := svc.EnsureAdmin(e.ctx, "admin", password); err != nil || !ok {
		t.Fatalf("EnsureAdmin: %v %v", ok, err)
	}
	u, err := st.UserByUsername(e.ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	e.admin = models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role}
	return e
}

func (e *env) register(t *testing.T, phone string) *models.User {
	t.Helper()
	u, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: phone, Password: password, Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) login(t *testing.T, username, pw string) (string, models.Actor) {
	t.Helper()
	in, err := e.svc.Login(e.ctx, username, pw, accounts.ClientInfo{IP: "203.0.113.9", UserAgent: "test"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return in.Token, in.Actor
}

func (e *env) town(t *testing.T, name string) uint64 {
	t.Helper()
	tw, err := e.store.TownByName(e.ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return tw.ID
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("err = %v (%T), want %v", err, err, kind)
	}
}

func wantCode(t *testing.T, err, kind error, code string) *models.Error {
	t.Helper()
	wantKind(t, err, kind)
	me, ok := models.AsError(err)
	if !ok || me.Code != code {
		t.Fatalf("err = %#v, want code %q", err, code)
	}
	return me
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantKind(t, err, models.ErrInvalid)
	if me, ok := models.AsError(err); !ok || me.Fields[field] == "" {
		t.Fatalf("err = %#v, want a message for %q", err, field)
	}
}

func TestRegister_Validation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name, phone, pw, person, field string
	}{
		{"empty phone", "", password, "张三", "phone"},
		{"10 digits", "1380013800", password, "张三", "phone"},
		{"12 digits", "138001380001", password, "张三", "phone"},
		{"landline", "05136123456", password, "张三", "phone"},
		{"second digit 2", "12800138000", password, "张三", "phone"},
		{"letters", "1380013800a", password, "张三", "phone"},
		{"with country code", "+8613800138000", password, "张三", "phone"},
		{"7-character password", "13800138000", "1234567", "张三", "password"},
		{"129-character password", "13800138000", strings.Repeat("p", 129), "张三", "password"},
		{"one-character name", "13800138000", password, "张", "name"},
		{"blank name", "13800138000", password, "   ", "name"},
		{"33-character name", "13800138000", password, strings.Repeat("张", 33), "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: c.phone, Password: c.pw, Name: c.person})
			wantField(t, err, c.field)
		})
	}
	if n, _ := e.store.CountUsersByRole(e.ctx, models.RoleApplicant); n != 0 {
		t.Fatalf("%d applicants stored after invalid input", n)
	}
	// Boundaries that pass: 8-character password, 2-character name, spaces trimmed.
	u, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: " 19912345678 ", Password: "hm8w3kqz", Name: " 李四 "})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "19912345678" || u.DisplayName != "李四" || u.Role != models.RoleApplicant || u.TownID != nil {
		t.Errorf("user %+v", u)
	}
	if strings.Contains(u.PasswordHash, "hm8w3kqz") || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("password hash %q", u.PasswordHash)
	}
}

func TestRegister_DuplicatePhoneIsConflict(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800138000")
	_, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: "13800138000", Password: "another password", Name: "李四"})
	me := wantCode(t, err, models.ErrConflict, "phone_taken")
	if me.Fields["phone"] == "" {
		t.Errorf("no phone field message: %+v", me)
	}
	if n, _ := e.store.CountUsersByRole(e.ctx, models.RoleApplicant); n != 1 {
		t.Errorf("%d applicants", n)
	}
}

// Login with the production argon2id parameters: right and wrong passwords, unknown users.
func TestLogin_GoodAndBadCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, []accounts.Option{}...) // production hashing
	u := e.register(t, "13800138000")
	if !strings.Contains(u.PasswordHash, "m=19456,t=2,p=1") {
		t.Errorf("production parameters not used: %q", u.PasswordHash)
	}
	tok, a := e.login(t, " 13800138000 ", password)
	if a.UserID != u.ID || a.Role != models.RoleApplicant || a.Name != "张三" || len(tok) < 40 {
		t.Errorf("actor %+v token %q", a, tok)
	}
	got, err := e.svc.Authenticate(e.ctx, tok)
	if err != nil || got.UserID != u.ID {
		t.Fatalf("Authenticate: %+v %v", got, err)
	}
	// The session row holds the token's hash, never the token, and where it came from.
	sum := sha256.Sum256([]byte(tok))
	sess, err := e.store.SessionByHash(e.ctx, hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	if sess.TokenHash == tok || sess.IP != "203.0.113.9" || !sess.ExpiresAt.Equal(e.clock.Now().Add(accounts.ApplicantTTL)) {
		t.Errorf("session %+v", sess)
	}

	bad := []struct{ name, user, pw string }{
		{"wrong password", "13800138000", "wrong password"},
		{"password with different case", "13800138000", strings.ToUpper(password)},
		{"unknown user", "13900000000", password},
		{"empty password", "13800138000", ""},
		{"empty user", "", password},
		{"huge password", "13800138000", strings.Repeat("x", 2000)},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			in, err := e.svc.Login(e.ctx, c.user, c.pw, accounts.ClientInfo{})
			me := wantCode(t, err, models.ErrUnauthenticated, "bad_credentials")
			if tok, a := in.Token, in.Actor; tok != "" || !a.Anonymous() || me.Message != "账号或密码错误；如账号已停用，请联系区城管局" {
				t.Errorf("token %q actor %+v message %q", tok, a, me.Message)
			}
		})
	}
	for _, tok := range []string{"", "not-a-session", strings.Repeat("a", 200)} {
		_, err := e.svc.Authenticate(e.ctx, tok)
		wantKind(t, err, models.ErrUnauthenticated)
	}
}

// Five wrong passwords from one address stop that address's attempts on that account for the rest
// of the 15-minute window, even with the right password; a good login before that starts again.
func TestLogin_Lockout_FiveFailuresFromOneSource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800138000")
	attacker := accounts.ClientInfo{IP: "198.51.100.7"}
	fail := func() {
		t.Helper()
		_, err := e.svc.Login(e.ctx, "13800138000", "wrong password", attacker)
		wantCode(t, err, models.ErrUnauthenticated, "bad_credentials")
	}
	loginFrom := func(ci accounts.ClientInfo) {
		t.Helper()
		if _, err := e.svc.Login(e.ctx, "13800138000", password, ci); err != nil {
			t.Fatalf("login from %s: %v", ci.IP, err)
		}
	}
	// A good login clears the address's count: 4 failures, success, 4 failures is no lockout.
	for range accounts.MaxFailuresPerSource - 1 {
		fail()
	}
	loginFrom(attacker)
	for range accounts.MaxFailuresPerSource - 1 {
		fail()
	}
	loginFrom(attacker)

	for range accounts.MaxFailuresPerSource {
		fail()
	}
	_, err := e.svc.Login(e.ctx, "13800138000", password, attacker)
	me := wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	if !strings.Contains(me.Message, "15 分钟") {
		t.Errorf("message %q", me.Message)
	}
	// Attempts while stopped do not extend the window.
	e.clock.Advance(accounts.LoginWindow - time.Minute - time.Second)
	_, err = e.svc.Login(e.ctx, "13800138000", "wrong password", attacker)
	me = wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	if !strings.Contains(me.Message, "2 分钟") {
		t.Errorf("message %q, want 2 minutes left", me.Message)
	}
	// The owner, elsewhere, is not locked out; nor is another account.
	loginFrom(accounts.ClientInfo{IP: "203.0.113.20"})
	e.login(t, "admin", password)
	e.clock.Advance(time.Minute)
	_, err = e.svc.Login(e.ctx, "13800138000", password, attacker)
	wantCode(t, err, models.ErrRateLimited, "too_many_logins")
	e.clock.Advance(time.Second)
	loginFrom(attacker)
	// After the window, the count starts again from zero.
	for range accounts.MaxFailuresPerSource - 1 {
		fail()
	}
	loginFrom(attacker)
}

// Sessions end after their lifetime (7 days for applicants, 12 hours for staff) and on logout.
func TestSession_ExpiryAndLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800138000")
	appTok, _ := e.login(t, "13800138000", password)
	staffTok, _ := e.login(t, "admin", password)
	other, _ := e.login(t, "13800138000", password) // a second device

	e.clock.Advance(accounts.StaffTTL - time.Second)
	if _, err := e.svc.Authenticate(e.ctx, staffTok); err != nil {
		t.Fatalf("staff session before its end: %v", err)
	}
	e.clock.Advance(time.Second)
	_, err := e.svc.Authenticate(e.ctx, staffTok)
	wantCode(t, err, models.ErrUnauthenticated, "session_expired")

	e.clock.Advance(accounts.ApplicantTTL - accounts.StaffTTL - time.Second)
	if _, err := e.svc.Authenticate(e.ctx, appTok); err != nil {
		t.Fatalf("applicant session before its end: %v", err)
	}
	// Logout revokes this session only.
	if err := e.svc.Logout(e.ctx, appTok); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authenticate(e.ctx, appTok)
	wantKind(t, err, models.ErrUnauthenticated)
	if _, err := e.svc.Authenticate(e.ctx, other); err != nil {
		t.Errorf("the other device was signed out: %v", err)
	}
	if err := e.svc.Logout(e.ctx, ""); err != nil {
		t.Errorf("logout without a session: %v", err)
	}
	if err := e.svc.Logout(e.ctx, appTok); err != nil {
		t.Errorf("logout twice: %v", err)
	}
	e.clock.Advance(time.Second)
	_, err = e.svc.Authenticate(e.ctx, other)
	wantCode(t, err, models.ErrUnauthenticated, "session_expired")
	n, _, err := e.svc.PurgeExpiredSessions(e.ctx)
	if err != nil || n != 2 {
		t.Errorf("purged %d sessions (%v), want the 2 expired ones", n, err)
	}
}

// Login says when the session ends (7 days for applicants, 12 hours for staff), so the cookie
// can end with it.
func TestLogin_ReturnsSessionEndForTheCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800138000")
	for user, ttl := range map[string]time.Duration{"13800138000": accounts.ApplicantTTL, "admin": accounts.StaffTTL} {
		in, err := e.svc.Login(e.ctx, user, password, accounts.ClientInfo{})
		if err != nil || !in.ExpiresAt.Equal(e.clock.Now().Add(ttl)) {
			t.Errorf("%s: session ends %v (%v), want in %v", user, in.ExpiresAt, err, ttl)
		}
	}
}

// A disabled account cannot sign in, its sessions are revoked (not merely suspended), and
// re-enabling it restores sign-in but not the old sessions.
func TestSetDisabled_RevokesSessionsAndBlocksLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "trainer1", Password: password, Name: "培训员", Role: models.RoleTrainer})
	if err != nil {
		t.Fatal(err)
	}
	tok1, trainer := e.login(t, "trainer1", password)
	tok2, _ := e.login(t, "trainer1", password)

	wantKind(t, e.svc.SetDisabled(e.ctx, trainer, e.admin.UserID, true), models.ErrForbidden)
	wantCode(t, e.svc.SetDisabled(e.ctx, e.admin, e.admin.UserID, true), models.ErrInvalid, "self_disable")
	wantKind(t, e.svc.SetDisabled(e.ctx, e.admin, 999999, true), models.ErrNotFound)

	if err := e.svc.SetDisabled(e.ctx, e.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{tok1, tok2} {
		_, err := e.svc.Authenticate(e.ctx, tok)
		wantKind(t, err, models.ErrUnauthenticated)
	}
	// The right password gets the same answer as a wrong one (see TestLogin_DisabledAccount_OneAnswer).
	_, err = e.svc.Login(e.ctx, "trainer1", password, accounts.ClientInfo{})
	wantCode(t, err, models.ErrUnauthenticated, "bad_credentials")

	if err := e.svc.SetDisabled(e.ctx, e.admin, u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Authenticate(e.ctx, tok1)
	wantKind(t, err, models.ErrUnauthenticated)
	e.login(t, "trainer1", password)

	es, err := e.store.ListAudit(e.ctx, models.AuditFilter{ObjectType: "user", ObjectID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range es {
		actions = append(actions, a.Action)
		if a.ActorID != e.admin.UserID {
			t.Errorf("audit entry by %d: %+v", a.ActorID, a)
		}
	}
	if strings.Join(actions, ",") != "user.enable,user.disable,user.create" {
		t.Errorf("audit actions %v", actions)
	}
}

// Only district admins create staff accounts; a town admin needs an existing town (rule M-1).
func TestCreateStaff_M1_DistrictOnlyAndTownAdminNeedsTown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	town := e.town(t, "三星镇")
	ta, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "sanxing", Password: password, Name: "三星镇管理员", Role: models.RoleTownAdmin, TownID: &town})
	if err != nil {
		t.Fatal(err)
	}
	if ta.TownID == nil || *ta.TownID != town || ta.Role != models.RoleTownAdmin {
		t.Errorf("town admin %+v", ta)
	}
	_, townAdmin := e.login(t, "sanxing", password)
	if townAdmin.TownID == nil || *townAdmin.TownID != town {
		t.Errorf("signed-in town admin %+v", townAdmin)
	}
	tr, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "trainer.1", Password: password, Name: "培训员", Role: models.RoleTrainer, TownID: &town})
	if err != nil {
		t.Fatal(err)
	}
	if tr.TownID != nil {
		t.Errorf("a trainer kept a town: %v", *tr.TownID)
	}
	da, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "admin2", Password: password, Name: "区管理员二", Role: models.RoleDistrictAdmin})
	if err != nil || da.Role != models.RoleDistrictAdmin {
		t.Fatalf("second district admin: %+v %v", da, err)
	}
	e.register(t, "13800138000")
	_, applicant := e.login(t, "13800138000", password)
	_, trainer := e.login(t, "trainer.1", password)

	ok := accounts.StaffInput{Username: "newstaff", Password: password, Name: "新员工", Role: models.RoleTrainer}
	for name, a := range map[string]models.Actor{"town admin": townAdmin, "trainer": trainer, "applicant": applicant} {
		_, err := e.svc.CreateStaff(e.ctx, a, ok)
		if !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s: err = %v, want ErrForbidden", name, err)
		}
	}
	_, err = e.svc.CreateStaff(e.ctx, models.Actor{}, ok)
	wantKind(t, err, models.ErrUnauthenticated)

	missing := uint64(999999)
	cases := []struct {
		name  string
		in    accounts.StaffInput
		field string
	}{
		{"town admin without town", accounts.StaffInput{Username: "ta2", Password: password, Name: "管理员", Role: models.RoleTownAdmin}, "town_id"},
		{"town admin of no such town", accounts.StaffInput{Username: "ta2", Password: password, Name: "管理员", Role: models.RoleTownAdmin, TownID: &missing}, "town_id"},
		{"unknown role", accounts.StaffInput{Username: "ta2", Password: password, Name: "管理员", Role: "superuser"}, "role"},
		{"applicant role", accounts.StaffInput{Username: "ta2", Password: password, Name: "管理员", Role: models.RoleApplicant}, "role"},
		{"short username", accounts.StaffInput{Username: "ab", Password: password, Name: "管理员", Role: models.RoleTrainer}, "username"},
		{"username with spaces", accounts.StaffInput{Username: "a b c", Password: password, Name: "管理员", Role: models.RoleTrainer}, "username"},
		{"Chinese username", accounts.StaffInput{Username: "管理员甲", Password: password, Name: "管理员", Role: models.RoleTrainer}, "username"},
		{"short password", accounts.StaffInput{Username: "ta2", Password: "short", Name: "管理员", Role: models.RoleTrainer}, "password"},
		{"11-character staff password", accounts.StaffInput{Username: "ta2", Password: "hm8w3kqz-x2", Name: "管理员", Role: models.RoleTrainer}, "password"},
		{"no name", accounts.StaffInput{Username: "ta2", Password: password, Role: models.RoleTrainer}, "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.CreateStaff(e.ctx, e.admin, c.in)
			wantField(t, err, c.field)
		})
	}
	_, err = e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "sanxing", Password: password, Name: "重名", Role: models.RoleTrainer})
	wantCode(t, err, models.ErrConflict, "username_taken")
	// A staff username may not take an applicant's phone number either.
	_, err = e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: "13800138000", Password: password, Name: "重名", Role: models.RoleTrainer})
	wantCode(t, err, models.ErrConflict, "username_taken")

	staff, err := e.svc.ListStaff(e.ctx, e.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(staff) != 4 { // admin, sanxing, trainer.1, admin2
		t.Errorf("%d staff accounts, want 4", len(staff))
	}
	_, err = e.svc.ListStaff(e.ctx, townAdmin)
	wantKind(t, err, models.ErrForbidden)
	es, _ := e.store.ListAudit(e.ctx, models.AuditFilter{})
	creates := 0
	for _, a := range es {
		if a.Action == "user.create" {
			creates++
		}
	}
	if creates != 3 {
		t.Errorf("%d user.create audit entries, want 3", creates)
	}
}

// The first district admin comes from configuration only while no district admin exists.
func TestEnsureAdmin_OnlyWhileNoDistrictAdmin(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t)
	ctx := context.Background()
	svc, err := accounts.New(st, clock.NewFake(time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)), accounts.WithCheapHashing())
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := svc.EnsureAdmin(ctx, "", password); ok || err != nil {
		t.Errorf("no username configured: %v %v", ok, err)
	}
	if ok, err := svc.EnsureAdmin(ctx, "root", "short"); ok || err == nil {
		t.Errorf("weak password accepted: %v %v", ok, err)
	}
	if ok, err := svc.EnsureAdmin(ctx, "bad name!", password); ok || err == nil {
		t.Errorf("bad username accepted: %v %v", ok, err)
	}
	if n, _ := st.CountUsersByRole(ctx, models.RoleDistrictAdmin); n != 0 {
		t.Fatalf("%d district admins after refused attempts", n)
	}
	ok, err := svc.EnsureAdmin(ctx, "root", password)
	if !ok || err != nil {
		t.Fatalf("first admin: %v %v", ok, err)
	}
	in, err := svc.Login(ctx, "root", password, accounts.ClientInfo{})
	if err != nil || in.Actor.Role != models.RoleDistrictAdmin {
		t.Fatalf("first admin login: %+v %v", in.Actor, err)
	}
	// Once one exists, configuration creates no other and changes no password.
	if ok, err := svc.EnsureAdmin(ctx, "root2", password); ok || err != nil {
		t.Errorf("second admin: %v %v", ok, err)
	}
	if ok, err := svc.EnsureAdmin(ctx, "root", "another password"); ok || err != nil {
		t.Errorf("same admin again: %v %v", ok, err)
	}
	if _, err := svc.Login(ctx, "root", "another password", accounts.ClientInfo{}); err == nil {
		t.Error("EnsureAdmin changed the admin's password")
	}
	if n, _ := st.CountUsersByRole(ctx, models.RoleDistrictAdmin); n != 1 {
		t.Errorf("%d district admins, want 1", n)
	}
}

func TestPasswordHash_RoundTripAndTampering(t *testing.T) {
	t.Parallel()
	h, err := accounts.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := accounts.HashPassword(password)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !accounts.CheckPassword(h, password) || accounts.CheckPassword(h, password+" ") {
		t.Error("round trip")
	}
	parts := strings.Split(h, "$")
	for name, bad := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuu",
		"wrong version":  strings.Replace(h, "v=19", "v=16", 1),
		"no key":         strings.Join(append(parts[:5:5], ""), "$"),
		"garbage params": strings.Replace(h, parts[3], "m=x", 1),
	} {
		if accounts.CheckPassword(bad, password) {
			t.Errorf("%s hash accepted", name)
		}
	}
}
