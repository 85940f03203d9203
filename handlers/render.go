package handlers

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"auxportal/auditlog"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

//go:embed templates/*.html
var templateFS embed.FS

// page is what every template gets.
type page struct {
	Title  string
	Actor  models.Actor
	Data   any
	Form   any               // the submitted values, to refill a form after an error
	Errors map[string]string // per-field messages
	Error  string            // the message above the form
	Flash  string            // a success message
	Path   string
	Script string // a page's own script, beside site.js (e.g. /static/exam.js)
	// Refresh reloads the page every so many seconds (a job's progress), with no script needed.
	Refresh int
	Unread  int64 // the signed-in user's unread notices, for the badge in the header
}

var funcs = template.FuncMap{
	"roleLabel": models.RoleLabel,
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return clock.FormatChina(v)
		case *time.Time:
			if v == nil {
				return ""
			}
			return clock.FormatChina(*v)
		}
		return ""
	},
	// clockTime is a time's hour and minute in China (15:04).
	"clockTime": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return clock.InChina(v).Format("15:04")
		case *time.Time:
			if v != nil {
				return clock.InChina(*v).Format("15:04")
			}
		}
		return ""
	},
	"educations": screening.Educations,
	"eduLabel":   func(e string) string { return screening.Education(e).Label() },
	"fileKinds":  recruitment.FileKinds,
	"fileLabel":  recruitment.FileLabel,
	// checkLabel names one rule's result; a relaxation reads as settled once the application as
	// a whole is eligible (the reviewer approved it).
	"checkLabel": func(o screening.CheckOutcome, overall screening.Outcome) string {
		switch o {
		case screening.CheckPass:
			return "符合"
		case screening.CheckFail:
			return "不符合"
		case screening.CheckRelaxed:
			if overall == screening.Eligible {
				return "放宽（复核已同意）"
			}
			return "放宽，待复核"
		}
		return string(o)
	},
	"outcomeLabel": func(o screening.Outcome) string {
		switch o {
		case screening.Eligible:
			return "符合报名条件"
		case screening.Ineligible:
			return "不符合报名条件"
		case screening.PendingReview:
			return "需人工复核"
		}
		return string(o)
	},
	"prefLabel": func(p screening.Preference) string { return p.Label() },
	// ruleName is a check's plain name; applicants never read the rule ids (staff see them beside).
	"ruleName": func(c screening.Check) string {
		if c.Name != "" {
			return c.Name
		}
		return screening.RuleName(c.Rule, c.Subject)
	},
	// resultOf hands the "result" partial an application and whether the reader is staff.
	"resultOf": func(app *recruitment.ApplicationView, staff bool) resultPartial {
		return resultPartial{App: app, Staff: staff}
	},
	"join": strings.Join,
	"deref": func(p *uint64) uint64 {
		if p == nil {
			return 0
		}
		return *p
	},
	// isYes reads a 是/否 answer (nil, unanswered, reads as 否 where it is shown).
	"isYes": func(b *bool) bool { return b != nil && *b },
	// keepDates escapes s and keeps each date in it on one line (2009年1月1日 never breaks
	// after 2009年1月1).
	"keepDates": keepDates,
	"fieldErr":  func(errs map[string]string, name string) string { return errs[name] },
	// orderedErrors lists a form's errors in the form's order, for the summary above it.
	"orderedErrors": orderedErrors,
	// hiddenFields carries an application form's values through the confirmation step.
	"hiddenFields": hiddenFields,
	"add":          func(a, b int) int { return a + b },
	"fadd": func(a float64, more ...float64) float64 {
		for _, b := range more {
			a += b
		}
		return a
	},
	"fsub":       func(a, b float64) float64 { return a - b },
	"pager":      newPager,
	"int64":      func(n int) int64 { return int64(n) },
	"sub":        func(a, b int) int { return a - b },
	"actionName": auditlog.ActionName,
	"stepLabel":  recruitment.StepLabel,
	"stepResult": recruitment.StepResultLabel,
	"dec":        func(i int) int { return i - 1 },
	// permitStatus names a permit status (有效, 已暂停…).
	"permitStatus": permits.StatusLabel,
	// bar is one 是/否 question of rule A2-6 for the "bar" template: unanswered shows neither.
	"bar": func(name, label string, v *bool, errs map[string]string) yesNoQuestion {
		return yesNoQuestion{Name: name, Label: label, Yes: v != nil && *v, No: v != nil && !*v, Err: errs[name]}
	},
	"yes": func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	},
}

var dateRun = regexp.MustCompile(`[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2}`)

// keepDates is s as HTML with its dates wrapped in nowrap spans; everything else is escaped.
func keepDates(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range dateRun.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span class="nowrap">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}

// resultPartial is what the "result" partial renders: the rule ids only for staff.
type resultPartial struct {
	App   *recruitment.ApplicationView
	Staff bool
}

// yesNoQuestion is a 是/否 radio pair of a form.
type yesNoQuestion struct {
	Name, Label string
	Yes, No     bool
	Err         string
}

// parsePages parses each page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	// Every _*.html file holds partials that any page may use.
	partialNames, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	var partials []byte
	for _, n := range partialNames {
		b, err := fs.ReadFile(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		partials = append(partials, b...)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		body, err := fs.ReadFile(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		t, err := template.New("layout").Funcs(funcs).Funcs(profileFuncs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("template layout: %w", err)
		}
		if _, err := t.Parse(string(partials)); err != nil {
			return nil, fmt.Errorf("template partials: %w", err)
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes a page. Rendering into a buffer first means a template error becomes a clean
// 500, never half a page.
func (s *Server) render(c *gin.Context, status int, name string, p page) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		c.String(http.StatusInternalServerError, "系统错误")
		return
	}
	p.Actor = actorOf(c)
	p.Path = c.Request.URL.Path
	p.Unread = s.unread(c, p.Actor)
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		c.String(http.StatusInternalServerError, "系统错误")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", []byte(b.String()))
}

// unread counts the actor's unread notices for the header's badge. The page still renders when
// the count fails (the badge is left out); the failure is logged.
func (s *Server) unread(c *gin.Context, a models.Actor) int64 {
	if s.notes == nil || a.Anonymous() {
		return 0
	}
	n, err := s.notes.UnreadCount(c.Request.Context(), a)
	if err != nil {
		s.log.WarnContext(c.Request.Context(), "count unread notices", "err", models.LogErr(err))
		return 0
	}
	return n
}
