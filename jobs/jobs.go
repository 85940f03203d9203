// Package jobs runs long work — a bulk issue of permits, a print run of a sitting's cards — in
// the background, with progress a page can poll and a result file to download, surviving the
// page being closed and the replica that started it dying.
//
// A job is a database row. Whichever replica claims it holds a lease that it renews with every
// progress report; a replica that dies leaves the lease to run out, and the next claim resumes
// the job from the start of its kind's function, which must therefore be idempotent (skip what
// is already done: an issued permit is not issued twice). Writes from a replica whose lease was
// taken over are refused, so two replicas never both finish one job.
package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"auxportal/clock"
	"auxportal/models"
)

// Lease is how long a claim lasts without a progress report.
const Lease = 2 * time.Minute

// MaxAttempts bounds how often a job is claimed (a job that kills its replica every time must
// not go round forever).
const MaxAttempts = 5

// Func does a job of one kind. It reports progress through p (which also renews the lease and
// tells it to stop when the lease was lost) and returns the result file, if the kind makes one.
type Func func(ctx context.Context, j *models.Job, p *Progress) (*File, error)

// File is a job's result for download.
type File struct {
	Name string // e.g. 上岗证-三星镇.zip
	Type string // MIME type
	Data []byte
}

// Runner queues and runs jobs. One per replica.
type Runner struct {
	store *models.Store
	clock clock.Clock
	log   *slog.Logger
	owner string // this replica's name in leases

	mu    sync.Mutex
	kinds map[string]Func
	wake  chan struct{}
}

// New returns a runner. Register the kinds before Work starts.
func New(store *models.Store, c clock.Clock, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &Runner{store: store, clock: c, log: log, owner: "replica-" + hex.EncodeToString(b),
		kinds: map[string]Func{}, wake: make(chan struct{}, 1)}
}

// Register names the function that does jobs of kind.
func (r *Runner) Register(kind string, fn Func) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kinds[kind] = fn
}

// Enqueue queues a job. The caller has authorized it; townID marks a town admin's job (the
// town's admins may follow it). It wakes this replica's worker at once.
func (r *Runner) Enqueue(ctx context.Context, actor models.Actor, kind, title string, params any, townID *uint64) (*models.Job, error) {
	r.mu.Lock()
	_, ok := r.kinds[kind]
	r.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("jobs: no function for kind %q", kind)
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("jobs: params of %s: %w", kind, err)
	}
	now := r.clock.Now()
	j := &models.Job{Kind: kind, Params: string(b), Title: title, Status: models.JobQueued, CreatedBy: actor.UserID,
		TownID: townID, CreatedAt: now, UpdatedAt: now}
	if err := r.store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return j, nil
}

// View is a job as its page shows it.
type View struct {
	ID          uint64     `json:"id"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Status      string     `json:"status"` // queued, running, done, failed
	StatusLabel string     `json:"status_label"`
	Total       int        `json:"total"`
	Done        int        `json:"done"`
	Failed      int        `json:"failed"`
	Percent     int        `json:"percent"`
	Message     string     `json:"message"`
	ResultName  string     `json:"result_name,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

func viewOf(j *models.Job) View {
	v := View{ID: j.ID, Kind: j.Kind, Title: j.Title, Status: j.Status, StatusLabel: statusLabel(j.Status),
		Total: j.Total, Done: j.Done, Failed: j.Failed, Message: j.Message, ResultName: j.ResultName,
		CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt}
	switch {
	case j.Status == models.JobDone:
		v.Percent = 100
	case j.Total > 0:
		v.Percent = min(99, (j.Done+j.Failed)*100/j.Total)
	}
	return v
}

func statusLabel(s string) string {
	switch s {
	case models.JobQueued:
		return "排队中"
	case models.JobRunning:
		return "进行中"
	case models.JobDone:
		return "已完成"
	case models.JobFailed:
		return "失败"
	}
	return s
}

// canSee reports whether actor may follow a job: whoever started it, any district admin, and
// for a town's job the town's admins.
func canSee(actor models.Actor, j *models.Job) bool {
	switch {
	case actor.Anonymous():
		return false
	case j.CreatedBy == actor.UserID, actor.IsDistrictAdmin():
		return true
	case j.TownID != nil:
		return actor.Role == models.RoleTownAdmin && actor.CanManageTown(*j.TownID)
	}
	return false
}

// Get is a job's progress.
func (r *Runner) Get(ctx context.Context, actor models.Actor, id uint64) (*View, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	j, err := r.store.JobByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, j) {
		return nil, models.NotFound("任务")
	}
	v := viewOf(j)
	return &v, nil
}

// Result is a finished job's file.
func (r *Runner) Result(ctx context.Context, actor models.Actor, id uint64) (*File, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	j, err := r.store.JobResult(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, j) {
		return nil, models.NotFound("任务")
	}
	if j.Status != models.JobDone || len(j.Result) == 0 {
		return nil, models.Conflict("not_ready", "任务尚未完成，暂无文件可下载")
	}
	return &File{Name: j.ResultName, Type: j.ResultType, Data: j.Result}, nil
}

// Progress is what a running job reports through.
type Progress struct {
	r   *Runner
	job *models.Job
}

// Set records the job's total, counts and news; it renews the lease. ErrLeaseLost means the job
// was taken over by another replica: stop at once.
func (p *Progress) Set(ctx context.Context, total, done, failed int, msg string) error {
	now := p.r.clock.Now()
	until := now.Add(Lease)
	err := p.r.store.UpdateJob(ctx, p.job.ID, p.r.owner, map[string]any{"total": total, "done": done, "failed": failed,
		"message": msg, "lease_until": until, "updated_at": now})
	if err != nil {
		return err
	}
	p.job.Total, p.job.Done, p.job.Failed, p.job.Message, p.job.LeaseUntil = total, done, failed, msg, &until
	return nil
}

// RunOne claims one due job and runs it to the end; it reports whether there was one.
func (r *Runner) RunOne(ctx context.Context) (bool, error) {
	now := r.clock.Now()
	j, err := r.store.ClaimJob(ctx, r.owner, now, now.Add(Lease))
	if err != nil || j == nil {
		return false, err
	}
	r.mu.Lock()
	fn, ok := r.kinds[j.Kind]
	r.mu.Unlock()
	finish := func(cols map[string]any) error {
		t := r.clock.Now()
		cols["finished_at"], cols["updated_at"], cols["lease_owner"] = t, t, ""
		return r.store.UpdateJob(ctx, j.ID, r.owner, cols)
	}
	switch {
	case !ok:
		return true, finish(map[string]any{"status": models.JobFailed, "message": "本服务器无法处理此类任务：" + j.Kind})
	case j.Attempts > MaxAttempts:
		return true, finish(map[string]any{"status": models.JobFailed, "message": "任务多次中断，已停止，请重新发起"})
	}
	p := &Progress{r: r, job: j}
	file, err := r.run(ctx, fn, j, p)
	switch {
	case errors.Is(err, models.ErrLeaseLost):
		r.log.Warn("job taken over by another replica", "job", j.ID, "kind", j.Kind)
		return true, nil
	case ctx.Err() != nil:
		// Shutting down: leave the lease to run out; another replica (or this one restarted)
		// resumes the job.
		return true, ctx.Err()
	case err != nil:
		msg := "任务失败，请稍后重试或联系管理员"
		if me, ok := models.AsError(err); ok {
			msg = me.Message
		} else {
			r.log.Error("job failed", "job", j.ID, "kind", j.Kind, "err", models.LogErr(err))
		}
		return true, finish(map[string]any{"status": models.JobFailed, "message": msg})
	}
	cols := map[string]any{"status": models.JobDone}
	if file != nil {
		sum := sha256.Sum256(file.Data)
		cols["result_name"], cols["result_type"], cols["result"], cols["result_sha256"] = file.Name, file.Type, file.Data, hex.EncodeToString(sum[:])
	}
	return true, finish(cols)
}

// run calls fn, turning a panic into an error: one broken job must not take the replica down.
func (r *Runner) run(ctx context.Context, fn Func, j *models.Job, p *Progress) (f *File, err error) {
	defer func() {
		if v := recover(); v != nil {
			r.log.Error("job panicked", "job", j.ID, "kind", j.Kind, "panic", fmt.Sprint(v))
			err = fmt.Errorf("job %d panicked: %v", j.ID, v)
		}
	}()
	return fn(ctx, j, p)
}

// Work runs jobs until ctx ends: at once after an Enqueue on this replica, and every poll
// otherwise (jobs queued on other replicas, leases run out).
func (r *Runner) Work(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			ran, err := r.RunOne(ctx)
			if err != nil && ctx.Err() == nil {
				r.log.Warn("run job", "err", models.LogErr(err))
			}
			if !ran || ctx.Err() != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.wake:
		}
	}
}
