package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
)

// The exam API: a candidate's attempt, and the trainers' bank, blueprints, sittings, control
// room and grading. Every rule and check is in package training; these only bind and render.

func (s *Server) examAPIRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	// The candidate.
	api.GET("/me/exams", s.apiMyExams)
	api.GET("/exams/:id", s.apiExam)
	api.POST("/exams/:id/start", s.apiExamStart)
	api.POST("/exams/:id/saves", s.apiExamSaves)
	api.POST("/exams/:id/events", s.apiExamEvents)
	api.POST("/exams/:id/submit", s.apiExamSubmit)
	api.GET("/exams/:id/ticket.pdf", s.pdfTicket)

	// Trainers and the district.
	api.GET("/bank", s.apiBank)
	api.POST("/bank", s.apiCreateQuestion)
	api.GET("/bank/template.xlsx", s.xlsxBankTemplate)
	api.GET("/bank/export.xlsx", s.xlsxBankExport)
	api.POST("/bank/import", s.apiBankImport)
	api.GET("/bank/:id", s.apiQuestion)
	api.PUT("/bank/:id", s.apiUpdateQuestion)
	api.POST("/bank/:id/archive", s.apiArchiveQuestion)
	api.GET("/blueprints", s.apiBlueprints)
	api.POST("/blueprints", s.apiCreateBlueprint)
	api.GET("/blueprints/:id", s.apiBlueprint)
	api.PUT("/blueprints/:id", s.apiUpdateBlueprint)
	api.GET("/sittings", s.apiSittings)
	api.POST("/sittings", s.apiScheduleSitting)
	api.GET("/sittings/:id", s.apiSitting)
	api.GET("/sittings/:id/live", s.apiLive)
	api.POST("/sittings/:id/time", s.apiAddTime)
	api.GET("/sittings/:id/tickets.pdf", s.pdfTickets)
	api.POST("/sittings/:id/tickets/print", s.apiPrintTickets)
	api.GET("/sittings/:id/grading", s.apiGradingQueue)
	api.GET("/sittings/:id/grading/:version/next", s.apiNextToMark)
	api.POST("/sittings/:id/marks", s.apiMark)
	api.POST("/sittings/:id/key-fixes", s.apiFixKey)
	api.POST("/sittings/:id/publish", s.apiPublishResults)
	api.GET("/sittings/:id/stats", s.apiStats)
	api.PUT("/exam-candidates/:id/accommodation", s.apiAccommodation)
}

func (s *Server) apiMyExams(c *gin.Context) {
	es, err := s.exams.MyExams(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"exams": es})
}

func (s *Server) apiExam(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Exam(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiExamStart(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Start(c.Request.Context(), actorOf(c), id) })
}

type savesRequest struct {
	Saves []training.SaveInput `json:"saves"`
}

func (s *Server) apiExamSaves(c *gin.Context) {
	var in savesRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.Save(c.Request.Context(), actorOf(c), id, in.Saves)
	})
}

type eventsRequest struct {
	Events []training.EventInput `json:"events"`
}

func (s *Server) apiExamEvents(c *gin.Context) {
	var in eventsRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		if err := s.exams.RecordEvents(c.Request.Context(), actorOf(c), id, in.Events); err != nil {
			return nil, err
		}
		return gin.H{"recorded": len(in.Events)}, nil
	})
}

func (s *Server) apiExamSubmit(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.HandIn(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) pdfTicket(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	b, name, err := s.exams.TicketPDF(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, b, name, "application/pdf")
}

// apiPrintTickets queues a print run of a sitting's admission tickets (one PDF, or a .zip of
// one PDF per candidate); the answer is the job to follow at /api/v1/jobs/:id.
func (s *Server) apiPrintTickets(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var in training.TicketsInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	in.SittingID = id
	j, err := s.exams.PrintTickets(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, j)
}

func (s *Server) pdfTickets(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	b, name, err := s.exams.TicketsPDF(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, b, name, "application/pdf")
}

// sendFile answers with a download that no cache keeps. The name goes out twice (RFC 6266): as
// UTF-8 in filename* for every current browser, and with anything but plain ASCII letters,
// digits, dots and dashes turned into _ for the rest — never a quote or a control character a
// header could be broken with.
func sendFile(c *gin.Context, b []byte, name, contentType string) {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return r
		}
		return '_'
	}, name)
	c.Header("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, contentType, b)
}

// bankFilter reads the bank list's query.
func bankFilter(c *gin.Context) models.BankFilter {
	f := models.BankFilter{Category: strings.TrimSpace(c.Query("category")), Type: strings.TrimSpace(c.Query("type")),
		Archived: c.Query("archived") == "1" || c.Query("archived") == "true"}
	f.Difficulty, _ = strconv.Atoi(c.Query("difficulty"))
	f.Offset, _ = strconv.Atoi(c.Query("offset"))
	f.Limit, _ = strconv.Atoi(c.Query("limit"))
	if f.Offset < 0 {
		f.Offset = 0
	}
	return f
}

func (s *Server) apiBank(c *gin.Context) {
	p, err := s.exams.Bank(c.Request.Context(), actorOf(c), bankFilter(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) apiCreateQuestion(c *gin.Context) {
	var in exams.Question
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.exams.CreateQuestion(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiQuestion(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Question(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiUpdateQuestion(c *gin.Context) {
	var in exams.Question
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.UpdateQuestion(c.Request.Context(), actorOf(c), id, in)
	})
}

type archiveRequest struct {
	Archived bool `json:"archived"`
}

func (s *Server) apiArchiveQuestion(c *gin.Context) {
	var in archiveRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.ArchiveQuestion(c.Request.Context(), actorOf(c), id, in.Archived)
	})
}

func (s *Server) xlsxBankTemplate(c *gin.Context) {
	var b bytes.Buffer
	if err := s.exams.BankTemplate(actorOf(c), &b); err != nil {
		s.fail(c, err)
		return
	}
	sendXLSX(c, b.Bytes(), "question-bank-template.xlsx")
}

func (s *Server) xlsxBankExport(c *gin.Context) {
	var b bytes.Buffer
	if err := s.exams.ExportBank(c.Request.Context(), actorOf(c), &b); err != nil {
		s.fail(c, err)
		return
	}
	sendXLSX(c, b.Bytes(), "question-bank.xlsx")
}

// readUpload reads the one file of a multipart form, field "file", up to limit bytes.
func readUpload(c *gin.Context, limit int64) ([]byte, error) {
	if !strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		return nil, models.Invalid("unsupported_media_type", "请以 multipart/form-data 上传文件")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit+64<<10)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fieldErrOf("file", "文件过大")
		}
		return nil, badRequest("表单格式有误")
	}
	if err := checkUTF8(c.Request.MultipartForm.Value); err != nil {
		return nil, err
	}
	fhs := c.Request.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return nil, fieldErrOf("file", "请选择要上传的文件")
	}
	f, err := fhs[0].Open()
	if err != nil {
		return nil, fieldErrOf("file", "无法读取上传的文件")
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		return nil, fieldErrOf("file", "无法读取上传的文件")
	}
	return b.Bytes(), nil
}

func (s *Server) apiBankImport(c *gin.Context) {
	b, err := readUpload(c, training.MaxImportBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.exams.ImportBank(c.Request.Context(), actorOf(c), bytes.NewReader(b))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

func (s *Server) apiBlueprints(c *gin.Context) {
	bs, err := s.exams.Blueprints(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"blueprints": bs})
}

func (s *Server) apiCreateBlueprint(c *gin.Context) {
	var in training.BlueprintInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.exams.CreateBlueprint(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiBlueprint(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Blueprint(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiUpdateBlueprint(c *gin.Context) {
	var in training.BlueprintInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.UpdateBlueprint(c.Request.Context(), actorOf(c), id, in)
	})
}

func (s *Server) apiSittings(c *gin.Context) {
	ss, err := s.exams.Sittings(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sittings": ss})
}

func (s *Server) apiScheduleSitting(c *gin.Context) {
	var in training.SittingInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.exams.ScheduleSitting(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiSitting(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Sitting(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiLive(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.Live(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiAddTime(c *gin.Context) {
	var in training.AddTimeInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.AddTime(c.Request.Context(), actorOf(c), id, in)
	})
}

type accommodationRequest struct {
	ExtraMinutes int    `json:"extra_minutes"`
	Reason       string `json:"reason"`
}

func (s *Server) apiAccommodation(c *gin.Context) {
	var in accommodationRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.exams.SetAccommodation(c.Request.Context(), actorOf(c), id, in.ExtraMinutes, in.Reason)
	})
}

func (s *Server) apiGradingQueue(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		q, err := s.exams.GradingQueue(c.Request.Context(), actorOf(c), id)
		return gin.H{"questions": q}, err
	})
}

func (s *Server) apiNextToMark(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		v, err := idParam(c, "version")
		if err != nil {
			return nil, err
		}
		task, err := s.exams.NextToMark(c.Request.Context(), actorOf(c), id, v)
		return gin.H{"task": task}, err
	})
}

func (s *Server) apiMark(c *gin.Context) {
	var in training.MarkInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		task, err := s.exams.Mark(c.Request.Context(), actorOf(c), id, in)
		return gin.H{"next": task}, err
	})
}

func (s *Server) apiFixKey(c *gin.Context) {
	var in training.KeyFixInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		ch, err := s.exams.FixKey(c.Request.Context(), actorOf(c), id, in)
		return gin.H{"changes": ch}, err
	})
}

func (s *Server) apiPublishResults(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.exams.PublishResults(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiStats(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		st, err := s.exams.Statistics(c.Request.Context(), actorOf(c), id)
		return gin.H{"items": st}, err
	})
}
