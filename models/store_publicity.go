package models

import (
	"context"
	"fmt"
	"time"
)

// CreatePublicity records a 公示.
func (s *Store) CreatePublicity(ctx context.Context, p *Publicity) error {
	if err := s.q(ctx).Create(p).Error; err != nil {
		return fmt.Errorf("create publicity: %w", err)
	}
	return nil
}

// PublicitiesOf lists an opening's 公示, oldest first.
func (s *Store) PublicitiesOf(ctx context.Context, openingID uint64) ([]Publicity, error) {
	var ps []Publicity
	if err := s.q(ctx).Where("opening_id = ?", openingID).Order("id").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("list publicities: %w", err)
	}
	return ps, nil
}

// PublicitiesByIDs loads publicities by id.
func (s *Store) PublicitiesByIDs(ctx context.Context, ids []uint64) (map[uint64]*Publicity, error) {
	out := map[uint64]*Publicity{}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []Publicity
	if err := s.q(ctx).Where("id IN ?", ids).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("load publicities: %w", err)
	}
	for i := range ps {
		out[ps[i].ID] = &ps[i]
	}
	return out, nil
}

// CreateObjection records an objection.
func (s *Store) CreateObjection(ctx context.Context, o *Objection) error {
	if err := s.q(ctx).Create(o).Error; err != nil {
		return fmt.Errorf("create objection: %w", err)
	}
	return nil
}

// ObjectionByID loads an objection.
func (s *Store) ObjectionByID(ctx context.Context, id uint64) (*Objection, error) {
	if !ValidID(id) {
		return nil, NotFound("异议")
	}
	var o Objection
	if err := s.q(ctx).Take(&o, id).Error; err != nil {
		return nil, notFound(err, "异议")
	}
	return &o, nil
}

// ObjectionsOf lists the objections to some applications, oldest first.
func (s *Store) ObjectionsOf(ctx context.Context, appIDs []uint64) ([]Objection, error) {
	var os []Objection
	if len(appIDs) == 0 {
		return os, nil
	}
	if err := s.q(ctx).Where("application_id IN ?", appIDs).Order("id").Find(&os).Error; err != nil {
		return nil, fmt.Errorf("list objections: %w", err)
	}
	return os, nil
}

// DecideObjection records an undecided objection's outcome; ErrConflict if it was decided.
func (s *Store) DecideObjection(ctx context.Context, id uint64, outcome, reason string, by uint64, at time.Time) error {
	res := s.q(ctx).Model(&Objection{}).Where("id = ? AND outcome = ?", id, "").
		Updates(map[string]any{"outcome": outcome, "outcome_reason": reason, "decided_by": by, "decided_at": at})
	if res.Error != nil {
		return fmt.Errorf("decide objection: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("already_decided", "该异议已有处理结果")
	}
	return nil
}

// SetOpeningAfterRanking writes an opening's settings for the steps after ranking.
func (s *Store) SetOpeningAfterRanking(ctx context.Context, id uint64, cols map[string]any) error {
	if err := s.q(ctx).Model(&Opening{}).Where("id = ?", id).Updates(cols).Error; err != nil {
		return fmt.Errorf("set opening steps: %w", err)
	}
	return nil
}
