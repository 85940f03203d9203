package models_test

import (
	"context"
	"testing"

	"auxportal/models"
	"auxportal/models/storetest"
)

// 2026120202_application_form gives a database of before the 报名表's fields its sealed
// column, and a second run leaves it be.
func TestMigrateAddsTheApplicationFormColumnToOlderDatabases(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	db := s.DB()
	if err := db.Migrator().DropColumn(&models.Application{}, "ProfileCipher"); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("DELETE FROM migrations WHERE id = ?", "2026120202_application_form").Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if !db.Migrator().HasColumn(&models.Application{}, "ProfileCipher") {
		t.Fatal("the migration did not add applications.profile_cipher")
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("a second run: %v", err)
	}
}
