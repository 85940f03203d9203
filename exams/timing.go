package exams

import (
	"fmt"
	"time"

	"auxportal/clock"
)

// Window is when candidates of a sitting may sit the exam (考试时段).
//
// A candidate may start from Opens until the last start time; the last start
// time is LastStart if set, else Closes − DefaultLastStartLead, so nobody
// starts in the last five minutes with nothing left to answer in. Whoever
// starts gets until Deadline: their full time plus any accommodation, but
// never past Closes — a late starter's time is cut short at the window end
// (StartInfo.Shortened tells the page to warn them before they begin). Give
// a sitting room for its accommodated candidates by closing the window later
// than the last start plus the duration.
type Window struct {
	Opens     time.Time `json:"opens"`
	Closes    time.Time `json:"closes"`
	LastStart time.Time `json:"last_start,omitzero"` // zero: Closes − DefaultLastStartLead
}

// DefaultLastStartLead is how long before Closes starts stop when a window
// sets no LastStart.
const DefaultLastStartLead = 5 * time.Minute

// MaxAccommodation is the most extra time one candidate may be granted.
const MaxAccommodation = 240 * time.Minute

// lastStart is the latest moment a start is accepted (exclusive).
func (w Window) lastStart() time.Time {
	if !w.LastStart.IsZero() {
		return w.LastStart
	}
	return w.Closes.Add(-DefaultLastStartLead)
}

// Validate checks the window for a paper of the given duration: Opens before
// Closes, the window at least as long as the duration (else nobody gets the
// full time), and the last start after Opens and not after Closes.
func (w Window) Validate(duration time.Duration) error {
	switch {
	case w.Opens.IsZero() || w.Closes.IsZero():
		return fmt.Errorf("请设置考试开始和结束时间")
	case !w.Opens.Before(w.Closes):
		return fmt.Errorf("考试结束时间必须晚于开始时间")
	case w.Closes.Sub(w.Opens) < duration:
		return fmt.Errorf("考试时段（%s）短于考试时长（%s），无人能获得完整作答时间",
			minutes(w.Closes.Sub(w.Opens)), minutes(duration))
	case !w.lastStart().After(w.Opens) || w.lastStart().After(w.Closes):
		return fmt.Errorf("最晚开始时间必须晚于考试开始时间、不晚于结束时间")
	}
	return nil
}

// Deadline is when an attempt started at start must be handed in:
// min(start + duration + extra, Closes). A negative extra counts as 0 and an
// extra above MaxAccommodation as MaxAccommodation.
func (w Window) Deadline(start time.Time, duration, extra time.Duration) time.Time {
	extra = max(0, min(extra, MaxAccommodation))
	d := start.Add(duration + extra)
	if d.After(w.Closes) {
		return w.Closes
	}
	return d
}

// StartInfo is what a candidate who starts now gets.
type StartInfo struct {
	Deadline  time.Time     `json:"deadline"`
	Allowed   time.Duration `json:"allowed"`   // Deadline − now
	Shortened bool          `json:"shortened"` // less than duration + extra because the window ends first
}

// Reasons a start is refused (StartError.Reason).
const (
	StartNotOpen      = "not_open"       // before Opens
	StartNoMoreStarts = "no_more_starts" // from the last start time until Closes
	StartClosed       = "closed"         // from Closes on
)

// StartError says why an attempt may not start; Message is for the candidate.
type StartError struct {
	Reason  string // StartNotOpen, StartNoMoreStarts or StartClosed
	Message string
}

func (e *StartError) Error() string { return e.Message }

// Start decides whether a candidate may start at now and, if so, their
// deadline (rule T-1: the unified exam is sat in the district's window).
// Refused before Opens (StartNotOpen), from the last start time until Closes
// (StartNoMoreStarts), and from Closes on (StartClosed).
func (w Window) Start(now time.Time, duration, extra time.Duration) (StartInfo, error) {
	cn := func(t time.Time) string { return t.In(clock.China).Format("2006年1月2日 15:04") }
	switch {
	case now.Before(w.Opens):
		return StartInfo{}, &StartError{StartNotOpen, "考试尚未开始，开始时间为 " + cn(w.Opens)}
	case !now.Before(w.Closes):
		return StartInfo{}, &StartError{StartClosed, "考试已于 " + cn(w.Closes) + " 结束"}
	case !now.Before(w.lastStart()):
		return StartInfo{}, &StartError{StartNoMoreStarts, "已过最晚开始作答时间 " + cn(w.lastStart()) + "，不能再开始作答"}
	}
	full := max(0, min(extra, MaxAccommodation)) + duration
	d := w.Deadline(now, duration, extra)
	return StartInfo{Deadline: d, Allowed: d.Sub(now), Shortened: d.Sub(now) < full}, nil
}

// TimeLeft is the time from now until deadline, never negative.
func TimeLeft(deadline, now time.Time) time.Duration { return max(0, deadline.Sub(now)) }

// Overdue reports whether an attempt with this deadline is closed at now: at
// the deadline itself it is (saves are refused, the attempt is handed in).
func Overdue(deadline, now time.Time) bool { return !now.Before(deadline) }

// FinishTime is the recorded end of an attempt handed in (or closed by the
// server) at at: at itself, or the deadline when at is later — an overdue
// attempt finished at its deadline, however late the server noticed.
func FinishTime(deadline, at time.Time) time.Time {
	if at.After(deadline) {
		return deadline
	}
	return at
}

func minutes(d time.Duration) string { return fmt.Sprintf("%d 分钟", int(d/time.Minute)) }
