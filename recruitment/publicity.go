package recruitment

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/screening"
)

// 公示 and the steps after ranking (docs/decisions.md, "公示 and the steps after ranking").
//
// A proposal (拟录用, from the ranking) goes through the opening's enabled steps — 体检 (rule
// A2-5: the physical declaration is confirmed by a check) and 考察/政审 — and then a public
// 拟录用人员公示 of PublicityDays working days. It is final, and only then may it sit the unified
// pre-job training (rule T-1, exams/training), when every enabled step passed and its 公示 ended
// without an objection upheld or undecided. A failed step or an upheld objection cancels the
// proposal (取消拟录用资格) and the seat goes to the next ranked candidate (递补), who goes
// through the same steps and a 公示 of their own.

// Limits of the settings.
const (
	DefaultPublicityDays = 5
	MaxPublicityDays     = 30
)

// Steps after ranking.
const (
	StepMedical = "medical" // 体检
	StepVetting = "vetting" // 考察/政审
)

// StepLabel names a step in Chinese.
func StepLabel(step string) string {
	switch step {
	case StepMedical:
		return "体检"
	case StepVetting:
		return "考察（政审）"
	}
	return step
}

// AfterRankingInput is an opening's settings for the steps after ranking.
type AfterRankingInput struct {
	PublicityDays      int    `json:"publicity_days"` // 0: no 公示 in the portal
	MedicalCheck       bool   `json:"medical_check"`
	Vetting            bool   `json:"vetting"`
	SupervisionPhone   string `json:"supervision_phone"`
	SupervisionAddress string `json:"supervision_address"`
}

var phoneRE = regexp.MustCompile(`^[0-9][0-9 \-()（）转]{5,30}$`)

// check trims and validates the settings, adding field errors to fe.
func (in AfterRankingInput) check(fe models.FieldErrors) AfterRankingInput {
	in.SupervisionPhone = strings.TrimSpace(in.SupervisionPhone)
	in.SupervisionAddress = strings.TrimSpace(in.SupervisionAddress)
	if in.PublicityDays < 0 || in.PublicityDays > MaxPublicityDays {
		fe.Add("publicity_days", fmt.Sprintf("公示期须为 1 至 %d 个工作日（0 表示不在本系统公示）", MaxPublicityDays))
	}
	if in.SupervisionPhone != "" && (!phoneRE.MatchString(in.SupervisionPhone) || utf8.RuneCountInString(in.SupervisionPhone) > 32) {
		fe.Add("supervision_phone", "监督电话只能含数字、空格、连字符和括号，例如 0513-82212345")
	}
	if n := utf8.RuneCountInString(in.SupervisionAddress); n > 200 || strings.ContainsAny(in.SupervisionAddress, "<>") {
		fe.Add("supervision_address", "监督地址最多 200 字，不能含 < >")
	}
	return in
}

func settingsOf(o *models.Opening) AfterRankingInput {
	return AfterRankingInput{PublicityDays: o.PublicityDays, MedicalCheck: o.MedicalCheck, Vetting: o.Vetting,
		SupervisionPhone: o.SupervisionPhone, SupervisionAddress: o.SupervisionAddress}
}

// stepsStarted reports whether anything of the steps after ranking has happened on the opening:
// then its steps and 公示期 may no longer change (the phone and address still may).
func stepsStarted(pubs []models.Publicity, apps []models.Application) bool {
	if len(pubs) > 0 {
		return true
	}
	for _, a := range apps {
		if a.MedicalResult != "" || a.VettingResult != "" {
			return true
		}
	}
	return false
}

// SetAfterRanking changes an opening's steps after ranking, audited. The 公示期 and the steps
// are fixed once the first step result or 公示 is recorded, so nobody's path changes midway.
func (s *Service) SetAfterRanking(ctx context.Context, actor models.Actor, openingID uint64, in AfterRankingInput) (*AfterRankingView, error) {
	if _, err := s.adminOpening(ctx, actor, openingID); err != nil {
		return nil, err
	}
	fe := models.FieldErrors{}
	in = in.check(fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, openingID)
		if err != nil {
			return err
		}
		old := settingsOf(o)
		pubs, err := tx.PublicitiesOf(ctx, o.ID)
		if err != nil {
			return err
		}
		apps, err := tx.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
		if err != nil {
			return err
		}
		if stepsStarted(pubs, apps) && (old.PublicityDays != in.PublicityDays || old.MedicalCheck != in.MedicalCheck || old.Vetting != in.Vetting) {
			return models.Conflict("steps_started", "已开始公示或已登记体检、考察结果，公示期和环节设置不能再修改（监督电话和地址仍可修改）")
		}
		if err := tx.SetOpeningAfterRanking(ctx, o.ID, map[string]any{
			"publicity_days": in.PublicityDays, "medical_check": in.MedicalCheck, "vetting": in.Vetting,
			"supervision_phone": in.SupervisionPhone, "supervision_address": in.SupervisionAddress,
		}); err != nil {
			return err
		}
		s.forget(o.ID)
		return s.audit(ctx, tx, actor, "opening.after_ranking", "opening", o.ID, &o.TownID, "",
			map[string]any{"old": old, "new": in})
	})
	if err != nil {
		return nil, err
	}
	return s.AfterRanking(ctx, actor, openingID)
}

// nextAfterProposal is what a new proposal waits for, as its holder is told.
func nextAfterProposal(o *models.Opening) string {
	if steps := enabledSteps(o); len(steps) > 0 {
		return "请留意" + StepLabel(steps[0]) + "安排"
	}
	if o.PublicityDays > 0 {
		return "将进行拟录用人员公示"
	}
	return "待参加区统一岗前培训"
}

// stepResult is one step's state for a proposal.
func stepResult(a *models.Application, step string) (result, on, note string) {
	if step == StepMedical {
		return a.MedicalResult, a.MedicalOn, a.MedicalNote
	}
	return a.VettingResult, a.VettingOn, a.VettingNote
}

// enabledSteps lists the opening's steps, in the order they are done.
func enabledSteps(o *models.Opening) []string {
	var out []string
	if o.MedicalCheck {
		out = append(out, StepMedical)
	}
	if o.Vetting {
		out = append(out, StepVetting)
	}
	return out
}

// stepsBlocker is what keeps a proposal from its 公示: an enabled step without a pass.
func stepsBlocker(o *models.Opening, a *models.Application) string {
	for _, st := range enabledSteps(o) {
		if r, _, _ := stepResult(a, st); r != models.StepPass {
			return "待" + StepLabel(st)
		}
	}
	return ""
}

// clearance says what keeps a proposal from being final ("" when it is final): a step, its
// 公示 not started, running or with an undecided objection.
func clearance(o *models.Opening, a *models.Application, pubs map[uint64]*models.Publicity, pending map[uint64]int, today screening.Date) string {
	if a.Status != models.AppProposed {
		return StatusLabel(a.Status)
	}
	if b := stepsBlocker(o, a); b != "" {
		return b
	}
	if o.PublicityDays == 0 {
		return ""
	}
	if a.PublicityID == nil {
		return "待公示"
	}
	p := pubs[*a.PublicityID]
	if p == nil {
		return "待公示"
	}
	end, err := screening.ParseDate(p.EndsOn)
	if err != nil || !today.After(end) {
		return "公示中（至 " + p.EndsOn + "）"
	}
	if pending[a.ID] > 0 {
		return "公示期间的异议待处理"
	}
	return ""
}

// proposalState loads what clearance needs for some applications of an opening, inside st.
func (s *Service) proposalState(ctx context.Context, st *models.Store, apps []models.Application) (map[uint64]*models.Publicity, map[uint64]int, error) {
	var pubIDs, appIDs []uint64
	for _, a := range apps {
		appIDs = append(appIDs, a.ID)
		if a.PublicityID != nil {
			pubIDs = append(pubIDs, *a.PublicityID)
		}
	}
	pubs, err := st.PublicitiesByIDs(ctx, pubIDs)
	if err != nil {
		return nil, nil, err
	}
	objs, err := st.ObjectionsOf(ctx, appIDs)
	if err != nil {
		return nil, nil, err
	}
	pending := map[uint64]int{}
	for _, ob := range objs {
		if ob.Outcome == "" {
			pending[ob.ApplicationID]++
		}
	}
	return pubs, pending, nil
}

// FinalProposals reports, for proposals of opening o read inside st, which are final: their
// enabled steps passed and their 公示 ended without an upheld or undecided objection. Only these
// may be scheduled for the unified pre-job training (rule T-1; docs/decisions.md).
func (s *Service) FinalProposals(ctx context.Context, st *models.Store, o *models.Opening, apps []models.Application) (map[uint64]bool, error) {
	pubs, pending, err := s.proposalState(ctx, st, apps)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := make(map[uint64]bool, len(apps))
	for i := range apps {
		out[apps[i].ID] = clearance(o, &apps[i], pubs, pending, today) == ""
	}
	return out, nil
}

// StartPublicity publishes the opening's proposals that are ready for it (enabled steps passed,
// not yet published) in a new 公示 of PublicityDays working days from today (China), weekends,
// holidays and 调休 workdays as the district's calendar has them. Audited; each applicant sees it.
func (s *Service) StartPublicity(ctx context.Context, actor models.Actor, openingID uint64) (*AfterRankingView, error) {
	if _, err := s.adminOpening(ctx, actor, openingID); err != nil {
		return nil, err
	}
	now, today := s.clock.Now(), s.today()
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, openingID)
		if err != nil {
			return err
		}
		switch {
		case o.Status != models.OpeningPublished:
			return models.Conflict("not_published", "岗位尚未发布")
		case o.PublicityDays == 0:
			return models.Conflict("no_publicity", "本岗位设置为不在本系统公示")
		case o.SupervisionPhone == "" || o.SupervisionAddress == "":
			return models.Conflict("no_supervision", "请先在“公示与后续环节设置”中填写监督电话和监督地址")
		}
		apps, err := tx.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID, Statuses: []string{models.AppProposed}})
		if err != nil {
			return err
		}
		var ready []models.Application
		waiting := 0
		for _, a := range apps {
			switch {
			case a.PublicityID != nil:
			case stepsBlocker(o, &a) != "":
				waiting++
			default:
				ready = append(ready, a)
			}
		}
		if len(ready) == 0 {
			if waiting > 0 {
				return models.Conflict("steps_pending", "有 %d 名拟录用人员的体检或考察尚未登记合格，合格后才能公示", waiting)
			}
			return models.Conflict("nobody_to_publish", "没有待公示的拟录用人员")
		}
		cal, _, err := s.calendar(ctx, tx, today.Year, today.Year+1)
		if err != nil {
			return err
		}
		first, last := cal.Period(today, o.PublicityDays)
		p := &models.Publicity{OpeningID: o.ID, StartsOn: first.String(), EndsOn: last.String(), Days: o.PublicityDays,
			Phone: o.SupervisionPhone, Address: o.SupervisionAddress, StartedBy: actor.UserID, StartedAt: now}
		if err := tx.CreatePublicity(ctx, p); err != nil {
			return err
		}
		ranks, err := s.ranksOf(ctx, tx, o)
		if err != nil {
			return err
		}
		ids := make([]uint64, 0, len(ready))
		for _, a := range ready {
			if err := tx.UpdateApplication(ctx, a.ID, []string{models.AppProposed}, map[string]any{"publicity_id": p.ID}); err != nil {
				return err
			}
			msg := fmt.Sprintf("拟录用人员公示：%s 至 %s（%d 个工作日），排名第 %d 名；公示期满无异议后参加区统一岗前培训",
				first.Chinese(), last.Chinese(), o.PublicityDays, ranks[a.ID])
			if err := s.tell(ctx, tx, &a, "publicity", fmt.Sprintf("recruitment:app:%d:publicity:%d", a.ID, p.ID), "拟录用人员公示", msg); err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		return s.audit(ctx, tx, actor, "publicity.start", "publicity", p.ID, &o.TownID, "",
			map[string]any{"opening": o.ID, "starts_on": p.StartsOn, "ends_on": p.EndsOn, "days": p.Days, "applications": ids})
	})
	if err != nil {
		return nil, err
	}
	return s.AfterRanking(ctx, actor, openingID)
}

// ranksOf is each ranked application's place in the opening's ranking (frozen once proposals
// are made, rule R-1), and for a proposal that has left the ranking since (cancelled, not
// hired, dropped out) the rank it was proposed at.
func (s *Service) ranksOf(ctx context.Context, st *models.Store, o *models.Opening) (map[uint64]int, error) {
	v, apps, err := s.ranking(ctx, st, o)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64]int, len(v.Rows))
	for _, a := range apps {
		if a.ProposedRank > 0 {
			out[a.ID] = a.ProposedRank
		}
	}
	for _, r := range v.Rows {
		out[r.Application.ID] = r.Rank
	}
	return out, nil
}

// tell adds an event to an application's timeline and sends its owner the same as an in-app
// notice (when the notice outbox is wired), both inside tx.
func (s *Service) tell(ctx context.Context, tx *models.Store, a *models.Application, kind, dedup, title, msg string) error {
	if err := tx.AddEvents(ctx, models.Event{ApplicationID: a.ID, At: s.clock.Now(), Kind: kind, Message: msg}); err != nil {
		return err
	}
	if s.notices == nil {
		return nil
	}
	_, err := s.notices.Notify(ctx, tx, noticeMessage(a, kind, dedup, title, msg))
	return err
}

// ObjectionInput is an objection as the admin records it.
type ObjectionInput struct {
	Objector   string `json:"objector"` // who raised it: a name, a unit, or 匿名
	Content    string `json:"content"`
	ReceivedOn string `json:"received_on"` // YYYY-MM-DD, within the 公示期
}

// RecordObjection records an objection to a proposal received during its 公示. The proposal is
// not final until the objection is decided.
func (s *Service) RecordObjection(ctx context.Context, actor models.Actor, appID uint64, in ObjectionInput) (*AfterRankingView, error) {
	app, o, err := s.managedApplication(ctx, actor, appID)
	if err != nil {
		return nil, err
	}
	fe := models.FieldErrors{}
	in.Objector, in.Content = strings.TrimSpace(in.Objector), strings.TrimSpace(in.Content)
	if n := utf8.RuneCountInString(in.Objector); n == 0 || n > 64 {
		fe.Add("objector", "请填写反映人（姓名、单位，或“匿名”），不超过 64 字")
	}
	if n := utf8.RuneCountInString(in.Content); n == 0 || n > 1000 {
		fe.Add("content", "请填写反映的问题，不超过 1000 字")
	}
	received, derr := screening.ParseDate(strings.TrimSpace(in.ReceivedOn))
	if derr != nil {
		fe.Add("received_on", "请填写收到异议的日期（年-月-日）")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	now, today := s.clock.Now(), s.today()
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		_, a, err := lockedApplication(ctx, tx, o.ID, app.ID)
		if err != nil {
			return err
		}
		if a.Status != models.AppProposed || a.PublicityID == nil {
			return models.Conflict("not_in_publicity", "只能对公示中的拟录用人员登记异议")
		}
		ps, err := tx.PublicitiesByIDs(ctx, []uint64{*a.PublicityID})
		if err != nil {
			return err
		}
		p := ps[*a.PublicityID]
		if p == nil {
			return models.NotFound("公示")
		}
		start, _ := screening.ParseDate(p.StartsOn)
		end, _ := screening.ParseDate(p.EndsOn)
		if put := screening.DateOf(clock.InChina(p.StartedAt)); put.Before(start) {
			// Started on a weekend or holiday: the page was public before its first working day.
			start = put
		}
		switch {
		case today.After(end):
			// Once the period is over the proposal may already be final (scheduled for the
			// training, even hired); a back-dated objection would reopen it (docs/decisions.md:
			// an objection recorded after the period is refused).
			return models.Conflict("publicity_ended", "公示期已于 %s 结束，不能再登记异议", end.Chinese())
		case received.After(today):
			return fieldErr("received_on", "收到日期不能晚于今天")
		case received.Before(start) || received.After(end):
			return fieldErr("received_on", fmt.Sprintf("异议须在公示期内（%s 至 %s）收到", start.Chinese(), end.Chinese()))
		}
		ob := &models.Objection{PublicityID: p.ID, ApplicationID: a.ID, Objector: in.Objector, Content: in.Content,
			ReceivedOn: received.String(), RecordedBy: actor.UserID, RecordedAt: now}
		if err := tx.CreateObjection(ctx, ob); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx, models.Event{ApplicationID: a.ID, At: now, Kind: "objection",
			Message: "公示期间收到对您的异议反映，正在核查；核查结束前暂不参加岗前培训"}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "objection.record", "objection", ob.ID, &o.TownID, "",
			map[string]any{"application": a.ID, "publicity": p.ID, "received_on": ob.ReceivedOn, "objector": ob.Objector})
	})
	if err != nil {
		return nil, err
	}
	return s.AfterRanking(ctx, actor, o.ID)
}

// ObjectionDecision is the outcome of the check of an objection.
type ObjectionDecision struct {
	Outcome string `json:"outcome"` // models.ObjectionUpheld or models.ObjectionNotUpheld
	Reason  string `json:"reason"`
}

// DecideObjection records the outcome of an objection, audited. Upheld, the proposal is
// cancelled (取消拟录用资格) and the seat goes to 递补 as a drop-out's does; not upheld, the
// proposal stands (and is final once the 公示 has ended and nothing else is pending).
func (s *Service) DecideObjection(ctx context.Context, actor models.Actor, objectionID uint64, in ObjectionDecision) (*AfterRankingView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以处理异议")
	}
	ob, err := s.store.ObjectionByID(ctx, objectionID)
	if err != nil {
		return nil, err
	}
	app, o, err := s.managedApplication(ctx, actor, ob.ApplicationID)
	if err != nil {
		return nil, models.NotFound("异议")
	}
	fe := models.FieldErrors{}
	if in.Outcome != models.ObjectionUpheld && in.Outcome != models.ObjectionNotUpheld {
		fe.Add("outcome", "请选择核查结论：属实或不属实")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 500 {
		fe.Add("reason", "请填写核查结论和理由（不超过 500 字），将告知拟录用人员")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	outcome, upheld := in.Outcome, in.Outcome == models.ObjectionUpheld
	var notFilled []string
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, a, err := lockedApplication(ctx, tx, o.ID, app.ID)
		if err != nil {
			return err
		}
		if a.Status != models.AppProposed {
			return models.Conflict("not_proposed", "%s 的状态已是“%s”，异议不再影响其拟录用", a.Name, StatusLabel(a.Status))
		}
		if err := tx.DecideObjection(ctx, ob.ID, outcome, in.Reason, actor.UserID, s.clock.Now()); err != nil {
			return err
		}
		dedup := fmt.Sprintf("recruitment:objection:%d", ob.ID)
		if !upheld {
			if err := s.tell(ctx, tx, a, "objection_not_upheld", dedup, "公示异议核查结果",
				"经核查，公示期间反映的问题不属实，维持拟录用："+in.Reason); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "objection.not_upheld", "objection", ob.ID, &o.TownID, in.Reason,
				map[string]any{"application": a.ID})
		}
		notFilled, err = s.vacate(ctx, tx, actor, o, a, vacancy{
			status: models.AppCancelled, kind: "objection_upheld", why: "公示异议属实", dedup: dedup, title: "取消拟录用资格",
			message: "经核查，公示期间反映的问题属实，取消拟录用资格：" + in.Reason,
			action:  "objection.upheld", reason: in.Reason, detail: map[string]any{"objection": ob.ID},
		})
		return err
	})
	return s.afterAction(ctx, actor, o.ID, notFilled, err)
}

// StepInput is a step's result as recorded.
type StepInput struct {
	Step   string `json:"step"`   // StepMedical or StepVetting
	Result string `json:"result"` // models.StepPass or models.StepFail
	On     string `json:"on"`     // the date of the check, YYYY-MM-DD
	Note   string `json:"note"`   // required when failed: it is told to the applicant
}

// RecordStep records a proposal's 体检 or 考察/政审 result, once, audited, with a notice to the
// applicant. A failure cancels the proposal and frees the seat for 递补.
func (s *Service) RecordStep(ctx context.Context, actor models.Actor, appID uint64, in StepInput) (*AfterRankingView, error) {
	app, o, err := s.managedApplication(ctx, actor, appID)
	if err != nil {
		return nil, err
	}
	fe := models.FieldErrors{}
	if in.Step != StepMedical && in.Step != StepVetting {
		fe.Add("step", "请选择体检或考察")
	}
	on, derr := screening.ParseDate(strings.TrimSpace(in.On))
	if derr != nil {
		fe.Add("on", "请填写日期（年-月-日）")
	} else if on.After(s.today()) {
		fe.Add("on", "日期不能晚于今天")
	}
	passed := in.Result == models.StepPass
	if !passed && in.Result != models.StepFail {
		fe.Add("result", "请选择合格或不合格")
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > 500 {
		fe.Add("note", "说明不超过 500 字")
	} else if in.Result == models.StepFail && in.Note == "" {
		fe.Add("note", "不合格须写明原因，将告知拟录用人员")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	label := StepLabel(in.Step)
	var notFilled []string
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, o.ID)
		if err != nil {
			return err
		}
		if (in.Step == StepMedical && !o.MedicalCheck) || (in.Step == StepVetting && !o.Vetting) {
			return models.Conflict("step_off", "本岗位未设置%s环节", label)
		}
		a, err := tx.ApplicationByID(ctx, app.ID)
		if err != nil {
			return err
		}
		if a.Status != models.AppProposed {
			return models.Conflict("not_proposed", "只能为拟录用人员登记%s结果", label)
		}
		if r, _, _ := stepResult(a, in.Step); r != "" {
			return models.Conflict("step_recorded", "%s 的%s结果已登记", a.Name, label)
		}
		if a.ProposedAt != nil && on.Before(screening.DateOf(clock.InChina(*a.ProposedAt))) {
			return fieldErr("on", "日期不能早于确定拟录用之日 "+screening.DateOf(clock.InChina(*a.ProposedAt)).Chinese())
		}
		cols := map[string]any{in.Step + "_result": in.Result, in.Step + "_on": on.String(), in.Step + "_note": in.Note}
		dedup := fmt.Sprintf("recruitment:app:%d:%s", a.ID, in.Step)
		if passed {
			if err := tx.UpdateApplication(ctx, a.ID, []string{models.AppProposed}, cols); err != nil {
				return err
			}
			msg := fmt.Sprintf("%s合格（%s）", label, on.Chinese())
			if in.Note != "" {
				msg += "：" + in.Note
			}
			if err := s.tell(ctx, tx, a, in.Step+"_pass", dedup, label+"结果通知", msg); err != nil {
				return err
			}
			return s.audit(ctx, tx, actor, "application."+in.Step+"_pass", "application", a.ID, &o.TownID, in.Note,
				map[string]any{"on": on.String()})
		}
		cols["status"] = models.AppCancelled
		notFilled, err = s.vacate(ctx, tx, actor, o, a, vacancy{
			cols: cols, kind: in.Step + "_fail", why: label + "不合格", dedup: dedup, title: label + "结果通知",
			message: fmt.Sprintf("%s不合格（%s）：%s；取消拟录用资格", label, on.Chinese(), in.Note),
			action:  "application." + in.Step + "_fail", reason: in.Note, detail: map[string]any{"on": on.String()},
		})
		return err
	})
	return s.afterAction(ctx, actor, o.ID, notFilled, err)
}

// afterAction answers an action with the opening's page and what the action could not do
// (notes: a seat it could not refill), or with its error.
func (s *Service) afterAction(ctx context.Context, actor models.Actor, openingID uint64, notes []string, err error) (*AfterRankingView, error) {
	if err != nil {
		return nil, err
	}
	v, err := s.AfterRanking(ctx, actor, openingID)
	if err == nil {
		v.Notes = append(v.Notes, notes...)
	}
	return v, err
}

// noticeMessage is the in-app notice of a step after ranking.
func noticeMessage(a *models.Application, kind, dedup, title, msg string) notices.Message {
	return notices.Message{UserID: a.UserID, Kind: "recruitment." + kind, DedupKey: dedup, Title: title, Body: msg,
		Link: fmt.Sprintf("/me/applications/%d", a.ID)}
}
