package recruitment

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/media"
	"auxportal/models"
	"auxportal/paging"
	"auxportal/screening"
)

// ReviewQueue is the first page of the review queue (ReviewQueuePage).
func (s *Service) ReviewQueue(ctx context.Context, actor models.Actor) ([]ReviewQueueEntry, error) {
	p, err := s.ReviewQueuePage(ctx, actor, 1)
	if err != nil {
		return nil, err
	}
	return p.Entries, nil
}

// ListPageSize is how many lines one page of an admin's list shows.
const ListPageSize = 50

// QueuePage is one page of the review queue.
type QueuePage struct {
	Entries   []ReviewQueueEntry `json:"entries"`
	Total     int64              `json:"total"`
	Page      int                `json:"page"`
	Pages     int                `json:"pages"`
	PageSize  int                `json:"page_size"`
	PageLinks []paging.Link      `json:"-"`
}

// ReviewQueuePage lists one page of the applications that need a human decision, oldest first,
// within the actor's towns; every one of them is on some page.
func (s *Service) ReviewQueuePage(ctx context.Context, actor models.Actor, page int) (*QueuePage, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以复核报名")
	}
	page = paging.Clamp(page)
	ids, total, err := s.store.PendingReviewApplications(ctx, actor.TownScope(), paging.Offset(page, ListPageSize), ListPageSize)
	if err != nil {
		return nil, err
	}
	p := &QueuePage{Entries: []ReviewQueueEntry{}, Total: total, Page: page, PageSize: ListPageSize,
		Pages: paging.Pages(total, ListPageSize)}
	p.PageLinks = paging.Links(page, p.Pages, func(n int) string { return fmt.Sprintf("page=%d", n) })
	if len(ids) == 0 {
		return p, nil
	}
	items, err := s.store.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, err
	}
	pending := map[uint64][]string{}
	for _, it := range items {
		if it.Status == models.ReviewPending {
			pending[it.ApplicationID] = append(pending[it.ApplicationID], ReviewKindLabel(it.Kind))
		}
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	sums, err := s.summaries(ctx, apps)
	if err != nil {
		return nil, err
	}
	for _, sum := range sums {
		p.Entries = append(p.Entries, ReviewQueueEntry{ApplicationSummary: sum, Pending: pending[sum.ID]})
	}
	return p, nil
}

// ReviewQueueEntry is an application with the items still to decide.
type ReviewQueueEntry struct {
	ApplicationSummary
	Pending []string `json:"pending"`
}

// Decision is a reviewer's verdict on one item.
type Decision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

// Decide records a verdict on a review item, then re-judges the application: a rejected claim
// takes its relaxation and preference away, screening runs again, and the ranking (computed from
// verified preferences) follows by itself. The applicant sees the reason.
func (s *Service) Decide(ctx context.Context, actor models.Actor, itemID uint64, d Decision) (*ApplicationView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以复核报名")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if !d.Approve && d.Reason == "" {
		return nil, fieldErr("reason", "不通过时须填写原因，申请人将看到该原因")
	}
	if utf8.RuneCountInString(d.Reason) > 500 {
		return nil, fieldErr("reason", "原因不能超过 500 字")
	}
	item, err := s.store.ReviewItemByID(ctx, itemID)
	if err != nil {
		return nil, err
	}
	app, o, err := s.managedApplication(ctx, actor, item.ApplicationID)
	if err != nil {
		return nil, err
	}
	// An application a rejection made ineligible may still have items to decide (they matter
	// again once that rejection is corrected), so it is reviewable too.
	live := reopenable
	if !contains(live, app.Status) {
		return nil, models.Conflict("not_reviewable", "该报名当前状态为“%s”，不能复核", StatusLabel(app.Status))
	}
	if item.Status != models.ReviewPending {
		return nil, models.Conflict("already_decided", "该事项已有复核结论；如需更正，请使用“撤回结论，重新复核”")
	}
	if kind, ok := evidenceOf[item.Kind]; ok {
		if err := s.evidenceSettled(ctx, app.ID, kind); err != nil {
			return nil, err
		}
	}
	status := models.ReviewApproved
	if !d.Approve {
		status = models.ReviewRejected
	}
	now := s.clock.Now()
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if item.Kind == models.ReviewIdentity && d.Approve {
			// Rule A2-2: one ID number belongs to one person; at most one of the applications
			// that share it passes the identity check. Two reviewers approving two of them at
			// once must queue on the opening's row, or both checks pass (MySQL).
			if _, err := tx.LockOpening(ctx, app.OpeningID); err != nil {
				return err
			}
			if err := s.onlyIdentity(ctx, tx, app); err != nil {
				return err
			}
		}
		if err := tx.DecideReviewItem(ctx, itemID, status, d.Reason, actor.UserID, now); err != nil {
			return err
		}
		msg := "复核：" + ReviewKindLabel(item.Kind) + " " + ReviewStatusLabel(status)
		if d.Reason != "" {
			msg += "（" + d.Reason + "）"
		}
		if item.Kind == models.ReviewIdentity {
			// The applicant hears of an identity check only when it fails them (A2-2); an
			// approval would tell them that someone else applied with their number.
			msg = ""
			if !d.Approve {
				msg = "复核：身份核验未通过（" + d.Reason + "）"
			}
		}
		return s.rejudge(ctx, tx, actor, app, o, live, "review."+status, d.Reason,
			map[string]any{"item": item.Kind}, msg)
	})
	if err != nil {
		return nil, err
	}
	return s.AdminApplication(ctx, actor, app.ID)
}

// onlyIdentity refuses to pass the identity check of app when another live application with
// its ID number in the same opening has passed it.
func (s *Service) onlyIdentity(ctx context.Context, tx *models.Store, app *models.Application) error {
	same, err := tx.LiveApplicationsWithIDHash(ctx, app.OpeningID, app.IDHash)
	if err != nil {
		return err
	}
	var ids []uint64
	for _, a := range same {
		if a.ID != app.ID {
			ids = append(ids, a.ID)
		}
	}
	items, err := tx.ReviewItemsFor(ctx, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Kind == models.ReviewIdentity && it.Status == models.ReviewApproved {
			return models.Conflict("identity_taken", "同一身份证号码的报名 %d 已通过身份核验；同一号码只能有一份报名通过", it.ApplicationID)
		}
	}
	return nil
}

// rejudge re-runs screening on app inside tx after its review items changed, writes the new
// standing, the applicant's timeline (msg, and the new status when it changed) and the audit
// entry. The application must still be in one of from.
func (s *Service) rejudge(ctx context.Context, tx *models.Store, actor models.Actor, app *models.Application, o *models.Opening,
	from []string, action, reason string, detail map[string]any, msg string) error {
	number, err := s.openID(app)
	if err != nil {
		return err
	}
	id, err := screening.ParseID(number, screening.Date{})
	if err != nil {
		return fmt.Errorf("application %d: %w", app.ID, err)
	}
	items, err := tx.ReviewItemsFor(ctx, []uint64{app.ID})
	if err != nil {
		return err
	}
	j, err := judge(app, id, items)
	if err != nil {
		return err
	}
	if err := tx.UpdateApplication(ctx, app.ID, from, map[string]any{
		"status": j.status, "result": storedResult(j.result),
	}); err != nil {
		return err
	}
	now := s.clock.Now()
	var events []models.Event
	if msg != "" {
		events = append(events, models.Event{ApplicationID: app.ID, At: now, Kind: "review", Message: msg})
	}
	if j.status != app.Status {
		events = append(events, models.Event{ApplicationID: app.ID, At: now, Kind: "status",
			Message: "资格审查结果：" + StatusLabel(j.status)})
	}
	if err := tx.AddEvents(ctx, events...); err != nil {
		return err
	}
	if action == "" {
		return nil
	}
	detail["status_before"], detail["status_after"] = app.Status, j.status
	return s.audit(ctx, tx, actor, action, "application", app.ID, &o.TownID, reason, detail)
}

// reopenable are the statuses in which a decided review item may be reopened or supplemented:
// an application whose claim was rejected is often ineligible because of it.
var reopenable = []string{models.AppEligible, models.AppPendingReview, models.AppIneligible}

// ReopenReview takes back the verdict on a review item (a reviewer's mistake, new facts): the
// item is pending again and the application is re-judged as any decision re-judges it, with the
// reason in the audit log and on the applicant's timeline. Once proposals are made the ranking
// is frozen (rule R-1): a district admin must reopen scoring first.
func (s *Service) ReopenReview(ctx context.Context, actor models.Actor, itemID uint64, reason string) (*ApplicationView, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以复核报名")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, fieldErr("reason", "请填写重新复核的原因（不超过 500 字），申请人将看到该原因")
	}
	item, err := s.store.ReviewItemByID(ctx, itemID)
	if err != nil {
		return nil, err
	}
	app, o, err := s.managedApplication(ctx, actor, item.ApplicationID)
	if err != nil {
		return nil, err
	}
	if o.ScoresFrozenAt != nil {
		return nil, errScoresFrozen
	}
	if !contains(reopenable, app.Status) {
		return nil, models.Conflict("not_reviewable", "该报名当前状态为“%s”，不能重新复核", StatusLabel(app.Status))
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, o.ID)
		if err != nil {
			return err
		}
		if o.ScoresFrozenAt != nil {
			return errScoresFrozen
		}
		if err := tx.ReopenReviewItem(ctx, itemID); err != nil {
			return err
		}
		msg := "复核结论已撤回，重新复核：" + ReviewKindLabel(item.Kind) + "（" + reason + "）"
		if item.Kind == models.ReviewIdentity {
			msg = "" // staff's business (see Decide)
		}
		return s.rejudge(ctx, tx, actor, app, o, reopenable, "review.reopen", reason,
			map[string]any{"item": item.Kind, "old_status": item.Status, "old_reason": item.Reason}, msg)
	})
	if err != nil {
		return nil, err
	}
	return s.AdminApplication(ctx, actor, app.ID)
}

// MaxSupplements is how many times an applicant may replace rejected evidence of one item.
const MaxSupplements = 1

// evidenceOf is the upload that proves each review item's claim.
var evidenceOf = map[string]string{
	models.ReviewVeteran: FileVeteran, models.ReviewFormerAux: FileFormerAux, models.ReviewParty: FileParty,
	models.ReviewHeroic: FileHeroic, models.ReviewHukou: FileHukou, models.ReviewLicence: FileLicence,
	models.ReviewUrbanManagement: FileDiploma,
}

// Supplement lets an applicant whose evidence was rejected send a replacement once (补充材料):
// the file is stored beside the first, the item goes back to the review queue, and the
// application is re-judged as if the claim were still open. Not after proposals (rule R-1).
func (s *Service) Supplement(ctx context.Context, actor models.Actor, itemID uint64, data []byte) (*ApplicationView, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	item, err := s.store.ReviewItemByID(ctx, itemID)
	if err != nil {
		return nil, err
	}
	app, err := s.store.ApplicationByID(ctx, item.ApplicationID)
	if err != nil {
		return nil, err
	}
	kind, ok := evidenceOf[item.Kind]
	if app.UserID != actor.UserID || !ok {
		return nil, models.NotFound("复核事项")
	}
	if item.Status != models.ReviewRejected || item.Supplements >= MaxSupplements {
		return nil, models.Conflict("cannot_supplement", "只有复核未通过的事项可以补充材料，且只能补充一次")
	}
	if !contains(reopenable, app.Status) {
		return nil, models.Conflict("cannot_supplement", "该报名当前状态为“%s”，不能补充材料", StatusLabel(app.Status))
	}
	if len(data) == 0 {
		return nil, fieldErr("file", "请选择要上传的"+FileLabel(kind))
	}
	// Everything that can refuse is checked before the image is decoded, the costly part, and
	// the attempt counts against the account's limit like an application.
	now := s.clock.Now()
	if n, err := s.store.RecordApplyAttempt(ctx, actor.UserID, now, now.Add(-time.Hour)); err != nil {
		return nil, err
	} else if n > MaxApplyAttemptsPerHour {
		return nil, models.E(models.ErrRateLimited, "too_many_applications", "提交过于频繁，请一小时后再试")
	}
	if o, err := s.store.OpeningByID(ctx, app.OpeningID); err != nil {
		return nil, err
	} else if o.ScoresFrozenAt != nil {
		return nil, models.Conflict("cannot_supplement", "已确定拟录用人员，不能再补充材料")
	}
	if _, err := media.Inspect(data); err != nil {
		return nil, fieldErr("file", FileLabel(kind)+"："+err.Error())
	}
	held, err := s.seal(data)
	if err != nil {
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		o, err := tx.LockOpening(ctx, app.OpeningID)
		if err != nil {
			return err
		}
		if o.ScoresFrozenAt != nil {
			return models.Conflict("cannot_supplement", "已确定拟录用人员，不能再补充材料")
		}
		if err := tx.SupplementReviewItem(ctx, itemID, MaxSupplements); err != nil {
			return err
		}
		if err := storeQuarantined(ctx, tx, app.ID, kind, held, true, now); err != nil {
			return err
		}
		return s.rejudge(ctx, tx, actor, app, o, reopenable, "", "", nil,
			"已补充材料："+FileLabel(kind)+"，等待重新复核"+ReviewKindLabel(item.Kind))
	})
	if err != nil {
		return nil, err
	}
	s.WakeSanitizer()
	return s.ApplicationFor(ctx, actor, app.ID)
}

var errScoresFrozen = models.Conflict("scores_frozen",
	"已确定拟录用人员，成绩和复核结论已锁定（规则 R-1）；如需更正，须由区城管局先重新开放成绩录入，已确定的拟录用将被撤销")

// evidenceSettled refuses a verdict on a claim whose evidence the reviewer cannot see yet: a
// file of kind (the first or a supplement) still waits in quarantine (照片处理中), or was
// refused and not replaced (a replacement removes the refused file).
func (s *Service) evidenceSettled(ctx context.Context, appID uint64, kind string) error {
	files, err := s.store.UploadsOf(ctx, appID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Kind != kind {
			continue
		}
		switch f.State {
		case models.UploadQuarantined:
			return models.Conflict("evidence_processing", "%s正在进行安全处理，处理完成后才能复核，请稍后刷新", FileLabel(kind))
		case models.UploadFailed:
			return models.Conflict("evidence_reupload", "%s未能通过安全处理，正等待申请人重新上传，暂不能复核", FileLabel(kind))
		}
	}
	return nil
}
