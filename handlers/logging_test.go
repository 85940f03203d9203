package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/go-sql-driver/mysql"
)

// Threat: personal data in logs. An internal error that carries a MySQL message quoting a value
// is logged by its number only.
func TestPublicError_PersonalData_DriverMessageNotLogged(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/api/v1/me", nil)
	err := fmt.Errorf("create user: %w", &mysql.MySQLError{Number: 1062, Message: "Duplicate entry '13800138000' for key 'idx_users_username'"})
	status, body := publicError(log, c, err)
	if status != http.StatusInternalServerError || body.Code != "internal" || strings.Contains(body.Message, "1380") {
		t.Errorf("answer %d %+v", status, body)
	}
	if out := logs.String(); strings.Contains(out, "13800138000") || !strings.Contains(out, "1062") {
		t.Errorf("log: %s", out)
	}
}
