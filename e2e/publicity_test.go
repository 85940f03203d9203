package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPublicityJourney is the 公示 in a browser on the real binary, on the demo's closed
// 三星镇 opening (2): the town admin proposes, enters the supervision contacts and starts the
// 拟录用人员公示; a visitor reads the public page on a phone; the admin records an objection to
// 陈强 and, found true, upholds it: 陈强's proposal is cancelled and 王芳 moves up (递补); 陈强
// and 李明 see it on their timelines, with 成绩查询.
func TestPublicityJourney(t *testing.T) {
	p := startPortal(t)
	admin := newAPIClient(t, p.URL)
	admin.login("sanxing")
	admin.must("POST", "/api/v1/openings/2/proposals", nil, nil, http.StatusOK)

	b := newBrowser(t, p.URL)
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("log in as the town admin", typeInto("#username", "sanxing"), typeInto("#password", demoPassword))
	b.navigate("log in", `/.*`, click(`main form button[type=submit]`))
	b.open("the opening's steps after ranking", "/admin/openings/2/after-ranking", `/admin/openings/2/after-ranking`)
	b.do("no 公示 without the supervision contacts", waitText("main", "请先填写监督电话和监督地址"))
	b.do("open the settings and enter the contacts", click(`details.settings summary`),
		typeInto("#supervision_phone", "0513-82100000"), typeInto("#supervision_address", "海门区城市管理局人事科"))
	b.navigate("save the settings", `/admin/openings/2/after-ranking\?ok=settings`, click(`details.settings form button[type=submit]`))
	b.navigate("start the 公示", `/admin/openings/2/after-ranking\?ok=started`, click(`form[action="/admin/openings/2/publicity"] button`))
	b.do("the 公示 is running", waitText(".flash", "公示已开始"), waitText("section.publicity-admin h2", "公示中", "5 个工作日"))
	b.checkPage("after-ranking page")
	b.shot("after-ranking-started-1366")
	b.phone()
	b.open("the admin's page on a phone", "/admin/openings/2/after-ranking", `/admin/openings/2/after-ranking`)
	b.checkPage("after-ranking page on a phone")
	b.shot("after-ranking-started-390")

	// A visitor on a phone.
	b.logout("log out the admin")
	b.open("the public 公示", "/openings/2/publicity", `/openings/2/publicity`)
	b.do("masked names, ranks, the period, the supervision phone", waitText("main", "拟录用人员公示", "李*", "陈*", "刘*", "0513-82100000", "公示中"))
	body := b.text("public page", "main")
	for _, leak := range []string{"李明", "陈强", "刘洋", "3206"} {
		if strings.Contains(body, leak) {
			t.Errorf("the public page shows %q", leak)
		}
	}
	b.checkPage("public 公示 on a phone")
	b.shot("publicity-public-390")
	b.do("1366 wide", chromedp.EmulateViewport(1366, 900))
	b.shot("publicity-public-1366")

	// The admin records an objection to 陈强 (application 3) and upholds it.
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("log in as the town admin again", typeInto("#username", "sanxing"), typeInto("#password", demoPassword))
	b.navigate("log in", `/.*`, click(`main form button[type=submit]`))
	b.open("the steps after ranking", "/admin/openings/2/after-ranking", `/admin/openings/2/after-ranking`)
	form := `form[action="/admin/applications/3/objections"]`
	b.do("open the objection form of 陈强", click(`section.publicity-admin details:has(`+form+`) summary`))
	// The browser itself asks for the empty field (required); the server refuses it too, as an
	// older browser or a script would send it.
	b.do("without the browser's own check", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+form+` input[name=objector]').removeAttribute("required")`))
	b.navigateStatus("an objection without who raised it is refused in Chinese", http.StatusBadRequest, `/admin/applications/3/objections`,
		typeInto(form+` textarea[name=content]`, "反映其仍在纪律处分期内"), click(form+` button[type=submit]`))
	b.do("the error is beside the form, the text kept", waitText(".error-summary", "请填写反映人"),
		waitText(`#objector + .field-error`, "请填写反映人"))
	if kept := eval[string](b, "the text kept", `document.getElementById("content").value`); kept != "反映其仍在纪律处分期内" {
		t.Errorf("the form shown again holds %q", kept)
	}
	b.navigate("record the objection", `/admin/openings/2/after-ranking\?ok=objection`,
		typeInto(`#objector`, "匿名（来信）"), click(form+` button[type=submit]`))
	b.do("the objection waits for its check", waitAnyText(".objections", "陈强", "反映其仍在纪律处分期内", "待核查"))
	decision := `form[action^="/admin/objections/"]`
	b.navigate("uphold it", `/admin/openings/2/after-ranking\?ok=decided`,
		click(decision+` input[value=upheld]`), typeInto(decision+` textarea[name=reason]`, "经核查属实：处分期未满"),
		click(decision+` button[type=submit]`))
	b.do("陈强 is cancelled and 王芳 moved up", waitAnyText("table.after-ranking tr", "陈强", "已取消拟录用资格"),
		waitAnyText("table.after-ranking tr", "王芳", "拟录用", "待公示"))
	b.shot("after-ranking-objection-upheld-1366")
	b.logout("log out the admin")

	// 陈强's timeline; 李明's, with 成绩查询.
	for _, c := range []struct{ user, app, want string }{
		{"13800000013", "3", "取消拟录用资格"},
		{"13800000011", "1", "公示"},
	} {
		b.phone()
		b.open("login page", "/login", `/login`)
		b.do("log in as "+c.user, typeInto("#username", c.user), typeInto("#password", demoPassword))
		b.navigate("log in as "+c.user, `/.*`, click(`main form button[type=submit]`))
		b.open("the application", "/me/applications/"+c.app, `/me/applications/`+c.app)
		b.do("the timeline and 成绩查询", waitAnyText("ol.timeline li", c.want), waitText("section.results", "成绩", "排名", "第"))
		b.checkPage("timeline of " + c.user)
		b.shot("timeline-" + c.user + "-390")
		b.do("1366 wide", chromedp.EmulateViewport(1366, 900))
		b.shot("timeline-" + c.user + "-1366")
		b.logout("log out " + c.user)
	}
	if txt := b.acceptedDialogs(); len(txt) == 0 {
		t.Log("no confirmation dialogs were shown")
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}
