package accounts_test

import (
	"strings"
	"testing"

	"auxportal/accounts"
	"auxportal/models"
)

func TestSettings_EmailSetCheckedAndCleared(t *testing.T) {
	e := newEnv(t)
	e.register(t, "13800000001")
	_, me := e.login(t, "13800000001", password)
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{"plain", "zhangsan@163.com", "zhangsan@163.com", false},
		{"spaces around, upper-case domain", "  Zhang.San+hm@QQ.COM ", "Zhang.San+hm@qq.com", false},
		{"subdomain", "li@mail.haimen.gov.cn", "li@mail.haimen.gov.cn", false},
		{"cleared", "", "", false},
		{"no at sign", "zhangsan.163.com", "", true},
		{"no domain dot", "zhangsan@localhost", "", true},
		{"two at signs", "a@b@163.com", "", true},
		{"display name", "张三 <zhangsan@163.com>", "", true},
		{"Chinese local part", "张三@163.com", "", true},
		{"Chinese domain", "zhangsan@邮箱.中国", "", true},
		{"quoted local part", `"zhang san"@163.com`, "", true},
		{"double dot", "zhang..san@163.com", "", true},
		{"header injection", "zhangsan@163.com\r\nBcc: evil@attacker.example", "", true},
		{"space inside", "zhang san@163.com", "", true},
		{"too long", strings.Repeat("a", 250) + "@163.com", "", true},
		{"long local part", strings.Repeat("a", 65) + "@163.com", "", true},
		{"domain label starting with a hyphen", "a@-163.com", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.clock.Advance(accounts.CodeCooldown) // each new address is sent a code
			before, err := e.svc.Settings(e.ctx, me)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.svc.SaveSettings(e.ctx, me, accounts.SettingsInput{Email: tt.in})
			if tt.bad {
				wantField(t, err, "email")
				if after, _ := e.svc.Settings(e.ctx, me); after.Email != before.Email {
					t.Errorf("a refused address changed the stored one: %q → %q", before.Email, after.Email)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Email != tt.want || got.Username != "13800000001" || got.Name != "张三" {
				t.Errorf("settings %+v, want email %q", got, tt.want)
			}
			u, _ := e.store.UserByUsername(e.ctx, "13800000001")
			if (tt.want == "") != (u.Email == nil) {
				t.Errorf("stored %v, want %q (nil when cleared)", u.Email, tt.want)
			}
		})
	}
}

func TestSettings_VisitorMustSignIn(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Settings(e.ctx, models.Actor{})
	wantKind(t, err, models.ErrUnauthenticated)
	_, err = e.svc.SaveSettings(e.ctx, models.Actor{}, accounts.SettingsInput{Email: "a@b.com"})
	wantKind(t, err, models.ErrUnauthenticated)
}
