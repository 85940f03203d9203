package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The shapes 2026120203_accounts creates, frozen: the row types may change later.
type (
	verificationCodeV1 struct {
		ID        uint64 `gorm:"primaryKey"`
		Purpose   string `gorm:"size:16;not null;index:idx_verification_codes_target,priority:1"`
		Target    string `gorm:"size:64;not null;index:idx_verification_codes_target,priority:2"`
		CodeHash  string `gorm:"size:64;not null"`
		UserID    *uint64
		Email     string    `gorm:"size:254;not null;default:''"`
		Attempts  int       `gorm:"not null;default:0"`
		CreatedAt time.Time `gorm:"not null"`
		ExpiresAt time.Time `gorm:"not null;index:idx_verification_codes_expires_at"`
		UsedAt    *time.Time
	}
	consentV1 struct {
		ID         uint64    `gorm:"primaryKey"`
		UserID     uint64    `gorm:"not null;index:idx_consents_user_id"`
		Kind       string    `gorm:"size:32;not null"`
		Version    string    `gorm:"size:32;not null"`
		TextSHA256 string    `gorm:"column:text_sha256;size:64;not null"`
		GrantedAt  time.Time `gorm:"not null"`
	}
	rateSlotV1 struct {
		Key    string    `gorm:"column:slot_key;primaryKey;size:64"`
		Uses   int       `gorm:"not null;default:0"`
		EndsAt time.Time `gorm:"not null;index:idx_rate_slots_ends_at"`
	}
	usersAccountsV1 struct {
		EmailVerifiedAt    *time.Time
		PhoneVerifiedAt    *time.Time
		MustChangePassword bool `gorm:"not null;default:false"`
	}
	noticeExpiresV1 struct {
		ExpiresAt *time.Time `gorm:"index:idx_notices_expires_at"`
	}
	deliveryAddressV1 struct {
		Address string `gorm:"size:254;not null;default:''"`
	}
)

// column is one column a migration adds to a table that exists, with the shape that holds it.
type column struct {
	table, field string
	shape        any
}

var accountsColumns = []column{
	{"users", "EmailVerifiedAt", &usersAccountsV1{}},
	{"users", "PhoneVerifiedAt", &usersAccountsV1{}},
	{"users", "MustChangePassword", &usersAccountsV1{}},
	{"notices", "ExpiresAt", &noticeExpiresV1{}},
	{"notice_deliveries", "Address", &deliveryAddressV1{}},
}

var accountsTables = []struct {
	name  string
	shape any
}{{"verification_codes", &verificationCodeV1{}}, {"consents", &consentV1{}}, {"rate_slots", &rateSlotV1{}}}

// migrateAccounts is 2026120203_accounts. Accounts made before it keep PhoneVerifiedAt nil:
// they were never verified, and a verified owner of the number may claim it (accounts package).
func migrateAccounts(tx *gorm.DB) error {
	for _, t := range accountsTables {
		if tx.Migrator().HasTable(t.name) {
			continue
		}
		if err := tx.Table(t.name).Migrator().CreateTable(t.shape); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
	}
	for _, c := range accountsColumns {
		// The users table of a database created after these fields joined User has them.
		m := tx.Table(c.table).Migrator()
		if m.HasColumn(c.shape, c.field) {
			continue
		}
		if err := m.AddColumn(c.shape, c.field); err != nil {
			return fmt.Errorf("add %s.%s: %w", c.table, c.field, err)
		}
	}
	if !tx.Migrator().HasIndex("notices", "idx_notices_expires_at") {
		if err := tx.Table("notices").Migrator().CreateIndex(&noticeExpiresV1{}, "idx_notices_expires_at"); err != nil {
			return fmt.Errorf("index notices.expires_at: %w", err)
		}
	}
	return nil
}

func rollbackAccounts(tx *gorm.DB) error {
	for _, t := range accountsTables {
		if err := tx.Migrator().DropTable(t.name); err != nil {
			return err
		}
	}
	for _, c := range accountsColumns {
		if err := tx.Table(c.table).Migrator().DropColumn(c.shape, c.field); err != nil {
			return err
		}
	}
	return nil
}
