package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"auxportal/exams"
)

// The demo's two proposed hires of 海门街道 and their sitting (cmd/auxportal/demo.go).
const (
	traineeZhou = "13800000021" // 周建华
	traineeSun  = "13800000022" // 孙丽娜
)

// apiExam is the part of the candidate's exam view (GET /api/v1/exams/{id}) the journey needs.
type apiExam struct {
	CandidateID uint64                `json:"candidate_id"`
	State       string                `json:"state"`
	Paper       *exams.CandidatePaper `json:"paper"`
	Answers     map[int]exams.Answer  `json:"answers"`
	Receipt     string                `json:"receipt"`
	Result      *struct {
		Score  string `json:"score"`
		Label  string `json:"label"`
		Passed bool   `json:"passed"`
	} `json:"result"`
}

// items are the paper's questions in order.
func (e apiExam) items() []exams.CandidateItem {
	var out []exams.CandidateItem
	for _, s := range e.Paper.Sections {
		out = append(out, s.Items...)
	}
	return out
}

// keyed is what a candidate who learnt the bank would answer: the demo bank's key in the
// paper's own option letters (the options are shuffled per candidate). Short answers get a
// paragraph for the trainer.
func keyed(t *testing.T, it exams.CandidateItem) exams.Answer {
	t.Helper()
	for _, q := range exams.DemoBank() {
		if q.Stem != it.Stem {
			continue
		}
		var a exams.Answer
		switch q.Type {
		case exams.Single, exams.Multiple:
			for _, k := range q.Correct {
				text := q.Options[slices.IndexFunc(q.Options, func(o exams.Option) bool { return o.Key == k })].Text
				shown := slices.IndexFunc(it.Options, func(o exams.Option) bool { return o.Text == text })
				if shown < 0 {
					t.Fatalf("question %d: option %q is not on the paper", it.No, text)
				}
				a.Choices = append(a.Choices, it.Options[shown].Key)
			}
			slices.Sort(a.Choices)
		case exams.TrueFalse:
			v := *q.Truth
			a.Truth = &v
		case exams.Fill:
			for _, b := range q.Blanks {
				a.Blanks = append(a.Blanks, b.Accepted[0])
			}
		case exams.Short:
			a.Text = "辅助人员只做辅助性工作：发现问题先劝导、及时报告执法人员，不得独立执法；" +
				"工作中规范着装、文明用语，全程记录，尊重群众。"
		}
		return a
	}
	t.Fatalf("question %d (%.30s) is not in the demo bank", it.No, it.Stem)
	return exams.Answer{}
}

// answerInBrowser gives an answer the way a candidate does: clicking the options, typing
// into the blanks and the text box.
func answerInBrowser(b *browser, it exams.CandidateItem, a exams.Answer) {
	b.t.Helper()
	step := fmt.Sprintf("answer question %d", it.No)
	switch it.Type {
	case exams.Single, exams.Multiple:
		for _, c := range a.Choices {
			b.do(step, click(fmt.Sprintf(`input[name="a_%d"][value=%q]`, it.No, c)))
		}
	case exams.TrueFalse:
		b.do(step, click(fmt.Sprintf(`input[name="a_%d"][value="%t"]`, it.No, *a.Truth)))
	case exams.Fill:
		for i, v := range a.Blanks {
			b.do(step, typeInto(fmt.Sprintf(`#a_%d_%d`, it.No, i), v))
		}
	case exams.Short:
		b.do(step, typeInto(fmt.Sprintf(`#a_%d`, it.No), a.Text))
	}
}

// setOffline cuts the tab's network (requests fail, navigator.onLine is false, the page gets
// its offline event) or gives it back.
func (b *browser) setOffline(offline bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}},
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if err != nil {
		b.fail(fmt.Sprintf("network offline=%t", offline), err)
	}
}

// signIn logs a demo user in through the login form.
func (b *browser) signIn(user, pass string) {
	b.t.Helper()
	b.open("login page", "/login", `/login`)
	b.do("log in as "+user, typeInto("#username", user), typeInto("#password", pass))
	b.navigate("log in as "+user, `/.*`, click(`main form button[type=submit]`))
}

// TestExamJourney is issue 5's browser journey on the real binary: a proposed hire sits the
// pre-job exam on a phone, loses the network half-way and closes the page with answers only
// on the phone, comes back, finds them restored and saved, and hands in with a receipt.
func TestExamJourney(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p.URL)
	b.phone()
	b.signIn(traineeZhou, demoPassword)

	// My exams: the sitting, with the ticket; in.
	b.open("my exams", "/me/exams", `/me/exams`)
	b.checkPage("my exams")
	b.do("my exams lists the sitting", waitText("main", "岗前培训统一考试", "准考证号", "进入考试"))
	b.navigate("enter the exam", `/exams/\d+`, click(`main a.button`))
	b.do("the start page explains the rules", waitText("main", "考试时长", "开始考试"))
	b.shot("exam-ready-390")
	b.navigate("start the exam", `/exams/\d+`, click(`form[action$="/start"] button`))
	b.do("the paper is shown", chromedp.WaitVisible(chromedp.CSS("#exam-form")), waitText("#save-state", "已保存"))
	if d := b.acceptedDialogs(); len(d) == 0 || !strings.Contains(d[len(d)-1], "开始后开始计时") {
		t.Errorf("starting asked no confirmation (dialogs %q)", d)
	}
	b.checkPage("exam in progress at 390 px")

	// The paper as the server holds it, read with the browser's own session.
	api := newAPIClient(t, p.URL)
	candidate := eval[string](b, "candidate id", `document.getElementById("exam").dataset.id`)
	exam := fmt.Sprintf("/api/v1/exams/%s", candidate)
	api.useCookies(b.cookies())
	var e apiExam
	api.getJSON(exam, http.StatusOK, &e)
	items := e.items()
	if e.State != "in_progress" || len(items) < 20 {
		t.Fatalf("exam state %q with %d questions", e.State, len(items))
	}
	if strings.Contains(eval[string](b, "page source", `document.documentElement.outerHTML`), `"correct"`) {
		t.Error("the exam page carries a key")
	}
	want := map[int]exams.Answer{}
	for _, it := range items {
		want[it.No] = keyed(t, it)
	}

	// (1) The first ten online: each is saved as it is given.
	for _, it := range items[:10] {
		answerInBrowser(b, it, want[it.No])
	}
	b.do("the first ten are saved", waitText("#save-state", "已保存"))
	if n := eval[int](b, "navigator", `document.querySelectorAll(".navigator a.answered").length`); n != 10 {
		t.Errorf("the navigator marks %d questions answered, want 10", n)
	}
	b.do("to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.shot("exam-in-progress-390")

	// (2) The network drops: the next five stay on the phone, and the page says so.
	b.setOffline(true)
	for _, it := range items[10:15] {
		answerInBrowser(b, it, want[it.No])
	}
	b.do("the page says what is unsaved", waitText("#save-state", "5 题未保存", "网络断开"))
	b.shot("exam-offline-390")
	// The candidate gives up and closes the page while still offline.
	b.do("close the page offline", chromedp.Navigate("about:blank"))
	api.getJSON(exam, http.StatusOK, &e)
	if got := len(e.Answers); got != 10 {
		t.Errorf("while offline the server has %d answers, want 10", got)
	}

	// (3) Back online, back to the exam: the five come back from the phone's journal and are
	// sent; the server now has fifteen, exactly as given.
	b.setOffline(false)
	b.open("back to the exam", "/exams/"+candidate, `/exams/\d+`)
	b.do("the journal is re-sent", waitText("#save-state", "已保存"))
	for _, it := range items[10:15] {
		if it.Type == exams.Single || it.Type == exams.TrueFalse {
			checked := eval[bool](b, "restored answer", fmt.Sprintf(`!!document.querySelector('input[name="a_%d"]:checked')`, it.No))
			if !checked {
				t.Errorf("question %d: the answer given offline is not back in the form", it.No)
			}
		}
	}
	api.getJSON(exam, http.StatusOK, &e)
	for _, it := range items[:15] {
		if got := e.Answers[it.No]; !got.Equal(want[it.No].Canonical()) {
			t.Errorf("question %d: the server has %+v, want %+v", it.No, got, want[it.No])
		}
	}

	// (4) The rest, then 交卷: the receipt.
	for _, it := range items[15:] {
		answerInBrowser(b, it, want[it.No])
	}
	b.do("all saved", waitText("#save-state", "已保存"))
	b.do("1366 wide", chromedp.EmulateViewport(1366, 900), chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.checkPage("exam in progress at 1366 px")
	b.shot("exam-in-progress-1366")
	b.phone()
	b.navigate("hand in", `/exams/\d+\?ok=handed_in`, click(`#hand-in`))
	b.do("the receipt", waitText("main", "已交卷", "回执码"))
	b.checkPage("handed in")
	b.shot("exam-handed-in-390")
	api.getJSON(exam, http.StatusOK, &e)
	if e.State != "handed_in" || e.Receipt == "" || !strings.Contains(b.text("receipt", ".receipt"), e.Receipt) {
		t.Errorf("after handing in: state %q, receipt %q, page %q", e.State, e.Receipt, b.text("receipt", "main"))
	}
	for _, it := range items {
		if got := e.Answers[it.No]; !got.Equal(want[it.No].Canonical()) {
			t.Errorf("question %d: handed in %+v, want %+v", it.No, got, want[it.No])
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}
