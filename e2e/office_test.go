package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfficeDashboardAndAudit is the office's journey at 390 px and 1366 px: the district admin
// sees the staffing chart (an SVG drawn by the server, named for screen readers, no wider than
// the screen) beside its table, changes a town's headcount on the one small form, then finds the
// change in the audit log by its filters, in words, with the details labelled.
func TestOfficeDashboardAndAudit(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p.URL)
	b.signIn("district", demoPassword)
	for i, size := range []struct {
		label string
		set   func()
	}{{"390", b.phone}, {"1366", func() { b.do("1366 wide", chromedp.EmulateViewport(1366, 900)) }}} {
		size.set()
		step := func(s string) string { return s + " at " + size.label + " px" }
		b.open(step("dashboard"), "/admin", `/admin`)
		b.checkPage(step("dashboard"))
		chart := eval[map[string]any](b, step("chart"), `(() => {
			const svg = document.querySelector("svg.staff-chart");
			if (!svg) { return {}; }
			const r = svg.getBoundingClientRect();
			return {role: svg.getAttribute("role"), title: svg.querySelector("title").textContent,
				desc: svg.querySelector("desc").textContent, rows: svg.querySelectorAll("g.row").length,
				width: r.width, screen: document.documentElement.clientWidth, scripts: document.querySelectorAll("svg script").length,
				table: document.querySelectorAll("table.staffing-table tbody tr").length};
		})()`)
		if chart["role"] != "img" || chart["title"] != "各区镇城市管理辅助人员配备情况" || !strings.Contains(fmt.Sprint(chart["desc"]), "三星镇：最低配备 110") {
			t.Errorf("%s: chart %v", step("chart"), chart)
		}
		if chart["rows"] != float64(11) || chart["table"] != float64(11) || chart["scripts"] != float64(0) {
			t.Errorf("%s: %v bars and %v table rows, want 11 each", step("chart"), chart["rows"], chart["table"])
		}
		if w, s := chart["width"].(float64), chart["screen"].(float64); w <= 0 || w > s {
			t.Errorf("%s: chart %vpx wide on a %vpx screen", step("chart"), w, s)
		}
		b.shot("office-dashboard-" + size.label)

		// The headcount: a number and a reason, for one town.
		n := 120 + i
		b.do(step("headcount"), choose("#town_id", "7"), typeInto("#existing_staff", fmt.Sprint(n)), typeInto("#reason", "年初核定"))
		b.navigate(step("save headcount"), `/admin\?ok=staff`, click(`form[action="/admin/staff"] button[type=submit]`))
		if got := eval[string](b, step("chart after"), `document.querySelector("svg.staff-chart desc").textContent`); !strings.Contains(got, fmt.Sprintf("在岗 %d", n)) {
			t.Errorf("%s: the chart does not show the new headcount %d: %s", step("chart after"), n, got)
		}

		// The audit log, filtered to 招聘岗位与条件 and today.
		b.open(step("audit"), "/admin/audit", `/admin/audit`)
		b.do(step("filter"), choose("#f-what", "openings"))
		b.navigate(step("filter"), `/admin/audit\?.*what=openings.*`, click(`form.filters button[type=submit]`))
		b.checkPage(step("audit filtered"))
		first := b.text(step("first entry"), "table.audit tbody tr")
		for _, want := range []string{"修改在岗人数", "年初核定", "原在岗人数", fmt.Sprintf("新在岗人数%d", n)} {
			if !strings.Contains(strings.ReplaceAll(first, "\n", ""), want) {
				t.Errorf("%s: first entry %q has no %q", step("audit"), first, want)
			}
		}
		if strings.Contains(first, "town.existing_staff") || strings.Contains(first, `{"`) {
			t.Errorf("%s: raw codes in %q", step("audit"), first)
		}
		b.shot("office-audit-" + size.label)
		// A range with nothing in it says so.
		b.open(step("audit empty range"), "/admin/audit?what=openings&from=2000-01-01&to=2000-01-31", `/admin/audit\?.*`)
		if got := b.text(step("audit empty range"), "main"); !strings.Contains(got, "没有符合条件的记录") {
			t.Errorf("%s: %q", step("audit empty range"), got)
		}
	}
}
