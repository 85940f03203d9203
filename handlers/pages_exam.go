package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
)

// The candidate's exam pages: the list of their exams and the exam itself. The exam page works
// without JavaScript (the answers post with the form); static/exam.js adds the countdown
// corrected for the browser's clock, saving each answer as it is given, the local journal that
// is re-sent after a network drop, the navigator and the saved/unsaved indicator.

func (s *Server) candidateExamPages(r *gin.Engine) {
	r.GET("/me/exams", getPage(s, "my_exams", s.requireLogin, "我的考试", actorOnly(s.exams.MyExams)))
	r.GET("/exams/:id", s.pageExam)
	r.POST("/exams/:id/start", s.pageExamStart)
	r.POST("/exams/:id/answers", s.pageExamAnswers)
	r.GET("/exams/:id/ticket.pdf", s.pdfTicket)
}

// examPage is the exam page's data.
type examPage struct {
	*training.ExamState
	Sections []examSection
}

// examSection is one section of the paper with each item's stored answer, for the template.
type examSection struct {
	Title string
	Items []examItem
}

// examItem is one question as the page shows it.
type examItem struct {
	exams.CandidateItem
	TypeLabel string
	Points    string
	Seq       int64
	Answer    exams.Answer
	Pieces    []string // a fill-in stem cut at its blanks
	Answered  bool
}

// Chosen reports whether an option is among the stored answer's choices.
func (it examItem) Chosen(key string) bool {
	for _, c := range it.Answer.Choices {
		if c == key {
			return true
		}
	}
	return false
}

// Blank is the stored answer of the i-th blank.
func (it examItem) Blank(i int) string {
	if i < len(it.Answer.Blanks) {
		return it.Answer.Blanks[i]
	}
	return ""
}

// IsTrue and IsFalse say what a stored true/false answer is.
func (it examItem) IsTrue() bool  { return it.Answer.Truth != nil && *it.Answer.Truth }
func (it examItem) IsFalse() bool { return it.Answer.Truth != nil && !*it.Answer.Truth }

func examPageOf(st *training.ExamState) examPage {
	p := examPage{ExamState: st}
	if st.Paper == nil {
		return p
	}
	for _, sec := range st.Paper.Sections {
		es := examSection{Title: sec.Title}
		for _, it := range sec.Items {
			a := st.Answers[it.No]
			ei := examItem{CandidateItem: it, TypeLabel: it.Type.Label(), Points: exams.FormatPoints(it.Points),
				Seq: st.Seqs[it.No], Answer: a, Answered: !a.Empty()}
			if it.Type == exams.Fill {
				ei.Pieces = exams.SplitStem(it.Stem)
			}
			es.Items = append(es.Items, ei)
		}
		p.Sections = append(p.Sections, es)
	}
	return p
}

func (s *Server) pageExam(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	st, err := s.exams.Exam(c.Request.Context(), actorOf(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "exam", page{Title: st.Title, Data: examPageOf(st), Flash: flash(c), Script: "/static/exam.js"})
}

func (s *Server) pageExamStart(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	if _, err := s.exams.Start(c.Request.Context(), actorOf(c), id); err != nil {
		st, serr := s.exams.Exam(c.Request.Context(), actorOf(c), id)
		if serr != nil {
			s.fail(c, err)
			return
		}
		s.formFail(c, "exam", page{Title: st.Title, Data: examPageOf(st), Script: "/static/exam.js"}, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/exams/%d", id))
}

// pageExamAnswers is the form's way in without JavaScript: every answer of the page is saved
// (numbered after what is stored) and, with the 交卷 button, the attempt handed in.
func (s *Server) pageExamAnswers(c *gin.Context) {
	id, ok := s.loggedInID(c, "id")
	if !ok {
		return
	}
	ctx, actor := c.Request.Context(), actorOf(c)
	st, err := s.exams.Exam(ctx, actor, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	handIn := c.PostForm("hand_in") == "1"
	// again shows the exam as it now stands, with what went wrong above it.
	again := func(err error) {
		if now, serr := s.exams.Exam(ctx, actor, id); serr == nil {
			st = now
		}
		s.formFail(c, "exam", page{Title: st.Title, Data: examPageOf(st), Script: "/static/exam.js"}, err)
	}
	if st.State != training.StateRunning {
		if handIn && st.State == training.StateHandedIn {
			seeOther(c, fmt.Sprintf("/exams/%d", id), "handed_in") // a second press of 交卷
			return
		}
		// The deadline passed (or another tab handed in) while this page was open: what it
		// sent is not saved, and it must not say so.
		again(models.Conflict("not_running", "考试已结束，本次提交的答案未保存。交卷时已保存的答案以回执为准。"))
		return
	}
	if saves := savesFromForm(c, st); len(saves) > 0 {
		reply, err := s.exams.Save(ctx, actor, id, saves)
		if err != nil {
			again(err)
			return
		}
		if reply.Closed {
			again(models.Conflict("not_running", "考试时间已到，本次提交的答案未保存。交卷时已保存的答案以回执为准。"))
			return
		}
	}
	if handIn {
		if _, err := s.exams.HandIn(ctx, actor, id); err != nil {
			again(err)
			return
		}
		seeOther(c, fmt.Sprintf("/exams/%d", id), "handed_in")
		return
	}
	seeOther(c, fmt.Sprintf("/exams/%d", id), "answers_saved")
}

// savesFromForm reads the answers of the posted form: a_{no} (choices, 对/错, short answer
// text) and a_{no}_{i} (the i-th blank), numbered after the highest stored sequence number.
func savesFromForm(c *gin.Context, st *training.ExamState) []training.SaveInput {
	_ = c.Request.ParseForm()
	form := c.Request.PostForm
	seq := st.LastSeq
	var out []training.SaveInput
	for _, sec := range st.Paper.Sections {
		for _, it := range sec.Items {
			name := "a_" + strconv.Itoa(it.No)
			var a exams.Answer
			switch it.Type {
			case exams.Single, exams.Multiple:
				a.Choices = form[name]
			case exams.TrueFalse:
				switch form.Get(name) {
				case "true":
					v := true
					a.Truth = &v
				case "false":
					v := false
					a.Truth = &v
				}
			case exams.Fill:
				for i := range it.Blanks {
					a.Blanks = append(a.Blanks, form.Get(fmt.Sprintf("%s_%d", name, i)))
				}
			case exams.Short:
				a.Text = form.Get(name)
			}
			if a.Canonical().Equal(st.Answers[it.No]) {
				continue // unchanged: nothing to save
			}
			seq++
			out = append(out, training.SaveInput{No: it.No, Seq: seq, Answer: a})
		}
	}
	return out
}
