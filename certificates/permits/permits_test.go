package permits_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/certificates"
	"auxportal/certificates/pdftest"
	"auxportal/certificates/permits"
	"auxportal/models"
)

// Rule T-2: the permit issued to a hire is real text (pdftotext reads the title, the name and
// the number exactly), its QR code decodes to the signed verify URL, the card downloaded later
// is byte for byte what was issued, and the public verification says 有效 with a masked name.
func TestIssue_T2_TextQRCodeAndVerification(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "王喆堃")
	v, err := e.svc.Issue(e.ctx, e.trainer, hs[0].appID)
	if err != nil {
		t.Fatal(err)
	}
	if v.No != "HM2026-00001" || v.ValidUntil != "2027-07-19" || v.IssuedOn != "2026-07-20" || v.Status != models.PermitActive ||
		v.Town != "三星镇" || v.RefresherOpens != "2027-05-20" {
		t.Errorf("issued %+v", v)
	}
	pdf, name, err := e.svc.Download(e.ctx, hs[0].who, v.ID)
	if err != nil || name != "上岗证-HM2026-00001.pdf" {
		t.Fatalf("download %q %v", name, err)
	}
	again, _, _ := e.svc.Download(e.ctx, e.district, v.ID)
	if !bytes.Equal(pdf, again) {
		t.Error("the card downloaded twice differs")
	}
	text := pdftest.Text(t, pdf)
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"南通市海门区城市管理辅助人员上岗证", "王喆堃", "HM2026-00001", "三星镇"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the card's text lacks %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`[0-9]{17}[0-9X]`).MatchString(flat) {
		t.Error("the card prints a full ID number")
	}
	qr := pdftest.ScanQR(t, pdf)
	if len(qr) != 1 || !strings.HasPrefix(qr[0], publicURL+"/verify/HM2026-00001?sig=") || qr[0] != v.VerifyURL {
		t.Fatalf("QR %q, want %s", qr, v.VerifyURL)
	}
	no, err := certificates.VerifyURL(e.signer.PublicKey(), qr[0])
	if err != nil || no != "HM2026-00001" {
		t.Fatalf("the decoded QR does not verify: %q %v", no, err)
	}
	sig := qr[0][strings.Index(qr[0], "sig=")+4:]
	pub, err := e.svc.Verify(e.ctx, no, sig)
	if err != nil || !pub.Genuine || !pub.Valid || pub.StatusLabel != "有效" || pub.MaskedName != "王*堃" || pub.Town != "三星镇" || !pub.HasPhoto {
		t.Errorf("verify %+v %v", pub, err)
	}
	// A one-character change of the number or of the signature is told apart, without a lookup.
	for _, c := range []struct{ no, sig string }{{"HM2026-00002", sig}, {no, flip(sig)}, {no, ""}, {"<script>", sig}} {
		pub, err := e.svc.Verify(e.ctx, c.no, c.sig)
		if err != nil || pub.Genuine || pub.Valid || pub.Found || pub.MaskedName != "" || pub.Problem == "" {
			t.Errorf("verify %q/%q: %+v %v", c.no, c.sig, pub, err)
		}
	}
	if _, err := e.svc.VerifyPhoto(e.ctx, no, flip(sig)); err == nil {
		t.Error("the photo was served for a bad signature")
	}
	if b, err := e.svc.VerifyPhoto(e.ctx, no, sig); err != nil || len(b) == 0 {
		t.Errorf("photo: %v", err)
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[5] == 'A' {
		b[5] = 'B'
	} else {
		b[5] = 'A'
	}
	return string(b)
}

// Only the hired get a permit, once; two issues of one hire at once give one permit; issues of
// different hires at once give distinct numbers; only the district's staff issue.
func TestIssue_T2_OnceAndOnlyForTheHired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "甲一", "乙二", "丙三", "丁四", "戊五", "己六")
	_, err := e.svc.Issue(e.ctx, e.townAdmin, hs[0].appID)
	wantCode(t, err, models.ErrForbidden, "forbidden")
	_, err = e.svc.Issue(e.ctx, hs[0].who, hs[0].appID)
	wantCode(t, err, models.ErrForbidden, "forbidden")
	if err := e.store.UpdateApplication(e.ctx, hs[5].appID, []string{models.AppHired}, map[string]any{"status": models.AppNotHired}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Issue(e.ctx, e.district, hs[5].appID)
	wantCode(t, err, models.ErrConflict, "not_hired")

	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, dup := map[uint64][]string{}, 0
	for i := range 10 {
		h := hs[i%5] // each of five hires twice at once
		wg.Go(func() {
			v, err := e.svc.Issue(e.ctx, e.trainer, h.appID)
			mu.Lock()
			defer mu.Unlock()
			if me, isMe := models.AsError(err); isMe && me.Code == "already_issued" {
				dup++
				return
			}
			if err != nil {
				t.Errorf("issue: %v", err)
				return
			}
			ok[h.appID] = append(ok[h.appID], v.No)
		})
	}
	wg.Wait()
	numbers := map[string]bool{}
	for app, nos := range ok {
		if len(nos) != 1 {
			t.Errorf("application %d got permits %v", app, nos)
		}
		for _, no := range nos {
			if numbers[no] {
				t.Errorf("number %s given twice", no)
			}
			numbers[no] = true
		}
	}
	if len(ok) != 5 || dup != 5 {
		t.Errorf("%d hires got a permit, %d duplicates refused; want 5 and 5", len(ok), dup)
	}
	ps, _ := e.store.ListPermits(e.ctx, models.PermitFilter{})
	if len(ps) != 5 {
		t.Errorf("%d permits stored, want 5", len(ps))
	}
}

// Rare GBK name characters print and extract exactly; a character outside the font is refused
// at issue with a clear error, before a number is spent.
func TestIssue_T2_RareCharactersAndUnprintableNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "李玥昇", "赵珺龑", "孙无法")
	e.rename(t, hs[2].appID, "孙𠀾明") // U+2003E, outside GBK and the font
	_, err := e.svc.Issue(e.ctx, e.district, hs[2].appID)
	wantCode(t, err, models.ErrInvalid, "permit_unprintable")
	if me, _ := models.AsError(err); !strings.Contains(me.Message, "姓名") || !strings.Contains(me.Message, "U+2003E") {
		t.Errorf("message %q does not name the field and the character", me.Message)
	}
	for i, name := range []string{"李玥昇", "赵珺龑"} {
		v, err := e.svc.Issue(e.ctx, e.district, hs[i].appID)
		if err != nil {
			t.Fatal(err)
		}
		if want := "HM2026-0000" + string(rune('1'+i)); v.No != want {
			t.Errorf("number %s, want %s (the refused issue spent none)", v.No, want)
		}
		pdf, _, _ := e.svc.Download(e.ctx, e.district, v.ID)
		if text := strings.Join(strings.Fields(pdftest.Text(t, pdf)), ""); !strings.Contains(text, name) {
			t.Errorf("%s is not in the card's text:\n%s", name, text)
		}
	}
	rows, err := e.svc.Issuable(e.ctx, e.trainer, 0)
	if err != nil || len(rows) != 1 || !strings.Contains(rows[0].Problem, "𠀾") {
		t.Errorf("issuable %+v %v", rows, err)
	}
}

// Revoking and re-issuing: only a district admin, with a reason; the verify page reflects each
// change at once; a re-issued card keeps the old validity under a new number and the old
// number verifies as 已换发; final statuses stay final.
func TestRevokeAndReissue_T2(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "张三明", "李四")
	a, _ := e.svc.Issue(e.ctx, e.district, hs[0].appID)
	b, _ := e.svc.Issue(e.ctx, e.district, hs[1].appID)
	sigOf := func(no string) string { return e.signer.Sign(no) }

	_, err := e.svc.Revoke(e.ctx, e.trainer, a.ID, "违纪")
	wantCode(t, err, models.ErrForbidden, "forbidden")
	_, err = e.svc.Revoke(e.ctx, e.district, a.ID, "  ")
	wantCode(t, err, models.ErrInvalid, "invalid_input")
	_, err = e.svc.Revoke(e.ctx, e.district, a.ID, strings.Repeat("长", 201))
	wantCode(t, err, models.ErrInvalid, "invalid_input")
	e.clock.Advance(time.Hour)
	r, err := e.svc.Revoke(e.ctx, e.district, a.ID, "严重违反工作纪律")
	if err != nil || r.Status != models.PermitRevoked || r.StatusReason != "严重违反工作纪律" {
		t.Fatalf("revoke %+v %v", r, err)
	}
	if pub, _ := e.svc.Verify(e.ctx, a.No, sigOf(a.No)); pub.Valid || pub.StatusLabel != "已吊销" || strings.Contains(pub.Note, "违反") {
		t.Errorf("verify after revoking %+v", pub)
	}
	_, err = e.svc.Revoke(e.ctx, e.district, a.ID, "再次")
	wantCode(t, err, models.ErrConflict, "permit_final")
	_, err = e.svc.Reissue(e.ctx, e.district, a.ID, permitsReissue("补办"))
	wantCode(t, err, models.ErrConflict, "permit_final")

	nb, err := e.svc.Reissue(e.ctx, e.district, b.ID, permitsReissue("原证遗失，申请补办"))
	if err != nil {
		t.Fatal(err)
	}
	if nb.No == b.No || nb.ValidUntil != b.ValidUntil || nb.IssuedOn != b.IssuedOn || nb.Status != models.PermitActive || nb.Supersedes != b.No {
		t.Errorf("re-issued %+v from %+v", nb, b)
	}
	old, _ := e.svc.Get(e.ctx, e.district, b.ID)
	if old.Status != models.PermitSuperseded || old.SupersededBy != nb.No {
		t.Errorf("old after re-issue %+v", old)
	}
	if pub, _ := e.svc.Verify(e.ctx, b.No, sigOf(b.No)); pub.Valid || pub.StatusLabel != "已换发" || !strings.Contains(pub.Note, "新证") {
		t.Errorf("verify the old number %+v", pub)
	}
	if pub, _ := e.svc.Verify(e.ctx, nb.No, sigOf(nb.No)); !pub.Valid {
		t.Errorf("verify the new number %+v", pub)
	}
	mine, _ := e.svc.Mine(e.ctx, hs[1].who)
	if len(mine) != 2 || mine[0].No != nb.No {
		t.Errorf("the holder's permits %+v", mine)
	}
	// A town admin sees their own town's permits; the other town's admin sees none.
	if l, err := e.svc.List(e.ctx, e.townAdmin, permitsAll()); err != nil || len(l) != 3 {
		t.Errorf("town admin's list %d %v", len(l), err)
	}
	if l, err := e.svc.List(e.ctx, e.otherTownAdmin, permitsAll()); err != nil || len(l) != 0 {
		t.Errorf("other town's list %d %v", len(l), err)
	}
	if _, err := e.svc.Get(e.ctx, e.otherTownAdmin, nb.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("other town's admin reads the permit: %v", err)
	}
	if _, err := e.svc.Get(e.ctx, hs[0].who, nb.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another holder reads the permit: %v", err)
	}
}

func permitsReissue(reason string) permits.ReissueInput { return permits.ReissueInput{Reason: reason} }
func permitsAll() permits.ListFilter                    { return permits.ListFilter{} }

// Rule T-4 on a fake clock: past its valid-until date a permit is suspended (on every page at
// once, by the job for good); a pass in the window renews it one year from the old date; a
// late pass restores it on the same anniversary; a year's grace later it expires for good.
func TestLifecycle_T4_SuspendRenewRestoreExpire(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hs := e.hires(t, "周建华")
	v, _ := e.svc.Issue(e.ctx, e.district, hs[0].appID) // 2026-07-20, valid until 2027-07-19
	tx := func(fn func(tx *models.Store) error) {
		t.Helper()
		if err := e.store.WithTx(e.ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	// In the window (opens 2027-05-20): renewed to 2028-07-19, whatever the pass day.
	tx(func(s *models.Store) error {
		p, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2027-06-01"))
		if err == nil && (!ok || p.ValidUntil != "2028-07-19" || p.Cycle != 2) {
			t.Errorf("renew in the window: %v %+v", ok, p)
		}
		return err
	})
	// The same pass again, or one before the next window, renews nothing.
	tx(func(s *models.Store) error {
		_, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2027-06-02"))
		if ok {
			t.Error("a second pass in the same cycle renewed again")
		}
		return err
	})
	// Not renewed in 2028: the day after 2028-07-19 it shows suspended at once ...
	e.clock.Set(time.Date(2028, 7, 20, 8, 0, 0, 0, time.UTC))
	if got, _ := e.svc.Get(e.ctx, e.district, v.ID); got.Status != models.PermitSuspended {
		t.Errorf("the day after: %s", got.Status)
	}
	// ... and the job suspends it once.
	for i, want := range []bool{true, false} {
		tx(func(s *models.Store) error {
			_, ok, err := e.svc.SuspendTx(e.ctx, s, v.ID, day(t, "2028-07-20"))
			if ok != want {
				t.Errorf("suspend run %d: %v", i, ok)
			}
			return err
		})
	}
	if pub, _ := e.svc.Verify(e.ctx, v.No, e.signer.Sign(v.No)); pub.Valid || pub.StatusLabel != "已暂停" {
		t.Errorf("verify while suspended %+v", pub)
	}
	// A late pass (2028-09-03) restores it on the same anniversary: until 2029-07-19.
	tx(func(s *models.Store) error {
		p, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2028-09-03"))
		if err == nil && (!ok || p.Status != models.PermitActive || p.ValidUntil != "2029-07-19") {
			t.Errorf("late pass: %v %+v", ok, p)
		}
		return err
	})
	// Lapsed: suspended from 2029-07-20, expired a year after, not before.
	tx(func(s *models.Store) error {
		_, ok, err := e.svc.SuspendTx(e.ctx, s, v.ID, day(t, "2029-07-20"))
		if !ok {
			t.Error("not suspended in 2029")
		}
		return err
	})
	for _, c := range []struct {
		day  string
		want bool
	}{{"2030-07-19", false}, {"2030-07-20", true}, {"2030-07-21", false}} {
		tx(func(s *models.Store) error {
			_, ok, err := e.svc.ExpireTx(e.ctx, s, v.ID, day(t, c.day))
			if ok != c.want {
				t.Errorf("expire on %s: %v", c.day, ok)
			}
			return err
		})
	}
	tx(func(s *models.Store) error {
		_, ok, err := e.svc.RenewTx(e.ctx, s, v.ID, day(t, "2030-08-01"))
		if ok {
			t.Error("an expired permit was renewed")
		}
		return err
	})
	got, _ := e.svc.Get(e.ctx, hs[0].who, v.ID)
	var kinds []string
	for _, h := range got.History {
		kinds = append(kinds, h.Kind)
	}
	if strings.Join(kinds, ",") != "issued,renewed,suspended,restored,suspended,expired" || got.Status != models.PermitExpired {
		t.Errorf("history %v, status %s", kinds, got.Status)
	}
	// Every renewal rendered a card with the new date; the first card is kept as issued.
	pdf, _, _ := e.svc.Download(e.ctx, hs[0].who, v.ID)
	if text := pdftest.Text(t, pdf); !strings.Contains(text, "2029") {
		t.Errorf("the latest card does not show the renewed date:\n%s", text)
	}
}

func TestPostOf(t *testing.T) {
	for in, want := range map[string]string{
		"城市管理辅助人员（巡查岗）":           "城市管理辅助人员（巡查岗）",
		"城市管理辅助人员（已确定拟录用，演示岗前培训）": "城市管理辅助人员",
		"  网格巡查  ": "网格巡查",
		"一二三四五六七八九十一二三四五六七八九十一二三":  "一二三四五六七八九十一二三四五六七八九十",
		"（一二三四五六七八九十一二三四五六七八九十一二）": "（一二三四五六七八九十一二三四五六七八九",
	} {
		if got := permits.PostOf(in); got != want {
			t.Errorf("postOf(%q) = %q, want %q", in, got, want)
		}
	}
}
