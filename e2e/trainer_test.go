package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The exam-day control room follows the candidates without a reload: a candidate who starts
// shows as 作答中 within a refresh of the page's script (GET /api/v1/sittings/{id}/live), with
// no script or policy error.
func TestControlRoomRefreshesItself(t *testing.T) {
	p := startPortal(t)
	ex := seedExam(t, p.URL)
	b := newBrowser(t, p.URL)
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("log in as trainer", typeInto("#username", "trainer"), typeInto("#password", demoPassword))
	b.navigate("log in as trainer", `/.*`, click(`main form button[type=submit]`))
	path := fmt.Sprintf("/trainer/sittings/%d", ex.Sitting)
	b.open("control room", path, regexpQuote(path))
	b.do("a candidate yet to start", waitAnyText(`table.live td[data-label="状态"]`, "未开考"))
	if n := eval[int](b, "mark the page", `(window.__sameDocument = 1)`); n != 1 {
		t.Fatal("could not mark the page")
	}
	// The candidate who has not started starts now.
	c := newAPIClient(t, p.URL)
	c.login("13800000013")
	var mine struct {
		Exams []struct {
			CandidateID uint64 `json:"candidate_id"`
		} `json:"exams"`
	}
	c.must("GET", "/api/v1/me/exams", nil, &mine, http.StatusOK)
	if len(mine.Exams) != 1 {
		t.Fatalf("13800000013 has %d exams", len(mine.Exams))
	}
	c.must("POST", fmt.Sprintf("/api/v1/exams/%d/start", mine.Exams[0].CandidateID), nil, nil, http.StatusOK)
	b.do("the room shows the start", waitAnyText(`table.live td[data-label="状态"]`, "作答中"),
		waitText("#live-updated", "自动刷新"), waitText(`[data-count="in_progress"]`, "1"))
	if same := eval[bool](b, "no reload", `window.__sameDocument === 1`); !same {
		t.Error("the page was reloaded instead of refreshed in place")
	}
	b.shot("control-room-refreshed")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}
