package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/exams"
	"auxportal/models"
)

// BlueprintInput creates or edits a blueprint.
type BlueprintInput struct {
	Name    string          `json:"name"`
	Purpose string          `json:"purpose"` // pre_job or refresher
	Spec    exams.Blueprint `json:"spec"`
}

// BlueprintView is a blueprint with what the bank can do for it now.
type BlueprintView struct {
	ID        uint64          `json:"id"`
	Name      string          `json:"name"`
	Purpose   string          `json:"purpose"`
	Spec      exams.Blueprint `json:"spec"`
	Total     int64           `json:"total"`
	Count     int             `json:"count"`
	Shortages []string        `json:"shortages"` // cells today's bank cannot fill, in Chinese
	UpdatedAt time.Time       `json:"updated_at"`
}

// PurposeLabel names an exam purpose.
func PurposeLabel(p string) string {
	switch p {
	case models.PurposePreJob:
		return "岗前培训统一考试"
	case models.PurposeRefresher:
		return "年度复训考试"
	}
	return p
}

func checkBlueprint(in BlueprintInput) (BlueprintInput, error) {
	fe := models.FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n < 2 || n > 100 {
		fe.Add("name", "方案名称须为 2 至 100 个字")
	}
	if in.Purpose == "" {
		in.Purpose = models.PurposePreJob
	}
	if in.Purpose != models.PurposePreJob && in.Purpose != models.PurposeRefresher {
		fe.Add("purpose", "用途须为岗前培训或年度复训")
	}
	if err := in.Spec.Validate(); err != nil {
		var be *exams.BlueprintError
		if errors.As(err, &be) {
			fe.Add("spec", strings.Join(be.Problems, "；"))
		} else {
			fe.Add("spec", err.Error())
		}
	}
	return in, fe.Err()
}

// CreateBlueprint saves a new blueprint. Whether the bank can fill it is shown, not required:
// the bank may grow before a sitting is scheduled, and scheduling checks again.
func (s *Service) CreateBlueprint(ctx context.Context, actor models.Actor, in BlueprintInput) (*BlueprintView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	in, err := checkBlueprint(in)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	b := &models.Blueprint{Name: in.Name, Purpose: in.Purpose, Spec: mustJSON(in.Spec), CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateBlueprint(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "blueprint.create", "blueprint", b.ID, nil, "", map[string]any{"name": b.Name})
	})
	if err != nil {
		return nil, err
	}
	return s.Blueprint(ctx, actor, b.ID)
}

// UpdateBlueprint edits a blueprint. Sittings already scheduled keep the copy they were made
// with.
func (s *Service) UpdateBlueprint(ctx context.Context, actor models.Actor, id uint64, in BlueprintInput) (*BlueprintView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	in, err := checkBlueprint(in)
	if err != nil {
		return nil, err
	}
	b := &models.Blueprint{ID: id, Name: in.Name, Purpose: in.Purpose, Spec: mustJSON(in.Spec), UpdatedAt: s.clock.Now()}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SaveBlueprint(ctx, b); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "blueprint.update", "blueprint", id, nil, "", map[string]any{"name": b.Name})
	})
	if err != nil {
		return nil, err
	}
	return s.Blueprint(ctx, actor, id)
}

// Blueprint shows one blueprint with today's shortages.
func (s *Service) Blueprint(ctx context.Context, actor models.Actor, id uint64) (*BlueprintView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	b, err := s.store.BlueprintByID(ctx, id)
	if err != nil {
		return nil, err
	}
	inv, err := s.inventory(ctx)
	if err != nil {
		return nil, err
	}
	return blueprintView(b, inv)
}

// Blueprints lists the blueprints with today's shortages.
func (s *Service) Blueprints(ctx context.Context, actor models.Actor) ([]BlueprintView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	bs, err := s.store.ListBlueprints(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.inventory(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BlueprintView, 0, len(bs))
	for i := range bs {
		v, err := blueprintView(&bs[i], inv)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func blueprintView(b *models.Blueprint, inv exams.Inventory) (*BlueprintView, error) {
	var spec exams.Blueprint
	if err := json.Unmarshal([]byte(b.Spec), &spec); err != nil {
		return nil, fmt.Errorf("blueprint %d: %w", b.ID, err)
	}
	v := &BlueprintView{ID: b.ID, Name: b.Name, Purpose: b.Purpose, Spec: spec, Total: spec.Total(), Count: spec.Count(),
		Shortages: shortages(spec.CheckBank(inv)), UpdatedAt: b.UpdatedAt}
	return v, nil
}

// shortages lists the messages of a bank check ("" cells: none).
func shortages(err error) []string {
	out := []string{}
	var se *exams.ShortageError
	if errors.As(err, &se) {
		for _, sh := range se.Shortages {
			out = append(out, sh.Message())
		}
	} else if err != nil {
		out = append(out, err.Error())
	}
	return out
}
