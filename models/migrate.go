package models

import (
	"context"
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations are versioned and run in order, once each, recorded in the migrations table.
// A migration never changes after it has shipped: when a row type changes, add a migration and,
// if an older migration used that type, freeze a copy of its old shape inside that migration.
func migrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		{
			ID: "2026112601_initial_schema",
			Migrate: func(tx *gorm.DB) error {
				return tx.Migrator().CreateTable(
					&Town{}, &User{}, &Session{}, &Setting{}, &Opening{}, &Application{},
					&ReviewItem{}, &Upload{}, &Event{}, &AuditEntry{},
				)
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("audit_entries", "events", "uploads", "review_items",
					"applications", "openings", "settings", "sessions", "users", "towns")
			},
		},
		{
			// Rule Q-2: the towns of Attachment 1 and their minimum staffing, 557 in all.
			ID: "2026112602_seed_towns",
			Migrate: func(tx *gorm.DB) error {
				for i, t := range AttachmentOneTowns() {
					t.Sort = i + 1
					if err := tx.Create(&t).Error; err != nil {
						return fmt.Errorf("seed town %s: %w", t.Name, err)
					}
				}
				return nil
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Where("1 = 1").Delete(&Town{}).Error
			},
		},
		{
			// Rule R-3: an opening may explicitly award bonus points for verified preferences.
			ID: "2026112603_opening_bonus_points",
			Migrate: func(tx *gorm.DB) error {
				// Databases created after this column joined the Opening row type already have it.
				if tx.Migrator().HasColumn(&Opening{}, "BonusPoints") {
					return nil
				}
				return tx.Migrator().AddColumn(&Opening{}, "BonusPoints")
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropColumn(&Opening{}, "BonusPoints")
			},
		},
		{
			// Login attempts are counted per account and per account and client address, in their
			// own table, one conditional UPDATE per attempt (users.failed_logins and locked_until
			// are no longer used). The shape is frozen here: LoginThrottle may change later.
			ID: "2026120101_login_throttle",
			Migrate: func(tx *gorm.DB) error {
				type loginThrottle struct {
					Key         string    `gorm:"column:throttle_key;primaryKey;size:64"`
					Failures    int       `gorm:"not null;default:0"`
					WindowStart time.Time `gorm:"not null;index:idx_login_throttles_window_start"`
				}
				return tx.Table("login_throttles").Migrator().CreateTable(&loginThrottle{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("login_throttles")
			},
		},
	}
}

// AttachmentOneTowns is the reference data of rule Q-2 (附件1): each town's minimum staffing.
func AttachmentOneTowns() []Town {
	return []Town{
		{Name: "海门街道", Minimum: 170},
		{Name: "三厂街道", Minimum: 32},
		{Name: "临江新区", Minimum: 20},
		{Name: "正余镇", Minimum: 20},
		{Name: "余东镇", Minimum: 20},
		{Name: "悦来镇", Minimum: 35},
		{Name: "三星镇", Minimum: 110},
		{Name: "四甲镇", Minimum: 30},
		{Name: "常乐镇", Minimum: 30},
		{Name: "海永镇", Minimum: 10},
		{Name: "海门港新区", Minimum: 80},
	}
}

// Migrate brings the schema up to date.
func (s *Store) Migrate(ctx context.Context) error {
	opts := *gormigrate.DefaultOptions
	opts.UseTransaction = s.dialect == DialectSQLite // MySQL DDL commits implicitly anyway
	run := func(db *gorm.DB) error {
		if err := gormigrate.New(db, &opts, migrations()).Migrate(); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	}
	if s.dialect != DialectMySQL {
		return run(s.db.WithContext(ctx))
	}
	// Replicas may start together: a named lock on one pinned connection lets one migrate while
	// the others wait, then find nothing left to do.
	return s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		var got int
		if err := conn.Raw("SELECT GET_LOCK('auxportal_migrate', 120)").Scan(&got).Error; err != nil {
			return fmt.Errorf("migrate: take lock: %w", err)
		}
		if got != 1 {
			return fmt.Errorf("migrate: another replica held the migration lock for 120s")
		}
		defer conn.Exec("SELECT RELEASE_LOCK('auxportal_migrate')")
		return run(conn.Session(&gorm.Session{NewDB: true}))
	})
}
