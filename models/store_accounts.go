package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
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

// RecordLoginFailure counts a failed login and locks the account once it reaches max failures.
func (s *Store) RecordLoginFailure(ctx context.Context, id uint64, max int, lockUntil time.Time) error {
	err := s.q(ctx).Model(&User{}).Where("id = ?", id).
		Update("failed_logins", gorm.Expr("failed_logins + 1")).Error
	if err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	err = s.q(ctx).Model(&User{}).Where("id = ? AND failed_logins >= ?", id, max).
		Updates(map[string]any{"locked_until": lockUntil, "failed_logins": 0}).Error
	if err != nil {
		return fmt.Errorf("lock account: %w", err)
	}
	return nil
}

// ResetLoginFailures clears the failure count after a good login.
func (s *Store) ResetLoginFailures(ctx context.Context, id uint64) error {
	err := s.q(ctx).Model(&User{}).Where("id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)", id).
		Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error
	if err != nil {
		return fmt.Errorf("reset login failures: %w", err)
	}
	return nil
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
