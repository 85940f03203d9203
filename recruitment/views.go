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
	case models.AppCancelled:
		return "已取消拟录用资格"
	}
	return status
}

// ReviewKindLabel names a review item kind in Chinese.
func ReviewKindLabel(kind string) string {
	switch kind {
	case models.ReviewAgeRelaxation:
		return "年龄放宽至45周岁"
	case models.ReviewEducationRelaxation:
		return "学历放宽"
	case models.ReviewVeteran:
		return "退伍军人身份"
	case models.ReviewFormerAux:
		return "曾从事城市管理辅助工作"
	case models.ReviewParty:
		return "中共党员身份"
	case models.ReviewUrbanManagement:
		return "城市管理类专业毕业"
	case models.ReviewHeroic:
		return "见义勇为积极分子"
	case models.ReviewHukou:
		return "户籍条件（区镇附加）"
	case models.ReviewLicence:
		return "证照条件（区镇附加）"
	case models.ReviewIdentity:
		return "身份证号码重复核查"
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
	// FilesProcessing: a file waits for the sanitising worker (the page says 照片处理中).
	FilesProcessing bool `json:"files_processing"`
	// NeedsReupload names the files sanitising refused: the application is "需重新上传" until
	// the applicant replaces them.
	NeedsReupload []string       `json:"needs_reupload,omitempty"`
	Timeline      []TimelineStep `json:"timeline"`
	Events        []EventView    `json:"events"`
	Score         string         `json:"score,omitempty"`
	ExtraScore    string         `json:"extra_score,omitempty"`
	Absent        bool           `json:"absent"`
	Results       *ResultsView   `json:"results,omitempty"` // 成绩查询, once released
	SubmittedAt   time.Time      `json:"submitted_at"`
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
	// State is the upload's: "quarantined" (照片处理中: waiting for the sanitising worker, not
	// viewable), "ready" (viewable by ID) or "failed" (需重新上传, Problem says why).
	State      string `json:"state"`
	StateLabel string `json:"state_label"`
	Problem    string `json:"problem,omitempty"`
	// CanReplace (owner's view): the applicant may upload this file again (POST
	// /api/v1/files/{id}/replacement).
	CanReplace bool `json:"can_replace,omitempty"`
}

// UploadStateLabel names an upload state in Chinese.
func UploadStateLabel(state string) string {
	switch state {
	case models.UploadQuarantined:
		return "处理中"
	case models.UploadFailed:
		return "需重新上传"
	}
	return "已上传"
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
	res = res.Named()
	v := &ApplicationView{
		ID: app.ID, OpeningID: o.ID, OpeningTitle: o.Title, Town: o.Town.Name, TownID: o.TownID,
		Status: app.Status, StatusLabel: StatusLabel(app.Status), Name: app.Name, IDMasked: app.IDMasked,
		Gender: "女", Age: res.Age, Education: app.Education, Absent: app.Absent,
		EducationText: screening.Education(app.Education).Label(), Major: app.Major, Veteran: app.Veteran,
		FormerAux: app.FormerAux, FormerAuxEnd: app.FormerEnd, Party: app.Party, Heroic: app.Heroic,
		Result: res, Failed: res.Failed(), SubmittedAt: app.SubmittedAt, ReferenceDate: app.ReferenceDate,
	}
	v.Gender = genderLabel(app.Male)
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
		fv := FileView{ID: f.ID, Kind: f.Kind, Label: label, Width: f.Width, Height: f.Height, Size: f.Size,
			Supplement: f.Supplement, State: f.State, StateLabel: UploadStateLabel(f.State), Problem: f.Problem}
		switch f.State {
		case models.UploadQuarantined:
			v.FilesProcessing = true
		case models.UploadFailed:
			v.NeedsReupload = append(v.NeedsReupload, label)
			fv.CanReplace = !full && app.Status != models.AppWithdrawn
		}
		v.Files = append(v.Files, fv)
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
	facts := timelineFacts{o: o, events: events, today: s.today()}
	if o.ScoresFrozenAt != nil && app.Score != nil && !app.Absent {
		if facts.results, err = s.resultsOf(ctx, app, o); err != nil {
			return nil, err
		}
	}
	v.Results = facts.results
	if !full && facts.results == nil {
		// 成绩查询 opens with the release: before it the applicant sees no score.
		v.Score, v.ExtraScore = "", ""
	}
	if app.PublicityID != nil {
		ps, err := s.store.PublicitiesByIDs(ctx, []uint64{*app.PublicityID})
		if err != nil {
			return nil, err
		}
		facts.publicity = ps[*app.PublicityID]
	}
	v.Timeline = timeline(app, res, facts)
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

// timelineFacts is what the timeline shows besides the application: its opening's steps, its
// 公示, when scores were released and its rank, the dates of its events.
type timelineFacts struct {
	o         *models.Opening
	publicity *models.Publicity
	results   *ResultsView
	events    []models.Event
	today     screening.Date
}

// ResultsView is 成绩查询: the applicant's score, rank and the pass mark, shown once results are
// released — when proposals are made from the ranking and the scores are frozen (rule R-1).
type ResultsView struct {
	Score    string `json:"score"`
	Total    string `json:"total,omitempty"` // with bonus points, when the opening awards them
	Rank     int    `json:"rank,omitempty"`  // 0: not ranked (below the pass mark is ranked after)
	Of       int    `json:"of,omitempty"`    // how many were ranked
	PassMark string `json:"pass_mark,omitempty"`
	Passed   bool   `json:"passed"` // at or above the pass mark (or no pass mark)
	Line     string `json:"line"`   // the same in one Chinese line
}

// lastEvent is the date (China) of the latest event of one of the kinds, "" if none.
func (f timelineFacts) lastEvent(kinds ...string) string {
	at := ""
	for _, e := range f.events {
		if contains(kinds, e.Kind) {
			at = clock.FormatChina(e.At)
		}
	}
	return at
}

// timeline lays out the stages an application goes through, with the dates the applicant was
// told: 已提交 → 资格审查 → 复核结果 → 排名（成绩发布）→ 拟录用 → 体检 → 考察 → 公示 → 岗前培训 → 录用,
// the steps the opening does not use left out.
func timeline(app *models.Application, res screening.Result, f timelineFacts) []TimelineStep {
	reviewed := f.lastEvent("screened", "review")
	steps := []TimelineStep{
		{Label: "已提交", State: "done", Note: clock.FormatChina(app.SubmittedAt)},
		{Label: "资格审查", State: "done", Note: reviewed},
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
		return steps
	}
	steps[2] = TimelineStep{Label: "合格", State: "done", Note: reviewed}
	if app.Status == models.AppEligible {
		steps[3].State = "current"
		switch {
		case app.Absent:
			steps[3] = TimelineStep{Label: "缺考", State: "failed", Note: "未参加考试，不参加排名"}
			return steps[:4]
		case f.results != nil:
			steps[3].Note = f.results.Line
		case app.Score != nil:
			steps[3].Note = "成绩已录入，待发布"
		}
		return steps
	}
	// Proposed once: every stage after it.
	steps[3].State = "done"
	if f.results != nil {
		steps[3].Note = f.results.Line
	}
	steps[4] = TimelineStep{Label: "拟录用", State: "done", Note: clock.FormatChina(deref(app.ProposedAt))}
	failedAt := -1 // the stage the proposal ended at, if it was cancelled there
	for _, st := range enabledSteps(f.o) {
		r, on, note := stepResult(app, st)
		ts := TimelineStep{Label: StepLabel(st), State: "todo"}
		switch r {
		case models.StepPass:
			ts.State, ts.Note = "done", "合格 "+on
		case models.StepFail:
			ts.State, ts.Note = "failed", "不合格 "+on+"："+note
			failedAt = len(steps)
		}
		steps = append(steps, ts)
	}
	if f.o.PublicityDays > 0 {
		ts := TimelineStep{Label: "公示", State: "todo"}
		if p := f.publicity; p != nil {
			ts.Note = p.StartsOn + " 至 " + p.EndsOn
			if end, err := screening.ParseDate(p.EndsOn); err == nil {
				ts.State = "current"
				if f.today.After(end) || app.Status == models.AppHired {
					ts.State, ts.Note = "done", ts.Note+"（已期满）"
				}
			}
		}
		if app.Status == models.AppCancelled && f.lastEvent("objection_upheld") != "" {
			ts.State, ts.Note = "failed", "公示期间异议经核查属实，取消拟录用资格"
			failedAt = len(steps)
		}
		steps = append(steps, ts)
	}
	training := TimelineStep{Label: "岗前培训考试", State: "todo", Note: f.lastEvent("exam_scheduled")}
	hired := TimelineStep{Label: "录用", State: "todo"}
	switch app.Status {
	case models.AppProposed:
		if app.TrainingFailures > 0 {
			training.State, training.Note = "current", "岗前培训考试未通过，可补考一次"
		} else if training.Note != "" {
			training.State, training.Note = "current", "已安排考试 "+training.Note
		}
	case models.AppHired:
		training.State, training.Note = "done", "通过区统一岗前培训 "+f.lastEvent("training_hired")
		hired = TimelineStep{Label: "已录用", State: "done", Note: clock.FormatChina(deref(app.HiredAt))}
	case models.AppNotHired:
		training = TimelineStep{Label: "未通过岗前培训", State: "failed", Note: "未通过培训的不得录用"}
		return append(steps, training)
	case models.AppDroppedOut:
		steps[4] = TimelineStep{Label: "已放弃", State: "failed", Note: f.lastEvent("dropped_out")}
		return steps[:5]
	case models.AppCancelled:
		if failedAt < 0 {
			return append(steps, TimelineStep{Label: "已取消拟录用资格", State: "failed"})
		}
		return steps[:failedAt+1]
	}
	if app.Status == models.AppProposed && current(steps) < 0 {
		// The first stage not yet done is where it stands.
		for i := range steps {
			if steps[i].State == "todo" {
				steps[i].State = "current"
				break
			}
		}
	}
	steps = append(steps, training, hired)
	if app.Status == models.AppProposed && current(steps) < 0 {
		steps[len(steps)-2].State = "current"
	}
	return steps
}

// current is the index of the step in progress, -1 if none.
func current(steps []TimelineStep) int {
	for i, s := range steps {
		if s.State == "current" {
			return i
		}
	}
	return -1
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

// summaries are the list lines of apps, in their order.
func (s *Service) summaries(ctx context.Context, apps []models.Application) ([]ApplicationSummary, error) {
	openings, err := s.openingsOf(ctx, apps)
	if err != nil {
		return nil, err
	}
	out := make([]ApplicationSummary, len(apps))
	for i := range apps {
		out[i] = summaryOf(&apps[i], openings[apps[i].OpeningID])
	}
	return out, nil
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
	// Waiting (proposed hires' list): what the proposal waits for before the training exam —
	// 待体检, 公示中… — "" when it may be scheduled.
	Waiting string `json:"waiting,omitempty"`
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
	// Whose it is first: a file in quarantine or refused is a 409 to those who see its
	// application only, and to anyone else the same 404 as a file that does not exist.
	meta, err := s.store.UploadMeta(ctx, fileID)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.visibleApplication(ctx, actor, meta.ApplicationID); err != nil {
		return nil, models.NotFound("文件")
	}
	return s.store.UploadByID(ctx, fileID)
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

// resultsOf is an applicant's released result: score, rank in the frozen ranking, pass mark.
func (s *Service) resultsOf(ctx context.Context, app *models.Application, o *models.Opening) (*ResultsView, error) {
	v, apps, err := s.ranking(ctx, s.store, o)
	if err != nil {
		return nil, err
	}
	r := &ResultsView{Score: screening.FormatScore(*app.Score), Passed: true, Of: len(v.Rows)}
	ranked := map[uint64]bool{}
	for _, row := range v.Rows {
		ranked[row.Application.ID] = true
	}
	for _, a := range apps {
		if a.ProposedRank > 0 && !ranked[a.ID] {
			r.Of++ // proposed once, out of the ranking since: still one of those ranked
		}
	}
	if o.PassMark != nil {
		r.PassMark = screening.FormatScore(*o.PassMark)
		r.Passed = *app.Score >= *o.PassMark
	}
	r.Rank = app.ProposedRank // kept when the proposal has left the ranking since
	for _, row := range v.Rows {
		if row.Application.ID == app.ID {
			r.Rank = row.Rank
			if row.Bonus != "" {
				r.Total = row.Total
			}
		}
	}
	r.Line = "成绩 " + r.Score
	if r.Total != "" {
		r.Line += "（含加分 " + r.Total + "）"
	}
	if r.Rank > 0 {
		r.Line += fmt.Sprintf("，排名第 %d 名（共 %d 人）", r.Rank, r.Of)
	}
	if r.PassMark != "" {
		r.Line += "，合格分数线 " + r.PassMark
		if !r.Passed {
			r.Line += "（未达到）"
		}
	}
	return r, nil
}
