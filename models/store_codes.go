package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// TakeRateSlot counts one use under key in a fixed window of length window that starts at the
// key's first use; it reports false (counting nothing) and when the window ends once limit uses
// are counted. One conditional UPDATE after an insert-if-missing, so parallel uses cannot all
// pass a check made before any was counted (as ReserveLoginAttempt).
func (s *Store) TakeRateSlot(ctx context.Context, key string, limit int, now time.Time, window time.Duration) (bool, time.Time, error) {
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&RateSlot{Key: key, Uses: 0, EndsAt: now.Add(window)}).Error
	if err != nil {
		return false, time.Time{}, fmt.Errorf("take rate slot: insert: %w", err)
	}
	// uses first: MySQL evaluates SET left to right and a later assignment sees the earlier one.
	res := s.q(ctx).Exec(`UPDATE rate_slots SET
		uses = CASE WHEN ends_at <= ? THEN 1 ELSE uses + 1 END,
		ends_at = CASE WHEN ends_at <= ? THEN ? ELSE ends_at END
		WHERE slot_key = ? AND (ends_at <= ? OR uses < ?)`,
		now, now, now.Add(window), key, now, limit)
	if res.Error != nil {
		return false, time.Time{}, fmt.Errorf("take rate slot: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, time.Time{}, nil
	}
	var r RateSlot
	if err := s.q(ctx).Where("slot_key = ?", key).Take(&r).Error; err != nil {
		return false, time.Time{}, fmt.Errorf("load rate slot: %w", err)
	}
	return false, r.EndsAt, nil
}

// DeleteEndedRateSlots removes the rate slots whose window ended before now.
func (s *Store) DeleteEndedRateSlots(ctx context.Context, now time.Time) (int64, error) {
	res := s.q(ctx).Where("ends_at <= ?", now).Delete(&RateSlot{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete ended rate slots: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// CreateVerificationCode stores a new code and retires every earlier unused one of the same
// purpose and target: only the newest code sent counts.
func (s *Store) CreateVerificationCode(ctx context.Context, vc *VerificationCode) error {
	err := s.q(ctx).Model(&VerificationCode{}).
		Where("purpose = ? AND target = ? AND used_at IS NULL", vc.Purpose, vc.Target).
		Update("used_at", vc.CreatedAt).Error
	if err != nil {
		return fmt.Errorf("retire verification codes: %w", err)
	}
	if err := s.q(ctx).Create(vc).Error; err != nil {
		return fmt.Errorf("create verification code: %w", err)
	}
	return nil
}

// LatestVerificationCode returns the newest code of a purpose and target, used or not (nil when
// none was ever asked for): the caller tells expired, used and spent codes apart.
func (s *Store) LatestVerificationCode(ctx context.Context, purpose, target string) (*VerificationCode, error) {
	var vc VerificationCode
	err := s.q(ctx).Where("purpose = ? AND target = ?", purpose, target).Order("id DESC").Take(&vc).Error
	if err == gorm.ErrRecordNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load verification code: %w", err)
	}
	return &vc, nil
}

// TryVerificationCode counts one try of a code that is unused, unexpired at now and has had
// fewer than maxTries tries; it reports false, counting nothing, otherwise. The check and the
// count are one UPDATE, so parallel guesses cannot exceed the limit.
func (s *Store) TryVerificationCode(ctx context.Context, id uint64, maxTries int, now time.Time) (bool, error) {
	res := s.q(ctx).Model(&VerificationCode{}).
		Where("id = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", id, now, maxTries).
		Update("attempts", gorm.Expr("attempts + 1"))
	if res.Error != nil {
		return false, fmt.Errorf("try verification code: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// UseVerificationCode marks a code used; it reports false when it already was (a second use
// racing the first): run it inside the transaction of what the code allows.
func (s *Store) UseVerificationCode(ctx context.Context, id uint64, now time.Time) (bool, error) {
	res := s.q(ctx).Model(&VerificationCode{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("use verification code: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// DeleteOldVerificationCodes removes codes that expired before t.
func (s *Store) DeleteOldVerificationCodes(ctx context.Context, t time.Time) (int64, error) {
	res := s.q(ctx).Where("expires_at <= ?", t).Delete(&VerificationCode{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete old verification codes: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SetPassword stores a new password hash and whether it must be changed at the next sign-in.
func (s *Store) SetPassword(ctx context.Context, userID uint64, hash string, mustChange bool) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange})
	if res.Error != nil {
		return fmt.Errorf("set password: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("账号")
	}
	return nil
}

// DeleteOtherSessions revokes every session of a user but the one whose token hash is keep
// ("" revokes all).
func (s *Store) DeleteOtherSessions(ctx context.Context, userID uint64, keep string) error {
	if err := s.q(ctx).Where("user_id = ? AND token_hash <> ?", userID, keep).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete other sessions: %w", err)
	}
	return nil
}

// SetPhoneVerified records that an applicant proved their phone number.
func (s *Store) SetPhoneVerified(ctx context.Context, userID uint64, at time.Time) error {
	if err := s.q(ctx).Model(&User{}).Where("id = ?", userID).Update("phone_verified_at", at).Error; err != nil {
		return fmt.Errorf("set phone verified: %w", err)
	}
	return nil
}

// SetVerifiedEmail sets a user's e-mail address as verified at at.
func (s *Store) SetVerifiedEmail(ctx context.Context, userID uint64, addr string, at time.Time) error {
	err := s.q(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"email": addr, "email_verified_at": at}).Error
	if err != nil {
		return fmt.Errorf("set verified email: %w", err)
	}
	return nil
}

// DetachUser moves an account off its username (to one no login can type) and disables it: an
// unverified account whose phone number a verified owner has claimed. Its rows stay for staff.
func (s *Store) DetachUser(ctx context.Context, userID uint64, username string) error {
	err := s.q(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"username": username, "disabled": true}).Error
	if err != nil {
		return fmt.Errorf("detach user: %w", err)
	}
	return s.DeleteUserSessions(ctx, userID)
}

// CreateConsent records a consent.
func (s *Store) CreateConsent(ctx context.Context, c *Consent) error {
	if err := s.q(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return nil
}

// ListConsents lists a user's consents, oldest first.
func (s *Store) ListConsents(ctx context.Context, userID uint64) ([]Consent, error) {
	var cs []Consent
	if err := s.q(ctx).Where("user_id = ?", userID).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("list consents: %w", err)
	}
	return cs, nil
}

// ScrubNotice replaces the body of an ephemeral notice (a code) once it needs it no more.
func (s *Store) ScrubNotice(ctx context.Context, id uint64, body string) error {
	if err := s.q(ctx).Model(&Notice{}).Where("id = ?", id).Update("body", body).Error; err != nil {
		return fmt.Errorf("scrub notice: %w", err)
	}
	return nil
}

// ScrubExpiredNotices replaces the body of every ephemeral notice that expired by now.
func (s *Store) ScrubExpiredNotices(ctx context.Context, now time.Time, body string) (int64, error) {
	res := s.q(ctx).Model(&Notice{}).Where("expires_at IS NOT NULL AND expires_at <= ? AND body <> ?", now, body).
		Update("body", body)
	if res.Error != nil {
		return 0, fmt.Errorf("scrub expired notices: %w", res.Error)
	}
	return res.RowsAffected, nil
}
