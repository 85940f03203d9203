package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// CreateNotice stores n unless a notice with its DedupKey exists, and reports whether it did.
// Inside a transaction a second writer of the same key waits for the first to commit or roll
// back, so of two replicas recording one notice at once exactly one creates it.
//
// A plain INSERT whose duplicate-key error is the answer: MySQL's "ON DUPLICATE KEY UPDATE
// id = id" reports one affected row for a duplicate under clientFoundRows (see mysqlDSN), so it
// cannot tell the two cases apart, and INSERT IGNORE would also silence errors that are not
// duplicates. A failed statement does not end the transaction on MySQL or SQLite.
func (s *Store) CreateNotice(ctx context.Context, n *Notice) (bool, error) {
	err := s.q(ctx).Create(n).Error
	if IsDuplicate(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("create notice: %w", err)
	}
	return true, nil
}

// CreateDeliveries stores a notice's deliveries.
func (s *Store) CreateDeliveries(ctx context.Context, ds []NoticeDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&ds).Error; err != nil {
		return fmt.Errorf("create notice deliveries: %w", err)
	}
	return nil
}

// ListNotices lists a user's notices newest first, those with an id below before when before
// is not 0, at most limit.
func (s *Store) ListNotices(ctx context.Context, userID, before uint64, limit int) ([]Notice, error) {
	q := s.q(ctx).Where("user_id = ?", userID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var ns []Notice
	if err := q.Order("id DESC").Limit(limit).Find(&ns).Error; err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	return ns, nil
}

// CountUnreadNotices counts a user's unread notices.
func (s *Store) CountUnreadNotices(ctx context.Context, userID uint64) (int64, error) {
	var n int64
	if err := s.q(ctx).Model(&Notice{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count unread notices: %w", err)
	}
	return n, nil
}

// MarkNoticeRead marks one of a user's notices read (again: nothing changes). Another user's
// notice is not found.
func (s *Store) MarkNoticeRead(ctx context.Context, userID, id uint64, now time.Time) error {
	if !ValidID(id) {
		return NotFound("通知")
	}
	var n Notice
	if err := s.q(ctx).Select("id").Where("id = ? AND user_id = ?", id, userID).Take(&n).Error; err != nil {
		return notFound(err, "通知")
	}
	err := s.q(ctx).Model(&Notice{}).Where("id = ? AND read_at IS NULL", id).Update("read_at", now).Error
	if err != nil {
		return fmt.Errorf("mark notice read: %w", err)
	}
	return nil
}

// MarkAllNoticesRead marks every unread notice of a user read and returns how many it marked.
func (s *Store) MarkAllNoticesRead(ctx context.Context, userID uint64, now time.Time) (int64, error) {
	res := s.q(ctx).Model(&Notice{}).Where("user_id = ? AND read_at IS NULL", userID).Update("read_at", now)
	if res.Error != nil {
		return 0, fmt.Errorf("mark notices read: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// dueWhere is the condition of a delivery that may be claimed at now: pending and due, or
// claimed by a replica whose lease has run out (it crashed, or hangs, between claim and send).
const dueWhere = "((status = ? AND next_at <= ?) OR (status = ? AND lease_until <= ?))"

// DueDeliveries lists up to limit deliveries on the given channels that may be claimed at now,
// the longest due first.
func (s *Store) DueDeliveries(ctx context.Context, channels []string, now time.Time, limit int) ([]NoticeDelivery, error) {
	if len(channels) == 0 {
		return nil, nil
	}
	var ds []NoticeDelivery
	err := s.q(ctx).Where("channel IN ?", channels).
		Where(dueWhere, DeliveryPending, now, DeliverySending, now).
		Order("next_at, id").Limit(limit).Find(&ds).Error
	if err != nil {
		return nil, fmt.Errorf("list due deliveries: %w", err)
	}
	return ds, nil
}

// ClaimDelivery takes a due delivery for one sender until leaseUntil and counts the attempt; it
// reports false when the row is not due any more (another replica claimed it first). It is one
// conditional UPDATE, so of two replicas claiming one row at once exactly one gets it.
func (s *Store) ClaimDelivery(ctx context.Context, id uint64, token string, now, leaseUntil time.Time) (bool, error) {
	res := s.q(ctx).Model(&NoticeDelivery{}).Where("id = ?", id).
		Where(dueWhere, DeliveryPending, now, DeliverySending, now).
		Updates(map[string]any{
			"status": DeliverySending, "lease_token": token, "lease_until": leaseUntil,
			"attempts": gorm.Expr("attempts + 1"), "updated_at": now,
		})
	if res.Error != nil {
		return false, fmt.Errorf("claim delivery %d: %w", id, res.Error)
	}
	// RowsAffected counts matched rows on MySQL too (clientFoundRows, see mysqlDSN).
	return res.RowsAffected == 1, nil
}

// DeliveryOutcome is what became of a claimed delivery.
type DeliveryOutcome struct {
	Status    string // DeliverySent, DeliveryPending (to retry at NextAt), DeliveryDead, DeliverySkipped
	NextAt    time.Time
	LastError string
	At        time.Time
}

// FinishDelivery records the outcome of a delivery claimed with token. It reports false, writing
// nothing, when the token no longer holds the row: the lease ran out and another replica claimed
// it since.
func (s *Store) FinishDelivery(ctx context.Context, id uint64, token string, o DeliveryOutcome) (bool, error) {
	set := map[string]any{"status": o.Status, "lease_token": "", "lease_until": nil, "updated_at": o.At}
	switch o.Status {
	case DeliverySent:
		set["sent_at"] = o.At
	case DeliveryPending:
		set["next_at"] = o.NextAt
	}
	if o.LastError != "" {
		set["last_error"] = o.LastError
	}
	res := s.q(ctx).Model(&NoticeDelivery{}).
		Where("id = ? AND status = ? AND lease_token = ?", id, DeliverySending, token).Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("finish delivery %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// DeliveryByID loads a delivery.
func (s *Store) DeliveryByID(ctx context.Context, id uint64) (*NoticeDelivery, error) {
	if !ValidID(id) {
		return nil, NotFound("投递记录")
	}
	var d NoticeDelivery
	if err := s.q(ctx).Take(&d, id).Error; err != nil {
		return nil, notFound(err, "投递记录")
	}
	return &d, nil
}

// NoticeByID loads a notice.
func (s *Store) NoticeByID(ctx context.Context, id uint64) (*Notice, error) {
	if !ValidID(id) {
		return nil, NotFound("通知")
	}
	var n Notice
	if err := s.q(ctx).Take(&n, id).Error; err != nil {
		return nil, notFound(err, "通知")
	}
	return &n, nil
}

// DeliveryRow is a delivery with what an admin needs to recognise it.
type DeliveryRow struct {
	NoticeDelivery `gorm:"embedded"`
	Kind           string
	Title          string
	RecipientName  string
}

// ListTroubledDeliveries lists, newest first, the deliveries that failed at least once and are
// not sent: those given up (dead) and those waiting for their next try.
func (s *Store) ListTroubledDeliveries(ctx context.Context, limit int) ([]DeliveryRow, error) {
	var rows []DeliveryRow
	err := s.q(ctx).Table("notice_deliveries").
		Select("notice_deliveries.*, notices.kind AS kind, notices.title AS title, users.display_name AS recipient_name").
		Joins("JOIN notices ON notices.id = notice_deliveries.notice_id").
		Joins("JOIN users ON users.id = notice_deliveries.user_id").
		Where("notice_deliveries.status = ? OR (notice_deliveries.status IN ? AND notice_deliveries.last_error <> '')",
			DeliveryDead, []string{DeliveryPending, DeliverySending}).
		Order("notice_deliveries.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list troubled deliveries: %w", err)
	}
	return rows, nil
}

// DeliveryCount is how many deliveries of a channel are in a status.
type DeliveryCount struct {
	Channel string
	Status  string
	N       int64
}

// CountDeliveries counts deliveries by channel and status.
func (s *Store) CountDeliveries(ctx context.Context) ([]DeliveryCount, error) {
	var cs []DeliveryCount
	err := s.q(ctx).Model(&NoticeDelivery{}).Select("channel, status, COUNT(*) AS n").
		Group("channel, status").Order("channel, status").Scan(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	return cs, nil
}

// ErrNotRetryable is returned by RetryDelivery for a delivery that is neither dead nor waiting
// after a failure.
var ErrNotRetryable = errors.New("delivery not retryable")

// RetryDelivery makes a dead delivery, or one waiting after a failure, due at now with a fresh
// count of attempts. A delivery in any other state (sent, being sent, off, skipped) is
// ErrNotRetryable.
func (s *Store) RetryDelivery(ctx context.Context, id uint64, now time.Time) error {
	res := s.q(ctx).Model(&NoticeDelivery{}).
		Where("id = ? AND (status = ? OR (status = ? AND last_error <> ''))", id, DeliveryDead, DeliveryPending).
		Updates(map[string]any{"status": DeliveryPending, "next_at": now, "attempts": 0, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("retry delivery %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotRetryable
	}
	return nil
}

// SetUserEmail sets (or, with nil, clears) a user's e-mail address.
func (s *Store) SetUserEmail(ctx context.Context, userID uint64, email *string) error {
	if !ValidID(userID) {
		return NotFound("账号")
	}
	// A changed address is unverified until its code comes back.
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"email": email, "email_verified_at": nil})
	if res.Error != nil {
		return fmt.Errorf("set user email: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("账号")
	}
	return nil
}
