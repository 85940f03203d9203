package training

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/models"
)

// SittingInput schedules a sitting. Times are "2006-01-02T15:04" in China time (or RFC 3339).
// Candidates are the proposed hires (拟录用) of the listed openings who have not passed yet and
// are in no other sitting that is still to be published.
type SittingInput struct {
	Title         string   `json:"title"`
	BlueprintID   uint64   `json:"blueprint_id"`
	Opens         string   `json:"opens"`
	Closes        string   `json:"closes"`
	LastStart     string   `json:"last_start"` // optional: default closes − 5 min
	Venue         string   `json:"venue"`
	Online        bool     `json:"online"`
	OpeningIDs    []uint64 `json:"opening_ids"`
	ShowPaper     bool     `json:"show_paper"`     // candidates see their paper with the key once results are out
	DoubleMarking bool     `json:"double_marking"` // two independent marks for every short answer
}

// parseTime reads a time as the forms send it (China time) or RFC 3339.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, clock.China); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ScheduleSitting checks that the bank can fill the blueprint (a clear error names every short
// cell and by how many), then builds every candidate's paper at once — each its own draw where
// the bank allows and its own question and option order — and seals it, so the start of the
// sitting does no assembly work. Everything is stored in one transaction.
func (s *Service) ScheduleSitting(ctx context.Context, actor models.Actor, in SittingInput) (*SittingView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	fe := models.FieldErrors{}
	in.Title, in.Venue = strings.TrimSpace(in.Title), strings.TrimSpace(in.Venue)
	if n := utf8.RuneCountInString(in.Title); n < 2 || n > 100 {
		fe.Add("title", "考试名称须为 2 至 100 个字")
	}
	if n := utf8.RuneCountInString(in.Venue); (!in.Online && n < 2) || n > 200 {
		fe.Add("venue", "请填写考点（2 至 200 个字）；线上考试可填“线上”")
	}
	if in.Online && in.Venue == "" {
		in.Venue = "线上"
	}
	opens, ok1 := parseTime(in.Opens)
	if !ok1 {
		fe.Add("opens", "请填写开始时间（年-月-日 时:分）")
	}
	closes, ok2 := parseTime(in.Closes)
	if !ok2 {
		fe.Add("closes", "请填写结束时间（年-月-日 时:分）")
	}
	var last time.Time
	if strings.TrimSpace(in.LastStart) != "" {
		var ok bool
		if last, ok = parseTime(in.LastStart); !ok {
			fe.Add("last_start", "最晚开考时间格式不对（年-月-日 时:分）")
		}
	}
	bpRow, err := s.store.BlueprintByID(ctx, in.BlueprintID)
	if err != nil {
		fe.Add("blueprint_id", "请选择组卷方案")
	}
	var bp exams.Blueprint
	if bpRow != nil {
		if err := json.Unmarshal([]byte(bpRow.Spec), &bp); err != nil {
			return nil, fmt.Errorf("blueprint %d: %w", bpRow.ID, err)
		}
	}
	w := exams.Window{Opens: opens, Closes: closes, LastStart: last}
	if ok1 && ok2 && bpRow != nil {
		if err := w.Validate(bp.Duration()); err != nil {
			fe.Add("closes", err.Error())
		} else if !closes.After(s.clock.Now()) {
			fe.Add("closes", "结束时间已过")
		}
	}
	if len(in.OpeningIDs) == 0 {
		fe.Add("opening_ids", "请选择参加考试的招聘岗位（其拟录用人员参加考试）")
	}
	if bpRow != nil && bpRow.Purpose != models.PurposePreJob {
		// A refresher's publication applies no hiring gate: proposed hires sit pre-job papers only.
		fe.Add("blueprint_id", "拟录用人员参加的是岗前培训考试：请选择用途为“岗前培训”的组卷方案")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if w.LastStart.IsZero() {
		w.LastStart = closes.Add(-exams.DefaultLastStartLead)
	}
	apps, err := s.schedulable(ctx, in.OpeningIDs)
	if err != nil {
		return nil, err
	}
	if len(apps) == 0 {
		return nil, models.Invalid("no_candidates", "所选岗位没有可参加岗前培训考试的拟录用人员（须体检、考察合格且拟录用人员公示期满无异议）")
	}
	bank, err := s.bank(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if err := bp.CheckBank(exams.InventoryOf(bank)); err != nil {
		e := models.Invalid("bank_short", "题库试题不足，无法按该方案组卷：%s", strings.Join(shortages(err), "；"))
		return nil, e
	}
	seed, err := s.randomBytes(32)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	st := &models.Sitting{Title: in.Title, Purpose: bpRow.Purpose, BlueprintID: bpRow.ID, Blueprint: mustJSON(bp),
		Opens: opens, Closes: closes, LastStart: w.LastStart, Venue: in.Venue, Online: in.Online, Seed: seed,
		Status: models.SittingScheduled, ShowPaper: in.ShowPaper, DoubleMarking: in.DoubleMarking,
		CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	// The papers are built before the transaction: it is the slow part, and a paper depends only
	// on the seed, the blueprint, the bank and the candidate's key.
	cands := make([]models.ExamCandidate, len(apps))
	codes := map[string]bool{}
	for i, a := range apps {
		p, err := exams.Assemble(bp, bank, exams.CandidateSeed(seed, candidateKey(a.UserID)))
		if err != nil {
			return nil, fmt.Errorf("paper of application %d: %w", a.ID, err)
		}
		sealed, err := exams.Seal(p)
		if err != nil {
			return nil, err
		}
		code := ""
		for code == "" || codes[code] {
			if code, err = s.code(6); err != nil {
				return nil, err
			}
		}
		codes[code] = true
		appID, town := a.ID, a.townID
		cands[i] = models.ExamCandidate{UserID: a.UserID, ApplicationID: &appID, Name: a.Name, IDMasked: a.IDMasked,
			TownID: &town, PhotoUploadID: a.photo, Seat: seat(in.Online, i), AnonCode: code,
			Paper: sealed.JSON, PaperHash: sealed.SHA256, CreatedAt: now, UpdatedAt: now}
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		// Under the openings' row locks, nobody else is scheduling these hires: checked again
		// here, two schedulings at once (a double click) cannot both enrol them.
		ids := append([]uint64(nil), in.OpeningIDs...)
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			if _, err := tx.LockOpening(ctx, id); err != nil {
				return err
			}
		}
		for _, a := range apps {
			busy, err := s.inOpenSitting(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			if busy {
				return models.Conflict("already_scheduled", "%s 已安排在另一场尚未发布成绩的考试中，请刷新后重试", a.Name)
			}
		}
		if err := tx.CreateSitting(ctx, st); err != nil {
			return err
		}
		year := clock.InChina(opens).Year()
		for i := range cands {
			cands[i].SittingID = st.ID
			cands[i].TicketNo = ticketNo(year, st.ID, i+1)
		}
		if err := tx.CreateCandidates(ctx, cands); err != nil {
			return err
		}
		for _, c := range cands {
			if err := tx.AddEvents(ctx, models.Event{ApplicationID: *c.ApplicationID, At: now, Kind: "exam_scheduled",
				Message: fmt.Sprintf("已安排参加区统一岗前培训考试：%s，%s，%s（准考证号 %s）", st.Title,
					timeRange(opens, closes), st.Venue, c.TicketNo)}); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "sitting.schedule", "sitting", st.ID, nil, "",
			map[string]any{"title": st.Title, "blueprint": bpRow.ID, "candidates": len(cands), "openings": in.OpeningIDs})
	})
	if err != nil {
		return nil, err
	}
	return s.Sitting(ctx, actor, st.ID)
}

// ticketNo is an admission ticket's number: the year, the sitting and the candidate's place,
// all digits (easy to read out and type). The sitting's part is at least four digits and the
// place five, growing as needed, never cut (a cut sitting id would repeat a year's numbers).
func ticketNo(year int, sittingID uint64, place int) string {
	return fmt.Sprintf("%d%04d%05d", year, sittingID, place)
}

// candidateKey names a candidate in the seed derivation: a person sits a sitting once.
func candidateKey(userID uint64) string { return fmt.Sprintf("user:%d", userID) }

func seat(online bool, i int) string {
	if online {
		return "线上"
	}
	return fmt.Sprintf("%02d", i+1)
}

// timeRange is "2026年12月5日 09:00–10:30" in China time.
func timeRange(a, b time.Time) string {
	a, b = clock.InChina(a), clock.InChina(b)
	day := fmt.Sprintf("%d年%d月%d日", a.Year(), int(a.Month()), a.Day())
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return fmt.Sprintf("%s %s–%s", day, a.Format("15:04"), b.Format("15:04"))
	}
	return fmt.Sprintf("%s %s – %d年%d月%d日 %s", day, a.Format("15:04"), b.Year(), int(b.Month()), b.Day(), b.Format("15:04"))
}

// schedulableApp is a proposed hire who may be put into a sitting.
type schedulableApp struct {
	models.Application
	townID uint64
	photo  string
}

// schedulable lists the proposed hires of the openings who are due for the unified training
// (rule T-1): proposed and final (steps passed, 公示 over), not hired, not in a sitting whose results are still to come, and — if
// they failed once — allowed a makeup by their opening.
func (s *Service) schedulable(ctx context.Context, openingIDs []uint64) ([]schedulableApp, error) {
	openings, err := s.store.OpeningsByIDs(ctx, openingIDs)
	if err != nil {
		return nil, err
	}
	var out []schedulableApp
	for _, id := range openingIDs {
		o, ok := openings[id]
		if !ok {
			return nil, models.Invalid("invalid_input", "招聘岗位 %d 不存在", id)
		}
		apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID, Statuses: []string{models.AppProposed}})
		if err != nil {
			return nil, err
		}
		// Rule T-1 takes proposed hires whose proposal is final: the opening's 体检 and 考察
		// passed and its 公示 ended without an objection upheld or undecided (docs/decisions.md).
		final, err := s.rec.FinalProposals(ctx, s.store, o, apps)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			if !final[a.ID] {
				continue
			}
			if a.TrainingFailures > 0 && (!o.MakeupAllowed || a.TrainingFailures > 1) {
				continue
			}
			busy, err := s.inOpenSitting(ctx, s.store, a.ID)
			if err != nil {
				return nil, err
			}
			if busy {
				continue
			}
			ups, err := s.store.UploadsOf(ctx, a.ID)
			if err != nil {
				return nil, err
			}
			photo := ""
			for _, u := range ups {
				if u.Kind == "photo" {
					photo = u.ID // the latest photo wins
				}
			}
			out = append(out, schedulableApp{Application: a, townID: o.TownID, photo: photo})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	seen := map[uint64]string{}
	for _, a := range out {
		if _, dup := seen[a.UserID]; dup {
			// One person proposed by two of the openings sits one paper of one sitting; which of
			// their proposals it decides is for the admins to settle first.
			return nil, models.Invalid("duplicate_candidate", "%s 同时是所选多个岗位的拟录用人员，一人只能参加一场考试：请分开安排，或先处理其中一个岗位的拟录用", a.Name)
		}
		seen[a.UserID] = a.Name
	}
	return out, nil
}

// WaitingHires is how many of an opening's proposed hires a new sitting would take now: those
// not already in a sitting that is not yet published (and not past their one makeup).
func (s *Service) WaitingHires(ctx context.Context, actor models.Actor, openingID uint64) (int, error) {
	if !canRun(actor) {
		return 0, denyRun(actor)
	}
	apps, err := s.schedulable(ctx, []uint64{openingID})
	if err != nil {
		return 0, err
	}
	return len(apps), nil
}

// inOpenSitting reports whether an application has a place in a sitting not yet published.
func (s *Service) inOpenSitting(ctx context.Context, q *models.Store, appID uint64) (bool, error) {
	cs, err := q.ListCandidates(ctx, models.CandidateFilter{ApplicationID: &appID})
	if err != nil {
		return false, err
	}
	ids := make([]uint64, len(cs))
	for i, c := range cs {
		ids[i] = c.SittingID
	}
	sts, err := q.SittingsByIDs(ctx, ids)
	if err != nil {
		return false, err
	}
	for _, st := range sts {
		if st.Status != models.SittingPublished {
			return true, nil
		}
	}
	return false, nil
}

// SittingView is a sitting as trainers see it.
type SittingView struct {
	ID             uint64    `json:"id"`
	Title          string    `json:"title"`
	Purpose        string    `json:"purpose"`
	PurposeLabel   string    `json:"purpose_label"`
	Venue          string    `json:"venue"`
	Online         bool      `json:"online"`
	Opens          time.Time `json:"opens"`
	Closes         time.Time `json:"closes"`
	LastStart      time.Time `json:"last_start"`
	When           string    `json:"when"` // in Chinese, China time
	Status         string    `json:"status"`
	StatusLabel    string    `json:"status_label"`
	Questions      int       `json:"questions"`
	Total          string    `json:"total"`
	PassMark       string    `json:"pass_mark"`
	Duration       int       `json:"duration_minutes"`
	ShowPaper      bool      `json:"show_paper"`
	DoubleMarking  bool      `json:"double_marking"`
	Candidates     int       `json:"candidates"`
	Started        int       `json:"started"`
	HandedIn       int       `json:"handed_in"`
	Graded         int       `json:"graded"`
	Passed         int       `json:"passed"`
	BlueprintID    uint64    `json:"blueprint_id"`
	WindowOpen     bool      `json:"window_open"`
	WindowOver     bool      `json:"window_over"`
	CanPublish     bool      `json:"can_publish"`
	PublishBlocker string    `json:"publish_blocker,omitempty"`
}

// SittingStatusLabel names a sitting's state.
func SittingStatusLabel(st *models.Sitting, now time.Time) string {
	switch {
	case st.Status == models.SittingPublished:
		return "成绩已发布"
	case now.Before(st.Opens):
		return "未开始"
	case now.Before(st.Closes):
		return "考试中"
	}
	return "已结束，待发布成绩"
}

// Sittings lists the sittings (town admins: those with candidates of their town).
func (s *Service) Sittings(ctx context.Context, actor models.Actor) ([]SittingView, error) {
	if !canWatch(actor) {
		return nil, denyRun(actor)
	}
	sts, err := s.store.ListSittings(ctx)
	if err != nil {
		return nil, err
	}
	out := []SittingView{}
	for i := range sts {
		v, err := s.sittingView(ctx, actor, &sts[i])
		if err != nil {
			return nil, err
		}
		if v.Candidates == 0 && !canRun(actor) {
			continue
		}
		out = append(out, *v)
	}
	return out, nil
}

// Sitting shows one sitting.
func (s *Service) Sitting(ctx context.Context, actor models.Actor, id uint64) (*SittingView, error) {
	if !canWatch(actor) {
		return nil, denyRun(actor)
	}
	st, err := s.store.SittingByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.sittingView(ctx, actor, st)
	if err != nil {
		return nil, err
	}
	if v.Candidates == 0 && !canRun(actor) {
		return nil, models.NotFound("考试场次")
	}
	return v, nil
}

func (s *Service) sittingView(ctx context.Context, actor models.Actor, st *models.Sitting) (*SittingView, error) {
	var bp exams.Blueprint
	if err := json.Unmarshal([]byte(st.Blueprint), &bp); err != nil {
		return nil, fmt.Errorf("sitting %d blueprint: %w", st.ID, err)
	}
	now := s.clock.Now()
	v := &SittingView{ID: st.ID, Title: st.Title, Purpose: st.Purpose, PurposeLabel: PurposeLabel(st.Purpose), Venue: st.Venue,
		Online: st.Online, Opens: st.Opens, Closes: st.Closes, LastStart: st.LastStart, When: timeRange(st.Opens, st.Closes),
		Status: st.Status, StatusLabel: SittingStatusLabel(st, now), Questions: bp.Count(), Total: score(bp.Total()),
		PassMark: score(bp.PassMark), Duration: bp.DurationMinutes, ShowPaper: st.ShowPaper, DoubleMarking: st.DoubleMarking,
		BlueprintID: st.BlueprintID, WindowOpen: !now.Before(st.Opens) && now.Before(st.Closes), WindowOver: !now.Before(st.Closes)}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, TownID: actor.TownScope()})
	if err != nil {
		return nil, err
	}
	v.Candidates = len(cs)
	pending := 0
	var notStarted []uint64 // their applications
	for i := range cs {
		c := &cs[i]
		if c.StartedAt != nil {
			v.Started++
		} else if c.ApplicationID != nil {
			notStarted = append(notStarted, *c.ApplicationID)
		}
		if c.SubmittedAt != nil {
			v.HandedIn++
		}
		switch exams.Outcome(c.Outcome) {
		case exams.OutcomePass:
			v.Graded++
			v.Passed++
		case exams.OutcomeFail:
			v.Graded++
		default:
			if c.StartedAt != nil {
				pending++
			}
		}
	}
	left := 0
	if st.Status != models.SittingPublished && !v.WindowOver && v.HandedIn > 0 && v.Started == v.HandedIn && v.HandedIn < v.Candidates &&
		len(notStarted) == v.Candidates-v.HandedIn {
		// Nobody is sitting now and those yet to start are all applicants: if they have all
		// dropped out or withdrawn since, nobody is left to start and the results may go out.
		apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{IDs: notStarted})
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			switch a.Status {
			case models.AppProposed, models.AppHired, models.AppNotHired:
			default:
				left++
			}
		}
	}
	switch {
	case st.Status == models.SittingPublished:
		v.PublishBlocker = "成绩已发布"
	case !v.WindowOver && v.HandedIn+left < v.Candidates:
		// Before the window's end only when everyone has handed in: nobody is left to start.
		v.PublishBlocker = "考试尚未结束（" + clock.FormatChina(st.Closes) + " 结束）"
	case v.HandedIn < v.Started:
		v.PublishBlocker = fmt.Sprintf("还有 %d 份答卷未收卷", v.Started-v.HandedIn)
	case pending > 0:
		v.PublishBlocker = fmt.Sprintf("还有 %d 份答卷的简答题未评完", pending)
	}
	v.CanPublish = v.PublishBlocker == "" && canRun(actor)
	return v, nil
}

func score(h int64) string { return fmtScore(h) }

// SetAccommodation sets a candidate's extra time (an accommodation, e.g. for a disability),
// before they start; it is added to their deadline. Audited.
func (s *Service) SetAccommodation(ctx context.Context, actor models.Actor, candidateID uint64, minutes int, reason string) (*CandidateRow, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	fe := models.FieldErrors{}
	if minutes < 0 || time.Duration(minutes)*time.Minute > exams.MaxAccommodation {
		fe.Add("extra_minutes", fmt.Sprintf("延长时间须为 0 至 %d 分钟", int(exams.MaxAccommodation/time.Minute)))
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		fe.Add("reason", "请填写延长考试时间的原因（不超过 500 字）")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	c, err := s.store.CandidateByID(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.UpdateCandidate(ctx, c.ID, map[string]any{"extra_minutes": minutes, "updated_at": s.clock.Now()},
			"already_started", "考生已开考，不能再设置延长时间；如遇突发情况请使用“加时”", "started_at IS NULL"); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "exam.accommodation", "exam_candidate", c.ID, c.TownID, reason,
			map[string]any{"old_minutes": c.ExtraMinutes, "new_minutes": minutes, "ticket": c.TicketNo})
	})
	if err != nil {
		return nil, err
	}
	return s.candidateRow(ctx, c.ID)
}

// TicketPDF renders a candidate's admission ticket (准考证): for the candidate, or staff.
func (s *Service) TicketPDF(ctx context.Context, actor models.Actor, candidateID uint64) ([]byte, string, error) {
	c, err := s.store.CandidateByID(ctx, candidateID)
	if err != nil {
		return nil, "", err
	}
	if c.UserID != actor.UserID && !canRun(actor) {
		if actor.Anonymous() {
			return nil, "", models.Deny(actor, "")
		}
		return nil, "", models.NotFound("考试")
	}
	st, err := s.store.SittingByID(ctx, c.SittingID)
	if err != nil {
		return nil, "", err
	}
	t, err := s.ticketOf(ctx, st, c)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	if err := certificates.RenderTicket(&b, t); err != nil {
		return nil, "", ticketErr(err)
	}
	return b.Bytes(), fmt.Sprintf("ticket-%s.pdf", c.TicketNo), nil
}

// TicketsPDF renders every admission ticket of a sitting in one PDF, for printing.
func (s *Service) TicketsPDF(ctx context.Context, actor models.Actor, sittingID uint64) ([]byte, string, error) {
	if !canRun(actor) {
		return nil, "", denyRun(actor)
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, "", err
	}
	ts, skipped, err := s.printableTickets(ctx, st)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	if err := certificates.RenderTickets(&b, ts); err != nil {
		return nil, "", ticketErr(err)
	}
	return b.Bytes(), ticketsName(st, skipped, "pdf"), nil
}

// printableTickets are the tickets of a sitting's candidates, in seat order, and how many were
// left out. One name the font cannot print must not stop the sitting's other tickets: it is
// left out, and the control room says whose ticket cannot be printed.
func (s *Service) printableTickets(ctx context.Context, st *models.Sitting) ([]certificates.Ticket, int, error) {
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID})
	if err != nil {
		return nil, 0, err
	}
	if len(cs) == 0 {
		return nil, 0, models.Conflict("no_candidates", "本场考试没有考生")
	}
	ts := make([]certificates.Ticket, 0, len(cs))
	skipped := 0
	for i := range cs {
		t, err := s.ticketOf(ctx, st, &cs[i])
		if err != nil {
			return nil, 0, err
		}
		if err := certificates.CheckTicket(t); err != nil {
			skipped++
			s.log.Warn("ticket left out of the sitting's batch", "candidate", cs[i].ID, "err", err)
			continue
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, 0, models.Invalid("ticket_unprintable", "本场考试的准考证均无法生成：考生姓名含字库无法打印的字符")
	}
	return ts, skipped, nil
}

// ticketsName is the file name of a sitting's tickets; it says when some were left out.
func ticketsName(st *models.Sitting, skipped int, ext string) string {
	if skipped > 0 {
		return fmt.Sprintf("tickets-sitting-%d-without-%d.%s", st.ID, skipped, ext)
	}
	return fmt.Sprintf("tickets-sitting-%d.%s", st.ID, ext)
}

func ticketErr(err error) error {
	if errors.Is(err, certificates.ErrGlyphMissing) || errors.Is(err, certificates.ErrInvalid) {
		return models.Invalid("ticket_unprintable", "准考证无法生成：%s", err.Error())
	}
	return err
}

func (s *Service) ticketOf(ctx context.Context, st *models.Sitting, c *models.ExamCandidate) (certificates.Ticket, error) {
	var photo []byte
	if c.PhotoUploadID != "" {
		if u, err := s.store.UploadByID(ctx, c.PhotoUploadID); err == nil {
			photo = u.Data
		}
	}
	return certificates.Ticket{
		Title:       "南通市海门区城市管理辅助人员" + PurposeLabel(st.Purpose),
		SittingName: st.Title, Name: c.Name, IDMasked: c.IDMasked, TicketNo: c.TicketNo, Seat: c.Seat, Venue: st.Venue,
		Start: st.Opens, End: st.Closes, Photo: photo,
		QRText: fmt.Sprintf("%s/trainer/tickets/%s", strings.TrimRight(s.publicURL, "/"), c.TicketNo),
		Notes: []string{
			"考生凭本准考证和居民身份证参加考试；线上考试登录本平台“我的考试”作答。",
			"考试开始后，考试时间由服务器计时，到时自动收卷；答案随答随存，断网后恢复会自动补传。",
			"请独立作答。离开考试页面、切换窗口和粘贴会被记录，供监考人员核查。",
			"考试结束前可随时交卷，交卷后显示回执码，请妥善保存。",
		},
	}, nil
}
