package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/models"
	"auxportal/screening"
)

// OpeningInput creates or edits a draft opening. Dates are YYYY-MM-DD in China.
type OpeningInput struct {
	Town            string          `json:"town"`    // town name, or
	TownID          uint64          `json:"town_id"` // town id
	Title           string          `json:"title"`
	Description     string          `json:"description"`
	Seats           int             `json:"seats"`
	OpensAt         string          `json:"opens_at"`
	ClosesAt        string          `json:"closes_at"`
	ReferenceDate   string          `json:"reference_date"` // default: ClosesAt
	Conditions      ConditionsInput `json:"conditions"`     // the town's extras over the base
	PreferenceChain []string        `json:"preference_chain"`
	// BonusPoints turns on the bonus-points policy (rule R-3's explicit option): preference →
	// points, e.g. {"veteran":"2"}. Empty: preferences only break ties.
	BonusPoints map[string]string `json:"bonus_points"`
	// PassMark is the minimum score (合格分数线) below which nobody is proposed, e.g. "60";
	// empty for none. It is frozen at publishing.
	PassMark string `json:"pass_mark"`
	// MakeupAllowed lets a proposed hire who fails the unified pre-job training exam sit one
	// makeup sitting before they are not hired (rule T-3).
	MakeupAllowed bool `json:"makeup_allowed"`
	// The steps after ranking (see AfterRankingInput). PublicityDays nil is the default of
	// DefaultPublicityDays working days; 0 runs no 公示 in the portal.
	PublicityDays      *int   `json:"publicity_days"`
	MedicalCheck       bool   `json:"medical_check"`
	Vetting            bool   `json:"vetting"`
	SupervisionPhone   string `json:"supervision_phone"`
	SupervisionAddress string `json:"supervision_address"`
}

// MaxBonus is the largest bonus one preference may carry, in hundredths (10 points).
const MaxBonus = 1000

// Window limits (rules A2-3, R-1). Ages count on the reference date, so every date that moves
// it is bounded: docs/decisions.md explains the figures.
const (
	// MaxBackdateDays is how far before the day of publishing an application window may open:
	// a notice put up on paper a day or two before the portal is normal; years are not.
	MaxBackdateDays = 3
	// MaxLeadDays is how far ahead a window may open.
	MaxLeadDays = 365
	// MaxWindowDays is the longest application window, extensions included.
	MaxWindowDays = 90
	// MaxExtensionDays is how much one extension may add to the deadline.
	MaxExtensionDays = 30
	// ExtendGraceDays is how long after its deadline a closed opening may still be extended
	// (reopened), and only while it has no scores and no proposals.
	ExtendGraceDays = 7
)

// openingRules is an opening decoded: what the screening engine needs.
type openingRules struct {
	row   *models.Opening
	cond  screening.Conditions
	ref   screening.Date
	opens screening.Date
	close screening.Date
	chain []screening.Preference
	bonus map[screening.Preference]int64 // hundredths; empty unless the opening awards bonus points
	pass  *int64                         // the pass mark in hundredths; nil for none
}

func decodeOpening(o *models.Opening) (*openingRules, error) {
	r := &openingRules{row: o}
	if err := json.Unmarshal([]byte(o.Conditions), &r.cond); err != nil {
		return nil, fmt.Errorf("opening %d conditions: %w", o.ID, err)
	}
	var chain []string
	if err := json.Unmarshal([]byte(o.PreferenceChain), &chain); err != nil {
		return nil, fmt.Errorf("opening %d preference chain: %w", o.ID, err)
	}
	var err error
	if r.chain, err = screening.ParsePreferenceChain(chain); err != nil {
		return nil, fmt.Errorf("opening %d preference chain: %w", o.ID, err)
	}
	if o.BonusPoints != "" {
		if err := json.Unmarshal([]byte(o.BonusPoints), &r.bonus); err != nil {
			return nil, fmt.Errorf("opening %d bonus points: %w", o.ID, err)
		}
	}
	r.pass = o.PassMark
	for _, d := range []struct {
		dst *screening.Date
		s   string
	}{{&r.ref, o.ReferenceDate}, {&r.opens, o.OpensAt}, {&r.close, o.ClosesAt}} {
		if *d.dst, err = screening.ParseDate(d.s); err != nil {
			return nil, fmt.Errorf("opening %d dates: %w", o.ID, err)
		}
	}
	return r, nil
}

// acceptingOn reports whether applications are accepted on day.
// accepting is nil on a day the opening takes applications, and the reason it does not otherwise.
func (r *openingRules) accepting(today screening.Date) error {
	if r.acceptingOn(today) {
		return nil
	}
	if today.Before(r.opens) {
		return models.Conflict("not_open_yet", "报名尚未开始（%s 开始）", r.opens.Chinese())
	}
	return models.Conflict("closed", "报名已于 %s 截止", r.close.Chinese())
}

func (r *openingRules) acceptingOn(day screening.Date) bool {
	return r.row.Status == models.OpeningPublished && !day.Before(r.opens) && !day.After(r.close)
}

// checkWindow bounds an opening's dates on day, the day it is saved or published (rule A2-3:
// ages count on the reference date). The reference date lies between day (and the opening
// date) and the deadline, so it can neither make a 13-year-old 18 by lying years ahead nor make
// a 50-year-old 39 by lying years back; the window cannot be backdated by more than a few days
// or run for more than MaxWindowDays.
func checkWindow(fe models.FieldErrors, opens, closes, ref, day screening.Date) {
	if opens.IsZero() || closes.IsZero() || ref.IsZero() {
		return
	}
	switch {
	case opens.Before(day.AddDays(-MaxBackdateDays)):
		fe.Add("opens_at", fmt.Sprintf("报名开始日期最早只能是 %s（不能早于发布之日 %d 天以上）", day.AddDays(-MaxBackdateDays).Chinese(), MaxBackdateDays))
	case opens.After(day.AddDays(MaxLeadDays)):
		fe.Add("opens_at", fmt.Sprintf("报名开始日期不能晚于 %s", day.AddDays(MaxLeadDays).Chinese()))
	}
	switch {
	case closes.Before(opens):
		fe.Add("closes_at", "报名截止日期不能早于开始日期")
	case closes.Before(day):
		fe.Add("closes_at", "报名截止日期已过，请修改日期")
	case closes.After(opens.AddDays(MaxWindowDays)):
		fe.Add("closes_at", fmt.Sprintf("报名期最长 %d 天，截止日期不能晚于 %s", MaxWindowDays, opens.AddDays(MaxWindowDays).Chinese()))
	}
	earliest := opens
	if day.After(earliest) {
		earliest = day
	}
	if ref.Before(earliest) || ref.After(closes) {
		fe.Add("reference_date", fmt.Sprintf("年龄计算基准日须在 %s 至报名截止日 %s 之间（默认为截止日）", earliest.Chinese(), closes.Chinese()))
	}
}

// checkFloor enforces Attachment 2 as the floor of every condition (rules A2-2, A2-3, A2-4).
func checkFloor(c screening.Conditions) error {
	if err := c.CheckAttachment2(); err != nil {
		return models.Invalid("relaxes_attachment_2", "招聘条件不得低于附件2的基本条件：%s", err.Error())
	}
	return nil
}

// validateOpening turns input into a draft opening row, checking every field, the window on
// today and rules R-2 and A2-2…A2-4.
func (s *Service) validateOpening(ctx context.Context, actor models.Actor, in OpeningInput, base screening.Conditions) (*models.Opening, error) {
	fe := models.FieldErrors{}
	var town *models.Town
	var err error
	switch {
	case in.TownID != 0:
		town, err = s.store.TownByID(ctx, in.TownID)
	case strings.TrimSpace(in.Town) != "":
		town, err = s.store.TownByName(ctx, strings.TrimSpace(in.Town))
	default:
		err = models.NotFound("区镇")
	}
	if err != nil {
		if _, ok := models.AsError(err); !ok {
			return nil, err
		}
		fe.Add("town", "请选择区镇（附件1所列区镇/街道）")
	} else if !actor.CanManageTown(town.ID) {
		return nil, models.Deny(actor, "您只能为本区镇发布招聘岗位")
	}
	in.Title = strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(in.Title); n < 2 || n > 100 {
		fe.Add("title", "岗位名称须为 2 至 100 个字")
	}
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > 5000 {
		fe.Add("description", "岗位说明不能超过 5000 字")
	}
	if in.Seats < 1 || in.Seats > 500 {
		fe.Add("seats", "招聘人数须为 1 至 500")
	}
	parse := func(field, v string) screening.Date {
		d, err := screening.ParseDate(strings.TrimSpace(v))
		if err != nil {
			fe.Add(field, "请填写有效日期（年-月-日）")
		}
		return d
	}
	opens := parse("opens_at", in.OpensAt)
	closes := parse("closes_at", in.ClosesAt)
	ref := closes
	if strings.TrimSpace(in.ReferenceDate) != "" {
		ref = parse("reference_date", in.ReferenceDate)
	}
	checkWindow(fe, opens, closes, ref, s.today())
	var pass *int64
	if v := strings.TrimSpace(in.PassMark); v != "" {
		n, err := screening.ParseScore(v)
		if err != nil || n == 0 {
			fe.Add("pass_mark", "合格分数线须为大于 0 的分数，最多两位小数（不设分数线请留空）")
		} else {
			pass = &n
		}
	}
	chain := screening.DefaultPreferenceChain()
	if in.PreferenceChain != nil {
		if chain, err = screening.ParsePreferenceChain(in.PreferenceChain); err != nil {
			fe.Add("preference_chain", "优先顺序有误："+err.Error())
		}
	}
	bonus := map[screening.Preference]int64{}
	for k, v := range in.BonusPoints {
		p := screening.Preference(k)
		if !p.Valid() {
			fe.Add("bonus_points", "加分项目无效："+k)
			continue
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		n, err := screening.ParseScore(v)
		if err != nil || n <= 0 || n > MaxBonus {
			fe.Add("bonus_points."+k, p.Label()+"的加分须大于 0、不超过 10 分，最多两位小数")
			continue
		}
		bonus[p] = n
	}
	cond, cerr := in.Conditions.apply(base)
	if cerr != nil {
		if e, ok := models.AsError(cerr); ok && e.Fields != nil {
			for k, v := range e.Fields {
				fe.Add("conditions."+k, v)
			}
		} else {
			fe.Add("conditions", cerr.Error())
		}
	} else if err := checkConditions(cond, &base); err != nil {
		fe.Add("conditions", err.Error())
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	cb, _ := json.Marshal(cond)
	chainStrs := make([]string, len(chain))
	for i, p := range chain {
		chainStrs[i] = string(p)
	}
	pb, _ := json.Marshal(chainStrs)
	bb, _ := json.Marshal(bonus)
	steps := AfterRankingInput{PublicityDays: DefaultPublicityDays, MedicalCheck: in.MedicalCheck, Vetting: in.Vetting,
		SupervisionPhone: in.SupervisionPhone, SupervisionAddress: in.SupervisionAddress}
	if in.PublicityDays != nil {
		steps.PublicityDays = *in.PublicityDays
	}
	steps = steps.check(fe)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return &models.Opening{BonusPoints: string(bb), PassMark: pass, MakeupAllowed: in.MakeupAllowed,
		PublicityDays: steps.PublicityDays, MedicalCheck: steps.MedicalCheck, Vetting: steps.Vetting,
		SupervisionPhone: steps.SupervisionPhone, SupervisionAddress: steps.SupervisionAddress,
		TownID: town.ID, Title: in.Title, Description: in.Description, Seats: in.Seats,
		OpensAt: opens.String(), ClosesAt: closes.String(), ReferenceDate: ref.String(),
		Conditions: string(cb), PreferenceChain: string(pb), Status: models.OpeningDraft, Town: *town,
	}, nil
}

// CreateOpening creates a draft opening for a town.
func (s *Service) CreateOpening(ctx context.Context, actor models.Actor, in OpeningInput) (*OpeningView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以创建招聘岗位")
	}
	base, err := s.BaseConditions(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.validateOpening(ctx, actor, in, base)
	if err != nil {
		return nil, err
	}
	o.CreatedBy = actor.UserID
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateOpening(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "opening.create", "opening", o.ID, &o.TownID, "",
			map[string]any{"title": o.Title, "seats": o.Seats})
	})
	if err != nil {
		return nil, err
	}
	return s.openingView(o)
}

// UpdateDraft edits an opening that is not yet published.
func (s *Service) UpdateDraft(ctx context.Context, actor models.Actor, id uint64, in OpeningInput) (*OpeningView, error) {
	cur, err := s.adminOpening(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if cur.Status != models.OpeningDraft {
		return nil, models.Conflict("opening_frozen", "岗位已发布，招聘条件已冻结，不能修改；如需延长报名时间请使用“延长截止日期”")
	}
	base, err := s.BaseConditions(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.validateOpening(ctx, actor, in, base)
	if err != nil {
		return nil, err
	}
	o.ID, o.CreatedBy, o.CreatedAt = cur.ID, cur.CreatedBy, cur.CreatedAt
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SaveOpening(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "opening.update", "opening", o.ID, &o.TownID, "", map[string]any{"title": o.Title})
	})
	if err != nil {
		return nil, err
	}
	return s.openingView(o)
}

// Publish freezes an opening's conditions and opens it to the public.
func (s *Service) Publish(ctx context.Context, actor models.Actor, id uint64) (*OpeningView, error) {
	o, err := s.adminOpening(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningDraft {
		return nil, models.Conflict("already_published", "该岗位已发布")
	}
	r, err := decodeOpening(o)
	if err != nil {
		return nil, err
	}
	if r.close.Before(s.today()) {
		return nil, models.Invalid("closes_in_past", "报名截止日期已过，请先修改日期再发布")
	}
	// Rule A2-3: the dates were checked on the day the draft was saved; publishing is the day
	// that counts.
	fe := models.FieldErrors{}
	checkWindow(fe, r.opens, r.close, r.ref, s.today())
	if len(fe) > 0 {
		e := models.Invalid("window_out_of_bounds", "报名日期或年龄计算基准日不符合发布要求，请先修改草稿：%s", strings.Join(fieldMessages(fe), "；"))
		e.Fields = fe
		return nil, e
	}
	// Rule R-2: the base may have changed since the draft was written; check again.
	base, err := s.BaseConditions(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkTightens(r.cond, base); err != nil {
		return nil, err
	}
	if err := checkFloor(r.cond); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	o.Status, o.PublishedAt, o.PublishedBy, o.UpdatedAt = models.OpeningPublished, &now, ptr(actor.UserID), now
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.PublishOpening(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "opening.publish", "opening", o.ID, &o.TownID, "",
			map[string]any{"conditions": r.cond, "reference_date": o.ReferenceDate, "closes_at": o.ClosesAt})
	})
	if err != nil {
		return nil, err
	}
	return s.openingView(o)
}

// ExtendDeadline moves a published opening's closing date later, with a reason in the audit log.
// The reference date for age stays as published, so nobody's eligibility changes. An opening
// may be extended while it takes applications, or within ExtendGraceDays after its deadline
// while nobody has a score, is marked absent or proposed (reopening a finished recruitment
// would let new applicants in behind the ranking); by at most MaxExtensionDays at a time and
// never beyond MaxWindowDays in all.
func (s *Service) ExtendDeadline(ctx context.Context, actor models.Actor, id uint64, closes, reason string) (*OpeningView, error) {
	o, err := s.adminOpening(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningPublished {
		return nil, models.Conflict("not_published", "岗位尚未发布，可直接修改草稿")
	}
	fe := models.FieldErrors{}
	d, err := screening.ParseDate(strings.TrimSpace(closes))
	if err != nil {
		fe.Add("closes_at", "请填写有效日期（年-月-日）")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		fe.Add("reason", "请填写延期原因（不超过 500 字）")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var old string
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, id)
		if err != nil {
			return err
		}
		r, err := decodeOpening(o)
		if err != nil {
			return err
		}
		today := s.today()
		if today.After(r.close.AddDays(ExtendGraceDays)) {
			return models.Conflict("extension_closed", "报名已于 %s 截止超过 %d 天，不能再延长", r.close.Chinese(), ExtendGraceDays)
		}
		if today.After(r.close) {
			if o.ScoresFrozenAt != nil {
				return models.Conflict("extension_closed", "已确定拟录用人员，不能重新开放报名")
			}
			n, err := tx.CountScored(ctx, o.ID)
			if err != nil {
				return err
			}
			if n > 0 {
				return models.Conflict("extension_closed", "报名已截止且已有 %d 名考生录入成绩或缺考，不能重新开放报名", n)
			}
		}
		fe := models.FieldErrors{}
		switch {
		case !d.After(r.close):
			fe.Add("closes_at", "新的截止日期须晚于原截止日期 "+o.ClosesAt)
		case !d.After(today):
			fe.Add("closes_at", "新的截止日期须晚于今天")
		case d.After(r.close.AddDays(MaxExtensionDays)):
			fe.Add("closes_at", fmt.Sprintf("每次最多延长 %d 天，即不晚于 %s", MaxExtensionDays, r.close.AddDays(MaxExtensionDays).Chinese()))
		case d.After(r.opens.AddDays(MaxWindowDays)):
			fe.Add("closes_at", fmt.Sprintf("报名期最长 %d 天，截止日期不能晚于 %s", MaxWindowDays, r.opens.AddDays(MaxWindowDays).Chinese()))
		}
		if err := fe.Err(); err != nil {
			return err
		}
		old = o.ClosesAt
		if err := tx.SetOpeningCloses(ctx, o.ID, d.String(), s.clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "opening.extend", "opening", o.ID, &o.TownID, reason,
			map[string]any{"old_closes_at": old, "new_closes_at": d.String(), "reference_date": o.ReferenceDate})
	})
	if err != nil {
		return nil, err
	}
	s.forget(o.ID)
	o.ClosesAt = d.String()
	return s.openingView(o)
}

func fieldMessages(fe models.FieldErrors) []string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fe[k]
	}
	return out
}

// adminOpening loads an opening the actor may manage.
func (s *Service) adminOpening(ctx context.Context, actor models.Actor, id uint64) (*models.Opening, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以管理招聘岗位")
	}
	o, err := s.store.OpeningByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanManageTown(o.TownID) {
		// Another town's opening is invisible to a town admin, not merely forbidden.
		return nil, models.NotFound("招聘岗位")
	}
	return o, nil
}

// published returns a published opening's rules, cached briefly for the public pages and the
// eligibility check that every applicant's form calls as they type.
func (s *Service) published(ctx context.Context, id uint64) (*openingRules, error) {
	now := s.clock.Now()
	s.mu.RLock()
	c, ok := s.cache[id]
	s.mu.RUnlock()
	if ok && now.Before(c.expires) {
		return c.o, nil
	}
	o, err := s.store.OpeningByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningPublished {
		return nil, models.NotFound("招聘岗位")
	}
	r, err := decodeOpening(o)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.cache) > 10000 {
		s.cache = map[uint64]cachedOpening{}
	}
	s.cache[id] = cachedOpening{o: r, expires: now.Add(openingCacheTTL)}
	s.mu.Unlock()
	return r, nil
}

func (s *Service) forget(id uint64) {
	s.mu.Lock()
	delete(s.cache, id)
	s.mu.Unlock()
}

// PublicOpenings lists published openings for everyone.
func (s *Service) PublicOpenings(ctx context.Context) ([]OpeningView, error) {
	os, err := s.store.ListOpenings(ctx, models.OpeningFilter{Published: true})
	if err != nil {
		return nil, err
	}
	return s.openingViews(os)
}

// PublicOpening shows one published opening.
func (s *Service) PublicOpening(ctx context.Context, id uint64) (*OpeningView, error) {
	r, err := s.published(ctx, id)
	if err != nil {
		return nil, err
	}
	v := s.viewOf(r)
	if v.ScoresFrozen && v.PublicityDays > 0 {
		// Only once proposals are made: the busy days of the application window cost nothing.
		pubs, err := s.store.PublicitiesOf(ctx, id)
		if err != nil {
			return nil, err
		}
		v.HasPublicity = len(pubs) > 0
	}
	return v, nil
}

// AdminOpenings lists the openings an admin manages, drafts included.
func (s *Service) AdminOpenings(ctx context.Context, actor models.Actor) ([]OpeningView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以管理招聘岗位")
	}
	os, err := s.store.ListOpenings(ctx, models.OpeningFilter{TownID: actor.TownScope()})
	if err != nil {
		return nil, err
	}
	return s.openingViews(os)
}

// AdminOpening shows one opening to an admin who manages it.
func (s *Service) AdminOpening(ctx context.Context, actor models.Actor, id uint64) (*OpeningView, error) {
	o, err := s.adminOpening(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.openingView(o)
}

// Towns lists the towns an actor may create openings for.
func (s *Service) Towns(ctx context.Context, actor models.Actor) ([]models.Town, error) {
	ts, err := s.store.ListTowns(ctx)
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if actor.CanManageTown(t.ID) {
			out = append(out, t)
		}
	}
	return out, nil
}

// OpeningView is an opening as pages and the API show it.
type OpeningView struct {
	ID                uint64                 `json:"id"`
	TownID            uint64                 `json:"town_id"`
	Town              string                 `json:"town"`
	Title             string                 `json:"title"`
	Description       string                 `json:"description"`
	Seats             int                    `json:"seats"`
	OpensAt           string                 `json:"opens_at"`
	ClosesAt          string                 `json:"closes_at"`
	ReferenceDate     string                 `json:"reference_date"`
	Status            string                 `json:"status"`
	Accepting         bool                   `json:"accepting"` // applications accepted today
	PastDeadline      bool                   `json:"past_deadline"`
	Conditions        screening.Conditions   `json:"conditions"`
	ConditionLines    []string               `json:"condition_lines"`
	BirthFrom         string                 `json:"birth_from"`
	BirthTo           string                 `json:"birth_to"`
	RelaxedBirthFrom  string                 `json:"relaxed_birth_from,omitempty"`
	PreferenceChain   []screening.Preference `json:"preference_chain"`
	PreferenceLabels  []string               `json:"preference_labels"`
	PublishedAt       *time.Time             `json:"published_at,omitempty"`
	BirthWindowPhrase string                 `json:"birth_window"`
	// BonusPoints is the bonus-points policy, preference → points ("2.00"); empty when
	// preferences only break ties. BonusLines says it in Chinese.
	BonusPoints map[screening.Preference]string `json:"bonus_points,omitempty"`
	BonusLines  []string                        `json:"bonus_lines,omitempty"`
	// PassMark is the minimum score (合格分数线) below which nobody is proposed; "" for none.
	PassMark string `json:"pass_mark,omitempty"`
	// ScoresFrozen says proposals have been made: scores change only after scoring is reopened.
	ScoresFrozen bool `json:"scores_frozen"`
	// MakeupAllowed: one makeup sitting of the pre-job training for a proposed hire who fails.
	MakeupAllowed bool `json:"makeup_allowed"`
	// The steps after ranking, as applicants are told them; HasPublicity (public view): a
	// 拟录用人员公示 is up at /openings/{id}/publicity.
	PublicityDays int  `json:"publicity_days"`
	MedicalCheck  bool `json:"medical_check"`
	Vetting       bool `json:"vetting"`
	HasPublicity  bool `json:"has_publicity,omitempty"`
}

func (s *Service) openingView(o *models.Opening) (*OpeningView, error) {
	r, err := decodeOpening(o)
	if err != nil {
		return nil, err
	}
	return s.viewOf(r), nil
}

func (s *Service) openingViews(os []models.Opening) ([]OpeningView, error) {
	out := make([]OpeningView, 0, len(os))
	for i := range os {
		v, err := s.openingView(&os[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

func (s *Service) viewOf(r *openingRules) *OpeningView {
	o := r.row
	today := s.today()
	from, to := r.cond.BirthWindow(r.ref)
	v := &OpeningView{
		ID: o.ID, TownID: o.TownID, Town: o.Town.Name, Title: o.Title, Description: o.Description, Seats: o.Seats,
		OpensAt: o.OpensAt, ClosesAt: o.ClosesAt, ReferenceDate: o.ReferenceDate, Status: o.Status,
		Accepting: r.acceptingOn(today), PastDeadline: today.After(r.close),
		Conditions: r.cond, ConditionLines: r.cond.Describe(r.ref),
		BirthFrom: from.String(), BirthTo: to.String(), PreferenceChain: r.chain, PublishedAt: o.PublishedAt,
		BirthWindowPhrase: fmt.Sprintf("出生日期须在 %s 至 %s 之间", from.Chinese(), to.Chinese()),
	}
	if r.pass != nil {
		v.PassMark = screening.FormatScore(*r.pass)
	}
	v.ScoresFrozen, v.MakeupAllowed = o.ScoresFrozenAt != nil, o.MakeupAllowed
	v.PublicityDays, v.MedicalCheck, v.Vetting = o.PublicityDays, o.MedicalCheck, o.Vetting
	if rf, _, ok := r.cond.RelaxedBirthWindow(r.ref); ok {
		v.RelaxedBirthFrom = rf.String()
	}
	for _, p := range r.chain {
		v.PreferenceLabels = append(v.PreferenceLabels, p.Label())
	}
	if len(r.bonus) > 0 {
		v.BonusPoints = map[screening.Preference]string{}
		for _, p := range screening.DefaultPreferenceChain() {
			if b, ok := r.bonus[p]; ok {
				v.BonusPoints[p] = screening.FormatScore(b)
				v.BonusLines = append(v.BonusLines, fmt.Sprintf("%s加 %s 分", p.Label(), screening.FormatScore(b)))
			}
		}
	}
	return v
}

// AllTowns lists every town with its minimum (public reference data, rule Q-2).
func (s *Service) AllTowns(ctx context.Context) ([]models.Town, error) {
	return s.store.ListTowns(ctx)
}

// TownByName finds a town.
func (s *Service) TownByName(ctx context.Context, name string) (*models.Town, error) {
	return s.store.TownByName(ctx, name)
}
