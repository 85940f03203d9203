package e2e

import (
	"strings"
	"testing"
)

// TestAccountsJourney is issue 8's browser journey on a phone (390 px) against the real binary:
// a newcomer registers with the code texted to their phone and the separate consent, signs out,
// forgets the password, resets it with a code, and signs in with the new one. Registering a
// number that is already registered looks the same, and its owner is texted a warning, not a
// code.
func TestAccountsJourney(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p.URL)
	b.phone()
	const phone, name, first, second = "13900000088", "陈晓东", "Lotus-bridge-kite-31", "Cedar-window-plum-64"

	b.open("registration page", "/register", `/register`)
	b.checkPage("registration page")
	b.do("fill in the phone number", typeInto("#phone", phone))
	b.navigate("ask for a code", `/register/verify\?phone=`+phone+`&ok=code_sent`, click(`main form button[type=submit]`))
	b.do("the code was sent", waitText(".flash", "验证码已发送"))
	b.checkPage("registration, step 2")
	b.do("fill in the account without the consent",
		typeInto("#code", p.code(t, phone)), typeInto("#name", name),
		typeInto("#password", first), typeInto("#password2", first))
	b.shot("register-verify-phone")
	b.navigateStatus("register without the consent", 400, `/register`, click(`main form[action="/register"] button[type=submit]`))
	b.do("the consent is asked for on its field", waitText("#consent-err", "请阅读《敏感个人信息处理规则》并勾选同意"))
	b.shot("register-consent-error-phone")
	b.do("fill in again with the consent",
		typeInto("#code", p.lastCode(t, phone)), typeInto("#password", first), typeInto("#password2", first),
		click(`input[name=consent_sensitive]`))
	b.navigate("register", `/\?ok=registered`, click(`main form[action="/register"] button[type=submit]`))
	b.do("registered and signed in", waitText(".flash", "注册成功"), waitText("header nav", name))
	b.open("account settings", "/me/settings", `/me/settings`)
	b.do("the consent is on record", waitText("main", "个人信息授权记录"))
	b.shot("settings-consent-phone")
	b.logout("sign out")

	// A registered number: the same page, and its owner is warned instead of sent a code.
	b.open("registration page again", "/register", `/register`)
	b.do("fill in a registered number", typeInto("#phone", "13800000001"))
	b.navigate("ask for a code for it", `/register/verify\?phone=13800000001&ok=code_sent`, click(`main form button[type=submit]`))
	b.do("the same message", waitText(".flash", "验证码已发送"))
	if out := p.out.String(); !strings.Contains(out, "to=13800000001") || !strings.Contains(out, "有人尝试用您的手机号注册") {
		t.Errorf("the owner of 13800000001 was not warned")
	}

	// Forgotten password.
	b.open("login page", "/login", `/login`)
	b.navigate("forgot the password", `/password/forgot`, click(`main a[href="/password/forgot"]`))
	b.checkPage("forgot page")
	b.do("fill in the phone number", typeInto("#account", phone))
	b.navigate("ask for a reset code", `/password/reset\?account=`+phone+`&ok=reset_code_sent`, click(`main form button[type=submit]`))
	b.do("the reset code was sent", waitText(".flash", "验证码已发送"))
	b.checkPage("reset page")
	b.do("fill in the code and a new password",
		typeInto("#code", p.code(t, phone)), typeInto("#password", second), typeInto("#password2", second))
	b.shot("password-reset-phone")
	b.navigate("reset", `/login\?ok=password_reset`, click(`main form[action="/password/reset"] button[type=submit]`))
	b.do("told to sign in", waitText(".flash", "密码已重置"))

	b.do("the old password no longer works", typeInto("#username", phone), typeInto("#password", first))
	b.navigateStatus("sign in with the old password", 401, `/login`, click(`main form button[type=submit]`))
	b.do("sign in with the new password", typeInto("#username", phone), typeInto("#password", second))
	b.navigate("signed in", `/me`, click(`main form button[type=submit]`))
	b.do("signed in as the newcomer", waitText("header nav", name))
	b.shot("signed-in-after-reset-phone")
}

// register fills in both registration steps from the registration page the browser is on:
// the phone number, then the code texted to it (read from the portal's log), the name, the
// password and the consent; it ends on wantPath, where the registration goes.
func (b *browser) register(p *portal, step, phone, name, password, wantPath string) {
	b.t.Helper()
	b.do(step+": the phone number", typeInto("#phone", phone))
	b.navigate(step+": ask for a code", `/register/verify\?.+`, click(`main form button[type=submit]`))
	b.do(step+": the account", typeInto("#code", p.code(b.t, phone)), typeInto("#name", name),
		typeInto("#password", password), typeInto("#password2", password), click(`input[name=consent_sensitive]`))
	b.navigate(step, wantPath, click(`main form[action="/register"] button[type=submit]`))
}
