package models

import "time"

// Step results (体检, 考察/政审).
const (
	StepPass = "pass"
	StepFail = "fail"
)

// Objection outcomes ("" while undecided).
const (
	ObjectionUpheld    = "upheld"
	ObjectionNotUpheld = "not_upheld"
)

// Publicity is one 拟录用人员公示 of an opening: the proposals it lists carry its ID. A later
// 递补 is published in a publicity of its own. Dates are civil dates in China.
type Publicity struct {
	ID        uint64 `gorm:"primaryKey"`
	OpeningID uint64 `gorm:"not null;index"`
	StartsOn  string `gorm:"size:10;not null"`
	EndsOn    string `gorm:"size:10;not null"`
	Days      int    `gorm:"not null"`
	// The supervision phone and address as published (the opening's may change later).
	Phone     string    `gorm:"size:32;not null"`
	Address   string    `gorm:"size:200;not null"`
	StartedBy uint64    `gorm:"not null"`
	StartedAt time.Time `gorm:"not null"`
}

// Objection is an objection (异议) to a proposal received during its 公示, recorded by an admin,
// and its outcome. Objector names who raised it (it may be 匿名) and is never shown publicly.
type Objection struct {
	ID            uint64    `gorm:"primaryKey"`
	PublicityID   uint64    `gorm:"not null;index"`
	ApplicationID uint64    `gorm:"not null;index"`
	Objector      string    `gorm:"size:64;not null"`
	Content       string    `gorm:"size:1000;not null"`
	ReceivedOn    string    `gorm:"size:10;not null"`
	RecordedBy    uint64    `gorm:"not null"`
	RecordedAt    time.Time `gorm:"not null"`
	Outcome       string    `gorm:"size:16;not null;default:''"`
	OutcomeReason string    `gorm:"size:500;not null;default:''"`
	DecidedBy     *uint64
	DecidedAt     *time.Time
}
