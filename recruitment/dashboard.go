package recruitment

import (
	"context"
	"strings"
	"unicode/utf8"

	"auxportal/models"
	"auxportal/screening"
)

// TownStaffing is one town's line on the staffing dashboard (rule Q-1).
type TownStaffing struct {
	TownID        uint64 `json:"town_id"`
	Town          string `json:"town"`
	Minimum       int    `json:"minimum"`        // 附件1 配备人员数量（不低于）
	ExistingStaff int    `json:"existing_staff"` // in post
	Proposed      int    `json:"proposed"`       // 拟录用, awaiting training
	Hired         int    `json:"hired"`          // passed the unified training (T-1) and hired
	OpenSeats     int    `json:"open_seats"`     // seats in published openings not yet past their deadline
	OpenOpenings  int    `json:"open_openings"`
	Gap           int    `json:"gap"` // minimum - in post - hired, never below 0: a hire counts once hired
}

// Dashboard is the staffing overview. Total, the district's line, is for district admins only:
// a town admin's one town needs no sum, and "全区合计" over one town would mislead.
type Dashboard struct {
	Towns []TownStaffing `json:"towns"`
	Total *TownStaffing  `json:"total,omitempty"`
}

// Dashboard shows staffing against the minimums: every town to district admins, a town admin's
// own town to them.
func (s *Service) Dashboard(ctx context.Context, actor models.Actor) (*Dashboard, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以查看配备情况")
	}
	towns, err := s.store.ListTowns(ctx)
	if err != nil {
		return nil, err
	}
	openings, err := s.store.ListOpenings(ctx, models.OpeningFilter{TownID: actor.TownScope(), Published: true})
	if err != nil {
		return nil, err
	}
	counts, err := s.store.CountApplicationsByStatus(ctx, actor.TownScope())
	if err != nil {
		return nil, err
	}
	today := s.today()
	byTown := map[uint64]*TownStaffing{}
	d := &Dashboard{}
	total := TownStaffing{Town: "全区合计"}
	for _, t := range towns {
		if !actor.CanManageTown(t.ID) {
			continue
		}
		d.Towns = append(d.Towns, TownStaffing{TownID: t.ID, Town: t.Name, Minimum: t.Minimum, ExistingStaff: t.ExistingStaff})
	}
	for i := range d.Towns {
		byTown[d.Towns[i].TownID] = &d.Towns[i]
	}
	for _, o := range openings {
		ts := byTown[o.TownID]
		closes, err := screening.ParseDate(o.ClosesAt)
		if ts == nil || err != nil || today.After(closes) {
			continue
		}
		ts.OpenSeats += o.Seats
		ts.OpenOpenings++
	}
	for _, c := range counts {
		if ts := byTown[c.TownID]; ts != nil {
			switch c.Status {
			case models.AppProposed:
				ts.Proposed += c.N
			case models.AppHired:
				ts.Hired += c.N
			}
		}
	}
	for i := range d.Towns {
		ts := &d.Towns[i]
		ts.Gap = max(0, ts.Minimum-ts.ExistingStaff-ts.Hired)
		total.Minimum += ts.Minimum
		total.ExistingStaff += ts.ExistingStaff
		total.Proposed += ts.Proposed
		total.Hired += ts.Hired
		total.OpenSeats += ts.OpenSeats
		total.OpenOpenings += ts.OpenOpenings
		total.Gap += ts.Gap
	}
	if actor.IsDistrictAdmin() {
		d.Total = &total
	}
	return d, nil
}

// SetExistingStaff records a town's staff in post (people hired before the portal), audited.
func (s *Service) SetExistingStaff(ctx context.Context, actor models.Actor, townID uint64, n int, reason string) error {
	if !actor.IsDistrictAdmin() {
		return models.Deny(actor, "只有区城管局可以修改在岗人数")
	}
	fe := models.FieldErrors{}
	if townID == 0 {
		fe.Add("town_id", "请选择区镇")
	}
	if n < 0 || n > 10000 {
		fe.Add("existing_staff", "在岗人数须为 0 至 10000")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		fe.Add("reason", "请填写修改原因（不超过 500 字）")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	t, err := s.store.TownByID(ctx, townID)
	if err != nil {
		return err
	}
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SetExistingStaff(ctx, townID, n); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "town.existing_staff", "town", townID, &t.ID, reason,
			map[string]any{"old": t.ExistingStaff, "new": n})
	})
}

// AuditLog lists audit entries in the actor's scope.
func (s *Service) AuditLog(ctx context.Context, actor models.Actor, limit int) ([]models.AuditEntry, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以查看操作日志")
	}
	return s.store.ListAudit(ctx, models.AuditFilter{TownID: actor.TownScope(), Limit: limit})
}
