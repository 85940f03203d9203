package handlers

import (
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
	"auxportal/notices"
)

// The notice pages: a user's notices (通知) and settings (账号设置), and the district's view of
// deliveries that failed (通知投递). They work without JavaScript.

func (s *Server) noticePages(r *gin.Engine) {
	r.GET("/me/notices", getPage(s, "my_notices", s.requireLogin, "通知",
		func(c *gin.Context, a models.Actor) (*notices.Inbox, error) {
			before, err := beforeParam(c)
			if err != nil {
				return nil, err
			}
			return s.notes.Inbox(c.Request.Context(), a, before)
		}))
	r.POST("/me/notices/read-all", s.pageReadAllNotices)
	r.POST("/me/notices/:id/read", s.pageReadNotice)
	r.GET("/me/settings", getPage(s, "settings", s.requireLogin, "账号设置", s.settingsPage))
	r.POST("/me/settings", s.pageSaveSettings)
	r.GET("/admin/notices", getPage(s, "admin_notices", s.requireLogin, "通知投递",
		actorOnly(s.notes.DeliveryReport)))
	r.POST("/admin/notices/deliveries/:id/retry", s.pageRetryDelivery)
}

func (s *Server) pageReadNotice(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	if err := s.notes.MarkRead(c.Request.Context(), actorOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	seeOther(c, backToNotices(c), "")
}

func (s *Server) pageReadAllNotices(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	if _, err := s.notes.MarkAllRead(c.Request.Context(), actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	seeOther(c, backToNotices(c), "read_all")
}

// backToNotices is the inbox page the form was posted from (its ?before= kept).
func backToNotices(c *gin.Context) string {
	if before, err := beforeParam(c); err == nil && before > 0 {
		return "/me/notices?before=" + url.QueryEscape(strconv.FormatUint(before, 10))
	}
	return "/me/notices"
}

// settingsPage is the settings page's data: the user's settings, and whether e-mail notices
// are sent at all.
type settingsPage struct {
	*accounts.Settings
	EmailOn bool
}

func (s *Server) settingsPage(c *gin.Context, a models.Actor) (settingsPage, error) {
	st, err := s.acc.Settings(c.Request.Context(), a)
	return settingsPage{Settings: st, EmailOn: s.notes.Configured(notices.ChannelEmail)}, err
}

func (s *Server) pageSaveSettings(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	in := accounts.SettingsInput{Email: c.PostForm("email")}
	st, err := s.acc.SaveSettings(c.Request.Context(), actorOf(c), in)
	if err != nil {
		data, lerr := s.settingsPage(c, actorOf(c))
		if lerr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "settings", page{Title: "账号设置", Data: data, Form: in}, err)
		return
	}
	if st.Email != "" && !st.EmailVerified {
		seeOther(c, "/me/settings", "email_code")
		return
	}
	seeOther(c, "/me/settings", "settings")
}

func (s *Server) pageRetryDelivery(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	if _, err := s.notes.RetryNow(c.Request.Context(), actorOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	seeOther(c, "/admin/notices", "retried")
}
