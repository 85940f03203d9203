package recruitment

import (
	"context"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"auxportal/models"
	"auxportal/paging"
	"auxportal/screening"
)

// ApplicationQuery is an admin's search over the applications of their towns. Q is a name or a
// part of it, a phone number or a part of it, a whole ID number, a masked one (320***1234, the
// first 3 and last 4), or the last 4 characters of one.
type ApplicationQuery struct {
	Q       string `form:"q" json:"q,omitempty"`
	Opening uint64 `form:"opening" json:"opening,omitempty"`
	Status  string `form:"status" json:"status,omitempty"`
	Page    int    `form:"page" json:"page,omitempty"`
}

// Query is the search as a query string for page n.
func (q ApplicationQuery) Query(n int) string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Opening != 0 {
		v.Set("opening", strconv.FormatUint(q.Opening, 10))
	}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return v.Encode()
}

// ApplicationRow is one line of the search: the summary, with the phone the office calls.
type ApplicationRow struct {
	ApplicationSummary
	Phone string `json:"phone"`
}

// ApplicationPage is one page of the search.
type ApplicationPage struct {
	Rows      []ApplicationRow `json:"rows"`
	Total     int64            `json:"total"`
	Page      int              `json:"page"`
	Pages     int              `json:"pages"`
	PageSize  int              `json:"page_size"`
	Query     ApplicationQuery `json:"query"`
	Openings  []OpeningView    `json:"-"`
	Statuses  []StatusOption   `json:"-"`
	PageLinks []paging.Link    `json:"-"`
}

// StatusOption is a status the search can be narrowed to.
type StatusOption struct{ Value, Label string }

var searchStatuses = []string{models.AppPendingReview, models.AppEligible, models.AppIneligible, models.AppProposed,
	models.AppHired, models.AppNotHired, models.AppDroppedOut, models.AppWithdrawn}

var (
	maskedQuery = regexp.MustCompile(`^([0-9]{3})[*＊]+([0-9]{3}[0-9Xx])$`)
	last4Query  = regexp.MustCompile(`^[0-9]{3}[0-9Xx]$`)
)

// maxDecrypt bounds how many ID numbers one masked search opens to compare their last 4
// characters (the stored mask keeps only the last 2): past it the admin is asked for more.
const maxDecrypt = 5000

// SearchApplications finds applications in the actor's towns, newest first, a page at a time.
// Results show the masked ID number only, whatever was typed.
func (s *Service) SearchApplications(ctx context.Context, actor models.Actor, in ApplicationQuery) (*ApplicationPage, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以查询报名人员")
	}
	in.Q = strings.TrimSpace(in.Q)
	in.Page = paging.Clamp(in.Page)
	fe := models.FieldErrors{}
	if utf8.RuneCountInString(in.Q) > 30 {
		fe.Add("q", "查询内容不超过 30 个字")
	}
	f := models.ApplicationSearch{Scope: actor.TownScope()}
	if in.Opening != 0 {
		o, err := s.store.OpeningByID(ctx, in.Opening)
		if err != nil || !actor.CanManageTown(o.TownID) {
			fe.Add("opening", "没有这个岗位")
		}
		f.OpeningID = &in.Opening
	}
	if in.Status != "" {
		known := false
		for _, st := range searchStatuses {
			known = known || st == in.Status
		}
		if !known {
			fe.Add("status", "没有这个状态")
		}
		f.Status = in.Status
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	// What the text is decides where it is looked for; the last 4 of an ID number need the
	// numbers opened, since the stored mask keeps only the last 2.
	var idSuffix string
	upper := strings.ToUpper(in.Q)
	switch {
	case in.Q == "":
	case len(upper) == 18 && screening.MaskID(upper) != "" && isIDLike(upper):
		f.IDHash = s.cipher.Hash(upper)
	case maskedQuery.MatchString(upper):
		m := maskedQuery.FindStringSubmatch(upper)
		f.MaskPrefix, f.MaskSuffix, idSuffix = m[1], m[2][2:], m[2]
	case last4Query.MatchString(upper):
		// 4 characters: the last 4 of an ID number (or of a phone number, 尾号).
		f.MaskSuffix, idSuffix = upper[2:], upper
	default:
		f.Text = in.Q
	}
	p := &ApplicationPage{Page: in.Page, PageSize: ListPageSize, Query: in}
	var apps []models.Application
	var err error
	if idSuffix != "" {
		apps, p.Total, err = s.byIDSuffix(ctx, f, idSuffix, in.Page)
	} else {
		f.Offset, f.Limit = paging.Offset(in.Page, ListPageSize), ListPageSize
		apps, p.Total, err = s.store.SearchApplications(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	sums, err := s.summaries(ctx, apps)
	if err != nil {
		return nil, err
	}
	for i, sum := range sums {
		p.Rows = append(p.Rows, ApplicationRow{ApplicationSummary: sum, Phone: apps[i].Phone})
	}
	p.Pages = paging.Pages(p.Total, ListPageSize)
	p.PageLinks = paging.Links(in.Page, p.Pages, in.Query)
	if p.Openings, err = s.AdminOpenings(ctx, actor); err != nil {
		return nil, err
	}
	for _, st := range searchStatuses {
		p.Statuses = append(p.Statuses, StatusOption{Value: st, Label: StatusLabel(st)})
	}
	return p, nil
}

func isIDLike(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || (i == 17 && r == 'X')) {
			return false
		}
	}
	return true
}

// byIDSuffix pages the applications matching f whose ID number ends in suffix (4 characters)
// and, for a plain 4-digit search, those whose phone number does.
func (s *Service) byIDSuffix(ctx context.Context, f models.ApplicationSearch, suffix string, page int) ([]models.Application, int64, error) {
	f.Limit = maxDecrypt + 1
	cands, _, err := s.store.SearchApplications(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var phones []models.Application
	if f.MaskPrefix == "" && !strings.Contains(suffix, "X") {
		pf := f
		pf.MaskSuffix, pf.Text = "", suffix
		pf.Limit = maxDecrypt + 1
		if phones, _, err = s.store.SearchApplications(ctx, pf); err != nil {
			return nil, 0, err
		}
	}
	if len(cands) > maxDecrypt || len(phones) > maxDecrypt {
		return nil, 0, fieldErr("q", "符合的报名太多，请输入完整的身份证号码，或加上岗位、状态等条件")
	}
	var hits []models.Application
	seen := map[uint64]bool{}
	for i := range cands {
		n, err := s.openID(&cands[i])
		if err != nil {
			return nil, 0, err
		}
		if strings.HasSuffix(strings.ToUpper(n), suffix) {
			hits, seen[cands[i].ID] = append(hits, cands[i]), true
		}
	}
	for _, a := range phones {
		if strings.HasSuffix(a.Phone, suffix) && !seen[a.ID] {
			hits = append(hits, a)
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].ID > hits[j].ID })
	from := min(paging.Offset(page, ListPageSize), len(hits))
	to := min(from+ListPageSize, len(hits))
	return hits[from:to], int64(len(hits)), nil
}
