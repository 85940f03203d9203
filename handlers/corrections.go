package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/media"
	"auxportal/models"
)

// The routes that correct a decision: reopening a review verdict, the applicant's replacement
// evidence (补充材料), and reopening frozen scores (rule R-1).

func (s *Server) correctionRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.POST("/reviews/:id/reopen", s.apiReopenReview)
	api.POST("/reviews/:id/supplement", s.limit("apply"), s.apiSupplement)
	api.POST("/openings/:id/scoring/reopen", s.apiReopenScoring)

	r.POST("/admin/reviews/:id/reopen", s.pageReopenReview)
	r.POST("/me/reviews/:id/supplement", s.limit("apply"), s.pageSupplement)
	r.POST("/admin/openings/:id/scoring/reopen", s.pageReopenScoring)

	// A file the sanitising worker refused (需重新上传), uploaded again by its owner.
	api.POST("/files/:id/replacement", s.limit("apply"), s.apiReplaceFile)
	r.POST("/me/files/:id/replacement", s.limit("apply"), s.pageReplaceFile)
}

func (s *Server) apiReplaceFile(c *gin.Context) {
	b, err := readSupplement(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.rec.ReplaceFile(c.Request.Context(), actorOf(c), c.Param("id"), b)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) pageReplaceFile(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	s.pageFileForm(c, "replaced", func(b []byte) error {
		_, err := s.rec.ReplaceFile(c.Request.Context(), actorOf(c), c.Param("id"), b)
		return err
	})
}

// pageFileForm runs a form of the application page that sends one file (a supplement, a
// replacement): on success back to the application with flash, on failure the page again with
// the form's error.
func (s *Server) pageFileForm(c *gin.Context, flash string, send func([]byte) error) {
	appID, _ := strconv.ParseUint(c.PostForm("application_id"), 10, 64)
	b, err := readSupplement(c)
	if err == nil {
		err = send(b)
	}
	if err != nil {
		v, verr := s.rec.ApplicationFor(c.Request.Context(), actorOf(c), appID)
		if verr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "application", page{Title: "报名详情", Data: v}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/me/applications/%d", appID), flash)
}

func (s *Server) apiReopenReview(c *gin.Context) {
	var in reasonRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.ReopenReview(c.Request.Context(), actorOf(c), id, in.Reason)
	})
}

func (s *Server) apiReopenScoring(c *gin.Context) {
	var in reasonRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.ReopenScoring(c.Request.Context(), actorOf(c), id, in.Reason)
	})
}

// readSupplement reads the one file of a supplement form, field "file".
func readSupplement(c *gin.Context) ([]byte, error) {
	if !strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		return nil, models.Invalid("unsupported_media_type", "补充材料须以 multipart/form-data 提交")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, media.MaxBytes+64<<10)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fieldErrOf("file", media.ErrTooLarge.Error())
		}
		return nil, badRequest("表单格式有误")
	}
	if err := checkUTF8(c.Request.MultipartForm.Value); err != nil {
		return nil, err
	}
	fhs := c.Request.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return nil, nil // the service names the missing file
	}
	b, err := readPart(fhs[0])
	if err != nil {
		return nil, fieldErrOf("file", err.Error())
	}
	return b, nil
}

func fieldErrOf(field, msg string) error {
	fe := models.FieldErrors{}
	fe.Add(field, msg)
	return fe.Err()
}

func (s *Server) apiSupplement(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		b, err := readSupplement(c)
		if err != nil {
			return nil, err
		}
		return s.rec.Supplement(c.Request.Context(), actorOf(c), id, b)
	})
}

func (s *Server) pageReopenReview(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	appID, _ := strconv.ParseUint(c.PostForm("application_id"), 10, 64)
	if _, err := s.rec.ReopenReview(c.Request.Context(), actorOf(c), id, c.PostForm("reason")); err != nil {
		v, verr := s.rec.AdminApplication(c.Request.Context(), actorOf(c), appID)
		if verr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "admin_application", page{Title: "报名审核：" + v.Name, Data: v}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/applications/%d", appID), "reopened")
}

func (s *Server) pageSupplement(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	s.pageFileForm(c, "supplemented", func(b []byte) error {
		_, err := s.rec.Supplement(c.Request.Context(), actorOf(c), id, b)
		return err
	})
}

func (s *Server) pageReopenScoring(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_, err := s.rec.ReopenScoring(c.Request.Context(), actorOf(c), id, c.PostForm("reason"))
	s.rankingAction(c, id, "scoring_reopened", err)
}
