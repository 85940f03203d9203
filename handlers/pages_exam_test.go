package handlers

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"auxportal/exams"
	"auxportal/exams/training"
)

// The exam page works without JavaScript: the form's buttons post every answer, what is
// unchanged is not saved again, 交卷 hands in and shows the receipt, and a post after the
// attempt ended is refused on the page instead of being reported as saved. The page never
// carries a key (rule T-5).
func TestExamPageWithoutJavaScript_T5(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	ctx := context.Background()
	page := fmt.Sprintf("/exams/%d", ex.candidate)

	w := f.do(applicant, "GET", page, nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `id="exam-form"`) || !strings.Contains(body, `/static/exam.js`) {
		t.Fatalf("exam page: %d %.300s", w.Code, body)
	}
	text := html.UnescapeString(body)
	for _, q := range exams.DemoBank() {
		for _, secret := range []string{q.Explanation, q.Reference, q.Rubric} {
			if secret != "" && strings.Contains(text, secret) {
				t.Fatalf("the exam page shows a key, reference answer or rubric: %.60s", secret)
			}
		}
	}
	if strings.Contains(body, `"correct"`) || strings.Contains(body, `data-key`) {
		t.Error("the exam page carries the key in its markup")
	}

	st, err := f.exams.Exam(ctx, f.actors[applicant], ex.candidate)
	if err != nil {
		t.Fatal(err)
	}
	// One answer of every type, as the browser posts them.
	form := url.Values{"save": {"1"}}
	want := map[int]exams.Answer{}
	yes := true
	for _, sec := range st.Paper.Sections {
		it := sec.Items[0]
		name := fmt.Sprintf("a_%d", it.No)
		switch it.Type {
		case exams.Single:
			form.Set(name, it.Options[1].Key)
			want[it.No] = exams.Answer{Choices: []string{it.Options[1].Key}}
		case exams.Multiple:
			form[name] = []string{it.Options[2].Key, it.Options[0].Key}
			want[it.No] = exams.Answer{Choices: []string{it.Options[0].Key, it.Options[2].Key}}
		case exams.TrueFalse:
			form.Set(name, "true")
			want[it.No] = exams.Answer{Truth: &yes}
		case exams.Fill:
			var blanks []string
			for i := range it.Blanks {
				v := fmt.Sprintf("第%d空", i+1)
				form.Set(fmt.Sprintf("%s_%d", name, i), v)
				blanks = append(blanks, v)
			}
			want[it.No] = exams.Answer{Blanks: blanks}
		case exams.Short:
			form.Set(name, "先劝导，再报告执法人员。<script>alert(1)</script>")
			want[it.No] = exams.Answer{Text: "先劝导，再报告执法人员。<script>alert(1)</script>"}
		}
	}
	if len(want) != 5 {
		t.Fatalf("the demo paper has %d question types, want 5", len(want))
	}
	post := func(v url.Values) *httptestResponse {
		w := f.do(applicant, "POST", page+"/answers", v.Encode())
		return &httptestResponse{w.Code, w.Header().Get("Location"), w.Body.String()}
	}
	if r := post(form); r.code != http.StatusSeeOther || r.location != page+"?ok=answers_saved" {
		t.Fatalf("save: %d %s %.300s", r.code, r.location, r.body)
	}
	st, _ = f.exams.Exam(ctx, f.actors[applicant], ex.candidate)
	for no, a := range want {
		if got := st.Answers[no]; !got.Equal(a.Canonical()) {
			t.Errorf("question %d: stored %+v, want %+v", no, got, a)
		}
	}
	if len(st.Answers) != len(want) {
		t.Errorf("%d answers stored, want %d (unanswered questions are not saved)", len(st.Answers), len(want))
	}
	// The page shows them back, escaped.
	shown := f.do(applicant, "GET", page, nil).Body.String()
	if strings.Contains(shown, "<script>alert(1)") || !strings.Contains(shown, "&lt;script&gt;alert(1)") {
		t.Error("the short answer is not shown back escaped")
	}
	// Posting the same form again saves nothing new.
	last := st.LastSeq
	post(form)
	if st, _ = f.exams.Exam(ctx, f.actors[applicant], ex.candidate); st.LastSeq != last {
		t.Errorf("an unchanged form was saved again (sequence %d → %d)", last, st.LastSeq)
	}
	// An answer the question cannot take is refused on the page, nothing half-stored.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	first := st.Paper.Sections[0].Items[0]
	bad.Set(fmt.Sprintf("a_%d", first.No), "Z")
	bad.Set(fmt.Sprintf("a_%d", st.Paper.Sections[1].Items[0].No), st.Paper.Sections[1].Items[0].Options[3].Key)
	if r := post(bad); r.code != http.StatusBadRequest || !strings.Contains(r.body, "第 "+fmt.Sprint(first.No)+" 题") {
		t.Errorf("bad choice: %d %.400s", r.code, r.body)
	}
	if st, _ = f.exams.Exam(ctx, f.actors[applicant], ex.candidate); st.LastSeq != last {
		t.Error("a refused form stored some of its answers")
	}

	// 交卷: every answer of the form is saved first, then the attempt is handed in.
	form.Set(fmt.Sprintf("a_%d", first.No), first.Options[0].Key)
	form.Del("save")
	form.Set("hand_in", "1")
	if r := post(form); r.code != http.StatusSeeOther || r.location != page+"?ok=handed_in" {
		t.Fatalf("hand in: %d %s %.300s", r.code, r.location, r.body)
	}
	st, _ = f.exams.Exam(ctx, f.actors[applicant], ex.candidate)
	if st.State != training.StateHandedIn || st.Receipt == "" || st.Answers[first.No].Choices[0] != first.Options[0].Key {
		t.Fatalf("after 交卷: state %s, receipt %q, answer %+v", st.State, st.Receipt, st.Answers[first.No])
	}
	if got := f.do(applicant, "GET", page+"?ok=handed_in", nil).Body.String(); !strings.Contains(got, st.Receipt) || !strings.Contains(got, "已交卷") {
		t.Errorf("the page after 交卷 lacks the receipt: %.400s", got)
	}
	// A second 交卷 (a double tap) lands on the same page; a save after the end is refused
	// and says so.
	if r := post(form); r.code != http.StatusSeeOther || r.location != page+"?ok=handed_in" {
		t.Errorf("second 交卷: %d %s", r.code, r.location)
	}
	form.Del("hand_in")
	form.Set(fmt.Sprintf("a_%d", first.No), first.Options[2].Key)
	if r := post(form); r.code != http.StatusConflict || !strings.Contains(r.body, "考试已结束，本次提交的答案未保存") {
		t.Errorf("save after the end: %d %.300s", r.code, r.body)
	}
	if st2, _ := f.exams.Exam(ctx, f.actors[applicant], ex.candidate); st2.Receipt != st.Receipt || st2.LastSeq != st.LastSeq {
		t.Error("a save after the end changed the handed-in attempt")
	}
}

// A page left open past the deadline: its post is not saved and the page says so; the attempt
// is closed at the deadline with what was saved before it.
func TestExamPagePastTheDeadline_T5(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	ctx := context.Background()
	page := fmt.Sprintf("/exams/%d", ex.candidate)
	st, err := f.exams.Exam(ctx, f.actors[applicant], ex.candidate)
	if err != nil {
		t.Fatal(err)
	}
	it := st.Paper.Sections[0].Items[0]
	f.clock.Set(st.Deadline.Add(time.Second))
	f.login(applicant, f.users[applicant], fixturePassword) // the session may have aged out
	w := f.do(applicant, "POST", page+"/answers", url.Values{fmt.Sprintf("a_%d", it.No): {it.Options[0].Key}, "save": {"1"}}.Encode())
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "本次提交的答案未保存") || !strings.Contains(w.Body.String(), "已交卷") {
		t.Errorf("post after the deadline: %d %.400s", w.Code, w.Body.String())
	}
	st, _ = f.exams.Exam(ctx, f.actors[applicant], ex.candidate)
	if st.State != training.StateHandedIn || st.ClosedBy != "deadline" || len(st.Answers) != 0 {
		t.Errorf("after the deadline: state %s closed by %q with %d answers", st.State, st.ClosedBy, len(st.Answers))
	}
}

type httptestResponse struct {
	code     int
	location string
	body     string
}
