package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"net/url"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"auxportal/certificates/pdftest"
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

// TestExamJourney is issue 5's and issue 6's browser journey on the real binary: a proposed
// hire sits the pre-job exam on a phone, loses the network half-way and closes the page with
// answers only on the phone, comes back, finds them restored and saved, and hands in with a
// receipt; the trainer grades the short answers blind and publishes; the candidate sees his
// result and is hired; the district issues his permit; he downloads it; its QR code opens the
// verify page, which says 有效 — and 已吊销 once the district revokes it.
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
	api.getJSON(exam, http.StatusOK, &e)
	if got := len(e.Answers); got != 10 {
		t.Errorf("while offline the server has %d answers, want 10", got)
	}
	// The candidate gives up and closes the page while still offline. (Whether a last send as
	// the page goes away gets through depends on the browser's teardown; step 3 holds either way.)
	b.do("close the page offline", chromedp.Navigate("about:blank"))

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

	// (5) The other trainee sits the exam too (through the API, as another phone would).
	sun := newAPIClient(t, p.URL)
	sun.login(traineeSun)
	var sunExams struct {
		Exams []struct {
			CandidateID uint64 `json:"candidate_id"`
		} `json:"exams"`
	}
	sun.must("GET", "/api/v1/me/exams", nil, &sunExams, http.StatusOK)
	sunExam := fmt.Sprintf("/api/v1/exams/%d", sunExams.Exams[0].CandidateID)
	var sunState apiExam
	sun.must("POST", sunExam+"/start", nil, &sunState, http.StatusOK)
	var saves []map[string]any
	for i, it := range sunState.items() {
		if it.Type == exams.Short || i%2 == 0 {
			saves = append(saves, map[string]any{"no": it.No, "seq": i + 1, "answer": keyed(t, it)})
		}
	}
	sun.must("POST", sunExam+"/saves", map[string]any{"saves": saves}, nil, http.StatusOK)
	sun.must("POST", sunExam+"/submit", nil, nil, http.StatusOK)

	// (6) The trainer grades the short answers blind on the pages: no name, ID number, ticket
	// or town on a marking page; then publishes.
	b.logout("trainee logs out")
	b.desktop()
	b.signIn("trainer", demoPassword)
	sitting := "/trainer/sittings/1"
	b.open("the sitting", sitting, sitting)
	b.do("the control room shows both handed in", waitText("main", "周建华", "孙丽娜"))
	b.open("grading", sitting+"/grading", sitting+"/grading")
	marked := 0
	for range 10 {
		if eval[int](b, "questions to mark", `document.querySelectorAll('main a.button[href*="/grading/"]').length`) == 0 {
			break
		}
		b.navigate("start marking", sitting+`/grading/\d+`, click(`main a.button[href*="/grading/"]`))
		for eval[bool](b, "an answer to mark", `!!document.getElementById("points")`) {
			text := b.text("marking page", "main")
			for _, secret := range []string{"周建华", "孙丽娜", "海门街道", "2026000"} {
				if strings.Contains(text, secret) {
					t.Errorf("the marking page shows %q:\n%s", secret, text)
				}
			}
			b.navigate("mark", sitting+`/grading/\d+.*`, typeInto("#points", "12"), click(`main form button[type=submit]`))
			marked++
		}
		b.open("grading", sitting+"/grading", sitting+"/grading")
	}
	if marked != 4 {
		t.Errorf("marked %d short answers, want 4 (two questions, two candidates)", marked)
	}
	b.shot("grading-done-1366")
	b.open("the sitting", sitting, sitting)
	b.navigate("publish", sitting+`.*`, click(`#publish`))
	b.do("published", waitText("main", "成绩已发布"))

	// (7) The candidate sees the result, and the hiring gate has hired him (rule T-1).
	b.logout("trainer logs out")
	b.phone()
	b.signIn(traineeZhou, demoPassword)
	b.open("my exams", "/me/exams", `/me/exams`)
	b.do("the result", waitText("main", "成绩已发布", "合格"))
	b.navigate("open the exam", `/exams/\d+`, click(`a[href^="/exams/"]:not([href$=".pdf"])`))
	b.do("the result says he is hired", waitText("main", "已正式录用"))
	b.shot("exam-result-390")
	var apps struct {
		Applications []struct {
			Status string `json:"status"`
		} `json:"applications"`
	}
	api.useCookies(b.cookies())
	api.must("GET", "/api/v1/me/applications", nil, &apps, http.StatusOK)
	if len(apps.Applications) != 1 || apps.Applications[0].Status != "hired" {
		t.Fatalf("after passing: applications %+v, want one hired", apps.Applications)
	}

	// (8) The district issues his permit (rule T-2); he downloads it: its text names him, its
	// QR code opens the verify page, which says 有效.
	b.logout("trainee logs out")
	b.desktop()
	b.signIn("district", demoPassword)
	b.open("permits", "/admin/permits", `/admin/permits`)
	b.do("he waits for his permit", waitText("main", "待颁发（1 人）", "周建华"))
	b.navigate("issue", `/admin/permits/\d+\?ok=issued`, click(`form[action$="/permit"] button`))
	permitPage := eval[string](b, "permit page", `location.pathname`)
	b.logout("district logs out")
	b.phone()
	b.signIn(traineeZhou, demoPassword)
	b.open("my permits", "/me/permits", `/me/permits`)
	b.do("his permit", waitText("main", "有效", "下载上岗证"))
	b.checkPage("my permits")
	b.shot("my-permit-390")
	card := eval[string](b, "card link", `document.querySelector('a[href$="card.pdf"]').getAttribute("href")`)
	api.useCookies(b.cookies())
	pdf := api.get(card, http.StatusOK)
	text := strings.Join(strings.Fields(pdftest.Text(t, pdf)), "")
	if !strings.Contains(text, "南通市海门区城市管理辅助人员上岗证") || !strings.Contains(text, "周建华") || !strings.Contains(text, "HM2026-") {
		t.Errorf("the permit's text:\n%s", text)
	}
	qr := pdftest.ScanQR(t, pdf)
	if len(qr) != 1 {
		t.Fatalf("QR codes on the permit: %q", qr)
	}
	u, err := url.Parse(qr[0])
	if err != nil {
		t.Fatal(err)
	}
	b.logout("the holder logs out") // an inspector scans it
	b.open("verify", u.RequestURI(), regexpQuote(u.RequestURI()))
	b.do("valid", waitText("main", "有效", "周*华", "海门街道"))
	b.checkPage("verify page")
	b.shot("verify-valid-390")

	// (9) Revoked: the same QR code now says 已吊销.
	b.desktop()
	b.signIn("district", demoPassword)
	b.open("the permit", permitPage, regexpQuote(permitPage))
	b.navigate("revoke", regexpQuote(permitPage)+`\?ok=revoked`, typeInto("#revoke_reason", "演示：离职后未交回上岗证"), click(`form[action$="/revoke"] button`))
	b.logout("district logs out")
	b.phone()
	b.open("verify again", u.RequestURI(), regexpQuote(u.RequestURI()))
	b.do("revoked", waitText("main", "已吊销"))
	if strings.Contains(b.text("verify page", "main"), "离职") {
		t.Error("the verify page shows the reason of the revocation")
	}
	b.shot("verify-revoked-390")

	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}

// get fetches a file with the client's session and returns its bytes.
func (c *apiClient) get(path string, want int) []byte {
	c.t.Helper()
	status, body := c.call("GET", path, nil)
	if status != want {
		c.t.Fatalf("GET %s: %d, want %d\n%.300s", path, status, want, body)
	}
	return body
}
