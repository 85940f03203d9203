package refresher

import (
	"context"
	"sort"
	"strings"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// Holder states in the calendar.
const (
	StateLater     = "later"      // the window is not open yet
	StateOpen      = "open"       // the window is open, no sitting yet (no refresher blueprint?)
	StateEnrolled  = "enrolled"   // put into a sitting whose results are not out
	StateNotPassed = "not_passed" // the last sitting ended without a pass; the next one follows
	StateSuspended = "suspended"  // past the date, not renewed
	StateExpired   = "expired"
)

// StateLabel names a calendar state.
func StateLabel(s string) string {
	switch s {
	case StateLater:
		return "未到复训期"
	case StateOpen:
		return "复训期内，待安排"
	case StateEnrolled:
		return "已安排复训"
	case StateNotPassed:
		return "复训未通过，待重新安排"
	case StateSuspended:
		return "逾期，上岗证暂停"
	case StateExpired:
		return "已失效"
	}
	return s
}

// CalendarRow is one permit holder in the refresher calendar.
type CalendarRow struct {
	PermitID    uint64 `json:"permit_id"`
	No          string `json:"no"`
	Holder      string `json:"holder"`
	Town        string `json:"town"`
	ValidUntil  string `json:"valid_until"`
	WindowOpens string `json:"window_opens"`
	// PermitStatus is the permit's as of today (permits.StatusLabel names it).
	PermitStatus string `json:"permit_status"`
	State        string `json:"state"`
	StateLabel   string `json:"state_label"`
	Sitting      string `json:"sitting,omitempty"`
	SittingID    uint64 `json:"sitting_id,omitempty"`
	Enrolments   int    `json:"enrolments"` // sittings this cycle
	LastNotice   string `json:"last_notice,omitempty"`
	NoticeAt     string `json:"notice_at,omitempty"`
	Renewals     int    `json:"renewals"` // cycles passed so far
}

// Calendar is who is due when, for the admins.
type Calendar struct {
	Rows   []CalendarRow  `json:"rows"`
	Counts map[string]int `json:"counts"`
	Towns  []models.Town  `json:"-"`
	Filter CalendarFilter `json:"filter"`
	// WindowDays is the refresher window as set (rule T-4), for the page's explanation.
	WindowDays int `json:"window_days"`
}

// CalendarFilter narrows the calendar: a town, a month of valid-until dates (YYYY-MM), a state.
type CalendarFilter struct {
	TownID uint64 `form:"town" json:"town_id,omitempty"`
	Month  string `form:"month" json:"month,omitempty"`
	State  string `form:"state" json:"state,omitempty"`
}

// Calendar lists the holders of live permits with where each stands in the cycle: the district's
// staff see every town, a town admin their own.
func (s *Service) Calendar(ctx context.Context, actor models.Actor, f CalendarFilter) (*Calendar, error) {
	switch {
	case actor.IsDistrictAdmin(), actor.Role == models.RoleTrainer:
	case actor.Role == models.RoleTownAdmin && actor.TownID != nil:
		f.TownID = *actor.TownID
	default:
		return nil, models.Deny(actor, "无权查看复训安排")
	}
	if f.Month != "" {
		if _, err := screening.ParseDate(f.Month + "-01"); err != nil {
			return nil, models.Invalid("invalid_input", "月份格式应为 2027-01")
		}
	}
	if f.State != "" && StateLabel(f.State) == f.State {
		return nil, models.Invalid("invalid_input", "未知的复训状态")
	}
	pf := models.PermitFilter{Statuses: []string{models.PermitActive, models.PermitSuspended, models.PermitExpired}}
	if f.TownID != 0 {
		pf.TownID = &f.TownID
	}
	ps, err := s.store.ListPermits(ctx, pf)
	if err != nil {
		return nil, err
	}
	towns, err := s.store.ListTowns(ctx)
	if err != nil {
		return nil, err
	}
	townName := map[uint64]string{}
	for _, t := range towns {
		townName[t.ID] = t.Name
	}
	ids := make([]uint64, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	var es []models.RefresherEnrolment
	if len(ids) > 0 {
		if es, err = s.store.ListEnrolments(ctx, models.EnrolmentFilter{PermitIDs: ids}); err != nil {
			return nil, err
		}
	}
	byPermit := map[uint64][]models.RefresherEnrolment{}
	for _, e := range es {
		byPermit[e.PermitID] = append(byPermit[e.PermitID], e)
	}
	sittings := map[uint64]string{}
	today := s.today()
	pol := s.permits.Policy()
	out := &Calendar{Rows: []CalendarRow{}, Counts: map[string]int{}, Towns: towns, Filter: f, WindowDays: pol.WindowDays}
	for i := range ps {
		p := &ps[i]
		if f.Month != "" && !strings.HasPrefix(p.ValidUntil, f.Month) {
			continue
		}
		until, _ := screening.ParseDate(p.ValidUntil)
		opens := certificates.WindowOpens(until, pol.WindowDays)
		r := CalendarRow{PermitID: p.ID, No: p.No, Holder: p.HolderName, ValidUntil: p.ValidUntil, WindowOpens: opens.String(),
			Renewals: p.Cycle - 1}
		if p.TownID != nil {
			r.Town = townName[*p.TownID]
		}
		var last *models.RefresherEnrolment
		for j := range byPermit[p.ID] {
			e := &byPermit[p.ID][j]
			if e.Cycle == p.Cycle {
				r.Enrolments++
				last = e
			}
		}
		status := p.Status
		if status == models.PermitActive && today.After(until) {
			status = models.PermitSuspended
		}
		r.PermitStatus = status
		switch {
		case status == models.PermitExpired:
			r.State = StateExpired
		case last != nil && last.AppliedAt == nil:
			r.State = StateEnrolled
		case status == models.PermitSuspended:
			r.State = StateSuspended
		case last != nil:
			r.State = StateNotPassed
		case today.Before(opens):
			r.State = StateLater
		default:
			r.State = StateOpen
		}
		if last != nil {
			name, ok := sittings[last.SittingID]
			if !ok {
				if st, err := s.store.SittingByID(ctx, last.SittingID); err == nil {
					name = st.Title
				}
				sittings[last.SittingID] = name
			}
			r.Sitting, r.SittingID = name, last.SittingID
		}
		if f.State != "" && r.State != f.State {
			continue
		}
		r.StateLabel = StateLabel(r.State)
		out.Counts[r.State]++
		out.Rows = append(out.Rows, r)
	}
	if err := s.lastNotices(ctx, out.Rows, ps); err != nil {
		return nil, err
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return out.Rows[i].ValidUntil < out.Rows[j].ValidUntil })
	return out, nil
}

// lastNotices fills in each row's latest refresher notice to the holder.
func (s *Service) lastNotices(ctx context.Context, rows []CalendarRow, ps []models.Permit) error {
	byID := map[uint64]*models.Permit{}
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
	}
	for i := range rows {
		p := byID[rows[i].PermitID]
		first, err := firstOf(ctx, s.store, p)
		if err != nil {
			return err
		}
		ns, err := s.store.ListNotices(ctx, p.UserID, 0, 50)
		if err != nil {
			return err
		}
		for _, n := range ns { // newest first
			if strings.HasPrefix(n.Kind, "refresher.") && strings.Contains(n.DedupKey, keyPart(first)) {
				rows[i].LastNotice, rows[i].NoticeAt = n.Title, clock.FormatChina(n.CreatedAt)
				break
			}
		}
	}
	return nil
}

// HolderView is the refresher as a permit holder sees it, beside their permit.
type HolderView struct {
	PermitID    uint64        `json:"permit_id"`
	WindowOpens string        `json:"window_opens"`
	State       string        `json:"state"`
	StateLabel  string        `json:"state_label"`
	Sitting     string        `json:"sitting,omitempty"`
	ExamID      uint64        `json:"exam_id,omitempty"` // the candidacy, for /exams/{id}
	Notices     []HolderNotes `json:"notices"`
}

// HolderNotes is one refresher notice the holder got.
type HolderNotes struct {
	At    string `json:"at"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Mine is the signed-in holder's refresher, one entry per live permit, by permit id.
func (s *Service) Mine(ctx context.Context, actor models.Actor) (map[uint64]HolderView, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	ps, err := s.store.ListPermits(ctx, models.PermitFilter{UserID: &actor.UserID, Statuses: []string{models.PermitActive, models.PermitSuspended}})
	if err != nil {
		return nil, err
	}
	out := map[uint64]HolderView{}
	if len(ps) == 0 {
		return out, nil
	}
	ns, err := s.store.ListNotices(ctx, actor.UserID, 0, 100)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for i := range ps {
		p := &ps[i]
		until, _ := screening.ParseDate(p.ValidUntil)
		v := HolderView{PermitID: p.ID, WindowOpens: certificates.WindowOpens(until, s.permits.Policy().WindowDays).String(),
			Notices: []HolderNotes{}}
		es, err := s.store.ListEnrolments(ctx, models.EnrolmentFilter{PermitIDs: []uint64{p.ID}})
		if err != nil {
			return nil, err
		}
		var last *models.RefresherEnrolment
		for j := range es {
			if es[j].Cycle == p.Cycle {
				last = &es[j]
			}
		}
		switch {
		case last != nil && last.AppliedAt == nil:
			v.State = StateEnrolled
			if st, err := s.store.SittingByID(ctx, last.SittingID); err == nil {
				v.Sitting = st.Title + "（" + clock.FormatChina(st.Opens) + " 至 " + clock.FormatChina(st.LastStart) + " 可开考）"
			}
			v.ExamID = last.CandidateID
		case p.Status == models.PermitSuspended || today.After(until):
			v.State = StateSuspended
		case last != nil:
			v.State = StateNotPassed
		case today.Before(certificates.WindowOpens(until, s.permits.Policy().WindowDays)):
			v.State = StateLater
		default:
			v.State = StateOpen
		}
		v.StateLabel = StateLabel(v.State)
		first, err := firstOf(ctx, s.store, p)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if strings.HasPrefix(n.Kind, "refresher.") && strings.Contains(n.DedupKey, keyPart(first)) {
				v.Notices = append(v.Notices, HolderNotes{At: clock.FormatChina(n.CreatedAt), Title: n.Title, Body: n.Body})
			}
		}
		out[p.ID] = v
	}
	return out, nil
}
