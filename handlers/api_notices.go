package handlers

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
)

// The notices API: a user's own notices and settings, and the district's view of deliveries
// that failed. The rules are in packages notices and accounts; these bind and render.

func (s *Server) noticeAPIRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.GET("/me/notices", s.apiMyNotices)
	api.POST("/me/notices/read-all", s.apiReadAllNotices)
	api.POST("/me/notices/:id/read", s.apiReadNotice)
	api.GET("/me/settings", s.apiSettings)
	api.PUT("/me/settings", s.apiSaveSettings)
	api.GET("/notice-deliveries", s.apiNoticeDeliveries)
	api.POST("/notice-deliveries/:id/retry", s.apiRetryDelivery)
}

// beforeParam reads the inbox's ?before= (an id to page back from); absent is 0.
func beforeParam(c *gin.Context) (uint64, error) {
	v := c.Query("before")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || !models.ValidID(id) {
		fe := models.FieldErrors{}
		fe.Add("before", "before 须为通知编号")
		return 0, fe.Err()
	}
	return id, nil
}

// answer renders what fn returns as JSON (200), or its error: the three steps of a handler
// without a path id (withID is the same with one).
func (s *Server) answer(c *gin.Context, fn func(ctx context.Context, a models.Actor) (any, error)) {
	v, err := fn(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) apiMyNotices(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		before, err := beforeParam(c)
		if err != nil {
			return nil, err
		}
		return s.notes.Inbox(ctx, a, before)
	})
}

func (s *Server) apiReadNotice(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		if err := s.notes.MarkRead(c.Request.Context(), actorOf(c), id); err != nil {
			return nil, err
		}
		return gin.H{"id": id, "read": true}, nil
	})
}

func (s *Server) apiReadAllNotices(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		n, err := s.notes.MarkAllRead(ctx, a)
		return gin.H{"marked": n}, err
	})
}

func (s *Server) apiSettings(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) { return s.acc.Settings(ctx, a) })
}

func (s *Server) apiSaveSettings(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) {
		var in accounts.SettingsInput
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.acc.SaveSettings(ctx, a, in)
	})
}

func (s *Server) apiNoticeDeliveries(c *gin.Context) {
	s.answer(c, func(ctx context.Context, a models.Actor) (any, error) { return s.notes.DeliveryReport(ctx, a) })
}

func (s *Server) apiRetryDelivery(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.notes.RetryNow(c.Request.Context(), actorOf(c), id) })
}
