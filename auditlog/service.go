// Package auditlog reads the audit log the way the office reads it: actions named in words,
// the person's name instead of "application #5", details as labelled fields, filters by who,
// what, town and date range (China time), and pages. Town admins see only their town's entries.
package auditlog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/recruitment"
)

// PageSize is how many entries one page shows.
const PageSize = 50

// Service reads the audit log.
type Service struct{ store *models.Store }

// New builds the service.
func New(store *models.Store) *Service { return &Service{store: store} }

// Filter is what the reader asked for; every field is optional. Dates are civil dates in China
// (YYYY-MM-DD), both ends included.
type Filter struct {
	Who  uint64 `form:"who" json:"who,omitempty"`
	What string `form:"what" json:"what,omitempty"` // a group's key or one action
	Town uint64 `form:"town" json:"town,omitempty"`
	From string `form:"from" json:"from,omitempty"`
	To   string `form:"to" json:"to,omitempty"`
	Page int    `form:"page" json:"page,omitempty"` // 1-based
}

// Query is the filter as a query string for page n (n < 1: the filter's own page).
func (f Filter) Query(n int) string {
	v := url.Values{}
	if f.Who != 0 {
		v.Set("who", strconv.FormatUint(f.Who, 10))
	}
	if f.What != "" {
		v.Set("what", f.What)
	}
	if f.Town != 0 {
		v.Set("town", strconv.FormatUint(f.Town, 10))
	}
	if f.From != "" {
		v.Set("from", f.From)
	}
	if f.To != "" {
		v.Set("to", f.To)
	}
	if n < 1 {
		n = f.Page
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return v.Encode()
}

// Field is one labelled detail of an entry.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Entry is one line of the log as it is shown.
type Entry struct {
	ID          uint64    `json:"id"`
	At          time.Time `json:"at"`
	When        string    `json:"when"` // China time
	Actor       string    `json:"actor"`
	Action      string    `json:"action"`
	ActionName  string    `json:"action_name"`
	ObjectType  string    `json:"object_type"`
	ObjectID    uint64    `json:"object_id"`
	ObjectLabel string    `json:"object_label"` // 报名, 上岗证…
	Subject     string    `json:"subject"`      // the person's or the thing's name
	SubjectNote string    `json:"subject_note,omitempty"`
	Link        string    `json:"link,omitempty"`
	Town        string    `json:"town,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	Fields      []Field   `json:"fields"`
}

// Option is one choice of a filter's list.
type Option struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

// PageLink is one link of the pager.
type PageLink struct {
	N       int    `json:"n"`
	Query   string `json:"query"`
	Current bool   `json:"current"`
	Gap     bool   `json:"gap"` // "…" between non-adjacent numbers
}

// Page is one page of the log with what the filter form offers.
type Page struct {
	Entries   []Entry    `json:"entries"`
	Total     int64      `json:"total"`
	Page      int        `json:"page"`
	Pages     int        `json:"pages"`
	PageSize  int        `json:"page_size"`
	Filter    Filter     `json:"filter"`
	Actors    []Option   `json:"-"`
	Towns     []Option   `json:"-"`
	Groups    []Group    `json:"-"`
	ShowTown  bool       `json:"-"` // district admins filter by town; a town admin has one
	PageLinks []PageLink `json:"-"`
}

// List reads one page of the log in the actor's scope. A filter that cannot be read is a
// field error (ErrInvalid) naming the field.
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter) (*Page, error) {
	if !actor.IsAdmin() {
		return nil, models.Deny(actor, "只有管理员可以查看操作日志")
	}
	q := models.AuditQuery{Scope: actor.TownScope(), ActorID: f.Who, Limit: PageSize}
	fe := models.FieldErrors{}
	if f.What != "" {
		q.Actions = actionsOf(f.What)
		if q.Actions == nil {
			fe.Add("what", "没有这一类操作")
		}
	}
	if f.Town != 0 {
		if !actor.CanManageTown(f.Town) {
			fe.Add("town", "只能查看本区镇的操作记录")
		}
		q.TownID = &f.Town
	}
	from, err := civil(f.From)
	if err != nil {
		fe.Add("from", "开始日期应为 年-月-日，如 2026-06-01")
	}
	to, err := civil(f.To)
	if err != nil {
		fe.Add("to", "结束日期应为 年-月-日，如 2026-06-30")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		fe.Add("to", "结束日期不能早于开始日期")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	q.From = from
	if !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if f.Page < 1 {
		f.Page = 1
	}
	q.Offset = (f.Page - 1) * PageSize
	es, total, err := s.store.SearchAudit(ctx, q)
	if err != nil {
		return nil, err
	}
	p := &Page{Total: total, Page: f.Page, PageSize: PageSize, Filter: f, Groups: Groups(),
		ShowTown: actor.TownScope() == nil, Pages: int((total + PageSize - 1) / PageSize)}
	if p.Entries, err = s.entries(ctx, es); err != nil {
		return nil, err
	}
	if err := s.options(ctx, actor, p); err != nil {
		return nil, err
	}
	p.PageLinks = pager(f, p.Pages)
	return p, nil
}

func civil(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation("2006-01-02", s, clock.China)
}

// actionsOf resolves the filter's "what": a group's actions or one known action.
func actionsOf(what string) []string {
	for _, g := range Groups() {
		if g.Key == what {
			return g.Actions
		}
	}
	if Known(what) {
		return []string{what}
	}
	return nil
}

func (s *Service) options(ctx context.Context, actor models.Actor, p *Page) error {
	actors, err := s.store.AuditActors(ctx, actor.TownScope())
	if err != nil {
		return err
	}
	for _, a := range actors {
		p.Actors = append(p.Actors, Option{ID: a.ActorID, Name: a.ActorName})
	}
	if p.ShowTown {
		towns, err := s.store.ListTowns(ctx)
		if err != nil {
			return err
		}
		for _, t := range towns {
			p.Towns = append(p.Towns, Option{ID: t.ID, Name: t.Name})
		}
	}
	return nil
}

// pager: the first, the last and two either side of the current page, with gaps between.
func pager(f Filter, pages int) []PageLink {
	if pages <= 1 {
		return nil
	}
	var out []PageLink
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < f.Page-2 || n > f.Page+2) {
			continue
		}
		if last != 0 && n != last+1 {
			out = append(out, PageLink{Gap: true})
		}
		out = append(out, PageLink{N: n, Query: f.Query(n), Current: n == f.Page})
		last = n
	}
	return out
}

func (s *Service) entries(ctx context.Context, es []models.AuditEntry) ([]Entry, error) {
	ids := map[string][]uint64{}
	towns := map[uint64]bool{}
	for _, e := range es {
		if e.ObjectID != 0 {
			ids[e.ObjectType] = append(ids[e.ObjectType], e.ObjectID)
		}
		if e.TownID != nil {
			towns[*e.TownID] = true
		}
	}
	for id := range towns {
		ids["town"] = append(ids["town"], id)
	}
	names, err := s.store.AuditSubjects(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(es))
	for _, e := range es {
		v := Entry{ID: e.ID, At: e.At, When: clock.FormatChina(e.At), Actor: e.ActorName, Action: e.Action,
			ActionName: ActionName(e.Action), ObjectType: e.ObjectType, ObjectID: e.ObjectID,
			ObjectLabel: objectLabel(e.ObjectType), Reason: e.Reason, Fields: fields(e.Action, e.Detail)}
		if e.TownID != nil {
			v.Town = names["town"][*e.TownID]
		}
		v.Subject, v.SubjectNote, v.Link = subject(e, names[e.ObjectType][e.ObjectID])
		out = append(out, v)
	}
	return out, nil
}

func objectLabel(typ string) string {
	if n, ok := objectNames[typ]; ok {
		return n
	}
	return typ
}

// subject names what an entry is about and where to look at it.
func subject(e models.AuditEntry, name string) (subject, note, link string) {
	id := strconv.FormatUint(e.ObjectID, 10)
	switch {
	case e.ObjectID == 0:
		return objectLabel(e.ObjectType), "", ""
	case name == "":
		return objectLabel(e.ObjectType) + " #" + id, "", ""
	}
	switch e.ObjectType {
	case "application":
		return name, "报名号 " + id, "/admin/applications/" + id
	case "opening":
		return name, "", "/admin/openings/" + id
	case "permit":
		return name, "", "/admin/permits/" + id
	case "sitting":
		return name, "", "/trainer/sittings/" + id
	case "user":
		return name, "账号", ""
	}
	return name, "", ""
}

// fields reads an entry's detail as labelled fields, in a fixed order (labelled keys first).
// A detail that is not a JSON object is shown as it is (the page escapes it).
func fields(action, detail string) []Field {
	detail = strings.TrimSpace(detail)
	if detail == "" || detail == "{}" || detail == "null" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(detail))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return []Field{{Label: "详情", Value: detail}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		_, ki := fieldName(action, keys[i])
		_, kj := fieldName(action, keys[j])
		if ki != kj {
			return ki
		}
		return keys[i] < keys[j]
	})
	out := make([]Field, 0, len(keys))
	for _, k := range keys {
		label, ok := fieldName(action, k)
		if !ok {
			label = k
		}
		out = append(out, Field{Label: label, Value: value(action, k, m[k])})
	}
	return out
}

// value writes one detail value in words.
func value(action, key string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "是"
		}
		return "否"
	case json.Number:
		return x.String()
	case string:
		return word(action, key, x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, value(action, key, e))
		}
		if len(parts) == 0 {
			return "无"
		}
		return strings.Join(parts, "、")
	case map[string]any:
		return fmt.Sprintf("（已记录，共 %d 项设置）", len(x))
	}
	return fmt.Sprint(v)
}

// word translates the codes some keys hold.
func word(action, key, s string) string {
	switch {
	case s == "":
		return "—"
	case key == "status_before" || key == "status_after":
		return recruitment.StatusLabel(s)
	case key == "item":
		return recruitment.ReviewKindLabel(s)
	case (key == "from" || key == "to") && strings.HasPrefix(action, "permit."):
		return permits.StatusLabel(s)
	case key == "role":
		return models.RoleLabel(s)
	case key == "channel" && s == "email":
		return "电子邮件"
	case key == "sha256" && len(s) > 12:
		return s[:12] + "…"
	}
	return s
}
