package models_test

import (
	"context"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/models/storetest"
)

// 2026120206 on an older database: the quarantine's columns and index are added, and the
// uploads already there, which were sanitised in their request, are ready (and served).
func TestMigrateAddsTheUploadQuarantineToOlderDatabases(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.DB()
	m := db.Migrator()
	if err := m.DropIndex(&models.Upload{}, "ix_uploads_state_created"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"State", "Original", "Problem", "LeaseOwner", "LeaseUntil", "Attempts", "SanitizedAt"} {
		if err := m.DropColumn(&models.Upload{}, f); err != nil {
			t.Fatalf("drop %s: %v", f, err)
		}
	}
	if err := db.Exec("DELETE FROM migrations WHERE id = ?", "2026120206_upload_quarantine").Error; err != nil {
		t.Fatal(err)
	}
	// An upload as the older schema stored it.
	if err := db.Exec(`INSERT INTO uploads (id, application_id, kind, content_type, size, width, height, sha256, data, supplement, created_at)
		VALUES (?, 1, 'photo', 'image/jpeg', 3, 1, 1, 'x', ?, false, ?)`, "0123456789abcdef0123456789abcdef", []byte{0xFF, 0xD8, 0xFF}, time.Now().UTC()).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if !m.HasColumn(&models.Upload{}, "State") || !m.HasIndex(&models.Upload{}, "ix_uploads_state_created") {
		t.Fatal("the migration did not add the quarantine")
	}
	u, err := s.UploadByID(ctx, "0123456789abcdef0123456789abcdef")
	if err != nil || u.State != models.UploadReady || len(u.Data) != 3 {
		t.Fatalf("an older upload after the migration: %+v %v", u, err)
	}
	if n, err := s.QuarantineBacklog(ctx); err != nil || n != 0 {
		t.Errorf("backlog %d %v", n, err)
	}
}
