package accounts

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"auxportal/models"
	"auxportal/notices"
)

// Settings is what a signed-in user sees and may change of their own account on 账号设置.
type Settings struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	// Email is where e-mail notices go; "" for none (notices are then in-app only).
	Email string `json:"email"`
	// EmailVerified: a code sent to the address came back. Reset codes go only to a verified
	// address.
	EmailVerified bool `json:"email_verified"`
	// MustChangePassword: a district admin reset the password; choose a new one first.
	MustChangePassword bool `json:"must_change_password"`
	// Consents are the consents this account gave (registration's sensitive-data consent).
	Consents []ConsentView `json:"consents"`
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
	st := &Settings{Username: u.Username, Name: u.DisplayName, Role: u.Role, MustChangePassword: u.MustChangePassword}
	if u.Email != nil {
		st.Email = *u.Email
		st.EmailVerified = u.EmailVerifiedAt != nil
	}
	if st.Consents, err = s.Consents(ctx, actor); err != nil {
		return nil, err
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
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if addr != nil && u.Email != nil && *u.Email == *addr {
		if u.EmailVerifiedAt == nil {
			// Saved again unverified: the user asks for the code again.
			if err := s.sendEmailCode(ctx, u, *addr); err != nil {
				return nil, err
			}
		}
		return s.Settings(ctx, actor)
	}
	// A new address is unverified until its code comes back; until then notices still go to
	// it (as before verification existed) but reset codes do not.
	if err := s.store.SetUserEmail(ctx, actor.UserID, addr); err != nil {
		return nil, err
	}
	if addr != nil {
		if err := s.sendEmailCode(ctx, u, *addr); err != nil {
			return nil, err
		}
	}
	return s.Settings(ctx, actor)
}

// emailTarget is the target of a user's e-mail verification codes: the account, not the
// address, so that the limits hold however many addresses are tried.
func emailTarget(userID uint64) string { return fmt.Sprintf("user:%d", userID) }

// sendEmailCode sends a code to addr for u to verify it, under the same cooldown and hourly
// limit as other codes.
func (s *Service) sendEmailCode(ctx context.Context, u *models.User, addr string) error {
	now := s.clock.Now()
	th := s.targetOf(models.CodeEmail, emailTarget(u.ID))
	if err := s.admitCode(ctx, models.CodeEmail, th, now, "获取验证码次数过多，请 %d 分钟后再试"); err != nil {
		return err
	}
	code, err := newCode()
	if err != nil {
		return err
	}
	vc := &models.VerificationCode{Purpose: models.CodeEmail, Target: th, CodeHash: s.codeHash("code", th, code),
		UserID: &u.ID, Email: addr, CreatedAt: now, ExpiresAt: now.Add(CodeTTL)}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateVerificationCode(ctx, vc); err != nil {
			return err
		}
		return s.notify(ctx, tx, notices.Message{Kind: "accounts.code.email", DedupKey: fmt.Sprintf("accounts:code:%d:email", vc.ID),
			Title: "邮箱验证码",
			Body: fmt.Sprintf("您正在为海门区城市管理辅助人员招聘平台账号绑定此邮箱，验证码为 %s，%d 分钟内有效。如非本人操作，请忽略。",
				code, int(CodeTTL/time.Minute)),
			Channels: []string{notices.ChannelEmail}, To: map[string]string{notices.ChannelEmail: addr}, ExpiresAt: vc.ExpiresAt})
	})
	if err != nil {
		return err
	}
	if s.notes != nil {
		s.notes.Wake()
	}
	return nil
}

// ConfirmEmail verifies the address the newest e-mail code was sent to, if it is still the
// account's address.
func (s *Service) ConfirmEmail(ctx context.Context, actor models.Actor, code string) (*Settings, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "请先登录")
	}
	vc, err := s.checkCode(ctx, models.CodeEmail, emailTarget(actor.UserID), code)
	if err != nil {
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		u, err := tx.UserByID(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if u.Email == nil || *u.Email != vc.Email {
			return errBadCode() // the address was changed since this code was sent
		}
		if err := s.useCode(ctx, tx, vc); err != nil {
			return err
		}
		return tx.SetVerifiedEmail(ctx, u.ID, vc.Email, s.clock.Now())
	})
	if err != nil {
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
