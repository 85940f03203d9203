package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/google/uuid"
	"github.com/jonboulle/clockwork"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/recruitment"
	"auxportal/refresher"
)

// The scheduled jobs: one gocron/v2 scheduler per replica, every job on a wall-clock cron so
// that all replicas tick at the same instants, and a lock in the database (models.JobRun) so
// that exactly one replica runs each tick. The jobs are idempotent and work item by item in
// transactions of their own, so a replica that dies mid-run leaves nothing half-done: the next
// tick, on whichever replica, carries on.

// job is one scheduled job.
type job struct {
	name string
	cron string        // with seconds, in UTC (China is UTC+8: 17:00 UTC is 01:00 in China)
	slot time.Duration // the tick's length: a lock is one (name, slot)
	run  func(ctx context.Context) error
}

// jobDeps is what the jobs call.
type jobDeps struct {
	store     *models.Store
	accounts  *accounts.Service
	rec       *recruitment.Service
	exams     *training.Service
	notes     *notices.Service
	refresher *refresher.Service
	log       *slog.Logger
	clock     clock.Clock
}

// portalJobs are the portal's scheduled jobs.
func portalJobs(d jobDeps) []job {
	logReport := func(what string, r refresher.Report) {
		if r.Enrolled+r.Notices+r.Suspended+r.Expired+r.Renewed+r.NotPassed > 0 || len(r.Problems) > 0 {
			d.log.Info(what, "enrolled", r.Enrolled, "notices", r.Notices, "suspended", r.Suspended, "expired", r.Expired,
				"renewed", r.Renewed, "not_passed", r.NotPassed, "problems", r.Problems)
		}
	}
	return []job{
		// 01:00 in China, when nobody is sitting an exam.
		{"refresher.daily", "0 0 17 * * *", 24 * time.Hour, func(ctx context.Context) error {
			r, err := d.refresher.Daily(ctx)
			logReport("refresher cycle", r)
			return err
		}},
		{"refresher.results", "0 */10 * * * *", 10 * time.Minute, func(ctx context.Context) error {
			r, err := d.refresher.ApplyResults(ctx)
			logReport("refresher results", r)
			return err
		}},
		{"exams.close_overdue", "*/15 * * * * *", 15 * time.Second, func(ctx context.Context) error {
			n, err := d.exams.CloseOverdue(ctx)
			if n > 0 {
				d.log.Info("closed overdue exam attempts at their deadline", "n", n)
			}
			return err
		}},
		{"notices.deliver", "*/30 * * * * *", 30 * time.Second, func(ctx context.Context) error {
			n, err := d.notes.DeliverDue(ctx)
			if n > 0 {
				d.log.Info("delivered notices", "n", n)
			}
			return err
		}},
		{"housekeeping.purge", "0 7 * * * *", time.Hour, func(ctx context.Context) error {
			n, m, err := d.accounts.PurgeExpiredSessions(ctx)
			if err != nil {
				return err
			}
			if n > 0 || m > 0 {
				d.log.Info("purged expired sessions and login throttles", "sessions", n, "throttles", m)
			}
			if _, err := d.rec.PurgeApplyAttempts(ctx); err != nil {
				return err
			}
			if _, err := d.rec.PurgeStagedUploads(ctx); err != nil {
				return err
			}
			_, err = d.store.PurgeJobRuns(ctx, d.clock.Now().Add(-30*24*time.Hour))
			return err
		}},
	}
}

// dbLocker is gocron's distributed locker over the database: a job's tick is locked by
// inserting (name, slot), slot being the tick rounded to the nearest multiple of the job's
// period, so replicas whose clocks differ by less than half a period claim the same slot and
// exactly one insert wins. The row stays as the job's history; Unlock only stamps its end.
type dbLocker struct {
	store *models.Store
	clock clockwork.Clock
	owner string
	slots map[string]time.Duration
}

func (l *dbLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	period := l.slots[key]
	if period <= 0 {
		period = time.Minute
	}
	now := l.clock.Now()
	slot := now.Add(period / 2).Truncate(period)
	if err := l.store.TryRun(ctx, key, slot, l.owner, now); err != nil {
		return nil, err
	}
	return &dbLock{l: l, name: key, slot: slot}, nil
}

type dbLock struct {
	l    *dbLocker
	name string
	slot time.Time
}

func (k *dbLock) Unlock(ctx context.Context) error {
	return k.l.store.FinishRun(context.WithoutCancel(ctx), k.name, k.slot, k.l.owner, k.l.clock.Now())
}

// replicaName names this replica in the locks: random, so two replicas never share one.
func replicaName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "replica-" + hex.EncodeToString(b)
}

// newScheduler builds a replica's scheduler with the jobs; Start it, and Shutdown to stop.
// listeners (tests) hear of each job's runs and lost locks.
func newScheduler(ctx context.Context, store *models.Store, clk clockwork.Clock, log *slog.Logger, owner string,
	jobs []job, listeners ...gocron.EventListener) (gocron.Scheduler, error) {
	slots := map[string]time.Duration{}
	for _, j := range jobs {
		slots[j.name] = j.slot
	}
	s, err := gocron.NewScheduler(
		gocron.WithClock(clk),
		// UTC: gocron reads a cron's zone by name, and the portal's China zone is a fixed
		// offset with none (no tzdata needed); the job times are written in UTC.
		gocron.WithLocation(time.UTC),
		gocron.WithDistributedLocker(&dbLocker{store: store, clock: clk, owner: owner, slots: slots}),
		gocron.WithLogger(gocronLogger{log}),
		gocron.WithStopTimeout(20*time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	for _, j := range jobs {
		run := j.run
		name := j.name
		task := gocron.NewTask(func() {
			if err := run(ctx); err != nil && ctx.Err() == nil {
				log.Warn("scheduled job failed", "job", name, "err", models.LogErr(err))
			}
		})
		opts := []gocron.JobOption{gocron.WithName(j.name),
			gocron.WithEventListeners(append([]gocron.EventListener{
				gocron.AfterLockError(func(_ uuid.UUID, name string, err error) {
					if !errors.Is(err, models.ErrSlotTaken) {
						log.Warn("scheduled job not run: lock", "job", name, "err", models.LogErr(err))
					}
				}),
			}, listeners...)...)}
		if _, err := s.NewJob(gocron.CronJob(j.cron, true), task, opts...); err != nil {
			return nil, fmt.Errorf("schedule %s: %w", j.name, err)
		}
	}
	return s, nil
}

// gocronLogger sends gocron's own messages to slog.
type gocronLogger struct{ log *slog.Logger }

func (g gocronLogger) Debug(msg string, args ...any) { g.log.Debug("gocron: "+msg, args...) }
func (g gocronLogger) Info(msg string, args ...any)  { g.log.Debug("gocron: "+msg, args...) }
func (g gocronLogger) Warn(msg string, args ...any)  { g.log.Warn("gocron: "+msg, args...) }
func (g gocronLogger) Error(msg string, args ...any) { g.log.Error("gocron: "+msg, args...) }
