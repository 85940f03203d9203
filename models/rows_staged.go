package models

import "time"

// StagedUpload is a file an applicant sent with an application form that has not been filed
// yet: a round that failed on another field, or the confirmation step before the final submit.
// It is bound to the account and the opening (one per kind, a new one replaces the old), read
// only by that account, and gone once the application is filed or it expires.
type StagedUpload struct {
	ID          string    `gorm:"primaryKey;size:32"`
	UserID      uint64    `gorm:"not null;uniqueIndex:ux_staged_uploads_owner,priority:1"`
	OpeningID   uint64    `gorm:"not null;uniqueIndex:ux_staged_uploads_owner,priority:2"`
	Kind        string    `gorm:"size:32;not null;uniqueIndex:ux_staged_uploads_owner,priority:3"`
	ContentType string    `gorm:"size:64;not null"`
	Size        int       `gorm:"not null"`
	Width       int       `gorm:"not null"`
	Height      int       `gorm:"not null"`
	SHA256      string    `gorm:"size:64;not null"`
	Data        []byte    `gorm:"type:longblob;not null"` // already sanitised (re-encoded, no EXIF)
	CreatedAt   time.Time `gorm:"not null"`
	ExpiresAt   time.Time `gorm:"not null;index"`
}
