package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Rule Q-1: the dashboard draws the staffing picture as an SVG the server renders (no script),
// named for screen readers, with the table beside it; only the district sees the district's
// total; the headcount is one small form, validated field by field, audited, nothing half-stored.
func TestDashboard_Q1_ChartTotalsAndHeadcountForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := func(r role) string {
		w := f.do(r, "GET", "/admin", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET /admin as %s: %d", r, w.Code)
		}
		return w.Body.String()
	}
	d := body(district)
	for _, want := range []string{`<svg class="staff-chart"`, `role="img"`, `aria-labelledby="chart-title chart-desc"`,
		"<title id=\"chart-title\">各区镇城市管理辅助人员配备情况</title>", "三星镇：最低配备 110", "<th scope=\"row\">全区合计</th>",
		`action="/admin/staff"`, `<th scope="col">已录用</th>`} {
		if !strings.Contains(d, want) {
			t.Errorf("district dashboard has no %q", want)
		}
	}
	if strings.Contains(d, "<script>") || strings.Count(d, `name="existing_staff"`) != 1 {
		t.Errorf("want one headcount input and no inline script")
	}
	own := body(ownTown)
	if strings.Contains(own, "全区合计") || strings.Contains(own, `action="/admin/staff"`) || !strings.Contains(own, "三星镇：最低配备 110") {
		t.Errorf("town admin's dashboard shows the district total or the form, or not their town")
	}
	if strings.Contains(own, "海门街道：") {
		t.Errorf("town admin's chart shows another town")
	}

	before, err := f.store.TownByID(context.Background(), f.town.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, form string
		fields     []string
	}{
		{"no town", "town_id=&existing_staff=5&reason=核定", []string{"请选择区镇"}},
		{"not a number", fmt.Sprintf("town_id=%d&existing_staff=五&reason=核定", f.town.ID), []string{"在岗人数须为 0 至 10000"}},
		{"negative, no reason", fmt.Sprintf("town_id=%d&existing_staff=-1&reason=", f.town.ID), []string{"在岗人数须为", "请填写修改原因"}},
		{"everything wrong", "town_id=x&existing_staff=&reason=", []string{"请选择区镇", "在岗人数须为", "请填写修改原因"}},
	} {
		w := f.do(district, "POST", "/admin/staff", c.form)
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.name, w.Code)
		}
		for _, m := range c.fields {
			if !strings.Contains(w.Body.String(), `class="field-error"`) || !strings.Contains(w.Body.String(), m) {
				t.Errorf("%s: no field error %q", c.name, m)
			}
		}
	}
	if after, _ := f.store.TownByID(context.Background(), f.town.ID); after.ExistingStaff != before.ExistingStaff {
		t.Errorf("a refused form changed the headcount to %d", after.ExistingStaff)
	}
	if w := f.do(ownTown, "POST", "/admin/staff", fmt.Sprintf("town_id=%d&existing_staff=5&reason=核定", f.town.ID)); w.Code != http.StatusForbidden {
		t.Errorf("town admin set the headcount: %d", w.Code)
	}
	if w := f.do(district, "POST", "/admin/staff", fmt.Sprintf("town_id=%d&existing_staff=100&reason=年初核定", f.town.ID)); w.Code != http.StatusSeeOther {
		t.Fatalf("set: %d %.300s", w.Code, w.Body)
	}
	if after, _ := f.store.TownByID(context.Background(), f.town.ID); after.ExistingStaff != 100 {
		t.Errorf("headcount %d, want 100", after.ExistingStaff)
	}
	if d := body(district); !strings.Contains(d, "三星镇：最低配备 110，在岗 100") || !strings.Contains(d, ">100/110</text>") {
		t.Errorf("the chart does not show the new headcount")
	}
}
