package training

import (
	"auxportal/certificates"
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/exams"
	"auxportal/models"
)

// CandidateRow is one candidate in the exam-day control room.
type CandidateRow struct {
	ID           uint64         `json:"id"`
	Name         string         `json:"name"`
	IDMasked     string         `json:"id_number_masked"`
	Town         string         `json:"town"`
	TicketNo     string         `json:"ticket_no"`
	Seat         string         `json:"seat"`
	ExtraMinutes int            `json:"extra_minutes"`
	State        string         `json:"state"` // not_started, in_progress, handed_in, closed (by the deadline), absent
	StateLabel   string         `json:"state_label"`
	StartedAt    *time.Time     `json:"started_at,omitempty"`
	Deadline     *time.Time     `json:"deadline,omitempty"`
	HandedInAt   *time.Time     `json:"handed_in_at,omitempty"`
	LastSave     *time.Time     `json:"last_save,omitempty"`
	SinceSave    int            `json:"seconds_since_save,omitempty"`
	Answered     int            `json:"answered"`
	Items        int            `json:"items"`
	Events       map[string]int `json:"events"` // evidence for the invigilator, by kind
	Receipt      string         `json:"receipt,omitempty"`
	Score        string         `json:"score,omitempty"`
	Outcome      string         `json:"outcome,omitempty"`
	Gate         string         `json:"gate,omitempty"`
	// TicketProblem says why this candidate's admission ticket cannot be printed (a character
	// of the name the font lacks): it is left out of the sitting's batch.
	TicketProblem string `json:"ticket_problem,omitempty"`
}

// Live states.
const (
	LiveNotStarted = "not_started"
	LiveRunning    = "in_progress"
	LiveHandedIn   = "handed_in"
	LiveClosed     = "closed"
	LiveAbsent     = "absent"
)

// LiveStateLabel names a live state.
func LiveStateLabel(s string) string {
	switch s {
	case LiveNotStarted:
		return "未开考"
	case LiveRunning:
		return "作答中"
	case LiveHandedIn:
		return "已交卷"
	case LiveClosed:
		return "到时收卷"
	case LiveAbsent:
		return "缺考"
	}
	return s
}

// ControlRoom is the live view of a sitting.
type ControlRoom struct {
	Sitting SittingView    `json:"sitting"`
	Rows    []CandidateRow `json:"rows"`
	Counts  map[string]int `json:"counts"`
	Now     time.Time      `json:"server_now"`
}

// Live is the exam-day control room: each candidate's state, last save and the evidence the
// page recorded. Trainers and district admins see everyone, a town admin their town's.
func (s *Service) Live(ctx context.Context, actor models.Actor, sittingID uint64) (*ControlRoom, error) {
	v, err := s.Sitting(ctx, actor, sittingID)
	if err != nil {
		return nil, err
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, TownID: actor.TownScope()})
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, st, cs)
	if err != nil {
		return nil, err
	}
	cr := &ControlRoom{Sitting: *v, Rows: rows, Counts: map[string]int{}, Now: s.clock.Now()}
	for _, r := range rows {
		cr.Counts[r.State]++
	}
	return cr, nil
}

func (s *Service) rows(ctx context.Context, st *models.Sitting, cs []models.ExamCandidate) ([]CandidateRow, error) {
	act, err := s.store.ActivityOfSitting(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	counts, err := s.store.ExamEventCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	evs := map[uint64]map[string]int{}
	for _, e := range counts {
		if evs[e.CandidateID] == nil {
			evs[e.CandidateID] = map[string]int{}
		}
		evs[e.CandidateID][e.Kind] += e.N
	}
	towns, err := s.townNames(ctx)
	if err != nil {
		return nil, err
	}
	bp, err := gapOf(st)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	rows := make([]CandidateRow, 0, len(cs))
	for i := range cs {
		c := &cs[i]
		r := CandidateRow{ID: c.ID, Name: c.Name, IDMasked: c.IDMasked, TicketNo: c.TicketNo, Seat: c.Seat,
			TicketProblem: ticketProblem(c.Name),
			ExtraMinutes:  c.ExtraMinutes, StartedAt: c.StartedAt, Deadline: c.Deadline, HandedInAt: c.SubmittedAt,
			Items: bp.Count(), Events: evs[c.ID], Receipt: c.Receipt, Outcome: c.Outcome, Gate: c.Gate}
		if r.Events == nil {
			r.Events = map[string]int{}
		}
		if c.TownID != nil {
			r.Town = towns[*c.TownID]
		}
		if a, ok := act[c.ID]; ok {
			r.Answered = a.Answers
			if !a.LastSave.IsZero() {
				t := a.LastSave
				r.LastSave, r.SinceSave = &t, int(now.Sub(t)/time.Second)
			}
		}
		if c.Score != nil {
			r.Score = score(*c.Score)
		}
		switch {
		case c.SubmittedAt != nil && c.ClosedBy == "deadline":
			r.State = LiveClosed
		case c.SubmittedAt != nil:
			r.State = LiveHandedIn
		case c.StartedAt != nil:
			r.State = LiveRunning
		case !now.Before(st.LastStart):
			r.State = LiveAbsent
		default:
			r.State = LiveNotStarted
		}
		r.StateLabel = LiveStateLabel(r.State)
		rows = append(rows, r)
	}
	return rows, nil
}

func (s *Service) townNames(ctx context.Context) (map[uint64]string, error) {
	ts, err := s.store.ListTowns(ctx)
	if err != nil {
		return nil, err
	}
	out := map[uint64]string{}
	for _, t := range ts {
		out[t.ID] = t.Name
	}
	return out, nil
}

// candidateRow is one candidate's control-room row.
func (s *Service) candidateRow(ctx context.Context, id uint64) (*CandidateRow, error) {
	c, err := s.store.CandidateMeta(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err := s.store.SittingByID(ctx, c.SittingID)
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, st, []models.ExamCandidate{*c})
	if err != nil {
		return nil, err
	}
	return &rows[0], nil
}

// AddTimeInput adds time after an incident: to one candidate, or (CandidateID 0) to everyone
// of the sitting who is still sitting or yet to start.
type AddTimeInput struct {
	CandidateID uint64 `json:"candidate_id"`
	Minutes     int    `json:"minutes"`
	Reason      string `json:"reason"`
}

// MaxAddedMinutes bounds one addition of time.
const MaxAddedMinutes = 120

// AddTime gives extra time after an incident: a running attempt's deadline moves later (past
// the window's end if need be: it is the invigilator's decision, audited); a candidate yet to
// start gets it as extra time. Attempts already handed in or closed are not reopened.
func (s *Service) AddTime(ctx context.Context, actor models.Actor, sittingID uint64, in AddTimeInput) (*ControlRoom, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	fe := models.FieldErrors{}
	if in.Minutes < 1 || in.Minutes > MaxAddedMinutes {
		fe.Add("minutes", fmt.Sprintf("加时须为 1 至 %d 分钟", MaxAddedMinutes))
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" || utf8.RuneCountInString(in.Reason) > 500 {
		fe.Add("reason", "请填写加时原因（不超过 500 字），记入操作日志")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	if st.Status == models.SittingPublished {
		return nil, models.Conflict("published", "成绩已发布")
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID})
	if err != nil {
		return nil, err
	}
	if in.CandidateID != 0 {
		var one []models.ExamCandidate
		for _, c := range cs {
			if c.ID == in.CandidateID {
				one = append(one, c)
			}
		}
		if len(one) == 0 {
			return nil, models.NotFound("考生")
		}
		cs = one
	}
	now := s.clock.Now()
	add := time.Duration(in.Minutes) * time.Minute
	changed := 0
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		for _, c := range cs {
			var err error
			switch {
			case c.SubmittedAt != nil:
				continue
			case c.StartedAt == nil:
				if time.Duration(c.ExtraMinutes)*time.Minute+add > exams.MaxAccommodation {
					return models.Invalid("too_much_time", "考生 %s 的延长时间将超过 %d 分钟", c.TicketNo, int(exams.MaxAccommodation/time.Minute))
				}
				err = tx.UpdateCandidate(ctx, c.ID, map[string]any{"extra_minutes": c.ExtraMinutes + in.Minutes, "updated_at": now},
					"status_changed", "考生刚刚开考，请刷新后重试", "started_at IS NULL AND extra_minutes = ?", c.ExtraMinutes)
			case !now.Before(*c.Deadline):
				continue // closed by its deadline already; the job hands it in
			default:
				err = tx.UpdateCandidate(ctx, c.ID, map[string]any{"deadline": c.Deadline.Add(add), "updated_at": now},
					"status_changed", "考生刚刚交卷或已加时，请刷新后重试", "submitted_at IS NULL AND deadline = ?", *c.Deadline)
			}
			if err != nil {
				return err
			}
			if err := tx.AddExamEvents(ctx, models.ExamEvent{CandidateID: c.ID, At: now, Kind: "time_added",
				Detail: fmt.Sprintf("加时 %d 分钟：%s", in.Minutes, in.Reason)}); err != nil {
				return err
			}
			changed++
		}
		if changed == 0 {
			return models.Conflict("nothing_to_extend", "没有正在作答或待开考的考生可以加时")
		}
		return s.audit(ctx, tx, actor, "exam.add_time", "sitting", st.ID, nil, in.Reason,
			map[string]any{"minutes": in.Minutes, "candidate": in.CandidateID, "candidates": changed})
	})
	if err != nil {
		return nil, err
	}
	s.forgetDeadlines() // the saves' replies show the new deadline at once
	return s.Live(ctx, actor, sittingID)
}

// ticketProblem is why a ticket with this name cannot be printed, "" when it can.
func ticketProblem(name string) string {
	if m := certificates.Missing(name); m != nil {
		return fmt.Sprintf("姓名中的「%s」超出字库，准考证无法打印", string(m))
	}
	return ""
}
