package email

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"unicode"

	"auxportal/clock"
	"auxportal/notices"
)

// MessageID is the Message-ID of a delivery: the same on every try, so that a message sent
// twice (the portal crashed after the server took it, before the outcome was recorded) is one
// message to the mail clients that drop duplicates. The notice's time keeps it unique across
// databases whose ids start again from 1.
func (s *Sender) MessageID(m notices.Outgoing) string {
	return fmt.Sprintf("<auxportal.notice.%d.%d@%s>", m.DeliveryID, m.Created.Unix(), s.domain)
}

// compose writes the message: headers in ASCII (names and the subject as RFC 2047 encoded
// words, folded), a UTF-8 plain-text body in base64, CRLF line ends.
func (s *Sender) compose(m notices.Outgoing) []byte {
	var b strings.Builder
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("Date", m.Created.In(clock.China).Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	header("From", fold(s.from.String()))
	header("To", fold((&mail.Address{Name: oneLine(m.ToName), Address: m.To}).String()))
	header("Subject", fold(mime.QEncoding.Encode("UTF-8", oneLine(m.Title))))
	header("Message-ID", s.MessageID(m))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	// RFC 3834: no out-of-office replies to a machine.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	body := base64.StdEncoding.EncodeToString([]byte(s.text(m)))
	for len(body) > 76 {
		b.WriteString(body[:76] + "\r\n")
		body = body[76:]
	}
	b.WriteString(body + "\r\n")
	return []byte(b.String())
}

// text is the body: the notice, its link on the portal, and why the mail came.
func (s *Sender) text(m notices.Outgoing) string {
	var b strings.Builder
	b.WriteString(m.Body)
	if m.Link != "" {
		b.WriteString("\n\n查看详情：" + s.base + m.Link)
	}
	b.WriteString("\n\n——\n此邮件由海门区城市管理辅助人员招聘与培训平台自动发送，请勿直接回复。\n" +
		"登录平台后可在“通知”中查看全部通知；不需要邮件通知时，可在“账号设置”中清除电子邮箱。\n")
	return strings.ReplaceAll(b.String(), "\n", "\r\n")
}

// oneLine replaces control characters (a line break above all) with spaces: a header value is
// one line whatever the stored text holds.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// fold puts each RFC 2047 encoded word of a header value (at most 75 characters, as
// mime.WordEncoder cuts them) on a line of its own, so that a long Chinese subject or name never
// makes a line longer than RFC 5322 allows. Whitespace between encoded words is not part of
// the decoded text.
func fold(v string) string { return strings.ReplaceAll(v, "?= ", "?=\r\n ") }
