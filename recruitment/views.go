package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// StatusLabel names an application status in Chinese.
func StatusLabel(status string) string {
	switch status {
	case models.AppEligible:
		return "资格审查合格"
	case models.AppIneligible:
		return "资格审查不合格"
	case models.AppPendingReview:
		return "待复核"
	case models.AppWithdrawn:
		return "已撤回"
	case models.AppProposed:
		return "拟录用"
	case models.AppDroppedOut:
		return "已放弃（已递补）"
	case models.AppHired:
		return "已录用"
	case models.AppNotHired:
		return "未通过岗前培训，不予录用"
	}
	return status
}

// ReviewKindLabel names a review item kind in Chinese.
func ReviewKindLabel(kind string) string {
	switch kind {
	case models.ReviewAgeRelaxation:
		return "年龄放宽至45周岁（A2-3）"
	case models.ReviewEducationRelaxation:
		return "学历放宽（A2-4）"
	case models.ReviewVeteran:
		return "退役军人身份"
	case models.ReviewFormerAux:
		return "曾从事城市管理辅助工作"
	case models.ReviewParty:
		return "中共党员身份"
	case models.ReviewUrbanManagement:
		return "城市管理类专业毕业"
	case models.ReviewHeroic:
		return "见义勇为积极分子"
	case models.ReviewHukou:
		return "户籍条件（R-2）"
	case models.ReviewLicence:
		return "证照条件（R-2）"
	case models.ReviewIdentity:
		return "身份证号码重复核查（A2-2）"
	}
	return kind
}

// ReviewStatusLabel names a review item status.
func ReviewStatusLabel(status string) string {
	switch status {
	case models.ReviewPending:
		return "待复核"
	case models.ReviewApproved:
		return "已核实"
	case models.ReviewRejected:
		return "未通过"
	}
	return status
}

// ApplicationView is an application as its owner or a reviewer sees it.
type ApplicationView struct {
	ID            uint64                 `json:"id"`
	OpeningID     uint64                 `json:"opening_id"`
	OpeningTitle  string                 `json:"opening_title"`
	Town          string                 `json:"town"`
	TownID        uint64                 `json:"town_id"`
	Status        string                 `json:"status"`
	StatusLabel   string                 `json:"status_label"`
	Name          string                 `json:"name"`
	Phone         string                 `json:"phone,omitempty"`
	IDMasked      string                 `json:"id_number_masked"`
	IDNumber      string                 `json:"id_number,omitempty"`  // only in the reviewer's detail view
	BirthDate     string                 `json:"birth_date,omitempty"` // only in the reviewer's detail view
	Gender        string                 `json:"gender"`
	Age           int                    `json:"age"`
	Education     string                 `json:"education"`
	EducationText string                 `json:"education_label"`
	Major         string                 `json:"major"`
	Veteran       bool                   `json:"veteran"`
	FormerAux     bool                   `json:"former_aux_staff"`
	FormerAuxEnd  string                 `json:"former_aux_end,omitempty"`
	Party         bool                   `json:"party_member"`
	Heroic        bool                   `json:"heroic_honor"`
	Result        screening.Result       `json:"result"`
	Failed        []screening.Check      `json:"failed"`
	Verified      []screening.Preference `json:"verified_preferences"`
	Reviews       []ReviewItemView       `json:"reviews"`
	Files         []FileView             `json:"files"`
	Timeline      []TimelineStep         `json:"timeline"`
	Events        []EventView            `json:"events"`
	Score         string                 `json:"score,omitempty"`
	ExtraScore    string                 `json:"extra_score,omitempty"`
	Absent        bool                   `json:"absent"`
	SubmittedAt   time.Time              `json:"submitted_at"`
	// SameID lists, in the reviewer's view only, the other live applications to this opening
	// with the same ID number (an identity conflict, rule A2-2).
	SameID        []ApplicationSummary `json:"same_id_number,omitempty"`
	CanWithdraw   bool                 `json:"can_withdraw"`
	ReferenceDate string               `json:"reference_date"`

	// Profile is the rest of the 报名表, to its owner and the reviewer; nil for an application
	// filed before the form asked for it. It holds no birth date.
	Profile *Profile `json:"profile,omitempty"`
}

// ReviewItemView is one review item.
type ReviewItemView struct {
	ID          uint64 `json:"id"`
	Kind        string `json:"kind"`
	Label       string `json:"label"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Reason      string `json:"reason,omitempty"`
	// CanReopen (reviewer's view): the verdict may be taken back for a new review.
	CanReopen bool `json:"can_reopen,omitempty"`
	// CanSupplement (owner's view): the applicant may send replacement evidence, of kind File.
	CanSupplement bool   `json:"can_supplement,omitempty"`
	File          string `json:"file,omitempty"`
}

// FileView is an upload's metadata; the bytes are fetched by ID with an access check.
type FileView struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int    `json:"size"`
	// Supplement marks replacement evidence sent after a rejection (补充材料).
	Supplement bool `json:"supplement,omitempty"`
}

// EventView is a timeline event.
type EventView struct {
	At      string `json:"at"` // China time
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// TimelineStep is one stage of 已提交 → 资格审查 → 待复核/合格/不合格 → 排名 → 拟录用.
type TimelineStep struct {
	Label string `json:"label"`
	State string `json:"state"` // done, current, failed, todo
	Note  string `json:"note,omitempty"`
}

// ApplicationFor shows an application to its owner (masked ID) or to an admin of its town.
// The whole ID number is shown only in the reviewer's detail view (AdminApplication).
func (s *Service) ApplicationFor(ctx context.Context, actor models.Actor, id uint64) (*ApplicationView, error) {
	app, o, err := s.visibleApplication(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.applicationView(ctx, app, o, false)
}

// AdminApplication is the reviewer's detail view, with the whole ID number.
func (s *Service) AdminApplication(ctx context.Context, actor models.Actor, id uint64) (*ApplicationView, error) {
	app, o, err := s.managedApplication(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.applicationView(ctx, app, o, true)
}

// visibleApplication loads an application its owner or a managing admin may see; for anyone
// else it does not exist.
func (s *Service) visibleApplication(ctx context.Context, actor models.Actor, id uint64) (*models.Application, *models.Opening, error) {
	if actor.Anonymous() {
		return nil, nil, models.E(models.ErrUnauthenticated, "login_required", "请先登录")
	}
	app, err := s.store.ApplicationByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.store.OpeningByID(ctx, app.OpeningID)
	if err != nil {
		return nil, nil, err
	}
	if app.UserID != actor.UserID && !actor.CanManageTown(o.TownID) {
		return nil, nil, models.NotFound("报名记录")
	}
	return app, o, nil
}

// managedApplication loads an application for an admin who manages its town.
func (s *Service) managedApplication(ctx context.Context, actor models.Actor, id uint64) (*models.Application, *models.Opening, error) {
	if !actor.IsAdmin() {
		return nil, nil, models.Deny(actor, "只有管理员可以审核报名")
	}
	app, err := s.store.ApplicationByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.store.OpeningByID(ctx, app.OpeningID)
	if err != nil {
		return nil, nil, err
	}
	if !actor.CanManageTown(o.TownID) {
		return nil, nil, models.NotFound("报名记录")
	}
	return app, o, nil
}

func (s *Service) applicationView(ctx context.Context, app *models.Application, o *models.Opening, full bool) (*ApplicationView, error) {
	items, err := s.store.ReviewItemsFor(ctx, []uint64{app.ID})
	if err != nil {
		return nil, err
	}
	files, err := s.store.UploadsOf(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	events, err := s.store.EventsOf(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	var res screening.Result
	if err := json.Unmarshal([]byte(app.Result), &res); err != nil {
		return nil, fmt.Errorf("application %d result: %w", app.ID, err)
	}
	v := &ApplicationView{
		ID: app.ID, OpeningID: o.ID, OpeningTitle: o.Title, Town: o.Town.Name, TownID: o.TownID,
		Status: app.Status, StatusLabel: StatusLabel(app.Status), Name: app.Name, IDMasked: app.IDMasked,
		Gender: "女", Age: res.Age, Education: app.Education, Absent: app.Absent,
		EducationText: screening.Education(app.Education).Label(), Major: app.Major, Veteran: app.Veteran,
		FormerAux: app.FormerAux, FormerAuxEnd: app.FormerEnd, Party: app.Party, Heroic: app.Heroic,
		Result: res, Failed: res.Failed(), SubmittedAt: app.SubmittedAt, ReferenceDate: app.ReferenceDate,
	}
	v.Gender = genderOf(app.Male)
	if v.Profile, err = s.openProfile(app); err != nil {
		return nil, err
	}
	if app.Score != nil {
		v.Score = screening.FormatScore(*app.Score)
	}
	if app.ExtraScore != nil {
		v.ExtraScore = screening.FormatScore(*app.ExtraScore)
	}
	correctable := contains(reopenable, app.Status) && o.ScoresFrozenAt == nil
	for _, it := range items {
		if !full && it.Kind == models.ReviewIdentity && it.Status == models.ReviewPending {
			// Rule A2-2: an identity conflict is the staff's to check; the applicant must not
			// learn from it that someone else applied with this number.
			continue
		}
		iv := ReviewItemView{ID: it.ID, Kind: it.Kind, Label: ReviewKindLabel(it.Kind),
			Status: it.Status, StatusLabel: ReviewStatusLabel(it.Status), Reason: it.Reason}
		if full {
			iv.CanReopen = correctable && it.Status != models.ReviewPending
		} else if kind, ok := evidenceOf[it.Kind]; ok && correctable && it.Status == models.ReviewRejected && it.Supplements < MaxSupplements {
			iv.CanSupplement, iv.File = true, kind
		}
		v.Reviews = append(v.Reviews, iv)
		if p, ok := prefOfItem[it.Kind]; ok && it.Status == models.ReviewApproved {
			v.Verified = append(v.Verified, p)
		}
	}
	for _, f := range files {
		label := FileLabel(f.Kind)
		if f.Supplement {
			label += "（补充材料）"
		}
		v.Files = append(v.Files, FileView{ID: f.ID, Kind: f.Kind, Label: label, Width: f.Width, Height: f.Height, Size: f.Size, Supplement: f.Supplement})
	}
	for _, e := range events {
		v.Events = append(v.Events, EventView{At: clock.FormatChina(e.At), Kind: e.Kind, Message: e.Message})
	}
	r, err := decodeOpening(o)
	if err != nil {
		return nil, err
	}
	live := app.Status == models.AppEligible || app.Status == models.AppIneligible || app.Status == models.AppPendingReview
	v.CanWithdraw = live && !s.today().After(r.close)
	v.Timeline = timeline(app, res)
	if full {
		number, err := s.openID(app)
		if err != nil {
			return nil, err
		}
		id, err := screening.ParseID(number, screening.Date{})
		if err != nil {
			return nil, fmt.Errorf("application %d: %w", app.ID, err)
		}
		v.IDNumber, v.BirthDate, v.Phone = number, id.Birth.String(), app.Phone
		same, err := s.store.LiveApplicationsWithIDHash(ctx, app.OpeningID, app.IDHash)
		if err != nil {
			return nil, err
		}
		for i := range same {
			if same[i].ID != app.ID {
				v.SameID = append(v.SameID, summaryOf(&same[i], o))
			}
		}
	}
	return v, nil
}

// timeline lays out the stages an application goes through and where it stands.
func timeline(app *models.Application, res screening.Result) []TimelineStep {
	steps := []TimelineStep{
		{Label: "已提交", State: "done", Note: clock.FormatChina(app.SubmittedAt)},
		{Label: "资格审查", State: "done"},
		{Label: "复核结果", State: "todo"},
		{Label: "排名", State: "todo"},
		{Label: "拟录用", State: "todo"},
	}
	switch app.Status {
	case models.AppWithdrawn:
		steps[1].State = "done"
		steps[2] = TimelineStep{Label: "已撤回", State: "failed", Note: clock.FormatChina(deref(app.WithdrawnAt))}
		return steps[:3]
	case models.AppIneligible:
		steps[2] = TimelineStep{Label: "不合格", State: "failed", Note: fmt.Sprintf("%d 项条件不符合", len(res.Failed()))}
		return steps[:3]
	case models.AppPendingReview:
		steps[2] = TimelineStep{Label: "待复核", State: "current", Note: "放宽条件须人工复核"}
	case models.AppEligible:
		steps[2] = TimelineStep{Label: "合格", State: "done"}
		steps[3].State = "current"
		switch {
		case app.Absent:
			steps[3] = TimelineStep{Label: "缺考", State: "failed", Note: "未参加考试，不参加排名"}
			return steps[:4]
		case app.Score != nil:
			steps[3].Note = "成绩已录入"
		}
	case models.AppProposed:
		steps[2] = TimelineStep{Label: "合格", State: "done"}
		steps[3].State = "done"
		steps[4] = TimelineStep{Label: "拟录用", State: "current", Note: "待参加区统一岗前培训（T-1）"}
	case models.AppDroppedOut:
		steps[2] = TimelineStep{Label: "合格", State: "done"}
		steps[3].State = "done"
		steps[4] = TimelineStep{Label: "已放弃", State: "failed"}
	case models.AppHired:
		steps[2] = TimelineStep{Label: "合格", State: "done"}
		steps[3].State = "done"
		steps[4] = TimelineStep{Label: "拟录用", State: "done"}
		steps = append(steps, TimelineStep{Label: "已录用", State: "done", Note: "通过区统一岗前培训（T-1）"})
	case models.AppNotHired:
		steps[2] = TimelineStep{Label: "合格", State: "done"}
		steps[3].State = "done"
		steps[4] = TimelineStep{Label: "拟录用", State: "done"}
		steps = append(steps, TimelineStep{Label: "未通过岗前培训", State: "failed", Note: "不予录用（T-3）"})
	}
	if app.Status == models.AppProposed && app.TrainingFailures > 0 {
		steps[4].Note = "岗前培训考试未通过，可补考一次"
	}
	return steps
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// MyApplications lists an applicant's own applications, newest first.
func (s *Service) MyApplications(ctx context.Context, actor models.Actor) ([]ApplicationSummary, error) {
	if actor.Anonymous() {
		return nil, models.E(models.ErrUnauthenticated, "login_required", "请先登录")
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{UserID: &actor.UserID})
	if err != nil {
		return nil, err
	}
	openings, err := s.openingsOf(ctx, apps)
	if err != nil {
		return nil, err
	}
	out := make([]ApplicationSummary, 0, len(apps))
	for i := len(apps) - 1; i >= 0; i-- {
		out = append(out, summaryOf(&apps[i], openings[apps[i].OpeningID]))
	}
	return out, nil
}

// openingsOf loads the openings of some applications, each once, in one query.
func (s *Service) openingsOf(ctx context.Context, apps []models.Application) (map[uint64]*models.Opening, error) {
	ids := make([]uint64, 0, len(apps))
	seen := map[uint64]bool{}
	for _, a := range apps {
		if !seen[a.OpeningID] {
			seen[a.OpeningID] = true
			ids = append(ids, a.OpeningID)
		}
	}
	return s.store.OpeningsByIDs(ctx, ids)
}

// ApplicationSummary is a line in a list of applications.
type ApplicationSummary struct {
	ID           uint64    `json:"id"`
	OpeningID    uint64    `json:"opening_id"`
	OpeningTitle string    `json:"opening_title"`
	Town         string    `json:"town"`
	Name         string    `json:"name"`
	IDMasked     string    `json:"id_number_masked"`
	Status       string    `json:"status"`
	StatusLabel  string    `json:"status_label"`
	SubmittedAt  time.Time `json:"submitted_at"`
	Submitted    string    `json:"submitted"`
	Score        string    `json:"score,omitempty"`
	Absent       bool      `json:"absent,omitempty"` // 缺考
}

func summaryOf(a *models.Application, o *models.Opening) ApplicationSummary {
	s := ApplicationSummary{ID: a.ID, OpeningID: a.OpeningID, OpeningTitle: o.Title, Town: o.Town.Name,
		Name: a.Name, IDMasked: a.IDMasked, Status: a.Status, StatusLabel: StatusLabel(a.Status),
		SubmittedAt: a.SubmittedAt, Submitted: clock.FormatChina(a.SubmittedAt), Absent: a.Absent}
	if a.Score != nil {
		s.Score = screening.FormatScore(*a.Score)
	}
	return s
}

// File returns an upload to its owner or a managing admin.
func (s *Service) File(ctx context.Context, actor models.Actor, fileID string) (*models.Upload, error) {
	if actor.Anonymous() {
		return nil, models.E(models.ErrUnauthenticated, "login_required", "请先登录")
	}
	if len(fileID) != 32 {
		return nil, models.NotFound("文件")
	}
	u, err := s.store.UploadByID(ctx, fileID)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.visibleApplication(ctx, actor, u.ApplicationID); err != nil {
		return nil, models.NotFound("文件")
	}
	return u, nil
}

// OpeningApplications lists an opening's applications for an admin who manages it.
func (s *Service) OpeningApplications(ctx context.Context, actor models.Actor, openingID uint64) ([]ApplicationSummary, error) {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return nil, err
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &openingID})
	if err != nil {
		return nil, err
	}
	out := make([]ApplicationSummary, len(apps))
	for i := range apps {
		out[i] = summaryOf(&apps[i], o)
	}
	return out, nil
}
