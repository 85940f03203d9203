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
	Name              string `json:"name"`
	IDNumber          string `json:"id_number"`
	Education         string `json:"education"`
	Major             string `json:"major"`
	Veteran           bool   `json:"veteran"`
	FormerAuxStaff    bool   `json:"former_aux_staff"`
	FormerAuxEnd      string `json:"former_aux_end"` // YYYY-MM-DD, when former auxiliary work ended
	PartyMember       bool   `json:"party_member"`
	HeroicHonor       bool   `json:"heroic_honor"`
	AcceptsConditions bool   `json:"accepts_conditions"`
	Healthy           bool   `json:"healthy"`
	// Rule A2-6: each disqualifier is an explicit answer, true (是) or false (否); nil is
	// unanswered, which an application refuses and the eligibility check reports as failing.
	UnderDiscipline           *bool `json:"under_discipline"`
	CriminalPenaltyUnfinished *bool `json:"criminal_penalty_unfinished"`
	UnderInvestigation        *bool `json:"under_investigation"`
	OtherBar                  *bool `json:"other_bar"`
	HasHukou                  bool  `json:"has_hukou"`
	HasLicence                bool  `json:"has_licence"`
	// Profile is the rest of the 报名表 (profile.go); its fields sit beside these in JSON.
	Profile
}

// barQuestions are the A2-6 questions of the form, by field.
var barQuestions = []struct {
	field string
	label string
	get   func(*ApplicationForm) *bool
}{
	{"under_discipline", "是否尚未解除纪律处分或者正在接受纪律审查", func(f *ApplicationForm) *bool { return f.UnderDiscipline }},
	{"criminal_penalty_unfinished", "是否刑事处罚期限未满", func(f *ApplicationForm) *bool { return f.CriminalPenaltyUnfinished }},
	{"under_investigation", "是否涉嫌违法犯罪正在接受调查", func(f *ApplicationForm) *bool { return f.UnderInvestigation }},
	{"other_bar", "是否有其他不适合从事岗位工作或法律规定不得报考的情形", func(f *ApplicationForm) *bool { return f.OtherBar }},
}

func isTrue(b *bool) bool { return b != nil && *b }

// Upload kinds an application takes.
const (
	// Upload kinds never share a name with a form field: a browser sends an empty file input
	// as a part of that name, which would otherwise read as a second value of the checkbox.
	FilePhoto     = "photo"            // 证件照, printed on the work permit
	FileDiploma   = "diploma"          // 学历证书
	FileVeteran   = "veteran_proof"    // 退伍证明
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
		return "退伍证明"
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

// parseForm checks the form and turns it into what the screening engine judges, adding every
// problem to fe. strict is for a submission: the declarations of rules A2-1 and A2-5 must be
// made and each A2-6 question answered, or the form is refused on those fields (nothing is
// filed); the eligibility check instead reports them as failing rules. ok is false when the ID
// number itself is invalid.
func parseForm(f ApplicationForm, today screening.Date, strict bool, fe models.FieldErrors) (screening.Applicant, bool) {
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
	answered := true
	for _, q := range barQuestions {
		if q.get(&f) == nil {
			answered = false
			if strict {
				fe.Add(q.field, "请选择“是”或“否”："+q.label)
			}
		}
	}
	if strict {
		// Rules A2-1, A2-5: a missing declaration is the applicant's to fix, not a filed
		// application that is ineligible at once.
		if !f.AcceptsConditions {
			fe.Add("accepts_conditions", "请阅读并勾选本承诺（附件2第一条），否则不能报名")
		}
		if !f.Healthy {
			fe.Add("healthy", "请阅读并勾选本承诺（附件2第五条），否则不能报名")
		}
	}
	id, idErr := screening.ParseID(f.IDNumber, today)
	if idErr != nil {
		fe.Add("id_number", idErr.Error())
		return screening.Applicant{}, false
	}
	return screening.Applicant{
		ID: id, Education: edu, Major: strings.TrimSpace(f.Major), Veteran: f.Veteran, FormerAuxStaff: f.FormerAuxStaff,
		PartyMember: f.PartyMember, HeroicHonor: f.HeroicHonor, AcceptsConditions: f.AcceptsConditions,
		Healthy: f.Healthy, UnderDiscipline: isTrue(f.UnderDiscipline), CriminalPenaltyUnfinished: isTrue(f.CriminalPenaltyUnfinished),
		UnderInvestigation: isTrue(f.UnderInvestigation), OtherBar: isTrue(f.OtherBar), BarsAnswered: answered,
		HasHukou: f.HasHukou, HasLicence: f.HasLicence,
	}, true
}

// formError is fe as the error of a form: invalid_id_number when the ID number is among its
// problems (the API's callers tell that case apart), invalid_input otherwise. The message stays
// the general one: the form's summary lists each field's own message under it.
func formError(fe models.FieldErrors) error {
	err := fe.Err()
	if e, ok := models.AsError(err); ok && fe["id_number"] != "" {
		e.Code = "invalid_id_number"
	}
	return err
}

// Eligibility is the live check's answer: the screening result, and the 性别 the ID number
// gives (its birth date is in the result), which the form shows instead of asking for them.
// It goes only to whoever sent the whole number.
type Eligibility struct {
	screening.Result
	Gender string `json:"gender"`
}

// CheckEligibility judges a form against a published opening without storing anything.
func (s *Service) CheckEligibility(ctx context.Context, openingID uint64, f ApplicationForm) (Eligibility, error) {
	r, err := s.published(ctx, openingID)
	if err != nil {
		return Eligibility{}, err
	}
	fe := models.FieldErrors{}
	today := s.today()
	a, _ := parseForm(f, today, false, fe)
	checkProfile(f.Profile, profileCheck{today: today, birth: a.ID.Birth, party: f.PartyMember}, fe)
	if err := formError(fe); err != nil {
		return Eligibility{}, err
	}
	return Eligibility{Result: screening.Evaluate(r.cond, a, r.ref), Gender: genderLabel(a.ID.Male)}, nil
}

func genderLabel(male bool) string {
	if male {
		return "男"
	}
	return "女"
}

// Apply submits an application with its files. Everything is stored in one transaction, or
// nothing is.
//
// The order is what keeps the form from being an oracle or a lever: the attempt counts against
// the account's hourly limit first, whatever follows; then the whole form and every file's
// header are checked, so a form with a guessed ID number and no files learns nothing; only then
// is a duplicate named, and only to the account that holds the application; and images are
// decoded last, within the memory budget. Another account using an ID number that already has
// a live application here gets no hint of it: its application is filed like any other and both
// go to a reviewer as an identity conflict (rule A2-2).
func (s *Service) Apply(ctx context.Context, actor models.Actor, openingID uint64, f ApplicationForm, files map[string][]byte) (*ApplicationView, error) {
	if actor.Role != models.RoleApplicant {
		return nil, models.Deny(actor, "请使用报名账号（手机号注册）报名")
	}
	r, err := s.published(ctx, openingID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if err := r.accepting(today); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if n, err := s.store.RecordApplyAttempt(ctx, actor.UserID, now, now.Add(-time.Hour)); err != nil {
		return nil, err
	} else if n > MaxApplyAttemptsPerHour {
		return nil, models.E(models.ErrRateLimited, "too_many_applications", "提交过于频繁，请一小时后再试")
	}
	// Files the account sent in an earlier round of the form (StageFiles) stand for the kinds
	// this request does not carry; they were cleaned when received.
	staged, err := s.stagedImages(ctx, actor.UserID, openingID)
	if err != nil {
		return nil, err
	}
	fe := models.FieldErrors{}
	a, idOK := parseForm(f, today, true, fe)
	profile := checkProfile(f.Profile, profileCheck{today: today, birth: a.ID.Birth, ownPhone: actor.Username,
		party: f.PartyMember, strict: true}, fe)
	// Files: the required ones present and each an image of a size we decode, read from its
	// header only; nothing is decoded before the whole form is right.
	have := map[string]bool{}
	for _, kind := range FileKinds() {
		_, ok := staged[kind]
		have[kind] = ok || len(files[kind]) > 0
	}
	missingFiles(f, r.cond, have, fe)
	for _, kind := range FileKinds() {
		if data := files[kind]; len(data) > 0 {
			if _, err := media.Inspect(data); err != nil {
				fe.Add("file_"+kind, FileLabel(kind)+"："+err.Error())
			}
		}
	}
	if err := formError(fe); err != nil {
		return nil, err
	}
	if !idOK {
		return nil, fmt.Errorf("apply: id number rejected without a message")
	}
	// A second submission from this account (a double tap, a retry) is refused before any
	// file is stored. The unique index is what guarantees it; this only saves the work.
	if live, err := s.store.HasLiveApplicationOf(ctx, openingID, actor.UserID); err != nil {
		return nil, err
	} else if live {
		return nil, errDuplicate
	}
	// The files passed the cheap checks above (media.Inspect: type by content, size,
	// dimensions, pixels, scans); they are sealed into quarantine here and decoded and
	// re-encoded by the sanitising worker after the acknowledgement (sanitize.go), so the
	// request costs milliseconds instead of the ≈50 ms of CPU per image the re-encoding takes.
	held := map[string]quarantined{}
	clean := map[string]media.Image{} // received in an earlier round, sanitised then
	for _, kind := range FileKinds() {
		if img, ok := staged[kind]; ok && len(files[kind]) == 0 {
			clean[kind] = img
			continue
		}
		if data := files[kind]; len(data) > 0 {
			q, err := s.seal(data)
			if err != nil {
				return nil, err
			}
			held[kind] = q
		}
	}

	res := screening.Evaluate(r.cond, a, r.ref)
	number := a.ID.Number
	hash := s.cipher.Hash(number)
	user := actor.UserID
	app := &models.Application{
		OpeningID: openingID, UserID: user, ActiveIDHash: &hash, ActiveUserID: &user,
		Status: statusOf(res.Outcome), Name: strings.TrimSpace(f.Name), Phone: actor.Username, IDHash: hash,
		IDCipher: []byte{}, // sealed once the row has its id (rowAAD)
		IDMasked: screening.MaskID(number), Male: a.ID.Male,
		Education: string(a.Education), Major: a.Major, Veteran: a.Veteran, FormerAux: a.FormerAuxStaff,
		FormerEnd: strings.TrimSpace(f.FormerAuxEnd), Party: a.PartyMember, Heroic: a.HeroicHonor,
		Accepts: a.AcceptsConditions, Healthy: a.Healthy, Discipline: a.UnderDiscipline,
		Criminal: a.CriminalPenaltyUnfinished, Investig: a.UnderInvestigation, OtherBar: a.OtherBar,
		HasHukou: a.HasHukou, HasLicence: a.HasLicence, Conditions: r.row.Conditions, ReferenceDate: r.row.ReferenceDate,
		Result: storedResult(res), SubmittedAt: now,
	}
	if !app.FormerAux {
		app.FormerEnd = ""
	}
	store := func() error {
		return s.store.WithTx(ctx, func(tx *models.Store) error {
			a := *app
			others, err := tx.LiveApplicationsWithIDHash(ctx, openingID, hash)
			if err != nil {
				return err
			}
			if len(others) > 0 {
				a.ActiveIDHash = nil // the unique index keeps the first holder's place
			}
			if err := tx.CreateApplication(ctx, &a); err != nil {
				return err
			}
			// The personal-data rules: the ciphertext is bound to its row.
			sealed, err := s.cipher.Seal(number, rowAAD(a.ID, hash))
			if err != nil {
				return err
			}
			if err := tx.SetApplicationCipher(ctx, a.ID, sealed, cipherRowBound); err != nil {
				return err
			}
			if err := s.sealProfile(ctx, tx, &a, profile); err != nil {
				return err
			}
			for _, kind := range FileKinds() {
				if q, ok := held[kind]; ok {
					if err := storeQuarantined(ctx, tx, a.ID, kind, q, false, now); err != nil {
						return err
					}
				} else if img, ok := clean[kind]; ok {
					if err := storeUpload(ctx, tx, a.ID, kind, img, false, now); err != nil {
						return err
					}
				}
			}
			if err := tx.DeleteStagedUploads(ctx, user, openingID); err != nil {
				return err
			}
			var items []models.ReviewItem
			if res.Outcome != screening.Ineligible {
				items = reviewItemsFor(&a, res, r.cond, now)
			}
			if len(others) > 0 {
				conflict, err := identityItems(ctx, tx, append(others, a), now)
				if err != nil {
					return err
				}
				items = append(items, conflict...)
			}
			if err := tx.CreateReviewItems(ctx, items); err != nil {
				return err
			}
			app.ID = a.ID
			return tx.AddEvents(ctx,
				models.Event{ApplicationID: a.ID, At: now, Kind: "submitted", Message: "报名已提交"},
				models.Event{ApplicationID: a.ID, At: now, Kind: "screened", Message: screeningSummary(res)},
			)
		})
	}
	err = store()
	if errors.Is(err, models.ErrConflict) {
		// The insert lost a race on a unique index: this account's own application (a double
		// submission) or another account's with this ID number, which the retry files as a
		// conflict to review.
		if live, lerr := s.store.HasLiveApplicationOf(ctx, openingID, actor.UserID); lerr != nil {
			return nil, lerr
		} else if live {
			return nil, errDuplicate
		}
		err = store()
	}
	if err != nil {
		return nil, err
	}
	s.WakeSanitizer()
	return s.ApplicationFor(ctx, actor, app.ID)
}

// identityItems are the identity-conflict review items (rule A2-2) for applications that share
// one ID number, leaving out those that have a pending one already.
func identityItems(ctx context.Context, tx *models.Store, apps []models.Application, now time.Time) ([]models.ReviewItem, error) {
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	existing, err := tx.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, err
	}
	pending := map[uint64]bool{}
	for _, it := range existing {
		if it.Kind == models.ReviewIdentity && it.Status == models.ReviewPending {
			pending[it.ApplicationID] = true
		}
	}
	var out []models.ReviewItem
	for _, a := range apps {
		if !pending[a.ID] {
			out = append(out, models.ReviewItem{ApplicationID: a.ID, Kind: models.ReviewIdentity,
				Status: models.ReviewPending, CreatedAt: now})
		}
	}
	return out, nil
}

// storedResult is a screening result as an application keeps it: without the birth date, which
// beside the mask would give the ID number back (DESIGN.md, personal data).
func storedResult(res screening.Result) string {
	res.BirthDate = screening.Date{}
	return mustJSON(res)
}

var errDuplicate = models.Conflict("duplicate_application", "该身份证号（或该账号）已报名此岗位，不能重复报名；如需修改请先撤回原报名")

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
		rules = append(rules, screening.RuleName(c.Rule, c.Subject)+"："+c.Message)
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
		// Rule A2-2: an identity conflict ends when only one application with the number is
		// left; it would otherwise hold the opening's proposals up with nobody to compare.
		others, err := tx.LiveApplicationsWithIDHash(ctx, app.OpeningID, app.IDHash)
		if err != nil {
			return err
		}
		if len(others) == 1 {
			if err := tx.ResolveIdentityItems(ctx, others[0].ID, "相同身份证号码的另一份报名已撤回，冲突自动解除", now); err != nil {
				return err
			}
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

// PurgeApplyAttempts forgets attempts older than the limit's window.
func (s *Service) PurgeApplyAttempts(ctx context.Context) (int64, error) {
	return s.store.DeleteApplyAttemptsBefore(ctx, s.clock.Now().Add(-time.Hour))
}
