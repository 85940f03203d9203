package e2e

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/xuri/excelize/v2"
)

// person is an applicant of the journey.
type person struct {
	phone, name, id string
}

const password = "Tide-lantern-5821"

// TestRecruitmentJourney is issue 2's browser journey on the real binary: applicants register
// and apply on a phone and see the screening rule by rule before and after submitting; a town
// admin reviews the relaxation and the evidence, enters scores and gets the ranking with the
// R-3 explanation and its .xlsx export.
func TestRecruitmentJourney(t *testing.T) {
	began := time.Now()
	p := startPortal(t)
	var o openingInfo
	p.getJSON(t, "/api/v1/openings/1", &o)
	if o.Town != "三星镇" {
		t.Fatalf("demo opening 1 is at %q, want 三星镇", o.Town)
	}
	ref := o.reference(t)
	dir := t.TempDir()
	photo := writeJPEG(t, dir, "photo.jpg", 20)
	diploma := writeJPEG(t, dir, "diploma.jpg", 120)
	veteranProof := writeJPEG(t, dir, "veteran.jpg", 220)

	veteran := person{"13900000043", "王建军", idNumber(t, bornAged(ref, 43), "351")}
	barred := person{"13900000030", "赵小红", idNumber(t, bornAged(ref, 30), "362")}
	plain := person{"13900000028", "孙明", idNumber(t, bornAged(ref, 28), "373")}

	b := newBrowser(t, p.URL)
	t.Logf("browser and portal ready after %v; screenshots in %s", time.Since(began).Round(time.Millisecond), b.shots)

	// (1) A 43-year-old registers on a phone on the way to the form, sees A2-3 fail live, then
	// relaxed once they tick 退伍军人; submitting without the veteran proof shows the form
	// again with the error and the answers kept; with photo, diploma and proof it goes through.
	b.phone()
	b.open("home page", "/", `/`)
	b.checkPage("home page")
	b.do("keyboard: the first Tab reaches the skip link", chromedp.KeyEvent(kb.Tab))
	if cls := eval[string](b, "focus", `document.activeElement ? document.activeElement.className : ""`); cls != "skip" {
		t.Errorf("the first Tab focuses %q, want the skip link (class skip)", cls)
	}
	b.shot("home-phone")
	b.navigate("open the opening", `/openings/1`, click(`main a[href="/openings/1"]`))
	b.do("opening page shows the conditions", waitText("main h1", "三星镇"), waitText("main .window", "出生日期须在"))
	b.checkPage("opening page")
	b.shot("opening-phone")
	b.do("a signed-out visitor is told that signing in comes first", waitText("main .sign-in-first", "报名须先登录"))
	b.navigate("登录后报名 goes to the login page", `/login\?next=.+`, click(`main .sign-in-first a[href^="/login"]`))
	b.checkPage("login page")
	b.navigate("from the login page to registration", `/register\?next=.+`, click(`main a[href^="/register"]`))
	b.checkPage("registration page")
	b.do("fill in the phone number", typeInto("#phone", veteran.phone))
	b.navigate("ask for a code", `/register/verify\?.*next=.+`, click(`main form button[type=submit]`))
	b.checkPage("registration page, step 2")
	b.do("fill in the registration",
		typeInto("#code", p.code(t, veteran.phone)), typeInto("#name", veteran.name),
		typeInto("#password", password), typeInto("#password2", password),
		click(`input[name=consent_sensitive]`))
	b.shot("register-phone")
	b.navigate("register and come back to the form", `/openings/1/apply(\?ok=registered)?`, click(`main form[action="/register"] button[type=submit]`))
	b.checkPage("application form")
	if got := eval[string](b, "name prefilled", `document.getElementById("name").value`); got != veteran.name {
		t.Errorf("the form's name field holds %q, want the account's name %q", got, veteran.name)
	}
	b.do("fill in a 43-year-old non-veteran",
		typeInto("#id_number", veteran.id),
		choose("#education", "high_school"),
		typeInto("#major", "机械制造"),
		click(`input[type=checkbox][name=accepts_conditions]`),
		click(`input[type=checkbox][name=healthy]`),
	)
	b.do("the form shows 性别 and 出生日期 from the ID number, never asked for",
		waitText("#derived-birth", bornAged(ref, 43).Format("2006年1月2日")),
		waitText("#derived-gender", "男"),
	)
	b.do("fill in the 报名表's other fields on the phone", fillProfile(bornAged(ref, 43).Year()+18))
	b.do("增加一行 adds a fourth 经历 line, numbered like the others (left blank, it is dropped)",
		click(`#resume button.add-line`),
		chromedp.WaitVisible(chromedp.CSS(`#resume_org_4`)),
		waitText(`#resume fieldset.line:nth-of-type(4) legend`, "第 4 行"),
	)
	b.shot("apply-profile-phone")
	b.do("the live screening says 不符合 with the age condition's reason before submitting, and the bars wait for answers",
		chromedp.WaitVisible(chromedp.CSS("#screening")),
		waitAnyText("#screening-checks li.c-pass", "品行与意愿承诺"),
		waitAnyText("#screening-checks li.c-pass", "身体条件"),
		waitText("#screening-outcome", "不符合"),
		waitAnyText("#screening-checks li.c-fail", "年龄条件", "43周岁", "超过40周岁"),
		waitAnyText("#screening-checks li.c-fail", "不得报考的情形", "逐项回答"),
	)
	b.do("scroll to the screening panel", chromedp.ScrollIntoView(chromedp.CSS("#screening")))
	b.shot("apply-live-ineligible-phone")
	b.do("tick 退伍军人: A2-3 becomes relaxed (the A2-6 answers are still missing)",
		click(`input[type=checkbox][name=veteran]`),
		waitAnyText("#screening-checks li.c-relaxed", "年龄条件", "退伍军人"),
	)
	if txt := b.text("A2-3", "#screening-checks"); strings.Contains(txt, "超过40周岁上限") || ruleIDs.MatchString(txt) {
		t.Errorf("after ticking 退伍军人 A2-3 still fails: %q", txt)
	}
	b.shot("apply-live-relaxed-phone")
	b.do("attach photo and diploma, forget the veteran proof",
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=photo]`), []string{photo}),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=diploma]`), []string{diploma}),
	)
	b.navigateStatus("submit without the veteran proof and the A2-6 answers", http.StatusBadRequest, `/openings/1/apply`, click(`#apply-form button[type=submit]`))
	b.do("the form comes back with the missing proof and every unanswered question named, the answers kept",
		waitText(".error-summary", "退伍证明"),
		waitText(".error-summary", "纪律处分"),
		waitText(".error-summary", "其他不适合"),
		chromedp.WaitVisible(chromedp.CSS("#file_veteran_proof-err")),
		chromedp.WaitVisible(chromedp.CSS("#other_bar-err")),
	)
	b.do("answer 否 to each A2-6 question: the outcome becomes 需人工复核",
		click(`input[name=under_discipline][value=false]`),
		click(`input[name=criminal_penalty_unfinished][value=false]`),
		click(`input[name=under_investigation][value=false]`),
		click(`input[name=other_bar][value=false]`),
		waitText("#screening-outcome", "需人工复核"),
	)
	if kept := eval[bool](b, "answers kept", fmt.Sprintf(`document.getElementById("id_number").value === %s && document.querySelector("input[type=checkbox][name=veteran]").checked`, js(veteran.id))); !kept {
		t.Errorf("the form shown again lost the ID number or the 退伍军人 tick")
	}
	b.checkPage("application form with errors")
	b.shot("apply-missing-proof-phone")
	b.do("the photo and the diploma of the refused round are kept",
		waitText("#upload-photo .received", "已收到"), waitText("#upload-diploma .received", "已收到"))
	b.do("attach the veteran proof only",
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=veteran_proof]`), []string{veteranProof}),
	)
	b.navigate("on to the confirmation step", `/openings/1/apply`, click(`#apply-form button[type=submit]`))
	b.do("the confirmation step shows the photo", waitText("main h1", "核对报名信息"), waitImage("main .confirm img.photo-preview"))
	// Had the refused submission been stored, this one would be a duplicate (one ID number,
	// one opening) and be refused too.
	path := b.navigate("submit the application", `/me/applications/\d+\?ok=applied`, click(`main form button[value=submit]`))
	veteranApp := regexp.MustCompile(`\d+`).FindString(path)
	b.do("the detail page says 待复核 and shows the A2-3 line",
		waitText(".flash", "报名已提交"),
		waitText("main strong.status", "待复核"),
		waitAnyText(".checks-table tr.c-relaxed", "年龄条件", "43周岁", "退伍军人"),
		waitAnyText("ol.timeline li", "已提交"),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/withdraw"] button`)),
	)
	b.checkPage("application detail")
	if body := b.text("detail text", "main"); strings.Contains(body, veteran.id) {
		t.Errorf("the applicant's page shows the whole ID number %s; it must be masked", veteran.id)
	}
	b.do("the applicant's page shows the 报名表's other fields and the 报名表 download",
		waitText("main", "报名表其他信息", "江苏省海门中学", "海门叠石桥国际家纺城"),
		chromedp.WaitVisible(chromedp.CSS(`main a[href$="/form.pdf"]`)),
	)
	formHref := eval[string](b, "the 报名表 link", `document.querySelector('main a[href$="/form.pdf"]').getAttribute("href")`)
	own := downloadText(t, b, formHref)
	if !strings.Contains(own, veteran.name) || !strings.Contains(own, "本人留存") || strings.Contains(own, veteran.id) ||
		strings.Contains(own, bornAged(ref, 43).Format("2006年1月2日")) {
		t.Errorf("the applicant's 报名表 PDF must carry the name, the mask and no birth date:\n%s", own)
	}
	b.shot("application-pending-phone")
	b.navigate("my applications", `/me`, click(`header a[href="/me"]`))
	b.do("my applications list the application", waitAnyText("main tbody tr", o.Title, "待复核"))
	b.checkPage("my applications")
	b.logout("applicant 1 logs out")

	// (2) A second applicant declares a disqualifier (A2-6): the form warns before submitting,
	// the detail page says 不合格 with the reason, and they withdraw (a confirm dialog).
	b.open("registration page", "/register", `/register`)
	b.do("fill in the second phone number", typeInto("#phone", barred.phone))
	b.navigate("ask for the second code", `/register/verify\?.+`, click(`main form button[type=submit]`))
	b.do("fill in the second registration",
		typeInto("#code", p.code(t, barred.phone)), typeInto("#name", barred.name),
		typeInto("#password", password), typeInto("#password2", password),
		click(`input[name=consent_sensitive]`))
	b.navigate("register", `/\?ok=registered`, click(`main form[action="/register"] button[type=submit]`))
	b.do("registered and logged in", waitText(".flash", "注册成功"), waitText("header nav", barred.name))
	b.navigate("open the opening", `/openings/1`, click(`main a[href="/openings/1"]`))
	b.navigate("go to the form", `/openings/1/apply`, click(`main a[href="/openings/1/apply"]`))
	b.do("fill in an applicant under discipline",
		typeInto("#id_number", barred.id),
		choose("#education", "bachelor"),
		typeInto("#major", "汉语言文学"),
		click(`input[type=checkbox][name=accepts_conditions]`),
		click(`input[type=checkbox][name=healthy]`),
		click(`input[name=under_discipline][value=true]`),
		click(`input[name=criminal_penalty_unfinished][value=false]`),
		click(`input[name=under_investigation][value=false]`),
		click(`input[name=other_bar][value=false]`),
		fillProfile(bornAged(ref, 30).Year()+22),
		waitText("#screening-outcome", "不符合"),
		waitAnyText("#screening-checks li.c-fail", "不得报考的情形", "纪律处分"),
		waitAnyText("#screening-checks li.c-pass", "年龄条件"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=photo]`), []string{photo}),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=diploma]`), []string{diploma}),
	)
	b.navigate("on to the confirmation step", `/openings/1/apply`, click(`#apply-form button[type=submit]`))
	b.do("the confirmation step warns that the form does not meet the conditions", waitText("main .confirm", "不符合本岗位的报名条件"))
	b.navigate("submit the ineligible application", `/me/applications/\d+\?ok=applied`, click(`main form button[value=submit]`))
	b.do("the detail page says 不合格 with the bars' reason",
		waitText("main strong.status", "不合格"),
		waitAnyText(".checks-table tr.c-fail", "不得报考的情形", "尚未解除纪律处分"),
	)
	b.shot("application-ineligible-phone")
	b.navigate("withdraw (confirm dialog accepted)", `/me/applications/\d+\?ok=withdrawn`, click(`form[action$="/withdraw"] button`))
	b.do("the application is withdrawn", waitText("main strong.status", "已撤回"), waitText(".flash", "报名已撤回"))
	if d := b.acceptedDialogs(); !slices.ContainsFunc(d, func(m string) bool { return strings.Contains(m, "撤回") }) {
		t.Errorf("withdrawing asked no confirmation; dialogs seen: %q", d)
	}
	b.logout("applicant 2 logs out")

	// (3) A third, plainly eligible applicant applies through the JSON API.
	api := newAPIClient(t, p.URL)
	third := api.registerAndApply(p, o.ID, plain.phone, plain.name, password, withProfile(map[string]string{
		"name": plain.name, "id_number": plain.id, "education": "junior_college", "major": "计算机应用",
		"accepts_conditions": "true", "healthy": "true", "under_discipline": "false",
		"criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false",
	}, bornAged(ref, 28).Year()+21))
	if third.Status != "eligible" {
		t.Fatalf("the third applicant's application is %q, want eligible", third.Status)
	}

	// (4) The town admin of 三星镇 reviews: the queue, the applicant, the two approvals.
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("fill in the admin login", typeInto("#username", "sanxing"), typeInto("#password", "Haimen-demo-2026"))
	b.navigate("log in as the town admin", `/admin`, click(`main form button[type=submit]`))
	b.checkPage("dashboard")
	b.shot("admin-dashboard")
	b.navigate("open the review queue", `/admin/review`, click(`header a[href="/admin/review"]`))
	b.do("the queue lists the veteran", waitAnyText("main tbody tr", veteran.name, "年龄"))
	if body := b.text("queue", "main"); strings.Contains(body, plain.name) || strings.Contains(body, barred.name) {
		t.Errorf("the review queue lists applications that need no review:\n%s", body)
	}
	b.checkPage("review queue")
	b.shot("admin-review-queue")
	b.navigate("open the veteran's application", `/admin/applications/`+veteranApp,
		click(fmt.Sprintf(`main a[href="/admin/applications/%s"]`, veteranApp)))
	b.do("the reviewer sees the whole ID number and two pending items",
		waitText("main dd.mono", veteran.id),
		waitText("main strong.status", "待复核"),
		waitAnyText("section.review-item h3", "年龄放宽"),
		waitAnyText("section.review-item h3", "退伍军人"),
	)
	b.do("the reviewer sees the 报名表's other fields and the birth date",
		waitText("main", "报名表其他信息", "汉族", "群众", "海门区三星镇叠石桥村 5 组 18 号", "江苏省海门中学",
			fmt.Sprintf("%d.06", bornAged(ref, 43).Year()+18), "王建国（父亲）13962800001", "13706281234", "海门叠石桥国际家纺城",
			fmt.Sprintf("%d.07—至今", bornAged(ref, 43).Year()+18), "三星镇叠石桥村村民"),
		waitText("main", bornAged(ref, 43).Format("2006-01-02")),
	)
	form := downloadText(t, b, "/admin/applications/"+veteranApp+"/form.pdf")
	for _, want := range []string{"南通市海门区城市管理辅助人员招聘报名表", veteran.name, veteran.id, bornAged(ref, 43).Format("2006年1月2日"),
		"汉族", "江苏省海门中学", "海门叠石桥国际家纺城", "王建国", "资格审查用"} {
		if !strings.Contains(form, want) {
			t.Errorf("the reviewer's 报名表 PDF lacks %q:\n%s", want, form)
		}
	}
	b.checkPage("review page")
	b.shot("admin-application-before")
	for _, item := range []string{"年龄放宽", "退伍军人"} {
		approve := chromedp.Click(chromedp.JSPath(fmt.Sprintf(
			`[...document.querySelectorAll("section.review-item")].filter(s => s.querySelector("h3").textContent.includes(%s)).map(s => s.querySelector("button[value=approve]"))[0]`,
			js(item))))
		b.navigate("approve "+item, `/admin/applications/`+veteranApp+`(\?ok=decided)?`, approve)
		b.do("the decision is saved: "+item, waitAnyText("section.review-item h3", item, "已核实"))
	}
	b.do("both approved: 资格审查合格", waitText("main strong.status", "资格审查合格"))
	if n := eval[int](b, "pending forms", `document.querySelectorAll("section.review-item button[value=approve]").length`); n != 0 {
		t.Errorf("%d review items are still open after approving both", n)
	}
	b.shot("admin-application-approved")

	// (5) Scores and the ranking: equal scores are decided by the verified veteran preference
	// different scores by the score.
	b.open("ranking page", "/admin/openings/1/ranking", `/admin/openings/1/ranking`)
	b.checkPage("ranking page")
	veteranScore := `input[name="score_` + veteranApp + `"]`
	plainScore := fmt.Sprintf(`input[name="score_%d"]`, third.ID)
	b.do("enter equal scores", typeInto(veteranScore, "80"), typeInto(plainScore, "80"))
	b.navigate("save the scores", `/admin/openings/1/ranking(\?ok=scored)?`, click(`main form[action$="/scores"] button[type=submit]`))
	b.do("equal scores: the verified veteran ranks first",
		waitText(".flash", "成绩已保存"),
		waitText("main tbody tr:nth-child(1)", "1", veteran.name, "成绩相同", "退伍军人"),
		waitText("main tbody tr:nth-child(2)", "2", plain.name),
	)
	b.shot("admin-ranking-tie-break")
	b.do("change the scores", typeInto(veteranScore, "78"), typeInto(plainScore, "86.5"))
	b.navigate("save the new scores", `/admin/openings/1/ranking(\?ok=scored)?`, click(`main form[action$="/scores"] button[type=submit]`))
	b.do("the higher score ranks first, and the page says why",
		waitText("main tbody tr:nth-child(1)", "1", plain.name, "成绩 86.5", "高于 78"),
		waitText("main tbody tr:nth-child(2)", "2", veteran.name),
	)
	type row struct{ Rank, Name, VsNext string }
	rows := eval[[]row](b, "ranking rows", `[...document.querySelectorAll("main tbody tr")].map(tr => ({
		Rank: tr.cells[0].innerText.trim(), Name: tr.cells[1].innerText.trim(), VsNext: tr.cells[7].innerText.trim()}))`)
	if len(rows) != 2 || rows[0].Rank != "1" || rows[0].Name != plain.name || rows[1].Rank != "2" || rows[1].Name != veteran.name ||
		!strings.Contains(rows[0].VsNext, "高于") || rows[1].VsNext != "" {
		t.Errorf("ranking rows %+v: want 1 %s (成绩 … 高于 …), then 2 %s", rows, plain.name, veteran.name)
	}
	b.checkPage("ranking page after scoring")
	b.shot("admin-ranking")

	// (6) The .xlsx export, fetched with the browser's session.
	href := eval[string](b, "export link", `document.querySelector('main a[href$="ranking.xlsx"]').getAttribute("href")`)
	req, err := http.NewRequest(http.MethodGet, p.URL+href, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.cookies() {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", href, err)
	}
	xlsx, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v\n%.300s", href, resp.Status, err, xlsx)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("GET %s: Content-Type %q, want the .xlsx type", href, ct)
	}
	checkRankingWorkbook(t, xlsx, plain.name, veteran.name)

	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
	t.Logf("journey done in %v", time.Since(began).Round(time.Millisecond))
}

// checkRankingWorkbook opens the export with excelize and looks for both candidates, in rank
// order, and the adjacent-pair explanation.
func checkRankingWorkbook(t *testing.T, data []byte, first, second string) {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("the export is not a readable .xlsx: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		t.Fatal("the export has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	rowOf := func(name string) int {
		for i, r := range rows {
			if slices.Contains(r, name) {
				return i
			}
		}
		return -1
	}
	i, j := rowOf(first), rowOf(second)
	if i < 0 || j < 0 || i > j {
		t.Errorf("the export's rows %q: want %s (row %d) before %s (row %d)", rows, first, i, second, j)
		return
	}
	if !strings.Contains(strings.Join(rows[i], " "), "高于") {
		t.Errorf("the export's row for %s does not say why it ranks above the next: %q", first, rows[i])
	}
}
