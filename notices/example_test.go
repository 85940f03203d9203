package notices_test

import (
	"context"
	"fmt"

	"auxportal/models"
	"auxportal/notices"
)

// A service records a notice inside the transaction of the decision it reports: here the
// refresher's "7 days left" to a permit holder, once per holder and cycle whatever runs twice.
func ExampleService_Notify() {
	var (
		ctx    = context.Background()
		store  *models.Store    // the portal's Store
		notes  *notices.Service // built in cmd with the configured senders
		permit = struct {
			ID, HolderID uint64
			Cycle        int
		}{42, 9, 2027}
	)
	err := store.WithTx(ctx, func(tx *models.Store) error {
		// … the decision's own writes on tx …
		_, err := notes.Notify(ctx, tx, notices.Message{
			UserID:   permit.HolderID,
			Kind:     "refresher.due_7d",
			DedupKey: fmt.Sprintf("refresher:permit:%d:%d:d7:user:%d", permit.ID, permit.Cycle, permit.HolderID),
			Title:    "上岗证将于 7 天后到期，请尽快参加年度复训",
			Body:     "您的上岗证将于 2027-07-10 到期。\n请在到期前参加年度复训考试。",
			Link:     "/me/permits",
			Channels: []string{notices.ChannelEmail},
		})
		return err
	})
	if err == nil {
		notes.Wake() // optional: send now rather than at the next tick
	}
}
