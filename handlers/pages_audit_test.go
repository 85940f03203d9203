package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The audit page reads in Chinese and filters; a filter it cannot read is a 400 with the
// message on the field, the page still there.
func TestAuditPage_ChineseFiltersAndErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.apply(applicant, f.opening, eligibleForm(f.idNumber("1995-03-04")))
	// The district changes 三星镇's headcount: an entry with a town, a reason and details.
	if w := f.do(district, "POST", "/admin/staff", fmt.Sprintf("town_id=%d&existing_staff=12&reason=年初核定", f.town.ID)); w.Code != http.StatusSeeOther {
		t.Fatalf("set staff: %d %s", w.Code, w.Body)
	}
	for _, c := range []struct {
		name, path string
		status     int
		want       []string
		not        []string
	}{
		{"all", "/admin/audit", 200, []string{"修改在岗人数", "原在岗人数", "新在岗人数", "年初核定", "三星镇"}, []string{">town.existing_staff<", `{&#34;`, `{"old"`}},
		{"by what", "/admin/audit?what=hiring", 200, []string{"共 0 条", "没有符合条件的记录"}, nil},
		{"by date", "/admin/audit?from=2000-01-01&to=2000-01-02", 200, []string{"共 0 条"}, nil},
		{"bad date", "/admin/audit?from=2026-02-30", 400, []string{"开始日期应为", "修改在岗人数"}, nil},
		{"bad number", "/admin/audit?who=abc", 400, []string{"筛选条件有误"}, nil},
	} {
		w := f.do(district, "GET", c.path, nil)
		body := w.Body.String()
		if w.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.name, w.Code, c.status)
		}
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: page has no %q", c.name, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(body, s) {
				t.Errorf("%s: page shows %q", c.name, s)
			}
		}
	}
	// The API pages too and names the action.
	w := f.do(district, "GET", "/api/v1/audit?what=openings", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"action_name":"修改在岗人数"`) || !strings.Contains(w.Body.String(), `"page_size":50`) {
		t.Errorf("API: %d %.300s", w.Code, w.Body)
	}
	if w := f.do(district, "GET", "/api/v1/audit?to=yesterday", nil); w.Code != 400 || !strings.Contains(w.Body.String(), `"to"`) {
		t.Errorf("API bad date: %d %.300s", w.Code, w.Body)
	}
}
