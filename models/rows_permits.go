package models

import "time"

// Work permits (上岗证, rule T-2) and their yearly renewal (rule T-4).

// Permit statuses.
const (
	PermitActive     = "active"     // 有效
	PermitSuspended  = "suspended"  // 已暂停: not renewed by its valid-until date (refresher overdue)
	PermitExpired    = "expired"    // 已过期: suspended too long to be restored by a refresher
	PermitRevoked    = "revoked"    // 已吊销: by a district admin, with a reason
	PermitSuperseded = "superseded" // 已换发: re-issued under a new number (a change, a lost card)
)

// Permit is one work permit. Its number is never reused: numbers come from PermitCounter and
// a unique index backs it. The holder's name, masked ID number, town and post are copied at
// issue, as printed; the card itself is kept in PermitDocument.
type Permit struct {
	ID            uint64  `gorm:"primaryKey"`
	No            string  `gorm:"size:20;not null;uniqueIndex"`
	UserID        uint64  `gorm:"not null;index"`
	ApplicationID *uint64 `gorm:"index"`
	CandidateID   *uint64 // the pre-job exam candidacy passed, when issued after one
	TownID        *uint64 `gorm:"index"`
	HolderName    string  `gorm:"size:64;not null"`
	IDMasked      string  `gorm:"size:32;not null"`
	Post          string  `gorm:"size:100;not null"`
	PhotoUploadID string  `gorm:"size:32;not null;default:''"`
	// IssuedOn is the civil date of issue (China), the fixed anniversary every cycle counts from;
	// Cycle is the current cycle (1 from issue) and ValidUntil its last valid day (YYYY-MM-DD).
	IssuedOn   string `gorm:"size:10;not null"`
	Cycle      int    `gorm:"not null"`
	ValidUntil string `gorm:"size:10;not null;index"`
	Status     string `gorm:"size:16;not null;index"`
	// StatusReason is why a permit was revoked, re-issued or suspended, as the holder reads it.
	StatusReason   string `gorm:"size:500;not null;default:''"`
	StatusAt       time.Time
	SupersedesID   *uint64 // the permit this one re-issued
	SupersededByID *uint64
	IssuedBy       uint64 `gorm:"not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// PermitDocument is a rendered card exactly as issued, with its SHA-256: what was issued is
// what is downloaded later. A renewal that changes the printed valid-until date adds a
// document; the older ones are kept.
type PermitDocument struct {
	ID         uint64    `gorm:"primaryKey"`
	PermitID   uint64    `gorm:"not null;uniqueIndex:ux_permit_doc,priority:1"`
	Version    int       `gorm:"not null;uniqueIndex:ux_permit_doc,priority:2"`
	ValidUntil string    `gorm:"size:10;not null"`
	PDF        []byte    `gorm:"type:longblob;not null"`
	SHA256     string    `gorm:"size:64;not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

// PermitCounter hands out permit serials per year of issue. It only ever counts up, inside the
// issuing transaction, so two replicas issuing at the same moment get different numbers (the
// row lock orders them) and a revoked number is never given again.
type PermitCounter struct {
	Year       int   `gorm:"primaryKey;autoIncrement:false"`
	LastSerial int64 `gorm:"not null"`
}

// PermitEvent is one step of a permit's life, for its holder's and the admins' history (the
// audit log keeps the same with the actor).
type PermitEvent struct {
	ID       uint64    `gorm:"primaryKey"`
	PermitID uint64    `gorm:"not null;index"`
	At       time.Time `gorm:"not null"`
	Kind     string    `gorm:"size:32;not null"` // issued, renewed, suspended, restored, expired, revoked, superseded
	From     string    `gorm:"size:16;not null;default:''"`
	To       string    `gorm:"size:16;not null;default:''"`
	Message  string    `gorm:"size:500;not null"`
	ActorID  *uint64
}
