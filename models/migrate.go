package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
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
		{
			// Recruitment integrity (rules A2-6, R-1, A2-2 and the personal-data rules of
			// DESIGN.md): pass marks, frozen scores, absent candidates, the A2-6 catch-all,
			// supplements, per-attempt limits, row-bound ID ciphertexts, and no plain-text
			// birth date beside the mask.
			ID:      "2026120102_recruitment_integrity",
			Migrate: migrateRecruitmentIntegrity,
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable(&ApplyAttempt{})
			},
		},
		{
			// The unified pre-job training exam and the hiring gate (rules T-1, T-3): the bank
			// and its versions, blueprints, sittings, candidates with sealed papers, answers,
			// hand marks, invigilation evidence and key corrections.
			ID:      "2026120103_exams",
			Migrate: migrateExams,
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable(examTables()...)
			},
		},
		{
			// Trusted-device cookies for the login throttle. The shape is frozen here.
			ID: "2026120104_device_tokens",
			Migrate: func(tx *gorm.DB) error {
				type deviceToken struct {
					TokenHash string    `gorm:"primaryKey;size:64"`
					UserID    uint64    `gorm:"not null;index:idx_device_tokens_user_id"`
					CreatedAt time.Time `gorm:"not null"`
					LastUsed  time.Time `gorm:"not null;index:idx_device_tokens_last_used"`
				}
				if tx.Migrator().HasTable("device_tokens") {
					return nil
				}
				return tx.Table("device_tokens").Migrator().CreateTable(&deviceToken{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("device_tokens")
			},
		},
		{
			// Work permits (rule T-2): permits, their rendered cards, the number counters, their
			// history; and the jobs table for long work (bulk issue, print runs).
			ID:      "2026120105_permits",
			Migrate: migratePermits,
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable(permitTables()...)
			},
		},
		{
			// The notice outbox (in-app notices, their e-mail and later SMS deliveries) and the
			// users' optional e-mail address. The shapes are frozen in migrateNotices.
			ID:      "2026120106_notices",
			Migrate: migrateNotices,
			Rollback: func(tx *gorm.DB) error {
				if err := tx.Migrator().DropTable("notice_deliveries", "notices"); err != nil {
					return err
				}
				return tx.Table("users").Migrator().DropColumn(&usersEmailColumn{}, "Email")
			},
		},
		{
			// The yearly refresher (rule T-4): holders' enrolments in refresher sittings; and the
			// scheduler's run records, the lock that lets one replica run a job's tick.
			ID: "2026120110_refresher",
			Migrate: func(tx *gorm.DB) error {
				for _, t := range []any{&RefresherEnrolment{}, &JobRun{}} {
					if tx.Migrator().HasTable(t) {
						continue
					}
					if err := tx.Migrator().CreateTable(t); err != nil {
						return fmt.Errorf("create %T: %w", t, err)
					}
				}
				return nil
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable(&RefresherEnrolment{}, &JobRun{})
			},
		},
		{
			// Markers' holds on the answers they are marking (blind grading with two markers on
			// one question). The shape is frozen here.
			ID: "2026120111_mark_claims",
			Migrate: func(tx *gorm.DB) error {
				type markClaim struct {
					CandidateID uint64    `gorm:"primaryKey;autoIncrement:false"`
					ItemNo      int       `gorm:"primaryKey;autoIncrement:false"`
					MarkerID    uint64    `gorm:"not null"`
					Until       time.Time `gorm:"not null"`
				}
				if tx.Migrator().HasTable("mark_claims") {
					return nil
				}
				return tx.Table("mark_claims").Migrator().CreateTable(&markClaim{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("mark_claims")
			},
		},
		{
			// Files an applicant sent with a form that is not filed yet (a failed round, the
			// confirmation step), kept for the account so it need not send them again.
			ID: "2026120201_phone",
			Migrate: func(tx *gorm.DB) error {
				type stagedUpload struct {
					ID          string    `gorm:"primaryKey;size:32"`
					UserID      uint64    `gorm:"not null;uniqueIndex:ux_staged_uploads_owner,priority:1"`
					OpeningID   uint64    `gorm:"not null;uniqueIndex:ux_staged_uploads_owner,priority:2"`
					Kind        string    `gorm:"size:32;not null;uniqueIndex:ux_staged_uploads_owner,priority:3"`
					ContentType string    `gorm:"size:64;not null"`
					Size        int       `gorm:"not null"`
					Width       int       `gorm:"not null"`
					Height      int       `gorm:"not null"`
					SHA256      string    `gorm:"size:64;not null"`
					Data        []byte    `gorm:"type:longblob;not null"`
					CreatedAt   time.Time `gorm:"not null"`
					ExpiresAt   time.Time `gorm:"not null;index:idx_staged_uploads_expires_at"`
				}
				if tx.Migrator().HasTable("staged_uploads") {
					return nil
				}
				return tx.Table("staged_uploads").Migrator().CreateTable(&stagedUpload{})
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("staged_uploads")
			},
		},
		{
			// 公示 and the steps after ranking: the opening's settings, the proposals' 公示 and
			// step results, the publicities and the objections. The shapes are frozen in
			// migratePublicity.
			ID:      "2026120204_publicity",
			Migrate: migratePublicity,
			Rollback: func(tx *gorm.DB) error {
				return tx.Migrator().DropTable("objections", "publicities")
			},
		},
		{
			// Uploads wait in quarantine until a background worker has sanitised them.
			ID:       "2026120206_upload_quarantine",
			Migrate:  migrateUploadQuarantine,
			Rollback: rollbackUploadQuarantine,
		},
		{
			// Accounts (issue 8): verification codes, consents, rate slots; users' verified
			// phone and e-mail and the forced password change; addressed, expiring notices.
			ID:       "2026120203_accounts",
			Migrate:  migrateAccounts,
			Rollback: rollbackAccounts,
		},
		{
			// The 报名表's further fields (民族, 政治面貌, addresses, schooling, history, family,
			// contacts): personal data, one sealed column (recruitment/profile.go).
			ID: "2026120202_application_form",
			Migrate: func(tx *gorm.DB) error {
				m := tx.Table("applications").Migrator()
				if m.HasColumn(&applicationProfileColumn{}, "ProfileCipher") {
					return nil // created after the column joined Application
				}
				return m.AddColumn(&applicationProfileColumn{}, "ProfileCipher")
			},
			Rollback: func(tx *gorm.DB) error {
				return tx.Table("applications").Migrator().DropColumn(&applicationProfileColumn{}, "ProfileCipher")
			},
		},
	}
}

// applicationProfileColumn is applications.profile_cipher as 2026120202 added it.
type applicationProfileColumn struct {
	ProfileCipher []byte
}

// migratePublicity is 2026120204. Openings and applications from before it had no 公示 in the
// portal: their PublicityDays stays 0, so their proposals stay final as they were.
func migratePublicity(tx *gorm.DB) error {
	type publicity struct {
		ID        uint64    `gorm:"primaryKey"`
		OpeningID uint64    `gorm:"not null;index:idx_publicities_opening_id"`
		StartsOn  string    `gorm:"size:10;not null"`
		EndsOn    string    `gorm:"size:10;not null"`
		Days      int       `gorm:"not null"`
		Phone     string    `gorm:"size:32;not null"`
		Address   string    `gorm:"size:200;not null"`
		StartedBy uint64    `gorm:"not null"`
		StartedAt time.Time `gorm:"not null"`
	}
	type objection struct {
		ID            uint64    `gorm:"primaryKey"`
		PublicityID   uint64    `gorm:"not null;index:idx_objections_publicity_id"`
		ApplicationID uint64    `gorm:"not null;index:idx_objections_application_id"`
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
	for _, t := range []struct {
		name  string
		shape any
	}{{"publicities", &publicity{}}, {"objections", &objection{}}} {
		if tx.Migrator().HasTable(t.name) {
			continue
		}
		if err := tx.Table(t.name).Migrator().CreateTable(t.shape); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
	}
	type openingCols struct {
		PublicityDays      int    `gorm:"not null;default:0"`
		MedicalCheck       bool   `gorm:"not null;default:false"`
		Vetting            bool   `gorm:"not null;default:false"`
		SupervisionPhone   string `gorm:"size:32;not null;default:''"`
		SupervisionAddress string `gorm:"size:200;not null;default:''"`
	}
	type applicationCols struct {
		PublicityID   *uint64 `gorm:"index:idx_applications_publicity_id"`
		ProposedRank  int     `gorm:"not null;default:0"`
		MedicalResult string  `gorm:"size:8;not null;default:''"`
		MedicalOn     string  `gorm:"size:10;not null;default:''"`
		MedicalNote   string  `gorm:"size:500;not null;default:''"`
		VettingResult string  `gorm:"size:8;not null;default:''"`
		VettingOn     string  `gorm:"size:10;not null;default:''"`
		VettingNote   string  `gorm:"size:500;not null;default:''"`
	}
	for _, t := range []struct {
		table  string
		shape  any
		fields []string
	}{
		{"openings", &openingCols{}, []string{"PublicityDays", "MedicalCheck", "Vetting", "SupervisionPhone", "SupervisionAddress"}},
		{"applications", &applicationCols{}, []string{"PublicityID", "ProposedRank", "MedicalResult", "MedicalOn", "MedicalNote", "VettingResult", "VettingOn", "VettingNote"}},
	} {
		m := tx.Table(t.table).Migrator()
		for _, f := range t.fields {
			if m.HasColumn(t.shape, f) {
				continue
			}
			if err := m.AddColumn(t.shape, f); err != nil {
				return fmt.Errorf("add %s.%s: %w", t.table, f, err)
			}
		}
		if t.table == "applications" && !m.HasIndex(t.shape, "idx_applications_publicity_id") {
			if err := m.CreateIndex(t.shape, "idx_applications_publicity_id"); err != nil {
				return fmt.Errorf("index applications.publicity_id: %w", err)
			}
		}
	}
	return nil
}

// uploadQuarantineColumns are the fields 2026120206 adds to uploads.
var uploadQuarantineColumns = []string{"State", "Original", "Problem", "LeaseOwner", "LeaseUntil", "Attempts", "SanitizedAt"}

// migrateUploadQuarantine is 2026120206. Databases created after these fields joined the row
// type already have them; on older ones every existing upload was sanitised in its request and
// becomes ready (the column's default).
func migrateUploadQuarantine(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, f := range uploadQuarantineColumns {
		if m.HasColumn(&Upload{}, f) {
			continue
		}
		if err := m.AddColumn(&Upload{}, f); err != nil {
			return fmt.Errorf("uploads.%s: %w", f, err)
		}
	}
	if !m.HasIndex(&Upload{}, "ix_uploads_state_created") {
		if err := m.CreateIndex(&Upload{}, "ix_uploads_state_created"); err != nil {
			return fmt.Errorf("uploads state index: %w", err)
		}
	}
	return nil
}

func rollbackUploadQuarantine(tx *gorm.DB) error {
	m := tx.Migrator()
	if m.HasIndex(&Upload{}, "ix_uploads_state_created") {
		if err := m.DropIndex(&Upload{}, "ix_uploads_state_created"); err != nil {
			return err
		}
	}
	for _, f := range uploadQuarantineColumns {
		if m.HasColumn(&Upload{}, f) {
			if err := m.DropColumn(&Upload{}, f); err != nil {
				return fmt.Errorf("uploads.%s: %w", f, err)
			}
		}
	}
	return nil
}

func permitTables() []any {
	return []any{&Permit{}, &PermitDocument{}, &PermitCounter{}, &PermitEvent{}, &Job{}}
}

// migratePermits is 2026120105.
func migratePermits(tx *gorm.DB) error {
	for _, t := range permitTables() {
		if tx.Migrator().HasTable(t) {
			continue
		}
		if err := tx.Migrator().CreateTable(t); err != nil {
			return fmt.Errorf("create %T: %w", t, err)
		}
	}
	return nil
}

// usersEmailColumn is users.email as 2026120106 added it.
type usersEmailColumn struct {
	Email *string `gorm:"size:254"`
}

// migrateNotices is 2026120106. The row types Notice and NoticeDelivery may change later; what
// this migration creates may not, so their shapes as of this migration are copied here.
func migrateNotices(tx *gorm.DB) error {
	type notice struct {
		ID        uint64     `gorm:"primaryKey"`
		UserID    uint64     `gorm:"not null;index:idx_notices_user_read,priority:1"`
		Kind      string     `gorm:"size:64;not null"`
		DedupKey  string     `gorm:"size:160;not null;uniqueIndex:ux_notices_dedup_key"`
		Title     string     `gorm:"size:200;not null"`
		Body      string     `gorm:"type:text;not null"`
		Link      string     `gorm:"size:255;not null;default:''"`
		CreatedAt time.Time  `gorm:"not null"`
		ReadAt    *time.Time `gorm:"index:idx_notices_user_read,priority:2"`
	}
	type noticeDelivery struct {
		ID         uint64    `gorm:"primaryKey"`
		NoticeID   uint64    `gorm:"not null;uniqueIndex:ux_notice_deliveries_notice_channel,priority:1"`
		UserID     uint64    `gorm:"not null;index:idx_notice_deliveries_user"`
		Channel    string    `gorm:"size:16;not null;uniqueIndex:ux_notice_deliveries_notice_channel,priority:2"`
		Status     string    `gorm:"size:16;not null;index:idx_notice_deliveries_due,priority:1"`
		NextAt     time.Time `gorm:"not null;index:idx_notice_deliveries_due,priority:2"`
		Attempts   int       `gorm:"not null;default:0"`
		LeaseToken string    `gorm:"size:32;not null;default:''"`
		LeaseUntil *time.Time
		LastError  string `gorm:"size:500;not null;default:''"`
		SentAt     *time.Time
		CreatedAt  time.Time `gorm:"not null"`
		UpdatedAt  time.Time `gorm:"not null"`
	}
	for _, t := range []struct {
		name  string
		shape any
	}{{"notices", &notice{}}, {"notice_deliveries", &noticeDelivery{}}} {
		if tx.Migrator().HasTable(t.name) {
			continue
		}
		if err := tx.Table(t.name).Migrator().CreateTable(t.shape); err != nil {
			return fmt.Errorf("create %s: %w", t.name, err)
		}
	}
	// Databases created after Email joined the User row type already have the column.
	users := tx.Table("users").Migrator()
	if users.HasColumn(&usersEmailColumn{}, "Email") {
		return nil
	}
	if err := users.AddColumn(&usersEmailColumn{}, "Email"); err != nil {
		return fmt.Errorf("add users.email: %w", err)
	}
	return nil
}

func examTables() []any {
	return []any{&BankQuestion{}, &QuestionVersion{}, &Blueprint{}, &Sitting{}, &ExamCandidate{},
		&ExamAnswer{}, &ExamMark{}, &ExamEvent{}, &KeyFix{}}
}

// migrateExams is 2026120103.
func migrateExams(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, t := range examTables() {
		if !m.HasTable(t) {
			if err := m.CreateTable(t); err != nil {
				return fmt.Errorf("create %T: %w", t, err)
			}
		}
	}
	for _, c := range []struct {
		model any
		field string
	}{
		{&Opening{}, "MakeupAllowed"}, {&Application{}, "TrainingFailures"}, {&Application{}, "HiredAt"},
	} {
		if !m.HasColumn(c.model, c.field) {
			if err := m.AddColumn(c.model, c.field); err != nil {
				return fmt.Errorf("add %s: %w", c.field, err)
			}
		}
	}
	return nil
}

// migrateRecruitmentIntegrity is 2026120102. Databases created after these fields joined the
// row types already have them; older ones get them here.
func migrateRecruitmentIntegrity(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, c := range []struct {
		model any
		field string
	}{
		{&Opening{}, "PassMark"}, {&Opening{}, "ScoresFrozenAt"},
		{&Application{}, "IDCipherVersion"}, {&Application{}, "OtherBar"}, {&Application{}, "Absent"},
		{&ReviewItem{}, "Supplements"}, {&Upload{}, "Supplement"},
	} {
		if m.HasColumn(c.model, c.field) {
			continue
		}
		if err := m.AddColumn(c.model, c.field); err != nil {
			return fmt.Errorf("add %s: %w", c.field, err)
		}
	}
	if !m.HasTable(&ApplyAttempt{}) {
		if err := m.CreateTable(&ApplyAttempt{}); err != nil {
			return fmt.Errorf("create apply_attempts: %w", err)
		}
	}
	if m.HasColumn(&Application{}, "birth_date") {
		if err := m.DropColumn(&Application{}, "birth_date"); err != nil {
			return fmt.Errorf("drop applications.birth_date: %w", err)
		}
	}
	// The masks of older rows showed the last 4 characters and their stored results the birth
	// date: cut both to what no longer gives the number back. The old mask holds the new one.
	var rows []struct {
		ID       uint64
		IDMasked string
		Result   string
	}
	if err := tx.Table("applications").Select("id, id_masked, result").Scan(&rows).Error; err != nil {
		return fmt.Errorf("read applications: %w", err)
	}
	for _, r := range rows {
		mask, result, changed := tightenMask(r.IDMasked), r.Result, false
		var res map[string]json.RawMessage
		if json.Unmarshal([]byte(r.Result), &res) == nil {
			if _, ok := res["birth_date"]; ok {
				delete(res, "birth_date")
				b, err := json.Marshal(res)
				if err != nil {
					return fmt.Errorf("application %d result: %w", r.ID, err)
				}
				result, changed = string(b), true
			}
		}
		if mask == r.IDMasked && !changed {
			continue
		}
		if err := tx.Table("applications").Where("id = ?", r.ID).
			Updates(map[string]any{"id_masked": mask, "result": result}).Error; err != nil {
			return fmt.Errorf("application %d: %w", r.ID, err)
		}
	}
	return nil
}

// tightenMask turns an 18-character mask showing the first 3 and last 4 characters into one
// showing the first 3 and last 2 (screening.MaskID).
func tightenMask(m string) string {
	if len(m) != 18 {
		return m
	}
	return m[:3] + strings.Repeat("*", 13) + m[16:]
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
