package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"auxportal/clock"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
)

var (
	alice    = models.Actor{UserID: 11, Role: models.RoleTrainer, Name: "培训员甲"}
	bob      = models.Actor{UserID: 12, Role: models.RoleTrainer, Name: "培训员乙"}
	district = models.Actor{UserID: 13, Role: models.RoleDistrictAdmin, Name: "区管理员"}
)

// A job runs to the end with its progress and file; only its starter and district admins see
// it; a failing or panicking job ends failed with a message and the replica lives on.
func TestRunner_ProgressResultAndVisibility(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clk := clock.NewFake(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	r := jobs.New(st, clk, nil)
	var seen []int
	r.Register("count", func(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
		for i := 1; i <= 4; i++ {
			if err := p.Set(ctx, 4, i, 0, "第 "+string(rune('0'+i))+" 项"); err != nil {
				return nil, err
			}
			seen = append(seen, i)
		}
		return &jobs.File{Name: "结果.txt", Type: "text/plain", Data: []byte("完成")}, nil
	})
	r.Register("broken", func(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
		return nil, models.Invalid("bad", "第 3 行有误")
	})
	r.Register("panics", func(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
		panic("boom")
	})
	j, err := r.Enqueue(ctx, alice, "count", "数数", map[string]int{"n": 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Enqueue(ctx, alice, "nobody knows", "？", nil, nil); err == nil {
		t.Error("a job of an unregistered kind was queued")
	}
	v, err := r.Get(ctx, alice, j.ID)
	if err != nil || v.Status != models.JobQueued || v.StatusLabel != "排队中" {
		t.Fatalf("queued job %+v %v", v, err)
	}
	if _, err := r.Result(ctx, alice, j.ID); err == nil {
		t.Error("a queued job gave a file")
	}
	if ran, err := r.RunOne(ctx); !ran || err != nil {
		t.Fatalf("RunOne = %v, %v", ran, err)
	}
	v, _ = r.Get(ctx, alice, j.ID)
	if v.Status != models.JobDone || v.Done != 4 || v.Total != 4 || v.Percent != 100 || len(seen) != 4 {
		t.Errorf("finished job %+v (steps %v)", v, seen)
	}
	f, err := r.Result(ctx, district, j.ID)
	if err != nil || string(f.Data) != "完成" || f.Name != "结果.txt" {
		t.Errorf("result %+v %v", f, err)
	}
	if _, err := r.Get(ctx, bob, j.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("another trainer sees the job: %v", err)
	}
	if _, err := r.Result(ctx, models.Actor{}, j.ID); !errors.Is(err, models.ErrUnauthenticated) {
		t.Errorf("anonymous result: %v", err)
	}
	for kind, want := range map[string]string{"broken": "第 3 行有误", "panics": "任务失败"} {
		j, _ := r.Enqueue(ctx, alice, kind, kind, nil, nil)
		if ran, err := r.RunOne(ctx); !ran || err != nil {
			t.Fatalf("%s: RunOne = %v, %v", kind, ran, err)
		}
		v, _ := r.Get(ctx, alice, j.ID)
		if v.Status != models.JobFailed || len(v.Message) == 0 || v.Message[:len(want)] != want {
			t.Errorf("%s: %+v", kind, v)
		}
	}
	if ran, _ := r.RunOne(ctx); ran {
		t.Error("RunOne found a job in an empty queue")
	}
}

// A replica that dies mid-job: the lease runs out, another replica resumes the job from the
// start of its (idempotent) function, and the dead replica's late progress is refused.
func TestRunner_TakeoverAfterTheLeaseRunsOut(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	clk := clock.NewFake(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	first, second := jobs.New(st, clk, nil), jobs.New(st, clk, nil)
	done := map[int]int{} // item → how often it was done
	var late error
	first.Register("items", func(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
		done[1]++
		if err := p.Set(ctx, 3, 1, 0, "1"); err != nil {
			return nil, err
		}
		// The replica hangs; its lease runs out and the other replica takes over and finishes.
		clk.Advance(jobs.Lease + time.Second)
		if ran, err := second.RunOne(ctx); !ran || err != nil {
			t.Fatalf("takeover: %v %v", ran, err)
		}
		late = p.Set(ctx, 3, 2, 0, "2")
		return nil, late
	})
	second.Register("items", func(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
		for i := 1; i <= 3; i++ {
			if done[i] == 0 { // idempotent: what is done stays done
				done[i]++
			}
			if err := p.Set(ctx, 3, i, 0, ""); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	j, err := first.Enqueue(ctx, alice, "items", "三项", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ran, err := first.RunOne(ctx); !ran || err != nil {
		t.Fatalf("first RunOne = %v, %v", ran, err)
	}
	if !errors.Is(late, models.ErrLeaseLost) {
		t.Errorf("the dead replica's late progress: %v", late)
	}
	v, _ := first.Get(ctx, alice, j.ID)
	if v.Status != models.JobDone || v.Done != 3 || done[1] != 1 || done[2] != 1 || done[3] != 1 {
		t.Errorf("after the takeover: %+v, items %v", v, done)
	}
}
