package models

import (
	"context"
	"fmt"
	"time"
)

// PutStagedUpload keeps u as the account's file of its kind for the opening, replacing the one
// it had.
func (s *Store) PutStagedUpload(ctx context.Context, u *StagedUpload) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("user_id = ? AND opening_id = ? AND kind = ?", u.UserID, u.OpeningID, u.Kind).
			Delete(&StagedUpload{}).Error; err != nil {
			return fmt.Errorf("replace staged upload: %w", err)
		}
		if err := tx.q(ctx).Create(u).Error; err != nil {
			return fmt.Errorf("stage upload: %w", err)
		}
		return nil
	})
}

// StagedUploadsOf lists the account's unexpired files for the opening in upload order; withData
// loads their bytes too.
func (s *Store) StagedUploadsOf(ctx context.Context, userID, openingID uint64, now time.Time, withData bool) ([]StagedUpload, error) {
	q := s.q(ctx).Where("user_id = ? AND opening_id = ? AND expires_at > ?", userID, openingID, now)
	if !withData {
		q = q.Omit("data")
	}
	var us []StagedUpload
	if err := q.Order("created_at, id").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("staged uploads: %w", err)
	}
	return us, nil
}

// StagedUploadByID loads one staged file with its bytes.
func (s *Store) StagedUploadByID(ctx context.Context, id string) (*StagedUpload, error) {
	var u StagedUpload
	if err := s.q(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, "文件")
	}
	return &u, nil
}

// DeleteStagedUploads drops the account's staged files for the opening (the application is filed).
func (s *Store) DeleteStagedUploads(ctx context.Context, userID, openingID uint64) error {
	if err := s.q(ctx).Where("user_id = ? AND opening_id = ?", userID, openingID).Delete(&StagedUpload{}).Error; err != nil {
		return fmt.Errorf("delete staged uploads: %w", err)
	}
	return nil
}

// PurgeStagedUploads drops every staged file expired at now.
func (s *Store) PurgeStagedUploads(ctx context.Context, now time.Time) (int64, error) {
	r := s.q(ctx).Where("expires_at <= ?", now).Delete(&StagedUpload{})
	if r.Error != nil {
		return 0, fmt.Errorf("purge staged uploads: %w", r.Error)
	}
	return r.RowsAffected, nil
}
