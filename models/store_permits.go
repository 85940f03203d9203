package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ---- Permits ----

// EnsurePermitCounter creates the year's serial counter if it is missing. Call it outside the
// issuing transaction, before it: creating the row inside concurrent transactions would have
// them deadlock on InnoDB's insert locks, while counting up an existing row only queues them.
func (s *Store) EnsurePermitCounter(ctx context.Context, year int) error {
	err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&PermitCounter{Year: year}).Error
	if err != nil && !IsDuplicate(err) {
		return fmt.Errorf("start permit serials for %d: %w", year, err)
	}
	return nil
}

// NextPermitSerial counts the year's permit serial up by one and returns it. It must run in
// the issuing transaction, after EnsurePermitCounter: the counter row stays locked until that
// commits (MySQL's row lock; SQLite's one writer), so concurrent issues get distinct serials,
// and a rolled-back issue gives its serial back with everything else, so no number is ever
// handed out twice.
func (s *Store) NextPermitSerial(ctx context.Context, year int) (int64, error) {
	res := s.q(ctx).Model(&PermitCounter{}).Where("year = ?", year).
		Update("last_serial", gorm.Expr("last_serial + 1"))
	if res.Error != nil {
		return 0, fmt.Errorf("count permit serial: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return 0, fmt.Errorf("count permit serial: no counter for %d (EnsurePermitCounter first)", year)
	}
	var c PermitCounter
	if err := s.q(ctx).Take(&c, "year = ?", year).Error; err != nil {
		return 0, fmt.Errorf("read permit serial: %w", err)
	}
	return c.LastSerial, nil
}

// CreatePermit inserts a permit; its number must be new (a duplicate is a 409).
func (s *Store) CreatePermit(ctx context.Context, p *Permit) error {
	if err := s.q(ctx).Create(p).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("permit_exists", "该上岗证号码已存在")
		}
		return fmt.Errorf("create permit: %w", err)
	}
	return nil
}

// AddPermitDocument stores a rendered card as the permit's next version.
func (s *Store) AddPermitDocument(ctx context.Context, d *PermitDocument) error {
	var last struct{ V int }
	if err := s.q(ctx).Model(&PermitDocument{}).Select("COALESCE(MAX(version), 0) AS v").
		Where("permit_id = ?", d.PermitID).Scan(&last).Error; err != nil {
		return fmt.Errorf("permit %d documents: %w", d.PermitID, err)
	}
	d.Version = last.V + 1
	if err := s.q(ctx).Create(d).Error; err != nil {
		return fmt.Errorf("store permit %d document: %w", d.PermitID, err)
	}
	return nil
}

// LatestPermitDocument is the card most recently issued for a permit.
func (s *Store) LatestPermitDocument(ctx context.Context, permitID uint64) (*PermitDocument, error) {
	var d PermitDocument
	err := s.q(ctx).Where("permit_id = ?", permitID).Order("version DESC").Take(&d).Error
	if err != nil {
		return nil, notFound(err, "上岗证文件")
	}
	return &d, nil
}

// LatestPermitDocuments are the latest cards of several permits, by permit id.
func (s *Store) LatestPermitDocuments(ctx context.Context, permitIDs []uint64) (map[uint64]*PermitDocument, error) {
	out := make(map[uint64]*PermitDocument, len(permitIDs))
	for start := 0; start < len(permitIDs); start += 200 {
		chunk := permitIDs[start:min(start+200, len(permitIDs))]
		var ds []PermitDocument
		err := s.q(ctx).Where("permit_id IN ? AND version = (SELECT MAX(d2.version) FROM permit_documents d2 WHERE d2.permit_id = permit_documents.permit_id)", chunk).
			Find(&ds).Error
		if err != nil {
			return nil, fmt.Errorf("latest permit documents: %w", err)
		}
		for i := range ds {
			out[ds[i].PermitID] = &ds[i]
		}
	}
	return out, nil
}

// AddPermitEvents records steps of permits' lives.
func (s *Store) AddPermitEvents(ctx context.Context, es ...PermitEvent) error {
	if len(es) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&es).Error; err != nil {
		return fmt.Errorf("add permit events: %w", err)
	}
	return nil
}

// PermitEvents is a permit's history, oldest first.
func (s *Store) PermitEvents(ctx context.Context, permitID uint64) ([]PermitEvent, error) {
	var es []PermitEvent
	if err := s.q(ctx).Where("permit_id = ?", permitID).Order("at, id").Find(&es).Error; err != nil {
		return nil, fmt.Errorf("permit %d events: %w", permitID, err)
	}
	return es, nil
}

// PermitByID loads a permit.
func (s *Store) PermitByID(ctx context.Context, id uint64) (*Permit, error) {
	if !ValidID(id) {
		return nil, NotFound("上岗证")
	}
	var p Permit
	if err := s.q(ctx).Take(&p, id).Error; err != nil {
		return nil, notFound(err, "上岗证")
	}
	return &p, nil
}

// LockPermit loads a permit holding a write lock on its row (MySQL; SQLite's transactions hold
// the database), so two changes of one permit queue up.
func (s *Store) LockPermit(ctx context.Context, id uint64) (*Permit, error) {
	if !ValidID(id) {
		return nil, NotFound("上岗证")
	}
	q := s.q(ctx)
	if s.dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var p Permit
	if err := q.Take(&p, id).Error; err != nil {
		return nil, notFound(err, "上岗证")
	}
	return &p, nil
}

// PermitByNo loads a permit by its number.
func (s *Store) PermitByNo(ctx context.Context, no string) (*Permit, error) {
	var p Permit
	if err := s.q(ctx).Take(&p, "no = ?", no).Error; err != nil {
		return nil, notFound(err, "上岗证")
	}
	return &p, nil
}

// PermitFilter narrows ListPermits.
type PermitFilter struct {
	UserID        *uint64
	TownID        *uint64
	ApplicationID *uint64
	Statuses      []string
	IDs           []uint64
	// DueBy lists permits whose ValidUntil is on or before this date (YYYY-MM-DD).
	DueBy string
	Limit int
}

// ListPermits lists permits, newest first.
func (s *Store) ListPermits(ctx context.Context, f PermitFilter) ([]Permit, error) {
	q := s.q(ctx).Model(&Permit{})
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	if f.ApplicationID != nil {
		q = q.Where("application_id = ?", *f.ApplicationID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.IDs) > 0 {
		q = q.Where("id IN ?", f.IDs)
	}
	if f.DueBy != "" {
		q = q.Where("valid_until <= ?", f.DueBy)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var ps []Permit
	if err := q.Order("id DESC").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("list permits: %w", err)
	}
	return ps, nil
}

// UpdatePermit changes a permit that is still in one of the statuses from (none: any), so a
// change decided on a stale read is refused (409 status_changed) instead of overwriting another.
func (s *Store) UpdatePermit(ctx context.Context, id uint64, from []string, cols map[string]any) error {
	q := s.q(ctx).Model(&Permit{}).Where("id = ?", id)
	if len(from) > 0 {
		q = q.Where("status IN ?", from)
	}
	res := q.Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update permit %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("status_changed", "上岗证状态已变化，请刷新后重试")
	}
	return nil
}

// ---- Jobs ----

// CreateJob queues a job.
func (s *Store) CreateJob(ctx context.Context, j *Job) error {
	if err := s.q(ctx).Create(j).Error; err != nil {
		return fmt.Errorf("queue job: %w", err)
	}
	return nil
}

// JobByID loads a job without its result file.
func (s *Store) JobByID(ctx context.Context, id uint64) (*Job, error) {
	if !ValidID(id) {
		return nil, NotFound("任务")
	}
	var j Job
	if err := s.q(ctx).Omit("result").Take(&j, id).Error; err != nil {
		return nil, notFound(err, "任务")
	}
	return &j, nil
}

// JobResult loads a job with its result file.
func (s *Store) JobResult(ctx context.Context, id uint64) (*Job, error) {
	if !ValidID(id) {
		return nil, NotFound("任务")
	}
	var j Job
	if err := s.q(ctx).Take(&j, id).Error; err != nil {
		return nil, notFound(err, "任务")
	}
	return &j, nil
}

// ClaimJob takes the oldest job that is queued, or running under a lease that has run out (its
// replica died), for owner until leaseUntil. Nil when there is none. The claim is a
// conditional update: two replicas never hold one job.
func (s *Store) ClaimJob(ctx context.Context, owner string, now, leaseUntil time.Time) (*Job, error) {
	for range 5 {
		var j Job
		err := s.q(ctx).Omit("result").
			Where("status = ? OR (status = ? AND lease_until < ?)", JobQueued, JobRunning, now).
			Order("id").Take(&j).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("find a job: %w", err)
		}
		res := s.q(ctx).Model(&Job{}).
			Where("id = ? AND status = ? AND lease_owner = ? AND attempts = ?", j.ID, j.Status, j.LeaseOwner, j.Attempts).
			Updates(map[string]any{"status": JobRunning, "lease_owner": owner, "lease_until": leaseUntil,
				"attempts": j.Attempts + 1, "updated_at": now})
		if res.Error != nil {
			return nil, fmt.Errorf("claim job %d: %w", j.ID, res.Error)
		}
		if res.RowsAffected == 1 {
			j.Status, j.LeaseOwner, j.LeaseUntil, j.Attempts = JobRunning, owner, &leaseUntil, j.Attempts+1
			return &j, nil
		}
		// Another replica claimed it first: look again.
	}
	return nil, nil
}

// UpdateJob writes a job's progress while owner still holds its lease; ErrLeaseLost when it
// does not (the lease ran out and another replica took over: this one must stop).
func (s *Store) UpdateJob(ctx context.Context, id uint64, owner string, cols map[string]any) error {
	res := s.q(ctx).Model(&Job{}).Where("id = ? AND lease_owner = ? AND status = ?", id, owner, JobRunning).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update job %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrLeaseLost
	}
	return nil
}

// ErrLeaseLost is UpdateJob's answer to a replica whose lease was taken over.
var ErrLeaseLost = errors.New("job lease lost")

// ListJobs lists the latest jobs (without their files), newest first.
func (s *Store) ListJobs(ctx context.Context, createdBy *uint64, limit int) ([]Job, error) {
	q := s.q(ctx).Omit("result").Order("id DESC").Limit(limit)
	if createdBy != nil {
		q = q.Where("created_by = ?", *createdBy)
	}
	var js []Job
	if err := q.Find(&js).Error; err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return js, nil
}
