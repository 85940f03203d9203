package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// The trainers' and the district's pages of the unified training exam (rules T-1, T-3, T-4):
// the training home, the question bank, blueprints, sittings with the exam-day control room,
// blind grading, item statistics and the admission tickets' QR target. Every page works
// without JavaScript; every rule and check is in package training, as for the JSON API.

func (s *Server) trainerExamPages(r *gin.Engine) {
	r.GET("/trainer", s.pageTrainerHome)
	r.GET("/trainer/bank", s.pageBank)
	r.GET("/trainer/bank/new", s.pageNewQuestion)
	r.POST("/trainer/bank/new", s.pageCreateQuestion)
	r.GET("/trainer/bank/import", s.pageImportForm)
	r.POST("/trainer/bank/import", s.pageImport)
	r.GET("/trainer/bank/:id", s.pageEditQuestion)
	r.POST("/trainer/bank/:id", s.pageUpdateQuestion)
	r.POST("/trainer/bank/:id/archive", s.pageArchiveQuestion)
	r.GET("/trainer/blueprints", getPage(s, "trainer_blueprints", s.requireLogin, "组卷方案", s.blueprintRows))
	r.GET("/trainer/blueprints/new", s.pageNewBlueprint)
	r.POST("/trainer/blueprints/new", s.pageCreateBlueprint)
	r.GET("/trainer/blueprints/:id", s.pageEditBlueprint)
	r.POST("/trainer/blueprints/:id", s.pageUpdateBlueprint)
	s.sittingPages(r)
}

// trainerFlashes are the success messages of these pages, named by the redirect's ok= key.
var trainerFlashes = map[string]string{
	"question_saved":  "试题已保存。",
	"archived":        "试题已停用：不再参与组卷，已组好的试卷不受影响。",
	"restored":        "试题已恢复使用，可以参与组卷。",
	"imported":        "题库导入完成。",
	"blueprint_saved": "组卷方案已保存。",
	"scheduled":       "考试已安排：每位考生的试卷已组好并封存，可以打印准考证。",
	"time_added":      "已加时，已记入操作日志。",
	"accommodation":   "已设置延长考试时间，已记入操作日志。",
	"published":       "成绩已发布，考生可以查看成绩；岗前培训的录用结果已按规则 T-1、T-3 处理。",
	"marked":          "评分已保存。",
}

func trainerFlash(c *gin.Context) string {
	if m, ok := trainerFlashes[c.Query("ok")]; ok {
		return m
	}
	return flash(c)
}

// runsExams says whether the page should offer the actions of those who run the exams
// (trainers and the district); the service decides again on every action.
func runsExams(a models.Actor) bool { return a.Role == models.RoleTrainer || a.IsDistrictAdmin() }

// ---- The training home ----

type trainerHome struct {
	RunsExams bool
	Sittings  []training.SittingView // not yet published
	Hires     []recruitment.ApplicationSummary
}

func (s *Server) pageTrainerHome(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	hires, err := s.rec.ProposedHires(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	all, err := s.exams.Sittings(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	h := trainerHome{RunsExams: runsExams(a), Hires: hires}
	for _, st := range all {
		if st.Status != models.SittingPublished {
			h.Sittings = append(h.Sittings, st)
		}
	}
	sort.SliceStable(h.Sittings, func(i, j int) bool { return h.Sittings[i].Opens.Before(h.Sittings[j].Opens) })
	s.render(c, http.StatusOK, "trainer", page{Title: "培训考试", Data: h, Flash: trainerFlash(c)})
}

// ---- The question bank ----

const bankPageSize = 20

type bankPage struct {
	*training.BankPage
	Categories   []string
	Types        []exams.Type
	Difficulties []exams.Difficulty
	Back         string // this list with its filter, for the archive buttons to return to
	Prev, Next   string
	From, To     int
	Counts       []countRow
	CountTotal   int
}

// countRow is one category × type of the bank's counts, by difficulty.
type countRow struct {
	Category   string
	Type       exams.Type
	ByLevel    [3]int // 易, 中, 难
	Sum        int
	FirstOfCat bool
}

func (s *Server) pageBank(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	f := bankFilter(c)
	f.Limit = bankPageSize
	bp, err := s.exams.Bank(ctx, a, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	cats, err := s.exams.Categories(ctx, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := bankPage{BankPage: bp, Categories: cats, Types: exams.Types(),
		Difficulties: []exams.Difficulty{exams.Easy, exams.Medium, exams.Hard}, Back: c.Request.URL.RequestURI()}
	if bp.Total > 0 {
		p.From, p.To = bp.Offset+1, bp.Offset+len(bp.Questions)
	}
	link := func(offset int) string {
		q := c.Request.URL.Query()
		q.Del("ok")
		q.Set("offset", strconv.Itoa(offset))
		return "/trainer/bank?" + q.Encode()
	}
	if bp.Offset > 0 {
		p.Prev = link(max(0, bp.Offset-bankPageSize))
	}
	if int64(bp.Offset+len(bp.Questions)) < bp.Total {
		p.Next = link(bp.Offset + bankPageSize)
	}
	rows := map[[2]string]*countRow{}
	for _, n := range bp.Counts {
		k := [2]string{n.Category, string(n.Type)}
		r := rows[k]
		if r == nil {
			r = &countRow{Category: n.Category, Type: n.Type}
			rows[k] = r
		}
		if n.Difficulty >= 1 && n.Difficulty <= 3 {
			r.ByLevel[n.Difficulty-1] += n.N
		}
		r.Sum += n.N
		p.CountTotal += n.N
	}
	// The service lists counts by category, then type order: keep that order.
	seen := map[[2]string]bool{}
	for _, n := range bp.Counts {
		k := [2]string{n.Category, string(n.Type)}
		if !seen[k] {
			seen[k] = true
			r := *rows[k]
			r.FirstOfCat = len(p.Counts) == 0 || p.Counts[len(p.Counts)-1].Category != r.Category
			p.Counts = append(p.Counts, r)
		}
	}
	s.render(c, http.StatusOK, "trainer_bank", page{Title: "题库", Data: p, Flash: trainerFlash(c)})
}

// questionForm is the question form's values, as typed.
type questionForm struct {
	ID          uint64
	Version     int
	Archived    bool
	Type        exams.Type
	Category    string
	NewCategory string
	Difficulty  int
	Stem        string
	Options     [exams.MaxOptions]string // A–H
	Correct     map[string]bool
	FixedOrder  bool
	Truth       string // "true", "false" or ""
	Blanks      []string
	Reference   string
	Rubric      string
	Explanation string
}

type questionPage struct {
	Categories   []string
	Types        []typeTab
	Letters      []string
	Difficulties []exams.Difficulty
	Action       string
	Marker       string
	BlankRows    []blankRow
}

// blankRow is one blank's answers on the fill-in form.
type blankRow struct {
	N     int // 1-based
	ID    string
	Name  string
	Value string
}

// typeTab is one of the five types as a link that switches the form to it.
type typeTab struct {
	Type    exams.Type
	Href    string
	Current bool
}

// minBlankRows is how many blank rows a fill-in form offers before the stem has more markers.
const minBlankRows = 4

func (s *Server) questionPage(c *gin.Context, f *questionForm) (questionPage, error) {
	cats, err := s.exams.Categories(c.Request.Context(), actorOf(c))
	if err != nil {
		return questionPage{}, err
	}
	base := "/trainer/bank/new"
	if f.ID != 0 {
		base = fmt.Sprintf("/trainer/bank/%d", f.ID)
	}
	p := questionPage{Categories: cats, Difficulties: []exams.Difficulty{exams.Easy, exams.Medium, exams.Hard},
		Action: base, Marker: exams.BlankMarker}
	for _, t := range exams.Types() {
		p.Types = append(p.Types, typeTab{Type: t, Href: base + "?type=" + string(t), Current: t == f.Type})
	}
	for i := range exams.MaxOptions {
		p.Letters = append(p.Letters, exams.OptionKey(i))
	}
	if f.Category != "" && !slices.Contains(cats, f.Category) && f.NewCategory == "" {
		f.NewCategory, f.Category = f.Category, ""
	}
	for len(f.Blanks) < max(minBlankRows, exams.CountBlanks(f.Stem)) && len(f.Blanks) < exams.MaxBlanks {
		f.Blanks = append(f.Blanks, "")
	}
	for i, v := range f.Blanks {
		p.BlankRows = append(p.BlankRows, blankRowOf(i, v))
	}
	return p, nil
}

// typeParam is the type the form shows: the query's, else def.
func typeParam(c *gin.Context, def exams.Type) exams.Type {
	if t := exams.Type(c.Query("type")); t.Valid() {
		return t
	}
	return def
}

func (s *Server) renderQuestion(c *gin.Context, status int, f questionForm, err error) {
	p, perr := s.questionPage(c, &f)
	if perr != nil {
		s.fail(c, perr)
		return
	}
	title := "新建试题"
	if f.ID != 0 {
		title = fmt.Sprintf("编辑试题（第 %d 版）", f.Version)
	}
	pg := page{Title: title, Data: p, Form: f, Flash: trainerFlash(c)}
	if err != nil {
		s.formFail(c, "trainer_question", pg, err)
		return
	}
	s.render(c, status, "trainer_question", pg)
}

func (s *Server) pageNewQuestion(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	s.renderQuestion(c, http.StatusOK, questionForm{Type: typeParam(c, exams.Single), Category: string(exams.Law),
		Difficulty: int(exams.Medium)}, nil)
}

// readQuestion reads the question form into the form's values and the question to save.
// Empty trailing options and blanks are left out; a gap in the middle is the service's to
// report on its field.
func readQuestion(c *gin.Context) (questionForm, exams.Question) {
	f := questionForm{Type: exams.Type(c.PostForm("type")), Category: strings.TrimSpace(c.PostForm("category")),
		NewCategory: strings.TrimSpace(c.PostForm("new_category")), Stem: c.PostForm("stem"),
		FixedOrder: c.PostForm("fixed_order") == "on", Truth: c.PostForm("truth"), Reference: c.PostForm("reference"),
		Rubric: c.PostForm("rubric"), Explanation: c.PostForm("explanation"), Correct: map[string]bool{}}
	f.Difficulty, _ = strconv.Atoi(c.PostForm("difficulty"))
	for _, k := range c.PostFormArray("correct") {
		f.Correct[k] = true
	}
	q := exams.Question{Category: exams.Category(f.Category), Type: f.Type, Difficulty: exams.Difficulty(f.Difficulty),
		Stem: f.Stem, Explanation: f.Explanation}
	if f.NewCategory != "" {
		q.Category = exams.Category(f.NewCategory)
	}
	switch f.Type {
	case exams.Single, exams.Multiple:
		last := -1
		for i := range exams.MaxOptions {
			f.Options[i] = c.PostForm("option_" + exams.OptionKey(i))
			if strings.TrimSpace(f.Options[i]) != "" {
				last = i
			}
		}
		for i := 0; i <= last; i++ {
			q.Options = append(q.Options, exams.Option{Key: exams.OptionKey(i), Text: f.Options[i]})
		}
		for i := range exams.MaxOptions {
			if k := exams.OptionKey(i); f.Correct[k] {
				q.Correct = append(q.Correct, k)
			}
		}
		q.FixedOrder = f.FixedOrder
	case exams.TrueFalse:
		switch f.Truth {
		case "true":
			q.Truth = ptrTo(true)
		case "false":
			q.Truth = ptrTo(false)
		}
	case exams.Fill:
		last := -1
		for i := range exams.MaxBlanks {
			v := c.PostForm(fmt.Sprintf("blank_%d", i))
			f.Blanks = append(f.Blanks, v)
			if strings.TrimSpace(v) != "" {
				last = i
			}
		}
		n := max(last+1, exams.CountBlanks(f.Stem))
		for i := 0; i < n && i < len(f.Blanks); i++ {
			q.Blanks = append(q.Blanks, exams.Blank{Accepted: splitAccepted(f.Blanks[i])})
		}
		for len(f.Blanks) > minBlankRows && strings.TrimSpace(f.Blanks[len(f.Blanks)-1]) == "" {
			f.Blanks = f.Blanks[:len(f.Blanks)-1]
		}
	case exams.Short:
		q.Reference, q.Rubric = f.Reference, f.Rubric
	}
	return f, q
}

// splitAccepted splits one blank's accepted answers at | or ｜.
func splitAccepted(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '｜' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }

func (s *Server) pageCreateQuestion(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	f, q := readQuestion(c)
	v, err := s.exams.CreateQuestion(c.Request.Context(), actorOf(c), q)
	if err != nil {
		s.renderQuestion(c, 0, f, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/bank/%d", v.ID), "question_saved")
}

// formOf is a bank question as the form's values.
func formOf(v *training.QuestionView) questionForm {
	q := v.Question
	f := questionForm{ID: v.ID, Version: v.Version, Archived: v.Archived, Type: q.Type, Category: string(q.Category),
		Difficulty: int(q.Difficulty), Stem: q.Stem, FixedOrder: q.FixedOrder, Reference: q.Reference, Rubric: q.Rubric,
		Explanation: q.Explanation, Correct: map[string]bool{}}
	for i, o := range q.Options {
		if i < len(f.Options) {
			f.Options[i] = o.Text
		}
	}
	for _, k := range q.Correct {
		f.Correct[k] = true
	}
	if q.Truth != nil {
		f.Truth = strconv.FormatBool(*q.Truth)
	}
	for _, b := range q.Blanks {
		f.Blanks = append(f.Blanks, strings.Join(b.Accepted, "|"))
	}
	return f
}

func (s *Server) pageEditQuestion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.requireLogin(c) {
		return
	}
	v, err := s.exams.Question(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := formOf(v)
	f.Type = typeParam(c, f.Type)
	s.renderQuestion(c, http.StatusOK, f, nil)
}

func (s *Server) pageUpdateQuestion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.requireLogin(c) {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	cur, err := s.exams.Question(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	f, q := readQuestion(c)
	f.ID, f.Version, f.Archived = id, cur.Version, cur.Archived
	if _, err := s.exams.UpdateQuestion(ctx, a, id, q); err != nil {
		s.renderQuestion(c, 0, f, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/bank/%d", id), "question_saved")
}

func (s *Server) pageArchiveQuestion(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.requireLogin(c) {
		return
	}
	archived := c.PostForm("archived") == "1"
	if _, err := s.exams.ArchiveQuestion(c.Request.Context(), actorOf(c), id, archived); err != nil {
		s.fail(c, err)
		return
	}
	back := safeNext(c.PostForm("back"))
	if !strings.HasPrefix(back, "/trainer/bank") {
		back = fmt.Sprintf("/trainer/bank/%d", id)
	}
	if u, err := url.Parse(back); err == nil {
		q := u.Query()
		q.Del("ok")
		u.RawQuery = q.Encode()
		back = u.String()
	}
	msg := "restored"
	if archived {
		msg = "archived"
	}
	seeOther(c, back, msg)
}

// ---- Import ----

type importPage struct {
	Added, Skipped int
	Done           bool
	Problems       []importProblem
	MaxMB          int
}

// importProblem is one bad cell of a rejected workbook.
type importProblem struct {
	Row     int
	Col     string
	Header  string
	Message string
}

func (s *Server) pageImportForm(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	// Asking for the categories checks that the visitor may use the bank at all.
	if _, err := s.exams.Categories(c.Request.Context(), actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	p := importPage{MaxMB: training.MaxImportBytes >> 20}
	if c.Query("ok") == "imported" {
		p.Done = true
		p.Added, _ = strconv.Atoi(c.Query("added"))
		p.Skipped, _ = strconv.Atoi(c.Query("skipped"))
	}
	s.render(c, http.StatusOK, "trainer_import", page{Title: "导入题库", Data: p, Flash: trainerFlash(c)})
}

func (s *Server) pageImport(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	// Asking for the categories checks that the visitor may use the bank before the upload is read.
	if _, err := s.exams.Categories(c.Request.Context(), actorOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	pg := page{Title: "导入题库", Data: importPage{MaxMB: training.MaxImportBytes >> 20}}
	b, err := readUpload(c, training.MaxImportBytes)
	if err != nil {
		s.formFail(c, "trainer_import", pg, err)
		return
	}
	res, err := s.exams.ImportBank(c.Request.Context(), actorOf(c), bytes.NewReader(b))
	if err != nil {
		if e, ok := models.AsError(err); ok && e.Code == "import_rejected" {
			// Every bad cell in a table by row and column, not as a list of links above the form.
			pg.Data = importPage{MaxMB: training.MaxImportBytes >> 20, Problems: importProblems(e.Fields)}
			pg.Error = e.Message
			s.render(c, http.StatusBadRequest, "trainer_import", pg)
			return
		}
		s.formFail(c, "trainer_import", pg, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/bank/import?added=%d&skipped=%d", res.Added, res.Skipped), "imported")
}

// importProblems turns the service's cell messages ("M7" → "第 7 行 M 列（正确答案）：…") into
// rows of a table, in row then column order.
func importProblems(fields map[string]string) []importProblem {
	out := make([]importProblem, 0, len(fields))
	for cell, msg := range fields {
		i := strings.IndexFunc(cell, func(r rune) bool { return r >= '0' && r <= '9' })
		p := importProblem{Message: msg}
		if i > 0 {
			p.Col = cell[:i]
			p.Row, _ = strconv.Atoi(cell[i:])
		}
		if head, rest, ok := strings.Cut(msg, "："); ok && strings.HasPrefix(head, "第") {
			p.Message = rest
			if a := strings.Index(head, "（"); a >= 0 {
				p.Header = strings.TrimSuffix(head[a+len("（"):], "）")
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Row != out[j].Row {
			return out[i].Row < out[j].Row
		}
		if len(out[i].Col) != len(out[j].Col) {
			return len(out[i].Col) < len(out[j].Col)
		}
		return out[i].Col < out[j].Col
	})
	return out
}

// ---- Blueprints ----

// blueprintRows is how many cell rows the form offers beyond the blueprint's own (the page
// works without JavaScript, so empty rows are offered and empty ones ignored).
const blueprintRows = 12

type blueprintForm struct {
	ID               uint64
	Name             string
	Purpose          string
	Title            string
	Duration         string
	PassMark         string
	Multi            string
	ShuffleQuestions bool
	ShuffleOptions   bool
	ThirdMarkGap     string
	Cells            []cellForm
}

type cellForm struct {
	Category, Type, Difficulty, Count, Points string
}

type blueprintPage struct {
	ID           uint64
	Categories   []string
	Types        []exams.Type
	Difficulties []exams.Difficulty
	Purposes     []purposeChoice
	Multis       []exams.MultiPolicy
	View         *training.BlueprintView // as saved, with today's shortages
	Count        int                     // of the cells as typed
	Total        string
	PassMark     string
	Problems     []string // the blueprint's problems, one a line
	Rows         []cellRow
	ViewTotal    string
}

// cellRow is one row of the cells table of the form.
type cellRow struct {
	cellForm
	N   int    // 1-based
	Key string // the error key and id prefix, "cells.0"
	Idx string // the name suffix, "0"
}

type purposeChoice struct{ Value, Label string }

// blueprintRow is a blueprint of the list with its points written out.
type blueprintRow struct {
	training.BlueprintView
	TotalText, PassMarkText string
}

func (s *Server) blueprintRows(c *gin.Context, a models.Actor) ([]blueprintRow, error) {
	bs, err := s.exams.Blueprints(c.Request.Context(), a)
	if err != nil {
		return nil, err
	}
	out := make([]blueprintRow, len(bs))
	for i, b := range bs {
		out[i] = blueprintRow{BlueprintView: b, TotalText: screening.FormatScore(b.Total), PassMarkText: screening.FormatScore(b.Spec.PassMark)}
	}
	return out, nil
}

func (s *Server) blueprintPage(c *gin.Context, id uint64, f *blueprintForm, view *training.BlueprintView) (blueprintPage, error) {
	cats, err := s.exams.Categories(c.Request.Context(), actorOf(c))
	if err != nil {
		return blueprintPage{}, err
	}
	p := blueprintPage{ID: id, Categories: cats, Types: exams.Types(), View: view,
		Difficulties: []exams.Difficulty{exams.AnyDifficulty, exams.Easy, exams.Medium, exams.Hard},
		Purposes: []purposeChoice{{models.PurposePreJob, training.PurposeLabel(models.PurposePreJob)},
			{models.PurposeRefresher, training.PurposeLabel(models.PurposeRefresher)}},
		Multis: []exams.MultiPolicy{exams.AllOrNothing, exams.Partial}}
	var total int64
	for _, cf := range f.Cells {
		if cell, ok := cellOf(cf); ok && !cf.empty() {
			p.Count += cell.Count
			total += cell.Subtotal()
		}
	}
	p.Total = screening.FormatScore(total)
	if pm, err := screening.ParseScore(strings.TrimSpace(f.PassMark)); err == nil {
		p.PassMark = screening.FormatScore(pm)
	}
	for len(f.Cells) < blueprintRows || (len(f.Cells) < exams.MaxCells && filled(f.Cells) > len(f.Cells)-4) {
		f.Cells = append(f.Cells, cellForm{Difficulty: "0"})
	}
	for i, cf := range f.Cells {
		p.Rows = append(p.Rows, cellRow{cellForm: cf, N: i + 1, Key: fmt.Sprintf("cells.%d", i), Idx: strconv.Itoa(i)})
	}
	if view != nil {
		p.ViewTotal = screening.FormatScore(view.Total)
	}
	return p, nil
}

func filled(cs []cellForm) int {
	n := 0
	for _, c := range cs {
		if !c.empty() {
			n++
		}
	}
	return n
}

func (c cellForm) empty() bool {
	return strings.TrimSpace(c.Count) == "" && strings.TrimSpace(c.Points) == ""
}

// cellOf reads one row of the form; ok is false when it does not make a cell.
func cellOf(cf cellForm) (exams.Cell, bool) {
	n, err1 := strconv.Atoi(strings.TrimSpace(cf.Count))
	pts, err2 := screening.ParseScore(strings.TrimSpace(cf.Points))
	d, _ := strconv.Atoi(cf.Difficulty)
	if err1 != nil || err2 != nil {
		return exams.Cell{}, false
	}
	return exams.Cell{Category: exams.Category(cf.Category), Type: exams.Type(cf.Type), Difficulty: exams.Difficulty(d),
		Count: n, Points: pts}, true
}

func blueprintFormOf(v *training.BlueprintView) blueprintForm {
	sp := v.Spec
	f := blueprintForm{ID: v.ID, Name: v.Name, Purpose: v.Purpose, Title: sp.Title, Duration: strconv.Itoa(sp.DurationMinutes),
		PassMark: screening.FormatScore(sp.PassMark), Multi: string(sp.Multi), ShuffleQuestions: sp.ShuffleQuestions,
		ShuffleOptions: sp.ShuffleOptions, ThirdMarkGap: screening.FormatScore(sp.ThirdMarkGap)}
	if f.Multi == "" {
		f.Multi = string(exams.AllOrNothing)
	}
	for _, cell := range sp.Cells {
		f.Cells = append(f.Cells, cellForm{Category: string(cell.Category), Type: string(cell.Type),
			Difficulty: strconv.Itoa(int(cell.Difficulty)), Count: strconv.Itoa(cell.Count), Points: screening.FormatScore(cell.Points)})
	}
	return f
}

// readBlueprint reads the blueprint form. Numbers that cannot be read are reported on their
// fields here; everything else is the service's to judge.
func readBlueprint(c *gin.Context) (blueprintForm, training.BlueprintInput, models.FieldErrors) {
	f := blueprintForm{Name: c.PostForm("name"), Purpose: c.PostForm("purpose"), Title: c.PostForm("paper_title"),
		Duration: c.PostForm("duration_minutes"), PassMark: c.PostForm("pass_mark"), Multi: c.PostForm("multi"),
		ShuffleQuestions: c.PostForm("shuffle_questions") == "on", ShuffleOptions: c.PostForm("shuffle_options") == "on",
		ThirdMarkGap: c.PostForm("third_mark_gap")}
	fe := models.FieldErrors{}
	in := training.BlueprintInput{Name: f.Name, Purpose: f.Purpose, Spec: exams.Blueprint{Title: strings.TrimSpace(f.Title),
		Multi: exams.MultiPolicy(f.Multi), ShuffleQuestions: f.ShuffleQuestions, ShuffleOptions: f.ShuffleOptions}}
	var err error
	if in.Spec.DurationMinutes, err = strconv.Atoi(strings.TrimSpace(f.Duration)); err != nil {
		fe.Add("duration_minutes", "请填写考试时长（分钟，整数）")
	}
	if in.Spec.PassMark, err = screening.ParseScore(strings.TrimSpace(f.PassMark)); err != nil {
		fe.Add("pass_mark", "请填写合格分数线："+err.Error())
	}
	if g := strings.TrimSpace(f.ThirdMarkGap); g != "" {
		if in.Spec.ThirdMarkGap, err = screening.ParseScore(g); err != nil {
			fe.Add("third_mark_gap", "第三评阈值："+err.Error())
		}
	}
	for i := 0; i < exams.MaxCells; i++ {
		n := strconv.Itoa(i)
		if _, ok := c.GetPostForm("cell_count_" + n); !ok {
			break
		}
		cf := cellForm{Category: c.PostForm("cell_category_" + n), Type: c.PostForm("cell_type_" + n),
			Difficulty: c.PostForm("cell_difficulty_" + n), Count: c.PostForm("cell_count_" + n), Points: c.PostForm("cell_points_" + n)}
		f.Cells = append(f.Cells, cf)
		if cf.empty() {
			continue
		}
		cell, ok := cellOf(cf)
		if !ok {
			fe.Add("cells."+n, fmt.Sprintf("第 %d 行：题数须为整数，每题分值须为数字（如 2 或 1.5）", i+1))
			continue
		}
		in.Spec.Cells = append(in.Spec.Cells, cell)
	}
	return f, in, fe
}

func (s *Server) renderBlueprint(c *gin.Context, status int, f blueprintForm, view *training.BlueprintView, err error) {
	p, perr := s.blueprintPage(c, f.ID, &f, view)
	if perr != nil {
		s.fail(c, perr)
		return
	}
	title := "新建组卷方案"
	if f.ID != 0 {
		title = "组卷方案：" + f.Name
		if view != nil {
			title = "组卷方案：" + view.Name
		}
	}
	pg := page{Title: title, Data: p, Form: f, Flash: trainerFlash(c)}
	if err != nil {
		if e, ok := models.AsError(err); ok {
			if spec, ok := e.Fields["spec"]; ok {
				p.Problems = strings.Split(spec, "；")
				pg.Data = p
			}
		}
		s.formFail(c, "trainer_blueprint", pg, err)
		return
	}
	s.render(c, status, "trainer_blueprint", pg)
}

func (s *Server) pageNewBlueprint(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	f := blueprintForm{Purpose: models.PurposePreJob, Duration: "60", PassMark: "60", Multi: string(exams.AllOrNothing),
		ShuffleQuestions: true, ShuffleOptions: true, ThirdMarkGap: "3.00"}
	s.renderBlueprint(c, http.StatusOK, f, nil, nil)
}

func (s *Server) pageCreateBlueprint(c *gin.Context) {
	if !s.requireLogin(c) {
		return
	}
	f, in, fe := readBlueprint(c)
	if err := fe.Err(); err != nil {
		s.renderBlueprint(c, 0, f, nil, err)
		return
	}
	v, err := s.exams.CreateBlueprint(c.Request.Context(), actorOf(c), in)
	if err != nil {
		s.renderBlueprint(c, 0, f, nil, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/blueprints/%d", v.ID), "blueprint_saved")
}

func (s *Server) pageEditBlueprint(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.requireLogin(c) {
		return
	}
	v, err := s.exams.Blueprint(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderBlueprint(c, http.StatusOK, blueprintFormOf(v), v, nil)
}

func (s *Server) pageUpdateBlueprint(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.requireLogin(c) {
		return
	}
	ctx, a := c.Request.Context(), actorOf(c)
	v, err := s.exams.Blueprint(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	f, in, fe := readBlueprint(c)
	f.ID = id
	if err := fe.Err(); err != nil {
		s.renderBlueprint(c, 0, f, v, err)
		return
	}
	if _, err := s.exams.UpdateBlueprint(ctx, a, id, in); err != nil {
		s.renderBlueprint(c, 0, f, v, err)
		return
	}
	seeOther(c, fmt.Sprintf("/trainer/blueprints/%d", id), "blueprint_saved")
}
