package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/models"
	"auxportal/refresher"
)

// The work permits' JSON API (rule T-2) and the jobs that issue and print them; the public
// verification of a card's QR code. Every rule and check is in package permits.

func (s *Server) permitAPIRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.GET("/permits", s.apiPermits)
	api.GET("/permits/issuable", s.apiIssuable)
	api.POST("/permits/print", s.apiPrintPermits)
	api.GET("/permits/:id", s.apiPermit)
	api.GET("/permits/:id/card.pdf", s.pdfPermit)
	api.POST("/permits/:id/revoke", s.apiRevokePermit)
	api.POST("/permits/:id/reissue", s.apiReissuePermit)
	api.POST("/applications/:id/permit", s.apiIssuePermit)
	api.POST("/sittings/:id/permits", s.apiIssueSitting)
	api.GET("/me/permits", s.apiMyPermits)
	api.GET("/jobs/:id", s.apiJob)
	api.GET("/jobs/:id/result", s.jobResult)
	api.GET("/verify/:no", s.apiVerify)
	api.GET("/refresher/calendar", s.apiRefresherCalendar)
	api.GET("/me/refresher", s.apiMyRefresher)
}

func (s *Server) apiPermits(c *gin.Context) {
	var f permits.ListFilter
	if err := c.ShouldBindQuery(&f); err != nil {
		s.fail(c, models.Invalid("bad_request", "查询参数有误"))
		return
	}
	ps, err := s.permits.List(c.Request.Context(), actorOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"permits": ps})
}

func (s *Server) apiIssuable(c *gin.Context) {
	var q struct {
		Sitting uint64 `form:"sitting"`
	}
	if err := c.ShouldBindQuery(&q); err != nil {
		s.fail(c, models.Invalid("bad_request", "查询参数有误"))
		return
	}
	rows, err := s.permits.Issuable(c.Request.Context(), actorOf(c), q.Sitting)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"issuable": rows})
}

func (s *Server) apiPermit(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.permits.Get(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiIssuePermit(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.permits.Issue(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiRevokePermit(c *gin.Context) {
	var in reasonRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.permits.Revoke(c.Request.Context(), actorOf(c), id, in.Reason)
	})
}

func (s *Server) apiReissuePermit(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in permits.ReissueInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.permits.Reissue(c.Request.Context(), actorOf(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiIssueSitting(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.permits.IssueSitting(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, j)
}

func (s *Server) apiPrintPermits(c *gin.Context) {
	var in permits.PrintInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.permits.Print(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, j)
}

func (s *Server) apiMyPermits(c *gin.Context) {
	ps, err := s.permits.Mine(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"permits": ps})
}

func (s *Server) apiJob(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.jobs.Get(c.Request.Context(), actorOf(c), id) })
}

// jobResult serves a finished job's file (the API and the pages share it).
func (s *Server) jobResult(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := s.jobs.Result(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, f.Data, f.Name, f.Type)
}

// pdfPermit serves a permit's card as issued (the API and the pages share it).
func (s *Server) pdfPermit(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	b, name, err := s.permits.Download(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, b, name, "application/pdf")
}

// apiVerify is the verification as JSON, for inspectors' tools: public, like the page.
func (s *Server) apiVerify(c *gin.Context) {
	v, err := s.permits.Verify(c.Request.Context(), c.Param("no"), c.Query(certificates.SignatureParam))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) apiRefresherCalendar(c *gin.Context) {
	var f refresher.CalendarFilter
	if err := c.ShouldBindQuery(&f); err != nil {
		s.fail(c, models.Invalid("bad_request", "查询参数有误"))
		return
	}
	cal, err := s.cycle.Calendar(c.Request.Context(), actorOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cal)
}

func (s *Server) apiMyRefresher(c *gin.Context) {
	m, err := s.cycle.Mine(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]refresher.HolderView, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	c.JSON(http.StatusOK, gin.H{"refresher": out})
}
