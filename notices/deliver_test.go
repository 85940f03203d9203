package notices_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/notices"
	"auxportal/notices/smtptest"
)

func TestRetryDelay_ScheduleWithJitter(t *testing.T) {
	tests := []struct {
		attempt int
		u       float64
		want    time.Duration
	}{
		{1, 0.5, time.Minute},
		{2, 0.5, 5 * time.Minute},
		{3, 0.5, 30 * time.Minute},
		{4, 0.5, 2 * time.Hour},
		{5, 0.5, 12 * time.Hour},
		{6, 0.5, 24 * time.Hour},
		{9, 0.5, 24 * time.Hour},
		{1, 0, 48 * time.Second},              // jitter: 0.8 of the step …
		{1, 0.999999, 72 * time.Second},       // … to 1.2
		{4, 0, 96 * time.Minute},              // 0.8 × 2 h
		{6, 1, 28*time.Hour + 48*time.Minute}, // 1.2 × a day
		{1, -3, 48 * time.Second},             // u out of range is clamped
	}
	for _, tt := range tests {
		if got := notices.RetryDelay(tt.attempt, tt.u); got != tt.want {
			t.Errorf("RetryDelay(%d, %v) = %v, want %v", tt.attempt, tt.u, got, tt.want)
		}
	}
}

// One notice, one message: sent, recorded as sent, and never sent again.
func TestDeliverDue_SendsOnceAndRecordsIt(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	if n := e.deliver(e.svc); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	for range 3 {
		e.clock.Advance(time.Hour)
		if n := e.deliver(e.svc); n != 0 {
			t.Errorf("sent %d more", n)
		}
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 || msgs[0].Subject != "年度复训报名窗口已开放" || msgs[0].To[0] != "zhang.san@163.example" ||
		!strings.Contains(msgs[0].Body, "请在到期前参加年度复训考试") || !strings.Contains(msgs[0].Body, "https://rczp.haimen.example/me/notices") {
		t.Fatalf("arrived: %+v", msgs)
	}
	d := e.deliveries()[0]
	if d.Status != models.DeliverySent || d.SentAt == nil || !d.SentAt.Equal(start) || d.Attempts != 1 || d.LeaseToken != "" {
		t.Errorf("delivery %+v", d)
	}
}

// A server that answers 4xx three times and then accepts: each failure waits its step of the
// schedule (with jitter) on the fake clock, nothing is sent early, and the fourth try gets
// through with the same Message-ID the first would have had.
func TestDeliverDue_TemporaryFailuresRetriedWithBackoff(t *testing.T) {
	e := newEnv(t)
	e.smtp.OnData(func(attempt int) error {
		if attempt <= 3 {
			return smtptest.TryLater
		}
		return nil
	})
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	steps := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}
	for i, step := range steps {
		tried := e.clock.Now()
		if n := e.deliver(e.svc); n != 0 {
			t.Fatalf("try %d: sent", i+1)
		}
		d := e.deliveries()[0]
		wait := d.NextAt.Sub(tried)
		if d.Status != models.DeliveryPending || d.Attempts != i+1 || wait < step*8/10 || wait > step*12/10 {
			t.Fatalf("after try %d: status %s, attempts %d, next in %v; want pending, %d, %v ± 20%%", i+1, d.Status, d.Attempts, wait, i+1, step)
		}
		if !strings.Contains(d.LastError, "SMTP 451") {
			t.Errorf("last error %q", d.LastError)
		}
		// Not before it is due.
		e.clock.Set(d.NextAt.Add(-time.Second))
		if n := e.deliver(e.svc); n != 0 || e.smtp.Attempts() != i+1 {
			t.Fatalf("tried again %v early", time.Second)
		}
		e.clock.Set(d.NextAt)
	}
	if n := e.deliver(e.svc); n != 1 {
		t.Fatal("the fourth try did not send")
	}
	d := e.deliveries()[0]
	if d.Status != models.DeliverySent || d.Attempts != 4 || e.smtp.Attempts() != 4 || len(e.smtp.Messages()) != 1 {
		t.Errorf("delivery %+v, %d offered, %d accepted", d, e.smtp.Attempts(), len(e.smtp.Messages()))
	}
	if got := e.smtp.Messages()[0].MessageID; !strings.HasPrefix(got, "<auxportal.notice."+strconv.FormatUint(d.ID, 10)+".") {
		t.Errorf("Message-ID %s does not name delivery %d", got, d.ID)
	}
}

// A permanent refusal (5xx to the recipient) stops after MaxPermanentAttempts, a temporary
// one (the server is down) after MaxAttempts, days later; both end dead, visible to a
// district admin, whose retry (audited) sends it once the trouble is fixed.
func TestDeliverDue_DeadAfterTheAttemptsAllowed(t *testing.T) {
	tests := []struct {
		name     string
		breakIt  func(*smtptest.Server)
		attempts int
		reason   string
	}{
		{"5xx: recipient refused", func(s *smtptest.Server) { s.OnRcpt(func(to string) error { return smtptest.NoSuchUser(to) }) },
			notices.MaxPermanentAttempts, "SMTP 550 5.1.1"},
		{"server down", func(s *smtptest.Server) { s.Stop() }, notices.MaxAttempts, "无法连接邮件服务器"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.breakIt(e.smtp)
			e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
			var d models.NoticeDelivery
			for i := 1; i <= tt.attempts; i++ {
				if n := e.deliver(e.svc); n != 0 {
					t.Fatal("sent")
				}
				d = e.deliveries()[0]
				if d.Attempts != i {
					t.Fatalf("attempt %d recorded as %d", i, d.Attempts)
				}
				if i < tt.attempts {
					if d.Status != models.DeliveryPending {
						t.Fatalf("after %d of %d attempts: %s", i, tt.attempts, d.Status)
					}
					e.clock.Set(d.NextAt)
				}
			}
			if d.Status != models.DeliveryDead || !strings.Contains(d.LastError, tt.reason) {
				t.Fatalf("after %d attempts: %s %q", tt.attempts, d.Status, d.LastError)
			}
			if strings.Contains(d.LastError, "zhang.san") || strings.Contains(e.logs.String(), "zhang.san") {
				t.Errorf("the recipient's address was stored or logged: %q", d.LastError)
			}
			e.clock.Advance(30 * 24 * time.Hour)
			if n := e.deliver(e.svc); n != 0 || e.deliveries()[0].Attempts != tt.attempts {
				t.Fatal("a dead delivery was tried again")
			}
			r, err := e.svc.DeliveryReport(e.ctx, e.district)
			if err != nil || len(r.Deliveries) != 1 || r.Deliveries[0].StatusLabel != "已放弃" || r.Deliveries[0].Recipient != "张三" {
				t.Fatalf("admin's view: %+v %v", r, err)
			}
			// The district fixes the server (a new configuration) and retries.
			fixed := smtptest.Start(t)
			svc := e.service(fixed)
			v, err := svc.RetryNow(e.ctx, e.district, d.ID)
			if err != nil || v.Status != models.DeliveryPending || v.Attempts != 0 {
				t.Fatalf("retry: %+v %v", v, err)
			}
			if n := e.deliver(svc); n != 1 || len(fixed.Messages()) != 1 {
				t.Fatalf("after the retry sent %d", n)
			}
			audit, err := e.store.ListAudit(e.ctx, models.AuditFilter{ObjectType: "notice_delivery", ObjectID: d.ID})
			if err != nil || len(audit) != 1 || audit[0].Action != "notice_delivery.retry" || audit[0].ActorID != e.district.UserID {
				t.Errorf("audit %+v %v", audit, err)
			}
		})
	}
}

// Never lost: a replica that claimed a delivery and died before sending it (or hangs) holds it
// only until its lease runs out; then another replica sends it.
func TestDeliverDue_LeaseRunsOutAfterACrash(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	id := e.deliveries()[0].ID
	// The crashed replica's claim.
	if ok, err := e.store.ClaimDelivery(e.ctx, id, "crashed-replica", e.clock.Now(), e.clock.Now().Add(notices.Lease)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	e.clock.Advance(notices.Lease - time.Second)
	if n := e.deliver(e.svc); n != 0 {
		t.Fatal("sent while another replica held the lease")
	}
	e.clock.Advance(time.Second)
	if n := e.deliver(e.svc); n != 1 || len(e.smtp.Messages()) != 1 {
		t.Fatalf("not sent after the lease ran out: %d", n)
	}
	d := e.delivery(id)
	if d.Status != models.DeliverySent || d.Attempts != 2 {
		t.Errorf("delivery %+v", d)
	}
	// The crashed replica, were it to come back, cannot overwrite the outcome.
	if ok, err := e.store.FinishDelivery(e.ctx, id, "crashed-replica", models.DeliveryOutcome{Status: models.DeliveryPending, At: e.clock.Now()}); err != nil || ok {
		t.Errorf("a stale lease recorded an outcome: %v %v", ok, err)
	}
}

// SMTP cannot be exactly-once: a replica that crashes after the server took the message but
// before recording it leaves the row to be sent again. The second copy is the same message —
// the same Message-ID, Date, subject and body — which is what mail clients drop as a duplicate.
func TestDeliverDue_ResendAfterCrashMidSendIsTheSameMessage(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	d := e.deliveries()[0]
	if ok, err := e.store.ClaimDelivery(e.ctx, d.ID, "crashed-replica", e.clock.Now(), e.clock.Now().Add(notices.Lease)); err != nil || !ok {
		t.Fatal(err)
	}
	n, err := e.store.NoticeByID(e.ctx, d.NoticeID)
	if err != nil {
		t.Fatal(err)
	}
	// The crashed replica's send, which the server took.
	if err := e.sender(e.smtp).Send(e.ctx, notices.Outgoing{DeliveryID: d.ID, To: "zhang.san@163.example", ToName: "张三",
		Title: n.Title, Body: n.Body, Link: n.Link, Created: n.CreatedAt}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(notices.Lease + time.Minute)
	if got := e.deliver(e.svc); got != 1 {
		t.Fatalf("sent %d", got)
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	a, b := msgs[0], msgs[1]
	if a.MessageID != b.MessageID || a.Header.Get("Date") != b.Header.Get("Date") || a.Subject != b.Subject || a.Body != b.Body {
		t.Errorf("the re-send differs:\n%s\n%s", a.Raw, b.Raw)
	}
}

// Two replicas running DeliverDue at the same moment (twice each) send every row once: the
// claim is one conditional UPDATE.
func TestDeliverDue_ReplicasAtOnce_EachRowSentOnce(t *testing.T) {
	e := newEnv(t)
	const n = 30
	for i := range n {
		to := e.holder
		if i%2 == 1 {
			to = e.other
		}
		e.notify(e.svc, e.message(to, "", notices.ChannelEmail))
	}
	// A slow server, so that the replicas' runs overlap.
	e.smtp.OnData(func(int) error { time.Sleep(2 * time.Millisecond); return nil })
	replicas := []*notices.Service{e.svc, e.service(e.smtp), e.svc, e.service(e.smtp)}
	var wg sync.WaitGroup
	sent := make([]int, len(replicas))
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if sent[i], err = r.DeliverDue(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, s := range sent {
		total += s
	}
	ids := map[string]bool{}
	for _, m := range e.smtp.Messages() {
		ids[m.MessageID] = true
	}
	if total != n || len(e.smtp.Messages()) != n || len(ids) != n || e.smtp.Attempts() != n {
		t.Errorf("replicas sent %v (%d), the server got %d messages (%d distinct, %d offered); want %d of each",
			sent, total, len(e.smtp.Messages()), len(ids), e.smtp.Attempts(), n)
	}
	for _, d := range e.deliveries() {
		if d.Status != models.DeliverySent || d.Attempts != 1 {
			t.Errorf("delivery %d: %s after %d attempts", d.ID, d.Status, d.Attempts)
		}
	}
}

// A user who clears their address after the notice was recorded is not written to; the
// delivery is skipped, not failed.
func TestDeliverDue_AddressClearedSince_Skipped(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	if err := e.store.SetUserEmail(e.ctx, e.holder.UserID, nil); err != nil {
		t.Fatal(err)
	}
	if n := e.deliver(e.svc); n != 0 || e.smtp.Attempts() != 0 {
		t.Fatal("sent to a cleared address")
	}
	if d := e.deliveries()[0]; d.Status != models.DeliverySkipped {
		t.Errorf("status %s", d.Status)
	}
}
