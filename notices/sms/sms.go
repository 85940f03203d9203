// Package sms is the notices' SMS channel: a notices.Sender that hands each message to a
// Gateway. The gateway is what a deployment plugs in (its operator's SMS API); this package has
// a webhook gateway (a JSON POST to an adapter the district runs), a development gateway that
// only logs that a message went out, and a recorder for tests.
package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"auxportal/models"
	"auxportal/notices"
)

// Gateway sends one text message to one mainland mobile number.
type Gateway interface {
	// Send delivers text to phone. It may be called again for the same id after a crash; a
	// gateway that can should pass id on as its idempotency key. A failure that retrying will
	// not mend is a *notices.SendError with Permanent set.
	Send(ctx context.Context, id, phone, text string) error
}

// Sender is the SMS channel of the outbox.
type Sender struct {
	gw        Gateway
	signature string
}

// New returns the channel over gw. signature is the 短信签名 put in front of every message, as
// Chinese operators require, e.g. "海门城管".
func New(gw Gateway, signature string) *Sender {
	return &Sender{gw: gw, signature: signature}
}

var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Channel is notices.ChannelSMS.
func (s *Sender) Channel() string { return notices.ChannelSMS }

// Address is an applicant's phone number (their username); staff have none.
func (s *Sender) Address(u *models.User) string {
	if u.Role == models.RoleApplicant && phoneRE.MatchString(u.Username) {
		return u.Username
	}
	return ""
}

// Send sends the notice's body (an SMS has no subject) after the signature.
func (s *Sender) Send(ctx context.Context, m notices.Outgoing) error {
	if !phoneRE.MatchString(m.To) {
		return &notices.SendError{Permanent: true, Reason: "不是有效的手机号码"}
	}
	text := m.Body
	if text == "" {
		text = m.Title
	}
	if s.signature != "" {
		text = "【" + s.signature + "】" + text
	}
	return s.gw.Send(ctx, fmt.Sprintf("auxportal-%d", m.DeliveryID), m.To, text)
}

// Mask shows a phone number as 138****0001, for logs.
func Mask(phone string) string {
	if len(phone) != 11 {
		return "***"
	}
	return phone[:3] + "****" + phone[7:]
}

// LogGateway is the development gateway: it sends nothing and logs that a message went out, to
// whom (masked) and how long it was — not the text, which may hold a verification code, unless
// ShowText is set (a local demo, where the log is the only way to read the code).
type LogGateway struct {
	Log      *slog.Logger
	ShowText bool
}

// Send logs the message.
func (g LogGateway) Send(ctx context.Context, id, phone, text string) error {
	if g.ShowText {
		g.Log.WarnContext(ctx, "sms (development: not sent; text shown because of -sms-dev-show-text)",
			"id", id, "to", phone, "text", text)
		return nil
	}
	g.Log.InfoContext(ctx, "sms (development: not sent)", "id", id, "to", Mask(phone), "chars", len([]rune(text)))
	return nil
}

// Message is one text a Recorder received.
type Message struct {
	ID, Phone, Text string
}

// Recorder is the tests' gateway: it keeps every message.
type Recorder struct {
	mu   sync.Mutex
	msgs []Message
	// Fail, when set, is returned by Send (the gateway is down).
	Fail error
}

// Send records the message.
func (r *Recorder) Send(_ context.Context, id, phone, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		return r.Fail
	}
	r.msgs = append(r.msgs, Message{ID: id, Phone: phone, Text: text})
	return nil
}

// Messages returns what was sent so far.
func (r *Recorder) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.msgs...)
}

// To returns the messages sent to phone.
func (r *Recorder) To(phone string) []Message {
	var out []Message
	for _, m := range r.Messages() {
		if m.Phone == phone {
			out = append(out, m)
		}
	}
	return out
}

// Webhook is a gateway that POSTs {"id","phone","text"} as JSON to URL with an optional bearer
// token: the district's adapter to its operator's SMS API (阿里云、腾讯云、运营商短信平台). A 2xx
// answer is sent; 4xx other than 408/429 is permanent; anything else is retried.
type Webhook struct {
	URL    string
	Token  string
	Client *http.Client
}

// NewWebhook checks the URL (https, or http to a loopback adapter) and returns the gateway.
func NewWebhook(raw, token string) (*Webhook, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
		return nil, fmt.Errorf("sms webhook %q: want https://host/path (http only to this host)", raw)
	}
	return &Webhook{URL: raw, Token: token, Client: &http.Client{Timeout: 30 * time.Second}}, nil
}

func loopback(h string) bool { return h == "localhost" || h == "127.0.0.1" || h == "::1" }

// Send posts the message.
func (w *Webhook) Send(ctx context.Context, id, phone, text string) error {
	body, err := json.Marshal(map[string]string{"id": id, "phone": phone, "text": text})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", id)
	if w.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.Token)
	}
	resp, err := w.Client.Do(req)
	if err != nil {
		return &notices.SendError{Reason: "短信网关无法连接", Err: err}
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	reason := fmt.Sprintf("短信网关答复 %d：%s", resp.StatusCode, strings.TrimSpace(string(reply)))
	permanent := resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout &&
		resp.StatusCode != http.StatusTooManyRequests
	return &notices.SendError{Permanent: permanent, Reason: reason}
}
