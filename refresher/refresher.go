// Package refresher runs the yearly refresher cycle of the work permits (rule T-4: everyone in
// post is trained every year). Permits run on a fixed anniversary (certificates.ValidUntil); a
// refresher window opens before each valid-until date. Daily, idempotently, the cycle enrols
// holders whose window has opened into the next refresher sitting with room (creating monthly
// sittings from the trainers' refresher blueprint as needed), reminds them (window open, 30, 7
// and 1 day before), suspends permits not renewed by their date and lets lapsed ones expire;
// ApplyResults renews (or restores) the permits of those who passed, one year from the old date,
// and tells those who did not. Every notice goes through package notices, once per holder and
// cycle, to the holder and to their town's admins, recorded in the transaction of the change it
// reports.
//
// The jobs are built into the scheduler in cmd (gocron/v2, a database lock so that one replica
// runs each tick); each item is its own transaction, so a replica that dies mid-run leaves
// nothing half-done and the next run picks up where it stopped.
package refresher

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/screening"
)

// Settings of the cycle besides the permits' policy (window and grace).
type Settings struct {
	// Capacity is how many holders one refresher sitting takes before the next is made.
	Capacity int
	// LeadTime: a holder is put only into a sitting whose last start is at least this far off.
	LeadTime time.Duration
}

// DefaultSettings are a month's online sitting for up to 500 holders, entered at least three
// days before its last start.
var DefaultSettings = Settings{Capacity: 500, LeadTime: 72 * time.Hour}

// Service is the refresher cycle.
type Service struct {
	store    *models.Store
	permits  *permits.Service
	exams    *training.Service
	notes    *notices.Service
	clock    clock.Clock
	log      *slog.Logger
	settings Settings
}

// New returns the cycle.
func New(store *models.Store, pm *permits.Service, ex *training.Service, notes *notices.Service, c clock.Clock, log *slog.Logger, set Settings) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, permits: pm, exams: ex, notes: notes, clock: c, log: log, settings: set}
}

// Report is what a run did.
type Report struct {
	Enrolled  int      `json:"enrolled"`
	Notices   int      `json:"notices"`
	Suspended int      `json:"suspended"`
	Expired   int      `json:"expired"`
	Renewed   int      `json:"renewed"`
	NotPassed int      `json:"not_passed"`
	Problems  []string `json:"problems,omitempty"`
}

func (r *Report) problem(format string, args ...any) {
	if len(r.Problems) < 20 {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Notice kinds, each sent once per holder and permit cycle.
const (
	KindWindowOpen = "refresher.window_open"
	KindDue30      = "refresher.due_30"
	KindDue7       = "refresher.due_7"
	KindDue1       = "refresher.due_1"
	KindOverdue    = "refresher.overdue"   // an attempt ended without a pass; the holder is put into the next sitting
	KindSuspended  = "refresher.suspended" // not renewed by the valid-until date
	KindRenewed    = "refresher.renewed"
	KindRestored   = "refresher.restored"
	KindExpired    = "refresher.expired"
)

func (s *Service) today() screening.Date { return screening.DateOf(clock.InChina(s.clock.Now())) }

// Daily is the daily run. It is idempotent: run twice a day, it does nothing the second time.
func (s *Service) Daily(ctx context.Context) (Report, error) {
	var rep Report
	today := s.today()
	ps, err := s.store.ListPermits(ctx, models.PermitFilter{Statuses: []string{models.PermitActive, models.PermitSuspended}})
	if err != nil {
		return rep, err
	}
	for i := range ps {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		if err := s.dailyOne(ctx, &ps[i], today, &rep); err != nil {
			// One holder refused (a place the sitting will not give, a permit changed under
			// the run) is reported and passed over: stopping here would leave everyone after
			// it unenrolled, unreminded and unsuspended until it is sorted out. Anything else
			// (the database gone) ends the run; the next one carries on.
			if me, ok := models.AsError(err); ok {
				rep.problem("%s：%s", ps[i].No, me.Message)
				continue
			}
			return rep, err
		}
	}
	return rep, nil
}

// dailyOne is the day's work on one permit: expire, suspend, enrol, remind.
func (s *Service) dailyOne(ctx context.Context, p *models.Permit, today screening.Date, rep *Report) error {
	pol := s.permits.Policy()
	until, err := screening.ParseDate(p.ValidUntil)
	if err != nil {
		return fmt.Errorf("permit %s valid until %q: %w", p.No, p.ValidUntil, err)
	}
	switch {
	case p.Status == models.PermitSuspended && today.After(until.AddDays(pol.ExpireAfterDays)):
		if waiting, err := s.takenWithinGrace(ctx, p, until.AddDays(pol.ExpireAfterDays)); err != nil || waiting {
			// A refresher sat within the grace waits for its marks: expiring now would
			// throw away a pass made in time (an expired permit is not restored).
			return err
		}
		return s.expire(ctx, p, today, rep)
	case p.Status == models.PermitActive && today.After(until):
		if err := s.suspend(ctx, p, today, rep); err != nil {
			return err
		}
	}
	if today.Before(certificates.WindowOpens(until, pol.WindowDays)) {
		return nil
	}
	enrolment, err := s.enrol(ctx, p, rep)
	if err != nil {
		return err
	}
	return s.remind(ctx, p, until, today, enrolment, rep)
}

// takenWithinGrace reports whether the holder of the suspended permit p sat a refresher for
// its cycle on or before graceEnd whose results are not applied yet (the sitting not yet
// published): such a permit is not expired until the result is in.
func (s *Service) takenWithinGrace(ctx context.Context, p *models.Permit, graceEnd screening.Date) (bool, error) {
	open, err := s.openEnrolment(ctx, s.store, p)
	if err != nil || open == nil {
		return false, err
	}
	c, err := s.store.CandidateByID(ctx, open.CandidateID)
	if err != nil {
		return false, err
	}
	at := c.SubmittedAt
	if at == nil {
		at = c.Deadline // still writing, or closed at the deadline
	}
	if c.StartedAt == nil || at == nil {
		return false, nil
	}
	return !screening.DateOf(clock.InChina(*at)).After(graceEnd), nil
}

// suspend suspends an overdue permit and tells its holder and town admins, in one transaction.
func (s *Service) suspend(ctx context.Context, p *models.Permit, today screening.Date, rep *Report) error {
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		np, done, err := s.permits.SuspendTx(ctx, tx, p.ID, today)
		if err != nil || !done {
			return err
		}
		*p = *np
		rep.Suspended++
		return s.tell(ctx, tx, p, KindSuspended, "上岗证已暂停：年度复训逾期",
			fmt.Sprintf("上岗证 %s 有效期至 %s，届满前未通过年度复训，现暂停使用，暂停期间不得持证上岗。通过复训后上岗证即恢复有效，有效期按原周年日顺延。", p.No, p.ValidUntil),
			rep)
	})
}

// expire ends a permit suspended past the grace, and says so.
func (s *Service) expire(ctx context.Context, p *models.Permit, today screening.Date, rep *Report) error {
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		np, done, err := s.permits.ExpireTx(ctx, tx, p.ID, today)
		if err != nil || !done {
			return err
		}
		*p = *np
		rep.Expired++
		return s.tell(ctx, tx, p, KindExpired, "上岗证已失效",
			fmt.Sprintf("上岗证 %s 暂停后长期未通过年度复训，已失效。如需继续上岗，须重新参加区统一岗前培训并考试合格。", p.No), rep)
	})
}

// tell sends one notice about p to its holder and to the admins of its town, once each for the
// permit's cycle (the dedup key), inside tx. The admins read what the holder reads, introduced
// by whose permit it is.
func (s *Service) tell(ctx context.Context, tx *models.Store, p *models.Permit, kind, title, body string, rep *Report) error {
	to := []uint64{p.UserID}
	if p.TownID != nil {
		admins, err := tx.TownAdmins(ctx, *p.TownID)
		if err != nil {
			return err
		}
		for _, a := range admins {
			to = append(to, a.ID)
		}
	}
	first, err := firstOf(ctx, tx, p)
	if err != nil {
		return err
	}
	for i, u := range to {
		m := notices.Message{UserID: u, Kind: kind, Title: title, Body: body, Link: "/me/permits",
			DedupKey: noticeKey(kind, first, p.Cycle, u), Channels: []string{notices.ChannelEmail}}
		if i > 0 {
			m.Title = title + "（" + p.HolderName + "）"
			m.Body = fmt.Sprintf("本区镇辅助人员%s（上岗证 %s）收到如下通知：\n%s", p.HolderName, p.No, body)
			m.Link = "/admin/refresher"
		}
		created, err := s.notes.Notify(ctx, tx, m)
		if err != nil {
			return err
		}
		if created {
			rep.Notices++
		}
	}
	return nil
}

// noticeKey is a cycle notice's dedup key. It names the first permit of a chain of re-issues
// (firstOf), not the current one: a re-issue keeps the cycle, so what was said of the cycle is
// not said again under the new number.
func noticeKey(kind string, first uint64, cycle int, user uint64) string {
	return fmt.Sprintf("%s:permit:%d:cycle:%d:user:%d", kind, first, cycle, user)
}

// keyPart is what every cycle notice's key about the permit chain first contains.
func keyPart(first uint64) string { return ":permit:" + strconv.FormatUint(first, 10) + ":" }

// firstOf is the id of the first permit of p's chain of re-issues (p's own for a permit never
// re-issued).
func firstOf(ctx context.Context, q *models.Store, p *models.Permit) (uint64, error) {
	id, prev := p.ID, p.SupersedesID
	for hops := 0; prev != nil; hops++ {
		if hops == 100 {
			return 0, fmt.Errorf("permit %d: re-issue chain longer than 100", p.ID)
		}
		o, err := q.PermitByID(ctx, *prev)
		if err != nil {
			return 0, fmt.Errorf("permit %d re-issued from %d: %w", p.ID, *prev, err)
		}
		id, prev = o.ID, o.SupersedesID
	}
	return id, nil
}

// enrol puts a holder whose window is open into a refresher sitting, unless they are in one
// whose results are still to come; it returns the enrolment in force (nil: none possible now,
// e.g. no refresher blueprint yet — reported, tried again tomorrow).
func (s *Service) enrol(ctx context.Context, p *models.Permit, rep *Report) (*models.RefresherEnrolment, error) {
	open, err := s.openEnrolment(ctx, s.store, p)
	if err != nil || open != nil {
		return open, err
	}
	st, err := s.sittingWithRoom(ctx)
	if err != nil {
		if me, ok := models.AsError(err); ok {
			rep.problem("%s：%s", p.No, me.Message)
			return nil, nil
		}
		return nil, err
	}
	var out *models.RefresherEnrolment
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		cur, err := tx.LockPermit(ctx, p.ID)
		if err != nil {
			return err
		}
		if cur.Status != models.PermitActive && cur.Status != models.PermitSuspended {
			return nil
		}
		if open, err := s.openEnrolment(ctx, tx, cur); err != nil || open != nil {
			out = open
			return err
		}
		c, err := s.exams.EnrolRefresher(ctx, tx, st.ID, training.Enrolee{UserID: cur.UserID, Name: cur.HolderName,
			IDMasked: cur.IDMasked, TownID: cur.TownID, PhotoUploadID: cur.PhotoUploadID})
		if err != nil {
			return err
		}
		e := &models.RefresherEnrolment{PermitID: cur.ID, Cycle: cur.Cycle, UserID: cur.UserID, TownID: cur.TownID,
			SittingID: st.ID, CandidateID: c.ID, EnrolledAt: s.clock.Now()}
		if err := tx.CreateEnrolment(ctx, e); err != nil {
			return err
		}
		out = e
		rep.Enrolled++
		return nil
	})
	return out, err
}

// openEnrolment is the holder's enrolment for the permit's current cycle whose results are not
// in yet, if any.
func (s *Service) openEnrolment(ctx context.Context, q *models.Store, p *models.Permit) (*models.RefresherEnrolment, error) {
	es, err := q.ListEnrolments(ctx, models.EnrolmentFilter{PermitIDs: []uint64{p.ID}})
	if err != nil {
		return nil, err
	}
	for i := range es {
		if es[i].Cycle == p.Cycle && es[i].AppliedAt == nil {
			return &es[i], nil
		}
	}
	return nil, nil
}

// sittingWithRoom is the first refresher sitting still open for enrolment with a free place,
// or a new one: this month's (from today until the month's end) while at least ten days of
// it are left, else next month's.
func (s *Service) sittingWithRoom(ctx context.Context) (*models.Sitting, error) {
	now := s.clock.Now()
	sts, err := s.exams.RefresherSittings(ctx)
	if err != nil {
		return nil, err
	}
	titles := map[string]bool{}
	for i := range sts {
		titles[sts[i].Title] = true
		if sts[i].LastStart.Before(now.Add(s.settings.LeadTime)) {
			continue
		}
		n, err := s.store.CountCandidates(ctx, sts[i].ID)
		if err != nil {
			return nil, err
		}
		if n < s.settings.Capacity {
			return &sts[i], nil
		}
	}
	c := clock.InChina(now)
	first := time.Date(c.Year(), c.Month(), 1, 0, 0, 0, 0, clock.China)
	end := first.AddDate(0, 1, 0)
	opens := now
	if end.Sub(now) < 10*24*time.Hour {
		first, end = end, end.AddDate(0, 1, 0)
		opens = first.Add(8 * time.Hour)
	}
	closes := end.Add(-4 * time.Hour) // the month's last day, 20:00
	base := fmt.Sprintf("%d年%d月城市管理辅助人员年度复训考试", first.Year(), int(first.Month()))
	title := base
	for n := 2; titles[title]; n++ {
		title = fmt.Sprintf("%s（第%d场）", base, n)
	}
	return s.exams.CreateRefresherSitting(ctx, title, opens, closes)
}

// remind sends the latest reminder due today that has not been sent: the window's opening, 30,
// 7 and 1 day before the valid-until date. After the portal was down for days only the latest
// is sent, not a burst of stale ones.
func (s *Service) remind(ctx context.Context, p *models.Permit, until, today screening.Date, e *models.RefresherEnrolment, rep *Report) error {
	if p.Status != models.PermitActive || today.After(until) {
		return nil
	}
	opens := certificates.WindowOpens(until, s.permits.Policy().WindowDays)
	type milestone struct {
		on          screening.Date
		kind, title string
	}
	steps := []milestone{
		{opens, KindWindowOpen, "年度复训已开放"},
		{until.AddDays(-30), KindDue30, "年度复训提醒：距上岗证到期还有 30 天"},
		{until.AddDays(-7), KindDue7, "年度复训提醒：距上岗证到期还有 7 天"},
		{until.AddDays(-1), KindDue1, "年度复训提醒：上岗证明天到期"},
	}
	var due *milestone
	for i := range steps {
		if !today.Before(steps[i].on) && !steps[i].on.Before(opens) {
			due = &steps[i]
		}
	}
	if due == nil {
		return nil
	}
	body := fmt.Sprintf("您的上岗证 %s 有效期至 %s（%s）。请在到期前参加并通过年度复训（法律法规、业务技能、纪律作风、职业道德），逾期上岗证将暂停使用。",
		p.No, until.String(), until.Chinese())
	if e != nil {
		if st, err := s.store.SittingByID(ctx, e.SittingID); err == nil {
			body += fmt.Sprintf("\n已为您安排：%s，%s 至 %s，在本平台“我的考试”中作答。", st.Title,
				clock.FormatChina(st.Opens), clock.FormatChina(st.LastStart))
		}
	}
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		return s.tell(ctx, tx, p, due.kind, due.title, body, rep)
	})
}

// ApplyResults renews the permits of holders who passed a published refresher sitting (rule
// T-4: one year from the old valid-until date; a suspended permit is restored on the same
// anniversary) and tells those who did not pass that they are put into the next sitting. Each
// enrolment is settled once, in the transaction that acts on it.
func (s *Service) ApplyResults(ctx context.Context) (Report, error) {
	var rep Report
	es, err := s.store.ListEnrolments(ctx, models.EnrolmentFilter{Unapplied: true})
	if err != nil || len(es) == 0 {
		return rep, err
	}
	ids := make([]uint64, len(es))
	for i := range es {
		ids[i] = es[i].CandidateID
	}
	results, err := s.exams.RefresherResults(ctx, ids)
	if err != nil {
		return rep, err
	}
	for i := range es {
		e := &es[i]
		r := results[e.CandidateID]
		if !r.Published {
			continue
		}
		err := s.store.WithTx(ctx, func(tx *models.Store) error {
			p, err := tx.LockPermit(ctx, e.PermitID)
			if err != nil {
				return err
			}
			settled, err := tx.SettleEnrolment(ctx, e.ID, p.ID, r.Outcome, r.PassedOn, s.clock.Now())
			if err != nil || !settled {
				return err
			}
			if r.Outcome != "pass" {
				rep.NotPassed++
				if p.Status != models.PermitActive && p.Status != models.PermitSuspended {
					return nil
				}
				what := "未通过"
				if r.Outcome == "absent" {
					what = "缺考"
				}
				return s.tell(ctx, tx, p, KindOverdue, "年度复训"+what,
					fmt.Sprintf("本次年度复训%s。上岗证 %s 有效期至 %s，系统将为您安排下一场复训，请按时参加并通过，逾期上岗证将暂停使用。", what, p.No, p.ValidUntil), &rep)
			}
			passed, err := screening.ParseDate(r.PassedOn)
			if err != nil {
				return fmt.Errorf("enrolment %d passed on %q: %w", e.ID, r.PassedOn, err)
			}
			if e.Cycle != p.Cycle {
				return nil // renewed meanwhile through another sitting
			}
			wasSuspended := p.Status == models.PermitSuspended
			np, renewed, err := s.permits.RenewForCycleTx(ctx, tx, p.ID, e.Cycle, passed)
			if err != nil || !renewed {
				return err
			}
			rep.Renewed++
			kind, title := KindRenewed, "年度复训合格，上岗证已续期"
			if wasSuspended {
				kind, title = KindRestored, "年度复训合格，上岗证已恢复有效"
			}
			// The notice belongs to the cycle that was renewed.
			told := *np
			told.Cycle = e.Cycle
			return s.tell(ctx, tx, &told, kind, title,
				fmt.Sprintf("您于 %s 通过年度复训，上岗证 %s 有效期延至 %s。新的上岗证可在“我的上岗证”下载。", passed, np.No, np.ValidUntil), &rep)
		})
		if err != nil {
			var me *models.Error
			if errors.As(err, &me) {
				rep.problem("enrolment %d: %s", e.ID, me.Message)
				continue
			}
			return rep, err
		}
	}
	return rep, nil
}
