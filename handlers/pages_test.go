package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The opening form carries the town's extras (rule R-2), the preference order and the optional
// bonus points (rule R-3) through to the opening's page.
func TestOpeningFormRoundTrip_R2_R3(t *testing.T) {
	f := newFixture(t)
	form := url.Values{
		"town_id": {"7"}, "title": {"巡查岗（夜班）"}, "seats": {"2"}, "opens_at": {"2026-06-08"}, "closes_at": {"2026-06-30"},
		"conditions_form": {"1"}, "max_age": {"35"}, "min_education": {"junior_college"}, "hukou_required": {"海门区"},
		"preference_chain": {"veteran,urban_management_graduate,heroic_honor"}, "bonus_veteran": {"2"},
	}
	w := f.do(district, "POST", "/admin/openings/new", form.Encode())
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %.300s", w.Code, w.Body.String())
	}
	page := f.do(district, "GET", w.Header().Get("Location"), nil).Body.String()
	for _, want := range []string{"巡查岗（夜班）", "35周岁", "大专", "海门区", "退伍军人 ＞ 城市管理类专业毕业生", "退伍军人加 2.00 分"} {
		if !strings.Contains(page, want) {
			t.Errorf("opening page lacks %q", want)
		}
	}
	// Relaxing the base is refused on the page, in Chinese, with the input kept.
	form.Set("max_age", "50")
	w = f.do(district, "POST", "/admin/openings/new", form.Encode())
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "只能比区基本条件更严格") ||
		!strings.Contains(w.Body.String(), `value="巡查岗（夜班）"`) {
		t.Errorf("relaxing form: %d %.400s", w.Code, w.Body.String())
	}
}
