package models

import "time"

// The yearly refresher cycle (rule T-4) and the scheduler's run records.

// RefresherEnrolment is a permit holder's place in a refresher sitting for one cycle of their
// permit. A holder who fails or misses a sitting is enrolled again in a later one (a new row);
// Outcome and AppliedAt record what became of it.
type RefresherEnrolment struct {
	ID          uint64 `gorm:"primaryKey"`
	PermitID    uint64 `gorm:"not null;uniqueIndex:ux_refresher_permit_sitting,priority:1;index"`
	Cycle       int    `gorm:"not null"` // the permit cycle this refresher renews
	UserID      uint64 `gorm:"not null;index"`
	TownID      *uint64
	SittingID   uint64 `gorm:"not null;uniqueIndex:ux_refresher_permit_sitting,priority:2;index"`
	CandidateID uint64 `gorm:"not null"`
	EnrolledAt  time.Time
	// Outcome is pass, fail or absent once the sitting's results are out; "" before.
	Outcome   string `gorm:"size:16;not null;default:''"`
	PassedOn  string `gorm:"size:10;not null;default:''"` // the civil date of the passed attempt
	AppliedAt *time.Time
}

// JobRun records that a scheduled job ran for one slot (its tick, rounded to the job's period):
// the scheduler's distributed lock. The row's primary key is what makes one replica win a slot;
// the row stays as the job's history.
type JobRun struct {
	Name       string    `gorm:"primaryKey;size:64"`
	Slot       time.Time `gorm:"primaryKey"`
	Owner      string    `gorm:"size:64;not null"`
	StartedAt  time.Time `gorm:"not null"`
	FinishedAt *time.Time
}
