package recruitment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"auxportal/media"
	"auxportal/models"
	"auxportal/notices"
)

// The upload quarantine. An application (or a supplement, or a replacement) is acknowledged once
// its files pass media.Inspect, which reads only their headers; each file is then stored sealed
// in quarantine (models.UploadQuarantined) and a worker over the database decodes and
// re-encodes it (media.Budget.Sanitize: bounded decode, metadata dropped). Any replica's worker
// may claim a file, with a lease, so each file is sanitised once; a file sanitising refuses is
// marked failed, the application shows "需重新上传" and the applicant gets a notice. Nothing
// reads a quarantined file but the worker: models.Store.UploadByID hands out ready files only.

// Sanitising limits.
const (
	// SanitizeLease is how long a worker's claim on a file lasts. Sanitising one takes tens of
	// milliseconds; a lease runs out only when its replica died or hung.
	SanitizeLease = time.Minute
	// MaxSanitizeAttempts bounds the claims of one file: a file that kills its replica each time
	// (a decoder bug) must not go round forever; after that it is refused like a bad file.
	MaxSanitizeAttempts = 3
)

// quarantined is a file that passed the cheap checks, sealed for the worker.
type quarantined struct {
	id     string
	info   media.Info
	size   int
	sealed []byte
}

// originalAAD binds a quarantined original's ciphertext to its upload.
func originalAAD(uploadID string) string { return "uploads.original/" + uploadID }

// seal checks data's header (media.Inspect) and seals it for quarantine under a fresh upload id.
func (s *Service) seal(data []byte) (quarantined, error) {
	info, err := media.Inspect(data)
	if err != nil {
		return quarantined{}, err
	}
	id, err := randomID()
	if err != nil {
		return quarantined{}, err
	}
	// The original may carry EXIF/GPS and whatever hides after the image data: it is personal
	// data at rest until the worker has re-encoded it, sealed like the ID numbers.
	sealed, err := s.cipher.Seal(string(data), originalAAD(id))
	if err != nil {
		return quarantined{}, fmt.Errorf("seal upload: %w", err)
	}
	return quarantined{id: id, info: info, size: len(data), sealed: sealed}, nil
}

// storeQuarantined stores a sealed file of an application in quarantine.
func storeQuarantined(ctx context.Context, tx *models.Store, appID uint64, kind string, q quarantined, supplement bool, now time.Time) error {
	return tx.CreateUpload(ctx, &models.Upload{
		ID: q.id, ApplicationID: appID, Kind: kind, ContentType: "image/" + q.info.Format, Size: q.size,
		Width: q.info.Width, Height: q.info.Height, Data: []byte{}, Supplement: supplement, CreatedAt: now,
		State: models.UploadQuarantined, Original: q.sealed,
	})
}

// storeUpload stores a file that is sanitised already (one received with an earlier round of
// the page form, cleaned then): it is ready at once.
func storeUpload(ctx context.Context, tx *models.Store, appID uint64, kind string, img media.Image, supplement bool, now time.Time) error {
	id, err := randomID()
	if err != nil {
		return err
	}
	return tx.CreateUpload(ctx, &models.Upload{
		ID: id, ApplicationID: appID, Kind: kind, ContentType: img.ContentType, Size: len(img.Data),
		Width: img.Width, Height: img.Height, SHA256: img.SHA256, Data: img.Data, Supplement: supplement, CreatedAt: now,
		State: models.UploadReady, SanitizedAt: &now,
	})
}

// WakeSanitizer tells this replica's sanitising workers that a file waits.
func (s *Service) WakeSanitizer() {
	select {
	case s.sanitizeWake <- struct{}{}:
	default:
	}
}

// SanitizeOutcome is what SanitizeNext did.
type SanitizeOutcome int

// SanitizeNext's outcomes.
const (
	SanitizeNone     SanitizeOutcome = iota // nothing was due
	SanitizeReady                           // a file was sanitised and is ready
	SanitizeRejected                        // a file was refused; its application needs a new upload
	SanitizeRetry                           // a failure of the portal (not the file's): the lease runs out and it is tried again
	SanitizeLost                            // another replica took the file over first
)

// SanitizeNext claims one quarantined file as owner (a name unique to one worker of one
// replica), sanitises it and records the outcome.
func (s *Service) SanitizeNext(ctx context.Context, owner string) (SanitizeOutcome, error) {
	now := s.clock.Now()
	u, err := s.store.ClaimQuarantinedUpload(ctx, owner, now, now.Add(SanitizeLease))
	if err != nil || u == nil {
		return SanitizeNone, err
	}
	if u.Attempts > MaxSanitizeAttempts {
		s.log.Error("upload refused after repeated failures to sanitise it", "upload", u.ID, "attempts", u.Attempts-1)
		return s.reject(ctx, u, owner, "文件多次处理失败")
	}
	plain, err := s.cipher.Open(u.Original, originalAAD(u.ID))
	if err != nil {
		// Not the applicant's doing: a wrong key on this replica, or a tampered row.
		s.log.Error("quarantined upload does not open", "upload", u.ID, "err", err)
		return SanitizeRetry, nil
	}
	img, err := s.sanitize(ctx, []byte(plain))
	switch {
	case errors.Is(err, media.ErrNotImage):
		// Its header passed in the request, so the image data itself is broken: say so, not
		// "only JPG or PNG", which the applicant would find untrue of their JPG.
		return s.reject(ctx, u, owner, "图片文件已损坏或不完整，无法读取")
	case media.Refused(err):
		return s.reject(ctx, u, owner, err.Error())
	case err != nil && ctx.Err() != nil:
		return SanitizeRetry, ctx.Err()
	case err != nil:
		s.log.Warn("sanitise upload", "upload", u.ID, "err", models.LogErr(err))
		return SanitizeRetry, nil
	}
	err = s.store.FinishQuarantinedUpload(ctx, u.ID, owner, map[string]any{
		"state": models.UploadReady, "data": img.Data, "content_type": img.ContentType, "size": len(img.Data),
		"width": img.Width, "height": img.Height, "sha256": img.SHA256, "original": nil,
		"lease_owner": "", "lease_until": nil, "sanitized_at": s.clock.Now(),
	})
	if errors.Is(err, models.ErrLeaseLost) {
		return SanitizeLost, nil
	}
	if err != nil {
		return SanitizeRetry, err
	}
	return SanitizeReady, nil
}

// sanitize decodes and re-encodes within the replica's decode budget, turning a decoder panic
// into an error: one hostile file must not take the worker down.
func (s *Service) sanitize(ctx context.Context, data []byte) (img media.Image, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sanitise panicked: %v", v)
		}
	}()
	return s.images.Sanitize(ctx, data)
}

// reject marks a file refused, drops its original, and tells the applicant, in one
// transaction: the application's page shows "需重新上传" with a form for the new file.
func (s *Service) reject(ctx context.Context, u *models.Upload, owner, why string) (SanitizeOutcome, error) {
	label := FileLabel(u.Kind)
	problem := label + "无法处理：" + why
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.FinishQuarantinedUpload(ctx, u.ID, owner, map[string]any{
			"state": models.UploadFailed, "original": nil, "problem": truncateRunes(problem, 200),
			"lease_owner": "", "lease_until": nil, "sanitized_at": s.clock.Now(),
		}); err != nil {
			return err
		}
		app, err := tx.ApplicationByID(ctx, u.ApplicationID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := tx.AddEvents(ctx, models.Event{ApplicationID: app.ID, At: now, Kind: "upload_rejected",
			Message: problem + "。请在本页重新上传" + label + "。"}); err != nil {
			return err
		}
		if s.notices == nil {
			return nil
		}
		_, err = s.notices.Notify(ctx, tx, notices.Message{
			UserID: app.UserID, Kind: "recruitment.upload_rejected",
			DedupKey: fmt.Sprintf("upload_rejected:%s:user:%d", u.ID, app.UserID),
			Title:    "报名材料需重新上传：" + label,
			Body: fmt.Sprintf("您提交的%s未能通过安全处理（%s），请登录报名系统，在“我的报名”中打开该报名，重新上传%s。"+
				"重新上传前，该报名的材料不完整，资格复核将等待新文件。", label, why, label),
			Link:     fmt.Sprintf("/me/applications/%d", app.ID),
			Channels: []string{notices.ChannelEmail},
		})
		return err
	})
	if errors.Is(err, models.ErrLeaseLost) {
		return SanitizeLost, nil
	}
	if err != nil {
		return SanitizeRetry, err
	}
	return SanitizeRejected, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// SanitizeQueued sanitises every due file as owner until none is left, and reports how many
// it handled (ready or refused).
func (s *Service) SanitizeQueued(ctx context.Context, owner string) (int, error) {
	n := 0
	for {
		out, err := s.SanitizeNext(ctx, owner)
		if err != nil {
			return n, err
		}
		switch out {
		case SanitizeNone:
			return n, nil
		case SanitizeReady, SanitizeRejected:
			n++
		case SanitizeRetry:
			// The file stays claimed until its lease ends; go on with the others.
		}
	}
}

// SanitizeWork runs workers sanitising goroutines until ctx ends. Each wakes after an upload on
// this replica (WakeSanitizer) and every poll otherwise (files uploaded through other replicas,
// leases run out). A worker that finds a file passes the wake-up on, so the others join while
// there is a backlog and sleep when there is none.
func (s *Service) SanitizeWork(ctx context.Context, workers int, poll time.Duration) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	replica := "replica-" + hex.EncodeToString(b)
	done := make(chan struct{})
	for i := range max(1, workers) {
		owner := fmt.Sprintf("%s/%d", replica, i)
		go func() {
			defer func() { done <- struct{}{} }()
			t := time.NewTicker(poll)
			defer t.Stop()
			for {
				for ctx.Err() == nil {
					out, err := s.SanitizeNext(ctx, owner)
					if err != nil && ctx.Err() == nil {
						s.log.Warn("sanitise uploads", "err", models.LogErr(err))
					}
					if out == SanitizeNone || err != nil {
						break
					}
					s.WakeSanitizer()
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				case <-s.sanitizeWake:
				}
			}
		}()
	}
	for range max(1, workers) {
		<-done
	}
}
