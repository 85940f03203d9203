package accounts

import (
	"context"
	"net/mail"
	"regexp"
	"strings"

	"auxportal/models"
)

// Settings is what a signed-in user sees and may change of their own account on 账号设置.
type Settings struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// Email is where e-mail notices go; "" for none (notices are then in-app only).
	Email string `json:"email"`
}

// SettingsInput is a change of one's own settings.
type SettingsInput struct {
	// Email sets the address; "" clears it.
	Email string `json:"email"`
}

// Settings returns the actor's own settings.
func (s *Service) Settings(ctx context.Context, actor models.Actor) (*Settings, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "请先登录")
	}
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	st := &Settings{Username: u.Username, Name: u.DisplayName, Role: u.Role}
	if u.Email != nil {
		st.Email = *u.Email
	}
	return st, nil
}

// SaveSettings changes the actor's own settings: the e-mail address, which is checked (a bad
// one is a field error on "email", nothing stored) or, when empty, cleared. Only the user
// changes their own address, so this is not audited; the address is never logged.
func (s *Service) SaveSettings(ctx context.Context, actor models.Actor, in SettingsInput) (*Settings, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "请先登录")
	}
	addr, err := checkEmail(in.Email)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetUserEmail(ctx, actor.UserID, addr); err != nil {
		return nil, err
	}
	return s.Settings(ctx, actor)
}

// A domain of letters, digits and hyphens in dot-separated labels, with a top level of letters
// (or punycode).
var domainRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$`)

// localRE is a dot-atom local part (RFC 5322) with no leading, trailing or doubled dots.
var localRE = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")

// checkEmail returns the address to store (nil to clear) or a field error. Only plain ASCII
// addresses (name@163.com, not "Name" <…>, not quoted local parts, not Chinese ones) are taken:
// they are what SMTP servers take without extensions, and they go into mail headers as they are.
func checkEmail(raw string) (*string, error) {
	addr := strings.TrimSpace(raw)
	if addr == "" {
		return nil, nil
	}
	bad := models.FieldErrors{}
	local, domain, ok := strings.Cut(addr, "@")
	switch {
	case len(addr) > 254:
		bad.Add("email", "电子邮箱地址过长")
	case !ok || !localRE.MatchString(local) || len(local) > 64 || !domainRE.MatchString(domain):
		bad.Add("email", "请填写有效的电子邮箱地址，例如 zhangsan@163.com（暂不支持含中文的地址）")
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	// net/mail must read it back as itself: the last word on what goes into a header.
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr {
		bad.Add("email", "请填写有效的电子邮箱地址，例如 zhangsan@163.com（暂不支持含中文的地址）")
		return nil, bad.Err()
	}
	addr = local + "@" + strings.ToLower(domain)
	return &addr, nil
}
