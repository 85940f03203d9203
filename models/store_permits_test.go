package models_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/models/storetest"
)

// Rule T-2: permit numbers are unique and never reused — issues at the same moment (two
// replicas, here goroutines on one database) get distinct consecutive serials, and a rolled
// back issue does not leave a gap that a later issue could fill with a duplicate.
func TestNextPermitSerial_T2_ConcurrentIssuesNeverShareANumber(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	const n = 24
	for _, y := range []int{2026, 2027} {
		if err := s.EnsurePermitCounter(ctx, y); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.EnsurePermitCounter(ctx, 2026); err != nil {
		t.Fatalf("a second EnsurePermitCounter: %v", err)
	}
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for try := 0; ; try++ {
				var serial int64
				err := s.WithTx(ctx, func(tx *models.Store) error {
					v, err := tx.NextPermitSerial(ctx, 2026)
					if err != nil {
						return err
					}
					serial = v
					if i%6 == 5 {
						return errors.New("rolled back on purpose")
					}
					return nil
				})
				if err != nil && err.Error() == "rolled back on purpose" {
					return
				}
				if err != nil {
					if try < 20 && models.IsRetryable(err) {
						continue // SQLite busy, a MariaDB deadlock: the issue is retried as a whole
					}
					t.Errorf("serial: %v", err)
					return
				}
				mu.Lock()
				got = append(got, serial)
				mu.Unlock()
				return
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	if len(got) != n-n/6 || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Fatalf("serials %v: duplicates or missing", got)
	}
	// The next year starts again at 1; this year goes on after the last committed one.
	if v, err := s.NextPermitSerial(ctx, 2027); err != nil || v != 1 {
		t.Errorf("first serial of 2027: %d %v", v, err)
	}
	if v, err := s.NextPermitSerial(ctx, 2026); err != nil || v <= got[len(got)-1] {
		t.Errorf("next serial of 2026: %d %v (last %d)", v, err, got[len(got)-1])
	}
}

// A job is held by one replica at a time; a dead replica's lease runs out and another takes
// over, and the dead one's late writes are refused.
func TestClaimJob_OneHolderAndTakeover(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		if err := s.CreateJob(ctx, &models.Job{Kind: "test", Params: "{}", Title: "任务", Status: models.JobQueued,
			CreatedBy: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	held := map[uint64]string{}
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b", "c", "d", "e", "f"} {
		wg.Go(func() {
			j, err := s.ClaimJob(ctx, owner, now, now.Add(time.Minute))
			if err != nil {
				if models.IsRetryable(err) {
					return
				}
				t.Error(err)
				return
			}
			if j == nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if prev, ok := held[j.ID]; ok {
				t.Errorf("job %d held by %s and %s", j.ID, prev, owner)
			}
			held[j.ID] = owner
		})
	}
	wg.Wait()
	if len(held) == 0 {
		t.Fatal("no job claimed")
	}
	var id uint64
	var first string
	for k, v := range held {
		id, first = k, v
		break
	}
	// Within the lease nobody else gets it; after it, someone does, and the first owner's
	// writes fail.
	for {
		j, err := s.ClaimJob(ctx, "late", now.Add(30*time.Second), now.Add(90*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if j == nil {
			break
		}
		if j.ID == id {
			t.Fatalf("job %d claimed again within its lease", id)
		}
	}
	j, err := s.ClaimJob(ctx, "rescuer", now.Add(2*time.Minute), now.Add(3*time.Minute))
	if err != nil || j == nil {
		t.Fatalf("takeover: %v %v", j, err)
	}
	if err := s.UpdateJob(ctx, j.ID, held[j.ID], map[string]any{"done": 1}); !errors.Is(err, models.ErrLeaseLost) && held[j.ID] != "" {
		t.Errorf("the dead owner's write: %v", err)
	}
	if err := s.UpdateJob(ctx, j.ID, "rescuer", map[string]any{"done": 1}); err != nil {
		t.Errorf("the rescuer's write: %v", err)
	}
	_ = first
}
