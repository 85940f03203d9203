// Package email is the notices' e-mail channel: a notices.Sender that submits each notice to
// the district's SMTP server (STARTTLS, implicit TLS or, on a trusted local relay, plain),
// composed as a UTF-8 plain-text message whose Message-ID is derived from the delivery, so a
// re-send after a crash is the same message.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"auxportal/models"
	"auxportal/notices"
)

// Transport security (AUXPORTAL_SMTP_TLS).
const (
	StartTLS    = "starttls" // connect in plain text, then STARTTLS, required (port 587)
	ImplicitTLS = "tls"      // TLS from the first byte (port 465)
	NoTLS       = "none"     // plain text: only to a relay on this host or a trusted network
)

// Timeouts of one submission.
const (
	dialTimeout    = 15 * time.Second
	commandTimeout = 30 * time.Second
	dataTimeout    = 60 * time.Second
)

// Config is the SMTP server and the sender's identity.
type Config struct {
	Host     string
	Port     int // 0: 587 for StartTLS, 465 for ImplicitTLS, 25 for NoTLS
	Username string
	Password string
	// From is the sender, "海门区城市管理局 <noreply@example.gov.cn>" or a bare address; its
	// domain also names the Message-IDs.
	From string
	TLS  string // StartTLS (""), ImplicitTLS or NoTLS
	// PublicURL is the portal's public address, for the links in a message.
	PublicURL string
	// HelloName is the name given in EHLO; "" for PublicURL's host.
	HelloName string
	// TLSConfig, when set, is used instead of the system's roots (a private CA; tests).
	TLSConfig *tls.Config
}

// DefaultPort is the usual port of a transport security mode.
func DefaultPort(mode string) int {
	switch mode {
	case ImplicitTLS:
		return 465
	case NoTLS:
		return 25
	}
	return 587
}

// Sender sends notices by e-mail.
type Sender struct {
	cfg    Config
	addr   string // host:port
	from   *mail.Address
	domain string // of From, for Message-IDs
	base   string // PublicURL without a trailing slash
}

// New checks cfg and returns the sender.
func New(cfg Config) (*Sender, error) {
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	if cfg.TLS != StartTLS && cfg.TLS != ImplicitTLS && cfg.TLS != NoTLS {
		return nil, fmt.Errorf("smtp: TLS mode %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Host == "" || strings.ContainsAny(cfg.Host, " \r\n/") {
		return nil, fmt.Errorf("smtp: host %q", cfg.Host)
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultPort(cfg.TLS)
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: port %d", cfg.Port)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil || CheckAddress(from.Address) != nil {
		return nil, fmt.Errorf("smtp: from address %q: want name <address> or a bare address", cfg.From)
	}
	if (cfg.Username == "") != (cfg.Password == "") {
		return nil, errors.New("smtp: set both the username and the password, or neither")
	}
	if cfg.Username != "" && cfg.TLS == NoTLS && !loopback(cfg.Host) {
		// The password would cross the network in clear text.
		return nil, fmt.Errorf("smtp: a username and password over TLS mode none are allowed only to a relay on this host, not %s", cfg.Host)
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("smtp: public URL %q: want http(s)://host", cfg.PublicURL)
	}
	if cfg.HelloName == "" {
		cfg.HelloName = u.Hostname()
	}
	return &Sender{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)), from: from,
		domain: from.Address[strings.LastIndexByte(from.Address, '@')+1:], base: strings.TrimRight(cfg.PublicURL, "/")}, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr is the server's host:port.
func (s *Sender) Addr() string { return s.addr }

// Channel is notices.ChannelEmail.
func (*Sender) Channel() string { return notices.ChannelEmail }

// Address is the user's e-mail address, "" for none.
func (*Sender) Address(u *models.User) string {
	if u.Email == nil {
		return ""
	}
	return *u.Email
}

// CheckAddress accepts a bare address that can go into an envelope and a header as it is:
// printable ASCII, no spaces, one "@", and read back by net/mail as itself. The portal refuses
// other addresses when they are set (accounts); this is the last guard against a header
// injection from a stored value.
func CheckAddress(addr string) error {
	if addr == "" || len(addr) > 254 || strings.IndexFunc(addr, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 ||
		strings.Count(addr, "@") != 1 {
		return errors.New("not a plain e-mail address")
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return errors.New("not a plain e-mail address")
	}
	return nil
}

// Send submits one message. Failures are *notices.SendError: a 5xx reply to the recipient or the
// message is permanent; network trouble, 4xx replies and refusals before the recipient (a bad
// password, a sender address the server will not relay for) are temporary, since they are the
// portal's setup and every message would meet them: they are fixed once, then retried.
func (s *Sender) Send(ctx context.Context, m notices.Outgoing) error {
	if err := CheckAddress(m.To); err != nil {
		return &notices.SendError{Permanent: true, Reason: "收件地址无效", Err: err}
	}
	msg := s.compose(m)
	d := net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return &notices.SendError{Reason: fmt.Sprintf("无法连接邮件服务器 %s：%v", s.addr, err), Err: err}
	}
	defer conn.Close()
	// go-smtp sets its own deadline on every command; closing the connection ends a send the
	// context gave up on at once, wherever it waits.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	c, err := s.greet(ctx, conn)
	if err != nil {
		return replyError("无法与邮件服务器 "+s.addr+" 建立会话", err, false)
	}
	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return &notices.SendError{Reason: "邮件服务器不支持身份验证（AUTH）"}
		}
		if err := c.Auth(sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password)); err != nil {
			return replyError("邮件服务器拒绝登录", err, false)
		}
	}
	if err := c.Mail(s.from.Address, nil); err != nil {
		return replyError("邮件服务器拒绝发件人", err, false)
	}
	if err := c.Rcpt(m.To, nil); err != nil {
		return replyError("邮件服务器拒绝收件人", err, true)
	}
	w, err := c.Data()
	if err != nil {
		return replyError("邮件服务器拒绝接收邮件", err, true)
	}
	if _, err := w.Write(msg); err != nil {
		return replyError("发送邮件内容失败", err, true)
	}
	if err := w.Close(); err != nil {
		return replyError("邮件服务器拒绝接收邮件", err, true)
	}
	// The server has taken the message; a failed QUIT changes nothing about that.
	_ = c.Quit()
	return nil
}

// greet secures the connection as configured and greets the server.
func (s *Sender) greet(ctx context.Context, conn net.Conn) (*smtp.Client, error) {
	tcfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		tcfg = s.cfg.TLSConfig.Clone()
	}
	if tcfg.ServerName == "" {
		tcfg.ServerName = s.cfg.Host
	}
	var c *smtp.Client
	switch s.cfg.TLS {
	case ImplicitTLS:
		tc := tls.Client(conn, tcfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, err
		}
		c = smtp.NewClient(tc)
	case StartTLS:
		// STARTTLS is required: a server that does not offer it is refused, never used in
		// plain text (a downgrade by anyone on the path would look the same).
		var err error
		if c, err = smtp.NewClientStartTLS(conn, tcfg); err != nil {
			return nil, err
		}
	default:
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = commandTimeout, dataTimeout
	// Before STARTTLS go-smtp greets as "localhost"; after it, and in the other modes, the
	// portal greets with its own name.
	if err := c.Hello(s.cfg.HelloName); err != nil {
		return nil, err
	}
	return c, nil
}

// replyError classifies a failed step. permanentIf5xx is set from the recipient on: a 5xx
// reply there is about this message and will not change.
func replyError(what string, err error, permanentIf5xx bool) error {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return &notices.SendError{Reason: fmt.Sprintf("%s：%v", what, err), Err: err}
	}
	reason := fmt.Sprintf("%s：SMTP %d", what, se.Code)
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		reason += fmt.Sprintf(" %d.%d.%d", se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
	}
	if se.Message != "" {
		reason += " " + se.Message
	}
	return &notices.SendError{Permanent: permanentIf5xx && se.Code >= 500 && se.Code < 600, Reason: reason, Err: err}
}
