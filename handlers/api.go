package handlers

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
	"auxportal/recruitment"
)

// bindJSON decodes a JSON body strictly: unknown fields and trailing data are errors.
func bindJSON(c *gin.Context, dst any) error {
	if ct := c.ContentType(); ct != "application/json" {
		return models.Invalid("unsupported_media_type", "请求须为 JSON（Content-Type: application/json）")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	dec := jsonDecoder(c.Request.Body)
	if err := dec.Decode(dst); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return models.Invalid("too_large", "请求内容过大")
		}
		return badRequest("请求格式有误：" + jsonErrorText(err))
	}
	if dec.More() {
		return badRequest("请求格式有误：JSON 之后还有多余内容")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("请求格式有误：JSON 之后还有多余内容")
	}
	return nil
}

func (s *Server) apiRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.GET("/healthz", s.healthz)
	api.POST("/session", s.limit("login"), s.apiLogin)
	api.DELETE("/session", s.apiLogout)
	api.GET("/me", s.apiMe)
	api.POST("/applicants", s.limit("register"), s.apiRegister)

	api.GET("/towns", s.apiTowns)
	api.GET("/openings", s.apiPublicOpenings)
	api.GET("/openings/:id", s.apiPublicOpening)
	api.POST("/openings/:id/eligibility", s.limit("eligibility"), s.apiEligibility)
	api.POST("/openings/:id/applications", s.limit("apply"), s.apiApply)
	api.GET("/me/applications", s.apiMyApplications)
	api.GET("/applications/:id", s.apiApplication)
	api.POST("/applications/:id/withdraw", s.apiWithdraw)

	// Admin (district or town; the services check the scope).
	api.GET("/dashboard", s.apiDashboard)
	api.PUT("/towns/:id/existing-staff", s.apiSetExistingStaff)
	api.GET("/base-conditions", s.apiBaseConditions)
	api.PUT("/base-conditions", s.apiSetBaseConditions)
	api.GET("/admin/openings", s.apiAdminOpenings)
	api.POST("/openings", s.apiCreateOpening)
	api.GET("/admin/openings/:id", s.apiAdminOpening)
	api.PUT("/openings/:id", s.apiUpdateOpening)
	api.POST("/openings/:id/publish", s.apiPublish)
	api.POST("/openings/:id/extend", s.apiExtend)
	api.GET("/openings/:id/applications", s.apiOpeningApplications)
	api.GET("/admin/applications/:id", s.apiAdminApplication)
	api.GET("/reviews", s.apiReviewQueue)
	api.POST("/reviews/:id/decision", s.apiDecide)
	api.PUT("/openings/:id/scores", s.apiSetScores)
	api.GET("/openings/:id/ranking", s.apiRanking)
	api.GET("/openings/:id/ranking.xlsx", s.xlsxByID(s.rec.RankingXLSX))
	api.GET("/openings/:id/filing.xlsx", s.xlsxByID(s.rec.OpeningFilingXLSX))
	api.GET("/openings/:id/roster.xlsx", s.xlsxByID(s.rec.RosterXLSX))
	api.POST("/openings/:id/proposals", s.apiPropose)
	api.POST("/applications/:id/dropout", s.apiDropOut)
	api.GET("/towns/:id/filing.xlsx", s.xlsxByID(s.rec.FilingXLSX))
	api.GET("/proposed-hires", s.apiProposedHires)
	api.GET("/users", s.apiUsers)
	api.POST("/users", s.apiCreateUser)
	api.POST("/users/:id/disable", s.apiSetDisabled(true))
	api.POST("/users/:id/enable", s.apiSetDisabled(false))
	api.GET("/audit", s.apiAudit)
}

func (s *Server) healthz(c *gin.Context) {
	if s.ping != nil {
		if err := s.ping(c.Request); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unreachable"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(c *gin.Context) {
	var in loginRequest
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	signIn, err := s.acc.Login(c.Request.Context(), in.Username, in.Password,
		s.clientInfo(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.setSession(c, signIn)
	c.JSON(http.StatusOK, meOf(signIn.Actor))
}

func (s *Server) apiLogout(c *gin.Context) {
	tok, _ := c.Cookie(sessionCookie)
	if err := s.acc.Logout(c.Request.Context(), tok); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSession(c)
	c.Status(http.StatusNoContent)
}

type me struct {
	ID       uint64  `json:"id"`
	Username string  `json:"username"`
	Name     string  `json:"name"`
	Role     string  `json:"role"`
	TownID   *uint64 `json:"town_id,omitempty"`
}

func meOf(a models.Actor) me {
	return me{ID: a.UserID, Username: a.Username, Name: a.Name, Role: a.Role, TownID: a.TownID}
}

func (s *Server) apiMe(c *gin.Context) {
	a := actorOf(c)
	if a.Anonymous() {
		s.fail(c, models.E(models.ErrUnauthenticated, "login_required", "请先登录"))
		return
	}
	c.JSON(http.StatusOK, meOf(a))
}

func (s *Server) apiRegister(c *gin.Context) {
	var in accounts.RegisterInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.acc.Register(c.Request.Context(), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": u.ID, "username": u.Username})
}

func (s *Server) apiTowns(c *gin.Context) {
	ts, err := s.rec.AllTowns(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	type town struct {
		ID      uint64 `json:"id"`
		Name    string `json:"name"`
		Minimum int    `json:"minimum"`
	}
	out := make([]town, len(ts))
	for i, t := range ts {
		out[i] = town{t.ID, t.Name, t.Minimum}
	}
	c.JSON(http.StatusOK, gin.H{"towns": out})
}

func (s *Server) apiPublicOpenings(c *gin.Context) {
	os, err := s.rec.PublicOpenings(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"openings": os})
}

// withID runs fn with the numeric path parameter "id".
func (s *Server) withID(c *gin.Context, fn func(id uint64) (any, error)) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := fn(id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) apiPublicOpening(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.PublicOpening(c.Request.Context(), id) })
}

func (s *Server) apiEligibility(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	var f recruitment.ApplicationForm
	if err := bindJSON(c, &f); err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.rec.CheckEligibility(c.Request.Context(), id, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// apiApply takes a multipart form: the ApplicationForm fields by their JSON names (booleans as
// true/false, 1/0 or on) and the files by kind (photo, diploma, veteran, …).
func (s *Server) apiApply(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	f, files, err := readApplication(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.rec.Apply(c.Request.Context(), actorOf(c), id, f, files)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiMyApplications(c *gin.Context) {
	as, err := s.rec.MyApplications(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"applications": as})
}

func (s *Server) apiApplication(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.ApplicationFor(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiWithdraw(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		if err := s.rec.Withdraw(c.Request.Context(), actorOf(c), id); err != nil {
			return nil, err
		}
		return s.rec.ApplicationFor(c.Request.Context(), actorOf(c), id)
	})
}

func (s *Server) apiDashboard(c *gin.Context) {
	d, err := s.rec.Dashboard(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

type existingStaffRequest struct {
	ExistingStaff int    `json:"existing_staff"`
	Reason        string `json:"reason"`
}

func (s *Server) apiSetExistingStaff(c *gin.Context) {
	var in existingStaffRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		if err := s.rec.SetExistingStaff(c.Request.Context(), actorOf(c), id, in.ExistingStaff, in.Reason); err != nil {
			return nil, err
		}
		return s.rec.Dashboard(c.Request.Context(), actorOf(c))
	})
}

func (s *Server) apiBaseConditions(c *gin.Context) {
	if a := actorOf(c); !a.IsAdmin() {
		s.fail(c, models.Deny(a, "只有管理员可以查看基本条件设置"))
		return
	}
	b, err := s.rec.BaseConditions(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

type baseConditionsRequest struct {
	Conditions recruitment.ConditionsInput `json:"conditions"`
	Reason     string                      `json:"reason"`
}

func (s *Server) apiSetBaseConditions(c *gin.Context) {
	var in baseConditionsRequest
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	b, err := s.rec.SetBaseConditions(c.Request.Context(), actorOf(c), in.Conditions, in.Reason)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

func (s *Server) apiAdminOpenings(c *gin.Context) {
	os, err := s.rec.AdminOpenings(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"openings": os})
}

func (s *Server) apiCreateOpening(c *gin.Context) {
	var in recruitment.OpeningInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.rec.CreateOpening(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (s *Server) apiAdminOpening(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.AdminOpening(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiUpdateOpening(c *gin.Context) {
	var in recruitment.OpeningInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.UpdateDraft(c.Request.Context(), actorOf(c), id, in)
	})
}

func (s *Server) apiPublish(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.Publish(c.Request.Context(), actorOf(c), id) })
}

type extendRequest struct {
	ClosesAt string `json:"closes_at"`
	Reason   string `json:"reason"`
}

func (s *Server) apiExtend(c *gin.Context) {
	var in extendRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.ExtendDeadline(c.Request.Context(), actorOf(c), id, in.ClosesAt, in.Reason)
	})
}

func (s *Server) apiOpeningApplications(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) {
		as, err := s.rec.OpeningApplications(c.Request.Context(), actorOf(c), id)
		return gin.H{"applications": as}, err
	})
}

func (s *Server) apiAdminApplication(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.AdminApplication(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiReviewQueue(c *gin.Context) {
	q, err := s.rec.ReviewQueue(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"queue": q})
}

func (s *Server) apiDecide(c *gin.Context) {
	var in recruitment.Decision
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.Decide(c.Request.Context(), actorOf(c), id, in)
	})
}

type scoresRequest struct {
	Scores []recruitment.ScoreInput `json:"scores"`
}

func (s *Server) apiSetScores(c *gin.Context) {
	var in scoresRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		if err := s.rec.SetScores(c.Request.Context(), actorOf(c), id, in.Scores); err != nil {
			return nil, err
		}
		return s.rec.Ranking(c.Request.Context(), actorOf(c), id)
	})
}

func (s *Server) apiRanking(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.Ranking(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiPropose(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.Propose(c.Request.Context(), actorOf(c), id) })
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiDropOut(c *gin.Context) {
	var in reasonRequest
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.DropOut(c.Request.Context(), actorOf(c), id, in.Reason)
	})
}

func (s *Server) apiProposedHires(c *gin.Context) {
	hs, err := s.rec.ProposedHires(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"proposed": hs})
}

type userView struct {
	ID       uint64  `json:"id"`
	Username string  `json:"username"`
	Name     string  `json:"name"`
	Role     string  `json:"role"`
	TownID   *uint64 `json:"town_id,omitempty"`
	Disabled bool    `json:"disabled"`
}

func (s *Server) apiUsers(c *gin.Context) {
	us, err := s.acc.ListStaff(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]userView, len(us))
	for i, u := range us {
		out[i] = userView{u.ID, u.Username, u.DisplayName, u.Role, u.TownID, u.Disabled}
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

func (s *Server) apiCreateUser(c *gin.Context) {
	var in accounts.StaffInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.acc.CreateStaff(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, userView{u.ID, u.Username, u.DisplayName, u.Role, u.TownID, u.Disabled})
}

func (s *Server) apiSetDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		s.withID(c, func(id uint64) (any, error) {
			if err := s.acc.SetDisabled(c.Request.Context(), actorOf(c), id, disabled); err != nil {
				return nil, err
			}
			return gin.H{"id": id, "disabled": disabled}, nil
		})
	}
}

func sendXLSX(c *gin.Context, b []byte, name string) {
	sendFile(c, b, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
}
