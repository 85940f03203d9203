package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"auxportal/models"
	"auxportal/notices"
)

// PasswordChange is a signed-in user's change of their own password.
type PasswordChange struct {
	Current  string `json:"current_password"`
	Password string `json:"password"`
}

func minPasswordOf(role string) int {
	if role == models.RoleApplicant {
		return MinPasswordApplicant
	}
	return MinPasswordStaff
}

// ChangePassword sets the actor's own password after checking the current one, and ends every
// other session of the account (the one in keepToken stays signed in). Wrong current passwords
// count in the login throttle of the account, as a login would: a stolen session cannot be
// turned into the password by guessing.
func (s *Service) ChangePassword(ctx context.Context, actor models.Actor, in PasswordChange, keepToken string, ci ClientInfo) error {
	if actor.Anonymous() {
		return models.Deny(actor, "请先登录")
	}
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	fe := models.FieldErrors{}
	if in.Current == "" || len(in.Current) > 1024 {
		fe.Add("current_password", "请填写当前密码")
	}
	s.checkNewPassword(fe, "password", in.Password, minPasswordOf(u.Role), u.Username, u.DisplayName)
	if in.Password != "" && in.Password == in.Current {
		fe.Add("password", "新密码不能与当前密码相同")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	now := s.clock.Now()
	keys := throttleKeysOf(u.Username, ci.IP)
	if err := s.reserveLogin(ctx, keys, now); err != nil {
		return err
	}
	ok, err := s.check(ctx, u.PasswordHash, in.Current)
	if err != nil {
		return err
	}
	if !ok {
		e := models.Invalid("invalid_input", "当前密码不正确")
		e.Fields = map[string]string{"current_password": "当前密码不正确"}
		return e
	}
	if err := s.store.ClearLoginAttempt(ctx, []string{keys.source}, []string{keys.account}); err != nil {
		return err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return err
	}
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteOtherSessions(ctx, u.ID, hashToken(keepToken)); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, audit(actor, now, "user.password_change", u.ID, u.TownID, "{}")); err != nil {
			return err
		}
		return s.tell(ctx, tx, u, fmt.Sprintf("accounts:password_changed:%d:%d", u.ID, now.UnixNano()),
			"您的登录密码已修改", "您的登录密码已修改，其他设备上的登录已退出。如非本人操作，请立即通过登录页的“忘记密码”找回并联系区城管局。")
	})
}

// tell records an in-app notice about the account (and an SMS to an applicant).
func (s *Service) tell(ctx context.Context, tx *models.Store, u *models.User, key, title, body string) error {
	if s.notes == nil {
		return nil
	}
	m := notices.Message{UserID: u.ID, Kind: "accounts.password", DedupKey: key, Title: title, Body: body, Link: "/me/settings"}
	if u.Role == models.RoleApplicant {
		m.Channels = []string{notices.ChannelSMS}
	}
	_, err := s.notes.Notify(ctx, tx, m)
	return err
}

// PasswordReset is a reset of a forgotten password by the code sent to the account.
type PasswordReset struct {
	Account  string `json:"account"` // the phone number, or a staff username
	Code     string `json:"code"`
	Password string `json:"password"`
}

// ResetPassword sets a new password for the account the code was sent to (RequestCode with
// purpose "reset") and ends all of its sessions. A code asked for an account that does not
// exist was sent to nobody, so the answer there is the wrong-code answer, as for any wrong code.
// An applicant account made before phone verification counts as verified afterwards: the code
// went to its phone number.
func (s *Service) ResetPassword(ctx context.Context, in PasswordReset) error {
	in.Account = strings.TrimSpace(in.Account)
	fe := models.FieldErrors{}
	if in.Account == "" || len(in.Account) > 64 {
		fe.Add("account", "请填写注册时的手机号（工作人员填写账号）")
	}
	if in.Password == "" {
		fe.Add("password", "请设置新密码")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	vc, err := s.checkCode(ctx, models.CodeReset, in.Account, in.Code)
	if err != nil {
		return err
	}
	if vc.UserID == nil {
		return errBadCode()
	}
	u, err := s.store.UserByID(ctx, *vc.UserID)
	if errors.Is(err, models.ErrNotFound) {
		return errBadCode()
	} else if err != nil {
		return err
	}
	if u.Disabled {
		return errBadCode()
	}
	s.checkNewPassword(fe, "password", in.Password, minPasswordOf(u.Role), u.Username, u.DisplayName)
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := s.useCode(ctx, tx, vc); err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if u.Role == models.RoleApplicant && u.PhoneVerifiedAt == nil && u.EmailVerifiedAt == nil {
			// The code went to the phone only.
			if err := tx.SetPhoneVerified(ctx, u.ID, now); err != nil {
				return err
			}
		}
		// Failed logins before the reset no longer stand between the owner and the account.
		if err := tx.ClearLoginAttempt(ctx, []string{throttleKey("account", strings.ToLower(u.Username))}, nil); err != nil {
			return err
		}
		if u.Role != models.RoleApplicant {
			if err := tx.AppendAudit(ctx, audit(models.Actor{UserID: u.ID, Name: u.DisplayName}, now, "user.password_reset_by_code", u.ID, u.TownID, "{}")); err != nil {
				return err
			}
		}
		return s.tell(ctx, tx, u, fmt.Sprintf("accounts:password_reset:%d:%d", u.ID, now.UnixNano()),
			"您的登录密码已通过验证码重置", "您的登录密码已通过验证码重置，所有设备上的登录已退出。如非本人操作，请立即再次找回密码并联系区城管局。")
	})
}

// AdminResetPassword gives a staff account a temporary password, shown once to the district
// admin who reset it, and ends the account's sessions; the next sign-in must choose a new
// password before anything else. Only a district admin may, never on their own account (they
// change it on 账号设置) nor on an applicant's (applicants reset theirs by a code to their
// phone): so a district admin is reset only by another district admin. Audited.
func (s *Service) AdminResetPassword(ctx context.Context, actor models.Actor, userID uint64) (string, error) {
	if !actor.IsDistrictAdmin() {
		return "", models.Deny(actor, "只有区城管局管理员可以重置工作人员密码")
	}
	if userID == actor.UserID {
		return "", models.Invalid("self_reset", "不能重置自己的密码，请在账号设置中修改")
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	if u.Role == models.RoleApplicant {
		return "", models.Forbidden("报名人员的密码由本人通过手机验证码找回，管理员不能重置")
	}
	temp, err := temporaryPassword()
	if err != nil {
		return "", err
	}
	hash, err := s.hash(ctx, temp)
	if err != nil {
		return "", err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, true); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if err := tx.ClearLoginAttempt(ctx, []string{throttleKey("account", strings.ToLower(u.Username))}, nil); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit(actor, s.clock.Now(), "user.password_reset", u.ID, u.TownID,
			fmt.Sprintf(`{"username":%q,"must_change":true}`, u.Username)))
	})
	if err != nil {
		return "", err
	}
	return temp, nil
}

// tempAlphabet has no characters that are read or typed wrongly from a screen (0/O, 1/l/I).
const tempAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// temporaryPassword is 16 random characters in four groups (80 bits).
func temporaryPassword() (string, error) {
	var b strings.Builder
	for i := range 16 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(tempAlphabet))))
		if err != nil {
			return "", fmt.Errorf("temporary password: %w", err)
		}
		b.WriteByte(tempAlphabet[n.Int64()])
	}
	return b.String(), nil
}
