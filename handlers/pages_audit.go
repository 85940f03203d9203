package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"auxportal/auditlog"
	"auxportal/models"
)

// auditFilter reads the audit log's filter from the query string. A number that is not one is
// a field error, not a silently dropped filter.
func auditFilter(c *gin.Context) (auditlog.Filter, error) {
	var f auditlog.Filter
	if err := c.ShouldBindQuery(&f); err != nil {
		fe := models.FieldErrors{}
		fe.Add("filter", "筛选条件有误，请重新选择")
		return auditlog.Filter{From: c.Query("from"), To: c.Query("to")}, fe.Err()
	}
	return f, nil
}

func (s *Server) pageAudit(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	a := actorOf(c)
	f, err := auditFilter(c)
	if err == nil {
		var p *auditlog.Page
		if p, err = s.audit.List(c.Request.Context(), a, f); err == nil {
			s.render(c, http.StatusOK, "admin_audit", page{Title: "操作日志", Data: p, Flash: flash(c)})
			return
		}
	}
	// The filter could not be read: the page again, unfiltered, with the message on the field.
	p, lerr := s.audit.List(c.Request.Context(), a, auditlog.Filter{})
	if lerr != nil {
		s.fail(c, lerr)
		return
	}
	p.Filter = f
	s.formFail(c, "admin_audit", page{Title: "操作日志", Data: p}, err)
}

func (s *Server) apiAudit(c *gin.Context) {
	f, err := auditFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.audit.List(c.Request.Context(), actorOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
