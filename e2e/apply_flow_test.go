package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// ruleIDs are the rule ids of seed/RULES.md (A2-3, R-3, T-1…): staff shorthand that an
// applicant's page must never show.
var ruleIDs = regexp.MustCompile(`\b(A2|R|D|Q|T|M|E|P|U)-[0-9]\b`)

// noRuleIDs fails when the applicant's page shows a rule id.
func (b *browser) noRuleIDs(step string) {
	b.t.Helper()
	if m := ruleIDs.FindString(b.text(step, "body")); m != "" {
		b.t.Errorf("%s: the applicant's page shows the rule id %q", step, m)
	}
}

// TestApplyOnPhoneAndDesktop applies once on a phone (390 px) and once on an office PC
// (1366 px): an empty submit names every missing field, files included; a failed round keeps
// the photo; the confirmation step shows everything with the photo and stores nothing; the
// final submit files it; /me is a card per application on the phone; and the town admin's
// ranking is a card per candidate in rank order with its "与下一名比较" reason. No page
// scrolls sideways, and no applicant page shows a rule id.
func TestApplyOnPhoneAndDesktop(t *testing.T) {
	p := startPortal(t)
	var o openingInfo
	p.getJSON(t, "/api/v1/openings/1", &o)
	ref := o.reference(t)
	dir := t.TempDir()
	photo := writeJPEG(t, dir, "photo.jpg", 30)
	diploma := writeJPEG(t, dir, "diploma.jpg", 140)
	b := newBrowser(t, p.URL)
	sizes := []struct {
		label string
		set   func()
		who   person
	}{
		{"390", b.phone, person{"13900000101", "陈晓东", idNumber(t, bornAged(ref, 26), "401")}},
		{"1366", func() { b.do("1366 wide", chromedp.EmulateViewport(1366, 900)) }, person{"13900000102", "周海燕", idNumber(t, bornAged(ref, 31), "412")}},
	}
	for _, size := range sizes {
		who, at := size.who, " at "+size.label
		size.set()
		b.open("home"+at, "/", `/`)
		b.noRuleIDs("home" + at)
		b.open("opening"+at, "/openings/1", `/openings/1`)
		b.checkPage("opening" + at)
		b.noRuleIDs("opening" + at)
		b.open("registration"+at, "/register?next=/openings/1/apply", `/register\?next=.+`)
		b.register(p, "register and come to the form"+at, who.phone, who.name, password, `/openings/1/apply(\?ok=registered)?`)
		b.checkPage("apply form" + at)
		b.noRuleIDs("apply form" + at)

		// An empty submit: every missing field and file at once, under one heading.
		b.do("clear the prefilled name"+at, typeInto("#name", ""))
		b.navigateStatus("empty submit"+at, http.StatusBadRequest, `/openings/1/apply`, click(`#apply-form button[type=submit]`))
		b.do("the summary names every missing field"+at,
			waitText(".error-summary h2", "未能提交，请修改以下"),
			waitText(".error-summary", "姓名", "学历", "纪律处分", "刑事处罚", "其他不适合", "请上传证件照", "请上传学历证书"),
			chromedp.WaitVisible(chromedp.CSS("#file_photo-err")), chromedp.WaitVisible(chromedp.CSS("#name-err")))
		if n := eval[int](b, "summary lines"+at, `document.querySelectorAll(".error-summary li").length`); n < 10 {
			t.Errorf("empty submit%s: the summary lists %d problems, want every missing field (≥ 10)", at, n)
		}
		b.checkPage("empty submit" + at)
		b.noRuleIDs("empty submit" + at)
		b.shot("apply-empty-" + size.label)

		// A round with the files but one promise left unticked: the photo stays received.
		b.do("fill in all but one promise"+at,
			typeInto("#name", who.name), typeInto("#id_number", who.id), choose("#education", "high_school"),
			typeInto("#major", "城市管理"), click(`input[type=checkbox][name=accepts_conditions]`),
			click(`input[name=under_discipline][value=false]`), click(`input[name=criminal_penalty_unfinished][value=false]`),
			click(`input[name=under_investigation][value=false]`), click(`input[name=other_bar][value=false]`),
			chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=photo]`), []string{photo}),
			waitImage("#photo-preview"),
			chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=diploma]`), []string{diploma}),
			fillProfile(birthYear(t, who.id)+18),
		)
		b.navigateStatus("submit without the health promise"+at, http.StatusBadRequest, `/openings/1/apply`, click(`#apply-form button[type=submit]`))
		b.do("only the promise is asked for; the photo and diploma are received"+at,
			chromedp.WaitVisible(chromedp.CSS("#healthy-err")),
			waitText("#upload-photo .received", "已收到"), waitText("#upload-diploma .received", "已收到"),
			waitImage("#photo-preview"))
		if txt := b.text("summary"+at, ".error-summary"); strings.Contains(txt, "请上传") {
			t.Errorf("failed round%s: files asked for again: %q", at, txt)
		}
		b.checkPage("failed round" + at)
		b.shot("apply-kept-photo-" + size.label)

		// The confirmation step: everything, with the photo; nothing filed yet.
		b.do("tick the health promise"+at, click(`input[type=checkbox][name=healthy]`))
		b.navigate("on to the confirmation"+at, `/openings/1/apply`, click(`#apply-form button[type=submit]`))
		b.do("the confirmation shows the answers and the photo"+at,
			waitText("main h1", "核对报名信息"), waitText("main .confirm", who.name, "高中", "城市管理", "证件照", "学历证书", "年龄条件"),
			waitImage("main .confirm img.photo-preview"))
		var mine struct {
			Applications []apiApplication `json:"applications"`
		}
		api := newAPIClient(t, p.URL)
		api.useCookies(b.cookies())
		api.getJSON("/api/v1/me/applications", http.StatusOK, &mine)
		if len(mine.Applications) != 0 {
			t.Errorf("confirmation step%s: %d applications filed before the final submit", at, len(mine.Applications))
		}
		b.checkPage("confirmation" + at)
		b.noRuleIDs("confirmation" + at)
		b.shot("apply-confirm-" + size.label)
		path := b.navigate("final submit"+at, `/me/applications/\d+\?ok=applied`, click(`main form button[value=submit]`))
		b.do("filed"+at, waitText(".flash", "报名已提交"), waitAnyText(".checks-table td", "年龄条件"))
		b.checkPage("application" + at)
		b.noRuleIDs("application " + path + at)
		b.shot("application-" + size.label)

		// /me: one card per application on the phone, a table row on the desktop.
		b.open("my applications"+at, "/me", `/me`)
		b.do("my application listed"+at, waitAnyText("main tbody tr", o.Title))
		wantDisplay := map[string]string{"390": "block", "1366": "table-row"}[size.label]
		if d := eval[string](b, "row display"+at, `getComputedStyle(document.querySelector("main tbody tr")).display`); d != wantDisplay {
			t.Errorf("/me%s: a row is displayed as %q, want %q", at, d, wantDisplay)
		}
		if size.label == "390" {
			if lbl := eval[string](b, "cell label", `getComputedStyle(document.querySelector("main tbody td"), "::before").content`); !strings.Contains(lbl, "岗位") {
				t.Errorf("/me on the phone: the first cell's label is %s, want 岗位", lbl)
			}
		}
		b.checkPage("my applications" + at)
		b.noRuleIDs("my applications" + at)
		b.shot("my-applications-" + size.label)
		b.logout("log out" + at)
	}

	// The ranking of the closed, scored demo opening as its town admin: on the phone a card per
	// candidate, in rank order, each with its comparison with the next.
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("log in as sanxing", typeInto("#username", "sanxing"), typeInto("#password", demoPassword))
	b.navigate("log in as sanxing", `/admin`, click(`main form button[type=submit]`))
	for _, size := range sizes {
		at := " at " + size.label
		size.set()
		b.open("ranking"+at, "/admin/openings/2/ranking", `/admin/openings/2/ranking`)
		ranks := eval[[]string](b, "ranks"+at, `[...document.querySelectorAll("table.ranking tbody tr:not(.absent):not(.unscored) td:first-child")].map(td => td.innerText.trim())`)
		for i, r := range ranks {
			if !strings.HasPrefix(r, fmt.Sprint(i+1)) && !strings.Contains(r, "并列") && r != "—" {
				t.Errorf("ranking%s: row %d shows rank %q: the order is lost", at, i+1, r)
			}
		}
		if len(ranks) < 2 {
			t.Fatalf("ranking%s: %d ranked rows", at, len(ranks))
		}
		reasons := eval[int](b, "reasons"+at, `[...document.querySelectorAll('table.ranking td[data-label="与下一名比较"]')].filter(td => td.innerText.trim() !== "" && td.offsetHeight > 0).length`)
		if reasons < 1 {
			t.Errorf("ranking%s: no visible 与下一名比较 reason", at)
		}
		if size.label == "390" {
			if d := eval[string](b, "row display", `getComputedStyle(document.querySelector("table.ranking tbody tr")).display`); d != "block" {
				t.Errorf("ranking on the phone: rows are displayed as %q, want cards (block)", d)
			}
		}
		b.checkPage("ranking" + at)
		b.shot("ranking-" + size.label)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}
