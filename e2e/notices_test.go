package e2e

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/notices/smtptest"
)

// TestNoticeJourney runs the real binary with SMTP pointed at a server on loopback. The demo's
// notices go out by e-mail as soon as the portal starts; the server refuses 周建华's once
// (550), so the district admin finds it on 通知投递, retries it, and it arrives. 周建华 reads
// it in the portal and marks everything read; the badge goes away.
func TestNoticeJourney(t *testing.T) {
	srv := smtptest.Start(t)
	var refused atomic.Bool
	srv.OnRcpt(func(to string) error {
		if to == "zhoujianhua@example.com" && refused.CompareAndSwap(false, true) {
			return smtptest.NoSuchUser(to)
		}
		return nil
	})
	p := startPortal(t, "-smtp-host", "127.0.0.1", "-smtp-port", strconv.Itoa(srv.Port), "-smtp-tls", "none",
		"-smtp-from", "海门区城市管理局 <noreply@haimen.example>")
	arrived := func(n int) []smtptest.Message {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for len(srv.Messages()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d messages arrived, want %d; portal output:\n%s", len(srv.Messages()), n, p.out.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		return srv.Messages()
	}
	msgs := arrived(2)
	subjects := []string{}
	for _, m := range msgs {
		if m.To[0] != "liming@example.com" {
			t.Errorf("a message to %v", m.To)
		}
		subjects = append(subjects, m.Subject)
	}
	if s := strings.Join(subjects, "|"); !strings.Contains(s, "资格审查结果：符合报名条件") || !strings.Contains(s, "成绩已录入") {
		t.Errorf("subjects %s", s)
	}
	if !strings.Contains(msgs[0].Body, "http://localhost:8080/me/applications/1") {
		t.Errorf("body without the link:\n%s", msgs[0].Body)
	}

	b := newBrowser(t, p.URL)
	b.desktop()
	b.open("login page", "/login", `/login`)
	b.do("log in as district", typeInto("#username", "district"), typeInto("#password", demoPassword))
	b.navigate("log in as district", `/admin`, click(`main form button[type=submit]`))
	b.navigate("通知投递 in the header", `/admin/notices`, click(`header a[href="/admin/notices"]`))
	b.do("the refused delivery is listed", waitText("main .delivery-list", "岗前培训统一考试安排", "周建华", "等待重试", "SMTP 550 5.1.1"))
	if strings.Contains(b.text("page text", "main"), "zhoujianhua@example.com") {
		t.Error("the admin's page shows the recipient's address")
	}
	b.checkPage("admin notices")
	b.shot("admin-notices-failed")
	b.phone()
	b.shot("admin-notices-failed-phone")
	b.navigate("立即重试", `/admin/notices\?ok=retried`, click(`main .delivery-list form button`))
	msgs = arrived(3)
	if m := msgs[2]; m.To[0] != "zhoujianhua@example.com" || m.Subject != "岗前培训统一考试安排" {
		t.Errorf("after the retry: %v %q", m.To, m.Subject)
	}
	b.open("notices page again", "/admin/notices", `/admin/notices`)
	b.do("nothing failed any more", waitText("main", "没有发送失败的投递", "已发送 3"))
	b.logout("log out district")

	b.open("login page", "/login", `/login`)
	b.do("log in as 周建华", typeInto("#username", "13800000021"), typeInto("#password", demoPassword))
	b.navigate("log in as 周建华", `/.*`, click(`main form button[type=submit]`))
	b.do("the badge says 1 unread", waitText(`header a[href="/me/notices"] .badge`, "1"))
	b.navigate("open 通知", `/me/notices`, click(`header a[href="/me/notices"]`))
	b.do("the notice is there, unread", waitText("main .notice-item.unread", "岗前培训统一考试安排", "未读"))
	b.checkPage("my notices")
	b.navigate("全部标为已读", `/me/notices\?ok=read_all`, click(`main form[action="/me/notices/read-all"] button`))
	b.do("read now", waitText("main", "没有未读通知"))
	if n := eval[int](b, "badge", `document.querySelectorAll("header .badge").length`); n != 0 {
		t.Errorf("%d badges after marking all read", n)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}
