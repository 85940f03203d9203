package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The quarantine of uploads: the sanitising worker's queue is the uploads table itself (state
// quarantined), claimed one file at a time with a lease, as jobs are, so that whichever replica
// claims a file decodes it once and a crashed replica's file is taken over when its lease ends.

// ClaimQuarantinedUpload claims the oldest quarantined upload whose lease is free or ran out,
// for owner until leaseUntil, and loads it with its sealed original. nil when none is due.
func (s *Store) ClaimQuarantinedUpload(ctx context.Context, owner string, now, leaseUntil time.Time) (*Upload, error) {
	for range 5 {
		var u Upload
		err := s.q(ctx).Select("id", "lease_owner", "attempts").
			Where("state = ? AND (lease_until IS NULL OR lease_until < ?)", UploadQuarantined, now).
			Order("created_at, id").Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("find a quarantined upload: %w", err)
		}
		// The claim is one conditional write: of two replicas that found the same file, the
		// second matches no row (the lease owner or the attempts changed) and looks again.
		res := s.q(ctx).Model(&Upload{}).
			Where("id = ? AND state = ? AND lease_owner = ? AND attempts = ?", u.ID, UploadQuarantined, u.LeaseOwner, u.Attempts).
			Updates(map[string]any{"lease_owner": owner, "lease_until": leaseUntil, "attempts": u.Attempts + 1})
		if res.Error != nil {
			return nil, fmt.Errorf("claim upload %s: %w", u.ID, res.Error)
		}
		if res.RowsAffected != 1 {
			continue
		}
		var full Upload
		if err := s.q(ctx).Omit("data").Where("id = ?", u.ID).Take(&full).Error; err != nil {
			return nil, fmt.Errorf("load claimed upload %s: %w", u.ID, err)
		}
		return &full, nil
	}
	return nil, nil
}

// FinishQuarantinedUpload writes the worker's outcome for a file while owner still holds its
// lease; ErrLeaseLost when it does not (another replica took the file over, or it is done).
func (s *Store) FinishQuarantinedUpload(ctx context.Context, id, owner string, cols map[string]any) error {
	res := s.q(ctx).Model(&Upload{}).Where("id = ? AND state = ? AND lease_owner = ?", id, UploadQuarantined, owner).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("finish upload %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrLeaseLost
	}
	return nil
}

// QuarantineBacklog counts the uploads waiting to be sanitised.
func (s *Store) QuarantineBacklog(ctx context.Context) (int64, error) {
	var n int64
	if err := s.q(ctx).Model(&Upload{}).Where("state = ?", UploadQuarantined).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count quarantined uploads: %w", err)
	}
	return n, nil
}

// DeleteFailedUpload removes a refused upload of an application (its replacement has arrived).
func (s *Store) DeleteFailedUpload(ctx context.Context, appID uint64, id string) error {
	res := s.q(ctx).Where("id = ? AND application_id = ? AND state = ?", id, appID, UploadFailed).Delete(&Upload{})
	if res.Error != nil {
		return fmt.Errorf("delete failed upload %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("upload_changed", "该文件的状态已变化，请刷新页面后重试")
	}
	return nil
}

// UploadMeta loads an upload of any state without its bytes, for the service's checks.
func (s *Store) UploadMeta(ctx context.Context, id string) (*Upload, error) {
	var u Upload
	if err := s.q(ctx).Omit("data", "original").Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, "文件")
	}
	return &u, nil
}
