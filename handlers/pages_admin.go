package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// requireAdmin lets admins through; others see a 403 page (or the login page).
func (s *Server) requireAdmin(c *gin.Context) bool {
	if !s.requireLogin(c) {
		return false
	}
	if a := actorOf(c); !a.IsAdmin() {
		s.fail(c, models.Deny(a, "该页面仅供区城管局和区镇管理员使用"))
		return false
	}
	return true
}

// adminID gates an admin page on the numeric "id" of its path; it reports false when it has
// answered the request itself.
func (s *Server) adminID(c *gin.Context) (uint64, bool) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return 0, false
	}
	return id, s.requireAdmin(c)
}

func (s *Server) pageDashboard(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	if a := actorOf(c); !a.IsAdmin() {
		c.Redirect(http.StatusSeeOther, homeOf(a))
		return
	}
	d, err := s.dashboard(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_dashboard", page{Title: "配备概况", Data: d, Flash: flash(c)})
}

// dashboardPage is the staffing overview with its chart.
type dashboardPage struct {
	*recruitment.Dashboard
	Chart staffChart
}

func (s *Server) dashboard(c *gin.Context) (*dashboardPage, error) {
	d, err := s.rec.Dashboard(c.Request.Context(), actorOf(c))
	if err != nil {
		return nil, err
	}
	return &dashboardPage{Dashboard: d, Chart: newStaffChart(d)}, nil
}

// staffForm is the headcount form as typed, shown again with its errors.
type staffForm struct {
	TownID        uint64
	ExistingStaff string
	Reason        string
}

// pageSetExistingStaff is the dashboard's one small form: a town, its headcount in post and why.
func (s *Server) pageSetExistingStaff(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	in := staffForm{ExistingStaff: strings.TrimSpace(c.PostForm("existing_staff")), Reason: c.PostForm("reason")}
	// Unreadable numbers go on as 0 and -1, which the service refuses on their fields.
	in.TownID, _ = strconv.ParseUint(c.PostForm("town_id"), 10, 64)
	n, convErr := strconv.Atoi(in.ExistingStaff)
	if convErr != nil {
		n = -1
	}
	if err := s.rec.SetExistingStaff(c.Request.Context(), actorOf(c), in.TownID, n, in.Reason); err != nil {
		d, derr := s.dashboard(c)
		if derr != nil {
			s.fail(c, derr)
			return
		}
		s.formFail(c, "admin_dashboard", page{Title: "配备概况", Data: d, Form: in}, err)
		return
	}
	seeOther(c, "/admin", "staff")
}

type baseConditionsPage struct {
	Conditions screening.Conditions
	Lines      []string
}

func (s *Server) pageBaseConditions(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	b, err := s.rec.BaseConditions(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_base", page{Title: "区基本招聘条件", Flash: flash(c),
		Data: baseConditionsPage{b, b.Describe(screening.DateOf(s.clock.Now()))}})
}

func (s *Server) pageSetBaseConditions(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	in := conditionsFromForm(c)
	if _, err := s.rec.SetBaseConditions(c.Request.Context(), actorOf(c), in, c.PostForm("reason")); err != nil {
		b, berr := s.rec.BaseConditions(c.Request.Context())
		if berr != nil {
			s.fail(c, berr)
			return
		}
		s.formFail(c, "admin_base", page{Title: "区基本招聘条件",
			Data: baseConditionsPage{b, b.Describe(screening.DateOf(s.clock.Now()))}}, err)
		return
	}
	seeOther(c, "/admin/base-conditions", "base")
}

// conditionsFromForm reads condition fields; an empty field keeps the base value.
func conditionsFromForm(c *gin.Context) recruitment.ConditionsInput {
	var in recruitment.ConditionsInput
	intField := func(name string) *int {
		v := strings.TrimSpace(c.PostForm(name))
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // fails validation with a clear message
		}
		return &n
	}
	strField := func(name string) *string {
		if _, ok := c.GetPostForm(name); !ok {
			return nil
		}
		v := c.PostForm(name)
		return &v
	}
	in.MinAge, in.MaxAge, in.RelaxedMaxAge = intField("min_age"), intField("max_age"), intField("relaxed_max_age")
	if v := strField("min_education"); v != nil && *v != "" {
		in.MinEducation = v
	}
	if _, ok := c.GetPostForm("conditions_form"); ok {
		relax := c.PostForm("education_relaxation") == "on"
		in.EducationRelaxation = &relax
	}
	in.HukouRequired, in.LicenceRequired, in.Extra = strField("hukou_required"), strField("licence_required"), strField("extra")
	return in
}

type openingFormPage struct {
	ID     uint64
	Towns  []models.Town
	Base   screening.Conditions
	Chains []chainOption
	Prefs  []screening.Preference
}

// chainOption is one preference order offered on the opening form.
type chainOption struct {
	Key   string
	Label string
}

// openingForm is the opening form's values, as strings to refill the inputs.
type openingForm struct {
	TownID          uint64
	Title           string
	Description     string
	Seats           string
	OpensAt         string
	ClosesAt        string
	ReferenceDate   string
	MinAge          string
	MaxAge          string
	RelaxedMaxAge   string
	MinEducation    string
	EduRelaxation   bool
	HukouRequired   string
	LicenceRequired string
	Extra           string
	Chain           string
	Bonus           map[string]string // preference → points, for the bonus-points option (rule R-3)
	PassMark        string
	MakeupAllowed   bool
}

// chainOptions are the preference orders offered on the form (rule R-3): every order of the three.
func chainOptions() []chainOption {
	u, v, h := screening.PrefUrbanManagement, screening.PrefVeteran, screening.PrefHeroic
	var out []chainOption
	for _, ps := range [][]screening.Preference{{u, v, h}, {u, h, v}, {v, u, h}, {v, h, u}, {h, u, v}, {h, v, u}} {
		labels := make([]string, len(ps))
		for i, p := range ps {
			labels[i] = p.Label()
		}
		out = append(out, chainOption{Key: chainKey(ps), Label: strings.Join(labels, " ＞ ")})
	}
	return out
}

func chainKey(ps []screening.Preference) string {
	ss := make([]string, len(ps))
	for i, p := range ps {
		ss[i] = string(p)
	}
	return strings.Join(ss, ",")
}

func (s *Server) openingFormPage(c *gin.Context, id uint64) (openingFormPage, error) {
	towns, err := s.rec.Towns(c.Request.Context(), actorOf(c))
	if err != nil {
		return openingFormPage{}, err
	}
	base, err := s.rec.BaseConditions(c.Request.Context())
	if err != nil {
		return openingFormPage{}, err
	}
	return openingFormPage{ID: id, Towns: towns, Base: base, Chains: chainOptions(), Prefs: screening.DefaultPreferenceChain()}, nil
}

func (s *Server) pageNewOpening(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	fp, err := s.openingFormPage(c, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := openingForm{Seats: "1", EduRelaxation: fp.Base.EducationRelaxation, Chain: chainKey(screening.DefaultPreferenceChain())}
	if t := actorOf(c).TownID; t != nil {
		f.TownID = *t
	}
	s.render(c, http.StatusOK, "admin_opening_form", page{Title: "新建招聘岗位", Data: fp, Form: f})
}

func readOpeningForm(c *gin.Context) (openingForm, recruitment.OpeningInput) {
	f := openingForm{
		Title: c.PostForm("title"), Description: c.PostForm("description"), Seats: c.PostForm("seats"),
		OpensAt: c.PostForm("opens_at"), ClosesAt: c.PostForm("closes_at"), ReferenceDate: c.PostForm("reference_date"),
		MinAge: c.PostForm("min_age"), MaxAge: c.PostForm("max_age"), RelaxedMaxAge: c.PostForm("relaxed_max_age"),
		MinEducation: c.PostForm("min_education"), EduRelaxation: c.PostForm("education_relaxation") == "on",
		HukouRequired: c.PostForm("hukou_required"), LicenceRequired: c.PostForm("licence_required"),
		Extra: c.PostForm("extra"), Chain: c.PostForm("preference_chain"), PassMark: c.PostForm("pass_mark"),
		MakeupAllowed: c.PostForm("makeup_allowed") == "on",
	}
	f.TownID, _ = strconv.ParseUint(c.PostForm("town_id"), 10, 64)
	f.Bonus = map[string]string{}
	for _, p := range screening.DefaultPreferenceChain() {
		if v := strings.TrimSpace(c.PostForm("bonus_" + string(p))); v != "" {
			f.Bonus[string(p)] = v
		}
	}
	seats, err := strconv.Atoi(strings.TrimSpace(f.Seats))
	if err != nil {
		seats = 0
	}
	in := recruitment.OpeningInput{TownID: f.TownID, Title: f.Title, Description: f.Description, Seats: seats,
		OpensAt: f.OpensAt, ClosesAt: f.ClosesAt, ReferenceDate: f.ReferenceDate, Conditions: conditionsFromForm(c),
		BonusPoints: f.Bonus, PassMark: f.PassMark, MakeupAllowed: f.MakeupAllowed}
	if f.TownID == 0 {
		in.Town = "-" // no town chosen: the service says so on the field
	}
	if f.Chain != "" {
		in.PreferenceChain = strings.Split(f.Chain, ",")
	}
	return f, in
}

func (s *Server) pageCreateOpening(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	f, in := readOpeningForm(c)
	v, err := s.rec.CreateOpening(c.Request.Context(), actorOf(c), in)
	if err != nil {
		fp, ferr := s.openingFormPage(c, 0)
		if ferr != nil {
			s.fail(c, ferr)
			return
		}
		s.formFail(c, "admin_opening_form", page{Title: "新建招聘岗位", Data: fp, Form: f}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/openings/%d", v.ID), "created")
}

func (s *Server) pageEditOpening(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	o, err := s.rec.AdminOpening(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	if o.Status != models.OpeningDraft {
		s.fail(c, models.Conflict("opening_frozen", "岗位已发布，招聘条件已冻结，不能修改"))
		return
	}
	fp, err := s.openingFormPage(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	cond := o.Conditions
	f := openingForm{TownID: o.TownID, Title: o.Title, Description: o.Description, Seats: strconv.Itoa(o.Seats),
		OpensAt: o.OpensAt, ClosesAt: o.ClosesAt, ReferenceDate: o.ReferenceDate,
		MinAge: strconv.Itoa(cond.MinAge), MaxAge: strconv.Itoa(cond.MaxAge), RelaxedMaxAge: strconv.Itoa(cond.RelaxedMaxAge),
		MinEducation: string(cond.MinEducation), EduRelaxation: cond.EducationRelaxation,
		HukouRequired: cond.HukouRequired, LicenceRequired: cond.LicenceRequired, Extra: cond.Extra,
		Chain: chainKey(o.PreferenceChain), Bonus: map[string]string{}, PassMark: o.PassMark, MakeupAllowed: o.MakeupAllowed}
	for p, v := range o.BonusPoints {
		f.Bonus[string(p)] = v
	}
	s.render(c, http.StatusOK, "admin_opening_form", page{Title: "修改草稿", Data: fp, Form: f})
}

func (s *Server) pageUpdateOpening(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	f, in := readOpeningForm(c)
	if _, err := s.rec.UpdateDraft(c.Request.Context(), actorOf(c), id, in); err != nil {
		fp, ferr := s.openingFormPage(c, id)
		if ferr != nil {
			s.fail(c, ferr)
			return
		}
		s.formFail(c, "admin_opening_form", page{Title: "修改草稿", Data: fp, Form: f}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/openings/%d", id), "created")
}

type adminOpeningPage struct {
	Opening      *recruitment.OpeningView
	Applications []recruitment.ApplicationSummary
}

func (s *Server) adminOpeningPage(c *gin.Context, id uint64) (adminOpeningPage, error) {
	o, err := s.rec.AdminOpening(c.Request.Context(), actorOf(c), id)
	if err != nil {
		return adminOpeningPage{}, err
	}
	as, err := s.rec.OpeningApplications(c.Request.Context(), actorOf(c), id)
	if err != nil {
		return adminOpeningPage{}, err
	}
	return adminOpeningPage{o, as}, nil
}

func (s *Server) pageAdminOpening(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	p, err := s.adminOpeningPage(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_opening", page{Title: p.Opening.Title, Data: p, Flash: flash(c)})
}

// openingAction runs a POST on an opening and returns to its page, or re-renders the page with
// the error.
func (s *Server) openingAction(c *gin.Context, msg string, fn func(id uint64) error) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	if err := fn(id); err != nil {
		p, perr := s.adminOpeningPage(c, id)
		if perr != nil {
			s.fail(c, perr)
			return
		}
		s.formFail(c, "admin_opening", page{Title: p.Opening.Title, Data: p,
			Form: extendRequest{ClosesAt: c.PostForm("closes_at"), Reason: c.PostForm("reason")}}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/openings/%d", id), msg)
}

func (s *Server) pagePublish(c *gin.Context) {
	s.openingAction(c, "published", func(id uint64) error {
		_, err := s.rec.Publish(c.Request.Context(), actorOf(c), id)
		return err
	})
}

func (s *Server) pageExtend(c *gin.Context) {
	s.openingAction(c, "extended", func(id uint64) error {
		_, err := s.rec.ExtendDeadline(c.Request.Context(), actorOf(c), id, c.PostForm("closes_at"), c.PostForm("reason"))
		return err
	})
}

// rankingAction runs a POST of the ranking page and returns to it, or re-renders it with the error.
func (s *Server) rankingAction(c *gin.Context, openingID uint64, msg string, err error) {
	if err != nil {
		v, verr := s.rec.Ranking(c.Request.Context(), actorOf(c), openingID)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		s.formFail(c, "admin_ranking", page{Title: "成绩与排名", Data: v, Form: c.Request.PostForm}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/admin/openings/%d/ranking", openingID), msg)
}

func (s *Server) pageSetScores(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_ = c.Request.ParseForm()
	var in []recruitment.ScoreInput
	for key, vals := range c.Request.PostForm {
		appID, ok := strings.CutPrefix(key, "score_")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(appID, 10, 64)
		if err != nil {
			continue
		}
		extra := c.PostForm("extra_" + appID)
		absent := c.PostForm("absent_"+appID) == "on"
		if strings.TrimSpace(vals[0]) == "" && strings.TrimSpace(extra) == "" && !absent {
			continue
		}
		in = append(in, recruitment.ScoreInput{ApplicationID: n, Score: vals[0], ExtraScore: extra, Absent: absent})
	}
	s.rankingAction(c, id, "scored", s.rec.SetScores(c.Request.Context(), actorOf(c), id, in))
}

func (s *Server) pagePropose(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	_, err := s.rec.Propose(c.Request.Context(), actorOf(c), id)
	s.rankingAction(c, id, "proposed", err)
}

func (s *Server) pageDropOut(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	v, err := s.rec.AdminApplication(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	_, err = s.rec.DropOut(c.Request.Context(), actorOf(c), id, c.PostForm("reason"))
	s.rankingAction(c, v.OpeningID, "dropout", err)
}

func (s *Server) pageDecide(c *gin.Context) {
	id, ok := s.adminID(c)
	if !ok {
		return
	}
	appID, _ := strconv.ParseUint(c.PostForm("application_id"), 10, 64)
	d := recruitment.Decision{Approve: c.PostForm("decision") == "approve", Reason: c.PostForm("reason")}
	if _, err := s.rec.Decide(c.Request.Context(), actorOf(c), id, d); err != nil {
		v, verr := s.rec.AdminApplication(c.Request.Context(), actorOf(c), appID)
		if verr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "admin_application", page{Title: "报名审核：" + v.Name, Data: v}, err)
		return
	}
	next := "/admin/review"
	if c.PostForm("stay") == "1" && appID != 0 {
		next = fmt.Sprintf("/admin/applications/%d", appID)
	}
	seeOther(c, next, "decided")
}

type usersPage struct {
	Users []models.User
	Towns map[uint64]string
	List  []models.Town
}

func (s *Server) usersPage(c *gin.Context) (usersPage, error) {
	us, err := s.acc.ListStaff(c.Request.Context(), actorOf(c))
	if err != nil {
		return usersPage{}, err
	}
	ts, err := s.rec.AllTowns(c.Request.Context())
	if err != nil {
		return usersPage{}, err
	}
	names := map[uint64]string{}
	for _, t := range ts {
		names[t.ID] = t.Name
	}
	return usersPage{us, names, ts}, nil
}

func (s *Server) pageUsers(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	p, err := s.usersPage(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_users", page{Title: "工作人员账号", Data: p, Flash: flash(c)})
}

func (s *Server) pageCreateUser(c *gin.Context) {
	if !s.requireAdmin(c) {
		return
	}
	in := accounts.StaffInput{Username: c.PostForm("username"), Password: c.PostForm("password"),
		Name: c.PostForm("name"), Role: c.PostForm("role")}
	if t, err := strconv.ParseUint(c.PostForm("town_id"), 10, 64); err == nil && t != 0 {
		in.TownID = &t
	}
	if _, err := s.acc.CreateStaff(c.Request.Context(), actorOf(c), in); err != nil {
		p, perr := s.usersPage(c)
		if perr != nil {
			s.fail(c, err)
			return
		}
		in.Password = ""
		s.formFail(c, "admin_users", page{Title: "工作人员账号", Data: p, Form: in}, err)
		return
	}
	seeOther(c, "/admin/users", "user")
}

func (s *Server) pageSetDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := s.adminID(c)
		if !ok {
			return
		}
		if err := s.acc.SetDisabled(c.Request.Context(), actorOf(c), id, disabled); err != nil {
			s.fail(c, err)
			return
		}
		msg := "enabled"
		if disabled {
			msg = "disabled"
		}
		seeOther(c, "/admin/users", msg)
	}
}
