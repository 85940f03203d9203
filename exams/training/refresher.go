package training

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"auxportal/clock"
	"auxportal/exams"
	"auxportal/models"
)

// The yearly refresher's side of the exam engine (rule T-4). The refresher cycle (package
// refresher) creates the monthly refresher sittings and enrols permit holders in them; these
// methods are for that system job only — no page or API reaches them — so they take no actor.
// The sittings are ordinary sittings afterwards: the trainers run, grade and publish them on
// their pages as any other.

// ErrNoRefresherBlueprint is CreateRefresherSitting's answer when the trainers keep no
// refresher blueprint (组卷方案 with the purpose 年度复训).
var ErrNoRefresherBlueprint = models.Conflict("no_refresher_blueprint", "没有可用的年度复训组卷方案：请培训员先建立用途为“年度复训”的组卷方案")

// RefresherSittings are the refresher sittings still taking candidates' attempts (scheduled,
// not published), opening first.
func (s *Service) RefresherSittings(ctx context.Context) ([]models.Sitting, error) {
	sts, err := s.store.ListSittings(ctx)
	if err != nil {
		return nil, err
	}
	var out []models.Sitting
	for _, st := range sts {
		if st.Purpose == models.PurposeRefresher && st.Status == models.SittingScheduled {
			out = append(out, st)
		}
	}
	for i := 1; i < len(out); i++ { // oldest opening first (few sittings: insertion sort)
		for j := i; j > 0 && out[j].Opens.Before(out[j-1].Opens); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// CreateRefresherSitting schedules an online refresher sitting from the newest refresher
// blueprint, with no candidates yet: they are enrolled one by one as their windows open.
func (s *Service) CreateRefresherSitting(ctx context.Context, title string, opens, closes time.Time) (*models.Sitting, error) {
	bps, err := s.store.ListBlueprints(ctx)
	if err != nil {
		return nil, err
	}
	var bpRow *models.Blueprint
	for i := range bps {
		if bps[i].Purpose == models.PurposeRefresher && !bps[i].Archived && (bpRow == nil || bps[i].ID > bpRow.ID) {
			bpRow = &bps[i]
		}
	}
	if bpRow == nil {
		return nil, ErrNoRefresherBlueprint
	}
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(bpRow.Spec), &bp); err != nil {
		return nil, fmt.Errorf("blueprint %d: %w", bpRow.ID, err)
	}
	w := exams.Window{Opens: opens, Closes: closes, LastStart: closes.Add(-exams.DefaultLastStartLead)}
	if err := w.Validate(bp.Duration()); err != nil {
		return nil, fmt.Errorf("refresher sitting %q: %w", title, err)
	}
	bank, err := s.bank(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if err := bp.CheckBank(exams.InventoryOf(bank)); err != nil {
		return nil, models.Invalid("bank_short", "题库试题不足，无法按年度复训方案组卷：%s", strings.Join(shortages(err), "；"))
	}
	seed, err := s.randomBytes(32)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	st := &models.Sitting{Title: title, Purpose: models.PurposeRefresher, BlueprintID: bpRow.ID, Blueprint: mustJSON(bp),
		Opens: opens, Closes: closes, LastStart: w.LastStart, Venue: "线上考试（本平台）", Online: true, Seed: seed,
		Status: models.SittingScheduled, ShowPaper: true, CreatedBy: 0, CreatedAt: now, UpdatedAt: now}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateSitting(ctx, st); err != nil {
			return err
		}
		return s.audit(ctx, tx, models.Actor{Name: "系统（年度复训）"}, "sitting.schedule_refresher", "sitting", st.ID, nil, "",
			map[string]any{"title": st.Title, "blueprint": bpRow.ID})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Enrolee is a permit holder to enrol in a refresher sitting.
type Enrolee struct {
	UserID        uint64
	Name          string
	IDMasked      string
	TownID        *uint64
	PhotoUploadID string
}

// EnrolRefresher adds a holder to a refresher sitting inside the caller's transaction tx: a
// paper of their own, drawn and sealed now, a ticket and an anonymous code. Enrolling someone
// already in the sitting is ErrConflict (already_enrolled).
func (s *Service) EnrolRefresher(ctx context.Context, tx *models.Store, sittingID uint64, e Enrolee) (*models.ExamCandidate, error) {
	st, err := tx.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	if st.Purpose != models.PurposeRefresher || st.Status != models.SittingScheduled {
		return nil, models.Conflict("not_refresher", "该场考试不是进行中的年度复训")
	}
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(st.Blueprint), &bp); err != nil {
		return nil, fmt.Errorf("sitting %d blueprint: %w", st.ID, err)
	}
	bank, err := s.bank(ctx, tx)
	if err != nil {
		return nil, err
	}
	p, err := exams.Assemble(bp, bank, exams.CandidateSeed(st.Seed, candidateKey(e.UserID)))
	if err != nil {
		return nil, fmt.Errorf("refresher paper of user %d: %w", e.UserID, err)
	}
	sealed, err := exams.Seal(p)
	if err != nil {
		return nil, err
	}
	n, err := tx.CountCandidates(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	code, err := s.code(6)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	c := models.ExamCandidate{SittingID: st.ID, UserID: e.UserID, Name: e.Name, IDMasked: e.IDMasked, TownID: e.TownID,
		PhotoUploadID: e.PhotoUploadID, Seat: seat(true, n), AnonCode: code, Paper: sealed.JSON, PaperHash: sealed.SHA256,
		TicketNo: ticketNo(clock.InChina(st.Opens).Year(), st.ID, n+1), CreatedAt: now, UpdatedAt: now}
	if err := tx.CreateCandidates(ctx, []models.ExamCandidate{c}); err != nil {
		return nil, err // a second enrolment of one person is ErrConflict already_enrolled
	}
	cs, err := tx.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, UserID: &e.UserID})
	if err != nil || len(cs) != 1 {
		return nil, fmt.Errorf("enrolled candidate of user %d: %v", e.UserID, err)
	}
	return &cs[0], nil
}

// RefresherResult is how a refresher candidate's attempt ended, once the sitting is published.
type RefresherResult struct {
	CandidateID uint64
	Published   bool
	Outcome     string // pass, fail or absent
	PassedOn    string // the civil date (China) of the hand-in that passed
}

// RefresherResults are the results of the given candidates; candidates of sittings not yet
// published are reported unpublished.
func (s *Service) RefresherResults(ctx context.Context, candidateIDs []uint64) (map[uint64]RefresherResult, error) {
	out := map[uint64]RefresherResult{}
	published := map[uint64]bool{}
	for _, id := range candidateIDs {
		c, err := s.store.CandidateByID(ctx, id)
		if err != nil {
			return nil, err
		}
		pub, ok := published[c.SittingID]
		if !ok {
			st, err := s.store.SittingByID(ctx, c.SittingID)
			if err != nil {
				return nil, err
			}
			pub = st.Status == models.SittingPublished
			published[c.SittingID] = pub
		}
		r := RefresherResult{CandidateID: id, Published: pub}
		switch {
		case !pub:
		case c.StartedAt == nil:
			r.Outcome = "absent"
		case c.Outcome == string(exams.OutcomePass):
			r.Outcome = "pass"
			at := c.SubmittedAt
			if at == nil {
				at = c.Deadline
			}
			if at != nil {
				r.PassedOn = clock.InChina(*at).Format("2006-01-02")
			}
		default:
			r.Outcome = "fail"
		}
		out[id] = r
	}
	return out, nil
}
