package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/refresher"
)

// The work permits' pages (rule T-2): the staff's list with the hires waiting for theirs, one
// permit with its history, revoke and re-issue; a job's progress; the holder's own permits; the
// public verification page a card's QR code opens, and the public key. Every page works without
// JavaScript; every rule is in package permits.

func (s *Server) permitPages(r *gin.Engine) {
	r.GET("/admin/permits", s.pagePermits)
	r.POST("/admin/permits/print", s.pagePrintPermits)
	r.GET("/admin/permits/:id", s.pagePermit)
	r.GET("/admin/permits/:id/card.pdf", s.pdfPermit)
	r.POST("/admin/permits/:id/revoke", s.pageRevokePermit)
	r.POST("/admin/permits/:id/reissue", s.pageReissuePermit)
	r.POST("/admin/applications/:id/permit", s.pageIssuePermit)
	r.POST("/admin/permits/issue", s.pageIssueSitting)
	r.GET("/jobs/:id", s.pageJob)
	r.GET("/jobs/:id/result", s.jobResult)
	r.GET("/me/permits", s.pageMyPermits)
	r.GET("/admin/refresher", s.pageRefresher)
	r.GET("/me/permits/:id/card.pdf", s.pdfPermit)
	r.GET("/verify/key", s.pageVerifyKey)
	r.GET("/verify/key.pem", s.verifyKeyPEM)
	r.GET("/verify/:no", s.pageVerify)
	r.GET("/verify/:no/photo", s.verifyPhoto)
}

var permitFlashes = map[string]string{
	"issued":    "上岗证已颁发，持证人可在“我的上岗证”下载。",
	"revoked":   "上岗证已吊销，核验页面即时显示“已吊销”。",
	"reissued":  "已换发新证；原证号在核验页面显示“已换发”。",
	"job_added": "任务已开始，可离开本页，稍后在此查看进度。",
}

func permitFlash(c *gin.Context) string {
	if m, ok := permitFlashes[c.Query("ok")]; ok {
		return m
	}
	return flash(c)
}

// ---- The list ----

type permitsPage struct {
	CanIssue  bool
	CanPrint  bool
	Filter    permits.ListFilter
	Towns     []models.Town
	Statuses  []option
	Issuable  []permits.IssuableRow
	Sittings  []training.SittingView // published pre-job sittings, for the bulk issue
	Permits   []permits.View
	PrintTown uint64
}

type option struct{ Value, Label string }

func (s *Server) pagePermits(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	ctx, actor := c.Request.Context(), actorOf(c)
	var f permits.ListFilter
	f.TownID, _ = strconv.ParseUint(c.Query("town"), 10, 64)
	f.Status = c.Query("status")
	list, err := s.permits.List(ctx, actor, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := permitsPage{Filter: f, Permits: list, CanIssue: actor.Role == models.RoleTrainer || actor.IsDistrictAdmin(), CanPrint: true}
	for _, st := range []string{models.PermitActive, models.PermitSuspended, models.PermitExpired, models.PermitRevoked, models.PermitSuperseded} {
		p.Statuses = append(p.Statuses, option{st, permits.StatusLabel(st)})
	}
	if p.Towns, err = s.rec.AllTowns(ctx); err != nil {
		s.fail(c, err)
		return
	}
	if scope := actor.TownScope(); scope != nil {
		p.PrintTown = *scope
	}
	if p.CanIssue {
		if p.Issuable, err = s.permits.Issuable(ctx, actor, 0); err != nil {
			s.fail(c, err)
			return
		}
		sts, err := s.exams.Sittings(ctx, actor)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, st := range sts {
			if st.Purpose == models.PurposePreJob && st.Status == models.SittingPublished {
				p.Sittings = append(p.Sittings, st)
			}
		}
	}
	s.render(c, http.StatusOK, "admin_permits", page{Title: "上岗证", Data: p, Flash: permitFlash(c)})
}

// ---- One permit ----

type permitPage struct {
	Permit     *permits.View
	CanRevoke  bool
	Towns      []models.Town
	Form       permits.ReissueInput
	Act        string // the form that failed: revoke or reissue
	RevokeText string
}

func (s *Server) permitPage(c *gin.Context, id uint64) (permitPage, error) {
	ctx, actor := c.Request.Context(), actorOf(c)
	v, err := s.permits.Get(ctx, actor, id)
	if err != nil {
		return permitPage{}, err
	}
	p := permitPage{Permit: v, CanRevoke: actor.IsDistrictAdmin() && (v.Status == models.PermitActive || v.Status == models.PermitSuspended)}
	if p.CanRevoke {
		if p.Towns, err = s.rec.AllTowns(ctx); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) pagePermit(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	p, err := s.permitPage(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_permit", page{Title: "上岗证 " + p.Permit.No, Data: p, Flash: permitFlash(c)})
}

// permitFormFail shows the permit's page again with the failed form's input and its errors.
func (s *Server) permitFormFail(c *gin.Context, id uint64, act string, form permits.ReissueInput, err error) {
	p, perr := s.permitPage(c, id)
	if perr != nil {
		s.fail(c, err)
		return
	}
	p.Act, p.Form = act, form
	if act == "revoke" {
		p.RevokeText = form.Reason
		p.Form = permits.ReissueInput{}
	}
	s.formFail(c, "admin_permit", page{Title: "上岗证 " + p.Permit.No, Data: p}, err)
}

func (s *Server) pageRevokePermit(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	reason := c.PostForm("reason")
	if _, err := s.permits.Revoke(c.Request.Context(), actorOf(c), id, reason); err != nil {
		s.permitFormFail(c, id, "revoke", permits.ReissueInput{Reason: reason}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/permits/%d", id), "revoked")
}

func (s *Server) pageReissuePermit(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	in := permits.ReissueInput{Reason: c.PostForm("reason"), Post: c.PostForm("post")}
	in.TownID, _ = strconv.ParseUint(c.PostForm("town_id"), 10, 64)
	v, err := s.permits.Reissue(c.Request.Context(), actorOf(c), id, in)
	if err != nil {
		s.permitFormFail(c, id, "reissue", in, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/permits/%d", v.ID), "reissued")
}

// pageIssuePermit issues one hire's permit from the list's 颁发 button.
func (s *Server) pageIssuePermit(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	v, err := s.permits.Issue(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.listFail(c, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/permits/%d", v.ID), "issued")
}

// listFail shows the permits' list again with what went wrong above it (a 4xx the admin can
// act on); anything else is the error page.
func (s *Server) listFail(c *gin.Context, err error) {
	if _, ok := models.AsError(err); !ok || statusOf(err) >= 500 || statusOf(err) == http.StatusUnauthorized {
		s.fail(c, err)
		return
	}
	ctx, actor := c.Request.Context(), actorOf(c)
	list, lerr := s.permits.List(ctx, actor, permits.ListFilter{})
	if lerr != nil {
		s.fail(c, err)
		return
	}
	p := permitsPage{Permits: list, CanIssue: actor.Role == models.RoleTrainer || actor.IsDistrictAdmin(), CanPrint: true}
	p.Towns, _ = s.rec.AllTowns(ctx)
	if p.CanIssue {
		p.Issuable, _ = s.permits.Issuable(ctx, actor, 0)
	}
	for _, st := range []string{models.PermitActive, models.PermitSuspended, models.PermitExpired, models.PermitRevoked, models.PermitSuperseded} {
		p.Statuses = append(p.Statuses, option{st, permits.StatusLabel(st)})
	}
	s.formFail(c, "admin_permits", page{Title: "上岗证", Data: p}, err)
}

func (s *Server) pageIssueSitting(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	id, err := strconv.ParseUint(c.PostForm("sitting_id"), 10, 64)
	if err != nil || !models.ValidID(id) {
		s.listFail(c, models.Invalid("invalid_input", "请选择考试场次"))
		return
	}
	j, err := s.permits.IssueSitting(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.listFail(c, err)
		return
	}
	seeOther(c, fmt.Sprintf("/jobs/%d", j.ID), "job_added")
}

func (s *Server) pagePrintPermits(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	in := permits.PrintInput{Format: c.PostForm("format")}
	in.TownID, _ = strconv.ParseUint(c.PostForm("town_id"), 10, 64)
	in.SittingID, _ = strconv.ParseUint(c.PostForm("sitting_id"), 10, 64)
	j, err := s.permits.Print(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.listFail(c, err)
		return
	}
	seeOther(c, fmt.Sprintf("/jobs/%d", j.ID), "job_added")
}

// ---- The holder's permits and the refresher calendar ----

type myPermitsPage struct {
	Permits   []permits.View
	Refresher map[uint64]refresher.HolderView
}

func (s *Server) pageMyPermits(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	ctx, actor := c.Request.Context(), actorOf(c)
	ps, err := s.permits.Mine(ctx, actor)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := myPermitsPage{Permits: ps}
	if s.cycle != nil {
		if p.Refresher, err = s.cycle.Mine(ctx, actor); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "my_permits", page{Title: "我的上岗证", Data: p, Flash: permitFlash(c)})
}

type refresherPage struct {
	*refresher.Calendar
	States  []option
	AllTown bool // the filter offers every town
}

func (s *Server) pageRefresher(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	var f refresher.CalendarFilter
	f.TownID, _ = strconv.ParseUint(c.Query("town"), 10, 64)
	f.Month, f.State = c.Query("month"), c.Query("state")
	cal, err := s.cycle.Calendar(c.Request.Context(), actorOf(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := refresherPage{Calendar: cal, AllTown: actorOf(c).TownScope() == nil}
	for _, st := range []string{refresher.StateLater, refresher.StateOpen, refresher.StateEnrolled, refresher.StateNotPassed,
		refresher.StateSuspended, refresher.StateExpired} {
		p.States = append(p.States, option{st, refresher.StateLabel(st)})
	}
	s.render(c, http.StatusOK, "admin_refresher", page{Title: "年度复训安排", Data: p})
}

// ---- A job's progress ----

func (s *Server) pageJob(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	v, err := s.jobs.Get(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := page{Title: v.Title, Data: v, Flash: permitFlash(c)}
	if v.Status == models.JobQueued || v.Status == models.JobRunning {
		p.Refresh = 2 // the page follows the job without a script
	}
	s.render(c, http.StatusOK, "job", p)
}

// ---- The public verification ----

func (s *Server) pageVerify(c *gin.Context) {
	v, err := s.permits.Verify(c.Request.Context(), c.Param("no"), c.Query(certificates.SignatureParam))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("X-Robots-Tag", "noindex")
	p := page{Title: "上岗证核验", Data: verifyPage{Public: v, Sig: c.Query(certificates.SignatureParam)}}
	status := http.StatusOK
	if !v.Genuine {
		status = http.StatusNotFound // a forged or mistyped code is not a permit
	}
	s.render(c, status, "verify", p)
}

type verifyPage struct {
	*permits.Public
	Sig string
}

func (s *Server) verifyPhoto(c *gin.Context) {
	b, err := s.permits.VerifyPhoto(c.Request.Context(), c.Param("no"), c.Query(certificates.SignatureParam))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Robots-Tag", "noindex")
	c.Data(http.StatusOK, "image/jpeg", b)
}

type keyPage struct {
	PEM   string
	KeyID string
}

func (s *Server) pageVerifyKey(c *gin.Context) {
	pub := s.permits.PublicKey()
	s.render(c, http.StatusOK, "verify_key", page{Title: "上岗证二维码公钥",
		Data: keyPage{PEM: string(certificates.PublicKeyPEM(pub)), KeyID: certificates.KeyID(pub)}})
}

func (s *Server) verifyKeyPEM(c *gin.Context) {
	c.Header("Content-Disposition", `inline; filename="auxportal-permit-key.pem"`)
	c.Data(http.StatusOK, "application/x-pem-file", certificates.PublicKeyPEM(s.permits.PublicKey()))
}
