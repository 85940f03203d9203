package notices_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"auxportal/models"
	"auxportal/notices"
)

// Rule T-4 (the yearly refresher's notices, once per holder and cycle): a dedup key is recorded
// once; another key is another notice.
func TestNotify_DedupKey_OncePerHolderAndCycle_T4(t *testing.T) {
	e := newEnv(t)
	key := "refresher:permit:42:2027:d7:user:" + strconv.FormatUint(e.holder.UserID, 10)
	tests := []struct {
		name string
		m    notices.Message
		want bool
	}{
		{"first", e.message(e.holder, key, notices.ChannelEmail), true},
		{"the same key again", e.message(e.holder, key, notices.ChannelEmail), false},
		{"the same key with other text", func() notices.Message {
			m := e.message(e.holder, key)
			m.Title = "另一个标题"
			return m
		}(), false},
		{"the next reminder of the cycle", e.message(e.holder, "refresher:permit:42:2027:d1:user:"+strconv.FormatUint(e.holder.UserID, 10)), true},
		{"the next cycle", e.message(e.holder, "refresher:permit:42:2028:d7:user:"+strconv.FormatUint(e.holder.UserID, 10)), true},
	}
	for _, tt := range tests {
		if got := e.notify(e.svc, tt.m); got != tt.want {
			t.Errorf("%s: created = %v, want %v", tt.name, got, tt.want)
		}
	}
	if n := e.count("notices"); n != 3 {
		t.Errorf("%d notices, want 3", n)
	}
	if n := e.count("notice_deliveries"); n != 1 {
		t.Errorf("%d deliveries, want 1 (the first notice's e-mail)", n)
	}
}

// The outbox: a notice exists if and only if the transaction that recorded it committed.
func TestNotify_RolledBackDecisionLeavesNoNotice(t *testing.T) {
	e := newEnv(t)
	boom := errors.New("the decision failed after the notice was recorded")
	err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
		if created, err := e.svc.Notify(e.ctx, tx, e.message(e.holder, "k:1", notices.ChannelEmail)); err != nil || !created {
			t.Fatalf("Notify: %v %v", created, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if e.count("notices") != 0 || e.count("notice_deliveries") != 0 {
		t.Fatal("a rolled-back notice was stored")
	}
	// The key is free again: the decision, retried, records its notice.
	if !e.notify(e.svc, e.message(e.holder, "k:1", notices.ChannelEmail)) {
		t.Error("the key of a rolled-back notice stayed taken")
	}
}

// Two replicas (here twelve transactions) recording one notice at the same moment store it once:
// exactly one Notify reports created. On MariaDB the others wait for the first transaction and
// then find the key taken.
func TestNotify_DedupKeyUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	replicas := []*notices.Service{e.svc, e.service(e.smtp)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, failed := 0, []error{}
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := replicas[i%2]
			var c bool
			err := e.store.WithTx(e.ctx, func(tx *models.Store) error {
				var err error
				c, err = svc.Notify(e.ctx, tx, e.message(e.holder, "refresher:permit:7:2027:open:user:1", notices.ChannelEmail))
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, err)
			}
			if c {
				created++
			}
		}()
	}
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("%d of 12 failed: %v", len(failed), failed[0])
	}
	if created != 1 {
		t.Errorf("%d reported created, want 1", created)
	}
	if e.count("notices") != 1 || e.count("notice_deliveries") != 1 {
		t.Errorf("%d notices and %d deliveries, want 1 and 1", e.count("notices"), e.count("notice_deliveries"))
	}
}

// Without SMTP the e-mail channel is off: the delivery says so and is never tried; a recipient
// without an address is skipped; SMS has no sender yet. None of them is a failure.
func TestNotify_ChannelOffOrNoAddress_NotAFailure(t *testing.T) {
	e := newEnv(t)
	noSMTP := e.service(nil)
	e.notify(noSMTP, e.message(e.holder, "", notices.ChannelEmail))
	e.notify(e.svc, e.message(e.district, "", notices.ChannelEmail)) // no address
	e.notify(e.svc, e.message(e.holder, "", notices.ChannelSMS, notices.ChannelEmail, notices.ChannelSMS))
	var got []string
	for _, d := range e.deliveries() {
		got = append(got, d.Channel+":"+d.Status)
	}
	want := "email:off email:skipped sms:off email:pending"
	if strings.Join(got, " ") != want {
		t.Errorf("deliveries %v, want %s", got, want)
	}
	if n := e.deliver(e.svc); n != 1 {
		t.Errorf("sent %d, want only the pending one", n)
	}
	if n := e.deliver(noSMTP); n != 0 {
		t.Errorf("a replica without SMTP sent %d", n)
	}
	r, err := e.svc.DeliveryReport(e.ctx, e.district)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Deliveries) != 0 {
		t.Errorf("off and skipped deliveries listed as troubled: %+v", r.Deliveries)
	}
	if !r.Channels[0].Configured || r.Channels[1].Configured || r.Channels[0].Counts[models.DeliveryOff] != 1 {
		t.Errorf("channels %+v", r.Channels)
	}
}

// A bad Message is the caller's bug: refused with an error, nothing stored, and the caller's
// transaction rolls back with it.
func TestNotify_RefusesBadMessages(t *testing.T) {
	e := newEnv(t)
	edit := func(f func(*notices.Message)) notices.Message {
		m := e.message(e.holder, "")
		f(&m)
		return m
	}
	tests := []struct {
		name string
		m    notices.Message
	}{
		{"no recipient", edit(func(m *notices.Message) { m.UserID = 0 })},
		{"no such recipient", edit(func(m *notices.Message) { m.UserID = 999999 })},
		{"no kind", edit(func(m *notices.Message) { m.Kind = "" })},
		{"kind with spaces", edit(func(m *notices.Message) { m.Kind = "window open" })},
		{"no dedup key", edit(func(m *notices.Message) { m.DedupKey = "" })},
		{"dedup key with a space", edit(func(m *notices.Message) { m.DedupKey = "a b" })},
		{"dedup key in Chinese", edit(func(m *notices.Message) { m.DedupKey = "复训:1" })},
		{"dedup key too long", edit(func(m *notices.Message) { m.DedupKey = strings.Repeat("k", notices.MaxDedupKey+1) })},
		{"no title", edit(func(m *notices.Message) { m.Title = "  " })},
		{"title of two lines", edit(func(m *notices.Message) { m.Title = "复训通知\r\nBcc: evil@attacker.example" })},
		{"title too long", edit(func(m *notices.Message) { m.Title = strings.Repeat("训", notices.MaxTitle+1) })},
		{"title not UTF-8", edit(func(m *notices.Message) { m.Title = "\xff\xfe" })},
		{"body too long", edit(func(m *notices.Message) { m.Body = strings.Repeat("训", notices.MaxBody+1) })},
		{"body with a NUL", edit(func(m *notices.Message) { m.Body = "a\x00b" })},
		{"link to another site", edit(func(m *notices.Message) { m.Link = "https://evil.example/" })},
		{"link starting //", edit(func(m *notices.Message) { m.Link = "//evil.example/" })},
		{"link with a space", edit(func(m *notices.Message) { m.Link = "/me/ notices" })},
		{"unknown channel", edit(func(m *notices.Message) { m.Channels = []string{"wechat"} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.svc.Notify(e.ctx, nil, tt.m); err == nil {
				t.Error("accepted")
			}
		})
	}
	if n := e.count("notices"); n != 0 {
		t.Errorf("%d refused notices stored", n)
	}
}
