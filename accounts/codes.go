package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"auxportal/models"
	"auxportal/notices"
)

// Verification codes (register a phone, reset a forgotten password, verify an e-mail address).
const (
	// CodeTTL is how long a code is valid after it was sent.
	CodeTTL = 10 * time.Minute
	// CodeMaxTries is how many wrong codes may be typed for one code; then a new one is needed.
	CodeMaxTries = 5
	// CodeCooldown is how long after one code the next may be asked for the same target.
	CodeCooldown = 60 * time.Second
	// CodeWindow is the window of the hourly limits below.
	CodeWindow = time.Hour
	// CodesPerTarget is how many codes one phone number or account may be sent in a CodeWindow.
	CodesPerTarget = 5
	// CodesPerSource is how many codes one client address may ask for in a CodeWindow: generous,
	// since mobile carriers put many phones behind one address (CGNAT), but a bound on what one
	// address can cost in SMS fees; bombing one number is bounded by CodesPerTarget.
	CodesPerSource = 200
)

// The answers to a request for a code: the same whether or not the target has an account, so
// that nobody learns which numbers are registered.
const (
	msgRegisterSent = "验证码已发送至 %s，%d 分钟内有效。如该号码已注册，将收到提醒短信而非验证码，请直接登录或找回密码。"
	msgResetSent    = "如该账号已注册并绑定了手机号或已验证的邮箱，验证码已发送，%d 分钟内有效。工作人员账号未绑定邮箱的，请联系区城管局管理员重置密码。"
)

var errBadCode = func() error {
	e := models.Invalid("invalid_code", "验证码错误或已过期，请重新获取")
	e.Fields = map[string]string{"code": "验证码错误或已过期，请重新获取"}
	return e
}

// CodeRequest asks for a code. Purpose is "register" (Phone) or "reset" (Account: a phone
// number or a staff username).
type CodeRequest struct {
	Purpose string `json:"purpose"`
	Phone   string `json:"phone"`
	Account string `json:"account"`
}

// CodeSent is the answer to a CodeRequest, the same for every target.
type CodeSent struct {
	Message     string `json:"message"`
	ResendAfter int    `json:"resend_after"` // seconds until another may be asked for
	ExpiresIn   int    `json:"expires_in"`   // seconds the code is valid
}

// WithCodeKey sets the key verification codes and their targets are hashed with (HMAC-SHA256).
// Replicas must share it; without it a random key is made, good for one process only.
func WithCodeKey(key []byte) Option {
	return func(s *Service) { s.codeKey = append([]byte(nil), key...) }
}

// WithoutSourceLimit turns off the per-address limit on codes (CodesPerSource), as
// -rate-limit=false turns off the other per-address limits: for load tests from one address
// only. The per-number limits stay.
func WithoutSourceLimit() Option { return func(s *Service) { s.noSourceLimit = true } }

// WithNotices sends verification codes and account alerts through the notice outbox.
func WithNotices(n *notices.Service) Option { return func(s *Service) { s.notes = n } }

// codeHash is the keyed hash of a purpose, target and code: a 6-digit code hashed without a
// secret key would be read back from a copy of the table in a million tries.
func (s *Service) codeHash(parts ...string) string {
	m := hmac.New(sha256.New, s.codeKey)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))
}

// targetOf is the stored form of a code's target: keyed, and blind to the case of a username.
func (s *Service) targetOf(purpose, target string) string {
	return s.codeHash("target", purpose, strings.ToLower(strings.TrimSpace(target)))
}

// newCode is six random digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("verification code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// takeSlot counts one use under key; a full window is 429 with msg (one %d: minutes left).
func (s *Service) takeSlot(ctx context.Context, key string, limit int, now time.Time, code, msg string) error {
	ok, ends, err := s.store.TakeRateSlot(ctx, key, limit, now, CodeWindow)
	if err != nil {
		return err
	}
	if !ok {
		mins := max(1, int(math.Ceil(ends.Sub(now).Minutes())))
		return models.E(models.ErrRateLimited, code, msg, mins)
	}
	return nil
}

// admitCode enforces a target's cooldown (CodeCooldown since its last code) and its hourly
// limit (CodesPerTarget; tooMany says so, with one %d for the minutes left).
func (s *Service) admitCode(ctx context.Context, purpose, th string, now time.Time, tooMany string) error {
	if last, err := s.store.LatestVerificationCode(ctx, purpose, th); err != nil {
		return err
	} else if last != nil && now.Sub(last.CreatedAt) < CodeCooldown {
		secs := int(math.Ceil((CodeCooldown - now.Sub(last.CreatedAt)).Seconds()))
		return models.E(models.ErrRateLimited, "code_cooldown", "验证码已发送，请 %d 秒后再重新获取", secs)
	}
	return s.takeSlot(ctx, throttleKey("code-target", th), CodesPerTarget, now, "too_many_codes", tooMany)
}

// RequestCode sends a verification code. The answer, the limits and the work done are the same
// whether or not the phone number or account exists:
//
//   - register: a number without a verified account gets the code; the owner of a verified
//     account gets an alert (有人尝试用您的手机号注册) instead, and a code row is stored that
//     nobody was sent, so typing anything in is answered as a wrong code;
//   - reset: an enabled account gets the code by SMS (applicants) and at its verified e-mail
//     address; anything else gets the same row, sent to nobody.
//
// Limits: one code per target per CodeCooldown, CodesPerTarget per hour, CodesPerSource per
// client address per hour (429 with the minutes or seconds to wait).
func (s *Service) RequestCode(ctx context.Context, req CodeRequest, ci ClientInfo) (*CodeSent, error) {
	now := s.clock.Now()
	fe := models.FieldErrors{}
	var target string
	switch req.Purpose {
	case models.CodeRegister:
		target = strings.TrimSpace(req.Phone)
		if !phoneRE.MatchString(target) {
			fe.Add("phone", "请填写 11 位中国大陆手机号码")
		}
	case models.CodeReset:
		target = strings.TrimSpace(req.Account)
		if target == "" || len(target) > 64 {
			fe.Add("account", "请填写注册时的手机号（工作人员填写账号）")
		}
	default:
		fe.Add("purpose", "用途须为 register 或 reset")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	th := s.targetOf(req.Purpose, target)
	// The address first, so that a sweep over many numbers from one address stops there.
	if !s.noSourceLimit {
		if err := s.takeSlot(ctx, throttleKey("code-source", sourceOf(ci.IP)), CodesPerSource, now,
			"too_many_codes", "获取验证码过于频繁，请 %d 分钟后再试"); err != nil {
			return nil, err
		}
	}
	if err := s.admitCode(ctx, req.Purpose, th, now, "该号码获取验证码次数过多，请 %d 分钟后再试"); err != nil {
		return nil, err
	}
	code, err := newCode()
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByUsername(ctx, target)
	if errors.Is(err, models.ErrNotFound) {
		u = nil
	} else if err != nil {
		return nil, err
	}
	vc := &models.VerificationCode{Purpose: req.Purpose, Target: th, CodeHash: s.codeHash("code", th, code),
		CreatedAt: now, ExpiresAt: now.Add(CodeTTL)}
	if u != nil {
		vc.UserID = &u.ID
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateVerificationCode(ctx, vc); err != nil {
			return err
		}
		return s.sendCode(ctx, tx, req.Purpose, target, code, u, vc)
	})
	if err != nil {
		return nil, err
	}
	if s.notes != nil {
		s.notes.Wake()
	}
	msg := fmt.Sprintf(msgResetSent, int(CodeTTL/time.Minute))
	if req.Purpose == models.CodeRegister {
		msg = fmt.Sprintf(msgRegisterSent, maskPhone(target), int(CodeTTL/time.Minute))
	}
	return &CodeSent{Message: msg, ResendAfter: int(CodeCooldown / time.Second), ExpiresIn: int(CodeTTL / time.Second)}, nil
}

// sendCode records the messages of a code request inside its transaction.
func (s *Service) sendCode(ctx context.Context, tx *models.Store, purpose, target, code string, u *models.User, vc *models.VerificationCode) error {
	mins := int(CodeTTL / time.Minute)
	key := func(what string) string { return fmt.Sprintf("accounts:code:%d:%s", vc.ID, what) }
	switch {
	case purpose == models.CodeRegister && u != nil && u.PhoneVerifiedAt != nil:
		// The number has an owner, who is told instead of being sent a code.
		return s.notify(ctx, tx, notices.Message{UserID: u.ID, Kind: "accounts.register_attempt", DedupKey: key("alert"),
			Title: "有人尝试用您的手机号注册",
			Body: "有人尝试用您的手机号注册海门区城市管理辅助人员招聘平台。您已注册，可直接登录；忘记密码可在登录页找回。" +
				"如非本人操作，请忽略本消息，您的账号不受影响。",
			Link: "/login", Channels: []string{notices.ChannelSMS}})
	case purpose == models.CodeRegister:
		return s.notify(ctx, tx, notices.Message{Kind: "accounts.code.register", DedupKey: key("sms"),
			Title: "注册验证码", Body: fmt.Sprintf("您的注册验证码为 %s，%d 分钟内有效。请勿告诉他人。", code, mins),
			Channels: []string{notices.ChannelSMS}, To: map[string]string{notices.ChannelSMS: target},
			ExpiresAt: vc.ExpiresAt})
	case purpose == models.CodeReset && u != nil && !u.Disabled:
		body := fmt.Sprintf("您正在找回海门区城市管理辅助人员招聘平台的登录密码，验证码为 %s，%d 分钟内有效。如非本人操作，请忽略，切勿告诉他人。", code, mins)
		if u.Role == models.RoleApplicant && phoneRE.MatchString(u.Username) {
			if err := s.notify(ctx, tx, notices.Message{Kind: "accounts.code.reset", DedupKey: key("sms"),
				Title: "找回密码验证码", Body: body, Channels: []string{notices.ChannelSMS},
				To: map[string]string{notices.ChannelSMS: u.Username}, ExpiresAt: vc.ExpiresAt}); err != nil {
				return err
			}
		}
		if u.Email != nil && u.EmailVerifiedAt != nil {
			return s.notify(ctx, tx, notices.Message{Kind: "accounts.code.reset", DedupKey: key("email"),
				Title: "找回密码验证码", Body: body, Channels: []string{notices.ChannelEmail},
				To: map[string]string{notices.ChannelEmail: *u.Email}, ExpiresAt: vc.ExpiresAt})
		}
	}
	return nil // a code sent to nobody: it cannot be guessed in CodeMaxTries
}

func (s *Service) notify(ctx context.Context, tx *models.Store, m notices.Message) error {
	if s.notes == nil {
		return errors.New("accounts: no notice service to send verification codes through")
	}
	_, err := s.notes.Notify(ctx, tx, m)
	return err
}

// checkCode judges a code typed for a purpose and target and returns the code's row when it is
// right. The try is counted in its own statement, before and outside the caller's transaction,
// so that a failed transaction does not give the try back. The caller marks the row used
// (models.Store.UseVerificationCode) inside the transaction of what the code allows.
func (s *Service) checkCode(ctx context.Context, purpose, target, code string) (*models.VerificationCode, error) {
	code = strings.TrimSpace(code)
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		e := models.Invalid("invalid_input", "请填写 6 位数字验证码")
		e.Fields = map[string]string{"code": "请填写短信或邮件中的 6 位数字验证码"}
		return nil, e
	}
	now := s.clock.Now()
	th := s.targetOf(purpose, target)
	vc, err := s.store.LatestVerificationCode(ctx, purpose, th)
	if err != nil {
		return nil, err
	}
	if vc == nil {
		return nil, errBadCode()
	}
	ok, err := s.store.TryVerificationCode(ctx, vc.ID, CodeMaxTries, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		if vc.UsedAt == nil && now.Before(vc.ExpiresAt) && vc.Attempts >= CodeMaxTries {
			e := models.Invalid("code_spent", "验证码错误次数过多，请重新获取")
			e.Fields = map[string]string{"code": "验证码错误次数过多，请重新获取"}
			return nil, e
		}
		return nil, errBadCode()
	}
	if !hmac.Equal([]byte(s.codeHash("code", th, code)), []byte(vc.CodeHash)) {
		return nil, errBadCode()
	}
	return vc, nil
}

// useCode marks a checked code used inside tx; a second use racing the first is a wrong code.
func (s *Service) useCode(ctx context.Context, tx *models.Store, vc *models.VerificationCode) error {
	ok, err := tx.UseVerificationCode(ctx, vc.ID, s.clock.Now())
	if err != nil {
		return err
	}
	if !ok {
		return errBadCode()
	}
	return nil
}

// maskPhone shows 138****0001.
func maskPhone(p string) string {
	if len(p) != 11 {
		return p
	}
	return p[:3] + "****" + p[7:]
}
