package recruitment

import (
	"context"
	"time"

	"auxportal/media"
	"auxportal/models"
)

// ReplaceFile takes a new file from the applicant in place of one that sanitising refused
// (需重新上传). The new file passes the same cheap checks as an application's and waits in
// quarantine like them; the refused one is removed in the same transaction. The attempt counts
// against the account's hourly limit, as an application does.
func (s *Service) ReplaceFile(ctx context.Context, actor models.Actor, fileID string, data []byte) (*ApplicationView, error) {
	if actor.Anonymous() {
		return nil, models.E(models.ErrUnauthenticated, "login_required", "请先登录")
	}
	if len(fileID) != 32 {
		return nil, models.NotFound("文件")
	}
	app, u, err := s.ownFailedUpload(ctx, actor, fileID)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, fieldErr("file", "请选择要上传的"+FileLabel(u.Kind))
	}
	now := s.clock.Now()
	if n, err := s.store.RecordApplyAttempt(ctx, actor.UserID, now, now.Add(-time.Hour)); err != nil {
		return nil, err
	} else if n > MaxApplyAttemptsPerHour {
		return nil, models.E(models.ErrRateLimited, "too_many_applications", "提交过于频繁，请一小时后再试")
	}
	held, err := s.seal(data)
	if err != nil {
		if media.Refused(err) {
			return nil, fieldErr("file", FileLabel(u.Kind)+"："+err.Error())
		}
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.DeleteFailedUpload(ctx, app.ID, u.ID); err != nil {
			return err
		}
		if err := storeQuarantined(ctx, tx, app.ID, u.Kind, held, u.Supplement, now); err != nil {
			return err
		}
		return tx.AddEvents(ctx, models.Event{ApplicationID: app.ID, At: now, Kind: "upload_replaced",
			Message: "已重新上传" + FileLabel(u.Kind) + "，正在进行安全处理"})
	})
	if err != nil {
		return nil, err
	}
	s.WakeSanitizer()
	return s.ApplicationFor(ctx, actor, app.ID)
}

// ownFailedUpload is the actor's refused upload fileID and its application; anything else is
// not found (an upload of someone else's is not named) or a conflict (a ready or waiting file).
func (s *Service) ownFailedUpload(ctx context.Context, actor models.Actor, fileID string) (*models.Application, *models.Upload, error) {
	files, err := s.store.UploadMeta(ctx, fileID)
	if err != nil {
		return nil, nil, err
	}
	app, err := s.store.ApplicationByID(ctx, files.ApplicationID)
	if err != nil {
		return nil, nil, err
	}
	if app.UserID != actor.UserID || actor.Role != models.RoleApplicant {
		return nil, nil, models.NotFound("文件")
	}
	if files.State != models.UploadFailed {
		return nil, nil, models.Conflict("cannot_replace", "只有未能通过安全处理（需重新上传）的文件可以重新上传")
	}
	if app.Status == models.AppWithdrawn {
		return nil, nil, models.Conflict("cannot_replace", "该报名已撤回，不能重新上传材料")
	}
	return app, files, nil
}
