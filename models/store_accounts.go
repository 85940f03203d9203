package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateUser inserts u; a taken username is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	if err := s.q(ctx).Create(u).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("username_taken", "该账号已被注册")
		}
		return fmt.Errorf("create user: %w", err)
	}
	return nil
}

// UserByUsername loads a user by login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	if err := s.q(ctx).Where("username = ?", username).Take(&u).Error; err != nil {
		return nil, notFound(err, "账号")
	}
	return &u, nil
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id uint64) (*User, error) {
	if !ValidID(id) {
		return nil, NotFound("账号")
	}
	var u User
	if err := s.q(ctx).Take(&u, id).Error; err != nil {
		return nil, notFound(err, "账号")
	}
	return &u, nil
}

// ReserveLoginAttempt takes one of limit attempt slots under key in the window that began at the
// key's first attempt and lasts window. It reports false, taking nothing, when the window's slots
// are all taken: the caller refuses the attempt without checking the password.
//
// The count and the check are one conditional UPDATE, so parallel attempts cannot all read "4
// failures" and all go on to hash (19 of them did when the count was read, then written after
// the hash). A window that has ended restarts at now with this attempt as its first.
func (s *Store) ReserveLoginAttempt(ctx context.Context, key string, limit int, now time.Time, window time.Duration) (bool, error) {
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&LoginThrottle{Key: key, Failures: 0, WindowStart: now}).Error
	if err != nil {
		return false, fmt.Errorf("reserve login attempt: insert: %w", err)
	}
	ended := now.Add(-window)
	// failures is assigned first: MySQL evaluates SET left to right and a later assignment sees
	// an earlier one's result, so window_start must still be the old one when failures is set.
	res := s.q(ctx).Exec(`UPDATE login_throttles SET
		failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END,
		window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END
		WHERE throttle_key = ? AND (window_start <= ? OR failures < ?)`,
		ended, ended, now, key, ended, limit)
	if res.Error != nil {
		return false, fmt.Errorf("reserve login attempt: %w", res.Error)
	}
	// RowsAffected counts matched rows on MySQL too (clientFoundRows, see mysqlDSN).
	return res.RowsAffected == 1, nil
}

// LoginThrottleStart returns when the window of key began (zero if there is none).
func (s *Store) LoginThrottleStart(ctx context.Context, key string) (time.Time, error) {
	var t LoginThrottle
	err := s.q(ctx).Select("window_start").Where("throttle_key = ?", key).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("load login throttle: %w", err)
	}
	return t.WindowStart, nil
}

// ClearLoginAttempt undoes the reservations of a login that succeeded: the keys in clear are
// deleted (a good login from an address ends that address's failures), and the keys in release
// give back the one slot the login took (the account's count across addresses keeps the failures).
func (s *Store) ClearLoginAttempt(ctx context.Context, clear, release []string) error {
	if len(clear) > 0 {
		if err := s.q(ctx).Where("throttle_key IN ?", clear).Delete(&LoginThrottle{}).Error; err != nil {
			return fmt.Errorf("clear login throttle: %w", err)
		}
	}
	if len(release) > 0 {
		err := s.q(ctx).Model(&LoginThrottle{}).Where("throttle_key IN ? AND failures > 0", release).
			Update("failures", gorm.Expr("failures - 1")).Error
		if err != nil {
			return fmt.Errorf("release login attempt: %w", err)
		}
	}
	return nil
}

// DeleteEndedLoginThrottles removes the throttle rows whose window began at or before before.
func (s *Store) DeleteEndedLoginThrottles(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("window_start <= ?", before).Delete(&LoginThrottle{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete ended login throttles: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SetUserDisabled enables or disables an account.
func (s *Store) SetUserDisabled(ctx context.Context, id uint64, disabled bool) error {
	if !ValidID(id) {
		return NotFound("账号")
	}
	res := s.q(ctx).Model(&User{}).Where("id = ?", id).Update("disabled", disabled)
	if res.Error != nil {
		return fmt.Errorf("set user disabled: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("账号")
	}
	return nil
}

// CountUsersByRole counts accounts with a role.
func (s *Store) CountUsersByRole(ctx context.Context, role string) (int64, error) {
	var n int64
	if err := s.q(ctx).Model(&User{}).Where("role = ?", role).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// ListStaff lists every account that is not an applicant, in creation order.
func (s *Store) ListStaff(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.q(ctx).Where("role <> ?", RoleApplicant).Order("id").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return us, nil
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := s.q(ctx).Create(sess).Error; err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser loads an unexpired session's user, and when the session was last seen, in one
// query: it runs on every signed-in request.
func (s *Store) SessionUser(ctx context.Context, tokenHash string, now time.Time) (*User, time.Time, error) {
	var row struct {
		User         `gorm:"embedded"`
		SessLastSeen time.Time
	}
	err := s.q(ctx).Table("users").Select("users.*, sessions.last_seen AS sess_last_seen").
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.token_hash = ? AND sessions.expires_at > ?", tokenHash, now).Take(&row).Error
	if err != nil {
		return nil, time.Time{}, notFound(err, "会话")
	}
	return &row.User, row.SessLastSeen, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	err := s.q(ctx).Model(&Session{}).Where("token_hash = ?", tokenHash).Update("last_seen", now).Error
	if err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession revokes one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if err := s.q(ctx).Where("token_hash = ?", tokenHash).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions revokes every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID uint64) error {
	if !ValidID(userID) {
		return nil // no such user, so no sessions
	}
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete user sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that ended before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res := s.q(ctx).Where("expires_at <= ?", now).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// AppendAudit writes an audit entry. The audit table is append-only: the Store has no way to
// change or delete an entry.
func (s *Store) AppendAudit(ctx context.Context, e *AuditEntry) error {
	if err := s.q(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditFilter narrows ListAudit.
type AuditFilter struct {
	TownID     *uint64 // nil: all towns
	ObjectType string
	ObjectID   uint64
	Limit      int
}

// ListAudit lists audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := s.q(ctx).Order("id DESC")
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ? AND object_id = ?", f.ObjectType, f.ObjectID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var es []AuditEntry
	if err := q.Limit(f.Limit).Find(&es).Error; err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return es, nil
}

// SessionByHash loads a session row by its token hash.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string) (*Session, error) {
	var sess Session
	if err := s.q(ctx).Where("token_hash = ?", tokenHash).Take(&sess).Error; err != nil {
		return nil, notFound(err, "会话")
	}
	return &sess, nil
}

// DeviceOwner reports whether a device token was issued to the account named username.
func (s *Store) DeviceOwner(ctx context.Context, tokenHash, username string) (bool, error) {
	var n int64
	err := s.q(ctx).Table("device_tokens").Joins("JOIN users ON users.id = device_tokens.user_id").
		Where("device_tokens.token_hash = ? AND users.username = ?", tokenHash, username).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("find device: %w", err)
	}
	return n > 0, nil
}

// RememberDevice stores (or touches) a device token of a user and keeps at most keep of the
// user's most recent ones.
func (s *Store) RememberDevice(ctx context.Context, tokenHash string, userID uint64, now time.Time, keep int) error {
	err := s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "token_hash"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_used"}),
	}).Create(&DeviceToken{TokenHash: tokenHash, UserID: userID, CreatedAt: now, LastUsed: now}).Error
	if err != nil {
		return fmt.Errorf("remember device: %w", err)
	}
	var old []string
	if err := s.q(ctx).Model(&DeviceToken{}).Where("user_id = ?", userID).Order("last_used DESC").
		Offset(keep).Limit(1000).Pluck("token_hash", &old).Error; err != nil {
		return fmt.Errorf("list devices: %w", err)
	}
	if len(old) > 0 {
		if err := s.q(ctx).Where("token_hash IN ?", old).Delete(&DeviceToken{}).Error; err != nil {
			return fmt.Errorf("forget devices: %w", err)
		}
	}
	return nil
}

// DeleteUnusedDevices forgets device tokens not used since t.
func (s *Store) DeleteUnusedDevices(ctx context.Context, t time.Time) (int64, error) {
	res := s.q(ctx).Where("last_used < ?", t).Delete(&DeviceToken{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete unused devices: %w", res.Error)
	}
	return res.RowsAffected, nil
}
