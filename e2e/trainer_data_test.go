package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"auxportal/exams"
)

// call sends a JSON request and returns the status and body, failing the test only when the
// request cannot be made; the caller decides which statuses are fine.
func (c *apiClient) call(method, path string, in any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// must is call that fails the test unless the status is one of want, and decodes into.
func (c *apiClient) must(method, path string, in, into any, want ...int) {
	c.t.Helper()
	status, body := c.call(method, path, in)
	for _, w := range want {
		if status == w {
			if into != nil {
				if err := json.Unmarshal(body, into); err != nil {
					c.t.Fatalf("%s %s: %v\n%s", method, path, err, body)
				}
			}
			return
		}
	}
	c.t.Fatalf("%s %s: %d, want %v\n%.600s", method, path, status, want, body)
}

func (c *apiClient) login(user string) {
	c.t.Helper()
	c.must("POST", "/api/v1/session", map[string]string{"username": user, "password": demoPassword}, nil, http.StatusOK)
}

// examSetup is what the trainers' pages of the browser check are opened on.
type examSetup struct {
	Sitting, Blueprint, Question, Version, KeyVersion uint64
	Ticket                                            string
}

// seedExam gives the demo an exam to look at, through the API as the demo logins would: the
// district proposes the hires of the closed demo opening, the trainer loads the demo bank and
// blueprint and schedules a sitting open now, one candidate sits and hands in, and the trainer
// marks the short answers. The demo's own sitting is left as it is for the candidate's pages.
func seedExam(t *testing.T, base string) examSetup {
	t.Helper()
	tr := newAPIClient(t, base)
	tr.login("trainer")
	var bank struct {
		Questions []struct {
			ID uint64 `json:"id"`
		} `json:"questions"`
	}
	var s examSetup
	admin := newAPIClient(t, base)
	admin.login("district")
	// The trainers' pages need proposed hires who may sit now: this opening's 公示 (5 working
	// days by default) is turned off first, as for a recruitment whose 公示 ran elsewhere.
	admin.must("PUT", "/api/v1/openings/2/after-ranking", map[string]any{"publicity_days": 0}, nil, http.StatusOK, http.StatusConflict)
	admin.must("POST", "/api/v1/openings/2/proposals", nil, nil, http.StatusOK, http.StatusConflict)
	for _, q := range exams.DemoBank() { // the demo may have loaded it already: 409 for each
		tr.must("POST", "/api/v1/bank", q, nil, http.StatusCreated, http.StatusConflict)
	}
	var bp struct {
		ID uint64 `json:"id"`
	}
	tr.must("POST", "/api/v1/blueprints", map[string]any{"name": "岗前培训演示方案", "purpose": "pre_job", "spec": exams.DemoBlueprint()},
		&bp, http.StatusCreated)
	china := time.FixedZone("CST", 8*3600)
	opens := time.Now().In(china).Add(-time.Minute)
	var st struct {
		ID uint64 `json:"id"`
	}
	tr.must("POST", "/api/v1/sittings", map[string]any{"title": "2026年第一期岗前培训考试（三星镇）", "blueprint_id": bp.ID,
		"opens": opens.Format("2006-01-02T15:04"), "closes": opens.Add(3 * time.Hour).Format("2006-01-02T15:04"),
		"venue": "区城管局三楼考场", "opening_ids": []uint64{2}, "show_paper": true}, &st, http.StatusCreated)
	s.Sitting, s.Blueprint = st.ID, bp.ID
	sitAndHandIn(t, base, 2)
	tr.must("GET", "/api/v1/bank?limit=1", nil, &bank, http.StatusOK)
	if len(bank.Questions) > 0 {
		s.Question = bank.Questions[0].ID
	}
	var live struct {
		Rows []struct {
			TicketNo string `json:"ticket_no"`
		} `json:"rows"`
	}
	tr.must("GET", fmt.Sprintf("/api/v1/sittings/%d/live", s.Sitting), nil, &live, http.StatusOK)
	if len(live.Rows) > 0 {
		s.Ticket = live.Rows[0].TicketNo
	}
	// Mark the short answers handed in: all of them but one answer to the last question, so that
	// one paper is completely graded (statistics) and one answer is left for the grading page.
	var queue struct {
		Questions []struct {
			VersionID uint64 `json:"version_id"`
		} `json:"questions"`
	}
	tr.must("GET", fmt.Sprintf("/api/v1/sittings/%d/grading", s.Sitting), nil, &queue, http.StatusOK)
	for i, q := range queue.Questions {
		s.Version = q.VersionID
		for n := 0; n < 50; n++ {
			var next struct {
				Task *struct {
					Anon      string `json:"anon_code"`
					Remaining int    `json:"remaining"`
				} `json:"task"`
			}
			tr.must("GET", fmt.Sprintf("/api/v1/sittings/%d/grading/%d/next", s.Sitting, q.VersionID), nil, &next, http.StatusOK)
			if next.Task == nil || (i == len(queue.Questions)-1 && next.Task.Remaining == 1) {
				break
			}
			tr.must("POST", fmt.Sprintf("/api/v1/sittings/%d/marks", s.Sitting), map[string]any{"anon_code": next.Task.Anon,
				"version_id": q.VersionID, "points": "10", "comment": "要点基本齐全"}, nil, http.StatusOK)
		}
	}
	var stats struct {
		Items []struct {
			VersionID uint64     `json:"version_id"`
			Type      exams.Type `json:"type"`
		} `json:"items"`
	}
	tr.must("GET", fmt.Sprintf("/api/v1/sittings/%d/stats", s.Sitting), nil, &stats, http.StatusOK)
	for _, it := range stats.Items {
		if it.Type == exams.Single && s.KeyVersion == 0 {
			s.KeyVersion = it.VersionID
		}
	}
	return s
}

// sitAndHandIn has the first n demo candidates with an exam start it, answer every question
// and hand in.
func sitAndHandIn(t *testing.T, base string, n int) {
	t.Helper()
	done := 0
	for _, phone := range []string{"13800000011", "13800000015", "13800000013", "13800000012", "13800000014"} {
		c := newAPIClient(t, base)
		c.login(phone)
		var mine struct {
			Exams []struct {
				CandidateID uint64 `json:"candidate_id"`
			} `json:"exams"`
		}
		c.must("GET", "/api/v1/me/exams", nil, &mine, http.StatusOK)
		if len(mine.Exams) == 0 {
			continue
		}
		id := mine.Exams[0].CandidateID
		var st struct {
			Paper exams.CandidatePaper `json:"paper"`
		}
		c.must("POST", fmt.Sprintf("/api/v1/exams/%d/start", id), nil, &st, http.StatusOK)
		var saves []map[string]any
		for _, sec := range st.Paper.Sections {
			for _, it := range sec.Items {
				var a exams.Answer
				switch it.Type {
				case exams.Single:
					a.Choices = []string{it.Options[0].Key}
				case exams.Multiple:
					a.Choices = []string{it.Options[0].Key, it.Options[1].Key}
				case exams.TrueFalse:
					a.Truth = new(bool)
				case exams.Fill:
					for range it.Blanks {
						a.Blanks = append(a.Blanks, "不知道")
					}
				case exams.Short:
					a.Text = "发现违法行为先宣传劝导，劝导无效的及时报告执法人员，不单独执法，不与当事人发生冲突。"
				}
				saves = append(saves, map[string]any{"no": it.No, "seq": len(saves) + 1, "answer": a})
			}
		}
		c.must("POST", fmt.Sprintf("/api/v1/exams/%d/saves", id), map[string]any{"saves": saves}, nil, http.StatusOK)
		c.must("POST", fmt.Sprintf("/api/v1/exams/%d/events", id), map[string]any{"events": []map[string]string{
			{"kind": "hidden"}, {"kind": "visible"}, {"kind": "paste", "detail": "12 字"}}}, nil, http.StatusOK)
		c.must("POST", fmt.Sprintf("/api/v1/exams/%d/submit", id), nil, nil, http.StatusOK)
		if done++; done == n {
			return
		}
	}
	t.Fatalf("only %d demo candidates have an exam", done)
}

// permitSetup is what the permit pages of the browser check are opened on: the demo holder
// 吴志强's permit, its verify path (the QR code's URL on this portal) and a print run of his
// town's permits.
type permitSetup struct {
	Permit uint64
	Verify string
	Job    uint64
}

func seedPermits(t *testing.T, base string) permitSetup {
	t.Helper()
	c := newAPIClient(t, base)
	c.login("district")
	var list struct {
		Permits []struct {
			ID         uint64 `json:"id"`
			HolderName string `json:"holder_name"`
			TownID     uint64 `json:"town_id"`
			VerifyURL  string `json:"verify_url"`
		} `json:"permits"`
	}
	c.must("GET", "/api/v1/permits", nil, &list, http.StatusOK)
	for _, p := range list.Permits {
		if p.HolderName != "吴志强" {
			continue
		}
		u, err := url.Parse(p.VerifyURL)
		if err != nil {
			t.Fatal(err)
		}
		var job struct {
			ID uint64 `json:"id"`
		}
		c.must("POST", "/api/v1/permits/print", map[string]any{"town_id": p.TownID, "format": "pdf"}, &job, http.StatusAccepted)
		return permitSetup{Permit: p.ID, Verify: u.RequestURI(), Job: job.ID}
	}
	t.Fatalf("the demo has no permit of 吴志强: %+v", list)
	return permitSetup{}
}
