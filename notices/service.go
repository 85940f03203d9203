// Package notices is the portal's outbox: the notices that services send to people (the annual
// refresher's "window open", "7 days left", "overdue", "suspended"; later the recruitment
// side's), shown in-app and delivered by e-mail over SMTP when that is configured, with SMS as a
// pluggable channel.
//
// A caller records a notice with Notify inside the transaction of the decision that caused it,
// so the notice exists if and only if the decision committed; its dedup key makes "once per
// holder and cycle" a unique index rather than a hope. DeliverDue, run by a job on every
// replica, claims due deliveries with a lease, sends them and records the outcome; failures are
// retried with backoff, a crash leaves the row to be claimed again when the lease runs out, and
// a re-send is the same message (docs/decisions.md says what that does and does not guarantee).
package notices

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"auxportal/clock"
	"auxportal/models"
)

// Limits of a Message.
const (
	MaxTitle    = 100  // runes
	MaxBody     = 4000 // runes
	MaxDedupKey = 160  // bytes of printable ASCII
	MaxLink     = 255
)

// Service is the notice service.
type Service struct {
	store   *models.Store
	clock   clock.Clock
	log     *slog.Logger
	senders map[string]Sender
	// wake tells the delivery loop of this replica that something is due now.
	wake chan struct{}
}

// New returns the service with the senders of the configured channels; a channel without one
// is off.
func New(store *models.Store, c clock.Clock, log *slog.Logger, senders ...Sender) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store, clock: c, log: log, senders: map[string]Sender{}, wake: make(chan struct{}, 1)}
	for _, snd := range senders {
		if snd != nil {
			s.senders[snd.Channel()] = snd
		}
	}
	return s
}

// Configured reports whether the channel has a sender here (e-mail: SMTP is configured).
func (s *Service) Configured(channel string) bool { return s.senders[channel] != nil }

// Wake asks this replica's delivery loop to run now rather than at its next tick. Call it after
// the transaction that recorded a notice has committed, when the notice is urgent (a
// verification code); otherwise the next tick sends it.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Wakeups is what Wake signals, for the delivery loop in cmd.
func (s *Service) Wakeups() <-chan struct{} { return s.wake }

// Message is a notice to record.
type Message struct {
	UserID uint64 // the recipient
	// Kind names what the notice is about, lower case with dots and underscores, e.g.
	// "refresher.window_open".
	Kind string
	// DedupKey is unique across all notices: a second Notify with the same key records nothing.
	// Name the cause, the cycle and the recipient, e.g. "refresher:permit:42:2027:d7:user:9".
	// Printable ASCII, no spaces, at most MaxDedupKey bytes.
	DedupKey string
	Title    string // one line of plain text, at most MaxTitle runes
	Body     string // plain text, lines separated by "\n", at most MaxBody runes
	Link     string // optional path on the portal the notice is about, e.g. "/me/permit"
	// Channels are the deliveries wanted besides in-app: ChannelEmail, ChannelSMS.
	Channels []string
	// To gives a channel's address for this message instead of the recipient's own: a
	// verification code to a phone number that has no account yet (UserID 0: the notice is
	// then in nobody's inbox), or to an e-mail address being verified.
	To map[string]string
	// ExpiresAt makes the notice ephemeral (a verification code): it is not sent after this
	// time, and its body is erased once it is sent, given up or expired (ScrubbedBody).
	ExpiresAt time.Time
}

// ScrubbedBody is what an ephemeral notice's body becomes once it is no longer needed.
const ScrubbedBody = "（内容已删除：验证码只在有效期内保存）"

var kindRE = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// normalize checks m and returns it with its text trimmed and its line ends made "\n". A bad
// Message is the caller's bug, not the user's: the error is internal.
func (m Message) normalize() (Message, error) {
	m.Title = strings.TrimSpace(m.Title)
	m.Body = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\r", "\n"))
	switch {
	case m.UserID == 0 && (len(m.Channels) == 0 || len(m.To) < len(m.Channels)):
		return m, fmt.Errorf("notices: %s: a message to no account needs an address on each channel", m.Kind)
	case !m.ExpiresAt.IsZero() && len(m.Channels) != 1:
		// Its body is erased at the first outcome: a second channel would send the erased text.
		return m, fmt.Errorf("notices: %s: an ephemeral message goes on exactly one channel", m.Kind)
	case m.UserID != 0 && !models.ValidID(m.UserID):
		return m, fmt.Errorf("notices: message to user %d: no such user id", m.UserID)
	case len(m.Kind) > 64 || !kindRE.MatchString(m.Kind):
		return m, fmt.Errorf("notices: kind %q: want lower-case words joined by dots", m.Kind)
	case m.DedupKey == "" || len(m.DedupKey) > MaxDedupKey || strings.IndexFunc(m.DedupKey, notKeyByte) >= 0:
		return m, fmt.Errorf("notices: dedup key %q: want 1 to %d bytes of printable ASCII without spaces", m.DedupKey, MaxDedupKey)
	case m.Title == "" || !utf8.ValidString(m.Title) || utf8.RuneCountInString(m.Title) > MaxTitle ||
		strings.IndexFunc(m.Title, unicode.IsControl) >= 0:
		// One line: a title becomes an e-mail subject, and no control character may reach a header.
		return m, fmt.Errorf("notices: %s: title must be one line of 1 to %d characters", m.Kind, MaxTitle)
	case !utf8.ValidString(m.Body) || utf8.RuneCountInString(m.Body) > MaxBody ||
		strings.IndexFunc(m.Body, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) >= 0:
		return m, fmt.Errorf("notices: %s: body must be plain text of at most %d characters", m.Kind, MaxBody)
	case m.Link != "" && !localPath(m.Link):
		return m, fmt.Errorf("notices: %s: link %q is not a path on the portal", m.Kind, m.Link)
	}
	var chans []string
	for _, c := range m.Channels {
		if c != ChannelEmail && c != ChannelSMS {
			return m, fmt.Errorf("notices: %s: unknown channel %q", m.Kind, c)
		}
		if !slices.Contains(chans, c) {
			chans = append(chans, c)
		}
	}
	m.Channels = chans
	for c, addr := range m.To {
		// An address goes into a header or an SMS gateway's request: one printable ASCII word.
		if !slices.Contains(chans, c) || addr == "" || len(addr) > 254 || strings.IndexFunc(addr, notKeyByte) >= 0 {
			return m, fmt.Errorf("notices: %s: address for channel %q", m.Kind, c)
		}
	}
	return m, nil
}

func notKeyByte(r rune) bool { return r <= ' ' || r > '~' }

// localPath reports whether p is a path on this portal: it starts with one "/" (not "//", which
// a browser reads as another host) and holds printable ASCII only.
func localPath(p string) bool {
	return len(p) <= MaxLink && strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") &&
		!strings.HasPrefix(p, `/\`) && strings.IndexFunc(p, notKeyByte) < 0
}

// Notify records a notice inside tx (nil: on its own) and its deliveries on the channels asked
// for. It reports created == false, recording nothing, when a notice with the dedup key exists,
// also when another transaction recorded it at the same moment. Call it inside the transaction
// of the decision the notice reports, so that it is recorded if and only if the decision commits.
//
// A channel that is not configured here gets a delivery marked "off", and a recipient without an
// address on the channel one marked "skipped": neither is ever tried, so neither piles up as a
// failure.
func (s *Service) Notify(ctx context.Context, tx *models.Store, m Message) (created bool, err error) {
	if tx == nil {
		// On its own: the notice and its deliveries still land together.
		err = s.store.WithTx(ctx, func(tx *models.Store) error {
			created, err = s.Notify(ctx, tx, m)
			return err
		})
		return created, err
	}
	m, err = m.normalize()
	if err != nil {
		return false, err
	}
	u := &models.User{}
	if m.UserID != 0 {
		if u, err = tx.UserByID(ctx, m.UserID); err != nil {
			return false, fmt.Errorf("notices: %s: recipient: %w", m.Kind, err)
		}
	}
	now := s.clock.Now()
	n := &models.Notice{UserID: u.ID, Kind: m.Kind, DedupKey: m.DedupKey, Title: m.Title, Body: m.Body,
		Link: m.Link, CreatedAt: now}
	if !m.ExpiresAt.IsZero() {
		n.ExpiresAt = &m.ExpiresAt
	}
	created, err = tx.CreateNotice(ctx, n)
	if err != nil || !created {
		return false, err
	}
	ds := make([]models.NoticeDelivery, 0, len(m.Channels))
	for _, c := range m.Channels {
		status := models.DeliveryPending
		switch snd := s.senders[c]; {
		case snd == nil:
			status = models.DeliveryOff
		case m.To[c] == "" && snd.Address(u) == "":
			status = models.DeliverySkipped
		}
		ds = append(ds, models.NoticeDelivery{NoticeID: n.ID, UserID: u.ID, Channel: c, Address: m.To[c],
			Status: status, NextAt: now, CreatedAt: now, UpdatedAt: now})
	}
	if err := tx.CreateDeliveries(ctx, ds); err != nil {
		return false, fmt.Errorf("notices: %s: %w", m.Kind, err)
	}
	return true, nil
}
