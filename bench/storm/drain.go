package main

import (
	"context"
	"fmt"
	"time"

	"auxportal/models"
)

// drain is phase 4: the portal acknowledged each application once its files passed the header
// checks and left them in quarantine; its background workers sanitise them. The phase watches
// the backlog in the database (uploads in state quarantined) until it is empty, and its wall
// time is the backlog's drain time after the storm; its CPU is what sanitising the rest cost.
func (s *storm) drain(ctx context.Context, dsn string) error {
	if dsn == "" {
		s.progress("drain: no DSN, the quarantine backlog is not watched")
		return nil
	}
	st, err := models.Open(ctx, dsn, nil)
	if err != nil {
		return fmt.Errorf("drain: open the database: %w", err)
	}
	defer st.Close()
	left, err := st.QuarantineBacklog(ctx)
	if err != nil {
		return err
	}
	s.res.backlog = left
	s.progress("drain: %d files in quarantine when the storm ended", left)
	return s.timed(ctx, "4 drain", "drain", func(ph *phase) {
		deadline := time.Now().Add(s.cfg.MaxDrain)
		for left > 0 && ctx.Err() == nil {
			if time.Now().After(deadline) {
				s.res.v.problem("drain: %d files still in quarantine after %s", left, s.cfg.MaxDrain)
				return
			}
			time.Sleep(50 * time.Millisecond)
			if left, err = st.QuarantineBacklog(ctx); err != nil {
				s.res.v.problem("drain: %v", err)
				return
			}
		}
	})
}
