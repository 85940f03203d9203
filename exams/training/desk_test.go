package training_test

import (
	"slices"
	"testing"

	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
)

// The QR code of an admission ticket leads staff to the candidate (to check them in at the
// door); a town admin sees only their own town's candidates, and to anyone else a ticket
// number is nothing.
func TestCandidateByTicket_StaffOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	sv := e.sitting(t, o)
	live, err := e.svc.Live(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	row := live.Rows[0]
	for _, who := range []models.Actor{e.trainer, e.district, e.townAdmin} {
		got, err := e.svc.CandidateByTicket(e.ctx, who, " "+row.TicketNo+" ")
		if err != nil {
			t.Fatalf("%s: %v", who.Username, err)
		}
		if got.Candidate.ID != row.ID || got.Candidate.Name != row.Name || got.Candidate.IDMasked == "" ||
			got.Candidate.Town != "三星镇" || got.Candidate.State != training.LiveNotStarted || got.Sitting.ID != sv.ID {
			t.Errorf("%s: %+v", who.Username, got)
		}
	}
	for _, who := range []models.Actor{e.otherTownAdmin, people["甲"], e.applicant} {
		_, err := e.svc.CandidateByTicket(e.ctx, who, row.TicketNo)
		wantKind(t, err, models.ErrNotFound)
	}
	_, err = e.svc.CandidateByTicket(e.ctx, models.Actor{}, row.TicketNo)
	wantKind(t, err, models.ErrUnauthenticated)
	for _, no := range []string{"", "000000000000", "1' OR '1'='1"} {
		_, err = e.svc.CandidateByTicket(e.ctx, e.trainer, no)
		wantKind(t, err, models.ErrNotFound)
	}
}

// The key-fix form lists the sitting's automatically graded questions in the bank's terms:
// options in bank order and the key in bank keys, whatever order a paper showed them in; a
// correction shows as the key in force.
func TestPaperQuestions_BankTermsAndFixes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "甲", "乙")
	sv := e.sitting(t, o)
	_, err := e.svc.PaperQuestions(e.ctx, e.townAdmin, sv.ID)
	wantKind(t, err, models.ErrForbidden)
	qs, err := e.svc.PaperQuestions(e.ctx, e.trainer, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 5 {
		t.Fatalf("%d questions, want at least the 5 auto-graded items of a paper", len(qs))
	}
	for _, q := range qs {
		if q.Type == exams.Short {
			t.Errorf("short answer %d listed: it has no key", q.VersionID)
		}
		bank, err := e.svc.Question(e.ctx, e.trainer, q.QuestionID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(q.Options, bank.Question.Options) || !slices.Equal(q.Key.Correct, bank.Question.Correct) {
			t.Errorf("question %d: options %v key %v, bank %v %v", q.QuestionID, q.Options, q.Key.Correct,
				bank.Question.Options, bank.Question.Correct)
		}
		if q.KeyText == "" || q.Papers < 1 {
			t.Errorf("question %d: key text %q, papers %d", q.QuestionID, q.KeyText, q.Papers)
		}
	}
	// Correct the true/false key; the list shows the correction.
	e.clock.Set(opens)
	a := e.candidateOf(t, people["甲"])
	if _, err := e.svc.Start(e.ctx, people["甲"], a); err != nil {
		t.Fatal(err)
	}
	tf := firstOf(e.paper(t, a), exams.TrueFalse)
	flipped := !*tf.Truth
	if _, err := e.svc.FixKey(e.ctx, e.trainer, sv.ID, training.KeyFixInput{VersionID: tf.VersionID,
		Key: exams.Key{Truth: &flipped}, Reason: "答案有误"}); err != nil {
		t.Fatal(err)
	}
	qs, _ = e.svc.PaperQuestions(e.ctx, e.trainer, sv.ID)
	for _, q := range qs {
		if q.VersionID == tf.VersionID && (!q.Fixed || *q.Key.Truth != flipped) {
			t.Errorf("after the fix: %+v", q)
		}
	}
}
