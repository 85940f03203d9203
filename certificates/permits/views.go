package permits

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// View is a permit as its holder and the staff see it.
type View struct {
	ID         uint64  `json:"id"`
	No         string  `json:"no"`
	HolderName string  `json:"holder_name"`
	IDMasked   string  `json:"id_number_masked"`
	UserID     uint64  `json:"user_id"`
	TownID     *uint64 `json:"town_id,omitempty"`
	Town       string  `json:"town"`
	Post       string  `json:"post"`
	IssuedOn   string  `json:"issued_on"` // the anniversary every cycle counts from
	// CardIssuedOn is the 发证日期 the card prints: the day this number was issued (a
	// re-issue's day for a re-issued permit; the verify page gives the same).
	CardIssuedOn string `json:"card_issued_on"`
	Cycle        int    `json:"cycle"`
	ValidUntil   string `json:"valid_until"`
	Status       string `json:"status"` // as of today (an active permit past its date is suspended)
	StatusLabel  string `json:"status_label"`
	StatusReason string `json:"status_reason,omitempty"`
	// RefresherOpens is the first day of the next refresher window (rule T-4).
	RefresherOpens string       `json:"refresher_opens"`
	SupersededBy   string       `json:"superseded_by,omitempty"`
	Supersedes     string       `json:"supersedes,omitempty"`
	VerifyURL      string       `json:"verify_url"`       // what the QR code holds
	VerifyPath     string       `json:"verify_path"`      // the same on this portal, for its own links
	SHA256         string       `json:"sha256,omitempty"` // of the card as last issued
	History        []HistoryRow `json:"history,omitempty"`
}

// HistoryRow is one step of a permit's life.
type HistoryRow struct {
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

func (s *Service) view(ctx context.Context, p *models.Permit) (*View, error) {
	v := s.viewOf(p, nil)
	if p.TownID != nil {
		if t, err := s.store.TownByID(ctx, *p.TownID); err == nil {
			v.Town = t.Name
		}
	}
	for _, ref := range []struct {
		id  *uint64
		out *string
	}{{p.SupersededByID, &v.SupersededBy}, {p.SupersedesID, &v.Supersedes}} {
		if ref.id != nil {
			if o, err := s.store.PermitByID(ctx, *ref.id); err == nil {
				*ref.out = o.No
			}
		}
	}
	if d, err := s.store.LatestPermitDocument(ctx, p.ID); err == nil {
		v.SHA256 = d.SHA256
	}
	es, err := s.store.PermitEvents(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		v.History = append(v.History, HistoryRow{At: clock.FormatChina(e.At), Kind: e.Kind, Message: e.Message})
	}
	return &v, nil
}

// viewOf is a permit's view without the lookups (towns by id from towns, when given).
func (s *Service) viewOf(p *models.Permit, towns map[uint64]string) View {
	status := effectiveStatus(p, s.today())
	v := View{ID: p.ID, No: p.No, HolderName: p.HolderName, IDMasked: p.IDMasked, UserID: p.UserID, TownID: p.TownID,
		Post: p.Post, IssuedOn: p.IssuedOn, CardIssuedOn: cardIssuedOn(p), Cycle: p.Cycle, ValidUntil: p.ValidUntil, Status: status,
		StatusLabel: StatusLabel(status), StatusReason: p.StatusReason, VerifyURL: s.signer.URL(s.publicURL, p.No),
		VerifyPath: s.signer.URL("", p.No)}
	if status == models.PermitSuspended && p.Status == models.PermitActive {
		v.StatusReason = "有效期已过，未按期通过年度复训"
	}
	if until, err := screening.ParseDate(p.ValidUntil); err == nil {
		v.RefresherOpens = certificates.WindowOpens(until, s.policy.WindowDays).String()
	}
	if p.TownID != nil && towns != nil {
		v.Town = towns[*p.TownID]
	}
	return v
}

// printedOn is the 发证日期 every card of a permit prints, renewals and print runs included:
// the civil day in China its number was issued (a re-issue's day for a re-issued permit).
func printedOn(p *models.Permit) screening.Date { return screening.DateOf(clock.InChina(p.CreatedAt)) }

func cardIssuedOn(p *models.Permit) string { return printedOn(p).String() }

// Get is one permit, for whoever may see it.
func (s *Service) Get(ctx context.Context, actor models.Actor, id uint64) (*View, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	p, err := s.store.PermitByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, p) {
		return nil, models.NotFound("上岗证")
	}
	return s.view(ctx, p)
}

// Mine are the signed-in holder's permits, the current one first.
func (s *Service) Mine(ctx context.Context, actor models.Actor) ([]View, error) {
	if actor.Anonymous() {
		return nil, models.Deny(actor, "")
	}
	ps, err := s.store.ListPermits(ctx, models.PermitFilter{UserID: &actor.UserID})
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(ps))
	for i := range ps {
		v, err := s.view(ctx, &ps[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// ListFilter narrows List.
type ListFilter struct {
	TownID uint64 `form:"town"`
	Status string `form:"status"`
}

// List is the permits the actor may follow: all for the district's staff, a town admin's own
// town's.
func (s *Service) List(ctx context.Context, actor models.Actor, f ListFilter) ([]View, error) {
	if !canIssue(actor) && actor.Role != models.RoleTownAdmin {
		return nil, models.Deny(actor, "无权查看上岗证")
	}
	pf := models.PermitFilter{}
	if scope := actor.TownScope(); scope != nil {
		pf.TownID = scope
	} else if f.TownID != 0 {
		pf.TownID = &f.TownID
	}
	if f.Status != "" {
		if StatusLabel(f.Status) == f.Status {
			return nil, models.Invalid("invalid_input", "未知的上岗证状态")
		}
		pf.Statuses = []string{f.Status}
		if f.Status == models.PermitSuspended {
			pf.Statuses = append(pf.Statuses, models.PermitActive) // and those past their date today
		}
	}
	ps, err := s.store.ListPermits(ctx, pf)
	if err != nil {
		return nil, err
	}
	towns, err := s.townNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(ps))
	for i := range ps {
		v := s.viewOf(&ps[i], towns)
		if f.Status != "" && v.Status != f.Status {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) townNames(ctx context.Context) (map[uint64]string, error) {
	ts, err := s.store.ListTowns(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64]string, len(ts))
	for _, t := range ts {
		out[t.ID] = t.Name
	}
	return out, nil
}

// Download is the card exactly as last issued, and its file name.
func (s *Service) Download(ctx context.Context, actor models.Actor, id uint64) ([]byte, string, error) {
	if actor.Anonymous() {
		return nil, "", models.Deny(actor, "")
	}
	p, err := s.store.PermitByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if !canSee(actor, p) {
		return nil, "", models.NotFound("上岗证")
	}
	d, err := s.store.LatestPermitDocument(ctx, p.ID)
	if err != nil {
		return nil, "", err
	}
	return d.PDF, fmt.Sprintf("上岗证-%s.pdf", p.No), nil
}

// Public is what the verification page shows an inspector who scanned a card: never the ID
// number, the full name or why a permit was revoked.
type Public struct {
	No          string `json:"no"`
	Genuine     bool   `json:"genuine"` // the signature verifies: the district issued this number
	Found       bool   `json:"found"`
	Problem     string `json:"problem,omitempty"`
	Status      string `json:"status,omitempty"`
	StatusLabel string `json:"status_label,omitempty"`
	Valid       bool   `json:"valid"` // genuine, found and active as of today
	MaskedName  string `json:"masked_name,omitempty"`
	Town        string `json:"town,omitempty"`
	Post        string `json:"post,omitempty"`
	IssuedOn    string `json:"issued_on,omitempty"`
	ValidUntil  string `json:"valid_until,omitempty"`
	HasPhoto    bool   `json:"has_photo"`
	// Note explains a status to the inspector (a re-issued card: ask for the new one).
	Note      string    `json:"note,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
}

// Verify answers the public verification page (/verify/{no}?sig=…). A malformed number or a
// signature that does not verify is told as such without looking anything up, so the page
// cannot be used to find out which numbers exist.
func (s *Service) Verify(ctx context.Context, no, sig string) (*Public, error) {
	v := &Public{No: no, CheckedAt: s.clock.Now()}
	if !certificates.ValidPermitNo(no) {
		v.No, v.Problem = "", "证号格式不正确，不是本区的上岗证"
		return v, nil
	}
	if !certificates.Verify(s.signer.PublicKey(), no, sig) {
		v.Problem = certificates.ErrBadSignature.Error()
		return v, nil
	}
	v.Genuine = true
	p, err := s.store.PermitByNo(ctx, no)
	if err != nil {
		if _, ok := models.AsError(err); ok {
			v.Problem = "签名有效，但系统中查不到该证，请联系海门区城市管理局核实"
			return v, nil
		}
		return nil, err
	}
	v.Found = true
	status := effectiveStatus(p, s.today())
	v.Status, v.StatusLabel, v.Valid = status, StatusLabel(status), status == models.PermitActive
	// 发证日期 as the card in the inspector's hand prints it (a re-issued card: the re-issue day).
	v.MaskedName, v.Post, v.IssuedOn, v.ValidUntil = certificates.MaskName(p.HolderName), p.Post, cardIssuedOn(p), p.ValidUntil
	v.HasPhoto = p.PhotoUploadID != ""
	if p.TownID != nil {
		if t, err := s.store.TownByID(ctx, *p.TownID); err == nil {
			v.Town = t.Name
		}
	}
	switch status {
	case models.PermitSuspended:
		v.Note = "持证人未按期通过年度复训，上岗证暂停使用，复训合格后恢复"
	case models.PermitExpired:
		v.Note = "上岗证已失效"
	case models.PermitRevoked:
		v.Note = "上岗证已被区城管局吊销，不得持证上岗"
	case models.PermitSuperseded:
		v.Note = "此证已换发新证，本证作废；请查验持证人的新证"
	}
	return v, nil
}

// VerifyPhoto is the holder's photo for the verification page, only for a genuine signature.
func (s *Service) VerifyPhoto(ctx context.Context, no, sig string) ([]byte, error) {
	if !certificates.ValidPermitNo(no) || !certificates.Verify(s.signer.PublicKey(), no, sig) {
		return nil, models.NotFound("照片")
	}
	p, err := s.store.PermitByNo(ctx, no)
	if err != nil {
		return nil, err
	}
	if p.PhotoUploadID == "" {
		return nil, models.NotFound("照片")
	}
	u, err := s.store.UploadByID(ctx, p.PhotoUploadID)
	if err != nil {
		return nil, err
	}
	return u.Data, nil
}

// PublicKey is the key the permits' QR codes verify with, for the public key page and file.
func (s *Service) PublicKey() ed25519.PublicKey { return s.signer.PublicKey() }
