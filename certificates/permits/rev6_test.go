package permits_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"auxportal/certificates/pdftest"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/jobs"
	"auxportal/models"
)

// Rule T-2 gives a hire one permit, and a revocation is the district admin's decision for good:
// a trainer must not undo it by issuing the same hire a fresh permit (a new number, a new year
// of validity, the suspension and the revocation gone). An expired permit is not renewed by a
// new issue either: its holder goes through the pre-job training again (a new application).
// Neither hire is listed as waiting for a permit, and the bulk issue names them and goes on.
func TestIssue_T2_RevokedOrExpiredHireGetsNoFreshPermit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "张三明", "李四", "王五")
	a, err := e.svc.Issue(e.ctx, e.district, hs[0].appID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.svc.Issue(e.ctx, e.district, hs[1].appID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Revoke(e.ctx, e.district, a.ID, "严重违反工作纪律"); err != nil {
		t.Fatal(err)
	}
	if err := e.store.UpdatePermit(e.ctx, b.ID, nil, map[string]any{"status": models.PermitExpired}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Issue(e.ctx, e.trainer, hs[0].appID)
	wantCode(t, err, models.ErrConflict, "permit_revoked")
	_, err = e.svc.Issue(e.ctx, e.district, hs[1].appID)
	wantCode(t, err, models.ErrConflict, "permit_expired")

	rows, err := e.svc.Issuable(e.ctx, e.trainer, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ApplicationID != hs[2].appID {
		t.Errorf("issuable %+v, want only 王五", rows)
	}
	for _, h := range hs[:2] {
		ps, err := e.store.ListPermits(e.ctx, models.PermitFilter{ApplicationID: &h.appID})
		if err != nil || len(ps) != 1 {
			t.Errorf("application %d has %d permits (%v), want its one", h.appID, len(ps), err)
		}
	}
}

// A suspended permit is re-issued as a suspended permit (a lost card, a move to another town)
// under a new number, and a print run of its town still prints. Before, the card was refused
// as unprintable: its 发证日期 (the re-issue day) comes after its valid-until date, and the
// renderer's check took that for a mistake.
func TestReissue_T2_SuspendedPermitStaysSuspended(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "张三明")
	v, err := e.svc.Issue(e.ctx, e.district, hs[0].appID) // 2026-07-20, valid until 2027-07-19
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2027, 8, 2, 9, 0, 0, 0, clock.China))
	if err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
		_, _, err := e.svc.SuspendTx(e.ctx, tx, v.ID, day(t, "2027-08-02"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	nv, err := e.svc.Reissue(e.ctx, e.district, v.ID, permits.ReissueInput{Reason: "调往海门街道", TownID: e.otherTown.ID})
	if err != nil {
		t.Fatalf("re-issue of a suspended permit: %v", err)
	}
	if nv.Status != models.PermitSuspended || nv.ValidUntil != "2027-07-19" || nv.Town != "海门街道" {
		t.Errorf("re-issued %+v", nv)
	}
	pdf, _, err := e.svc.Download(e.ctx, e.district, nv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftest.Text(t, pdf); !strings.Contains(text, "2027年8月2日") || !strings.Contains(text, "2027年7月19日") {
		t.Errorf("the card does not show the re-issue day and the old date:\n%s", text)
	}
	j, err := e.svc.Print(e.ctx, e.district, permits.PrintInput{TownID: e.otherTown.ID, Format: "pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.runner.RunOne(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.runner.Get(e.ctx, e.district, j.ID); got.Status != models.JobDone {
		t.Errorf("print run of the town: %+v", got)
	}
}

// A renewal (rule T-4) prints the new valid-until date on a new card and keeps its 发证日期:
// the day this number was issued, as the verify page, the holder's page and a print run's
// sheet all say. Before, the renewed card printed the renewal day as its issue date, so the
// .zip of stored cards and the sheet PDF of the same permit disagreed.
func TestRenew_T4_CardKeepsItsIssueDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "周建华")
	v, err := e.svc.Issue(e.ctx, e.district, hs[0].appID) // 2026-07-20, valid until 2027-07-19
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2027, 6, 3, 9, 0, 0, 0, clock.China))
	if err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
		_, _, err := e.svc.RenewTx(e.ctx, tx, v.ID, day(t, "2027-06-01"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pdf, _, err := e.svc.Download(e.ctx, e.district, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, pdf)
	if !strings.Contains(text, "2026年7月20日") || !strings.Contains(text, "2028年7月19日") || strings.Contains(text, "2027年6月3日") {
		t.Errorf("the renewed card's dates:\n%s", text)
	}
}

// An inspector compares the card in hand with the verify page: for a re-issued card both give
// the re-issue day as 发证日期 (before, the page gave the first card's day while the card
// printed the re-issue day, which looks like a forgery). The holder's and the staff's views
// carry the same date beside the anniversary the cycle counts from.
func TestVerify_T2_ReissuedCardShowsItsOwnIssueDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "李四")
	v, err := e.svc.Issue(e.ctx, e.district, hs[0].appID) // 2026-07-20
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 11, 3, 23, 30, 0, 0, time.UTC)) // 2026-11-04 07:30 in China
	nv, err := e.svc.Reissue(e.ctx, e.district, v.ID, permits.ReissueInput{Reason: "原证遗失"})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _, _ := e.svc.Download(e.ctx, e.district, nv.ID)
	if text := pdftest.Text(t, pdf); !strings.Contains(text, "2026年11月4日") {
		t.Fatalf("the re-issued card does not print the re-issue day:\n%s", text)
	}
	pub, err := e.svc.Verify(e.ctx, nv.No, e.signer.Sign(nv.No))
	if err != nil || pub.IssuedOn != "2026-11-04" {
		t.Errorf("verify page's 发证日期 %q (%v), want the card's 2026-11-04", pub.IssuedOn, err)
	}
	if old, _ := e.svc.Verify(e.ctx, v.No, e.signer.Sign(v.No)); old.IssuedOn != "2026-07-20" {
		t.Errorf("the old card's 发证日期 on the verify page %q", old.IssuedOn)
	}
	mine, _ := e.svc.Mine(e.ctx, hs[0].who)
	if len(mine) != 2 || mine[0].CardIssuedOn != "2026-11-04" || mine[0].IssuedOn != "2026-07-20" {
		t.Errorf("the holder's view %+v", mine)
	}
}

// Rule T-4's grace, the other side: a pass made after a suspended permit's grace ran out does
// not restore it, even when the nightly run has not yet marked it expired (a night missed).
func TestRenew_T4_PassAfterTheGraceDoesNotRestore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "周建华")
	v, err := e.svc.Issue(e.ctx, e.district, hs[0].appID) // valid until 2027-07-19; 365 days' grace to 2028-07-18 (a leap year)
	if err != nil {
		t.Fatal(err)
	}
	tx := func(fn func(tx *models.Store) error) {
		t.Helper()
		if err := e.store.WithTx(e.ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	tx(func(s *models.Store) error {
		_, _, err := e.svc.SuspendTx(e.ctx, s, v.ID, day(t, "2027-07-20"))
		return err
	})
	tx(func(s *models.Store) error {
		p, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2028-07-19"))
		if ok || p.Status != models.PermitSuspended {
			t.Errorf("a pass the day after the grace restored the permit: %v %+v", ok, p)
		}
		return err
	})
	tx(func(s *models.Store) error {
		p, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2028-07-18"))
		if !ok || p.Status != models.PermitActive {
			t.Errorf("a pass on the grace's last day did not restore the permit: %v %+v", ok, p)
		}
		return err
	})
}

// The bulk issue of a sitting (rule T-2) runs in the background and survives its replica dying
// mid-run: another replica takes the job over when the lease runs out and finishes it without a
// second permit for anyone. A hire whose permit was revoked is named, not issued again, and does
// not stop the others.
func TestIssueSitting_T2_TakeoverAndARevokedHire(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "甲一", "乙二", "丙三")
	st := &models.Sitting{Title: "岗前培训统一考试", Purpose: models.PurposePreJob, Blueprint: "{}", Venue: "区城管局",
		Seed: []byte("seed"), Status: models.SittingPublished, CreatedBy: e.trainer.UserID, Opens: e.clock.Now(),
		Closes: e.clock.Now(), LastStart: e.clock.Now(), CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	if err := e.store.CreateSitting(e.ctx, st); err != nil {
		t.Fatal(err)
	}
	var cs []models.ExamCandidate
	for i, h := range hs {
		cs = append(cs, models.ExamCandidate{SittingID: st.ID, UserID: h.who.UserID, ApplicationID: &h.appID, Name: h.who.Name,
			IDMasked: "320*************11", TicketNo: fmt.Sprintf("T%d", i), Seat: fmt.Sprint(i + 1), AnonCode: fmt.Sprintf("A%d", i),
			Paper: []byte("{}"), PaperHash: "x", Outcome: "pass", Gate: "hired", CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()})
	}
	if err := e.store.CreateCandidates(e.ctx, cs); err != nil {
		t.Fatal(err)
	}
	first, err := e.svc.Issue(e.ctx, e.district, hs[0].appID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Revoke(e.ctx, e.district, first.ID, "严重违纪"); err != nil {
		t.Fatal(err)
	}
	j, err := e.svc.IssueSitting(e.ctx, e.trainer, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	// A replica claims the job and dies before doing anything.
	if c, err := e.store.ClaimJob(e.ctx, "replica-dead", e.clock.Now(), e.clock.Now().Add(jobs.Lease)); err != nil || c == nil || c.ID != j.ID {
		t.Fatalf("claim %+v %v", c, err)
	}
	if ran, err := e.runner.RunOne(e.ctx); ran || err != nil {
		t.Fatalf("a job under a live lease was run again: %v %v", ran, err)
	}
	e.clock.Advance(jobs.Lease + time.Second)
	if ran, err := e.runner.RunOne(e.ctx); !ran || err != nil {
		t.Fatalf("takeover: %v %v", ran, err)
	}
	got, err := e.runner.Get(e.ctx, e.trainer, j.ID)
	if err != nil || got.Status != models.JobDone || got.Done != 2 || got.Failed != 1 || !strings.Contains(got.Message, "吊销") {
		t.Errorf("job after the takeover %+v %v", got, err)
	}
	for _, h := range hs {
		ps, _ := e.store.ListPermits(e.ctx, models.PermitFilter{ApplicationID: &h.appID})
		if len(ps) != 1 {
			t.Errorf("%s has %d permits, want 1", h.who.Name, len(ps))
		}
	}
	// Run again, it issues nothing and says so (before, it said 已颁发 2 张 again).
	j2, err := e.svc.IssueSitting(e.ctx, e.trainer, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.runner.RunOne(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.runner.Get(e.ctx, e.trainer, j2.ID); !strings.HasPrefix(got.Message, "已颁发 0 张，2 人此前已持证") {
		t.Errorf("the second run's message %q", got.Message)
	}
}

// The API's lists are JSON arrays when empty (docs/api.md), never null: a script iterating
// over "issuable" must not fail on a day nobody waits for a permit.
func TestIssuable_EmptyIsAnArray(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rows, err := e.svc.Issuable(e.ctx, e.trainer, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(rows); string(b) != "[]" {
		t.Errorf("no hires waiting: %s, want []", b)
	}
}
