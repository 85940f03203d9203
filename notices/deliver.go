package notices

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"slices"
	"time"

	"auxportal/models"
)

// Delivery policy.
const (
	// Lease is how long a replica holds a delivery it claimed. A replica that dies between
	// claim and send leaves the row to be claimed again when the lease runs out.
	Lease = 5 * time.Minute
	// SendTimeout bounds one send, well inside the lease, so that a live replica never sends
	// after its lease has run out and another may have claimed the row.
	SendTimeout = 2 * time.Minute
	// MaxAttempts is how many times a delivery is tried after temporary failures (4xx replies,
	// a server that is down) before it is given up as dead: about four and a half days.
	MaxAttempts = 10
	// MaxPermanentAttempts is how many tries a delivery gets when the server refuses the
	// message or recipient (5xx): two more, in case the refusal was a passing mistake.
	MaxPermanentAttempts = 3

	batch     = 50
	maxPerRun = 500
)

// RetryDelay is how long to wait after the failed attempt-th try (1 for the first) before the
// next: 1 min, 5 min, 30 min, 2 h, 12 h, then daily, each scaled by a jitter factor between 0.8
// and 1.2 taken from u in [0, 1), so that deliveries that failed together (the server was down)
// do not all come back together.
func RetryDelay(attempt int, u float64) time.Duration {
	var base time.Duration
	switch attempt {
	case 0, 1:
		base = time.Minute
	case 2:
		base = 5 * time.Minute
	case 3:
		base = 30 * time.Minute
	case 4:
		base = 2 * time.Hour
	case 5:
		base = 12 * time.Hour
	default:
		base = 24 * time.Hour
	}
	u = min(max(u, 0), 1)
	return time.Duration(float64(base) * (0.8 + 0.4*u)).Round(time.Second)
}

// DeliverDue sends every delivery that is due on the channels configured here, and reports how
// many it sent. Run it on every replica, as often as notices should go out (the scheduler in
// cmd does): each row is claimed by one conditional UPDATE, so two replicas never send one row
// at once. A failed send is recorded on its row and retried later; err reports only what kept
// the job itself from working (the database).
func (s *Service) DeliverDue(ctx context.Context) (sent int, err error) {
	channels := make([]string, 0, len(s.senders))
	for c := range s.senders {
		channels = append(channels, c)
	}
	slices.Sort(channels)
	if len(channels) == 0 {
		return 0, nil
	}
	for tried := 0; tried < maxPerRun; {
		due, err := s.store.DueDeliveries(ctx, channels, s.clock.Now(), batch)
		if err != nil {
			return sent, err
		}
		if len(due) == 0 {
			return sent, nil
		}
		for i := range due {
			if err := ctx.Err(); err != nil {
				return sent, fmt.Errorf("deliver notices: %w", err)
			}
			ok, err := s.deliver(ctx, &due[i])
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
			tried++
		}
	}
	return sent, nil
}

// deliver claims one delivery, sends it and records the outcome; it reports whether this call
// sent it. A row another replica claimed first is left alone.
func (s *Service) deliver(ctx context.Context, d *models.NoticeDelivery) (bool, error) {
	token := rand.Text() // names this claim, so that only the claimer records the outcome
	now := s.clock.Now()
	claimed, err := s.store.ClaimDelivery(ctx, d.ID, token, now, now.Add(Lease))
	if err != nil || !claimed {
		return false, err
	}
	attempt := d.Attempts + 1
	out, sendErr := s.send(ctx, d, attempt)
	// The outcome is written even when ctx ended mid-send (the portal is stopping): otherwise
	// the row would wait for its lease to run out before anyone tried again.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	out.At = s.clock.Now()
	held, err := s.store.FinishDelivery(wctx, d.ID, token, out)
	if err != nil {
		return false, err
	}
	if !held {
		// Only after this replica stalled past its lease: another claimed the row and may send
		// it again, as the same message (the same Message-ID), which mail clients show once.
		s.log.Warn("notice delivery: lease lost before the outcome was recorded", "delivery", d.ID,
			"channel", d.Channel, "attempt", attempt)
	}
	if sendErr != nil {
		s.log.Warn("notice delivery failed", "delivery", d.ID, "channel", d.Channel, "attempt", attempt,
			"permanent", permanent(sendErr), "outcome", out.Status, "reason", out.LastError)
	}
	return out.Status == models.DeliverySent, nil
}

// send makes the attempt-th try of a claimed delivery and says what became of it.
func (s *Service) send(ctx context.Context, d *models.NoticeDelivery, attempt int) (models.DeliveryOutcome, error) {
	snd := s.senders[d.Channel]
	n, err := s.store.NoticeByID(ctx, d.NoticeID)
	if err != nil {
		return s.failed(attempt, err), err
	}
	if n.ExpiresAt != nil && !s.clock.Now().Before(*n.ExpiresAt) {
		// A code that could not go out while it was valid is not sent at all: it would only
		// be refused when typed in.
		return s.scrubbed(ctx, n, models.DeliveryOutcome{Status: models.DeliveryDead, LastError: "已过有效期，未发送"})
	}
	u := &models.User{}
	if d.UserID != 0 {
		u, err = s.store.UserByID(ctx, d.UserID)
		if errors.Is(err, models.ErrNotFound) {
			return models.DeliveryOutcome{Status: models.DeliverySkipped, LastError: "收件人账号已不存在"}, nil
		}
		if err != nil {
			return s.failed(attempt, err), err
		}
	}
	// The address is read now, not when the notice was recorded: a user who cleared theirs
	// since is not written to, and one who changed it gets the notice at the new one. A
	// delivery with an address of its own (a verification code) goes there.
	to := d.Address
	if to == "" {
		to = snd.Address(u)
	}
	if to == "" {
		return models.DeliveryOutcome{Status: models.DeliverySkipped, LastError: "收件人未设置地址"}, nil
	}
	sctx, cancel := context.WithTimeout(ctx, SendTimeout)
	defer cancel()
	err = snd.Send(sctx, Outgoing{DeliveryID: d.ID, To: to, ToName: u.DisplayName, Title: n.Title,
		Body: n.Body, Link: n.Link, Created: n.CreatedAt, Kind: n.Kind})
	if err != nil {
		out := s.failed(attempt, err)
		if out.Status == models.DeliveryDead && n.ExpiresAt != nil {
			return s.scrubbed(ctx, n, out)
		}
		return out, err
	}
	out := models.DeliveryOutcome{Status: models.DeliverySent}
	if n.ExpiresAt != nil {
		return s.scrubbed(ctx, n, out)
	}
	return out, nil
}

// scrubbed erases an ephemeral notice's body (a code is kept in clear only until it is sent)
// and returns out. An ephemeral notice has exactly one channel (normalize), so no other
// delivery still needs the body.
func (s *Service) scrubbed(ctx context.Context, n *models.Notice, out models.DeliveryOutcome) (models.DeliveryOutcome, error) {
	if err := s.store.ScrubNotice(ctx, n.ID, ScrubbedBody); err != nil {
		return s.failed(1, err), err
	}
	return out, nil
}

// failed is the outcome of a failed attempt: another try after RetryDelay, or dead once the
// attempts allowed for this kind of failure are spent.
func (s *Service) failed(attempt int, err error) models.DeliveryOutcome {
	limit := MaxAttempts
	if permanent(err) {
		limit = MaxPermanentAttempts
	}
	reason := reasonOf(err)
	if attempt >= limit {
		return models.DeliveryOutcome{Status: models.DeliveryDead, LastError: reason}
	}
	return models.DeliveryOutcome{Status: models.DeliveryPending, LastError: reason,
		NextAt: s.clock.Now().Add(RetryDelay(attempt, mathrand.Float64()))}
}
