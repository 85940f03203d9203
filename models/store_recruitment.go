package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ListTowns lists the towns in Attachment 1 order.
func (s *Store) ListTowns(ctx context.Context) ([]Town, error) {
	var ts []Town
	if err := s.q(ctx).Order("sort, id").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("list towns: %w", err)
	}
	return ts, nil
}

// TownByID loads a town.
func (s *Store) TownByID(ctx context.Context, id uint64) (*Town, error) {
	if !ValidID(id) {
		return nil, NotFound("区镇")
	}
	var t Town
	if err := s.q(ctx).Take(&t, id).Error; err != nil {
		return nil, notFound(err, "区镇")
	}
	return &t, nil
}

// TownByName loads a town by its name.
func (s *Store) TownByName(ctx context.Context, name string) (*Town, error) {
	var t Town
	if err := s.q(ctx).Where("name = ?", name).Take(&t).Error; err != nil {
		return nil, notFound(err, "区镇")
	}
	return &t, nil
}

// SetExistingStaff records how many staff a town has in post outside the portal.
func (s *Store) SetExistingStaff(ctx context.Context, townID uint64, n int) error {
	res := s.q(ctx).Model(&Town{}).Where("id = ?", townID).Update("existing_staff", n)
	if res.Error != nil {
		return fmt.Errorf("set existing staff: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("区镇")
	}
	return nil
}

// GetSetting returns a setting's value; ok is false when it is not set.
func (s *Store) GetSetting(ctx context.Context, key string) (string, bool, error) {
	var st Setting
	err := s.q(ctx).Where("`key` = ?", key).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get setting %s: %w", key, err)
	}
	return st.Value, true, nil
}

// PutSetting creates or replaces a setting.
func (s *Store) PutSetting(ctx context.Context, key, value string, by uint64, now time.Time) error {
	st := Setting{Key: key, Value: value, UpdatedAt: now, UpdatedBy: by}
	err := s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at", "updated_by"}),
	}).Create(&st).Error
	if err != nil {
		return fmt.Errorf("put setting %s: %w", key, err)
	}
	return nil
}

// InsertSettingIfMissing stores a default value unless the key exists already.
func (s *Store) InsertSettingIfMissing(ctx context.Context, key, value string, now time.Time) error {
	st := Setting{Key: key, Value: value, UpdatedAt: now}
	if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&st).Error; err != nil {
		return fmt.Errorf("default setting %s: %w", key, err)
	}
	return nil
}

// CreateOpening inserts an opening.
func (s *Store) CreateOpening(ctx context.Context, o *Opening) error {
	if err := s.q(ctx).Omit("Town").Create(o).Error; err != nil {
		return fmt.Errorf("create opening: %w", err)
	}
	return nil
}

// SaveOpening writes every field of a draft opening. It is ErrConflict once the opening is no
// longer a draft, so an edit that raced a publish can never un-publish it or change its frozen
// conditions (rule R-2). (Fix: this was an unconditional Save, i.e. check-then-write in
// UpdateDraft, and gorm's Save even inserts when the update matches no row.)
func (s *Store) SaveOpening(ctx context.Context, o *Opening) error {
	res := s.q(ctx).Model(o).Where("status = ?", OpeningDraft).
		Select("*").Omit("Town", "ID", "CreatedAt", "CreatedBy").Updates(o)
	if res.Error != nil {
		return fmt.Errorf("save opening: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		// Gone, or no longer a draft: say which.
		cur, err := s.OpeningByID(ctx, o.ID)
		if err != nil {
			return err
		}
		if cur.Status != OpeningDraft {
			return Conflict("opening_frozen", "岗位已发布，招聘条件已冻结，不能修改")
		}
	}
	return nil
}

// PublishOpening moves a draft to published; it fails with ErrConflict if it is no longer a draft,
// so two admins publishing at once cannot both succeed.
func (s *Store) PublishOpening(ctx context.Context, o *Opening) error {
	res := s.q(ctx).Model(&Opening{}).Where("id = ? AND status = ?", o.ID, OpeningDraft).Updates(map[string]any{
		"status": OpeningPublished, "published_at": o.PublishedAt, "published_by": o.PublishedBy,
		"conditions": o.Conditions, "updated_at": o.UpdatedAt,
	})
	if res.Error != nil {
		return fmt.Errorf("publish opening: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("already_published", "该岗位已发布")
	}
	return nil
}

// SetOpeningCloses moves a published opening's closing date.
func (s *Store) SetOpeningCloses(ctx context.Context, id uint64, closes string, now time.Time) error {
	err := s.q(ctx).Model(&Opening{}).Where("id = ?", id).
		Updates(map[string]any{"closes_at": closes, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("extend opening: %w", err)
	}
	return nil
}

// OpeningByID loads an opening with its town.
func (s *Store) OpeningByID(ctx context.Context, id uint64) (*Opening, error) {
	if !ValidID(id) {
		return nil, NotFound("招聘岗位")
	}
	var o Opening
	if err := s.q(ctx).Preload("Town").Take(&o, id).Error; err != nil {
		return nil, notFound(err, "招聘岗位")
	}
	return &o, nil
}

// OpeningsByIDs loads several openings with their towns in one query, keyed by id.
func (s *Store) OpeningsByIDs(ctx context.Context, ids []uint64) (map[uint64]*Opening, error) {
	out := map[uint64]*Opening{}
	if len(ids) == 0 {
		return out, nil
	}
	var os []Opening
	if err := s.q(ctx).Preload("Town").Where("id IN ?", ids).Find(&os).Error; err != nil {
		return nil, fmt.Errorf("load openings: %w", err)
	}
	for i := range os {
		out[os[i].ID] = &os[i]
	}
	return out, nil
}

// LockOpening loads an opening inside a transaction, holding a write lock on its row on MySQL
// (SQLite's immediate transactions hold the whole database already), so concurrent proposal
// runs for one opening queue up.
func (s *Store) LockOpening(ctx context.Context, id uint64) (*Opening, error) {
	if !ValidID(id) {
		return nil, NotFound("招聘岗位")
	}
	q := s.q(ctx).Preload("Town")
	if s.dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var o Opening
	if err := q.Take(&o, id).Error; err != nil {
		return nil, notFound(err, "招聘岗位")
	}
	return &o, nil
}

// OpeningFilter narrows ListOpenings.
type OpeningFilter struct {
	TownID    *uint64
	Published bool // only published openings
}

// ListOpenings lists openings, newest first.
func (s *Store) ListOpenings(ctx context.Context, f OpeningFilter) ([]Opening, error) {
	q := s.q(ctx).Preload("Town").Order("id DESC")
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	if f.Published {
		q = q.Where("status = ?", OpeningPublished)
	}
	var os []Opening
	if err := q.Find(&os).Error; err != nil {
		return nil, fmt.Errorf("list openings: %w", err)
	}
	return os, nil
}

// CreateApplication inserts an application. A second live application to one opening with one
// ID number, or from one account, is ErrConflict.
func (s *Store) CreateApplication(ctx context.Context, a *Application) error {
	if err := s.q(ctx).Create(a).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("duplicate_application", "该身份证号（或该账号）已报名此岗位，不能重复报名；如需修改请先撤回原报名")
		}
		return fmt.Errorf("create application: %w", err)
	}
	return nil
}

// HasLiveApplication reports whether an opening has a live (not withdrawn) application with
// this ID-number hash or from this user.
func (s *Store) HasLiveApplication(ctx context.Context, openingID uint64, idHash string, userID uint64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&Application{}).
		Where("opening_id = ? AND (active_id_hash = ? OR active_user_id = ?)", openingID, idHash, userID).
		Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("find live application: %w", err)
	}
	return n > 0, nil
}

// ApplicationByID loads an application.
func (s *Store) ApplicationByID(ctx context.Context, id uint64) (*Application, error) {
	if !ValidID(id) {
		return nil, NotFound("报名记录")
	}
	var a Application
	if err := s.q(ctx).Take(&a, id).Error; err != nil {
		return nil, notFound(err, "报名记录")
	}
	return &a, nil
}

// LockApplication loads an application holding a write lock on its row (MySQL; SQLite's
// transactions hold the database), so decisions about one application queue up.
func (s *Store) LockApplication(ctx context.Context, id uint64) (*Application, error) {
	if !ValidID(id) {
		return nil, NotFound("报名记录")
	}
	q := s.q(ctx)
	if s.dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var a Application
	if err := q.Take(&a, id).Error; err != nil {
		return nil, notFound(err, "报名记录")
	}
	return &a, nil
}

// UpdateApplication writes the given columns of an application whose status is still one of
// fromStatuses; otherwise it is ErrConflict (someone else changed it first).
func (s *Store) UpdateApplication(ctx context.Context, id uint64, fromStatuses []string, cols map[string]any) error {
	res := s.q(ctx).Model(&Application{}).Where("id = ? AND status IN ?", id, fromStatuses).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update application: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("status_changed", "报名状态已变化，请刷新后重试")
	}
	return nil
}

// ApplicationFilter narrows ListApplications.
type ApplicationFilter struct {
	IDs       []uint64
	OpeningID *uint64
	UserID    *uint64
	TownID    *uint64
	Statuses  []string
	Limit     int
}

// ListApplications lists applications, oldest first, without their uploads.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]Application, error) {
	q := s.q(ctx).Model(&Application{}).Order("applications.id")
	if f.IDs != nil {
		q = q.Where("applications.id IN ?", f.IDs)
	}
	if f.OpeningID != nil {
		q = q.Where("applications.opening_id = ?", *f.OpeningID)
	}
	if f.UserID != nil {
		q = q.Where("applications.user_id = ?", *f.UserID)
	}
	if f.TownID != nil {
		q = q.Joins("JOIN openings ON openings.id = applications.opening_id").Where("openings.town_id = ?", *f.TownID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("applications.status IN ?", f.Statuses)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var as []Application
	if err := q.Find(&as).Error; err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	return as, nil
}

// CountRecentApplications counts a user's submissions since a time (per-account rate limit).
func (s *Store) CountRecentApplications(ctx context.Context, userID uint64, since time.Time) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&Application{}).Where("user_id = ? AND submitted_at > ?", userID, since).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count recent applications: %w", err)
	}
	return n, nil
}

// StatusCount is a count of applications by opening and status.
type StatusCount struct {
	OpeningID uint64
	TownID    uint64
	Status    string
	N         int
}

// CountApplicationsByStatus counts applications per opening and status.
func (s *Store) CountApplicationsByStatus(ctx context.Context, townID *uint64) ([]StatusCount, error) {
	q := s.q(ctx).Table("applications").
		Select("applications.opening_id AS opening_id, openings.town_id AS town_id, applications.status AS status, COUNT(*) AS n").
		Joins("JOIN openings ON openings.id = applications.opening_id").
		Group("applications.opening_id, openings.town_id, applications.status")
	if townID != nil {
		q = q.Where("openings.town_id = ?", *townID)
	}
	var out []StatusCount
	if err := q.Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("count applications: %w", err)
	}
	return out, nil
}

// CreateReviewItems inserts review items.
func (s *Store) CreateReviewItems(ctx context.Context, items []ReviewItem) error {
	if len(items) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&items).Error; err != nil {
		return fmt.Errorf("create review items: %w", err)
	}
	return nil
}

// ReviewItemByID loads a review item.
func (s *Store) ReviewItemByID(ctx context.Context, id uint64) (*ReviewItem, error) {
	if !ValidID(id) {
		return nil, NotFound("复核事项")
	}
	var it ReviewItem
	if err := s.q(ctx).Take(&it, id).Error; err != nil {
		return nil, notFound(err, "复核事项")
	}
	return &it, nil
}

// ReviewItemsFor lists the review items of some applications.
func (s *Store) ReviewItemsFor(ctx context.Context, appIDs []uint64) ([]ReviewItem, error) {
	if len(appIDs) == 0 {
		return nil, nil
	}
	var its []ReviewItem
	if err := s.q(ctx).Where("application_id IN ?", appIDs).Order("id").Find(&its).Error; err != nil {
		return nil, fmt.Errorf("list review items: %w", err)
	}
	return its, nil
}

// DecideReviewItem records a decision on a pending item; ErrConflict if it was decided already.
func (s *Store) DecideReviewItem(ctx context.Context, id uint64, status, reason string, by uint64, at time.Time) error {
	res := s.q(ctx).Model(&ReviewItem{}).Where("id = ? AND status = ?", id, ReviewPending).
		Updates(map[string]any{"status": status, "reason": reason, "decided_by": by, "decided_at": at})
	if res.Error != nil {
		return fmt.Errorf("decide review item: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("already_decided", "该事项已有复核结论")
	}
	return nil
}

// PendingReviewApplications lists one page of ids of live applications with pending review
// items, oldest first, limited to a town when townID is set, and how many there are in all.
func (s *Store) PendingReviewApplications(ctx context.Context, townID *uint64, offset, limit int) ([]uint64, int64, error) {
	base := func() *gorm.DB {
		q := s.q(ctx).Table("review_items").
			Joins("JOIN applications ON applications.id = review_items.application_id").
			Where("review_items.status = ? AND applications.status IN ?", ReviewPending, []string{AppEligible, AppPendingReview, AppIneligible})
		if townID != nil {
			q = q.Joins("JOIN openings ON openings.id = applications.opening_id").Where("openings.town_id = ?", *townID)
		}
		return q
	}
	var total int64
	if err := base().Distinct("review_items.application_id").Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count pending reviews: %w", err)
	}
	q := base().Select("DISTINCT review_items.application_id").Order("review_items.application_id").Offset(max(0, offset))
	if limit > 0 {
		q = q.Limit(limit)
	}
	var ids []uint64
	if err := q.Pluck("review_items.application_id", &ids).Error; err != nil {
		return nil, 0, fmt.Errorf("pending reviews: %w", err)
	}
	return ids, total, nil
}

// ApplicationSearch narrows SearchApplications; zero fields do not narrow.
type ApplicationSearch struct {
	Scope     *uint64 // a town admin's town
	OpeningID *uint64
	Status    string
	// Text matches a part of the name or of the phone number.
	Text   string
	IDHash string // the keyed hash of a whole ID number
	// MaskPrefix and MaskSuffix match the stored mask's ends (its first 3 and last 2 characters).
	MaskPrefix, MaskSuffix string
	Offset, Limit          int // Limit 0: all
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// SearchApplications lists matching applications, newest first, and how many match in all.
func (s *Store) SearchApplications(ctx context.Context, f ApplicationSearch) ([]Application, int64, error) {
	q := s.q(ctx).Model(&Application{}).Joins("JOIN openings ON openings.id = applications.opening_id")
	if f.Scope != nil {
		q = q.Where("openings.town_id = ?", *f.Scope)
	}
	if f.OpeningID != nil {
		q = q.Where("applications.opening_id = ?", *f.OpeningID)
	}
	if f.Status != "" {
		q = q.Where("applications.status = ?", f.Status)
	}
	if f.Text != "" {
		like := "%" + likeEscape(f.Text) + "%"
		q = q.Where("(applications.name LIKE ? ESCAPE '!' OR applications.phone LIKE ? ESCAPE '!')", like, like)
	}
	if f.IDHash != "" {
		q = q.Where("applications.id_hash = ?", f.IDHash)
	}
	if f.MaskPrefix != "" {
		q = q.Where("applications.id_masked LIKE ? ESCAPE '!'", likeEscape(f.MaskPrefix)+"%")
	}
	if f.MaskSuffix != "" {
		q = q.Where("applications.id_masked LIKE ? ESCAPE '!'", "%"+likeEscape(f.MaskSuffix))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count applications: %w", err)
	}
	q = q.Select("applications.*").Order("applications.id DESC").Offset(max(0, f.Offset))
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var as []Application
	if err := q.Find(&as).Error; err != nil {
		return nil, 0, fmt.Errorf("search applications: %w", err)
	}
	return as, total, nil
}

// CreateUpload stores a sanitised file.
func (s *Store) CreateUpload(ctx context.Context, u *Upload) error {
	if err := s.q(ctx).Create(u).Error; err != nil {
		return fmt.Errorf("store upload: %w", err)
	}
	return nil
}

// UploadByID loads a ready upload with its bytes. A file still in quarantine or refused by the
// sanitising worker is never handed out, whoever asks: ErrFileProcessing / ErrFileRejected.
func (s *Store) UploadByID(ctx context.Context, id string) (*Upload, error) {
	var u Upload
	if err := s.q(ctx).Omit("original").Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, notFound(err, "文件")
	}
	switch u.State {
	case UploadReady:
		return &u, nil
	case UploadQuarantined:
		return nil, ErrFileProcessing
	}
	return nil, ErrFileRejected
}

// ErrFileProcessing is UploadByID's answer for a file that waits in quarantine.
var ErrFileProcessing = Conflict("file_processing", "照片处理中：文件正在进行安全处理，通常几秒到几分钟内完成，请稍后刷新")

// ErrFileRejected is UploadByID's answer for a file that sanitising refused.
var ErrFileRejected = Conflict("file_rejected", "文件无法处理，需重新上传")

// UploadsOf lists an application's uploads, of every state, without their bytes.
func (s *Store) UploadsOf(ctx context.Context, appID uint64) ([]Upload, error) {
	var us []Upload
	err := s.q(ctx).Omit("data", "original").Where("application_id = ?", appID).Order("created_at, id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	return us, nil
}

// AddEvents appends timeline events.
func (s *Store) AddEvents(ctx context.Context, es ...Event) error {
	if len(es) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&es).Error; err != nil {
		return fmt.Errorf("add events: %w", err)
	}
	return nil
}

// EventsOf lists an application's timeline.
func (s *Store) EventsOf(ctx context.Context, appID uint64) ([]Event, error) {
	var es []Event
	if err := s.q(ctx).Where("application_id = ?", appID).Order("at, id").Find(&es).Error; err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return es, nil
}

// CountScored counts an opening's live applications that have a score or are marked absent.
func (s *Store) CountScored(ctx context.Context, openingID uint64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&Application{}).
		Where("opening_id = ? AND status <> ? AND (score IS NOT NULL OR absent = ?)", openingID, AppWithdrawn, true).
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count scored: %w", err)
	}
	return n, nil
}

// SetScoresFrozen sets or clears (nil) when an opening's scores were frozen by its proposals.
func (s *Store) SetScoresFrozen(ctx context.Context, openingID uint64, at *time.Time) error {
	err := s.q(ctx).Model(&Opening{}).Where("id = ?", openingID).Update("scores_frozen_at", at).Error
	if err != nil {
		return fmt.Errorf("set scores frozen: %w", err)
	}
	return nil
}

// RecordApplyAttempt counts one call of Apply by an account and returns how many it made since
// a time, this one included. Recording first and counting after means two concurrent attempts
// can both be refused at the limit, never both let through.
func (s *Store) RecordApplyAttempt(ctx context.Context, userID uint64, at, since time.Time) (int64, error) {
	if err := s.q(ctx).Create(&ApplyAttempt{UserID: userID, At: at}).Error; err != nil {
		return 0, fmt.Errorf("record apply attempt: %w", err)
	}
	var n int64
	if err := s.q(ctx).Model(&ApplyAttempt{}).Where("user_id = ? AND at > ?", userID, since).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count apply attempts: %w", err)
	}
	return n, nil
}

// DeleteApplyAttemptsBefore forgets attempts older than t.
func (s *Store) DeleteApplyAttemptsBefore(ctx context.Context, t time.Time) (int64, error) {
	res := s.q(ctx).Where("at < ?", t).Delete(&ApplyAttempt{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete apply attempts: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// HasLiveApplicationOf reports whether an account has a live application to an opening.
func (s *Store) HasLiveApplicationOf(ctx context.Context, openingID, userID uint64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&Application{}).Where("opening_id = ? AND active_user_id = ?", openingID, userID).
		Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("find live application: %w", err)
	}
	return n > 0, nil
}

// LiveApplicationsWithIDHash lists an opening's applications (any status but withdrawn) whose ID
// number has this keyed hash, the identity conflicts included.
func (s *Store) LiveApplicationsWithIDHash(ctx context.Context, openingID uint64, idHash string) ([]Application, error) {
	var as []Application
	err := s.q(ctx).Where("opening_id = ? AND id_hash = ? AND status <> ?", openingID, idHash, AppWithdrawn).
		Order("id").Find(&as).Error
	if err != nil {
		return nil, fmt.Errorf("find applications by id hash: %w", err)
	}
	return as, nil
}

// SetApplicationCipher stores an application's sealed ID number and the version of its binding.
func (s *Store) SetApplicationCipher(ctx context.Context, id uint64, sealed []byte, version int) error {
	res := s.q(ctx).Model(&Application{}).Where("id = ?", id).
		Updates(map[string]any{"id_cipher": sealed, "id_cipher_version": version})
	if res.Error != nil {
		return fmt.Errorf("set id cipher: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("报名记录")
	}
	return nil
}

// SetApplicationProfile stores the sealed 报名表 details of an application.
func (s *Store) SetApplicationProfile(ctx context.Context, id uint64, sealed []byte) error {
	res := s.q(ctx).Model(&Application{}).Where("id = ?", id).Update("profile_cipher", sealed)
	if res.Error != nil {
		return fmt.Errorf("set profile cipher: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("报名记录")
	}
	return nil
}

// ApplicationsWithCipherVersion lists up to limit applications (id, cipher and hash only) whose
// ID ciphertext has the given binding version, for the upgrade to row-bound ciphertexts.
func (s *Store) ApplicationsWithCipherVersion(ctx context.Context, version, limit int) ([]Application, error) {
	var as []Application
	err := s.q(ctx).Select("id, id_cipher, id_cipher_version, id_hash").Where("id_cipher_version = ?", version).
		Order("id").Limit(limit).Find(&as).Error
	if err != nil {
		return nil, fmt.Errorf("list ciphers: %w", err)
	}
	return as, nil
}

// ReopenReviewItem puts a decided item back to pending; ErrConflict unless it was decided.
func (s *Store) ReopenReviewItem(ctx context.Context, id uint64) error {
	res := s.q(ctx).Model(&ReviewItem{}).Where("id = ? AND status IN ?", id, []string{ReviewApproved, ReviewRejected}).
		Updates(map[string]any{"status": ReviewPending, "reason": "", "decided_by": nil, "decided_at": nil})
	if res.Error != nil {
		return fmt.Errorf("reopen review item: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("not_decided", "该事项尚无复核结论，无需重新复核")
	}
	return nil
}

// SupplementReviewItem puts a rejected item back to pending once, for replacement evidence;
// ErrConflict if it is not rejected or was supplemented already.
func (s *Store) SupplementReviewItem(ctx context.Context, id uint64, max int) error {
	res := s.q(ctx).Model(&ReviewItem{}).Where("id = ? AND status = ? AND supplements < ?", id, ReviewRejected, max).
		Updates(map[string]any{"status": ReviewPending, "supplements": gorm.Expr("supplements + 1"), "reason": "",
			"decided_by": nil, "decided_at": nil})
	if res.Error != nil {
		return fmt.Errorf("supplement review item: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("cannot_supplement", "该事项不能再补充材料（只有未通过的事项可补充一次）")
	}
	return nil
}

// ResolveIdentityItems settles an application's pending identity-conflict items when no other
// live application shares its ID number any more (the other was withdrawn).
func (s *Store) ResolveIdentityItems(ctx context.Context, appID uint64, reason string, at time.Time) error {
	err := s.q(ctx).Model(&ReviewItem{}).Where("application_id = ? AND kind = ? AND status = ?", appID, ReviewIdentity, ReviewPending).
		Updates(map[string]any{"status": ReviewApproved, "reason": reason, "decided_at": at}).Error
	if err != nil {
		return fmt.Errorf("resolve identity items: %w", err)
	}
	return nil
}
