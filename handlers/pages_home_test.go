package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHomePage_OpenFirstTownFilter: the home page lists the openings taking applications before
// the closed ones, filters by town, refuses a town that is no id, and tells a signed-out
// visitor that signing in comes before applying.
func TestHomePage_OpenFirstTownFilter(t *testing.T) {
	f := newFixture(t)
	other := f.newOpening(f.other.ID, true)
	for _, tc := range []struct {
		name, query string
		status      int
		want, not   []string
	}{
		{"every town", "", http.StatusOK, []string{"正在报名", "三星镇 · 巡查岗", "海门街道 · 巡查岗", `<span class="nowrap">2026-06-30</span>`}, nil},
		{"one town", fmt.Sprintf("?town=%d", f.other.ID), http.StatusOK, []string{"海门街道 · 巡查岗", "看全部"}, []string{"三星镇 · 巡查岗"}},
		{"a town that is no id", "?town=x%27", http.StatusBadRequest, []string{"区镇参数无效"}, []string{"巡查岗"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(anon, "GET", "/"+tc.query, nil)
			body := w.Body.String()
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			for _, s := range tc.want {
				if !strings.Contains(body, s) {
					t.Errorf("no %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(body, s) {
					t.Errorf("%q shown", s)
				}
			}
		})
	}
	// Past the deadline the openings move under 已截止, and the open list says none is open.
	f.clock.Advance(30 * 24 * time.Hour)
	body := f.do(anon, "GET", "/", nil).Body.String()
	if i := strings.Index(body, "已截止</h2>"); i < 0 || strings.Index(body, fmt.Sprintf(`href="/openings/%d"`, other)) < i ||
		!strings.Contains(body, "目前没有正在报名的岗位") {
		t.Errorf("closed openings are not listed under 已截止 after the open list")
	}
}

// TestOpeningPage_SignInComesFirst: a signed-out visitor's 我要报名 says that signing in comes
// first and leads to the login page with the way back to the form.
func TestOpeningPage_SignInComesFirst(t *testing.T) {
	f := newFixture(t)
	body := f.do(anon, "GET", fmt.Sprintf("/openings/%d", f.opening), nil).Body.String()
	if !strings.Contains(body, "报名须先登录") || !strings.Contains(body, fmt.Sprintf(`href="/login?next=%%2Fopenings%%2F%d%%2Fapply"`, f.opening)) {
		t.Errorf("a signed-out visitor is not told to sign in first:\n%s", body)
	}
	if body := f.do(applicant, "GET", fmt.Sprintf("/openings/%d", f.opening), nil).Body.String(); strings.Contains(body, "报名须先登录") ||
		!strings.Contains(body, fmt.Sprintf(`href="/openings/%d/apply"`, f.opening)) {
		t.Error("a signed-in applicant is asked to sign in")
	}
}

func TestKeepDates_EscapesAndKeepsDatesWhole(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"出生日期须在 1986年1月2日 至 2009年1月1日 之间", `出生日期须在 <span class="nowrap">1986年1月2日</span> 至 <span class="nowrap">2009年1月1日</span> 之间`},
		{"2026-06-30 截止", `<span class="nowrap">2026-06-30</span> 截止`},
		{"<b>2026年1月1日</b>", `&lt;b&gt;<span class="nowrap">2026年1月1日</span>&lt;/b&gt;`},
		{"没有日期", "没有日期"},
	} {
		if got := string(keepDates(tc.in)); got != tc.want {
			t.Errorf("keepDates(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
