package permits

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// A permit's life: active → suspended (refresher overdue) → active again (refresher passed),
// or → expired (suspended too long); revoked by a district admin, with a reason; superseded
// when re-issued under a new number. Revoked, expired and superseded are final. Every change is
// in the permit's history and the audit log, and the verify page reflects it at once.

// MaxReasonLen bounds a revocation's or re-issue's reason.
const MaxReasonLen = 200

// fieldErr is a form error on one field.
func fieldErr(field, msg string) error {
	fe := models.FieldErrors{}
	fe.Add(field, msg)
	return fe.Err()
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", fieldErr("reason", "请填写原因")
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		return "", fieldErr("reason", fmt.Sprintf("原因不超过 %d 字", MaxReasonLen))
	}
	return reason, nil
}

// Revoke withdraws a permit for good (已吊销), with the reason the holder reads.
func (s *Service) Revoke(ctx context.Context, actor models.Actor, id uint64, reason string) (*View, error) {
	if !actor.IsDistrictAdmin() {
		return nil, denyRevoke(actor)
	}
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	var p *models.Permit
	err = s.retry(ctx, func(tx *models.Store) error {
		var err error
		if p, err = tx.LockPermit(ctx, id); err != nil {
			return err
		}
		if p.Status != models.PermitActive && p.Status != models.PermitSuspended {
			return models.Conflict("permit_final", "该上岗证%s，不能再吊销", StatusLabel(p.Status))
		}
		return s.change(ctx, tx, actor, p, models.PermitRevoked, "revoked", "吊销上岗证："+reason, reason, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p)
}

// change moves p to status to within tx, recording the history and the audit entry; extra
// columns are written with it.
func (s *Service) change(ctx context.Context, tx *models.Store, actor models.Actor, p *models.Permit, to, kind, msg, reason string, extra map[string]any) error {
	now := s.clock.Now()
	from := p.Status
	cols := map[string]any{"status": to, "status_reason": reason, "status_at": now, "updated_at": now}
	for k, v := range extra {
		cols[k] = v
	}
	if err := tx.UpdatePermit(ctx, p.ID, []string{from}, cols); err != nil {
		return err
	}
	p.Status, p.StatusReason, p.StatusAt = to, reason, now
	var by *uint64
	if !actor.Anonymous() {
		by = &actor.UserID
	}
	if err := tx.AddPermitEvents(ctx, models.PermitEvent{PermitID: p.ID, At: now, Kind: kind, From: from, To: to, Message: msg, ActorID: by}); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "permit."+kind, p, reason, map[string]string{"no": p.No, "from": from, "to": to})
}

// ReissueInput is a re-issue: why (a lost card, a change of post or town) and what changes.
type ReissueInput struct {
	Reason string `json:"reason"`
	Post   string `json:"post"`    // empty keeps the post
	TownID uint64 `json:"town_id"` // 0 keeps the town
}

// Reissue replaces a permit with a new card under a new number (the old number then verifies as
// 已换发). Validity is unchanged: the new permit keeps the old one's anniversary, cycle and
// valid-until date, and its status.
func (s *Service) Reissue(ctx context.Context, actor models.Actor, id uint64, in ReissueInput) (*View, error) {
	if !actor.IsDistrictAdmin() {
		return nil, denyRevoke(actor)
	}
	reason, err := checkReason(in.Reason)
	if err != nil {
		return nil, err
	}
	old, err := s.store.PermitByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Status != models.PermitActive && old.Status != models.PermitSuspended {
		return nil, models.Conflict("permit_final", "该上岗证%s，不能换发", StatusLabel(old.Status))
	}
	now := s.clock.Now()
	np := *old
	np.ID, np.No, np.SupersedesID, np.SupersededByID = 0, "", &old.ID, nil
	np.IssuedBy, np.CreatedAt, np.UpdatedAt, np.StatusAt, np.StatusReason = actor.UserID, now, now, now, old.StatusReason
	if post := strings.TrimSpace(in.Post); post != "" {
		if utf8.RuneCountInString(post) > 20 {
			return nil, fieldErr("post", "岗位名称不超过 20 字")
		}
		np.Post = post
	}
	if in.TownID != 0 {
		if _, err := s.store.TownByID(ctx, in.TownID); err != nil {
			return nil, fieldErr("town_id", "区镇不存在")
		}
		np.TownID = &in.TownID
	}
	town := ""
	if np.TownID != nil {
		t, err := s.store.TownByID(ctx, *np.TownID)
		if err != nil {
			return nil, err
		}
		town = t.Name
	}
	today := screening.DateOf(clock.InChina(now))
	card := s.cardOf(ctx, s.store, &np, town, today)
	card.PermitNo, card.QRText = "HM0000-00000", "https://example.invalid/verify"
	if err := certificates.CheckPermit(card); err != nil {
		return nil, cardErr(err)
	}
	if np.No, err = s.reserveNumber(ctx, today.Year); err != nil {
		return nil, err
	}
	card.PermitNo, card.QRText = np.No, s.signer.URL(s.publicURL, np.No)
	doc, err := render(card, now)
	if err != nil {
		return nil, cardErr(err)
	}
	err = s.retry(ctx, func(tx *models.Store) error {
		np.ID = 0
		cur, err := tx.LockPermit(ctx, old.ID)
		if err != nil {
			return err
		}
		if cur.Status != old.Status {
			return models.Conflict("status_changed", "上岗证状态已变化，请刷新后重试")
		}
		if err := tx.CreatePermit(ctx, &np); err != nil {
			return err
		}
		// Rule T-4: the holder's refresher follows the card they hold. A place in a sitting
		// left on the superseded number would be settled there and its pass lost (the new
		// permit suspended at its date), and the nightly cycle would try to seat the holder
		// again in the sitting they are already in.
		if err := tx.MoveEnrolments(ctx, cur.ID, np.ID); err != nil {
			return err
		}
		doc.PermitID, doc.ID = np.ID, 0
		if err := tx.AddPermitDocument(ctx, doc); err != nil {
			return err
		}
		if err := s.change(ctx, tx, actor, cur, models.PermitSuperseded, "superseded",
			fmt.Sprintf("换发新证 %s：%s", np.No, reason), reason, map[string]any{"superseded_by_id": np.ID}); err != nil {
			return err
		}
		if err := tx.AddPermitEvents(ctx, models.PermitEvent{PermitID: np.ID, At: now, Kind: "issued", To: np.Status,
			Message: fmt.Sprintf("换发上岗证 %s（原证 %s 作废）：%s；有效期至 %s", np.No, old.No, reason, np.ValidUntil), ActorID: &actor.UserID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "permit.reissue", &np, reason, map[string]string{"no": np.No, "old": old.No, "sha256": doc.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, &np)
}

// The refresher's side (rule T-4). These run inside the refresher's own transaction, so the
// notice it sends about a change is recorded if and only if the change is; the actor is the
// zero Actor (the system).

// SuspendTx suspends the permit id if it is still active and past its valid-until date on
// today; it reports whether it did (false: already suspended, renewed meanwhile, revoked…).
func (s *Service) SuspendTx(ctx context.Context, tx *models.Store, id uint64, today screening.Date) (*models.Permit, bool, error) {
	p, err := tx.LockPermit(ctx, id)
	if err != nil {
		return nil, false, err
	}
	until, err := screening.ParseDate(p.ValidUntil)
	if err != nil {
		return nil, false, fmt.Errorf("permit %d valid until %q: %w", p.ID, p.ValidUntil, err)
	}
	if p.Status != models.PermitActive || !today.After(until) {
		return p, false, nil
	}
	reason := "有效期至 " + p.ValidUntil + "，未按期通过年度复训"
	return p, true, s.change(ctx, tx, models.Actor{}, p, models.PermitSuspended, "suspended", "上岗证暂停："+reason, reason, nil)
}

// ExpireTx ends a permit suspended for longer than the policy's grace (ExpireAfterDays past its
// valid-until date); it reports whether it did.
func (s *Service) ExpireTx(ctx context.Context, tx *models.Store, id uint64, today screening.Date) (*models.Permit, bool, error) {
	p, err := tx.LockPermit(ctx, id)
	if err != nil {
		return nil, false, err
	}
	until, err := screening.ParseDate(p.ValidUntil)
	if err != nil {
		return nil, false, fmt.Errorf("permit %d valid until %q: %w", p.ID, p.ValidUntil, err)
	}
	if p.Status != models.PermitSuspended || !today.After(until.AddDays(s.policy.ExpireAfterDays)) {
		return p, false, nil
	}
	reason := fmt.Sprintf("暂停超过 %d 天仍未通过复训，上岗证失效；须重新参加岗前培训", s.policy.ExpireAfterDays)
	return p, true, s.change(ctx, tx, models.Actor{}, p, models.PermitExpired, "expired", "上岗证失效："+reason, reason, nil)
}

// RenewTx records a refresher passed on day passed (rule T-4): the permit moves to the next
// cycle on its fixed anniversary — one year after the old valid-until date, not after the
// pass — and a suspended one is restored. A card with the new date is rendered and kept. It
// reports false for a permit that cannot be renewed (revoked, expired, superseded) or was
// renewed for this pass already (its date already covers the pass's cycle).
func (s *Service) RenewTx(ctx context.Context, tx *models.Store, id uint64, passed screening.Date) (*models.Permit, bool, error) {
	return s.renew(ctx, tx, id, 0, passed)
}

// RenewForCycleTx is RenewTx for a refresher the holder was put into for the permit's cycle
// (an enrolment's): the enrolment shows the pass is this cycle's, so it counts even when it
// was sat before today's window opened (the window setting was shortened since). It reports
// false when the permit has moved on from that cycle.
func (s *Service) RenewForCycleTx(ctx context.Context, tx *models.Store, id uint64, cycle int, passed screening.Date) (*models.Permit, bool, error) {
	return s.renew(ctx, tx, id, cycle, passed)
}

// renew is RenewTx, and RenewForCycleTx for a cycle other than 0.
func (s *Service) renew(ctx context.Context, tx *models.Store, id uint64, cycle int, passed screening.Date) (*models.Permit, bool, error) {
	p, err := tx.LockPermit(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if p.Status != models.PermitActive && p.Status != models.PermitSuspended {
		return p, false, nil
	}
	issued, err := screening.ParseDate(p.IssuedOn)
	if err != nil {
		return nil, false, fmt.Errorf("permit %d issued on %q: %w", p.ID, p.IssuedOn, err)
	}
	until, _ := screening.ParseDate(p.ValidUntil)
	if p.Status == models.PermitSuspended && passed.After(until.AddDays(s.policy.ExpireAfterDays)) {
		// The grace ran out before the pass: the permit lapsed that day (ExpireTx), whether
		// or not the nightly run has said so yet; a refresher no longer restores it.
		return p, false, nil
	}
	if cycle != 0 && cycle != p.Cycle {
		return p, false, nil // renewed meanwhile through another sitting
	}
	if cycle == 0 && certificates.WindowOpens(until, s.policy.WindowDays).After(passed) {
		// A pass before this cycle's window (an earlier cycle's, or an extra sitting) does not
		// renew it again.
		return p, false, nil
	}
	next := certificates.CycleAfterPass(issued, p.Cycle, passed)
	newUntil := certificates.ValidUntil(issued, next)
	town := ""
	if p.TownID != nil {
		if t, err := tx.TownByID(ctx, *p.TownID); err == nil {
			town = t.Name
		}
	}
	now := s.clock.Now()
	renewed := *p
	renewed.Cycle, renewed.ValidUntil = next, newUntil.String()
	// The card's 发证日期 stays the day this number was issued (a re-issue's day for a
	// re-issued permit), as a print run's sheet prints it: a renewal changes the valid-until
	// date, not when the card was issued.
	card := s.cardOf(ctx, tx, &renewed, town, printedOn(p))
	doc, err := render(card, now)
	if err != nil {
		return nil, false, cardErr(err)
	}
	doc.PermitID = p.ID
	if err := tx.AddPermitDocument(ctx, doc); err != nil {
		return nil, false, err
	}
	msg := fmt.Sprintf("年度复训合格（%s），有效期延至 %s", passed, newUntil)
	kind := "renewed"
	if p.Status == models.PermitSuspended {
		kind, msg = "restored", msg+"，上岗证恢复有效"
	}
	from := p.Status
	cols := map[string]any{"status": models.PermitActive, "status_reason": "", "status_at": now, "updated_at": now,
		"cycle": next, "valid_until": newUntil.String()}
	if err := tx.UpdatePermit(ctx, p.ID, []string{from}, cols); err != nil {
		return nil, false, err
	}
	p.Status, p.StatusReason, p.Cycle, p.ValidUntil = models.PermitActive, "", next, newUntil.String()
	if err := tx.AddPermitEvents(ctx, models.PermitEvent{PermitID: p.ID, At: now, Kind: kind, From: from, To: p.Status, Message: msg}); err != nil {
		return nil, false, err
	}
	return p, true, s.audit(ctx, tx, models.Actor{}, "permit."+kind, p, "", map[string]string{"no": p.No,
		"valid_until": p.ValidUntil, "passed": passed.String(), "sha256": doc.SHA256})
}
