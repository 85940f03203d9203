package accounts_test

import (
	"fmt"
	"strings"
	"testing"

	"auxportal/accounts"
	"auxportal/models"
)

// Threat: guessable passwords. The first guesses of every cracking list, the account's own
// phone number, username or name, and trivial patterns are refused as new passwords, at
// registration, at staff creation and for the first district admin, with a field message
// saying why. Staff passwords need 12 characters, applicants' 8.
func TestNewPassword_WeakRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const phone = "13907316482"
	weak := []struct {
		name, pw, says string
	}{
		{"12345678", "12345678", "常见"},
		{"a run not in the list", "23456789", "连续"},
		{"88888888", "88888888", "常见"},
		{"5201314 twice", "52013145201314", "常见"},
		{"woaini1314", "woaini1314", "常见"},
		{"a123456", "a1234567", "常见"},
		{"qwertyuiop", "qwertyuiop", "常见"},
		{"password1", "password1", "常见"},
		{"Password1 in capitals", "PASSWORD1", "常见"},
		{"1qaz2wsx", "1qaz2wsx", "常见"},
		{"common word and a year", "password2026", "常见"},
		{"common word and 520", "iloveyou520", "常见"},
		{"common word and a symbol", "woaini1314!", "常见"},
		{"the phone number", phone, "手机号"},
		{"the phone number with +86", "+86" + phone, "手机号"},
		{"the phone number and a letter", phone + "a", "手机号"},
		{"the phone number's last eight digits", phone[3:], "手机号"},
		{"the phone number backwards", "28461370931", "手机号"},
		{"the name repeated", "王小明王小明王小明", "姓名"},
		{"the name and a year", "王小明19900101", "姓名"},
		{"one repeated character", "zzzzzzzzzz", "重复"},
		{"a repeated unit", "abc1abc1abc1", "重复"},
		{"ascending letters", "abcdefghij", "连续"},
		{"descending digits", "6543210987", "连续"},
		{"digits wrapping", "7890123456", "连续"},
		{"separated run", "1234-5678", "连续"},
		{"too short", "hm8w3kq", "8 位"},
		{"too long", strings.Repeat("hm8w3kqz", 17), "128"},
		// What a guesser tries first (a security review's list).
		{"a birthday", "19900101", "猜"},
		{"a date", "20240101", "猜"},
		{"a repeat and a letter", "11111111a", "猜"},
		{"a surname and a run", "wang1234", "猜"},
		{"a placeholder name", "zhangsan1", "猜"},
		{"the portal's demo password on a real portal", "Haimen-demo-2026", "猜"},
	}
	for _, c := range weak {
		t.Run("applicant "+c.name, func(t *testing.T) {
			_, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: phone, Password: c.pw, Name: "王小明"})
			wantField(t, err, "password")
			me, _ := models.AsError(err)
			if !strings.Contains(me.Fields["password"], c.says) {
				t.Errorf("message %q does not say %q", me.Fields["password"], c.says)
			}
		})
	}
	staffWeak := []struct{ name, user, pw string }{
		{"11 characters", "trainer7", "hm8w3kqz-x2"},
		{"the username", "wangxiaoming", "wangxiaoming"},
		{"the username and digits", "wangxiaoming", "wangxiaoming2026"},
		{"the username in capitals and a run", "sanxing", "SANXING123456"},
		{"a common password padded", "trainer8", "password1234"},
		{"admin and digits", "trainer9", "admin12345678"},
		{"the demo password", "trainer10", "Haimen-demo-2026"},
		{"keyboard rows", "trainer11", "123qweasdzxc"},
		{"keyboard columns", "trainer12", "qazwsxedcrfv"},
		{"keyboard columns with shift", "trainer13", "!QAZ2wsx#EDC"},
		{"keyboard columns backwards", "trainer14", "zaq12wsxcde3"},
		{"capitals, a run and a symbol", "trainer15", "Aa123456789!"},
		{"lucky numbers", "trainer16", "5201314520131"},
		{"a repeat around a letter", "trainer17", "88888888a888"},
		{"a famous phone number", "trainer18", "13800138000x"},
	}
	for _, c := range staffWeak {
		t.Run("staff "+c.name, func(t *testing.T) {
			_, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: c.user, Password: c.pw, Name: "王小明", Role: models.RoleTrainer})
			wantField(t, err, "password")
			if err := e.svc.CreateDistrictAdmin(e.ctx, c.user, c.pw, "区管理员"); err == nil {
				t.Errorf("CreateDistrictAdmin accepted %q", c.pw)
			}
		})
	}
	// What passes: an 8-character applicant password with no pattern, staff passwords of 12
	// or more that are none of the above, a phrase of Chinese characters.
	for i, pw := range []string{"hm8w3kqz", "lanse-xingqi-93", "我家门前有两棵树", "13907316482海门街道巡查员"} {
		p := fmt.Sprintf("1391234560%d", i)
		if _, err := e.svc.CreateApplicant(e.ctx, accounts.RegisterInput{Phone: p, Password: pw, Name: "王小明"}); err != nil {
			t.Errorf("applicant password %q refused: %v", pw, err)
		}
	}
	for i, pw := range []string{"Tide-lantern-5821", "correct horse battery", "三星镇城管巡查员2026"} {
		u := fmt.Sprintf("staff%d", i)
		if _, err := e.svc.CreateStaff(e.ctx, e.admin, accounts.StaffInput{Username: u, Password: pw, Name: "王小明", Role: models.RoleTrainer}); err != nil {
			t.Errorf("staff password %q refused: %v", pw, err)
		}
	}
	if err := e.svc.CreateDistrictAdmin(e.ctx, "district2", "Tide-lantern-5821", "区管理员"); err != nil {
		t.Errorf("district admin: %v", err)
	}
	// A demo portal may use its published password; a real one may not (above).
	demo, err := accounts.New(e.store, e.clock, accounts.WithCheapHashing(), accounts.WithDemoPassword("Haimen-demo-2026"))
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.CreateDistrictAdmin(e.ctx, "district3", "Haimen-demo-2026", "区管理员"); err != nil {
		t.Errorf("demo district admin: %v", err)
	}
}
