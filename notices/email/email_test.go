package email_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"auxportal/notices"
	"auxportal/notices/email"
	"auxportal/notices/smtptest"
)

var (
	created     = time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC)
	encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`)
)

func sender(t *testing.T, srv *smtptest.Server, mode string, edit ...func(*email.Config)) *email.Sender {
	t.Helper()
	cfg := email.Config{Host: srv.Host, Port: srv.Port, TLS: mode, From: "海门区城市管理局 <noreply@haimen.example>",
		PublicURL: "https://rczp.haimen.example/", TLSConfig: srv.ClientTLS()}
	for _, e := range edit {
		e(&cfg)
	}
	s, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func outgoing(title, body string) notices.Outgoing {
	return notices.Outgoing{DeliveryID: 42, To: "zhang.san@163.example", ToName: "张三", Title: title, Body: body,
		Link: "/me/notices", Created: created}
}

// What arrives at a real SMTP server, read back as a mail client reads it: the UTF-8 subject
// and names decoded from RFC 2047, the body from base64, the envelope, and a Message-ID that
// the delivery fixes.
func TestSend_WhatArrives(t *testing.T) {
	for _, mode := range []string{email.NoTLS, email.StartTLS, email.ImplicitTLS} {
		t.Run(mode, func(t *testing.T) {
			var opts []smtptest.Option
			switch mode {
			case email.StartTLS:
				opts = append(opts, smtptest.WithSTARTTLS())
			case email.ImplicitTLS:
				opts = append(opts, smtptest.WithImplicitTLS())
			}
			srv := smtptest.Start(t, append(opts, smtptest.WithAuth("portal", "s3cret-pass"))...)
			s := sender(t, srv, mode, func(c *email.Config) { c.Username, c.Password = "portal", "s3cret-pass" })
			if mode == email.NoTLS {
				// Credentials in clear text are allowed to a relay on this host only.
				s = sender(t, srv, mode, func(c *email.Config) { c.Host, c.Username, c.Password = "127.0.0.1", "portal", "s3cret-pass" })
			}
			title := "年度复训报名窗口已开放：请于 2027年6月30日 前完成复训考试（上岗证 HM2026-00042）"
			body := "张三，您好：\n您的上岗证将于 2027-07-10 到期。\n请登录平台报名参加年度复训。"
			if err := s.Send(context.Background(), outgoing(title, body)); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d messages arrived", len(msgs))
			}
			m := msgs[0]
			if m.From != "noreply@haimen.example" || len(m.To) != 1 || m.To[0] != "zhang.san@163.example" {
				t.Errorf("envelope %s → %v", m.From, m.To)
			}
			if m.Subject != title {
				t.Errorf("subject %q, want %q", m.Subject, title)
			}
			if got := m.Header.Get("Content-Type"); got != "text/plain; charset=UTF-8" {
				t.Errorf("Content-Type %q", got)
			}
			for _, want := range []string{"张三，您好：\r\n您的上岗证将于 2027-07-10 到期。", "查看详情：https://rczp.haimen.example/me/notices", "账号设置"} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("body lacks %q:\n%s", want, m.Body)
				}
			}
			if m.MessageID != "<auxportal.notice.42."+strconv.FormatInt(created.Unix(), 10)+"@haimen.example>" {
				t.Errorf("Message-ID %q", m.MessageID)
			}
			from, err := m.Header.AddressList("From")
			if err != nil || from[0].Name != "海门区城市管理局" || from[0].Address != "noreply@haimen.example" {
				t.Errorf("From %v %v", from, err)
			}
			to, err := m.Header.AddressList("To")
			if err != nil || to[0].Name != "张三" || to[0].Address != "zhang.san@163.example" {
				t.Errorf("To %v %v", to, err)
			}
			if d, err := m.Header.Date(); err != nil || !d.Equal(created) {
				t.Errorf("Date %v %v", d, err)
			}
			if m.Header.Get("Auto-Submitted") != "auto-generated" {
				t.Error("no Auto-Submitted header")
			}
			// RFC 5322: no line over 998 characters (the body's base64 lines are 76); RFC 2047:
			// no encoded word over 75.
			for _, w := range encodedWord.FindAllString(string(m.Raw), -1) {
				if len(w) > 75 {
					t.Errorf("encoded word of %d characters: %s", len(w), w)
				}
			}
			for i, line := range strings.Split(string(m.Raw), "\r\n") {
				if len(line) > 998 {
					t.Errorf("line %d is %d characters", i, len(line))
				}
				for _, r := range line {
					if r > '~' {
						t.Fatalf("line %d is not ASCII: %q", i, line)
					}
				}
			}
		})
	}
}

// Threat: header injection. A title or a name with line breaks and header text stays inside its
// own header, encoded; no Bcc appears and nothing goes to the injected address.
func TestSend_HeaderInjection_StaysInTheHeader(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(t, srv, email.NoTLS)
	for _, tt := range []struct{ name, title, toName string }{
		{"title CRLF", "复训通知\r\nBcc: evil@attacker.example", "张三"},
		{"ASCII title LF", "Notice\nBcc: evil@attacker.example\n\nfake body", "张三"},
		{"name CRLF", "复训通知", "张三\r\nBcc: evil@attacker.example"},
		{"title with tab and bell", "复训\t通知\a", "张三"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Messages())
			o := outgoing(tt.title, "正文")
			o.ToName = tt.toName
			if err := s.Send(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			m := srv.Messages()[before]
			if len(m.To) != 1 || m.To[0] != "zhang.san@163.example" {
				t.Errorf("envelope recipients %v", m.To)
			}
			if _, ok := m.Header["Bcc"]; ok {
				t.Errorf("a Bcc header was injected:\n%s", m.Raw)
			}
			if strings.Contains(string(m.Raw), "\nBcc:") || strings.Contains(m.Body, "fake body") {
				t.Errorf("injected text escaped its header:\n%s", m.Raw)
			}
		})
	}
}

// A recipient address that is not a plain address is never put in an envelope or a header.
func TestSend_BadAddress_PermanentWithoutConnecting(t *testing.T) {
	srv := smtptest.Start(t)
	s := sender(t, srv, email.NoTLS)
	for _, to := range []string{"a@b.example\r\nRCPT TO:<evil@x.example>", "张三@163.example", "a b@c.example", "\"x\"@y.example>", "", "no-at-sign"} {
		o := outgoing("通知", "正文")
		o.To = to
		err := s.Send(context.Background(), o)
		var se *notices.SendError
		if !errors.As(err, &se) || !se.Permanent {
			t.Errorf("To %q: %v, want a permanent SendError", to, err)
		}
	}
	if srv.Attempts() != 0 {
		t.Errorf("%d messages offered to the server", srv.Attempts())
	}
}

// Replies are classified: 5xx to the recipient or the message is permanent; 4xx, a refused
// login and a server that is down are temporary.
func TestSend_FailuresClassified(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(*smtptest.Server)
		edit      func(*email.Config)
		permanent bool
		reason    string
	}{
		{"4xx on data", func(s *smtptest.Server) { s.OnData(func(int) error { return smtptest.TryLater }) }, nil, false, "SMTP 451 4.3.0"},
		{"5xx on recipient", func(s *smtptest.Server) { s.OnRcpt(func(to string) error { return smtptest.NoSuchUser(to) }) }, nil, true, "SMTP 550 5.1.1"},
		{"5xx on data", func(s *smtptest.Server) {
			s.OnData(func(int) error {
				return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "spam"}
			})
		}, nil, true, "SMTP 554 5.7.1"},
		{"wrong password", nil, func(c *email.Config) { c.Host, c.Username, c.Password = "127.0.0.1", "portal", "wrong" }, false, "SMTP 535"},
		{"server down", func(s *smtptest.Server) { s.Stop() }, nil, false, "无法连接"},
		{"no STARTTLS offered", nil, func(c *email.Config) { c.TLS = email.StartTLS }, false, "STARTTLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.WithAuth("portal", "right"))
			s := sender(t, srv, email.NoTLS, func(c *email.Config) { c.Host, c.Username, c.Password = "127.0.0.1", "portal", "right" })
			if tt.edit != nil {
				s = sender(t, srv, email.NoTLS, func(c *email.Config) { c.Host, c.Username, c.Password = "127.0.0.1", "portal", "right" }, tt.edit)
			}
			if tt.setup != nil {
				tt.setup(srv)
			}
			err := s.Send(context.Background(), outgoing("通知", "正文"))
			var se *notices.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err %v, want a SendError", err)
			}
			if se.Permanent != tt.permanent {
				t.Errorf("permanent = %v, want %v (%v)", se.Permanent, tt.permanent, err)
			}
			if !strings.Contains(se.Error(), tt.reason) {
				t.Errorf("%q does not say %q", se.Error(), tt.reason)
			}
			if len(srv.Messages()) != 0 {
				t.Error("a refused message arrived")
			}
		})
	}
}

// A send the context gives up on ends at once, even when the server never answers.
func TestSend_ContextEndsAHungSend(t *testing.T) {
	srv := smtptest.Start(t)
	release := make(chan struct{})
	defer close(release)
	srv.OnData(func(int) error { <-release; return nil })
	s := sender(t, srv, email.NoTLS)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Send(ctx, outgoing("通知", "正文")) }()
	select {
	case err := <-done:
		var se *notices.SendError
		if !errors.As(err, &se) || se.Permanent {
			t.Errorf("err %v, want a temporary SendError", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send did not return after its context ended")
	}
}

func TestNew_RefusesBadConfig(t *testing.T) {
	ok := email.Config{Host: "smtp.example", From: "noreply@haimen.example", PublicURL: "https://rczp.example"}
	tests := []struct {
		name string
		edit func(*email.Config)
	}{
		{"no host", func(c *email.Config) { c.Host = "" }},
		{"bad mode", func(c *email.Config) { c.TLS = "ssl" }},
		{"bad port", func(c *email.Config) { c.Port = 70000 }},
		{"bad from", func(c *email.Config) { c.From = "noreply" }},
		{"from with CRLF", func(c *email.Config) { c.From = "a@b.example\r\nBcc: c@d.example" }},
		{"user without password", func(c *email.Config) { c.Username = "u" }},
		{"password in clear over the network", func(c *email.Config) { c.TLS, c.Username, c.Password = email.NoTLS, "u", "p" }},
		{"no public URL", func(c *email.Config) { c.PublicURL = "" }},
	}
	if _, err := email.New(ok); err != nil {
		t.Fatalf("good config refused: %v", err)
	}
	for _, tt := range tests {
		c := ok
		tt.edit(&c)
		if _, err := email.New(c); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}
