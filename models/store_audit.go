package models

import (
	"context"
	"fmt"
	"time"
)

// AuditQuery narrows SearchAudit. Zero fields do not narrow.
type AuditQuery struct {
	Scope      *uint64 // the viewer's town (town admins): only entries of that town
	TownID     *uint64 // the town asked for
	ActorID    uint64
	Actions    []string
	ObjectType string
	ObjectIDs  []uint64
	From, To   time.Time // At in [From, To)
	Offset     int
	Limit      int // 1 to MaxAuditPage; 0 or more is bounded
}

// MaxAuditPage bounds one page of the audit log.
const MaxAuditPage = 200

// SearchAudit lists one page of audit entries, newest first (by id, which is stable while entries
// are appended), and how many match in all.
func (s *Store) SearchAudit(ctx context.Context, f AuditQuery) ([]AuditEntry, int64, error) {
	q := s.q(ctx).Model(&AuditEntry{})
	if f.Scope != nil {
		q = q.Where("town_id = ?", *f.Scope)
	}
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if len(f.Actions) > 0 {
		q = q.Where("action IN ?", f.Actions)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
		if f.ObjectIDs != nil {
			q = q.Where("object_id IN ?", append([]uint64{0}, f.ObjectIDs...))
		}
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	if f.Limit <= 0 || f.Limit > MaxAuditPage {
		f.Limit = MaxAuditPage
	}
	var es []AuditEntry
	if err := q.Order("id DESC").Offset(max(0, f.Offset)).Limit(f.Limit).Find(&es).Error; err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	return es, total, nil
}

// AuditActor is someone who appears in the audit log.
type AuditActor struct {
	ActorID   uint64
	ActorName string
}

// AuditActors lists who has entries in the audit log (within a town when scope is set), by name.
func (s *Store) AuditActors(ctx context.Context, scope *uint64) ([]AuditActor, error) {
	q := s.q(ctx).Model(&AuditEntry{}).Select("actor_id, MAX(actor_name) AS actor_name").Group("actor_id")
	if scope != nil {
		q = q.Where("town_id = ?", *scope)
	}
	var out []AuditActor
	if err := q.Order("actor_name").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("audit actors: %w", err)
	}
	return out, nil
}
