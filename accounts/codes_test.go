package accounts_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/models"
	"auxportal/notices"
)

var codeRE = regexp.MustCompile(`验证码为 ([0-9]{6})`)

// deliver sends what is due through the outbox (SMS to the recorder, e-mail to the loopback
// SMTP server).
func (e *env) deliver(t *testing.T) {
	t.Helper()
	if _, err := e.notes.DeliverDue(e.ctx); err != nil {
		t.Fatal(err)
	}
}

// texts returns the texts phone received, after delivering what is due.
func (e *env) texts(t *testing.T, phone string) []string {
	t.Helper()
	e.deliver(t)
	var out []string
	for _, m := range e.sms.To(phone) {
		out = append(out, m.Text)
	}
	return out
}

// lastCode is the code in the last text to phone.
func (e *env) lastCode(t *testing.T, phone string) string {
	t.Helper()
	ts := e.texts(t, phone)
	if len(ts) == 0 {
		t.Fatalf("no text to %s", phone)
	}
	m := codeRE.FindStringSubmatch(ts[len(ts)-1])
	if m == nil {
		t.Fatalf("no code in the last text to %s: %q", phone, ts[len(ts)-1])
	}
	return m[1]
}

var client = accounts.ClientInfo{IP: "203.0.113.9", UserAgent: "test"}

func (e *env) askCode(t *testing.T, purpose, target string) *accounts.CodeSent {
	t.Helper()
	req := accounts.CodeRequest{Purpose: purpose, Phone: target}
	if purpose == models.CodeReset {
		req = accounts.CodeRequest{Purpose: purpose, Account: target}
	}
	sent, err := e.svc.RequestCode(e.ctx, req, client)
	if err != nil {
		t.Fatalf("request %s code for %s: %v", purpose, target, err)
	}
	return sent
}

func registration(phone, code string) accounts.Registration {
	return accounts.Registration{Phone: phone, Code: code, Password: password, Name: "王小明", ConsentSensitive: true}
}

// Issue 8, security item 15: registration verifies the phone number with a code, and neither
// the answers nor the texts' recipients tell a stranger whether a number is registered.
func TestRegister_ByCode_NoEnumeration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800000001") // a verified owner
	sentTaken := e.askCode(t, models.CodeRegister, "13800000001")
	sentFree := e.askCode(t, models.CodeRegister, "13900000002")
	// The same answer but for the masked number itself.
	if strings.Replace(sentTaken.Message, "138****0001", "139****0002", 1) != sentFree.Message ||
		sentTaken.ResendAfter != sentFree.ResendAfter || sentTaken.ExpiresIn != sentFree.ExpiresIn {
		t.Fatalf("answers differ:\n%+v\n%+v", sentTaken, sentFree)
	}
	// The owner is told, and gets no code; the free number gets one.
	owner := e.texts(t, "13800000001")
	if len(owner) != 1 || !strings.Contains(owner[0], "有人尝试用您的手机号注册") || codeRE.MatchString(owner[0]) {
		t.Fatalf("the owner's texts: %q", owner)
	}
	code := e.lastCode(t, "13900000002")
	// Whatever is typed for the registered number is a wrong code, exactly as a wrong code
	// for a free one.
	_, errTaken := e.svc.Register(e.ctx, registration("13800000001", code))
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	_, errFree := e.svc.Register(e.ctx, registration("13900000002", wrong))
	a, _ := models.AsError(errTaken)
	b, _ := models.AsError(errFree)
	if a == nil || b == nil || a.Code != "invalid_code" || a.Code != b.Code || a.Message != b.Message || a.Fields["code"] != b.Fields["code"] {
		t.Fatalf("answers differ: %#v / %#v", errTaken, errFree)
	}
	u, err := e.svc.Register(e.ctx, registration("13900000002", code))
	if err != nil {
		t.Fatal(err)
	}
	if u.PhoneVerifiedAt == nil || u.Role != models.RoleApplicant {
		t.Errorf("user %+v", u)
	}
	if _, err := e.svc.Login(e.ctx, "13900000002", password, client); err != nil {
		t.Errorf("login after registering: %v", err)
	}
}

// A code is stored as a keyed hash only, and the text of the notice that carried it is erased
// once it is sent.
func TestCodes_StoredHashedAndErasedAfterSending(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.askCode(t, models.CodeRegister, "13900000002")
	code := e.lastCode(t, "13900000002")
	var vcs []models.VerificationCode
	if err := e.store.DB().Find(&vcs).Error; err != nil || len(vcs) != 1 {
		t.Fatalf("%d codes, %v", len(vcs), err)
	}
	if strings.Contains(vcs[0].CodeHash, code) || strings.Contains(vcs[0].Target, "13900000002") || len(vcs[0].CodeHash) != 64 {
		t.Errorf("stored %+v", vcs[0])
	}
	var ns []models.Notice
	if err := e.store.DB().Find(&ns).Error; err != nil || len(ns) != 1 {
		t.Fatalf("%d notices, %v", len(ns), err)
	}
	if ns[0].Body != notices.ScrubbedBody || ns[0].UserID != 0 {
		t.Errorf("the code notice after sending: %+v", ns[0])
	}
}

// Codes expire after 10 minutes (fake clock), are used once, and take 5 wrong tries.
func TestRegister_CodeExpiresIsSingleUseAndTakesFiveWrongTries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	t.Run("expiry", func(t *testing.T) {
		e.askCode(t, models.CodeRegister, "13900000011")
		code := e.lastCode(t, "13900000011")
		e.clock.Advance(accounts.CodeTTL)
		_, err := e.svc.Register(e.ctx, registration("13900000011", code))
		wantCode(t, err, models.ErrInvalid, "invalid_code")
		e.clock.Advance(-time.Second) // within the 10 minutes it would have worked: a fresh code
		e.clock.Advance(accounts.CodeCooldown + time.Second)
	})
	t.Run("wrong tries", func(t *testing.T) {
		e.askCode(t, models.CodeRegister, "13900000012")
		code := e.lastCode(t, "13900000012")
		wrong := "000000"
		if code == wrong {
			wrong = "999999"
		}
		for i := range accounts.CodeMaxTries {
			_, err := e.svc.Register(e.ctx, registration("13900000012", wrong))
			if wantCode(t, err, models.ErrInvalid, "invalid_code"); err == nil {
				t.Fatalf("try %d", i)
			}
		}
		_, err := e.svc.Register(e.ctx, registration("13900000012", code))
		wantCode(t, err, models.ErrInvalid, "code_spent")
		// A new code works again, after the cooldown.
		e.clock.Advance(accounts.CodeCooldown)
		e.askCode(t, models.CodeRegister, "13900000012")
		if _, err := e.svc.Register(e.ctx, registration("13900000012", e.lastCode(t, "13900000012"))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("single use", func(t *testing.T) {
		e.askCode(t, models.CodeReset, "13900000012")
		code := e.lastCode(t, "13900000012")
		in := accounts.PasswordReset{Account: "13900000012", Code: code, Password: "Amber-orchard-lane-7"}
		if err := e.svc.ResetPassword(e.ctx, in); err != nil {
			t.Fatal(err)
		}
		in.Password = "Copper-meadow-finch-2"
		wantCode(t, e.svc.ResetPassword(e.ctx, in), models.ErrInvalid, "invalid_code")
	})
	t.Run("only the newest code counts", func(t *testing.T) {
		e.askCode(t, models.CodeRegister, "13900000013")
		first := e.lastCode(t, "13900000013")
		e.clock.Advance(accounts.CodeCooldown)
		e.askCode(t, models.CodeRegister, "13900000013")
		second := e.lastCode(t, "13900000013")
		if first != second {
			_, err := e.svc.Register(e.ctx, registration("13900000013", first))
			wantCode(t, err, models.ErrInvalid, "invalid_code")
		}
		if _, err := e.svc.Register(e.ctx, registration("13900000013", second)); err != nil {
			t.Fatal(err)
		}
	})
}

// Limits: a cooldown per target, 5 codes an hour per target, 30 an hour per client address;
// each is 429 with a Chinese message, and the same for registered and unregistered numbers.
func TestRequestCode_RateLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800000001")
	for _, phone := range []string{"13800000001", "13900000009"} {
		e.askCode(t, models.CodeRegister, phone)
		_, err := e.svc.RequestCode(e.ctx, accounts.CodeRequest{Purpose: models.CodeRegister, Phone: phone}, client)
		me := wantCode(t, err, models.ErrRateLimited, "code_cooldown")
		if !strings.Contains(me.Message, "60 秒后") {
			t.Errorf("cooldown message %q", me.Message)
		}
		for range accounts.CodesPerTarget - 1 {
			e.clock.Advance(accounts.CodeCooldown)
			e.askCode(t, models.CodeRegister, phone)
		}
		e.clock.Advance(accounts.CodeCooldown)
		_, err = e.svc.RequestCode(e.ctx, accounts.CodeRequest{Purpose: models.CodeRegister, Phone: phone}, client)
		me = wantCode(t, err, models.ErrRateLimited, "too_many_codes")
		if !strings.Contains(me.Message, "分钟后再试") {
			t.Errorf("hourly message %q", me.Message)
		}
	}
	// Another address asks for codes for many numbers: the 31st in the hour is refused.
	sweep := accounts.ClientInfo{IP: "198.51.100.7"}
	for i := range accounts.CodesPerSource {
		req := accounts.CodeRequest{Purpose: models.CodeReset, Account: "137000000" + string(rune('0'+i/10)) + string(rune('0'+i%10))}
		if _, err := e.svc.RequestCode(e.ctx, req, sweep); err != nil {
			t.Fatalf("code %d: %v", i, err)
		}
	}
	_, err := e.svc.RequestCode(e.ctx, accounts.CodeRequest{Purpose: models.CodeReset, Account: "13700000099"}, sweep)
	wantCode(t, err, models.ErrRateLimited, "too_many_codes")
	// The window ends.
	e.clock.Advance(accounts.CodeWindow)
	if _, err := e.svc.RequestCode(e.ctx, accounts.CodeRequest{Purpose: models.CodeReset, Account: "13700000099"}, sweep); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// The reset answers the same for registered and unregistered numbers; only the owner gets a
// code; the reset ends every session, and the new password works.
func TestResetPassword_NoEnumerationEndsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800000001")
	tok1, _ := e.login(t, "13800000001", password)
	tok2, _ := e.login(t, "13800000001", password)
	a := e.askCode(t, models.CodeReset, "13800000001")
	b := e.askCode(t, models.CodeReset, "13800000404")
	if *a != *b {
		t.Fatalf("answers differ: %+v / %+v", a, b)
	}
	if got := e.texts(t, "13800000404"); len(got) != 0 {
		t.Fatalf("an unregistered number was sent %q", got)
	}
	errFree := e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "13800000404", Code: "123456", Password: "Mossy-kettle-river-4"})
	code := e.lastCode(t, "13800000001")
	wrong := "123456"
	if code == wrong {
		wrong = "654321"
	}
	errTaken := e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "13800000001", Code: wrong, Password: "Mossy-kettle-river-4"})
	if errFree == nil || errTaken == nil || errFree.Error() != errTaken.Error() {
		t.Fatalf("answers differ: %v / %v", errFree, errTaken)
	}
	if err := e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "13800000001", Code: code, Password: "Mossy-kettle-river-4"}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{tok1, tok2} {
		if _, err := e.svc.Authenticate(e.ctx, tok); err == nil {
			t.Error("a session survived the reset")
		}
	}
	if _, err := e.svc.Login(e.ctx, "13800000001", password, client); err == nil {
		t.Error("the old password still works")
	}
	if _, err := e.svc.Login(e.ctx, "13800000001", "Mossy-kettle-river-4", client); err != nil {
		t.Errorf("the new password: %v", err)
	}
	// The owner is told the password was reset.
	if got := e.texts(t, "13800000001"); !strings.Contains(got[len(got)-1], "已通过验证码重置") {
		t.Errorf("texts %q", got)
	}
	// The policy applies to the new password.
	e.clock.Advance(accounts.CodeCooldown)
	e.askCode(t, models.CodeReset, "13800000001")
	err := e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "13800000001", Code: e.lastCode(t, "13800000001"), Password: "password1"})
	wantField(t, err, "password")
}

// A staff member resets by a code sent to their verified e-mail address: it arrives at the
// loopback SMTP server; an unverified address gets no code.
func TestResetPassword_CodeByEmailOverSMTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok, _ := e.login(t, "admin", password)
	admin, err := e.svc.Authenticate(e.ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SaveSettings(e.ctx, admin, accounts.SettingsInput{Email: "admin@haimen.example"}); err != nil {
		t.Fatal(err)
	}
	e.deliver(t)
	msgs := e.mail.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "admin@haimen.example" || msgs[0].Subject != "邮箱验证码" {
		t.Fatalf("verification mail: %+v", msgs)
	}
	// Unverified: a reset code does not go to it.
	e.askCode(t, models.CodeReset, "admin")
	e.deliver(t)
	if n := len(e.mail.Messages()); n != 1 {
		t.Fatalf("%d mails: a reset code went to an unverified address", n)
	}
	code := codeRE.FindStringSubmatch(msgs[0].Body)
	if code == nil {
		t.Fatalf("no code in %q", msgs[0].Body)
	}
	st, err := e.svc.ConfirmEmail(e.ctx, admin, code[1])
	if err != nil || !st.EmailVerified {
		t.Fatalf("confirm: %+v %v", st, err)
	}
	e.clock.Advance(accounts.CodeCooldown)
	e.askCode(t, models.CodeReset, "admin")
	e.deliver(t)
	msgs = e.mail.Messages()
	if len(msgs) != 2 || msgs[1].Subject != "找回密码验证码" {
		t.Fatalf("reset mail: %+v", msgs)
	}
	code = codeRE.FindStringSubmatch(msgs[1].Body)
	if err := e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "admin", Code: code[1], Password: "Harbour-lantern-88"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(e.ctx, tok); err == nil {
		t.Error("the session survived the reset")
	}
	if _, err := e.svc.Login(e.ctx, "admin", "Harbour-lantern-88", client); err != nil {
		t.Error(err)
	}
	// A staff password keeps the staff policy (12 characters).
	e.clock.Advance(accounts.CodeCooldown)
	e.askCode(t, models.CodeReset, "admin")
	e.deliver(t)
	code = codeRE.FindStringSubmatch(e.mail.Messages()[2].Body)
	wantField(t, e.svc.ResetPassword(e.ctx, accounts.PasswordReset{Account: "admin", Code: code[1], Password: "short-9x"}), "password")
}

// A code that could not go out in its 10 minutes is not sent at all.
func TestCodes_NotSentAfterExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sms.Fail = errors.New("gateway down")
	e.askCode(t, models.CodeRegister, "13900000002")
	e.deliver(t)
	e.sms.Fail = nil
	e.clock.Advance(accounts.CodeTTL)
	e.deliver(t)
	if got := e.sms.To("13900000002"); len(got) != 0 {
		t.Fatalf("an expired code was sent: %q", got)
	}
	var d models.NoticeDelivery
	if err := e.store.DB().Take(&d).Error; err != nil || d.Status != models.DeliveryDead {
		t.Fatalf("delivery %+v %v", d, err)
	}
}

// PIPL: the separate consent is required, unticked by default, and recorded with its version.
func TestRegister_ConsentRequiredAndRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.askCode(t, models.CodeRegister, "13900000002")
	code := e.lastCode(t, "13900000002")
	in := registration("13900000002", code)
	in.ConsentSensitive = false
	_, err := e.svc.Register(e.ctx, in)
	wantField(t, err, "consent_sensitive")
	if n, _ := e.store.CountUsersByRole(e.ctx, models.RoleApplicant); n != 0 {
		t.Fatalf("%d accounts made without consent", n)
	}
	u, err := e.svc.Register(e.ctx, registration("13900000002", code))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.svc.Consents(e.ctx, models.Actor{UserID: u.ID, Role: u.Role})
	if err != nil || len(cs) != 1 || cs[0].Version != accounts.ConsentVersion || !cs[0].Current || cs[0].Kind != accounts.ConsentSensitive {
		t.Fatalf("consents %+v %v", cs, err)
	}
	if !strings.Contains(accounts.ConsentText(), "居民身份证号码") || !strings.Contains(accounts.ConsentText(), "保存期限") {
		t.Error("the statement does not say what is collected and for how long")
	}
}

// An account made before verification cannot squat a number: the verified owner's
// registration moves it off the number and disables it.
func TestRegister_ClaimsAnUnverifiedNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	squat := &models.User{Username: "13900000002", PasswordHash: "x", Role: models.RoleApplicant, DisplayName: "冒用者"}
	if err := e.store.CreateUser(e.ctx, squat); err != nil {
		t.Fatal(err)
	}
	e.askCode(t, models.CodeRegister, "13900000002")
	u, err := e.svc.Register(e.ctx, registration("13900000002", e.lastCode(t, "13900000002")))
	if err != nil {
		t.Fatal(err)
	}
	old, err := e.store.UserByID(e.ctx, squat.ID)
	if err != nil || !old.Disabled || old.Username == "13900000002" {
		t.Fatalf("the squatting account: %+v %v", old, err)
	}
	if u.ID == squat.ID || u.PhoneVerifiedAt == nil {
		t.Errorf("new account %+v", u)
	}
	es, _ := e.store.ListAudit(e.ctx, models.AuditFilter{ObjectType: "user", ObjectID: squat.ID})
	if len(es) != 1 || es[0].Action != "user.phone_claimed" {
		t.Errorf("audit %+v", es)
	}
}

// A password change needs the current password and ends the other sessions only.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.register(t, "13800000001")
	keep, me := e.login(t, "13800000001", password)
	other, _ := e.login(t, "13800000001", password)
	for _, c := range []struct {
		name, current, next, field string
	}{
		{"wrong current", "not my password", "Quiet-harbour-lamp-58", "current_password"},
		{"no current", "", "Quiet-harbour-lamp-58", "current_password"},
		{"common new", password, "password1", "password"},
		{"same as current", password, password, "password"},
		{"the phone number", password, "13800000001", "password"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantField(t, e.svc.ChangePassword(e.ctx, me, accounts.PasswordChange{Current: c.current, Password: c.next}, keep, client), c.field)
		})
	}
	if err := e.svc.ChangePassword(e.ctx, me, accounts.PasswordChange{Current: password, Password: "Quiet-harbour-lamp-58"}, keep, client); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(e.ctx, keep); err != nil {
		t.Errorf("the session that changed it ended: %v", err)
	}
	if _, err := e.svc.Authenticate(e.ctx, other); err == nil {
		t.Error("another session survived the change")
	}
	if _, err := e.svc.Login(e.ctx, "13800000001", "Quiet-harbour-lamp-58", client); err != nil {
		t.Error(err)
	}
	wantKind(t, e.svc.ChangePassword(e.ctx, models.Actor{}, accounts.PasswordChange{}, "", client), models.ErrUnauthenticated)
}

// Who may reset a staff password: district admins, never their own, never an applicant's;
// a town admin, a trainer and an applicant may not. The reset is audited, ends the sessions
// and forces a change at the next sign-in.
func TestAdminResetPassword_Authorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	town := e.town(t, "三星镇")
	mk := func(username, role string, townID *uint64) models.Actor {
		u, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: username, Password: password + "!x", Name: "工作人员", Role: role, TownID: townID})
		if err != nil {
			t.Fatal(err)
		}
		return models.Actor{UserID: u.ID, Username: username, Name: "工作人员", Role: role, TownID: townID}
	}
	other := mk("district2", models.RoleDistrictAdmin, nil)
	townAdmin := mk("sanxing", models.RoleTownAdmin, &town)
	trainer := mk("trainer", models.RoleTrainer, nil)
	appl := e.register(t, "13800000001")
	applicant := models.Actor{UserID: appl.ID, Role: models.RoleApplicant}
	for _, c := range []struct {
		name   string
		actor  models.Actor
		target uint64
		kind   error
	}{
		{"district resets a trainer", e.admin, trainer.UserID, nil},
		{"district resets a town admin", e.admin, townAdmin.UserID, nil},
		{"district resets another district admin", other, e.admin.UserID, nil},
		{"district resets itself", e.admin, e.admin.UserID, models.ErrInvalid},
		{"district resets an applicant", e.admin, appl.ID, models.ErrForbidden},
		{"town admin resets a trainer", townAdmin, trainer.UserID, models.ErrForbidden},
		{"town admin resets the district", townAdmin, e.admin.UserID, models.ErrForbidden},
		{"trainer resets a town admin", trainer, townAdmin.UserID, models.ErrForbidden},
		{"applicant resets the district", applicant, e.admin.UserID, models.ErrForbidden},
		{"anonymous", models.Actor{}, trainer.UserID, models.ErrUnauthenticated},
		{"no such account", e.admin, 999999, models.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			temp, err := e.svc.AdminResetPassword(e.ctx, c.actor, c.target)
			if c.kind != nil {
				wantKind(t, err, c.kind)
				return
			}
			if err != nil || len(temp) != 19 {
				t.Fatalf("reset: %q %v", temp, err)
			}
		})
	}
	// The trainer signs in with the temporary password: the account must change it first.
	temp, err := e.svc.AdminResetPassword(e.ctx, e.admin, trainer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Login(e.ctx, "trainer", password+"!x", client); err == nil {
		t.Error("the old password still works")
	}
	in, err := e.svc.Login(e.ctx, "trainer", temp, client)
	if err != nil || !in.Actor.MustChangePassword {
		t.Fatalf("login with the temporary password: %+v %v", in.Actor, err)
	}
	if err := e.svc.ChangePassword(e.ctx, in.Actor, accounts.PasswordChange{Current: temp, Password: "Violet-ferry-cargo-39"}, in.Token, client); err != nil {
		t.Fatal(err)
	}
	a, err := e.svc.Authenticate(e.ctx, in.Token)
	if err != nil || a.MustChangePassword {
		t.Errorf("after the change: %+v %v", a, err)
	}
	es, _ := e.store.ListAudit(e.ctx, models.AuditFilter{ObjectType: "user", ObjectID: trainer.UserID})
	resets := 0
	for _, en := range es {
		if en.Action == "user.password_reset" {
			resets++
			if strings.Contains(en.Detail, temp) {
				t.Error("the temporary password is in the audit log")
			}
		}
	}
	if resets != 2 {
		t.Errorf("%d reset audit entries, want 2", resets)
	}
}

// An e-mail address given at registration is stored unverified and mailed a code (loopback
// SMTP); the code verifies it, after which reset codes go there too.
func TestRegister_EmailIsVerifiedByCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.askCode(t, models.CodeRegister, "13900000002")
	in := registration("13900000002", e.lastCode(t, "13900000002"))
	in.Email = "chen.xd@163.example"
	u, err := e.svc.Register(e.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	e.deliver(t)
	msgs := e.mail.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "chen.xd@163.example" {
		t.Fatalf("mails %+v", msgs)
	}
	me := models.Actor{UserID: u.ID, Role: u.Role}
	if st, _ := e.svc.Settings(e.ctx, me); st.Email != "chen.xd@163.example" || st.EmailVerified {
		t.Fatalf("before the code: %+v", st)
	}
	_, err = e.svc.ConfirmEmail(e.ctx, me, "00000x")
	wantField(t, err, "code")
	st, err := e.svc.ConfirmEmail(e.ctx, me, codeRE.FindStringSubmatch(msgs[0].Body)[1])
	if err != nil || !st.EmailVerified {
		t.Fatalf("confirm: %+v %v", st, err)
	}
	e.askCode(t, models.CodeReset, "13900000002")
	e.deliver(t)
	if n := len(e.mail.Messages()); n != 2 {
		t.Errorf("%d mails: the reset code did not go to the verified address", n)
	}
	if n := len(e.sms.To("13900000002")); n != 2 {
		t.Errorf("%d texts: the reset code did not go to the phone too", n)
	}
}
