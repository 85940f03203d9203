package models_test

import (
	"context"
	"testing"

	"auxportal/models"
	"auxportal/models/storetest"
)

// A database migrated before the notice outbox gets its tables and users.email from
// 2026120106; migrating again changes nothing.
func TestMigrateAddsTheNoticeOutboxToOlderDatabases(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.DB()
	if err := db.Migrator().DropTable("notice_deliveries", "notices"); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrator().DropColumn(&models.User{}, "Email"); err != nil {
		t.Fatal(err)
	}
	// 2026120203_accounts adds columns to the outbox's tables: it runs again after them.
	if err := db.Exec("DELETE FROM migrations WHERE id IN ?", []string{"2026120106_notices", "2026120203_accounts"}).Error; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !db.Migrator().HasTable(&models.Notice{}) || !db.Migrator().HasTable(&models.NoticeDelivery{}) ||
		!db.Migrator().HasColumn(&models.User{}, "Email") {
		t.Fatal("the migration did not add the outbox")
	}
	for _, ix := range []struct {
		model any
		name  string
	}{
		{&models.Notice{}, "ux_notices_dedup_key"}, {&models.Notice{}, "idx_notices_user_read"},
		{&models.NoticeDelivery{}, "idx_notice_deliveries_due"}, {&models.NoticeDelivery{}, "ux_notice_deliveries_notice_channel"},
	} {
		if !db.Migrator().HasIndex(ix.model, ix.name) {
			t.Errorf("index %s missing", ix.name)
		}
	}
	mail := "zhangsan@163.com"
	u := &models.User{Username: "13800000000", PasswordHash: "x", Role: models.RoleApplicant, DisplayName: "张三", Email: &mail}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	n := &models.Notice{UserID: u.ID, Kind: "k", DedupKey: "k:1", Title: "通知", Body: "正文", CreatedAt: u.CreatedAt}
	if created, err := s.CreateNotice(ctx, n); err != nil || !created {
		t.Fatalf("create notice: %v %v", created, err)
	}
	if created, err := s.CreateNotice(ctx, &models.Notice{UserID: u.ID, Kind: "k", DedupKey: "k:1", Title: "again", Body: "", CreatedAt: u.CreatedAt}); err != nil || created {
		t.Fatalf("a duplicate key: created %v, %v", created, err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || got.Email == nil || *got.Email != mail {
		t.Errorf("user email %v %v", got.Email, err)
	}
}
