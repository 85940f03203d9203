package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/models/storetest"
)

func TestMigrateSeedsAttachmentOneTowns_Q_2(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	towns, err := s.ListTowns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(towns) != 11 {
		t.Fatalf("got %d towns, want 11", len(towns))
	}
	total := 0
	for _, tw := range towns {
		total += tw.Minimum
	}
	if total != 557 {
		t.Errorf("minimums sum to %d, want 557 (rule Q-2)", total)
	}
	if towns[0].Name != "海门街道" || towns[0].Minimum != 170 {
		t.Errorf("first town = %s %d, want 海门街道 170", towns[0].Name, towns[0].Minimum)
	}
	// Migrating again is a no-op, not a second set of towns.
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := s.ListTowns(ctx)
	if len(again) != 11 {
		t.Errorf("after a second migrate: %d towns", len(again))
	}
}

func TestCreateUserDuplicateIsConflict(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	u := &models.User{Username: "13800000000", PasswordHash: "x", Role: models.RoleApplicant, DisplayName: "张三"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	err := s.CreateUser(ctx, &models.User{Username: "13800000000", PasswordHash: "y", Role: models.RoleApplicant, DisplayName: "李四"})
	if !errors.Is(err, models.ErrConflict) {
		t.Fatalf("second user: err = %v, want ErrConflict", err)
	}
}

func TestWithTxRollsBack(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateUser(ctx, &models.User{Username: "a1", PasswordHash: "x", Role: models.RoleTrainer, DisplayName: "培训员"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := s.UserByUsername(ctx, "a1"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("user survived a rolled-back transaction: %v", err)
	}
}

func TestSessionsExpireAndRevoke(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	u := &models.User{Username: "u1", PasswordHash: "x", Role: models.RoleTrainer, DisplayName: "培训员"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	sess := &models.Session{TokenHash: "h1", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeen: now}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"live", now.Add(time.Minute), true},
		{"expired", now.Add(2 * time.Hour), false},
	}
	for _, tt := range tests {
		_, _, err := s.SessionUser(ctx, "h1", tt.at)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
	if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, "h1", now); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("revoked session still loads: %v", err)
	}
}

// Two live applications with one ID number to one opening can never both be stored, even when
// they arrive at once; after a withdrawal (active key cleared) a new one can.
func TestApplicationUniqueActiveIDNumber(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	o := &models.Opening{TownID: 1, Title: "t", Seats: 1, OpensAt: "2026-06-01", ClosesAt: "2026-06-30",
		ReferenceDate: "2026-06-30", Conditions: "{}", PreferenceChain: "[]", Status: models.OpeningPublished, CreatedBy: 1}
	if err := s.CreateOpening(ctx, o); err != nil {
		t.Fatal(err)
	}
	mk := func(user uint64) *models.Application {
		h := "samehash"
		return &models.Application{OpeningID: o.ID, UserID: user, ActiveIDHash: &h, ActiveUserID: &user,
			Status: models.AppEligible, Name: "张三", IDCipher: []byte{1}, IDHash: h, IDMasked: "x",
			Education: "high_school", Conditions: "{}", ReferenceDate: "2026-06-30",
			Result: "{}", SubmittedAt: time.Now()}
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.CreateApplication(ctx, mk(uint64(100+i)))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, models.ErrConflict):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d applications stored, want exactly 1", ok)
	}
	apps, _ := s.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
	if len(apps) != 1 {
		t.Fatalf("%d rows, want 1", len(apps))
	}
	if err := s.UpdateApplication(ctx, apps[0].ID, []string{models.AppEligible},
		map[string]any{"status": models.AppWithdrawn, "active_id_hash": nil, "active_user_id": nil}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateApplication(ctx, mk(apps[0].UserID)); err != nil {
		t.Errorf("reapply after withdrawal: %v", err)
	}
}

func TestSettings(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Now()
	if err := s.InsertSettingIfMissing(ctx, "k", "v1", now); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSettingIfMissing(ctx, "k", "v2", now); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.GetSetting(ctx, "k"); !ok || v != "v1" {
		t.Errorf("got %q %v, want v1 (default must not overwrite)", v, ok)
	}
	if err := s.PutSetting(ctx, "k", "v3", 1, now); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.GetSetting(ctx, "k"); v != "v3" {
		t.Errorf("got %q, want v3", v)
	}
	if _, ok, err := s.GetSetting(ctx, "missing"); ok || err != nil {
		t.Errorf("missing setting: ok=%v err=%v", ok, err)
	}
}

// A database migrated before the bonus-points column existed gets it from the next migration;
// one created after (the column is part of the first migration's row type) is left alone.
func TestMigrateAddsBonusPointsToOlderDatabases_R3(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.DB()
	if err := db.Migrator().DropColumn(&models.Opening{}, "BonusPoints"); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM migrations WHERE id = ?", "2026112603_opening_bonus_points").Error; err != nil {
		t.Fatal(err)
	}
	if db.Migrator().HasColumn(&models.Opening{}, "BonusPoints") {
		t.Fatal("column still there")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if !db.Migrator().HasColumn(&models.Opening{}, "BonusPoints") {
		t.Fatal("the migration did not add bonus_points")
	}
	o := &models.Opening{TownID: 1, Title: "t", Seats: 1, OpensAt: "2026-06-01", ClosesAt: "2026-06-30",
		ReferenceDate: "2026-06-30", Conditions: "{}", PreferenceChain: "[]", Status: models.OpeningDraft, CreatedBy: 1}
	if err := s.CreateOpening(ctx, o); err != nil {
		t.Fatal(err)
	}
	got, err := s.OpeningByID(ctx, o.ID)
	if err != nil || got.BonusPoints != "{}" {
		t.Errorf("bonus points default %q, %v; want {}", got.BonusPoints, err)
	}
}
