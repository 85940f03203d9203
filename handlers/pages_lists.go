package handlers

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"auxportal/auditlog"
	"auxportal/models"
	"auxportal/recruitment"
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

// pageQuery reads a list's 1-based page number; anything else is page 1.
func pageQuery(c *gin.Context) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil {
		return 1
	}
	return n
}

func (s *Server) pageReviewQueue(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	q, err := s.rec.ReviewQueuePage(c.Request.Context(), actorOf(c), pageQuery(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_review", page{Title: "资格复核", Data: q, Flash: flash(c)})
}

func (s *Server) apiReviewQueue(c *gin.Context) {
	q, err := s.rec.ReviewQueuePage(c.Request.Context(), actorOf(c), pageQuery(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"queue": q.Entries, "total": q.Total, "page": q.Page, "pages": q.Pages, "page_size": q.PageSize})
}

// applicationQuery reads the applicant search from the query string.
func applicationQuery(c *gin.Context) (recruitment.ApplicationQuery, error) {
	var q recruitment.ApplicationQuery
	if err := c.ShouldBindQuery(&q); err != nil {
		fe := models.FieldErrors{}
		fe.Add("filter", "查询条件有误，请重新选择")
		return recruitment.ApplicationQuery{Q: c.Query("q")}, fe.Err()
	}
	return q, nil
}

func (s *Server) pageApplications(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	a := actorOf(c)
	q, err := applicationQuery(c)
	if err == nil {
		var p *recruitment.ApplicationPage
		if p, err = s.rec.SearchApplications(c.Request.Context(), a, q); err == nil {
			s.render(c, http.StatusOK, "admin_applications", page{Title: "报名查询", Data: p, Flash: flash(c)})
			return
		}
	}
	p, lerr := s.rec.SearchApplications(c.Request.Context(), a, recruitment.ApplicationQuery{})
	if lerr != nil {
		s.fail(c, lerr)
		return
	}
	p.Query = q
	s.formFail(c, "admin_applications", page{Title: "报名查询", Data: p}, err)
}

func (s *Server) apiApplications(c *gin.Context) {
	q, err := applicationQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.rec.SearchApplications(c.Request.Context(), actorOf(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
