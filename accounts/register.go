package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"auxportal/clock"
	"auxportal/models"
)

// The separate consent to the processing of sensitive personal information that registration
// asks for (《个人信息保护法》第二十八、二十九条: ID numbers and photos are sensitive; their
// processing needs the person's separate consent and a statement of why it is necessary).
const (
	ConsentSensitive = "sensitive_pi"
	// ConsentVersion names the text below; change it with the text, and the recorded consents
	// say which text each person agreed to.
	ConsentVersion = "2026-12-v1"
)

// ConsentItem is one line of the statement: what is collected, why, how long, who sees it.
type ConsentItem struct {
	What, Why, HowLong, Who string
}

// ConsentStatement is the statement shown beside the consent box and on 账号设置.
var ConsentStatement = []ConsentItem{
	{What: "居民身份证号码", Why: "核验国籍与年龄（报名的国籍条件、年龄条件）、防止一人多报，并打印在准考证和上岗证上（遮盖中间位数）",
		HowLong: "招聘结束后保存 3 年；被录用的，保存至离职后 3 年", Who: "所报岗位所属区镇的审核人员与区城管局；其他人员只看到遮盖后的号码"},
	{What: "本人照片及学历、退役、荣誉等证明材料的照片", Why: "资格审查与复核，准考证、上岗证上的照片，考场核验身份",
		HowLong: "招聘结束后保存 3 年；被录用的，保存至离职后 3 年", Who: "所报岗位所属区镇的审核人员、区城管局和考场工作人员；上岗证照片可由扫码核验的人员看到"},
}

// ConsentText is the statement as one text, whose SHA-256 is recorded with each consent.
func ConsentText() string {
	var b strings.Builder
	b.WriteString("敏感个人信息处理规则 " + ConsentVersion + "\n")
	for _, it := range ConsentStatement {
		fmt.Fprintf(&b, "%s｜目的：%s｜保存期限：%s｜可查看的人员：%s\n", it.What, it.Why, it.HowLong, it.Who)
	}
	b.WriteString("身份证号码加密保存，照片去除位置等元数据后保存，均不向第三方提供；您可以撤回报名，或联系区城管局查询、更正、删除您的信息。")
	return b.String()
}

func consentHash() string {
	sum := sha256.Sum256([]byte(ConsentText()))
	return hex.EncodeToString(sum[:])
}

// Registration is what the registration form sends: the phone number and the code sent to it,
// the account's name and password, an optional e-mail address, and the consent.
type Registration struct {
	Phone    string `json:"phone"`
	Code     string `json:"code"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	// ConsentSensitive is the separate, unticked-by-default consent to the processing of the ID
	// number and photos; registration is refused without it.
	ConsentSensitive bool `json:"consent_sensitive"`
}

// Register opens an applicant account for a phone number proved by the code sent to it
// (RequestCode with purpose "register"). A number that already has a verified account was sent
// an alert instead of a code, so any code typed for it is answered as a wrong code: the answer
// never tells whether a number is registered. A number whose account was never verified (made
// before verification) is claimed: that account is moved off the number and disabled, its rows
// kept for staff, and the new owner gets a fresh account. An e-mail address given here is
// stored unverified and sent a code to verify it on 账号设置.
func (s *Service) Register(ctx context.Context, in Registration) (*models.User, error) {
	in.Phone = strings.TrimSpace(in.Phone)
	in.Name = strings.TrimSpace(in.Name)
	fe := models.FieldErrors{}
	if !phoneRE.MatchString(in.Phone) {
		fe.Add("phone", "请填写 11 位中国大陆手机号码")
	}
	if c := strings.TrimSpace(in.Code); len(c) != 6 || strings.Trim(c, "0123456789") != "" {
		fe.Add("code", "请填写短信中的 6 位数字验证码")
	}
	s.checkNewPassword(fe, "password", in.Password, MinPasswordApplicant, in.Phone, in.Name)
	validateName(fe, "name", in.Name)
	email, err := checkEmail(in.Email)
	if err != nil {
		var e *models.Error
		if errors.As(err, &e) {
			for k, v := range e.Fields {
				fe.Add(k, v)
			}
		}
	}
	if !in.ConsentSensitive {
		fe.Add("consent_sensitive", "请阅读《敏感个人信息处理规则》并勾选同意；不同意则无法报名")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	vc, err := s.checkCode(ctx, models.CodeRegister, in.Phone, in.Code)
	if err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &models.User{Username: in.Phone, PasswordHash: hash, Role: models.RoleApplicant, DisplayName: in.Name,
		PhoneVerifiedAt: &now, Email: email}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := s.useCode(ctx, tx, vc); err != nil {
			return err
		}
		old, err := tx.UserByUsername(ctx, in.Phone)
		switch {
		case errors.Is(err, models.ErrNotFound):
		case err != nil:
			return err
		case old.PhoneVerifiedAt != nil:
			// Verified since the code was sent (another registration won): the same answer as
			// for any number with an owner.
			return errBadCode()
		default:
			if err := tx.DetachUser(ctx, old.ID, fmt.Sprintf("unverified-%d-%s", old.ID, in.Phone)); err != nil {
				return err
			}
			if err := tx.AppendAudit(ctx, audit(models.Actor{Name: "系统"}, now, "user.phone_claimed", old.ID, nil,
				`{"reason":"手机号经验证码验证后由号码持有人重新注册，原未验证账号停用"}`)); err != nil {
				return err
			}
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return errBadCode() // a registration of the same number at the same moment won
			}
			return err
		}
		return tx.CreateConsent(ctx, &models.Consent{UserID: u.ID, Kind: ConsentSensitive, Version: ConsentVersion,
			TextSHA256: consentHash(), GrantedAt: now})
	})
	if err != nil {
		return nil, err
	}
	if email != nil {
		// Best effort: the account exists; the address can be verified again from 账号设置.
		_ = s.sendEmailCode(ctx, u, *email)
	}
	return u, nil
}

// RegisterInput is an applicant account made without a code: the demo's accounts and tests.
type RegisterInput struct {
	Phone    string `json:"phone"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

// CreateApplicant makes a verified applicant account with the consent recorded, trusting the
// caller: the demo data and tests, never reachable from HTTP (the pages and the API register
// through Register, with a code).
func (s *Service) CreateApplicant(ctx context.Context, in RegisterInput) (*models.User, error) {
	in.Phone = strings.TrimSpace(in.Phone)
	in.Name = strings.TrimSpace(in.Name)
	fe := models.FieldErrors{}
	if !phoneRE.MatchString(in.Phone) {
		fe.Add("phone", "请填写 11 位中国大陆手机号码")
	}
	s.checkNewPassword(fe, "password", in.Password, MinPasswordApplicant, in.Phone, in.Name)
	validateName(fe, "name", in.Name)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &models.User{Username: in.Phone, PasswordHash: hash, Role: models.RoleApplicant, DisplayName: in.Name, PhoneVerifiedAt: &now}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, models.ErrConflict) {
				e := models.Conflict("phone_taken", "该手机号已注册")
				e.Fields = map[string]string{"phone": "该手机号已注册"}
				return e
			}
			return err
		}
		return tx.CreateConsent(ctx, &models.Consent{UserID: u.ID, Kind: ConsentSensitive, Version: ConsentVersion,
			TextSHA256: consentHash(), GrantedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ConsentView is a recorded consent as its holder sees it.
type ConsentView struct {
	Kind      string `json:"kind"`
	Label     string `json:"label"`
	Version   string `json:"version"`
	GrantedAt string `json:"granted_at"` // RFC 3339, UTC
	// GrantedChina is the time in China, for the page.
	GrantedChina string `json:"-"`
	Current      bool   `json:"current"` // given to the text shown today
}

// Consents lists the actor's own recorded consents.
func (s *Service) Consents(ctx context.Context, actor models.Actor) ([]ConsentView, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "请先登录")
	}
	cs, err := s.store.ListConsents(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]ConsentView, len(cs))
	for i, c := range cs {
		out[i] = ConsentView{Kind: c.Kind, Label: "同意处理敏感个人信息（身份证号码、照片）", Version: c.Version,
			GrantedAt: c.GrantedAt.UTC().Format("2006-01-02T15:04:05Z"), GrantedChina: c.GrantedAt.In(clock.China).Format("2006-01-02 15:04"), Current: c.Version == ConsentVersion && c.TextSHA256 == consentHash()}
	}
	return out, nil
}
