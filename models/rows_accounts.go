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

// Verification purposes: what a code proves when it is given back.
const (
	CodeRegister = "register" // the phone number of a new applicant account
	CodeReset    = "reset"    // a forgotten password, for the account behind a phone or username
	CodeEmail    = "email"    // an e-mail address a signed-in user wants notices and reset codes at
)

// VerificationCode is one code sent (or, where the portal must not say that nothing was sent,
// pretended to be sent) for a purpose to a target. Only a keyed hash of the code is stored, and
// of the target too: a table of the numbers that asked for codes is itself personal data.
// A code is single use (UsedAt), expires (ExpiresAt) and allows a few wrong tries (Attempts).
type VerificationCode struct {
	ID       uint64 `gorm:"primaryKey"`
	Purpose  string `gorm:"size:16;not null;index:idx_verification_codes_target,priority:1"`
	Target   string `gorm:"size:64;not null;index:idx_verification_codes_target,priority:2"`
	CodeHash string `gorm:"size:64;not null"`
	// UserID is the account the code acts on (reset, e-mail), nil when there is none.
	UserID *uint64
	// Email is the address an e-mail verification code was sent to, to be set on success.
	Email     string    `gorm:"size:254;not null;default:''"`
	Attempts  int       `gorm:"not null;default:0"`
	CreatedAt time.Time `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
	UsedAt    *time.Time
}

// Consent is a user's recorded consent to a statement (PIPL art. 29: separate consent to the
// processing of sensitive personal information), with the version and a hash of the text shown.
type Consent struct {
	ID         uint64    `gorm:"primaryKey"`
	UserID     uint64    `gorm:"not null;index"`
	Kind       string    `gorm:"size:32;not null"`
	Version    string    `gorm:"size:32;not null"`
	TextSHA256 string    `gorm:"column:text_sha256;size:64;not null"`
	GrantedAt  time.Time `gorm:"not null"`
}

// RateSlot counts uses of something (codes sent to one phone, codes asked from one address) in a
// fixed window that ends at EndsAt; a use past the limit is refused until then.
type RateSlot struct {
	Key    string    `gorm:"column:slot_key;primaryKey;size:64"`
	Uses   int       `gorm:"not null;default:0"`
	EndsAt time.Time `gorm:"not null;index"`
}
