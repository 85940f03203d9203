package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// The steps after ranking: the opening's settings, 体检 and 考察 results, the 拟录用人员公示 (the
// public page and the admin's), objections and their outcome, and the district's working-day
// calendar. Every rule is in package recruitment; every page works without JavaScript.

func (s *Server) publicityRoutes(r *gin.Engine) {
	api := r.Group("/api/v1")
	api.GET("/openings/:id/publicity", s.apiPublicPublicity)
	api.GET("/openings/:id/after-ranking", s.apiAfterRanking)
	api.PUT("/openings/:id/after-ranking", s.apiSetAfterRanking)
	api.POST("/openings/:id/publicity", s.apiStartPublicity)
	api.POST("/applications/:id/steps", s.apiRecordStep)
	api.POST("/applications/:id/objections", s.apiRecordObjection)
	api.POST("/objections/:id/decision", s.apiDecideObjection)
	api.GET("/calendar/:year", s.apiCalendar)
	api.PUT("/calendar/:year", s.apiSetCalendar)

	r.GET("/openings/:id/publicity", getPage(s, "publicity", open, "拟录用人员公示",
		byID(func(c context.Context, _ models.Actor, id uint64) (*recruitment.PublicNotice, error) {
			return s.rec.PublicPublicity(c, id)
		})))
	r.GET("/admin/openings/:id/after-ranking", s.pageAfterRanking)
	r.POST("/admin/openings/:id/after-ranking", s.pageSetAfterRanking)
	r.POST("/admin/openings/:id/publicity", s.pageStartPublicity)
	r.POST("/admin/applications/:id/steps", s.pageRecordStep)
	r.POST("/admin/applications/:id/objections", s.pageRecordObjection)
	r.POST("/admin/objections/:id/decision", s.pageDecideObjection)
	r.GET("/admin/calendar", s.pageCalendar)
	r.POST("/admin/calendar", s.pageSetCalendar)
}

var afterRankingFlashes = map[string]string{
	"settings":  "公示与后续环节设置已保存，已记入操作日志。",
	"started":   "拟录用人员公示已开始，公示页面已对外公开，本人已收到通知。",
	"step":      "结果已登记，本人已收到通知。",
	"objection": "异议已登记；核查结论登记前，该拟录用人员暂不能参加岗前培训。",
	"decided":   "异议处理结果已登记，本人已收到通知。",
	"calendar":  "节假日安排已保存，已记入操作日志。",
}

func afterRankingFlash(c *gin.Context) string {
	if m, ok := afterRankingFlashes[c.Query("ok")]; ok {
		return m
	}
	return flash(c)
}

// ---- API ----

func (s *Server) apiPublicPublicity(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.PublicPublicity(c.Request.Context(), id) })
}

func (s *Server) apiAfterRanking(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.AfterRanking(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiSetAfterRanking(c *gin.Context) {
	var in recruitment.AfterRankingInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.SetAfterRanking(c.Request.Context(), actorOf(c), id, in)
	})
}

func (s *Server) apiStartPublicity(c *gin.Context) {
	s.withID(c, func(id uint64) (any, error) { return s.rec.StartPublicity(c.Request.Context(), actorOf(c), id) })
}

func (s *Server) apiRecordStep(c *gin.Context) {
	var in recruitment.StepInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.RecordStep(c.Request.Context(), actorOf(c), id, in)
	})
}

func (s *Server) apiRecordObjection(c *gin.Context) {
	var in recruitment.ObjectionInput
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.RecordObjection(c.Request.Context(), actorOf(c), id, in)
	})
}

func (s *Server) apiDecideObjection(c *gin.Context) {
	var in recruitment.ObjectionDecision
	s.withID(c, func(id uint64) (any, error) {
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.rec.DecideObjection(c.Request.Context(), actorOf(c), id, in)
	})
}

// yearParam reads a year from the path or the query; a bad one is a field error.
func yearParam(raw string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || y < 1 {
		return 0, fieldErrOf("year", "年份须为四位数字，例如 2026")
	}
	return y, nil
}

func (s *Server) apiCalendar(c *gin.Context) {
	y, err := yearParam(c.Param("year"))
	if err == nil {
		var v *recruitment.CalendarView
		if v, err = s.rec.Calendar(c.Request.Context(), actorOf(c), y); err == nil {
			c.JSON(http.StatusOK, v)
			return
		}
	}
	s.fail(c, err)
}

func (s *Server) apiSetCalendar(c *gin.Context) {
	var in recruitment.CalendarInput
	y, err := yearParam(c.Param("year"))
	if err == nil {
		err = bindJSON(c, &in)
	}
	if err == nil {
		var v *recruitment.CalendarView
		if v, err = s.rec.SetCalendar(c.Request.Context(), actorOf(c), y, in); err == nil {
			c.JSON(http.StatusOK, v)
			return
		}
	}
	s.fail(c, err)
}

// ---- Pages ----

// afterRankingPage is the admin's page of the steps after ranking.
type afterRankingPage struct {
	*recruitment.AfterRankingView
	// Open is the form the last POST came from ("objection_12"), so an error shows beside it.
	Open string
}

func (s *Server) pageAfterRanking(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	v, err := s.rec.AfterRanking(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_after_ranking", page{Title: "公示与后续环节", Data: afterRankingPage{AfterRankingView: v}, Flash: afterRankingFlash(c)})
}

// afterRankingAction returns to the opening's page after a POST, or re-renders it with the
// error beside the form it came from.
func (s *Server) afterRankingAction(c *gin.Context, openingID uint64, form, msg string, err error) {
	if err != nil {
		v, verr := s.rec.AfterRanking(c.Request.Context(), actorOf(c), openingID)
		if verr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "admin_after_ranking", page{Title: "公示与后续环节", Data: afterRankingPage{AfterRankingView: v, Open: form},
			Form: c.Request.PostForm}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/openings/%d/after-ranking", openingID), msg)
}

// openingOfForm is the opening a form about an application came from (a hidden field): only
// where to return to; the service checks the application itself.
func openingOfForm(c *gin.Context) uint64 {
	id, _ := strconv.ParseUint(c.PostForm("opening_id"), 10, 64)
	return id
}

func (s *Server) pageSetAfterRanking(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	days, err := strconv.Atoi(strings.TrimSpace(c.PostForm("publicity_days")))
	if err != nil {
		days = -1 // refused by the service with its message
	}
	_, err = s.rec.SetAfterRanking(c.Request.Context(), actorOf(c), id, recruitment.AfterRankingInput{
		PublicityDays: days, MedicalCheck: c.PostForm("medical_check") != "", Vetting: c.PostForm("vetting") != "",
		SupervisionPhone: c.PostForm("supervision_phone"), SupervisionAddress: c.PostForm("supervision_address")})
	s.afterRankingAction(c, id, "settings", "settings", err)
}

func (s *Server) pageStartPublicity(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_, err := s.rec.StartPublicity(c.Request.Context(), actorOf(c), id)
	s.afterRankingAction(c, id, "start", "started", err)
}

func (s *Server) pageRecordStep(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	in := recruitment.StepInput{Step: c.PostForm("step"), Result: c.PostForm("result"), On: c.PostForm("on"), Note: c.PostForm("note")}
	_, err := s.rec.RecordStep(c.Request.Context(), actorOf(c), id, in)
	s.afterRankingAction(c, openingOfForm(c), fmt.Sprintf("step_%d_%s", id, in.Step), "step", err)
}

func (s *Server) pageRecordObjection(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_, err := s.rec.RecordObjection(c.Request.Context(), actorOf(c), id, recruitment.ObjectionInput{
		Objector: c.PostForm("objector"), Content: c.PostForm("content"), ReceivedOn: c.PostForm("received_on")})
	s.afterRankingAction(c, openingOfForm(c), fmt.Sprintf("objection_%d", id), "objection", err)
}

func (s *Server) pageDecideObjection(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_, err := s.rec.DecideObjection(c.Request.Context(), actorOf(c), id, recruitment.ObjectionDecision{
		Outcome: c.PostForm("outcome"), Reason: c.PostForm("reason")})
	s.afterRankingAction(c, openingOfForm(c), fmt.Sprintf("decision_%d", id), "decided", err)
}

// calendarPage is the calendar page: the year shown and the years to switch to.
type calendarPage struct {
	*recruitment.CalendarView
	Years []int
}

func (s *Server) calendarPageOf(c *gin.Context, year int) (calendarPage, error) {
	v, err := s.rec.Calendar(c.Request.Context(), actorOf(c), year)
	if err != nil {
		return calendarPage{}, err
	}
	this := screening.DateOf(clock.InChina(s.clock.Now())).Year
	return calendarPage{CalendarView: v, Years: []int{this - 1, this, this + 1}}, nil
}

func (s *Server) pageCalendar(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	year := screening.DateOf(clock.InChina(s.clock.Now())).Year
	if q := c.Query("year"); q != "" {
		y, err := yearParam(q)
		if err != nil {
			s.fail(c, err)
			return
		}
		year = y
	}
	p, err := s.calendarPageOf(c, year)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_calendar", page{Title: "节假日与调休", Data: p, Flash: afterRankingFlash(c)})
}

func (s *Server) pageSetCalendar(c *gin.Context) {
	if actorOf(c).Anonymous() {
		s.fail(c, models.E(models.ErrUnauthenticated, "login_required", "请先登录"))
		return
	}
	year, err := yearParam(c.PostForm("year"))
	if err == nil {
		_, err = s.rec.SetCalendar(c.Request.Context(), actorOf(c), year, recruitment.CalendarInput{
			Holidays: c.PostForm("holidays"), Workdays: c.PostForm("workdays")})
	}
	if err != nil {
		p, perr := s.calendarPageOf(c, year)
		if perr != nil {
			s.fail(c, err)
			return
		}
		// Refill the lists as typed, so a refused line can be corrected in place.
		p.Holidays, p.Workdays = c.PostForm("holidays"), c.PostForm("workdays")
		s.formFail(c, "admin_calendar", page{Title: "节假日与调休", Data: p}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/calendar?year=%d", year), "calendar")
}
