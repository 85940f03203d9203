package e2e

// Regression tests from the review of issues 5 and 7 (rev57), each failing when written: the exam
// page's journal and saves, as a candidate on a phone meets them. Each test names the finding it
// demonstrates.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"auxportal/exams"
)

// startedExam signs the demo trainee 周建华 in on b, starts his exam and returns the exam's API
// path and its questions, read with the browser's session.
func startedExam(t *testing.T, p *portal, b *browser, api *apiClient) (string, []exams.CandidateItem) {
	t.Helper()
	b.signIn(traineeZhou, demoPassword)
	b.open("my exams", "/me/exams", `/me/exams`)
	b.navigate("enter the exam", `/exams/\d+`, click(`main a.button`))
	b.navigate("start the exam", `/exams/\d+`, click(`form[action$="/start"] button`))
	b.do("the paper is shown", chromedp.WaitVisible(chromedp.CSS("#exam-form")), waitText("#save-state", "已保存"))
	candidate := eval[string](b, "candidate id", `document.getElementById("exam").dataset.id`)
	api.useCookies(b.cookies())
	var e apiExam
	path := "/api/v1/exams/" + candidate
	api.getJSON(path, http.StatusOK, &e)
	return path, e.items()
}

func firstOfType(items []exams.CandidateItem, t exams.Type) exams.CandidateItem {
	for _, it := range items {
		if it.Type == t {
			return it
		}
	}
	return exams.CandidateItem{}
}

// Finding: one answer the server refuses (a blank over 200 characters, a short answer over
// 5,000 — the inputs have no maxlength) makes every later save of the page fail too: the page
// re-sends its whole journal as one batch, the server refuses the whole batch (400), and the page
// retries it for ever saying "N 题保存中…". Handing in then goes ahead (flush's failure resolves
// its promise) and every answer given after the long one is lost, and the journal is deleted.
func TestRev57_OneOverlongAnswerBlocksEveryLaterSave(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p.URL)
	b.phone()
	api := newAPIClient(t, p.URL)
	exam, items := startedExam(t, p, b, api)
	fill, single := firstOfType(items, exams.Fill), firstOfType(items, exams.Single)

	// A pasted sentence of 201 characters in a blank (a candidate copying the stem, say).
	b.do("an over-long blank", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.getElementById("a_%d_0");
		e.value = %s;
		e.dispatchEvent(new Event("input", {bubbles: true}));
	})()`, fill.No, js(strings.Repeat("城", 201)))))
	time.Sleep(1500 * time.Millisecond)
	// Then an ordinary answer to another question.
	b.do("answer a single choice", click(fmt.Sprintf(`input[name="a_%d"][value="A"]`, single.No)))
	time.Sleep(3 * time.Second)
	b.shot("rev57-overlong-blank-390")

	var e apiExam
	api.getJSON(exam, http.StatusOK, &e)
	if got := e.Answers[single.No]; len(got.Choices) != 1 || got.Choices[0] != "A" {
		t.Errorf("question %d answered A three seconds ago: the server has %+v; the page says %q", single.No, got,
			b.text("save state", "#save-state"))
	}
	if !strings.Contains(b.text("field message", fmt.Sprintf("#q%d", fill.No)), "不能超过") {
		t.Errorf("the page does not tell the candidate that the blank of question %d is too long", fill.No)
	}

	// 交卷: the answer to the single choice must be in what is handed in.
	b.navigate("hand in", `/exams/\d+.*`, click(`#hand-in`))
	api.getJSON(exam, http.StatusOK, &e)
	if e.State != "handed_in" {
		t.Logf("state after 交卷: %s", e.State)
	}
	if got := e.Answers[single.No]; len(got.Choices) != 1 {
		t.Errorf("handed in without question %d's answer (lost), state %s", single.No, e.State)
	}
}

// Finding: two devices (or two tabs) of one candidate that answer the same question with the
// same sequence number get "conflict"; the page keeps the save pending and sends it again at
// once, without any delay, for ever: a tight loop of requests, and the answer is never saved.
func TestRev57_ConflictingSaveIsResentInATightLoop(t *testing.T) {
	p := startPortal(t)
	phone := newBrowser(t, p.URL)
	phone.phone()
	api := newAPIClient(t, p.URL)
	_, items := startedExam(t, p, phone, api)
	single := firstOfType(items, exams.Single)
	candidatePage := eval[string](phone, "exam page", `location.pathname`)

	// The same candidate on a PC, opened at the same moment (both pages know the same last seq).
	pc := newBrowser(t, p.URL)
	pc.desktop()
	pc.signIn(traineeZhou, demoPassword)
	pc.open("the exam on the PC", candidatePage, regexpQuote(candidatePage))
	pc.do("paper on the PC", chromedp.WaitVisible(chromedp.CSS("#exam-form")))

	phone.do("phone answers A", click(fmt.Sprintf(`input[name="a_%d"][value="A"]`, single.No)))
	time.Sleep(time.Second)
	pc.do("PC answers B", click(fmt.Sprintf(`input[name="a_%d"][value="B"]`, single.No)))
	time.Sleep(2 * time.Second)
	n := eval[int](pc, "save requests", `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/saves")).length`)
	state := pc.text("save state", "#save-state")
	pc.shot("rev57-conflict-pc")
	if n > 10 {
		t.Errorf("the PC sent %d save requests in two seconds for one answer (a loop without backoff); it says %q", n, state)
	}
}

// Finding: a device whose page was opened earlier (a lower sequence number) answers a question
// the other device answered since; the server calls it stale and keeps the other answer, and
// the page drops the save and says 已保存 while it shows an answer the server does not have.
func TestRev57_StaleSaveShownAsSaved(t *testing.T) {
	p := startPortal(t)
	phone := newBrowser(t, p.URL)
	phone.phone()
	api := newAPIClient(t, p.URL)
	exam, items := startedExam(t, p, phone, api)
	single := firstOfType(items, exams.Single)
	candidatePage := eval[string](phone, "exam page", `location.pathname`)

	pc := newBrowser(t, p.URL)
	pc.desktop()
	pc.signIn(traineeZhou, demoPassword)
	pc.open("the exam on the PC", candidatePage, regexpQuote(candidatePage))
	pc.do("paper on the PC", chromedp.WaitVisible(chromedp.CSS("#exam-form")))

	// The phone answers a few questions, the last one twice.
	for _, it := range items[:5] {
		if it.Type == exams.Single {
			phone.do("phone answers", click(fmt.Sprintf(`input[name="a_%d"][value="C"]`, it.No)))
		}
	}
	phone.do("phone answers A", click(fmt.Sprintf(`input[name="a_%d"][value="A"]`, single.No)))
	phone.do("phone saved", waitText("#save-state", "已保存"))
	// The candidate moves to the PC and changes that answer to B.
	pc.do("PC answers B", click(fmt.Sprintf(`input[name="a_%d"][value="B"]`, single.No)))
	time.Sleep(1500 * time.Millisecond)
	var e apiExam
	api.getJSON(exam, http.StatusOK, &e)
	state := pc.text("save state", "#save-state")
	if got := e.Answers[single.No]; (len(got.Choices) != 1 || got.Choices[0] != "B") && strings.Contains(state, "已保存") {
		t.Errorf("the PC shows B for question %d and says %q, but the server keeps %+v", single.No, state, got)
	}
}
