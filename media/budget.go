package media

import (
	"context"
	"fmt"
	"sync"
)

// Budget bounds the memory and the number of decodes running at once across every request of a
// replica: a decode reserves its DecodeCost before it starts and waits while that would pass
// the budget. Counting decodes alone is not enough: two 40-megapixel progressive JPEGs take
// more memory than a hundred phone photos.
type Budget struct {
	bytes int64
	slots int

	mu      sync.Mutex
	cond    *sync.Cond
	inUse   int64
	running int
	peak    int64
	decodes int64
}

// NewBudget returns a budget of bytes for at most slots decodes at once. A budget below
// MaxDecodeCost is raised to it, so any image that passes Inspect can be decoded alone.
func NewBudget(bytes int64, slots int) *Budget {
	b := &Budget{bytes: max(bytes, MaxDecodeCost), slots: max(1, slots)}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Size is the budget in bytes.
func (b *Budget) Size() int64 { return b.bytes }

// Stats reports the most bytes ever reserved at once and the number of decodes started.
func (b *Budget) Stats() (peak, decodes int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak, b.decodes
}

// Sanitize inspects data, waits until its decode fits the budget, then decodes and re-encodes
// it (see Sanitize). A cancelled ctx stops the wait.
func (b *Budget) Sanitize(ctx context.Context, data []byte) (Image, error) {
	info, err := Inspect(data)
	if err != nil {
		return Image{}, err
	}
	cost := info.DecodeCost()
	if err := b.acquire(ctx, cost); err != nil {
		return Image{}, err
	}
	defer b.release(cost)
	return Sanitize(data)
}

func (b *Budget) acquire(ctx context.Context, cost int64) error {
	// sync.Cond cannot select on ctx: a goroutine wakes the waiters when ctx ends.
	stop := context.AfterFunc(ctx, func() {
		b.mu.Lock()
		b.cond.Broadcast()
		b.mu.Unlock()
	})
	defer stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.running >= b.slots || b.inUse+cost > b.bytes {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("wait for image decoding: %w", err)
		}
		b.cond.Wait()
	}
	b.running++
	b.inUse += cost
	b.decodes++
	b.peak = max(b.peak, b.inUse)
	return nil
}

func (b *Budget) release(cost int64) {
	b.mu.Lock()
	b.running--
	b.inUse -= cost
	b.cond.Broadcast()
	b.mu.Unlock()
}
