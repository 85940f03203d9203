package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/models/storetest"
)

// A database migrated before issue 8 gets the accounts tables and columns from
// 2026120203_accounts; migrating again changes nothing.
func TestMigrateAddsAccountsToOlderDatabases(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.DB()
	if err := db.Migrator().DropTable("verification_codes", "consents", "rate_slots"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model any
		field string
	}{{&models.User{}, "PhoneVerifiedAt"}, {&models.User{}, "EmailVerifiedAt"}, {&models.User{}, "MustChangePassword"},
		{&models.NoticeDelivery{}, "Address"}} {
		if err := db.Migrator().DropColumn(c.model, c.field); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrator().DropIndex(&models.Notice{}, "idx_notices_expires_at"); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrator().DropColumn(&models.Notice{}, "ExpiresAt"); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM migrations WHERE id = ?", "2026120203_accounts").Error; err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, tb := range []any{&models.VerificationCode{}, &models.Consent{}, &models.RateSlot{}} {
		if !db.Migrator().HasTable(tb) {
			t.Errorf("table of %T missing", tb)
		}
	}
	now := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	u := &models.User{Username: "13800000000", PasswordHash: "x", Role: models.RoleApplicant, DisplayName: "张三",
		PhoneVerifiedAt: &now, MustChangePassword: true}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || got.PhoneVerifiedAt == nil || !got.MustChangePassword {
		t.Errorf("user %+v %v", got, err)
	}
	n := &models.Notice{Kind: "k", DedupKey: "k:1", Title: "验证码", Body: "123456", CreatedAt: now, ExpiresAt: &now}
	if created, err := s.CreateNotice(ctx, n); err != nil || !created {
		t.Fatalf("create notice: %v %v", created, err)
	}
	if err := s.CreateDeliveries(ctx, []models.NoticeDelivery{{NoticeID: n.ID, Channel: models.ChannelSMS, Address: "13800000000",
		Status: models.DeliveryPending, NextAt: now, CreatedAt: now, UpdatedAt: now}}); err != nil {
		t.Fatal(err)
	}
}

// A rate slot counts uses in a fixed window and refuses the one past the limit until the window
// ends, also when the uses come at once.
func TestTakeRateSlot_LimitsAWindowEvenInParallel(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	var passed atomic.Int64
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, _, err := s.TakeRateSlot(ctx, "k", 5, now, time.Hour)
			if err != nil {
				t.Error(err)
			}
			if ok {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if passed.Load() != 5 {
		t.Fatalf("%d of 12 parallel uses passed a limit of 5", passed.Load())
	}
	ok, ends, err := s.TakeRateSlot(ctx, "k", 5, now.Add(59*time.Minute), time.Hour)
	if err != nil || ok || !ends.Equal(now.Add(time.Hour)) {
		t.Fatalf("inside the window: ok %v, ends %v, %v", ok, ends, err)
	}
	if ok, _, err := s.TakeRateSlot(ctx, "k", 5, now.Add(time.Hour), time.Hour); err != nil || !ok {
		t.Fatalf("a new window: %v %v", ok, err)
	}
	if n, err := s.DeleteEndedRateSlots(ctx, now.Add(2*time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
}

// Tries of a code are counted by one conditional UPDATE: of many parallel guesses at most the
// limit are judged, and a used or expired code takes none.
func TestTryVerificationCode_CountsTriesAtomically(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	vc := &models.VerificationCode{Purpose: models.CodeReset, Target: "t", CodeHash: "h", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	if err := s.CreateVerificationCode(ctx, vc); err != nil {
		t.Fatal(err)
	}
	var judged atomic.Int64
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.TryVerificationCode(ctx, vc.ID, 5, now)
			if err != nil {
				t.Error(err)
			}
			if ok {
				judged.Add(1)
			}
		}()
	}
	wg.Wait()
	if judged.Load() != 5 {
		t.Fatalf("%d of 10 parallel tries judged, want 5", judged.Load())
	}
	fresh := &models.VerificationCode{Purpose: models.CodeReset, Target: "t", CodeHash: "h2", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	if err := s.CreateVerificationCode(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.TryVerificationCode(ctx, fresh.ID, 5, now.Add(10*time.Minute)); ok {
		t.Error("an expired code was tried")
	}
	if ok, err := s.UseVerificationCode(ctx, fresh.ID, now); err != nil || !ok {
		t.Fatalf("use: %v %v", ok, err)
	}
	if ok, _ := s.UseVerificationCode(ctx, fresh.ID, now); ok {
		t.Error("a code was used twice")
	}
	if ok, _ := s.TryVerificationCode(ctx, fresh.ID, 5, now); ok {
		t.Error("a used code was tried")
	}
	// A new code retires the older one.
	old, err := s.LatestVerificationCode(ctx, models.CodeReset, "t")
	if err != nil || old.ID != fresh.ID {
		t.Fatalf("latest %v %v", old, err)
	}
}
