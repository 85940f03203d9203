package handlers

import "github.com/gin-gonic/gin"

// The printable 报名表: the applicant's own copy and the reviewer's copy of an application of
// their towns. Which copy an actor gets, and whether they get one, is package recruitment's.
func (s *Server) appFormRoutes(r *gin.Engine) {
	r.GET("/api/v1/applications/:id/form.pdf", s.pdfAppForm)
	r.GET("/me/applications/:id/form.pdf", s.pdfAppForm)
	r.GET("/admin/applications/:id/form.pdf", s.pdfAppForm)
}

func (s *Server) pdfAppForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	b, name, err := s.rec.ApplicationFormPDF(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, b, name, "application/pdf")
}
