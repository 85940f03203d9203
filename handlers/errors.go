package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/models"
)

// statusOf is the one table from the error vocabulary to HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, models.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, models.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, models.ErrRateLimited):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// publicError returns what a user may see of err: its own message for vocabulary errors, a
// generic one (and a log line) for anything else, which is an internal error.
func publicError(log *slog.Logger, c *gin.Context, err error) (int, apiErrorBody) {
	status := statusOf(err)
	if e, ok := models.AsError(err); ok && status != http.StatusInternalServerError {
		return status, apiErrorBody{Code: e.Code, Message: e.Message, Fields: e.Fields}
	}
	// LogErr: a driver's message may quote the values of the statement that failed.
	log.ErrorContext(c.Request.Context(), "internal error", "method", c.Request.Method,
		"path", c.FullPath(), "err", models.LogErr(err))
	return http.StatusInternalServerError, apiErrorBody{Code: "internal", Message: "系统繁忙，请稍后再试"}
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// fail renders err: JSON under /api/, the Chinese error page elsewhere.
func (s *Server) fail(c *gin.Context, err error) {
	status, body := publicError(s.log, c, err)
	if isAPI(c) {
		c.AbortWithStatusJSON(status, apiError{body})
		return
	}
	if status == http.StatusUnauthorized && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	s.render(c, status, "error", page{Title: "出错了", Data: body})
	c.Abort()
}

// badRequest is the error for a body that cannot be read at all.
func badRequest(msg string) error { return models.Invalid("bad_request", "%s", msg) }
