package models

import "time"

// LoginThrottle counts the login attempts under one key (a SHA-256 of the account name, and of
// the account name with the client address) in a fixed window that starts at the first attempt
// and lasts accounts.LoginWindow. An attempt takes its slot before the password is checked and a
// successful one gives it back, so Failures counts the attempts that failed or are being judged.
type LoginThrottle struct {
	Key         string    `gorm:"column:throttle_key;primaryKey;size:64"`
	Failures    int       `gorm:"not null;default:0"`
	WindowStart time.Time `gorm:"not null;index"`
}

// DeviceToken marks a browser that has signed in to an account before (a "device cookie"): only
// its SHA-256 is stored. Login attempts that carry one are throttled per device instead of under
// the account's overall limit, so guessing from many addresses cannot lock the owner out of a
// browser they have used (OWASP's device-cookie defence).
type DeviceToken struct {
	TokenHash string    `gorm:"primaryKey;size:64"`
	UserID    uint64    `gorm:"not null;index"`
	CreatedAt time.Time `gorm:"not null"`
	LastUsed  time.Time `gorm:"not null;index"`
}
