package models

import "time"

// Notice is one in-app notice to one user: the outbox entry that a service records inside the
// transaction of the decision that caused it, so it exists if and only if that decision
// committed. DedupKey is unique: recording the same notice twice (a job run again, two replicas
// at once) stores it once.
type Notice struct {
	ID        uint64     `gorm:"primaryKey"`
	UserID    uint64     `gorm:"not null;index:idx_notices_user_read,priority:1"`
	Kind      string     `gorm:"size:64;not null"`
	DedupKey  string     `gorm:"size:160;not null;uniqueIndex:ux_notices_dedup_key"`
	Title     string     `gorm:"size:200;not null"`
	Body      string     `gorm:"type:text;not null"`
	Link      string     `gorm:"size:255;not null;default:''"` // a path on the portal, "" for none
	CreatedAt time.Time  `gorm:"not null"`
	ReadAt    *time.Time `gorm:"index:idx_notices_user_read,priority:2"`
	// ExpiresAt, when set, makes the notice ephemeral (a verification code): it is not sent
	// after this time, and its body is erased once it is sent, given up or expired.
	ExpiresAt *time.Time `gorm:"index"`
}

// Delivery channels besides in-app (every notice is in-app).
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Delivery statuses.
const (
	DeliveryPending = "pending" // to be sent at NextAt (again, after a failure)
	DeliverySending = "sending" // claimed by a replica until LeaseUntil; due again after
	DeliverySent    = "sent"
	DeliveryDead    = "dead"    // given up: too many failures, or a permanent one; a district admin may retry
	DeliveryOff     = "off"     // the channel was not configured when the notice was recorded
	DeliverySkipped = "skipped" // the recipient has no address on the channel
)

// NoticeDelivery is one notice on one channel other than in-app (e-mail, later SMS). A replica
// claims a due row with a lease (a conditional UPDATE that sets LeaseToken), sends, and records
// the outcome only while its token still holds the row.
type NoticeDelivery struct {
	ID       uint64 `gorm:"primaryKey"`
	NoticeID uint64 `gorm:"not null;uniqueIndex:ux_notice_deliveries_notice_channel,priority:1"`
	UserID   uint64 `gorm:"not null;index:idx_notice_deliveries_user"`
	Channel  string `gorm:"size:16;not null;uniqueIndex:ux_notice_deliveries_notice_channel,priority:2"`
	// Address, when set, is where this delivery goes instead of the user's address on the
	// channel: a code to a phone that has no account yet, or to an address being verified.
	Address    string    `gorm:"size:254;not null;default:''"`
	Status     string    `gorm:"size:16;not null;index:idx_notice_deliveries_due,priority:1"`
	NextAt     time.Time `gorm:"not null;index:idx_notice_deliveries_due,priority:2"`
	Attempts   int       `gorm:"not null;default:0"`
	LeaseToken string    `gorm:"size:32;not null;default:''"`
	LeaseUntil *time.Time
	// LastError is what went wrong last, fit for an admin's eyes: the SMTP code and the
	// server's words with any e-mail address taken out.
	LastError string `gorm:"size:500;not null;default:''"`
	SentAt    *time.Time
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}
