package recruitment

import (
	"context"
	"fmt"
	"sort"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// AfterRankingView is an opening's steps after ranking as its admins see them: the settings,
// each proposal's steps and 公示 and whether it is final, and each 公示 with its objections.
type AfterRankingView struct {
	Opening  OpeningView       `json:"opening"`
	Settings AfterRankingInput `json:"settings"`
	// StepsLocked: a 公示 or step result exists, so the 公示期 and steps are fixed.
	StepsLocked bool            `json:"steps_locked"`
	Steps       []string        `json:"steps"` // the enabled steps, in order
	Proposals   []ProposalRow   `json:"proposals"`
	Publicities []PublicityView `json:"publicities"`
	// CanStart: some proposals are ready for a 公示; StartBlocker says why not otherwise.
	CanStart     bool   `json:"can_start"`
	StartBlocker string `json:"start_blocker,omitempty"`
	// CalendarMissing names the years the district has not entered holidays for: a 公示 then
	// skips only weekends.
	CalendarMissing []int    `json:"calendar_missing,omitempty"`
	Notes           []string `json:"notes,omitempty"` // what the last action could not do (递补)
	Today           string   `json:"today"`
}

// ProposalRow is one proposal (or a proposal that was cancelled or withdrawn) after ranking.
type ProposalRow struct {
	ApplicationID uint64      `json:"application_id"`
	Name          string      `json:"name"`
	Rank          int         `json:"rank,omitempty"`
	Status        string      `json:"status"`
	StatusLabel   string      `json:"status_label"`
	Steps         []StepState `json:"steps"`
	Publicity     string      `json:"publicity,omitempty"` // "2026-12-02 至 2026-12-08"
	Final         bool        `json:"final"`               // may sit the unified training (T-1)
	Waiting       string      `json:"waiting,omitempty"`   // what it waits for, when not final
}

// StepState is one step of one proposal.
type StepState struct {
	Step   string `json:"step"`
	Label  string `json:"label"`
	Result string `json:"result"` // pass, fail or ""
	On     string `json:"on,omitempty"`
	Note   string `json:"note,omitempty"`
}

// PublicityView is one 公示 with the proposals it lists and their objections (admin view).
type PublicityView struct {
	ID       uint64          `json:"id"`
	StartsOn string          `json:"starts_on"`
	EndsOn   string          `json:"ends_on"`
	Days     int             `json:"days"`
	Running  bool            `json:"running"`
	Ended    bool            `json:"ended"`
	Phone    string          `json:"supervision_phone"`
	Address  string          `json:"supervision_address"`
	Rows     []PublicityItem `json:"rows"`
}

// PublicityItem is a proposal in a 公示.
type PublicityItem struct {
	ApplicationID uint64          `json:"application_id"`
	Name          string          `json:"name"`
	Rank          int             `json:"rank,omitempty"`
	StatusLabel   string          `json:"status_label"`
	Proposed      bool            `json:"proposed"`   // still proposed: objections may be decided
	CanObject     bool            `json:"can_object"` // proposed and the 公示 not over: objections may be recorded
	Objections    []ObjectionView `json:"objections"`
}

// ObjectionView is an objection as its admins see it.
type ObjectionView struct {
	ID            uint64 `json:"id"`
	Objector      string `json:"objector"`
	Content       string `json:"content"`
	ReceivedOn    string `json:"received_on"`
	Outcome       string `json:"outcome"`
	OutcomeLabel  string `json:"outcome_label"`
	OutcomeReason string `json:"outcome_reason,omitempty"`
	DecidedAt     string `json:"decided_at,omitempty"`
}

// ObjectionOutcomeLabel names an objection's outcome.
func ObjectionOutcomeLabel(o string) string {
	switch o {
	case models.ObjectionUpheld:
		return "属实，取消拟录用资格"
	case models.ObjectionNotUpheld:
		return "不属实，维持拟录用"
	}
	return "待核查"
}

// StepResultLabel names a step's result.
func StepResultLabel(r string) string {
	switch r {
	case models.StepPass:
		return "合格"
	case models.StepFail:
		return "不合格"
	}
	return "待登记"
}

// afterRankingApps are the applications the steps after ranking concern: proposed, hired, not
// hired, cancelled and dropped out.
var afterRankingApps = []string{models.AppProposed, models.AppHired, models.AppNotHired, models.AppCancelled, models.AppDroppedOut}

// AfterRanking shows an opening's steps after ranking to an admin who manages it.
func (s *Service) AfterRanking(ctx context.Context, actor models.Actor, openingID uint64) (*AfterRankingView, error) {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningPublished {
		return nil, models.Conflict("not_published", "岗位尚未发布")
	}
	ov, err := s.openingView(o)
	if err != nil {
		return nil, err
	}
	today := s.today()
	v := &AfterRankingView{Opening: *ov, Settings: settingsOf(o), Steps: enabledSteps(o), Today: today.String()}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID, Statuses: afterRankingApps})
	if err != nil {
		return nil, err
	}
	pubList, err := s.store.PublicitiesOf(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
	if err != nil {
		return nil, err
	}
	v.StepsLocked = stepsStarted(pubList, all)
	pubs, pending, err := s.proposalState(ctx, s.store, apps)
	if err != nil {
		return nil, err
	}
	ranks, err := s.ranksOf(ctx, s.store, o)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	objs, err := s.store.ObjectionsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	objsOf := map[uint64][]ObjectionView{}
	for _, ob := range objs {
		ov := ObjectionView{ID: ob.ID, Objector: ob.Objector, Content: ob.Content, ReceivedOn: ob.ReceivedOn,
			Outcome: ob.Outcome, OutcomeLabel: ObjectionOutcomeLabel(ob.Outcome), OutcomeReason: ob.OutcomeReason}
		if ob.DecidedAt != nil {
			ov.DecidedAt = clock.FormatChina(*ob.DecidedAt)
		}
		objsOf[ob.ApplicationID] = append(objsOf[ob.ApplicationID], ov)
	}
	ready, waiting := 0, 0
	byPub := map[uint64][]PublicityItem{}
	for i := range apps {
		a := &apps[i]
		row := ProposalRow{ApplicationID: a.ID, Name: a.Name, Rank: ranks[a.ID], Status: a.Status, StatusLabel: StatusLabel(a.Status)}
		for _, st := range v.Steps {
			r, on, note := stepResult(a, st)
			row.Steps = append(row.Steps, StepState{Step: st, Label: StepLabel(st), Result: r, On: on, Note: note})
		}
		if a.PublicityID != nil {
			over := false
			if p := pubs[*a.PublicityID]; p != nil {
				row.Publicity = p.StartsOn + " 至 " + p.EndsOn
				end, err := screening.ParseDate(p.EndsOn)
				over = err != nil || today.After(end)
			}
			proposed := a.Status == models.AppProposed
			byPub[*a.PublicityID] = append(byPub[*a.PublicityID], PublicityItem{ApplicationID: a.ID, Name: a.Name,
				Rank: ranks[a.ID], StatusLabel: StatusLabel(a.Status), Proposed: proposed, CanObject: proposed && !over,
				Objections: objsOf[a.ID]})
		}
		if a.Status == models.AppProposed {
			row.Waiting = clearance(o, a, pubs, pending, today)
			row.Final = row.Waiting == ""
			switch {
			case a.PublicityID != nil:
			case stepsBlocker(o, a) != "":
				waiting++
			default:
				ready++
			}
		}
		v.Proposals = append(v.Proposals, row)
	}
	sort.SliceStable(v.Proposals, func(i, j int) bool { return rankKey(v.Proposals[i].Rank) < rankKey(v.Proposals[j].Rank) })
	for _, p := range pubList {
		pv := publicityView(&p, today)
		pv.Rows = byPub[p.ID]
		sort.SliceStable(pv.Rows, func(i, j int) bool { return rankKey(pv.Rows[i].Rank) < rankKey(pv.Rows[j].Rank) })
		v.Publicities = append(v.Publicities, pv)
	}
	switch {
	case o.PublicityDays == 0:
		v.StartBlocker = "本岗位设置为不在本系统公示"
	case o.SupervisionPhone == "" || o.SupervisionAddress == "":
		v.StartBlocker = "请先填写监督电话和监督地址"
	case ready == 0 && waiting > 0:
		v.StartBlocker = fmt.Sprintf("有 %d 名拟录用人员的体检或考察尚未登记合格", waiting)
	case ready == 0:
		v.StartBlocker = "没有待公示的拟录用人员"
	}
	v.CanStart = v.StartBlocker == ""
	if o.PublicityDays > 0 {
		if _, missing, err := s.calendar(ctx, s.store, today.Year, today.Year+1); err != nil {
			return nil, err
		} else if len(missing) > 0 && missing[0] == today.Year {
			v.CalendarMissing = missing[:1]
		}
	}
	return v, nil
}

// rankKey orders unranked rows (rank 0) last.
func rankKey(r int) int {
	if r == 0 {
		return 1 << 30
	}
	return r
}

func publicityView(p *models.Publicity, today screening.Date) PublicityView {
	start, _ := screening.ParseDate(p.StartsOn)
	end, _ := screening.ParseDate(p.EndsOn)
	return PublicityView{ID: p.ID, StartsOn: p.StartsOn, EndsOn: p.EndsOn, Days: p.Days, Phone: p.Phone, Address: p.Address,
		Running: !today.Before(start) && !today.After(end), Ended: today.After(end)}
}

// PublicNotice is an opening's 拟录用人员公示 as anyone sees it: masked names and ranks, the
// period, the supervision phone and address; no ID number or other personal data.
type PublicNotice struct {
	OpeningID   uint64            `json:"opening_id"`
	Title       string            `json:"title"`
	Town        string            `json:"town"`
	Seats       int               `json:"seats"`
	Publicities []PublicityNotice `json:"publicities"`
}

// PublicityNotice is one 公示 of the public page.
type PublicityNotice struct {
	StartsOn  string      `json:"starts_on"`
	EndsOn    string      `json:"ends_on"`
	Period    string      `json:"period"` // "2026年12月2日至2026年12月8日"
	Days      int         `json:"days"`
	Running   bool        `json:"running"`
	Ended     bool        `json:"ended"`
	Phone     string      `json:"supervision_phone"`
	Address   string      `json:"supervision_address"`
	Rows      []PublicRow `json:"rows"`
	Cancelled int         `json:"cancelled,omitempty"` // listed once, no longer proposed
}

// PublicRow is one person on the public 公示.
type PublicRow struct {
	Rank int    `json:"rank"`
	Name string `json:"name"` // masked: 张*明
}

// PublicPublicity is an opening's public 公示 page; no login. An opening without a 公示 is
// not found, so the page says nothing before the 公示 starts.
func (s *Service) PublicPublicity(ctx context.Context, openingID uint64) (*PublicNotice, error) {
	o, err := s.store.OpeningByID(ctx, openingID)
	if err != nil {
		return nil, err
	}
	if o.Status != models.OpeningPublished {
		return nil, models.NotFound("拟录用人员公示")
	}
	pubs, err := s.store.PublicitiesOf(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	if len(pubs) == 0 {
		return nil, models.NotFound("拟录用人员公示")
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID, Statuses: afterRankingApps})
	if err != nil {
		return nil, err
	}
	// The rank each was proposed at is stored with the proposal: the public page, which anyone
	// may load as often as they like, does not rank the whole opening again. Proposals from
	// before that column (rank 0) are ranked the long way.
	ranks := map[uint64]int{}
	for _, a := range apps {
		if a.PublicityID == nil {
			continue
		}
		if a.ProposedRank == 0 {
			if ranks, err = s.ranksOf(ctx, s.store, o); err != nil {
				return nil, err
			}
			break
		}
		ranks[a.ID] = a.ProposedRank
	}
	today := s.today()
	out := &PublicNotice{OpeningID: o.ID, Title: o.Title, Town: o.Town.Name, Seats: o.Seats}
	for i := len(pubs) - 1; i >= 0; i-- { // the latest first
		p := pubs[i]
		pv := publicityView(&p, today)
		start, _ := screening.ParseDate(p.StartsOn)
		end, _ := screening.ParseDate(p.EndsOn)
		n := PublicityNotice{StartsOn: p.StartsOn, EndsOn: p.EndsOn, Period: start.Chinese() + "至" + end.Chinese(), Days: p.Days,
			Running: pv.Running, Ended: pv.Ended, Phone: p.Phone, Address: p.Address}
		for _, a := range apps {
			if a.PublicityID == nil || *a.PublicityID != p.ID {
				continue
			}
			switch a.Status {
			case models.AppProposed, models.AppHired, models.AppNotHired:
				n.Rows = append(n.Rows, PublicRow{Rank: ranks[a.ID], Name: certificates.MaskName(a.Name)})
			default:
				n.Cancelled++
			}
		}
		sort.SliceStable(n.Rows, func(i, j int) bool { return rankKey(n.Rows[i].Rank) < rankKey(n.Rows[j].Rank) })
		out.Publicities = append(out.Publicities, n)
	}
	return out, nil
}
