package handlers

// Regression tests from the review of issues 5 and 7 (rev57): what the pages and the API of the
// exam show. Each failed when it was written; its comment describes the finding as found. Each test
// names the finding it demonstrates.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"auxportal/exams"
)

// Finding: without JavaScript (and on a phone until the script has loaded) the exam page says
// when to hand in as the deadline's UTC clock time: "03:00 前交卷" for an 11:00 deadline in
// China. The template formats the *time.Time as it comes from the database.
func TestRev57_ExamPageDeadlineIsChinaTime(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture() // started at 10:00 China time, 60 minutes
	body := f.do(applicant, "GET", fmt.Sprintf("/exams/%d", ex.candidate), nil).Body.String()
	i := strings.Index(body, `id="time-left"`)
	if i < 0 {
		t.Fatalf("no countdown on the page: %.300s", body)
	}
	shown := body[i : i+60]
	if !strings.Contains(shown, "11:00") {
		t.Errorf("the page says %q; the deadline is 11:00 China time", shown)
	}
}

// Finding: the ticket check page (the admission ticket's QR code) tells the invigilator that the
// ID number shows "前 3 位和后 4 位", but masks show the last 2 since issue 7; and the page has no
// photo, so a ticket printed with someone else's photo is not caught at the door.
func TestRev57_TicketCheckPageMatchesTheMask(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	c, err := f.store.CandidateByID(context.Background(), ex.candidate)
	if err != nil {
		t.Fatal(err)
	}
	w := f.do(trainer, "GET", "/trainer/tickets/"+c.TicketNo, nil)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("ticket page: %d", w.Code)
	}
	if tail := len(c.IDMasked) - strings.LastIndex(c.IDMasked, "*") - 1; tail == 2 && strings.Contains(body, "后 4 位") {
		t.Errorf("the page says the mask keeps the last 4 characters; it shows %s", c.IDMasked)
	}
	if !strings.Contains(body, "<img") {
		t.Error("the ticket check page has no photo of the candidate to compare with the person at the door")
	}
}

// Finding (low): a refused save says the question number twice: "第 25 题：第 25 题：本题只有 1 个空"
// (the service prefixes the number and exams.Item.CheckAnswer does too).
func TestRev57_SaveErrorNamesTheQuestionOnce(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	st, err := f.exams.Exam(context.Background(), f.actors[applicant], ex.candidate)
	if err != nil {
		t.Fatal(err)
	}
	no := 0
	for _, sec := range st.Paper.Sections {
		if sec.Type == exams.Fill {
			no = sec.Items[0].No
		}
	}
	w := f.do(applicant, "POST", fmt.Sprintf("/api/v1/exams/%d/saves", ex.candidate),
		rawJSON(fmt.Sprintf(`{"saves":[{"no":%d,"seq":1,"answer":{"blanks":["a","b","c","d","e","f"]}}]}`, no)))
	if w.Code != http.StatusBadRequest {
		t.Fatalf("too many blanks: %d %s", w.Code, w.Body.String())
	}
	if n := strings.Count(w.Body.String(), fmt.Sprintf("第 %d 题", no)); n != 1 {
		t.Errorf("the message names the question %d times: %s", n, w.Body.String())
	}
}

// Finding (medium): nothing bounds the invigilation events one attempt may record (50 a request,
// any number of requests, no rate limit): a candidate's script stores tens of thousands of rows
// a minute, and the control room loads every event of every candidate on each 5-second refresh.
func TestRev57_EventsPerAttemptAreBounded(t *testing.T) {
	f := newFixture(t)
	ex := f.examFixture()
	batch := `{"events":[` + strings.TrimSuffix(strings.Repeat(`{"kind":"focus_back","detail":"x"},`, 50), ",") + `]}`
	accepted := 0
	for range 100 {
		w := f.do(applicant, "POST", fmt.Sprintf("/api/v1/exams/%d/events", ex.candidate), rawJSON(batch))
		if w.Code == http.StatusOK {
			accepted++
		}
	}
	if accepted == 100 {
		evs, _ := f.store.ExamEventsOf(context.Background(), []uint64{ex.candidate})
		t.Errorf("one attempt recorded %d events in 100 requests; no cap, no rate limit", len(evs))
	}
}
