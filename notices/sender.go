package notices

import (
	"context"
	"errors"
	"regexp"
	"time"

	"auxportal/models"
)

// Channels a notice may be delivered on besides in-app, which every notice is.
const (
	ChannelEmail = models.ChannelEmail
	ChannelSMS   = models.ChannelSMS
)

// Sender delivers notices on one channel. The e-mail sender (package notices/email) is one; an
// SMS sender for issue 8's verification codes will be another. A channel without a Sender is
// off: its deliveries are recorded as such and never tried.
type Sender interface {
	// Channel is the channel the sender serves, e.g. ChannelEmail.
	Channel() string
	// Address is the recipient's address on the channel, "" when they have none.
	Address(u *models.User) string
	// Send delivers one message. It may be called again for the same DeliveryID after a crash
	// or a lost reply, and must then send the same message (for e-mail: the same Message-ID).
	// A failure the retry cannot mend is a *SendError with Permanent set.
	Send(ctx context.Context, m Outgoing) error
}

// Outgoing is one notice on its way to one address.
type Outgoing struct {
	DeliveryID uint64
	To         string // the address, from Sender.Address
	ToName     string // the recipient's display name
	Title      string
	Body       string
	Link       string    // a path on the portal, "" for none
	Created    time.Time // when the notice was recorded: the same for every try
	Kind       string    // what the notice is about, e.g. "accounts.code.reset"
}

// SendError is a failed send, classified for the retry.
type SendError struct {
	// Permanent: the server refused this message or recipient (SMTP 5xx after MAIL); trying
	// again will not help, so the delivery stops sooner than after a temporary failure.
	Permanent bool
	// Reason says all that went wrong in words fit for a district admin (what failed, the SMTP
	// code and the server's reply, or the network error), never a password. E-mail addresses in
	// it are taken out before it is stored or logged.
	Reason string
	Err    error
}

func (e *SendError) Error() string {
	if e.Reason == "" && e.Err != nil {
		return e.Err.Error()
	}
	return e.Reason
}

func (e *SendError) Unwrap() error { return e.Err }

// permanent reports whether err is a permanent send failure.
func permanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// reasonOf is err's reason for the delivery row and the log, without e-mail addresses: an SMTP
// server's reply often quotes the recipient ("550 5.1.1 <zhang@163.com>: user unknown"), and the
// log and the admin's page never show one (DESIGN.md, personal data).
func reasonOf(err error) string {
	text := models.LogErr(err)
	var se *SendError
	if errors.As(err, &se) {
		text = se.Reason
	}
	text = addressRE.ReplaceAllString(text, "[地址已隐去]")
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200]) + "…"
	}
	return text
}

// addressRE matches anything shaped like an e-mail address, with the angle brackets around it.
var addressRE = regexp.MustCompile(`<?[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+>?`)
