package notices_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/notices"
)

// Rule M-1's spirit for personal notices: each user sees only their own. Another user's notice
// does not exist for them (404), and a visitor must sign in first (401).
func TestInbox_OwnNoticesOnly(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, ""))
	e.clock.Advance(time.Minute)
	e.notify(e.svc, e.message(e.holder, ""))
	e.notify(e.svc, e.message(e.other, ""))
	in, err := e.svc.Inbox(e.ctx, e.holder, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Notices) != 2 || in.Unread != 2 || in.Notices[0].ID < in.Notices[1].ID || in.Notices[0].Read {
		t.Fatalf("inbox %+v", in)
	}
	theirs, _ := e.svc.Inbox(e.ctx, e.other, 0)
	tests := []struct {
		name  string
		actor models.Actor
		id    uint64
		kind  error
	}{
		{"another user's notice", e.holder, theirs.Notices[0].ID, models.ErrNotFound},
		{"no such notice", e.holder, 999999, models.ErrNotFound},
		{"an id no row can have", e.holder, 1 << 63, models.ErrNotFound},
		{"a visitor", models.Actor{}, in.Notices[0].ID, models.ErrUnauthenticated},
	}
	for _, tt := range tests {
		if err := e.svc.MarkRead(e.ctx, tt.actor, tt.id); !errors.Is(err, tt.kind) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
	if _, err := e.svc.Inbox(e.ctx, models.Actor{}, 0); !errors.Is(err, models.ErrUnauthenticated) {
		t.Errorf("a visitor's inbox: %v", err)
	}
	if n, _ := e.svc.UnreadCount(e.ctx, e.other); n != 1 {
		t.Errorf("the other user's notice was marked read by someone else: %d unread", n)
	}
}

func TestInbox_MarkReadOneThenAll(t *testing.T) {
	e := newEnv(t)
	for range 3 {
		e.notify(e.svc, e.message(e.holder, ""))
	}
	in, _ := e.svc.Inbox(e.ctx, e.holder, 0)
	e.clock.Advance(time.Hour)
	for range 2 { // a second mark changes nothing
		if err := e.svc.MarkRead(e.ctx, e.holder, in.Notices[1].ID); err != nil {
			t.Fatal(err)
		}
	}
	in, _ = e.svc.Inbox(e.ctx, e.holder, 0)
	if in.Unread != 2 || !in.Notices[1].Read || in.Notices[1].ReadAt == nil || !in.Notices[1].ReadAt.Equal(start.Add(time.Hour)) {
		t.Fatalf("after one: %+v", in)
	}
	if n, err := e.svc.MarkAllRead(e.ctx, e.holder); err != nil || n != 2 {
		t.Fatalf("mark all: %d %v", n, err)
	}
	if n, _ := e.svc.UnreadCount(e.ctx, e.holder); n != 0 {
		t.Errorf("%d unread after marking all", n)
	}
	if n, _ := e.svc.MarkAllRead(e.ctx, e.holder); n != 0 {
		t.Errorf("marked %d again", n)
	}
	if n, _ := e.svc.UnreadCount(e.ctx, models.Actor{}); n != 0 {
		t.Errorf("a visitor has %d unread", n)
	}
}

func TestInbox_PagesNewestFirst(t *testing.T) {
	e := newEnv(t)
	for i := range notices.PageSize + 5 {
		m := e.message(e.holder, "")
		m.Title = fmt.Sprintf("通知 %d", i+1)
		e.notify(e.svc, m)
	}
	first, err := e.svc.Inbox(e.ctx, e.holder, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Notices) != notices.PageSize || first.Notices[0].Title != fmt.Sprintf("通知 %d", notices.PageSize+5) || first.NextBefore == 0 {
		t.Fatalf("first page: %d notices, next %d", len(first.Notices), first.NextBefore)
	}
	second, err := e.svc.Inbox(e.ctx, e.holder, first.NextBefore)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Notices) != 5 || second.Notices[4].Title != "通知 1" || second.NextBefore != 0 || second.Unread != int64(notices.PageSize+5) {
		t.Fatalf("second page: %+v", second)
	}
}

// The delivery report and the retry are the district's: a town admin, a trainer and an
// applicant are refused, a visitor must sign in.
func TestDeliveryAdmin_DistrictOnly(t *testing.T) {
	e := newEnv(t)
	trainer := e.user("trainer", models.RoleTrainer, "培训员", "")
	e.smtp.OnRcpt(func(to string) error { return errors.New("boom") })
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	e.deliver(e.svc)
	id := e.deliveries()[0].ID
	for _, a := range []struct {
		name  string
		actor models.Actor
		kind  error
	}{
		{"visitor", models.Actor{}, models.ErrUnauthenticated},
		{"applicant", e.holder, models.ErrForbidden},
		{"trainer", trainer, models.ErrForbidden},
		{"town admin", e.town, models.ErrForbidden},
	} {
		if _, err := e.svc.DeliveryReport(e.ctx, a.actor); !errors.Is(err, a.kind) {
			t.Errorf("%s report: %v, want %v", a.name, err, a.kind)
		}
		if _, err := e.svc.RetryNow(e.ctx, a.actor, id); !errors.Is(err, a.kind) {
			t.Errorf("%s retry: %v, want %v", a.name, err, a.kind)
		}
	}
	if e.delivery(id).Attempts != 1 {
		t.Error("a refused retry changed the delivery")
	}
	if _, err := e.svc.RetryNow(e.ctx, e.district, 999999); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("retry of a missing delivery: %v", err)
	}
}

// Only a delivery that failed may be retried: a sent one is 409 not_retryable.
func TestRetryNow_OnlyFailedDeliveries(t *testing.T) {
	e := newEnv(t)
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelEmail))
	e.notify(e.service(nil), e.message(e.holder, "", notices.ChannelEmail)) // off
	e.deliver(e.svc)
	for _, d := range e.deliveries() {
		_, err := e.svc.RetryNow(e.ctx, e.district, d.ID)
		if me, ok := models.AsError(err); !ok || me.Code != "not_retryable" || !errors.Is(err, models.ErrConflict) {
			t.Errorf("retry of a %s delivery: %v", d.Status, err)
		}
	}
	if n := e.count("audit_entries"); n != 0 {
		t.Errorf("%d audit entries for refused retries", n)
	}
}
