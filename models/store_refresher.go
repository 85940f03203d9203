package models

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ---- Refresher enrolments ----

// CreateEnrolment records a holder's place in a refresher sitting; enrolling the same permit
// in the same sitting twice is ErrConflict (code already_enrolled).
func (s *Store) CreateEnrolment(ctx context.Context, e *RefresherEnrolment) error {
	if err := s.q(ctx).Create(e).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("already_enrolled", "已安排参加该场复训")
		}
		return fmt.Errorf("create enrolment: %w", err)
	}
	return nil
}

// EnrolmentFilter narrows ListEnrolments.
type EnrolmentFilter struct {
	PermitIDs  []uint64
	SittingIDs []uint64
	UserID     *uint64
	TownID     *uint64
	Unapplied  bool // without AppliedAt
}

// ListEnrolments lists enrolments, oldest first.
func (s *Store) ListEnrolments(ctx context.Context, f EnrolmentFilter) ([]RefresherEnrolment, error) {
	q := s.q(ctx).Order("id")
	if len(f.PermitIDs) > 0 {
		q = q.Where("permit_id IN ?", f.PermitIDs)
	}
	if len(f.SittingIDs) > 0 {
		q = q.Where("sitting_id IN ?", f.SittingIDs)
	}
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	if f.Unapplied {
		q = q.Where("applied_at IS NULL")
	}
	var es []RefresherEnrolment
	if err := q.Find(&es).Error; err != nil {
		return nil, fmt.Errorf("list enrolments: %w", err)
	}
	return es, nil
}

// SettleEnrolment records an enrolment's outcome once, if it is still unapplied and still the
// permit permitID's; it reports whether it did (false: another run settled it first, or a
// re-issue moved it to the new permit meanwhile and the next run settles it there).
func (s *Store) SettleEnrolment(ctx context.Context, id, permitID uint64, outcome, passedOn string, at time.Time) (bool, error) {
	res := s.q(ctx).Model(&RefresherEnrolment{}).Where("id = ? AND permit_id = ? AND applied_at IS NULL", id, permitID).
		Updates(map[string]any{"outcome": outcome, "passed_on": passedOn, "applied_at": at})
	if res.Error != nil {
		return false, fmt.Errorf("settle enrolment %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MoveEnrolments hands a permit's refresher enrolments to the permit that re-issued it: the
// holder's place in a sitting, and what became of the earlier ones, follow the card they hold.
func (s *Store) MoveEnrolments(ctx context.Context, from, to uint64) error {
	if err := s.q(ctx).Model(&RefresherEnrolment{}).Where("permit_id = ?", from).Update("permit_id", to).Error; err != nil {
		return fmt.Errorf("move enrolments of permit %d to %d: %w", from, to, err)
	}
	return nil
}

// CountCandidates is the number of candidates of a sitting.
func (s *Store) CountCandidates(ctx context.Context, sittingID uint64) (int, error) {
	var n int64
	if err := s.q(ctx).Model(&ExamCandidate{}).Where("sitting_id = ?", sittingID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count candidates: %w", err)
	}
	return int(n), nil
}

// TownAdmins are the enabled town admins of a town, for the notices about its staff.
func (s *Store) TownAdmins(ctx context.Context, townID uint64) ([]User, error) {
	var us []User
	err := s.q(ctx).Where("role = ? AND town_id = ? AND disabled = ?", RoleTownAdmin, townID, false).Order("id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("town admins: %w", err)
	}
	return us, nil
}

// ---- Scheduled job runs ----

// ErrSlotTaken is TryRun's answer when another replica already runs (or ran) the job's slot.
var ErrSlotTaken = errors.New("job slot taken by another replica")

// TryRun claims a job's slot for owner: exactly one caller wins a (name, slot), whoever comes
// first; the others get ErrSlotTaken.
func (s *Store) TryRun(ctx context.Context, name string, slot time.Time, owner string, now time.Time) error {
	err := s.q(ctx).Create(&JobRun{Name: name, Slot: slot.UTC(), Owner: owner, StartedAt: now}).Error
	if IsDuplicate(err) {
		return ErrSlotTaken
	}
	if err != nil {
		return fmt.Errorf("claim %s at %s: %w", name, slot.Format(time.RFC3339), err)
	}
	return nil
}

// FinishRun records the end of a run.
func (s *Store) FinishRun(ctx context.Context, name string, slot time.Time, owner string, now time.Time) error {
	err := s.q(ctx).Model(&JobRun{}).Where("name = ? AND slot = ? AND owner = ?", name, slot.UTC(), owner).
		Update("finished_at", now).Error
	if err != nil {
		return fmt.Errorf("finish %s: %w", name, err)
	}
	return nil
}

// JobRuns lists a job's runs, newest first.
func (s *Store) JobRuns(ctx context.Context, name string, limit int) ([]JobRun, error) {
	var rs []JobRun
	if err := s.q(ctx).Where("name = ?", name).Order("slot DESC").Limit(limit).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("job runs: %w", err)
	}
	return rs, nil
}

// PurgeJobRuns deletes run records older than before.
func (s *Store) PurgeJobRuns(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("slot < ?", before.UTC()).Delete(&JobRun{})
	if res.Error != nil {
		return 0, fmt.Errorf("purge job runs: %w", res.Error)
	}
	return res.RowsAffected, nil
}
