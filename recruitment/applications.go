package recruitment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/media"
	"auxportal/models"
	"auxportal/screening"
)

// ApplicationForm is what an applicant fills in; the eligibility check takes the same fields.
type ApplicationForm struct {
	Name                      string `json:"name"`
	IDNumber                  string `json:"id_number"`
	Education                 string `json:"education"`
	Major                     string `json:"major"`
	Veteran                   bool   `json:"veteran"`
	FormerAuxStaff            bool   `json:"former_aux_staff"`
	FormerAuxEnd              string `json:"former_aux_end"` // YYYY-MM-DD, when former auxiliary work ended
	PartyMember               bool   `json:"party_member"`
	HeroicHonor               bool   `json:"heroic_honor"`
	AcceptsConditions         bool   `json:"accepts_conditions"`
	Healthy                   bool   `json:"healthy"`
	UnderDiscipline           bool   `json:"under_discipline"`
	CriminalPenaltyUnfinished bool   `json:"criminal_penalty_unfinished"`
	UnderInvestigation        bool   `json:"under_investigation"`
	HasHukou                  bool   `json:"has_hukou"`
	HasLicence                bool   `json:"has_licence"`
}

// Upload kinds an application takes.
const (
	// Upload kinds never share a name with a form field: a browser sends an empty file input
	// as a part of that name, which would otherwise read as a second value of the checkbox.
	FilePhoto     = "photo"            // 证件照, printed on the work permit
	FileDiploma   = "diploma"          // 学历证书
	FileVeteran   = "veteran_proof"    // 退役证明
	FileFormerAux = "former_aux_proof" // 原辅助工作证明
	FileParty     = "party_proof"      // 党员证明
	FileHeroic    = "heroic_proof"     // 见义勇为证书
	FileHukou     = "hukou_proof"      // 户口簿
	FileLicence   = "licence_proof"    // 证照
)

// FileLabel names an upload kind in Chinese.
func FileLabel(kind string) string {
	switch kind {
	case FilePhoto:
		return "证件照"
	case FileDiploma:
		return "学历证书"
	case FileVeteran:
		return "退役证明"
	case FileFormerAux:
		return "原城市管理辅助工作证明"
	case FileParty:
		return "党员身份证明"
	case FileHeroic:
		return "见义勇为表彰证明"
	case FileHukou:
		return "户籍证明"
	case FileLicence:
		return "证照"
	}
	return kind
}

// FileKinds lists every upload kind in form order.
func FileKinds() []string {
	return []string{FilePhoto, FileDiploma, FileVeteran, FileFormerAux, FileParty, FileHeroic, FileHukou, FileLicence}
}

// requiredFiles says which uploads an application must carry, given what it claims.
func requiredFiles(f ApplicationForm, c screening.Conditions) []string {
	req := []string{FilePhoto, FileDiploma}
	for _, x := range []struct {
		on   bool
		kind string
	}{
		{f.Veteran, FileVeteran}, {f.FormerAuxStaff, FileFormerAux}, {f.PartyMember, FileParty},
		{f.HeroicHonor, FileHeroic}, {c.HukouRequired != "" && f.HasHukou, FileHukou},
		{c.LicenceRequired != "" && f.HasLicence, FileLicence},
	} {
		if x.on {
			req = append(req, x.kind)
		}
	}
	return req
}

// parseForm checks the form and turns it into what the screening engine judges. An invalid ID
// number is its own error code, invalid_id_number.
func parseForm(f ApplicationForm, today screening.Date) (screening.Applicant, error) {
	fe := models.FieldErrors{}
	name := strings.TrimSpace(f.Name)
	if n := utf8.RuneCountInString(name); n < 2 || n > 32 {
		fe.Add("name", "请填写 2 至 32 个字的姓名（与身份证一致）")
	}
	edu, err := screening.ParseEducation(f.Education)
	if err != nil {
		fe.Add("education", "请选择学历")
	}
	if utf8.RuneCountInString(strings.TrimSpace(f.Major)) > 64 {
		fe.Add("major", "专业名称不能超过 64 个字")
	}
	if f.FormerAuxStaff && strings.TrimSpace(f.FormerAuxEnd) != "" {
		d, err := screening.ParseDate(strings.TrimSpace(f.FormerAuxEnd))
		if err != nil {
			fe.Add("former_aux_end", "请填写有效日期（年-月-日）")
		} else if d.After(today) {
			fe.Add("former_aux_end", "离职日期不能晚于今天")
		}
	}
	id, idErr := screening.ParseID(f.IDNumber, today)
	if idErr != nil {
		e := models.Invalid("invalid_id_number", "%s", idErr.Error())
		e.Fields = map[string]string{"id_number": idErr.Error()}
		for k, v := range fe {
			e.Fields[k] = v
		}
		return screening.Applicant{}, e
	}
	if err := fe.Err(); err != nil {
		return screening.Applicant{}, err
	}
	return screening.Applicant{
		ID: id, Education: edu, Major: strings.TrimSpace(f.Major), Veteran: f.Veteran, FormerAuxStaff: f.FormerAuxStaff,
		PartyMember: f.PartyMember, HeroicHonor: f.HeroicHonor, AcceptsConditions: f.AcceptsConditions,
		Healthy: f.Healthy, UnderDiscipline: f.UnderDiscipline, CriminalPenaltyUnfinished: f.CriminalPenaltyUnfinished,
		UnderInvestigation: f.UnderInvestigation, HasHukou: f.HasHukou, HasLicence: f.HasLicence,
	}, nil
}

// CheckEligibility judges a form against a published opening without storing anything.
func (s *Service) CheckEligibility(ctx context.Context, openingID uint64, f ApplicationForm) (screening.Result, error) {
	r, err := s.published(ctx, openingID)
	if err != nil {
		return screening.Result{}, err
	}
	a, err := parseForm(f, s.today())
	if err != nil {
		return screening.Result{}, err
	}
	return screening.Evaluate(r.cond, a, r.ref), nil
}

// Apply submits an application with its files. Everything is stored in one transaction, or
// nothing is.
func (s *Service) Apply(ctx context.Context, actor models.Actor, openingID uint64, f ApplicationForm, files map[string][]byte) (*ApplicationView, error) {
	if actor.Role != models.RoleApplicant {
		return nil, models.Deny(actor, "请使用报名账号（手机号注册）报名")
	}
	r, err := s.published(ctx, openingID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if !r.acceptingOn(today) {
		if today.Before(r.opens) {
			return nil, models.Conflict("not_open_yet", "报名尚未开始（%s 开始）", r.opens.Chinese())
		}
		return nil, models.Conflict("closed", "报名已于 %s 截止", r.close.Chinese())
	}
	// The per-account limit comes before any expensive work (image decoding).
	since := s.clock.Now().Add(-time.Hour)
	if n, err := s.store.CountRecentApplications(ctx, actor.UserID, since); err != nil {
		return nil, err
	} else if n >= MaxApplicationsPerHour {
		return nil, models.E(models.ErrRateLimited, "too_many_applications", "提交过于频繁，请一小时后再试")
	}
	a, err := parseForm(f, today)
	if err != nil {
		return nil, err
	}
	// A second submission (a double tap, a retry) is refused before the images are decoded. The
	// unique indexes are what guarantee it; this only saves the work.
	hash := s.cipher.Hash(a.ID.Number)
	if live, err := s.store.HasLiveApplication(ctx, openingID, hash, actor.UserID); err != nil {
		return nil, err
	} else if live {
		return nil, errDuplicate
	}
	// Files: required ones present, each an image; re-encoded before the transaction starts.
	fe := models.FieldErrors{}
	clean := map[string]media.Image{}
	for _, kind := range requiredFiles(f, r.cond) {
		if len(files[kind]) == 0 {
			fe.Add("file_"+kind, "请上传"+FileLabel(kind))
		}
	}
	for kind, data := range files {
		if !knownFile(kind) {
			continue
		}
		if len(data) == 0 {
			continue
		}
		img, err := s.sanitize(ctx, data)
		if err != nil {
			if errors.Is(err, media.ErrNotImage) || errors.Is(err, media.ErrTooLarge) {
				fe.Add("file_"+kind, FileLabel(kind)+"："+err.Error())
				continue
			}
			return nil, err
		}
		clean[kind] = img
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}

	res := screening.Evaluate(r.cond, a, r.ref)
	now := s.clock.Now()
	number := a.ID.Number
	sealed, err := s.cipher.Seal(number, idAAD)
	if err != nil {
		return nil, err
	}
	user := actor.UserID
	app := &models.Application{
		OpeningID: openingID, UserID: user, ActiveIDHash: &hash, ActiveUserID: &user,
		Status: statusOf(res.Outcome), Name: strings.TrimSpace(f.Name), Phone: actor.Username, IDCipher: sealed, IDHash: hash,
		IDMasked: screening.MaskID(number), BirthDate: a.ID.Birth.String(), Male: a.ID.Male,
		Education: string(a.Education), Major: a.Major, Veteran: a.Veteran, FormerAux: a.FormerAuxStaff,
		FormerEnd: strings.TrimSpace(f.FormerAuxEnd), Party: a.PartyMember, Heroic: a.HeroicHonor,
		Accepts: a.AcceptsConditions, Healthy: a.Healthy, Discipline: a.UnderDiscipline,
		Criminal: a.CriminalPenaltyUnfinished, Investig: a.UnderInvestigation, HasHukou: a.HasHukou,
		HasLicence: a.HasLicence, Conditions: r.row.Conditions, ReferenceDate: r.row.ReferenceDate,
		Result: mustJSON(res), SubmittedAt: now,
	}
	if !app.FormerAux {
		app.FormerEnd = ""
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateApplication(ctx, app); err != nil {
			return err
		}
		for _, kind := range FileKinds() {
			img, ok := clean[kind]
			if !ok {
				continue
			}
			id, err := randomID()
			if err != nil {
				return err
			}
			if err := tx.CreateUpload(ctx, &models.Upload{
				ID: id, ApplicationID: app.ID, Kind: kind, ContentType: img.ContentType, Size: len(img.Data),
				Width: img.Width, Height: img.Height, SHA256: img.SHA256, Data: img.Data, CreatedAt: now,
			}); err != nil {
				return err
			}
		}
		if res.Outcome != screening.Ineligible {
			if err := tx.CreateReviewItems(ctx, reviewItemsFor(app, res, r.cond, now)); err != nil {
				return err
			}
		}
		return tx.AddEvents(ctx,
			models.Event{ApplicationID: app.ID, At: now, Kind: "submitted", Message: "报名已提交"},
			models.Event{ApplicationID: app.ID, At: now, Kind: "screened", Message: screeningSummary(res)},
		)
	})
	if err != nil {
		return nil, err
	}
	return s.ApplicationFor(ctx, actor, app.ID)
}

// sanitize re-encodes an upload once an image slot is free.
func (s *Service) sanitize(ctx context.Context, data []byte) (media.Image, error) {
	select {
	case s.imageSlots <- struct{}{}:
	case <-ctx.Done():
		return media.Image{}, fmt.Errorf("wait for an image slot: %w", ctx.Err())
	}
	defer func() { <-s.imageSlots }()
	return media.Sanitize(data)
}

var errDuplicate = models.Conflict("duplicate_application", "该身份证号（或该账号）已报名此岗位，不能重复报名；如需修改请先撤回原报名")

func knownFile(kind string) bool {
	for _, k := range FileKinds() {
		if k == kind {
			return true
		}
	}
	return false
}

// reviewItemsFor lists what a human must decide: each relaxation (rules A2-3, A2-4) and each claim
// that needs evidence (rule R-3 preferences, the grounds for relaxations, a town's extras).
func reviewItemsFor(a *models.Application, res screening.Result, c screening.Conditions, now time.Time) []models.ReviewItem {
	var kinds []string
	for _, ch := range res.Checks {
		if ch.Outcome != screening.CheckRelaxed {
			continue
		}
		switch ch.Rule {
		case screening.RuleA2_3:
			kinds = append(kinds, models.ReviewAgeRelaxation)
		case screening.RuleA2_4:
			kinds = append(kinds, models.ReviewEducationRelaxation)
		}
	}
	for _, x := range []struct {
		on   bool
		kind string
	}{
		{a.Veteran, models.ReviewVeteran}, {a.FormerAux, models.ReviewFormerAux}, {a.Party, models.ReviewParty},
		{hasPref(res.Preferences, screening.PrefUrbanManagement), models.ReviewUrbanManagement},
		{a.Heroic, models.ReviewHeroic},
		{c.HukouRequired != "", models.ReviewHukou}, {c.LicenceRequired != "", models.ReviewLicence},
	} {
		if x.on {
			kinds = append(kinds, x.kind)
		}
	}
	items := make([]models.ReviewItem, len(kinds))
	for i, k := range kinds {
		items[i] = models.ReviewItem{ApplicationID: a.ID, Kind: k, Status: models.ReviewPending, CreatedAt: now}
	}
	return items
}

func hasPref(ps []screening.Preference, p screening.Preference) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

func statusOf(o screening.Outcome) string {
	switch o {
	case screening.Eligible:
		return models.AppEligible
	case screening.PendingReview:
		return models.AppPendingReview
	}
	return models.AppIneligible
}

func screeningSummary(res screening.Result) string {
	switch res.Outcome {
	case screening.Eligible:
		return "资格初审：符合报名条件"
	case screening.PendingReview:
		return "资格初审：需人工复核（放宽条件）"
	}
	var rules []string
	for _, c := range res.Failed() {
		rules = append(rules, c.Rule+" "+c.Message)
	}
	return "资格初审：不符合报名条件——" + strings.Join(rules, "；")
}

// Withdraw takes back an application before the deadline; the applicant may apply again.
func (s *Service) Withdraw(ctx context.Context, actor models.Actor, id uint64) error {
	if actor.Anonymous() {
		return models.Deny(actor, "")
	}
	app, err := s.store.ApplicationByID(ctx, id)
	if err != nil {
		return err
	}
	if app.UserID != actor.UserID {
		return models.NotFound("报名记录")
	}
	o, err := s.store.OpeningByID(ctx, app.OpeningID)
	if err != nil {
		return err
	}
	r, err := decodeOpening(o)
	if err != nil {
		return err
	}
	if s.today().After(r.close) {
		return models.Conflict("closed", "报名已截止，不能撤回")
	}
	now := s.clock.Now()
	live := []string{models.AppEligible, models.AppIneligible, models.AppPendingReview}
	if !contains(live, app.Status) {
		return models.Conflict("cannot_withdraw", "当前状态不能撤回")
	}
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.UpdateApplication(ctx, id, live, map[string]any{
			"status": models.AppWithdrawn, "active_id_hash": nil, "active_user_id": nil, "withdrawn_at": now,
		}); err != nil {
			return err
		}
		return tx.AddEvents(ctx, models.Event{ApplicationID: id, At: now, Kind: "withdrawn", Message: "本人已撤回报名"})
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only plain values are marshalled here
	}
	return string(b)
}

func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
