package notices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"auxportal/models"
)

// The district admin's view of deliveries that went wrong, and the retry.

// maxTroubled is how many troubled deliveries the admin's view lists.
const maxTroubled = 200

// DeliveryView is one delivery as a district admin sees it. The recipient's address is not in
// it: the name says whom it concerns, and the address is the recipient's own business.
type DeliveryView struct {
	ID           uint64     `json:"id"`
	NoticeID     uint64     `json:"notice_id"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	UserID       uint64     `json:"user_id"`
	Recipient    string     `json:"recipient"`
	Channel      string     `json:"channel"`
	ChannelLabel string     `json:"channel_label"`
	Status       string     `json:"status"`
	StatusLabel  string     `json:"status_label"`
	Attempts     int        `json:"attempts"`
	NextAt       *time.Time `json:"next_at,omitempty"` // for a delivery waiting to be tried again
	LastError    string     `json:"last_error"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// ChannelState is one channel: whether it is configured, and its deliveries by status.
type ChannelState struct {
	Channel    string           `json:"channel"`
	Label      string           `json:"label"`
	Configured bool             `json:"configured"`
	Counts     map[string]int64 `json:"counts"`
}

// DeliveryReport is the admin's page: the channels, and the deliveries that failed.
type DeliveryReport struct {
	Channels   []ChannelState `json:"channels"`
	Deliveries []DeliveryView `json:"deliveries"`
}

// ChannelLabel names a channel in Chinese.
func ChannelLabel(c string) string {
	switch c {
	case ChannelEmail:
		return "电子邮件"
	case ChannelSMS:
		return "短信"
	}
	return c
}

// StatusLabel names a delivery status in Chinese; a pending delivery that has failed before
// is "等待重试".
func StatusLabel(status, lastError string) string {
	switch status {
	case models.DeliveryPending:
		if lastError != "" {
			return "等待重试"
		}
		return "待发送"
	case models.DeliverySending:
		return "发送中"
	case models.DeliverySent:
		return "已发送"
	case models.DeliveryDead:
		return "已放弃"
	case models.DeliveryOff:
		return "通道未开通"
	case models.DeliverySkipped:
		return "无收件地址"
	}
	return status
}

func denyAdmin(actor models.Actor) error {
	if actor.IsDistrictAdmin() {
		return nil
	}
	return models.Deny(actor, "只有区城管局管理员可以查看通知投递情况")
}

// DeliveryReport lists the channels and the deliveries that failed (given up, or waiting to be
// tried again), newest first. District admins only.
func (s *Service) DeliveryReport(ctx context.Context, actor models.Actor) (*DeliveryReport, error) {
	if err := denyAdmin(actor); err != nil {
		return nil, err
	}
	counts, err := s.store.CountDeliveries(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.ListTroubledDeliveries(ctx, maxTroubled)
	if err != nil {
		return nil, err
	}
	r := &DeliveryReport{Deliveries: make([]DeliveryView, 0, len(rows))}
	for _, c := range []string{ChannelEmail, ChannelSMS} {
		st := ChannelState{Channel: c, Label: ChannelLabel(c), Configured: s.Configured(c), Counts: map[string]int64{}}
		for _, n := range counts {
			if n.Channel == c {
				st.Counts[n.Status] = n.N
			}
		}
		r.Channels = append(r.Channels, st)
	}
	for _, row := range rows {
		r.Deliveries = append(r.Deliveries, viewOf(&row.NoticeDelivery, row.Kind, row.Title, row.RecipientName))
	}
	return r, nil
}

func viewOf(d *models.NoticeDelivery, kind, title, recipient string) DeliveryView {
	v := DeliveryView{ID: d.ID, NoticeID: d.NoticeID, Kind: kind, Title: title, UserID: d.UserID,
		Recipient: recipient, Channel: d.Channel, ChannelLabel: ChannelLabel(d.Channel), Status: d.Status, StatusLabel: StatusLabel(d.Status, d.LastError),
		Attempts: d.Attempts, LastError: d.LastError, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	if d.Status == models.DeliveryPending {
		at := d.NextAt
		v.NextAt = &at
	}
	return v
}

// RetryNow makes a delivery that was given up, or is waiting after a failure, due now with a
// fresh count of attempts, and wakes this replica's delivery loop. District admins only;
// audited. A delivery in any other state is 409 not_retryable.
func (s *Service) RetryNow(ctx context.Context, actor models.Actor, id uint64) (*DeliveryView, error) {
	if err := denyAdmin(actor); err != nil {
		return nil, err
	}
	var view DeliveryView
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		d, err := tx.DeliveryByID(ctx, id)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := tx.RetryDelivery(ctx, id, now); err != nil {
			if errors.Is(err, models.ErrNotRetryable) {
				return models.Conflict("not_retryable", "该投递状态为“%s”，不能重试", StatusLabel(d.Status, d.LastError))
			}
			return err
		}
		detail, err := json.Marshal(map[string]any{"channel": d.Channel, "status": d.Status,
			"attempts": d.Attempts, "last_error": d.LastError})
		if err != nil {
			return fmt.Errorf("audit detail: %w", err)
		}
		if err := tx.AppendAudit(ctx, &models.AuditEntry{At: now, ActorID: actor.UserID, ActorName: actor.Name,
			Action: "notice_delivery.retry", ObjectType: "notice_delivery", ObjectID: id, Detail: string(detail)}); err != nil {
			return err
		}
		n, err := tx.NoticeByID(ctx, d.NoticeID)
		if err != nil {
			return err
		}
		u, err := tx.UserByID(ctx, d.UserID)
		if err != nil {
			return err
		}
		d.Status, d.Attempts, d.NextAt, d.UpdatedAt = models.DeliveryPending, 0, now, now
		view = viewOf(d, n.Kind, n.Title, u.DisplayName)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.Wake()
	return &view, nil
}
