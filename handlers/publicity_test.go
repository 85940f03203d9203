package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/recruitment"
)

// publicityApplicants is a new 三星镇 opening of two seats with three candidates, who apply on
// the fixture's first day (before examFixture moves the clock past its deadline).
type publicityApplicants struct {
	opening uint64
	apps    []uint64
}

func (f *fixture) publicityApplicants() publicityApplicants {
	f.t.Helper()
	ctx := context.Background()
	o, err := f.rec.CreateOpening(ctx, f.actors[district], recruitment.OpeningInput{
		TownID: f.town.ID, Title: "巡查岗（公示）", Seats: 2, OpensAt: "2026-06-10", ClosesAt: "2026-06-10",
		SupervisionPhone: "0513-82100000", SupervisionAddress: "海门区城市管理局人事科"})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Publish(ctx, f.actors[district], o.ID); err != nil {
		f.t.Fatal(err)
	}
	pa := publicityApplicants{opening: o.ID}
	for i, name := range []string{"张晓明", "李建国", "王红梅"} {
		u := &models.User{Username: fmt.Sprintf("1392222000%d", i), PasswordHash: "unused", Role: models.RoleApplicant, DisplayName: name}
		if err := f.store.CreateUser(ctx, u); err != nil {
			f.t.Fatal(err)
		}
		form := eligibleForm(f.idNumber("1992-05-05"))
		form.Name, form.Major = name, "法学"
		v, err := f.rec.Apply(ctx, models.Actor{UserID: u.ID, Username: u.Username, Name: name, Role: u.Role}, o.ID, form,
			map[string][]byte{"photo": testJPEG(60, 80), "diploma": testJPEG(80, 60)})
		if err != nil {
			f.t.Fatal(err)
		}
		pa.apps = append(pa.apps, v.ID)
	}
	return pa
}

// publicityFixture scores the candidates (90, 85, 80), proposes the first two and starts their
// 公示 (the clock is past the deadline by then).
func (f *fixture) publicityFixture(pa publicityApplicants) publicityApplicants {
	f.t.Helper()
	ctx := context.Background()
	var scores []recruitment.ScoreInput
	for i, id := range pa.apps {
		scores = append(scores, recruitment.ScoreInput{ApplicationID: id, Score: fmt.Sprint(90 - 5*i)})
	}
	if err := f.rec.SetScores(ctx, f.actors[district], pa.opening, scores); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.Propose(ctx, f.actors[district], pa.opening); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.rec.StartPublicity(ctx, f.actors[district], pa.opening); err != nil {
		f.t.Fatal(err)
	}
	return pa
}

// objection records an objection to a proposal and returns its id.
func (f *fixture) objection(appID uint64) uint64 {
	f.t.Helper()
	today := clock.InChina(f.clock.Now()).Format("2006-01-02")
	v, err := f.rec.RecordObjection(context.Background(), f.actors[district], appID, recruitment.ObjectionInput{
		Objector: "匿名", Content: "反映的问题", ReceivedOn: today})
	if err != nil {
		f.t.Fatal(err)
	}
	var last uint64
	for _, p := range v.Publicities {
		for _, r := range p.Rows {
			for _, o := range r.Objections {
				last = max(last, o.ID)
			}
		}
	}
	return last
}

// Bad input through the API: a clear Chinese message, a code and a 4xx, nothing stored.
func TestPublicityAPIRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	pa := f.publicityApplicants()
	f.examFixture() // moves the clock past the deadline
	f.publicityFixture(pa)
	app := pa.apps[0]
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		want               string
	}{
		{"objection without a date", "POST", fmt.Sprintf("/api/v1/applications/%d/objections", app),
			map[string]string{"objector": "匿名", "content": "x"}, http.StatusBadRequest, "received_on"},
		{"objection before the 公示", "POST", fmt.Sprintf("/api/v1/applications/%d/objections", app),
			map[string]string{"objector": "匿名", "content": "x", "received_on": "2026-06-01"}, http.StatusBadRequest, "公示期内"},
		{"objection with an unknown field", "POST", fmt.Sprintf("/api/v1/applications/%d/objections", app),
			map[string]string{"objector": "匿名", "content": "x", "received_on": "2026-06-11", "upheld": "yes"}, http.StatusBadRequest, "bad_request"},
		{"objection to nobody", "POST", "/api/v1/applications/99999/objections",
			map[string]string{"objector": "匿名", "content": "x", "received_on": "2026-06-11"}, http.StatusNotFound, "not_found"},
		{"decision without an outcome", "POST", "/api/v1/objections/%OBJ%/decision",
			map[string]string{"reason": "x"}, http.StatusBadRequest, "outcome"},
		{"step not enabled", "POST", fmt.Sprintf("/api/v1/applications/%d/steps", app),
			map[string]string{"step": "medical", "result": "pass", "on": "2026-06-11"}, http.StatusConflict, "step_off"},
		{"step with a bad result", "POST", fmt.Sprintf("/api/v1/applications/%d/steps", app),
			map[string]string{"step": "medical", "result": "ok", "on": "2026-06-11"}, http.StatusBadRequest, "请选择合格或不合格"},
		{"settings with a 40-day 公示", "PUT", fmt.Sprintf("/api/v1/openings/%d/after-ranking", pa.opening),
			map[string]any{"publicity_days": 40}, http.StatusBadRequest, "publicity_days"},
		{"settings as text", "PUT", fmt.Sprintf("/api/v1/openings/%d/after-ranking", pa.opening),
			"publicity_days=5", http.StatusBadRequest, "unsupported_media_type"},
		{"calendar with a weekday as 调休", "PUT", "/api/v1/calendar/2026",
			map[string]string{"workdays": "2026-10-09"}, http.StatusBadRequest, "本来就是工作日"},
		{"calendar of year 0", "PUT", "/api/v1/calendar/0", map[string]string{}, http.StatusBadRequest, "year"},
		{"calendar of no year", "GET", "/api/v1/calendar/abc", nil, http.StatusBadRequest, "year"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := strings.Replace(tc.path, "%OBJ%", fmt.Sprint(f.objection(pa.apps[1])), 1)
			w := f.do(district, tc.method, path, tc.body)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) || !strings.Contains(w.Body.String(), `"code"`) {
				t.Fatalf("%s %s: %d %s; want %d with %q", tc.method, path, w.Code, w.Body.String(), tc.status, tc.want)
			}
		})
	}
	v, err := f.rec.AfterRanking(context.Background(), f.actors[district], pa.opening)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Publicities {
		for _, r := range p.Rows {
			if r.ApplicationID == app && len(r.Objections) > 0 {
				t.Errorf("a refused objection was stored: %+v", r.Objections)
			}
		}
	}
	// The public page: masked names, no login.
	w := f.do(anon, "GET", fmt.Sprintf("/openings/%d/publicity", pa.opening), nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "张*明") || !strings.Contains(body, "0513-82100000") || strings.Contains(body, "张晓明") {
		t.Fatalf("public page %d: %.400s", w.Code, body)
	}
	// The admin's page with a field error beside the form it came from, in Chinese.
	w = f.do(district, "POST", fmt.Sprintf("/admin/applications/%d/objections", app), fmt.Sprintf("opening_id=%d&objector=&content=x&received_on=2026-06-11", pa.opening))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "请填写反映人") {
		t.Fatalf("objection form: %d %.300s", w.Code, w.Body.String())
	}
}
