package recruitment

import (
	"context"
	"fmt"

	"auxportal/models"
)

// Hiring-gate outcomes (rules T-1, T-3), what TrainingResult did.
const (
	GateHired    = "hired"
	GateMakeup   = "makeup"
	GateNotHired = "not_hired"
)

// TrainingResult applies the unified pre-job training's result to a proposed hire, inside the
// exam service's transaction tx (rules T-1, T-3): passed, they are hired; failed (or absent),
// they are not hired, whatever their recruitment rank — unless their opening allows one makeup
// sitting and this is their first failure, when they stay proposed for the next sitting. The
// seat a failure frees is refilled from the ranking (递补) by the admin. line is the result as
// the applicant's timeline shows it.
func (s *Service) TrainingResult(ctx context.Context, tx *models.Store, actor models.Actor, appID uint64, passed bool, line string) (string, error) {
	app, err := tx.ApplicationByID(ctx, appID)
	if err != nil {
		return "", err
	}
	if app.Status != models.AppProposed {
		// Dropped out or withdrawn since the sitting was scheduled: the result stands in the
		// exam's record, and there is nobody to hire.
		return "", nil
	}
	o, err := tx.OpeningByID(ctx, app.OpeningID)
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	var gate, msg string
	cols := map[string]any{}
	switch {
	case passed:
		gate, msg = GateHired, "通过区统一岗前培训考试，正式录用（"+line+"）；上岗证将统一颁发"
		cols["status"], cols["hired_at"] = models.AppHired, now
	case o.MakeupAllowed && app.TrainingFailures == 0:
		gate, msg = GateMakeup, "未通过区统一岗前培训考试（"+line+"）；本岗位允许补考一次，请留意补考安排"
		cols["training_failures"] = app.TrainingFailures + 1
	default:
		// Rule T-3: whoever does not pass the training is not hired.
		gate, msg = GateNotHired, "未通过区统一岗前培训考试（"+line+"），按规定不予录用"
		cols["status"], cols["training_failures"] = models.AppNotHired, app.TrainingFailures+1
	}
	if err := tx.UpdateApplication(ctx, app.ID, []string{models.AppProposed}, cols); err != nil {
		return "", err
	}
	if err := tx.AddEvents(ctx, models.Event{ApplicationID: app.ID, At: now, Kind: "training_" + gate, Message: msg}); err != nil {
		return "", err
	}
	return gate, s.audit(ctx, tx, actor, "application.training_"+gate, "application", app.ID, &o.TownID, "",
		map[string]any{"result": line, "failures": fmt.Sprint(cols["training_failures"])})
}
