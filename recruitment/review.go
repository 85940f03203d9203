package recruitment

import (
	"context"
	"strings"
	"unicode/utf8"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// ReviewQueue lists the applications that need a human decision, oldest first, within the
// actor's towns.
func (s *Service) ReviewQueue(ctx context.Context, actor models.Actor) ([]ReviewQueueEntry, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以复核报名")
	}
	ids, err := s.store.PendingReviewApplications(ctx, actor.TownScope(), 500)
	if err != nil {
		return nil, err
	}
	items, err := s.store.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, err
	}
	pending := map[uint64][]string{}
	for _, it := range items {
		if it.Status == models.ReviewPending {
			pending[it.ApplicationID] = append(pending[it.ApplicationID], ReviewKindLabel(it.Kind))
		}
	}
	if len(ids) == 0 {
		return []ReviewQueueEntry{}, nil
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	openings, err := s.openingsOf(ctx, apps)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewQueueEntry, 0, len(apps))
	for i := range apps {
		a := &apps[i]
		out = append(out, ReviewQueueEntry{ApplicationSummary: summaryOf(a, openings[a.OpeningID]), Pending: pending[a.ID]})
	}
	return out, nil
}

// ReviewQueueEntry is an application with the items still to decide.
type ReviewQueueEntry struct {
	ApplicationSummary
	Pending []string `json:"pending"`
}

// Decision is a reviewer's verdict on one item.
type Decision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

// Decide records a verdict on a review item, then re-judges the application: a rejected claim
// takes its relaxation and preference away, screening runs again, and the ranking (computed from
// verified preferences) follows by itself. The applicant sees the reason.
func (s *Service) Decide(ctx context.Context, actor models.Actor, itemID uint64, d Decision) (*ApplicationView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以复核报名")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if !d.Approve && d.Reason == "" {
		return nil, fieldErr("reason", "不通过时须填写原因，申请人将看到该原因")
	}
	if utf8.RuneCountInString(d.Reason) > 500 {
		return nil, fieldErr("reason", "原因不能超过 500 字")
	}
	item, err := s.store.ReviewItemByID(ctx, itemID)
	if err != nil {
		return nil, err
	}
	app, o, err := s.managedApplication(ctx, actor, item.ApplicationID)
	if err != nil {
		return nil, err
	}
	live := []string{models.AppEligible, models.AppPendingReview}
	if !contains(live, app.Status) {
		return nil, models.Conflict("not_reviewable", "该报名当前状态为“%s”，不能再复核", StatusLabel(app.Status))
	}
	number, err := s.cipher.Open(app.IDCipher, idAAD)
	if err != nil {
		return nil, err
	}
	id, err := screening.ParseID(number, screening.DateOf(app.SubmittedAt.In(clock.China)))
	if err != nil {
		return nil, err
	}
	status := models.ReviewApproved
	if !d.Approve {
		status = models.ReviewRejected
	}
	now := s.clock.Now()
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.DecideReviewItem(ctx, itemID, status, d.Reason, actor.UserID, now); err != nil {
			return err
		}
		items, err := tx.ReviewItemsFor(ctx, []uint64{app.ID})
		if err != nil {
			return err
		}
		j, err := judge(app, id, items)
		if err != nil {
			return err
		}
		if err := tx.UpdateApplication(ctx, app.ID, live, map[string]any{
			"status": j.status, "result": mustJSON(j.result),
		}); err != nil {
			return err
		}
		msg := "复核：" + ReviewKindLabel(item.Kind) + " " + ReviewStatusLabel(status)
		if d.Reason != "" {
			msg += "（" + d.Reason + "）"
		}
		events := []models.Event{{ApplicationID: app.ID, At: now, Kind: "review", Message: msg}}
		if j.status != app.Status {
			events = append(events, models.Event{ApplicationID: app.ID, At: now, Kind: "status",
				Message: "资格审查结果：" + StatusLabel(j.status)})
		}
		if err := tx.AddEvents(ctx, events...); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "review."+status, "application", app.ID, &o.TownID, d.Reason,
			map[string]any{"item": item.Kind, "status_before": app.Status, "status_after": j.status})
	})
	if err != nil {
		return nil, err
	}
	return s.AdminApplication(ctx, actor, app.ID)
}
