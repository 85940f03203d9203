// Package permits is the work-permit service (上岗证, rule T-2): issuing permits to those who
// passed the unified pre-job training, one by one or for a whole sitting in the background;
// the cards as issued for download; revoking and re-issuing; the lifecycle the yearly refresher
// drives (rule T-4: suspended when overdue, restored when passed, expired when lapsed); and the
// public verification of a card's QR code. Rendering, signatures and the validity arithmetic
// are package certificates; authorization lives here.
package permits

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/screening"
)

// Policy is the refresher cycle's settings (rule T-4).
type Policy struct {
	// WindowDays: the refresher window opens this many days before a permit's valid-until date.
	WindowDays int
	// ExpireAfterDays: a permit suspended this many days past its valid-until date without a
	// refresher pass expires; it can no longer be restored, only re-issued after a new training.
	ExpireAfterDays int
}

// DefaultPolicy is the cycle the notice's yearly training implies: a window of 60 days, and a
// year's grace before a suspended permit lapses.
var DefaultPolicy = Policy{WindowDays: 60, ExpireAfterDays: 365}

// The bounds of the refresher window (rule T-4), the one setting of the policy.
const (
	// MinWindowDays: a holder whose window opens with under ten days of a month left is seated
	// in next month's sitting, which opens up to ten days later; a shorter window would leave
	// under three weeks to sit and pass, and the 30-day reminder would never come (0 days:
	// every holder suspended before any sitting could seat them).
	MinWindowDays = 30
	// MaxWindowDays: half a year. The window must sit well inside the year's cycle: one of a
	// year or more is open on the day a permit is issued and again right after each renewal,
	// so the yearly training would be taken at once and passes would stack years.
	MaxWindowDays = 180
)

// Validate refuses a policy that would defeat the yearly cycle.
func (p Policy) Validate() error {
	switch {
	case p.WindowDays < MinWindowDays || p.WindowDays > MaxWindowDays:
		return fmt.Errorf("refresher window of %d days: want %d to %d", p.WindowDays, MinWindowDays, MaxWindowDays)
	case p.ExpireAfterDays < 1:
		return fmt.Errorf("expiry %d days after suspension: want at least 1", p.ExpireAfterDays)
	}
	return nil
}

// Service is the permit service.
type Service struct {
	store     *models.Store
	signer    *certificates.Signer
	clock     clock.Clock
	log       *slog.Logger
	jobs      *jobs.Runner
	publicURL string
	policy    Policy
}

// Job kinds this service runs.
const (
	JobIssueSitting = "permits.issue_sitting"
	JobPrint        = "permits.print"
)

// New returns the service and registers its background jobs with runner.
func New(store *models.Store, signer *certificates.Signer, c clock.Clock, log *slog.Logger, runner *jobs.Runner, publicURL string, policy Policy) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store, signer: signer, clock: c, log: log, jobs: runner, publicURL: publicURL, policy: policy}
	runner.Register(JobIssueSitting, s.runIssueSitting)
	runner.Register(JobPrint, s.runPrint)
	return s
}

// Policy is the service's refresher policy.
func (s *Service) Policy() Policy { return s.policy }

// Roles: the district issues its uniform permits (rule T-2) — its admins and its trainers, who
// run the training; only a district admin revokes or re-issues. A town admin follows their own
// town's permits; a holder sees their own.

func canIssue(a models.Actor) bool { return a.IsDistrictAdmin() || a.Role == models.RoleTrainer }

func denyIssue(a models.Actor) error {
	return models.Deny(a, "只有区城管局管理员或培训员可以颁发上岗证")
}

func denyRevoke(a models.Actor) error {
	return models.Deny(a, "只有区城管局管理员可以吊销或换发上岗证")
}

// canSee reports whether a may see the permit p (a holder their own; staff by scope).
func canSee(a models.Actor, p *models.Permit) bool {
	switch {
	case a.Anonymous():
		return false
	case p.UserID == a.UserID, canIssue(a):
		return true
	case a.Role == models.RoleTownAdmin:
		return p.TownID != nil && a.CanManageTown(*p.TownID)
	}
	return false
}

// today is the civil date in China now.
func (s *Service) today() screening.Date { return screening.DateOf(clock.InChina(s.clock.Now())) }

func (s *Service) audit(ctx context.Context, tx *models.Store, actor models.Actor, action string, p *models.Permit, reason string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	name := actor.Name
	if actor.Anonymous() {
		name = "系统（复训周期）"
	}
	return tx.AppendAudit(ctx, &models.AuditEntry{
		At: s.clock.Now(), ActorID: actor.UserID, ActorName: name, Action: action,
		ObjectType: "permit", ObjectID: p.ID, TownID: p.TownID, Reason: reason, Detail: string(b),
	})
}

// retry runs a transaction again when the database gave it up (a deadlock victim): every
// transaction here re-reads what it decides on, so a second run decides afresh.
func (s *Service) retry(ctx context.Context, fn func(tx *models.Store) error) error {
	for attempt := 0; ; attempt++ {
		err := s.store.WithTx(ctx, fn)
		if err == nil || !models.IsRetryable(err) || attempt == 4 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
}

// cardErr turns a card the renderer refused (a character the font lacks, a missing field) into
// a clear 400 for the admin.
func cardErr(err error) error {
	if errors.Is(err, certificates.ErrGlyphMissing) || errors.Is(err, certificates.ErrInvalid) {
		return models.Invalid("permit_unprintable", "上岗证无法印制：%s", err.Error())
	}
	return err
}

// Status labels (what the verify page and the holder read).
func StatusLabel(status string) string {
	switch status {
	case models.PermitActive:
		return "有效"
	case models.PermitSuspended:
		return "已暂停"
	case models.PermitExpired:
		return "已过期"
	case models.PermitRevoked:
		return "已吊销"
	case models.PermitSuperseded:
		return "已换发"
	}
	return status
}

// effectiveStatus is the status as of today: an active permit past its valid-until date is
// suspended at once on every page, before the daily job has made it so in the database.
func effectiveStatus(p *models.Permit, today screening.Date) string {
	if p.Status == models.PermitActive {
		if until, err := screening.ParseDate(p.ValidUntil); err == nil && today.After(until) {
			return models.PermitSuspended
		}
	}
	return p.Status
}
