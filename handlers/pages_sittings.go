package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
)

// Sittings, the exam-day control room, key corrections, blind grading, item statistics and the
// admission tickets' QR target.

func (s *Server) sittingPages(r *gin.Engine) {
	r.GET("/trainer/sittings", s.pageSittings)
	r.GET("/trainer/sittings/new", s.pageNewSitting)
	r.POST("/trainer/sittings/new", s.pageScheduleSitting)
	r.GET("/trainer/sittings/:id", s.pageSitting)
	r.POST("/trainer/sittings/:id/time", s.pageAddTime)
	r.POST("/trainer/sittings/:id/accommodation", s.pageAccommodation)
	r.POST("/trainer/sittings/:id/publish", s.pagePublishResults)
	r.POST("/trainer/sittings/:id/tickets/print", s.pagePrintTickets)
	r.GET("/trainer/sittings/:id/key-fix", s.pageKeyFixForm)
	r.POST("/trainer/sittings/:id/key-fix", s.pageFixKey)
	r.GET("/trainer/sittings/:id/grading", s.pageGradingQueue)
	r.GET("/trainer/sittings/:id/grading/:version", s.pageMarkForm)
	r.POST("/trainer/sittings/:id/grading/:version", s.pageMark)
	r.GET("/trainer/sittings/:id/stats", s.pageStats)
	r.GET("/trainer/tickets/:ticket", s.pageTicket)
	r.GET("/trainer/tickets/:ticket/photo", s.ticketPhoto)
}

// loggedInID reads the path's "id" and requires a signed-in visitor; it reports false when it
// has answered the request itself.
func (s *Server) loggedInID(c *gin.Context, name string) (uint64, bool) {
	id, err := idParam(c, name)
	if err != nil {
		s.fail(c, err)
		return 0, false
	}
	return id, s.requireLogin(c)
}

// ---- The list and the scheduling form ----

type sittingsPage struct {
	RunsExams bool
	Sittings  []training.SittingView
}

func (s *Server) pageSittings(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	ss, err := s.exams.Sittings(c.Request.Context(), actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "trainer_sittings", page{Title: "考试场次", Flash: trainerFlash(c),
		Data: sittingsPage{RunsExams: runsExams(actorOf(c)), Sittings: ss}})
}

type sittingForm struct {
	Title         string
	BlueprintID   uint64
	Opens         string
	Closes        string
	LastStart     string
	Venue         string
	Online        bool
	ShowPaper     bool
	DoubleMarking bool
	Openings      map[uint64]bool
}

type sittingFormPage struct {
	Blueprints []training.BlueprintView
	Openings   []openingChoice
	Shortages  []string // of the chosen blueprint, when the bank cannot fill it
}

// openingChoice is a published opening with proposed hires who may sit the exam (rule T-1).
type openingChoice struct {
	ID      uint64
	Town    string
	Title   string
	Hires   int
	Ready   int // final proposals: their steps passed and their 公示 over (docs/decisions.md)
	Waiting int // final and not yet in a sitting: those a new sitting takes
}

func (s *Server) sittingFormPage(c *gin.Context) (sittingFormPage, error) {
	ctx, a := c.Request.Context(), actorOf(c)
	bps, err := s.exams.Blueprints(ctx, a)
	if err != nil {
		return sittingFormPage{}, err
	}
	hires, err := s.rec.ProposedHires(ctx, a)
	if err != nil {
		return sittingFormPage{}, err
	}
	p := sittingFormPage{Blueprints: bps}
	byID := map[uint64]int{}
	for _, h := range hires {
		i, ok := byID[h.OpeningID]
		if !ok {
			i = len(p.Openings)
			byID[h.OpeningID] = i
			p.Openings = append(p.Openings, openingChoice{ID: h.OpeningID, Town: h.Town, Title: h.OpeningTitle})
		}
		p.Openings[i].Hires++
		if h.Waiting == "" {
			p.Openings[i].Ready++
		}
	}
	sort.Slice(p.Openings, func(i, j int) bool { return p.Openings[i].ID < p.Openings[j].ID })
	for i := range p.Openings {
		// Those already booked into a sitting are not taken again: the form says so up front.
		n, err := s.exams.WaitingHires(ctx, a, p.Openings[i].ID)
		if err != nil {
			return sittingFormPage{}, err
		}
		p.Openings[i].Waiting = n
	}
	return p, nil
}

func (s *Server) pageNewSitting(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	p, err := s.sittingFormPage(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := sittingForm{Openings: map[uint64]bool{}}
	if len(p.Blueprints) > 0 {
		f.BlueprintID = p.Blueprints[len(p.Blueprints)-1].ID
	}
	s.render(c, http.StatusOK, "trainer_sitting_form", page{Title: "安排考试", Data: p, Form: f})
}

func (s *Server) pageScheduleSitting(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	f := sittingForm{Title: c.PostForm("title"), Opens: c.PostForm("opens"), Closes: c.PostForm("closes"),
		LastStart: c.PostForm("last_start"), Venue: c.PostForm("venue"), Online: c.PostForm("online") == "on",
		ShowPaper: c.PostForm("show_paper") == "on", DoubleMarking: c.PostForm("double_marking") == "on",
		Openings: map[uint64]bool{}}
	f.BlueprintID, _ = strconv.ParseUint(c.PostForm("blueprint_id"), 10, 64)
	in := training.SittingInput{Title: f.Title, BlueprintID: f.BlueprintID, Opens: f.Opens, Closes: f.Closes,
		LastStart: f.LastStart, Venue: f.Venue, Online: f.Online, ShowPaper: f.ShowPaper, DoubleMarking: f.DoubleMarking}
	for _, v := range c.PostFormArray("opening_ids") {
		if id, err := strconv.ParseUint(v, 10, 64); err == nil {
			in.OpeningIDs = append(in.OpeningIDs, id)
			f.Openings[id] = true
		}
	}
	v, err := s.exams.ScheduleSitting(c.Request.Context(), actorOf(c), in)
	if err != nil {
		p, perr := s.sittingFormPage(c)
		if perr != nil {
			s.fail(c, perr)
			return
		}
		if e, ok := models.AsError(err); ok && e.Code == "bank_short" {
			for _, bp := range p.Blueprints {
				if bp.ID == f.BlueprintID {
					p.Shortages = bp.Shortages
				}
			}
		}
		s.formFail(c, "trainer_sitting_form", page{Title: "安排考试", Data: p, Form: f}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/sittings/%d", v.ID), "scheduled")
}

// ---- A sitting: overview and the exam-day control room ----

type sittingPage struct {
	Room       *training.ControlRoom
	RunsExams  bool
	Rows       []liveRow
	Counts     []stateCount
	Updated    string
	Labels     string // what the refreshing script needs to write a row as the page does
	NotStarted []liveRow
	Active     []liveRow // still sitting or yet to start: those time may be added to
}

// liveRow is one candidate of the control room, with the texts the page shows.
type liveRow struct {
	training.CandidateRow
	LastSaveText string
	SinceText    string
	Timing       string
	Evidence     []evidence
	ResultText   string
}

type evidence struct {
	Label string
	N     int
}

type stateCount struct {
	State, Label string
	N            int
}

// evidenceKinds are the page events the control room counts, in the order it shows them.
var evidenceKinds = []string{"focus_lost", "hidden", "paste", "offline", "resumed", "time_added"}

var liveStates = []string{training.LiveNotStarted, training.LiveRunning, training.LiveHandedIn, training.LiveClosed, training.LiveAbsent}

var gateLabels = map[string]string{
	recruitment.GateHired: "已录用", recruitment.GateMakeup: "可补考一次", recruitment.GateNotHired: "不予录用",
}

func hhmm(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return clock.InChina(*t).Format(layout)
}

func liveRowOf(r training.CandidateRow) liveRow {
	l := liveRow{CandidateRow: r, LastSaveText: hhmm(r.LastSave, "15:04:05")}
	if r.LastSave != nil {
		l.SinceText = fmt.Sprintf("%d 秒前", r.SinceSave)
	}
	switch r.State {
	case training.LiveRunning:
		l.Timing = "截止 " + hhmm(r.Deadline, "15:04")
	case training.LiveHandedIn, training.LiveClosed:
		l.Timing = "交卷 " + hhmm(r.HandedInAt, "15:04")
	}
	if r.ExtraMinutes > 0 && r.StartedAt == nil {
		l.Timing = fmt.Sprintf("延长 %d 分钟", r.ExtraMinutes)
	}
	for _, k := range evidenceKinds {
		if n := r.Events[k]; n > 0 {
			l.Evidence = append(l.Evidence, evidence{Label: training.EventLabel(k), N: n})
		}
	}
	l.ResultText = resultText(r)
	return l
}

func resultText(r training.CandidateRow) string {
	if r.Outcome == "" {
		return ""
	}
	parts := []string{}
	if r.Score != "" {
		parts = append(parts, r.Score+" 分")
	}
	parts = append(parts, exams.Outcome(r.Outcome).Label())
	if g := gateLabels[r.Gate]; g != "" {
		parts = append(parts, g)
	}
	return strings.Join(parts, " · ")
}

// liveLabels is the JSON the control room's script writes rows with: the same words as above.
func liveLabels() string {
	events := map[string]string{}
	for _, k := range evidenceKinds {
		events[k] = training.EventLabel(k)
	}
	outcomes := map[string]string{}
	for _, o := range []exams.Outcome{exams.OutcomePending, exams.OutcomePass, exams.OutcomeFail} {
		outcomes[string(o)] = o.Label()
	}
	b, _ := json.Marshal(map[string]any{"evidence": evidenceKinds, "events": events, "outcomes": outcomes, "gates": gateLabels})
	return string(b)
}

func (s *Server) sittingPage(c *gin.Context, id uint64) (sittingPage, error) {
	room, err := s.exams.Live(c.Request.Context(), actorOf(c), id)
	if err != nil {
		return sittingPage{}, err
	}
	p := sittingPage{Room: room, RunsExams: runsExams(actorOf(c)), Labels: liveLabels(),
		Updated: clock.InChina(room.Now).Format("15:04:05")}
	for _, st := range liveStates {
		p.Counts = append(p.Counts, stateCount{State: st, Label: training.LiveStateLabel(st), N: room.Counts[st]})
	}
	published := room.Sitting.Status == models.SittingPublished
	for _, r := range room.Rows {
		l := liveRowOf(r)
		p.Rows = append(p.Rows, l)
		if published {
			continue // nobody's time changes after publication
		}
		if r.StartedAt == nil && r.State == training.LiveNotStarted {
			p.NotStarted = append(p.NotStarted, l)
		}
		if r.HandedInAt == nil && r.State != training.LiveAbsent {
			p.Active = append(p.Active, l)
		}
	}
	return p, nil
}

// sittingAction is which form of the sitting page was sent, to show its values and errors.
type sittingAction struct {
	Which       string // time, accommodation, publish
	CandidateID uint64
	Minutes     string
	Reason      string
}

func (s *Server) renderSitting(c *gin.Context, id uint64, act sittingAction, err error) {
	p, perr := s.sittingPage(c, id)
	if perr != nil {
		s.fail(c, perr)
		return
	}
	pg := page{Title: p.Room.Sitting.Title, Data: p, Form: act, Flash: trainerFlash(c)}
	if err == nil {
		s.render(c, http.StatusOK, "trainer_sitting", pg)
		return
	}
	// The page has two forms with a reason: each form's fields carry its own prefix, so the
	// error summary's links land on the right field.
	if e, ok := models.AsError(err); ok && len(e.Fields) > 0 {
		renamed := map[string]string{}
		for k, v := range e.Fields {
			renamed[act.Which+"_"+k] = v
		}
		e = &models.Error{Kind: e.Kind, Code: e.Code, Message: e.Message, Fields: renamed}
		err = e
	}
	s.formFail(c, "trainer_sitting", pg, err)
}

func (s *Server) pageSitting(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	s.renderSitting(c, id, sittingAction{}, nil)
}

func (s *Server) pageAddTime(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	act := sittingAction{Which: "time", Minutes: c.PostForm("minutes"), Reason: c.PostForm("reason")}
	act.CandidateID, _ = strconv.ParseUint(c.PostForm("candidate_id"), 10, 64)
	minutes, _ := strconv.Atoi(strings.TrimSpace(act.Minutes))
	_, err := s.exams.AddTime(c.Request.Context(), actorOf(c), id,
		training.AddTimeInput{CandidateID: act.CandidateID, Minutes: minutes, Reason: act.Reason})
	if err != nil {
		s.renderSitting(c, id, act, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/sittings/%d", id), "time_added")
}

func (s *Server) pageAccommodation(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	act := sittingAction{Which: "acc", Minutes: c.PostForm("extra_minutes"), Reason: c.PostForm("reason")}
	act.CandidateID, _ = strconv.ParseUint(c.PostForm("candidate_id"), 10, 64)
	minutes, convErr := strconv.Atoi(strings.TrimSpace(act.Minutes))
	if convErr != nil {
		minutes = -1 // the service says what is allowed
	}
	var err error
	if act.CandidateID == 0 && runsExams(actorOf(c)) {
		err = fieldErrOf("candidate_id", "请选择考生")
	} else {
		_, err = s.exams.SetAccommodation(c.Request.Context(), actorOf(c), act.CandidateID, minutes, act.Reason)
	}
	if err != nil {
		s.renderSitting(c, id, act, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/sittings/%d", id), "accommodation")
}

func (s *Server) pagePublishResults(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	if _, err := s.exams.PublishResults(c.Request.Context(), actorOf(c), id); err != nil {
		s.renderSitting(c, id, sittingAction{Which: "publish"}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/sittings/%d", id), "published")
}

// pagePrintTickets starts a print run of the sitting's tickets and goes to its progress page.
func (s *Server) pagePrintTickets(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	j, err := s.exams.PrintTickets(c.Request.Context(), actorOf(c), training.TicketsInput{SittingID: id, Format: c.PostForm("format")})
	if err != nil {
		s.renderSitting(c, id, sittingAction{Which: "tickets"}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/jobs/%d", j.ID), "job_added")
}

// ---- Key corrections ----

type keyFixPage struct {
	Sitting   *training.SittingView
	Questions []training.PaperQuestion
	Q         *training.PaperQuestion // the question being corrected
	Changes   []training.ResultChange // after a correction
	Done      bool
}

type keyFixForm struct {
	Correct map[string]bool
	Truth   string
	Blanks  []blankRow
	Reason  string
}

func blankRowOf(i int, v string) blankRow {
	return blankRow{N: i + 1, ID: fmt.Sprintf("blanks.%d", i), Name: fmt.Sprintf("blank_%d", i), Value: v}
}

func (s *Server) keyFixPage(c *gin.Context, id uint64, version uint64) (keyFixPage, error) {
	ctx, a := c.Request.Context(), actorOf(c)
	qs, err := s.exams.PaperQuestions(ctx, a, id)
	if err != nil {
		return keyFixPage{}, err
	}
	st, err := s.exams.Sitting(ctx, a, id)
	if err != nil {
		return keyFixPage{}, err
	}
	p := keyFixPage{Sitting: st, Questions: qs}
	if version != 0 {
		for i := range qs {
			if qs[i].VersionID == version {
				p.Q = &qs[i]
			}
		}
		if p.Q == nil {
			return p, models.NotFound("试题")
		}
	}
	return p, nil
}

func keyFormOf(q *training.PaperQuestion) keyFixForm {
	f := keyFixForm{Correct: map[string]bool{}}
	if q == nil {
		return f
	}
	for _, k := range q.Key.Correct {
		f.Correct[k] = true
	}
	if q.Key.Truth != nil {
		f.Truth = strconv.FormatBool(*q.Key.Truth)
	}
	for i, b := range q.Key.Blanks {
		f.Blanks = append(f.Blanks, blankRowOf(i, strings.Join(b.Accepted, "|")))
	}
	return f
}

func (s *Server) pageKeyFixForm(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	version, _ := strconv.ParseUint(c.Query("version"), 10, 64)
	p, err := s.keyFixPage(c, id, version)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "trainer_keyfix", page{Title: "更正答案：" + p.Sitting.Title, Data: p, Form: keyFormOf(p.Q)})
}

func (s *Server) pageFixKey(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	version, _ := strconv.ParseUint(c.PostForm("version_id"), 10, 64)
	p, err := s.keyFixPage(c, id, version)
	if err != nil {
		s.fail(c, err)
		return
	}
	if p.Q == nil {
		s.fail(c, models.NotFound("试题"))
		return
	}
	f := keyFixForm{Correct: map[string]bool{}, Truth: c.PostForm("truth"), Reason: c.PostForm("reason")}
	in := training.KeyFixInput{VersionID: version, Reason: f.Reason}
	switch p.Q.Type {
	case exams.Single, exams.Multiple:
		for _, k := range c.PostFormArray("correct") {
			f.Correct[k] = true
		}
		for _, o := range p.Q.Options {
			if f.Correct[o.Key] {
				in.Key.Correct = append(in.Key.Correct, o.Key)
			}
		}
	case exams.TrueFalse:
		switch f.Truth {
		case "true":
			in.Key.Truth = ptrTo(true)
		case "false":
			in.Key.Truth = ptrTo(false)
		}
	case exams.Fill:
		for i := range p.Q.Blanks {
			v := c.PostForm(fmt.Sprintf("blank_%d", i))
			f.Blanks = append(f.Blanks, blankRowOf(i, v))
			in.Key.Blanks = append(in.Key.Blanks, exams.Blank{Accepted: splitAccepted(v)})
		}
	}
	title := "更正答案：" + p.Sitting.Title
	changes, err := s.exams.FixKey(c.Request.Context(), actorOf(c), id, in)
	if err != nil {
		s.formFail(c, "trainer_keyfix", page{Title: title, Data: p, Form: f}, err)
		return
	}
	// The result is the list of whose result changed: shown at once, not after a redirect, as
	// it is this correction's own record (the audit log keeps it too).
	p, err = s.keyFixPage(c, id, version)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Changes, p.Done = changes, true
	s.render(c, http.StatusOK, "trainer_keyfix", page{Title: title, Data: p, Form: keyFormOf(p.Q),
		Flash: "答案已更正，已交卷的答卷已全部重新评分。"})
}

// ---- Blind grading ----

type gradingPage struct {
	Sitting *training.SittingView
	Queue   []training.QuestionQueue
}

func (s *Server) pageGradingQueue(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	q, err := s.exams.GradingQueue(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.exams.Sitting(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "trainer_grading", page{Title: "阅卷：" + st.Title, Data: gradingPage{st, q}, Flash: trainerFlash(c)})
}

// markPage shows one answer to mark, as blind as the task is: an anonymous code, never a name,
// an ID number, a ticket number or a town.
type markPage struct {
	SittingID  uint64
	Title      string
	VersionID  uint64
	Task       *training.MarkTask
	RoundLabel string
}

type markForm struct {
	Points, Comment string
}

func roundLabel(r int) string {
	switch r {
	case 1:
		return "初评"
	case 2:
		return "复评（双评）"
	case 3:
		return "第三评（两评分差超过阈值）"
	}
	return ""
}

func (s *Server) markPage(c *gin.Context, id, version uint64) (markPage, error) {
	ctx, a := c.Request.Context(), actorOf(c)
	task, err := s.exams.NextToMark(ctx, a, id, version)
	if err != nil {
		return markPage{}, err
	}
	st, err := s.exams.Sitting(ctx, a, id)
	if err != nil {
		return markPage{}, err
	}
	p := markPage{SittingID: id, Title: st.Title, VersionID: version, Task: task}
	if task != nil {
		p.RoundLabel = roundLabel(task.Round)
	}
	return p, nil
}

func (s *Server) markIDs(c *gin.Context) (uint64, uint64, bool) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return 0, 0, false
	}
	version, err := idParam(c, "version")
	if err != nil {
		s.fail(c, err)
		return 0, 0, false
	}
	return id, version, true
}

func (s *Server) pageMarkForm(c *gin.Context) {
	id, version, ok := s.markIDs(c)
	if !ok {
		return
	}
	p, err := s.markPage(c, id, version)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "trainer_mark", page{Title: "评分：" + p.Title, Data: p, Form: markForm{}, Flash: trainerFlash(c)})
}

func (s *Server) pageMark(c *gin.Context) {
	id, version, ok := s.markIDs(c)
	if !ok {
		return
	}
	f := markForm{Points: c.PostForm("points"), Comment: c.PostForm("comment")}
	_, err := s.exams.Mark(c.Request.Context(), actorOf(c), id, training.MarkInput{Anon: c.PostForm("anon_code"),
		VersionID: version, Points: f.Points, Comment: f.Comment})
	if err != nil {
		p, perr := s.markPage(c, id, version)
		if perr != nil {
			s.fail(c, perr)
			return
		}
		if p.Task != nil && p.Task.Anon != strings.TrimSpace(c.PostForm("anon_code")) {
			f = markForm{} // the answer in front of the marker is another one now
		}
		s.formFail(c, "trainer_mark", page{Title: "评分：" + p.Title, Data: p, Form: f}, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/sittings/%d/grading/%d", id, version), "marked")
}

// ---- Item statistics ----

type statsPage struct {
	Sitting       *training.SittingView
	Rows          []statRow
	Sort          string
	Sorts         []sortLink
	Reliable      int
	AnyIndicative bool
}

type statRow struct {
	training.ItemStatView
	No             int
	TypeLabel      string
	DifficultyText string
	DText          string
	PBText         string
	Tags           []string // 过难, 过易, 区分度低, 区分度为负
	Indicative     bool     // too few candidates for the numbers to mean much
}

// statTags are the short flags of one question, by the thresholds package exams reports with.
func statTags(it exams.ItemStat) []string {
	var out []string
	switch {
	case it.Difficulty < exams.TooHard:
		out = append(out, "过难")
	case it.Difficulty > exams.TooEasy:
		out = append(out, "过易")
	}
	neg := func(p *float64) bool { return p != nil && *p < 0 }
	switch {
	case neg(it.Discrimination) || neg(it.PointBiserial):
		out = append(out, "区分度为负")
	case it.Discrimination != nil && *it.Discrimination < exams.LowDiscrimination:
		out = append(out, "区分度低")
	}
	return out
}

type sortLink struct {
	Key, Label, Href string
	Current          bool
}

func optFloat(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

// statSorts are the orders the statistics may be read in: hardest, least discriminating and
// least correlated first, where the questions worth a look are.
var statSorts = []struct{ key, label string }{
	{"", "题号"}, {"difficulty", "难度系数"}, {"discrimination", "区分度"}, {"pbis", "点二列相关"}, {"n", "作答人数"},
}

func (s *Server) pageStats(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	items, err := s.exams.Statistics(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.exams.Sitting(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := statsPage{Sitting: st, Sort: c.Query("sort"), Reliable: exams.ReliableN}
	for i, it := range items {
		p.Rows = append(p.Rows, statRow{ItemStatView: it, No: i + 1, TypeLabel: it.Type.Label(),
			DifficultyText: strconv.FormatFloat(it.Difficulty, 'f', 2, 64), DText: optFloat(it.Discrimination),
			PBText: optFloat(it.PointBiserial), Tags: statTags(it.ItemStat), Indicative: it.N < exams.ReliableN})
		p.AnyIndicative = p.AnyIndicative || it.N < exams.ReliableN
	}
	// Missing values (too few candidates) sort last.
	less := func(a, b *float64) bool {
		switch {
		case a == nil:
			return false
		case b == nil:
			return true
		}
		return *a < *b
	}
	switch p.Sort {
	case "difficulty":
		sort.SliceStable(p.Rows, func(i, j int) bool { return p.Rows[i].Difficulty < p.Rows[j].Difficulty })
	case "discrimination":
		sort.SliceStable(p.Rows, func(i, j int) bool { return less(p.Rows[i].Discrimination, p.Rows[j].Discrimination) })
	case "pbis":
		sort.SliceStable(p.Rows, func(i, j int) bool { return less(p.Rows[i].PointBiserial, p.Rows[j].PointBiserial) })
	case "n":
		sort.SliceStable(p.Rows, func(i, j int) bool { return p.Rows[i].N > p.Rows[j].N })
	default:
		p.Sort = ""
	}
	for _, so := range statSorts {
		href := fmt.Sprintf("/trainer/sittings/%d/stats", id)
		if so.key != "" {
			href += "?sort=" + so.key
		}
		p.Sorts = append(p.Sorts, sortLink{Key: so.key, Label: so.label, Href: href, Current: so.key == p.Sort})
	}
	s.render(c, http.StatusOK, "trainer_stats", page{Title: "试题分析：" + st.Title, Data: p})
}

// ---- The admission ticket's QR target ----

type ticketPage struct {
	Check *training.TicketCheck
	Row   liveRow
}

// ticketPhoto serves a ticket's candidate photo to the staff checking tickets.
func (s *Server) ticketPhoto(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	b, err := s.exams.TicketPhoto(c.Request.Context(), actorOf(c), c.Param("ticket"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "image/jpeg", b)
}

func (s *Server) pageTicket(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	tc, err := s.exams.CandidateByTicket(c.Request.Context(), actorOf(c), c.Param("ticket"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "trainer_ticket", page{Title: "准考证核验：" + tc.Candidate.TicketNo,
		Data: ticketPage{Check: tc, Row: liveRowOf(tc.Candidate)}})
}
