package recruitment

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"auxportal/models"
	"auxportal/screening"
)

// ScoreInput is a candidate's recruitment score (written test and/or interview, as the town
// runs it) and, for tied candidates, the extra test; "" leaves a value as it is. Absent marks
// the candidate absent (缺考): counted as scored, never ranked or proposed; a score clears it.
type ScoreInput struct {
	ApplicationID uint64 `json:"application_id"`
	Score         string `json:"score"`
	ExtraScore    string `json:"extra_score"`
	Absent        bool   `json:"absent"`
}

// SetScores records scores (or absences) for eligible candidates of one opening, all or none.
// Once proposals are made the scores are frozen (rule R-1): a change would silently reorder the
// ranking and hand the next drop-out's seat to the edited candidate, so it is refused until a
// district admin reopens scoring (ReopenScoring).
func (s *Service) SetScores(ctx context.Context, actor models.Actor, openingID uint64, in []ScoreInput) error {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return err
	}
	if o.Status != models.OpeningPublished {
		return models.Conflict("not_published", "岗位尚未发布")
	}
	if o.ScoresFrozenAt != nil {
		for _, x := range in {
			if strings.TrimSpace(x.Score) != "" || x.Absent {
				return errScoresFrozen
			}
		}
	}
	type parsed struct {
		app          *models.Application
		score, extra *int64
		absent       bool
	}
	fe := models.FieldErrors{}
	var todo []parsed
	for _, x := range in {
		field := fmt.Sprintf("score_%d", x.ApplicationID)
		app, err := s.store.ApplicationByID(ctx, x.ApplicationID)
		if err != nil || app.OpeningID != openingID {
			if _, ok := models.AsError(err); err != nil && !ok {
				return err
			}
			fe.Add(field, "报名记录不属于该岗位")
			continue
		}
		p := parsed{app: app, absent: x.Absent}
		if v := strings.TrimSpace(x.Score); v != "" {
			n, err := screening.ParseScore(v)
			if err != nil {
				fe.Add(field, app.Name+"："+err.Error())
				continue
			}
			p.score = &n
		}
		if v := strings.TrimSpace(x.ExtraScore); v != "" {
			n, err := screening.ParseScore(v)
			if err != nil {
				fe.Add(fmt.Sprintf("extra_%d", x.ApplicationID), app.Name+"（加试）："+err.Error())
				continue
			}
			p.extra = &n
		}
		if p.absent && (p.score != nil || p.extra != nil) {
			fe.Add(field, app.Name+"：已标记缺考，不能同时录入成绩")
			continue
		}
		if p.score == nil && p.extra == nil && !p.absent {
			continue
		}
		if app.Status != models.AppEligible {
			fe.Add(field, fmt.Sprintf("%s 的状态为“%s”，只能为资格审查合格的考生录入成绩", app.Name, StatusLabel(app.Status)))
			continue
		}
		todo = append(todo, p)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if len(todo) == 0 {
		return models.Invalid("no_scores", "没有要保存的成绩")
	}
	now := s.clock.Now()
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		// Proposals take the same lock: a score change and a proposal run never interleave.
		o, err := tx.LockOpening(ctx, openingID)
		if err != nil {
			return err
		}
		if o.ScoresFrozenAt != nil {
			// Frozen: only the extra test (加试) of candidates tied across the last seat — a seat
			// left empty because they are equal — may be entered, once each; it settles their tie
			// and moves nobody above them. A tie further down waits until a seat is free for it
			// (a drop-out), so no score decides the next 递补 in advance.
			v, _, err := s.ranking(ctx, tx, o)
			if err != nil {
				return err
			}
			tied := map[uint64]bool{}
			if free := o.Seats - v.Proposed - v.Hired; free > 0 {
				boundary := 0
				for _, row := range v.Rows {
					if !row.WithinSeats && !row.BelowPassMark {
						boundary = row.Rank
						break
					}
				}
				for _, row := range v.Rows {
					if row.Tied && row.Rank == boundary && row.Application.Status == models.AppEligible && row.ExtraScore == "" {
						tied[row.Application.ID] = true
					}
				}
			}
			for _, p := range todo {
				if p.score != nil || p.absent || p.extra == nil || !tied[p.app.ID] {
					return errScoresFrozen
				}
			}
		}
		for _, p := range todo {
			cols := map[string]any{"scored_by": actor.UserID, "scored_at": now}
			detail := map[string]any{}
			switch {
			case p.absent:
				cols["absent"], cols["score"], cols["extra_score"] = true, nil, nil
				detail["absent"], detail["old_score"] = true, fmtScore(p.app.Score)
			default:
				if p.score != nil {
					cols["score"], cols["absent"] = *p.score, false
					detail["score"] = screening.FormatScore(*p.score)
					detail["old_score"] = fmtScore(p.app.Score)
				}
				if p.extra != nil {
					cols["extra_score"] = *p.extra
					detail["extra_score"] = screening.FormatScore(*p.extra)
					detail["old_extra_score"] = fmtScore(p.app.ExtraScore)
				}
			}
			if err := tx.UpdateApplication(ctx, p.app.ID, []string{models.AppEligible}, cols); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, "score.set", "application", p.app.ID, &o.TownID, "", detail); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReopenScoring unfreezes an opening's scores after proposals (rule R-1): a district admin only,
// with a reason, audited. It withdraws every proposal that the frozen ranking made (those who
// dropped out stay dropped out), and each applicant concerned sees it on their timeline.
// Proposals are then made again from the corrected ranking.
func (s *Service) ReopenScoring(ctx context.Context, actor models.Actor, openingID uint64, reason string) (*RankingView, error) {
	if !actor.IsDistrictAdmin() {
		if _, err := s.adminOpening(ctx, actor, openingID); err != nil {
			return nil, err
		}
		return nil, models.Deny(actor, "只有区城管局可以重新开放成绩录入")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, fieldErr("reason", "请填写重新开放成绩录入的原因（不超过 500 字），将告知被撤销拟录用的人员")
	}
	if _, err := s.adminOpening(ctx, actor, openingID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, openingID)
		if err != nil {
			return err
		}
		if o.ScoresFrozenAt == nil {
			return models.Conflict("not_frozen", "尚未确定拟录用人员，成绩可以直接修改")
		}
		apps, err := tx.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID, Statuses: []string{models.AppProposed}})
		if err != nil {
			return err
		}
		ids := make([]uint64, len(apps))
		for i, a := range apps {
			ids[i] = a.ID
		}
		// A proposed hire already sitting the unified training keeps that place: withdraw them
		// only once that sitting is over (or take them out of it).
		if n, err := tx.CountOpenCandidacies(ctx, ids); err != nil {
			return err
		} else if n > 0 {
			return models.Conflict("in_training", "有 %d 名拟录用人员已安排参加岗前培训考试，须待该场考试成绩发布后才能重新开放成绩录入", n)
		}
		withdrawn := make([]uint64, 0, len(apps))
		for _, a := range apps {
			if err := tx.UpdateApplication(ctx, a.ID, []string{models.AppProposed},
				withdrawnCols()); err != nil {
				return err
			}
			if err := tx.AddEvents(ctx, models.Event{ApplicationID: a.ID, At: now, Kind: "proposal_withdrawn",
				Message: "拟录用已撤销：区城管局重新开放成绩录入（" + reason + "），将按更正后的排名重新确定拟录用人员"}); err != nil {
				return err
			}
			withdrawn = append(withdrawn, a.ID)
		}
		if err := tx.SetScoresFrozen(ctx, o.ID, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "scoring.reopen", "opening", o.ID, &o.TownID, reason,
			map[string]any{"withdrawn_proposals": withdrawn})
	})
	if err != nil {
		return nil, err
	}
	return s.Ranking(ctx, actor, openingID)
}

// withdrawnCols are the columns a withdrawn proposal returns to: eligible, with none of the
// steps after ranking (a new proposal goes through them and a 公示 again).
func withdrawnCols() map[string]any {
	return map[string]any{"status": models.AppEligible, "proposed_at": nil, "publicity_id": nil, "proposed_rank": 0,
		"medical_result": "", "medical_on": "", "medical_note": "", "vetting_result": "", "vetting_on": "", "vetting_note": ""}
}

func fmtScore(v *int64) string {
	if v == nil {
		return ""
	}
	return screening.FormatScore(*v)
}

// RankingView is an opening's ranking with everything that stands in the way of proposals.
type RankingView struct {
	Opening     OpeningView          `json:"opening"`
	Provisional bool                 `json:"provisional"` // applications still open
	Rows        []RankingRow         `json:"rows"`
	Unscored    []ApplicationSummary `json:"unscored"`
	Absent      []ApplicationSummary `json:"absent"`  // 缺考: not ranked, never proposed
	Passing     int                  `json:"passing"` // rows at or above the pass mark, which come first
	Proposed    int                  `json:"proposed"`
	Hired       int                  `json:"hired"`    // passed the training (T-1); they hold their seats
	Blockers    []string             `json:"blockers"` // why proposals cannot be made now
	CanPropose  bool                 `json:"can_propose"`
}

// RankingRow is one candidate in the ranking.
type RankingRow struct {
	Rank        int                 `json:"rank"`
	Tied        bool                `json:"tied"`
	Application ApplicationSummary  `json:"application"`
	Score       string              `json:"score"`           // the recruitment score as entered
	Bonus       string              `json:"bonus,omitempty"` // bonus points (rule R-3 option), if the opening awards any
	Total       string              `json:"total"`           // score + bonus: what the ranking compares
	ExtraScore  string              `json:"extra_score,omitempty"`
	Verified    []string            `json:"verified_preferences"`   // labels, in chain order
	Unverified  []string            `json:"unverified_preferences"` // claimed, not (yet) accepted
	VsNext      *screening.Decision `json:"vs_next,omitempty"`
	WithinSeats bool                `json:"within_seats"`
	// BelowPassMark: the score is under the opening's pass mark (合格分数线); such candidates
	// are listed after those who passed and never proposed.
	BelowPassMark bool `json:"below_pass_mark,omitempty"`
}

// ranking builds an opening's ranking inside st (the pool or a transaction): candidates with
// their verified preferences, the order, the seats and what blocks proposals. It also returns
// the applications it read.
func (s *Service) ranking(ctx context.Context, st *models.Store, o *models.Opening) (*RankingView, []models.Application, error) {
	r, err := decodeOpening(o)
	if err != nil {
		return nil, nil, err
	}
	apps, err := st.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
	if err != nil {
		return nil, nil, err
	}
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	items, err := st.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	itemsOf := map[uint64][]models.ReviewItem{}
	for _, it := range items {
		itemsOf[it.ApplicationID] = append(itemsOf[it.ApplicationID], it)
	}
	today := s.today()
	v := &RankingView{Opening: *s.viewOf(r), Provisional: !today.After(r.close)}
	var cands, failed []screening.Candidate
	byKey := map[string]*models.Application{}
	pendingApps, pendingItems, identity := 0, 0, 0
	for i := range apps {
		a := &apps[i]
		switch a.Status {
		case models.AppPendingReview:
			pendingApps++
			continue
		case models.AppEligible, models.AppProposed, models.AppHired:
		default:
			continue
		}
		for _, it := range itemsOf[a.ID] {
			switch {
			case it.Status != models.ReviewPending:
			case it.Kind == models.ReviewIdentity:
				identity++
			default:
				pendingItems++
			}
		}
		switch a.Status {
		case models.AppProposed:
			v.Proposed++
		case models.AppHired:
			v.Hired++
		}
		if a.Absent {
			v.Absent = append(v.Absent, summaryOf(a, o))
			continue
		}
		if a.Score == nil {
			v.Unscored = append(v.Unscored, summaryOf(a, o))
			continue
		}
		c := screening.Candidate{Key: strconv.FormatUint(a.ID, 10), Score: *a.Score, ExtraScore: a.ExtraScore,
			Prefs: map[screening.Preference]bool{}}
		for _, it := range itemsOf[a.ID] {
			if p, ok := prefOfItem[it.Kind]; ok && it.Status == models.ReviewApproved {
				c.Prefs[p] = true
				// Rule R-3's explicit option: verified preferences add their bonus to the score.
				// Equal totals still go down the preference chain.
				c.Score += r.bonus[p]
			}
		}
		byKey[c.Key] = a
		// The pass mark applies to the score itself, before any bonus points.
		if r.pass != nil && *a.Score < *r.pass {
			failed = append(failed, c)
			continue
		}
		cands = append(cands, c)
	}
	ranked := screening.Rank(cands, r.chain)
	hires, _ := screening.ProposedCut(ranked, o.Seats)
	below := screening.Rank(failed, r.chain)
	for i := range below {
		below[i].Rank += len(ranked)
	}
	for i, rk := range append(ranked, below...) {
		a := byKey[rk.Key]
		row := RankingRow{Rank: rk.Rank, Tied: rk.Tied, Application: summaryOf(a, o), Score: screening.FormatScore(*a.Score),
			Total: screening.FormatScore(rk.Score), ExtraScore: fmtScore(rk.ExtraScore), VsNext: rk.VsNext, WithinSeats: i < len(hires),
			BelowPassMark: i >= len(ranked)}
		if bonus := rk.Score - *a.Score; bonus > 0 {
			row.Bonus = screening.FormatScore(bonus)
		}
		if len(r.bonus) > 0 && rk.VsNext != nil {
			// With bonus points the ranking compares totals: say so.
			d := *rk.VsNext
			d.Message = strings.Replace(d.Message, "成绩", "总分", 1)
			row.VsNext = &d
		}
		for _, p := range r.chain {
			if rk.Prefs[p] {
				row.Verified = append(row.Verified, p.Label())
			}
		}
		for _, it := range itemsOf[a.ID] {
			if p, ok := prefOfItem[it.Kind]; ok && it.Status != models.ReviewApproved {
				row.Unverified = append(row.Unverified, p.Label()+"（"+ReviewStatusLabel(it.Status)+"）")
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if v.Provisional {
		v.Blockers = append(v.Blockers, fmt.Sprintf("报名尚未截止（%s 截止），排名为临时排名", r.close.Chinese()))
	}
	if pendingApps > 0 {
		v.Blockers = append(v.Blockers, fmt.Sprintf("还有 %d 份报名待复核放宽条件", pendingApps))
	}
	if pendingItems > 0 {
		v.Blockers = append(v.Blockers, fmt.Sprintf("还有 %d 项证明材料待核实（影响优先条件）", pendingItems))
	}
	if identity > 0 {
		v.Blockers = append(v.Blockers, fmt.Sprintf("还有 %d 份报名的身份证号码与其他报名相同，须核实身份", identity))
	}
	if len(v.Unscored) > 0 {
		v.Blockers = append(v.Blockers, fmt.Sprintf("还有 %d 名合格考生未录入成绩", len(v.Unscored)))
	}
	if v.Proposed+v.Hired >= o.Seats {
		v.Blockers = append(v.Blockers, "拟录用人数已满")
	}
	if len(v.Rows) > 0 && len(ranked) == 0 {
		v.Blockers = append(v.Blockers, "没有考生达到合格分数线 "+screening.FormatScore(*r.pass))
	}
	v.Passing = len(ranked)
	v.CanPropose = len(v.Blockers) == 0 && len(ranked) > 0
	return v, apps, nil
}

// Ranking shows an opening's ranking to an admin who manages it.
func (s *Service) Ranking(ctx context.Context, actor models.Actor, openingID uint64) (*RankingView, error) {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningPublished {
		return nil, models.Conflict("not_published", "岗位尚未发布")
	}
	v, _, err := s.ranking(ctx, s.store, o)
	return v, err
}

// Propose makes the top-ranked candidates proposed hires (拟录用) until the seats are filled.
// A tie across the last seat is never broken silently: those above it are proposed and the
// tied candidates need an extra test (加试) first.
func (s *Service) Propose(ctx context.Context, actor models.Actor, openingID uint64) (*RankingView, error) {
	if _, err := s.adminOpening(ctx, actor, openingID); err != nil {
		return nil, err
	}
	var fill filled
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, openingID)
		if err != nil {
			return err
		}
		fill, err = s.fillSeats(ctx, tx, actor, o, "")
		if err != nil || o.ScoresFrozenAt != nil || fill.proposed == 0 {
			return err
		}
		// Rule R-1: from the first proposals on, the ranking they came from is frozen.
		now := s.clock.Now()
		return tx.SetScoresFrozen(ctx, o.ID, &now)
	})
	if err != nil {
		return nil, err
	}
	if fill.tieRank > 0 {
		return nil, models.Conflict("tie_at_boundary",
			"已确定 %d 名拟录用人员；第 %d 名起成绩及优先条件相同，须组织加试并录入加试成绩后再确定", fill.proposed, fill.tieRank)
	}
	return s.Ranking(ctx, actor, openingID)
}

// filled is what fillSeats did: how many it proposed and, if a tie across the last seat left
// seats empty, the rank of the tied group.
type filled struct {
	proposed int
	tieRank  int
}

// fillSeats proposes candidates in ranking order into free seats.
func (s *Service) fillSeats(ctx context.Context, tx *models.Store, actor models.Actor, o *models.Opening, reason string) (filled, error) {
	var out filled
	v, apps, err := s.ranking(ctx, tx, o)
	if err != nil {
		return out, err
	}
	if !v.CanPropose {
		if v.Proposed+v.Hired >= o.Seats {
			return out, models.Conflict("seats_filled", "拟录用人数已满")
		}
		if len(v.Rows) == 0 || len(v.Blockers) == 0 {
			return out, models.Conflict("nobody_to_propose", "没有可确定的拟录用人员")
		}
		return out, models.Conflict("cannot_propose", "暂不能确定拟录用人员：%s", strings.Join(v.Blockers, "；"))
	}
	byID := map[uint64]*models.Application{}
	for i := range apps {
		byID[apps[i].ID] = &apps[i]
	}
	now := s.clock.Now()
	within := 0
	for _, row := range v.Rows {
		if !row.WithinSeats {
			break
		}
		within++
		a := byID[row.Application.ID]
		if a.Status != models.AppEligible {
			continue
		}
		if err := tx.UpdateApplication(ctx, a.ID, []string{models.AppEligible},
			map[string]any{"status": models.AppProposed, "proposed_at": now, "proposed_rank": row.Rank}); err != nil {
			return out, err
		}
		msg, action := fmt.Sprintf("排名第 %d 名，确定为拟录用人员，%s", row.Rank, nextAfterProposal(o)), "application.propose"
		if reason != "" {
			msg, action = fmt.Sprintf("递补为拟录用人员（排名第 %d 名），%s", row.Rank, nextAfterProposal(o)), "application.replace"
		}
		if err := tx.AddEvents(ctx, models.Event{ApplicationID: a.ID, At: now, Kind: "proposed", Message: msg}); err != nil {
			return out, err
		}
		if err := s.audit(ctx, tx, actor, action, "application", a.ID, &o.TownID, reason,
			map[string]any{"rank": row.Rank, "score": row.Score}); err != nil {
			return out, err
		}
		out.proposed++
	}
	if within < o.Seats && within < v.Passing {
		out.tieRank = v.Rows[within].Rank
	}
	if out.proposed == 0 && out.tieRank == 0 {
		return out, models.Conflict("nobody_to_propose", "没有可确定的拟录用人员")
	}
	return out, nil
}

// DropOut records that a proposed hire left (放弃) and proposes the next ranked candidate in
// their place (递补), with an audit entry. If nobody can move up yet (a tie, pending reviews,
// nobody left), the drop-out still stands and the ranking says why the seat is empty.
func (s *Service) DropOut(ctx context.Context, actor models.Actor, appID uint64, reason string) (*RankingView, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, fieldErr("reason", "请填写放弃原因（不超过 500 字）")
	}
	app, o, err := s.managedApplication(ctx, actor, appID)
	if err != nil {
		return nil, err
	}
	if app.Status != models.AppProposed {
		return nil, models.Conflict("not_proposed", "只有拟录用人员可以登记放弃")
	}
	var notFilled []string
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, a, err := lockedApplication(ctx, tx, o.ID, app.ID)
		if err != nil {
			return err
		}
		notFilled, err = s.vacate(ctx, tx, actor, o, a, vacancy{status: models.AppDroppedOut, kind: "dropped_out",
			why: "放弃", message: "放弃拟录用：" + reason, action: "application.drop_out", reason: reason, detail: map[string]any{}})
		return err
	})
	if err != nil {
		return nil, err
	}
	v, err := s.Ranking(ctx, actor, o.ID)
	if err != nil {
		return nil, err
	}
	v.Blockers = append(v.Blockers, notFilled...)
	return v, nil
}

// lockedApplication takes the opening's row lock inside tx and reads the application again
// under it, so what a decision reads no concurrent decision on the opening can change.
func lockedApplication(ctx context.Context, tx *models.Store, openingID, appID uint64) (*models.Opening, *models.Application, error) {
	o, err := tx.LockOpening(ctx, openingID)
	if err != nil {
		return nil, nil, err
	}
	a, err := tx.ApplicationByID(ctx, appID)
	if err != nil {
		return nil, nil, err
	}
	return o, a, nil
}

// vacancy is how a proposed hire leaves their seat: the status (or columns) written, the
// timeline event (and notice, when dedup is set), the audit entry.
type vacancy struct {
	status, kind, message, action, reason string
	cols                                  map[string]any // instead of status, when more is written
	dedup, title                          string
	why                                   string // for the replacement's audit entry: 放弃, 体检不合格…
	detail                                any
}

// vacate takes a proposed hire out of their seat inside tx (which holds the opening's row lock)
// and proposes the next ranked candidate in their place (递补). If nobody can move up yet (a
// tie, pending reviews, nobody left), the vacancy still stands and the returned lines say why
// the seat is empty.
func (s *Service) vacate(ctx context.Context, tx *models.Store, actor models.Actor, o *models.Opening, a *models.Application, v vacancy) ([]string, error) {
	cols := v.cols
	if cols == nil {
		cols = map[string]any{"status": v.status}
	}
	if err := tx.UpdateApplication(ctx, a.ID, []string{models.AppProposed}, cols); err != nil {
		return nil, err
	}
	var err error
	if v.dedup != "" {
		err = s.tell(ctx, tx, a, v.kind, v.dedup, v.title, v.message)
	} else {
		err = tx.AddEvents(ctx, models.Event{ApplicationID: a.ID, At: s.clock.Now(), Kind: v.kind, Message: v.message})
	}
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, tx, actor, v.action, "application", a.ID, &o.TownID, v.reason, v.detail); err != nil {
		return nil, err
	}
	fill, err := s.fillSeats(ctx, tx, actor, o, "递补："+a.Name+" "+v.why)
	var out []string
	if err != nil && errorsIsConflict(err) {
		out, err = append(out, "未能自动递补："+err.Error()), nil
	}
	if fill.tieRank > 0 {
		out = append(out, fmt.Sprintf("未能自动递补：第 %d 名起成绩及优先条件相同，须加试", fill.tieRank))
	}
	return out, err
}

func errorsIsConflict(err error) bool {
	e, ok := models.AsError(err)
	return ok && e.Kind == models.ErrConflict
}

// ProposedHires lists every proposed hire in the actor's scope: trainers see the whole district
// (they run the unified pre-job training, rule T-1), town admins their town.
func (s *Service) ProposedHires(ctx context.Context, actor models.Actor) ([]ApplicationSummary, error) {
	if actor.Role != models.RoleTrainer && !actor.IsAdmin() {
		return nil, models.Deny(actor, "无权查看拟录用人员")
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{TownID: actor.TownScope(), Statuses: []string{models.AppProposed}})
	if err != nil {
		return nil, err
	}
	openings, err := s.openingsOf(ctx, apps)
	if err != nil {
		return nil, err
	}
	pubs, pending, err := s.proposalState(ctx, s.store, apps)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make([]ApplicationSummary, 0, len(apps))
	for i := range apps {
		sum := summaryOf(&apps[i], openings[apps[i].OpeningID])
		// What keeps the proposal from the training (its steps, its 公示); "" when it may sit.
		sum.Waiting = clearance(openings[apps[i].OpeningID], &apps[i], pubs, pending, today)
		out = append(out, sum)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Town < out[j].Town })
	return out, nil
}
