package permits

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/screening"
)

// live are the statuses of a permit still held: one application has at most one.
var live = []string{models.PermitActive, models.PermitSuspended}

// holder is what a card prints about its holder, read from the application.
type holder struct {
	app    *models.Application
	town   *models.Town
	post   string
	photo  string // upload id
	cardID *uint64
}

func (s *Service) holderOf(ctx context.Context, appID uint64) (*holder, error) {
	app, err := s.store.ApplicationByID(ctx, appID)
	if err != nil {
		return nil, err
	}
	if app.Status != models.AppHired {
		// Rule T-2 (and T-3): only whoever passed the unified training is hired and gets one.
		return nil, models.Conflict("not_hired", "只有通过区统一岗前培训考试、已录用的人员才能颁发上岗证")
	}
	o, err := s.store.OpeningByID(ctx, app.OpeningID)
	if err != nil {
		return nil, err
	}
	town, err := s.store.TownByID(ctx, o.TownID)
	if err != nil {
		return nil, err
	}
	h := &holder{app: app, town: town, post: postOf(o.Title)}
	ups, err := s.store.UploadsOf(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range ups {
		if u.Kind == "photo" {
			h.photo = u.ID // the latest photo wins
		}
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{ApplicationID: &app.ID})
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].Outcome == string(exams.OutcomePass) {
			h.cardID = &cs[i].ID
		}
	}
	return h, nil
}

// postOf is the post a card prints: the opening's title when it fits the card's 20
// characters; a longer one loses its parenthesised remark (城市管理辅助人员（已确定拟录用，…）
// → 城市管理辅助人员), and only what is still too long is cut.
func postOf(title string) string {
	r := []rune(strings.TrimSpace(title))
	if len(r) <= 20 {
		return string(r)
	}
	for i, c := range r {
		if (c == '（' || c == '(') && i > 0 {
			r = []rune(strings.TrimSpace(string(r[:i])))
			break
		}
	}
	if len(r) > 20 {
		r = r[:20]
	}
	return string(r)
}

// Issue gives a hired person their permit (rule T-2): a new number, the card rendered once and
// kept with its SHA-256, the hire's timeline and the audit log told.
func (s *Service) Issue(ctx context.Context, actor models.Actor, appID uint64) (*View, error) {
	if !canIssue(actor) {
		return nil, denyIssue(actor)
	}
	p, err := s.issue(ctx, actor, appID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, p)
}

// issue is Issue after authorization. Its steps, and why in this order: the holder is read and
// the card's text checked first (a name the font cannot print is refused before a number is
// spent); then a serial is reserved in a transaction of its own, so the counter's row lock is
// held for microseconds, not for the rendering; then the card is rendered without any lock;
// then one transaction checks again that the application has no permit (under its row lock,
// so two issues at once cannot both pass) and stores the permit, its card and the history. A
// serial reserved by an issue that then fails is never given again: numbers may have gaps,
// never duplicates.
func (s *Service) issue(ctx context.Context, actor models.Actor, appID uint64) (*models.Permit, error) {
	h, err := s.holderOf(ctx, appID)
	if err != nil {
		return nil, err
	}
	if existing, err := s.store.ListPermits(ctx, models.PermitFilter{ApplicationID: &appID}); err != nil {
		return nil, err
	} else if err := onePermitPerHire(h.app.Name, existing); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	issued := screening.DateOf(clock.InChina(now))
	p := &models.Permit{UserID: h.app.UserID, ApplicationID: &h.app.ID, CandidateID: h.cardID, TownID: &h.town.ID,
		HolderName: h.app.Name, IDMasked: h.app.IDMasked, Post: h.post, PhotoUploadID: h.photo,
		IssuedOn: issued.String(), Cycle: 1, ValidUntil: certificates.ValidUntil(issued, 1).String(),
		Status: models.PermitActive, StatusAt: now, IssuedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	card := s.cardOf(ctx, s.store, p, h.town.Name, issued)
	card.PermitNo, card.QRText = "HM0000-00000", "https://example.invalid/verify" // the number comes after the check
	if err := certificates.CheckPermit(card); err != nil {
		return nil, cardErr(err)
	}
	if p.No, err = s.reserveNumber(ctx, issued.Year); err != nil {
		return nil, err
	}
	card.PermitNo, card.QRText = p.No, s.signer.URL(s.publicURL, p.No)
	doc, err := render(card, now)
	if err != nil {
		return nil, cardErr(err)
	}
	err = s.retry(ctx, func(tx *models.Store) error {
		p.ID = 0
		if _, err := tx.LockApplication(ctx, appID); err != nil {
			return err
		}
		existing, err := tx.ListPermits(ctx, models.PermitFilter{ApplicationID: &appID})
		if err != nil {
			return err
		}
		if err := onePermitPerHire(h.app.Name, existing); err != nil {
			return err
		}
		if err := tx.CreatePermit(ctx, p); err != nil {
			return err
		}
		doc.PermitID, doc.ID = p.ID, 0
		if err := tx.AddPermitDocument(ctx, doc); err != nil {
			return err
		}
		msg := fmt.Sprintf("颁发上岗证 %s，有效期至 %s", p.No, p.ValidUntil)
		if err := tx.AddPermitEvents(ctx, models.PermitEvent{PermitID: p.ID, At: now, Kind: "issued", To: p.Status,
			Message: msg, ActorID: &actor.UserID}); err != nil {
			return err
		}
		if err := tx.AddEvents(ctx, models.Event{ApplicationID: appID, At: now, Kind: "permit_issued",
			Message: "已颁发上岗证（" + p.No + "），有效期至 " + p.ValidUntil + "；每年须参加复训"}); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "permit.issue", p, "", map[string]string{"no": p.No, "application": fmt.Sprint(appID),
			"valid_until": p.ValidUntil, "sha256": doc.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// onePermitPerHire refuses a permit to a hire who has had one (rule T-2: one permit per hire),
// whatever became of it. A live one (or a chain of re-issues ending in one) is already_issued. A
// revoked one stays revoked: the revocation is a district admin's decision, and a fresh permit
// would undo it (a new number, a new year of validity) at a trainer's click. An expired one is
// not renewed by a new issue either: its holder goes through the pre-job training again, which
// is a new application and a new hire.
func onePermitPerHire(name string, existing []models.Permit) error {
	var revoked, expired *models.Permit
	for i := range existing {
		switch p := &existing[i]; p.Status {
		case models.PermitActive, models.PermitSuspended:
			return models.Conflict("already_issued", "%s 已持有上岗证 %s", name, p.No)
		case models.PermitRevoked:
			revoked = p
		case models.PermitExpired:
			expired = p
		}
	}
	switch {
	case revoked != nil:
		return models.Conflict("permit_revoked", "%s 的上岗证 %s 已被吊销，不能再颁发", name, revoked.No)
	case expired != nil:
		return models.Conflict("permit_expired", "%s 的上岗证 %s 已失效，须重新报名并通过区统一岗前培训后方可颁发新证", name, expired.No)
	case len(existing) > 0:
		return models.Conflict("already_issued", "%s 已颁发过上岗证 %s", name, existing[0].No)
	}
	return nil
}

// reserveNumber takes the year's next serial in a transaction of its own.
func (s *Service) reserveNumber(ctx context.Context, year int) (string, error) {
	if err := s.store.EnsurePermitCounter(ctx, year); err != nil {
		return "", err
	}
	var serial int64
	err := s.retry(ctx, func(tx *models.Store) error {
		var err error
		serial, err = tx.NextPermitSerial(ctx, year)
		return err
	})
	if err != nil {
		return "", err
	}
	return certificates.FormatPermitNo(year, serial), nil
}

// cardOf is a permit's card as certificates draws it; printed is the date the card shows as
// issued (the re-issue day for a re-issued permit; validity still counts from IssuedOn). q is
// the store to read the photo through: the caller's transaction when there is one.
func (s *Service) cardOf(ctx context.Context, q *models.Store, p *models.Permit, town string, printed screening.Date) certificates.Permit {
	until, _ := screening.ParseDate(p.ValidUntil)
	c := certificates.Permit{Name: p.HolderName, IDMasked: p.IDMasked, Town: town, Post: p.Post, PermitNo: p.No,
		Issued: printed.Time(), ValidUntil: until.Time(), QRText: s.signer.URL(s.publicURL, p.No)}
	if issued, err := screening.ParseDate(p.IssuedOn); err == nil && p.Cycle >= 1 {
		// The cycle's own start: a suspended permit re-issued today prints today's date
		// after its (past) valid-until date, which is right, not a mistake to refuse.
		c.ValidFrom = certificates.Anniversary(issued, p.Cycle-1).Time()
	}
	if p.PhotoUploadID != "" {
		if u, err := q.UploadByID(ctx, p.PhotoUploadID); err == nil {
			c.Photo = u.Data
		}
	}
	return c
}

// render draws one card and wraps it as the document to keep.
func render(c certificates.Permit, now time.Time) (*models.PermitDocument, error) {
	var b bytes.Buffer
	if err := certificates.RenderPermit(&b, c); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b.Bytes())
	return &models.PermitDocument{ValidUntil: screening.DateOf(clock.InChina(c.ValidUntil)).String(), PDF: b.Bytes(),
		SHA256: hex.EncodeToString(sum[:]), CreatedAt: now}, nil
}

// Issuable lists the hires who have no permit yet, for the issuing page: of one sitting, or
// of every sitting.
func (s *Service) Issuable(ctx context.Context, actor models.Actor, sittingID uint64) ([]IssuableRow, error) {
	if !canIssue(actor) {
		return nil, denyIssue(actor)
	}
	f := models.ApplicationFilter{Statuses: []string{models.AppHired}}
	apps, err := s.store.ListApplications(ctx, f)
	if err != nil {
		return nil, err
	}
	var inSitting map[uint64]bool
	if sittingID != 0 {
		cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &sittingID})
		if err != nil {
			return nil, err
		}
		inSitting = map[uint64]bool{}
		for _, c := range cs {
			if c.ApplicationID != nil {
				inSitting[*c.ApplicationID] = true
			}
		}
	}
	out := []IssuableRow{} // [] in JSON, not null, when nobody waits
	for _, a := range apps {
		if inSitting != nil && !inSitting[a.ID] {
			continue
		}
		ps, err := s.store.ListPermits(ctx, models.PermitFilter{ApplicationID: &a.ID})
		if err != nil {
			return nil, err
		}
		if len(ps) > 0 {
			continue // issued once: live, revoked or expired, it gets no other (onePermitPerHire)
		}
		row := IssuableRow{ApplicationID: a.ID, Name: a.Name, IDMasked: a.IDMasked}
		if o, err := s.store.OpeningByID(ctx, a.OpeningID); err == nil {
			row.Post = o.Title
			if t, err := s.store.TownByID(ctx, o.TownID); err == nil {
				row.Town = t.Name
			}
		}
		if a.HiredAt != nil {
			row.HiredAt = clock.FormatChina(*a.HiredAt)
		}
		if m := certificates.Missing(a.Name); m != nil {
			row.Problem = fmt.Sprintf("姓名中的「%s」超出证件字库，无法印制", string(m))
		}
		out = append(out, row)
	}
	return out, nil
}

// IssuableRow is a hire waiting for their permit.
type IssuableRow struct {
	ApplicationID uint64 `json:"application_id"`
	Name          string `json:"name"`
	IDMasked      string `json:"id_number_masked"`
	Town          string `json:"town"`
	Post          string `json:"post"`
	HiredAt       string `json:"hired_at"`
	Problem       string `json:"problem,omitempty"` // why it cannot be issued as things stand
}

// IssueSitting queues the issue of every permit a sitting's hires still lack, in the
// background; the page follows the job's progress.
func (s *Service) IssueSitting(ctx context.Context, actor models.Actor, sittingID uint64) (*jobs.View, error) {
	if !canIssue(actor) {
		return nil, denyIssue(actor)
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	if st.Purpose != models.PurposePreJob || st.Status != models.SittingPublished {
		return nil, models.Conflict("not_published", "只能为已发布成绩的岗前培训考试批量颁发上岗证")
	}
	j, err := s.jobs.Enqueue(ctx, actor, JobIssueSitting, "批量颁发上岗证："+st.Title, issueSittingParams{SittingID: sittingID, By: actor}, nil)
	if err != nil {
		return nil, err
	}
	return s.jobs.Get(ctx, actor, j.ID)
}

type issueSittingParams struct {
	SittingID uint64       `json:"sitting_id"`
	By        models.Actor `json:"by"`
}

// runIssueSitting is the job: every hire of the sitting without a permit gets one. It is
// idempotent — a permit already issued (by an earlier run that died, or by hand meanwhile) is
// counted as done — so a takeover simply starts again.
func (s *Service) runIssueSitting(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
	var in issueSittingParams
	if err := json.Unmarshal([]byte(j.Params), &in); err != nil {
		return nil, fmt.Errorf("job %d params: %w", j.ID, err)
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &in.SittingID})
	if err != nil {
		return nil, err
	}
	var apps []uint64
	for _, c := range cs {
		if c.ApplicationID != nil && c.Gate == "hired" {
			apps = append(apps, *c.ApplicationID)
		}
	}
	done, failed, already := 0, 0, 0
	var problems []string
	if err := p.Set(ctx, len(apps), 0, 0, "开始颁发"); err != nil {
		return nil, err
	}
	for _, id := range apps {
		_, err := s.issue(ctx, in.By, id)
		switch me, ok := models.AsError(err); {
		case err == nil:
			done++
		case ok && me.Code == "already_issued":
			done++ // by an earlier run, or by hand meanwhile
			already++
		case ok && (me.Code == "not_hired" || me.Code == "permit_unprintable" || me.Code == "permit_revoked" || me.Code == "permit_expired"):
			failed++
			problems = append(problems, me.Message)
		default:
			return nil, err
		}
		msg := fmt.Sprintf("已颁发 %d 张", done-already)
		if already > 0 {
			msg += fmt.Sprintf("，%d 人此前已持证", already)
		}
		if failed > 0 {
			msg += fmt.Sprintf("，%d 人未能颁发：%s", failed, strings.Join(problems, "；"))
		}
		if err := p.Set(ctx, len(apps), done, failed, msg); err != nil {
			return nil, err
		}
	}
	return nil, nil
}
