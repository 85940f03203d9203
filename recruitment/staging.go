package recruitment

import (
	"context"
	"errors"
	"time"

	"auxportal/media"
	"auxportal/models"
	"auxportal/screening"
)

// StagedTTL is how long a file sent with an unfiled application form is kept for its account:
// long enough to fix the form the next day, short enough that nothing lingers.
const StagedTTL = 24 * time.Hour

// StagedFile is a file the portal has already received for an application not yet filed.
type StagedFile struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// StageFiles checks, cleans and keeps the files of a form round for the applicant's account, so
// a round that fails on another field, and the confirmation step, need not ask for them again.
// A file that is not an acceptable image is a field error and keeps the one received before.
func (s *Service) StageFiles(ctx context.Context, actor models.Actor, openingID uint64, files map[string][]byte) error {
	if actor.Role != models.RoleApplicant {
		return models.Deny(actor, "请使用报名账号（手机号注册）报名")
	}
	if len(files) == 0 {
		return nil
	}
	r, err := s.published(ctx, openingID)
	if err != nil {
		return err
	}
	if err := r.accepting(s.today()); err != nil {
		return err // nothing is kept for a form that cannot be filed
	}
	now := s.clock.Now()
	fe := models.FieldErrors{}
	for _, kind := range FileKinds() {
		data := files[kind]
		if len(data) == 0 {
			continue
		}
		if _, err := media.Inspect(data); err != nil {
			fe.Add("file_"+kind, FileLabel(kind)+"："+err.Error())
			continue
		}
		img, err := s.images.Sanitize(ctx, data)
		if err != nil {
			if errors.Is(err, media.ErrNotImage) || errors.Is(err, media.ErrTooLarge) {
				fe.Add("file_"+kind, FileLabel(kind)+"："+err.Error())
				continue
			}
			return err
		}
		id, err := randomID()
		if err != nil {
			return err
		}
		if err := s.store.PutStagedUpload(ctx, &models.StagedUpload{
			ID: id, UserID: actor.UserID, OpeningID: openingID, Kind: kind, ContentType: img.ContentType,
			Size: len(img.Data), Width: img.Width, Height: img.Height, SHA256: img.SHA256, Data: img.Data,
			CreatedAt: now, ExpiresAt: now.Add(StagedTTL),
		}); err != nil {
			return err
		}
	}
	return fe.Err()
}

// StagedFiles lists what the applicant has already sent for the opening, in form order.
func (s *Service) StagedFiles(ctx context.Context, actor models.Actor, openingID uint64) ([]StagedFile, error) {
	if actor.Role != models.RoleApplicant {
		return nil, nil
	}
	us, err := s.store.StagedUploadsOf(ctx, actor.UserID, openingID, s.clock.Now(), false)
	if err != nil {
		return nil, err
	}
	byKind := map[string]models.StagedUpload{}
	for _, u := range us {
		byKind[u.Kind] = u
	}
	var out []StagedFile
	for _, kind := range FileKinds() {
		if u, ok := byKind[kind]; ok {
			out = append(out, StagedFile{ID: u.ID, Kind: kind, Label: FileLabel(kind), Width: u.Width, Height: u.Height})
		}
	}
	return out, nil
}

// StagedFile is one received file, for its own account only: anyone else, and an expired file,
// get "not found".
func (s *Service) StagedFile(ctx context.Context, actor models.Actor, id string) (*models.StagedUpload, error) {
	if actor.Anonymous() {
		return nil, models.E(models.ErrUnauthenticated, "login_required", "请先登录")
	}
	if len(id) != 32 {
		return nil, models.NotFound("文件")
	}
	u, err := s.store.StagedUploadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.UserID != actor.UserID || !u.ExpiresAt.After(s.clock.Now()) {
		return nil, models.NotFound("文件")
	}
	return u, nil
}

// Preview is an application as the confirmation step shows it before the final submit.
type Preview struct {
	Form     ApplicationForm  `json:"-"`
	IDMasked string           `json:"id_number_masked"`
	Gender   string           `json:"gender"`
	Result   screening.Result `json:"result"`
	Files    []StagedFile     `json:"files"`
}

// PreviewApplication checks a whole form as the final submit will, the files already received
// standing for the ones it needs, and judges it; it stores nothing and files nothing. Every
// problem is listed at once.
func (s *Service) PreviewApplication(ctx context.Context, actor models.Actor, openingID uint64, f ApplicationForm) (*Preview, error) {
	if actor.Role != models.RoleApplicant {
		return nil, models.Deny(actor, "请使用报名账号（手机号注册）报名")
	}
	r, err := s.published(ctx, openingID)
	if err != nil {
		return nil, err
	}
	if err := r.accepting(s.today()); err != nil {
		return nil, err
	}
	staged, err := s.StagedFiles(ctx, actor, openingID)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, x := range staged {
		have[x.Kind] = true
	}
	fe := models.FieldErrors{}
	today := s.today()
	a, _ := parseForm(f, today, true, fe)
	// The 报名表's further fields are checked as the final submit checks them, so the
	// confirmation step never shows a form that would then be refused.
	f.Profile = checkProfile(f.Profile, profileCheck{today: today, birth: a.ID.Birth, ownPhone: actor.Username,
		party: f.PartyMember, strict: true}, fe)
	missingFiles(f, r.cond, have, fe)
	if err := formError(fe); err != nil {
		return nil, err
	}
	// Only this account's own application is named here, as Apply names it: nothing about
	// the ID number.
	if live, err := s.store.HasLiveApplicationOf(ctx, openingID, actor.UserID); err != nil {
		return nil, err
	} else if live {
		return nil, errDuplicate
	}
	p := &Preview{Form: f, IDMasked: screening.MaskID(a.ID.Number), Gender: "女",
		Result: screening.Evaluate(r.cond, a, r.ref), Files: staged}
	if a.ID.Male {
		p.Gender = "男"
	}
	p.Result.BirthDate = screening.Date{} // beside the mask it would give the number back
	return p, nil
}

// HasApplied says the applicant has a live application to the opening (a second tap of the
// final button finds the first one filed). It names the account's own application only.
func (s *Service) HasApplied(ctx context.Context, actor models.Actor, openingID uint64) (bool, error) {
	if actor.Role != models.RoleApplicant {
		return false, nil
	}
	return s.store.HasLiveApplicationOf(ctx, openingID, actor.UserID)
}

// missingFiles adds a field error for each upload the form needs and have lacks.
func missingFiles(f ApplicationForm, c screening.Conditions, have map[string]bool, fe models.FieldErrors) {
	for _, kind := range requiredFiles(f, c) {
		if !have[kind] {
			fe.Add("file_"+kind, "请上传"+FileLabel(kind))
		}
	}
}

// stagedImages are the account's received files for the opening, as the cleaned images they are.
func (s *Service) stagedImages(ctx context.Context, userID, openingID uint64) (map[string]media.Image, error) {
	us, err := s.store.StagedUploadsOf(ctx, userID, openingID, s.clock.Now(), true)
	if err != nil {
		return nil, err
	}
	out := map[string]media.Image{}
	for _, u := range us {
		out[u.Kind] = media.Image{Data: u.Data, ContentType: u.ContentType, Width: u.Width, Height: u.Height, SHA256: u.SHA256}
	}
	return out, nil
}

// PurgeStagedUploads forgets received files whose form was never filed.
func (s *Service) PurgeStagedUploads(ctx context.Context) (int64, error) {
	return s.store.PurgeStagedUploads(ctx, s.clock.Now())
}
