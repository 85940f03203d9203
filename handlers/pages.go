package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/static"
)

func (s *Server) routes(r *gin.Engine) {
	r.StaticFS("/static", http.FS(static.FS))
	r.GET("/healthz", s.healthz)
	s.apiRoutes(r)
	s.correctionRoutes(r)
	s.publicityRoutes(r)
	s.examAPIRoutes(r)
	s.candidateExamPages(r)
	s.noticeAPIRoutes(r)
	s.noticePages(r)
	s.accountAPIRoutes(r)
	s.accountPages(r)

	r.GET("/", getPage(s, "home", open, "招聘岗位",
		func(c *gin.Context, _ models.Actor) (*recruitment.Board, error) {
			town, err := optionalID(c.Query("town"), "town", "区镇")
			if err != nil {
				return nil, err
			}
			return s.rec.PublicBoard(c.Request.Context(), town)
		}))
	r.GET("/openings/:id", getPage(s, "opening", open, "招聘岗位",
		byID(func(ctx context.Context, _ models.Actor, id uint64) (*recruitment.OpeningView, error) {
			return s.rec.PublicOpening(ctx, id)
		})))
	r.GET("/openings/:id/apply", s.pageApplyForm)
	r.POST("/openings/:id/apply", s.limit("apply"), s.pageApply)
	r.GET("/login", s.pageLoginForm)
	r.POST("/login", s.limit("login"), s.pageLogin)
	r.POST("/logout", s.pageLogout)
	r.GET("/me", s.pageMyApplications)
	r.GET("/me/applications/:id", getPage(s, "application", s.requireLogin, "报名详情",
		byID(s.rec.ApplicationFor)))
	r.POST("/me/applications/:id/withdraw", s.pageWithdraw)
	r.GET("/files/:id", s.file)
	r.GET("/me/staged/:id", s.stagedFile)

	r.GET("/admin", s.pageDashboard)
	r.POST("/admin/staff", s.pageSetExistingStaff)
	r.GET("/admin/base-conditions", s.pageBaseConditions)
	r.POST("/admin/base-conditions", s.pageSetBaseConditions)
	r.GET("/admin/openings", getPage(s, "admin_openings", s.requireAdmin, "招聘岗位管理", actorOnly(s.rec.AdminOpenings)))
	r.GET("/admin/openings/new", s.pageNewOpening)
	r.POST("/admin/openings/new", s.pageCreateOpening)
	r.GET("/admin/openings/:id", s.pageAdminOpening)
	r.GET("/admin/openings/:id/edit", s.pageEditOpening)
	r.POST("/admin/openings/:id/edit", s.pageUpdateOpening)
	r.POST("/admin/openings/:id/publish", s.pagePublish)
	r.POST("/admin/openings/:id/extend", s.pageExtend)
	r.GET("/admin/openings/:id/ranking", getPage(s, "admin_ranking", s.requireAdmin, "成绩与排名", byID(s.rec.Ranking)))
	r.POST("/admin/openings/:id/scores", s.pageSetScores)
	r.POST("/admin/openings/:id/propose", s.pagePropose)
	r.GET("/admin/openings/:id/ranking.xlsx", s.xlsxByID(s.rec.RankingXLSX))
	r.GET("/admin/openings/:id/filing.xlsx", s.xlsxByID(s.rec.OpeningFilingXLSX))
	r.GET("/admin/openings/:id/roster.xlsx", s.xlsxByID(s.rec.RosterXLSX))
	r.GET("/admin/applications/:id", getPage(s, "admin_application", s.requireAdmin,
		"报名审核", byID(s.rec.AdminApplication)))
	r.POST("/admin/reviews/:id", s.pageDecide)
	r.POST("/admin/applications/:id/dropout", s.pageDropOut)
	r.GET("/admin/review", s.pageReviewQueue)
	r.GET("/admin/applications", s.pageApplications)
	r.GET("/admin/towns/:id/filing.xlsx", s.xlsxByID(s.rec.FilingXLSX))
	r.GET("/admin/users", s.pageUsers)
	r.POST("/admin/users", s.pageCreateUser)
	r.POST("/admin/users/:id/disable", s.pageSetDisabled(true))
	r.POST("/admin/users/:id/enable", s.pageSetDisabled(false))
	r.GET("/admin/audit", s.pageAudit)
	s.trainerExamPages(r)
	s.permitAPIRoutes(r)
	s.permitPages(r)
	s.appFormRoutes(r)
}

// getPage serves a page that one service call fills: pass the gate, load, render.
func getPage[T any](s *Server, tmpl string, gate func(*gin.Context) bool, title string,
	load func(*gin.Context, models.Actor) (T, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !gate(c) {
			return
		}
		v, err := load(c, actorOf(c))
		if err != nil {
			s.fail(c, err)
			return
		}
		s.render(c, http.StatusOK, tmpl, page{Title: title, Data: v, Flash: flash(c)})
	}
}

// open is the gate of public pages.
func open(*gin.Context) bool { return true }

// byID adapts a service call on the path's numeric "id".
func byID[T any](fn func(context.Context, models.Actor, uint64) (T, error)) func(*gin.Context, models.Actor) (T, error) {
	return func(c *gin.Context, a models.Actor) (T, error) {
		id, err := idParam(c, "id")
		if err != nil {
			var zero T
			return zero, err
		}
		return fn(c.Request.Context(), a, id)
	}
}

// actorOnly adapts a service call that needs only the actor.
func actorOnly[T any](fn func(context.Context, models.Actor) (T, error)) func(*gin.Context, models.Actor) (T, error) {
	return func(c *gin.Context, a models.Actor) (T, error) { return fn(c.Request.Context(), a) }
}

// formFail re-renders a form with the error's messages when it is the user's to fix, and
// hands anything else to fail.
func (s *Server) formFail(c *gin.Context, name string, p page, err error) {
	status := statusOf(err)
	e, ok := models.AsError(err)
	if !ok || status == http.StatusInternalServerError || status == http.StatusUnauthorized || status == http.StatusNotFound {
		s.fail(c, err)
		return
	}
	p.Error, p.Errors = e.Message, e.Fields
	s.render(c, status, name, p)
}

// requireLogin sends an anonymous visitor to the login page and reports false.
func (s *Server) requireLogin(c *gin.Context) bool {
	if actorOf(c).Anonymous() {
		s.fail(c, models.E(models.ErrUnauthenticated, "login_required", "请先登录"))
		return false
	}
	return true
}

// seeOther redirects after a successful POST, with a fixed message key for the next page.
func seeOther(c *gin.Context, to, msg string) {
	if msg != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + msg
	}
	c.Redirect(http.StatusSeeOther, to)
}

// flashes are the success messages a redirect may ask for; the query names one, never the text.
var flashes = map[string]string{
	"applied":          "报名已提交。请留意本页显示的资格审查结果。",
	"already_applied":  "您已提交过该岗位的报名，无需重复提交；结果见下表。",
	"withdrawn":        "报名已撤回。报名截止前可以重新报名。",
	"created":          "已保存。",
	"published":        "岗位已发布，招聘条件已冻结。",
	"extended":         "报名截止日期已延长，已记入操作日志。",
	"decided":          "复核结论已保存，申请人可在报名详情中看到。",
	"scored":           "成绩已保存，排名已更新。",
	"proposed":         "已确定拟录用人员。",
	"dropout":          "已登记放弃，并按排名递补。",
	"user":             "账号已创建。",
	"staff":            "在岗人数已更新。",
	"base":             "基本条件已更新；已发布岗位不受影响。",
	"disabled":         "账号已停用，其登录已全部失效。",
	"enabled":          "账号已启用。",
	"registered":       "注册成功，已自动登录。",
	"handed_in":        "已交卷。请记下本页的回执码，成绩发布后可在此查看。",
	"answers_saved":    "答案已保存。",
	"reopened":         "复核结论已撤回，该事项重新进入复核，申请人可看到原因。",
	"supplemented":     "补充材料已提交，等待重新复核。",
	"replaced":         "文件已重新上传，正在进行安全处理，处理完成后本页显示“已上传”。",
	"scoring_reopened": "已重新开放成绩录入，原拟录用已撤销并通知本人；更正成绩后请重新确定拟录用人员。",
	"read_all":         "全部通知已标为已读。",
	"settings":         "账号设置已保存。",
	"retried":          "已安排立即重试，稍后可刷新本页查看结果。",
	"code_sent":        "验证码已发送，10 分钟内有效。如该号码已注册，将收到提醒短信而非验证码，请直接登录或找回密码。",
	"reset_code_sent":  "如该账号已注册并绑定了手机号或已验证的邮箱，验证码已发送，10 分钟内有效。工作人员账号未绑定邮箱的，请联系区城管局管理员重置密码。",
	"password_reset":   "密码已重置，请用新密码登录。",
	"password_changed": "密码已修改，其他设备上的登录已退出。",
	"email_code":       "验证码已发送到该邮箱，请在下方填写以完成验证。",
	"email_verified":   "邮箱已验证。忘记密码时，验证码也会发送到该邮箱。",
}

func flash(c *gin.Context) string { return flashes[c.Query("ok")] }

type applyPage struct {
	Opening *recruitment.OpeningView
	// Staged are the files already received for this form, by kind.
	Staged map[string]recruitment.StagedFile
	// Preview is the confirmation step's judgement, nil on the form itself.
	Preview *recruitment.Preview
}

// applyOpening loads the opening of the application form for a signed-in visitor; it reports
// false when it has answered the request itself.
func (s *Server) applyOpening(c *gin.Context) (*recruitment.OpeningView, bool) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if !s.requireLogin(c) {
		return nil, false
	}
	o, err := s.rec.PublicOpening(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return o, true
}

func (s *Server) pageApplyForm(c *gin.Context) {
	o, ok := s.applyOpening(c)
	if !ok {
		return
	}
	p := page{Title: "报名：" + o.Title, Data: applyPage{Opening: o}, Flash: flash(c),
		Form: recruitment.ApplicationForm{Name: actorOf(c).Name}}
	if err := s.withStaged(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "apply", p)
}

func (s *Server) pageApply(c *gin.Context) {
	o, ok := s.applyOpening(c)
	if !ok {
		return
	}
	ctx, actor := c.Request.Context(), actorOf(c)
	p := page{Title: "报名：" + o.Title, Data: applyPage{Opening: o}}
	f, files, readErr := readApplication(c)
	p.Form = f
	// The files that arrived are kept for the account whatever else is wrong with the round,
	// so the next one need not send them again (a bad one is named and the older one kept).
	stageErr := s.rec.StageFiles(ctx, actor, o.ID, files)
	if err := s.withStaged(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	if err := mergeFormErrors(readErr, stageErr); err != nil && !isFieldError(err) {
		s.formFail(c, "apply", p, err)
		return
	}
	switch applyStep(c) {
	case stepEdit:
		s.render(c, http.StatusOK, "apply", p)
		return
	case stepSubmit:
		if err := mergeFormErrors(readErr, stageErr); err != nil {
			s.formFail(c, "apply", p, err)
			return
		}
		// A second tap of the final button (or the form sent again) after the first was filed:
		// the files went with the first, so the account's own application is the answer.
		if done, err := s.rec.HasApplied(ctx, actor, o.ID); err != nil {
			s.fail(c, err)
			return
		} else if done {
			seeOther(c, "/me", "already_applied")
			return
		}
		v, err := s.rec.Apply(ctx, actor, o.ID, f, nil)
		if err != nil {
			s.formFail(c, "apply", p, err)
			return
		}
		seeOther(c, "/me/applications/"+strconv.FormatUint(v.ID, 10), "applied")
		return
	}
	prev, err := s.rec.PreviewApplication(ctx, actor, o.ID, f)
	if err := mergeFormErrors(readErr, stageErr, err); err != nil {
		s.formFail(c, "apply", p, err)
		return
	}
	ap := p.Data.(applyPage)
	ap.Preview = prev
	p.Data, p.Title = ap, "确认报名信息："+o.Title
	s.render(c, http.StatusOK, "apply_confirm", p)
}

type loginPage struct {
	Next string
}

func (s *Server) pageLoginForm(c *gin.Context) {
	s.render(c, http.StatusOK, "login", page{Title: "登录", Data: loginPage{Next: safeNext(c.Query("next"))}, Flash: flash(c)})
}

func homeOf(a models.Actor) string {
	switch a.Role {
	case models.RoleDistrictAdmin, models.RoleTownAdmin:
		return "/admin"
	case models.RoleTrainer:
		return "/trainer"
	}
	return "/me"
}

func (s *Server) pageLogin(c *gin.Context) {
	next := safeNext(c.PostForm("next"))
	p := page{Title: "登录", Data: loginPage{Next: next}, Form: loginRequest{Username: c.PostForm("username")}}
	signIn, err := s.acc.Login(c.Request.Context(), c.PostForm("username"), c.PostForm("password"),
		s.clientInfo(c))
	if err != nil {
		if statusOf(err) == http.StatusUnauthorized {
			e, _ := models.AsError(err)
			p.Error = e.Message
			s.render(c, http.StatusUnauthorized, "login", p)
			return
		}
		s.formFail(c, "login", p, err)
		return
	}
	s.setSession(c, signIn)
	if next == "" {
		next = homeOf(signIn.Actor)
	}
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) pageLogout(c *gin.Context) {
	tok, _ := c.Cookie(sessionCookie)
	if err := s.acc.Logout(c.Request.Context(), tok); err != nil {
		s.fail(c, err)
		return
	}
	s.clearSession(c)
	c.Redirect(http.StatusSeeOther, "/")
}

func (s *Server) pageMyApplications(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	if a := actorOf(c); a.Role != models.RoleApplicant {
		c.Redirect(http.StatusSeeOther, homeOf(a))
		return
	}
	as, err := s.rec.MyApplications(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "my_applications", page{Title: "我的报名", Data: as, Flash: flash(c)})
}

func (s *Server) pageWithdraw(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	if err := s.rec.Withdraw(c.Request.Context(), actorOf(c), id); err != nil {
		s.fail(c, err)
		return
	}
	seeOther(c, "/me/applications/"+strconv.FormatUint(id, 10), "withdrawn")
}

// file serves an upload after the access check. The random id is not a secret by itself: a
// request without the right session is a 404.
func (s *Server) file(c *gin.Context) {
	u, err := s.rec.File(c.Request.Context(), actorOf(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	servePrivate(c, u.ContentType, u.Data)
}

// servePrivate sends a person's file: never cached, shown in the browser.
func servePrivate(c *gin.Context, contentType string, data []byte) {
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", "inline")
	c.Data(http.StatusOK, contentType, data)
}
