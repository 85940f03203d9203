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

// subjectNames says where the name of each kind of audited object lives.
var subjectNames = map[string]struct {
	model  any
	column string
}{
	"application":    {&Application{}, "name"},
	"user":           {&User{}, "display_name"},
	"permit":         {&Permit{}, "holder_name"},
	"exam_candidate": {&ExamCandidate{}, "name"},
	"opening":        {&Opening{}, "title"},
	"town":           {&Town{}, "name"},
	"sitting":        {&Sitting{}, "title"},
	"blueprint":      {&Blueprint{}, "name"},
}

// AuditSubjects names the objects of audit entries: for each object type it knows, the ids
// asked for → the person's or the thing's name. Types it does not know are left out.
func (s *Store) AuditSubjects(ctx context.Context, ids map[string][]uint64) (map[string]map[uint64]string, error) {
	out := map[string]map[uint64]string{}
	for typ, list := range ids {
		src, ok := subjectNames[typ]
		if !ok || len(list) == 0 {
			continue
		}
		var rows []struct {
			ID   uint64
			Name string
		}
		// The column comes from the table above, never from input.
		if err := s.q(ctx).Model(src.model).Select("id, "+src.column+" AS name").Where("id IN ?", list).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("audit subjects %s: %w", typ, err)
		}
		m := map[uint64]string{}
		for _, r := range rows {
			m[r.ID] = r.Name
		}
		out[typ] = m
	}
	return out, nil
}
