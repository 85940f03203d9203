package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// demoPassword is the password of every demo login (README).
const demoPassword = "Haimen-demo-2026"

// pageVisit is one page of the portal as one user sees it.
type pageVisit struct {
	user string // demo login, "" for a visitor
	name string
	path string // {sitting}, {blueprint}, {question}, {version}, {key} and {ticket} name the exam seedExam made
}

// TestPagesOnPhoneAndDesktop opens every page of the demo as the user who would see it, at a
// phone's 390 px and an office PC's 1366 px, checks what every page must pass (lang, labels,
// no sideways scrolling on the phone, no script or CSP errors) and saves a screenshot of each.
// Set AUXPORTAL_E2E_SHOTS to a directory to keep them.
func TestPagesOnPhoneAndDesktop(t *testing.T) {
	p := startPortal(t)
	visits := []pageVisit{
		{"", "home", "/"},
		{"", "home-one-town", "/?town=7"},
		{"", "opening", "/openings/1"},
		{"", "login", "/login"},
		{"", "register", "/register"},
		{"13800000011", "my-applications", "/me"},
		{"13800000011", "my-application", "/me/applications/1"},
		{"13800000011", "my-notices", "/me/notices"},
		{"13800000011", "settings", "/me/settings"},
		{"13800000001", "apply-form", "/openings/1/apply"},
		{"sanxing", "dashboard", "/admin"},
		{"sanxing", "admin-openings", "/admin/openings"},
		{"sanxing", "admin-opening", "/admin/openings/2"},
		{"sanxing", "new-opening", "/admin/openings/new"},
		{"sanxing", "ranking", "/admin/openings/2/ranking"},
		{"sanxing", "review-queue", "/admin/review"},
		{"sanxing", "admin-application", "/admin/applications/3"},
		{"sanxing", "audit", "/admin/audit"},
		{"district", "users", "/admin/users"},
		{"district", "base-conditions", "/admin/base-conditions"},
		{"district", "admin-notices", "/admin/notices"},
		{"trainer", "trainer", "/trainer"},
		{"trainer", "bank", "/trainer/bank"},
		{"trainer", "question-single", "/trainer/bank/new"},
		{"trainer", "question-fill", "/trainer/bank/new?type=fill"},
		{"trainer", "question-edit", "/trainer/bank/{question}"},
		{"trainer", "bank-import", "/trainer/bank/import"},
		{"trainer", "blueprints", "/trainer/blueprints"},
		{"trainer", "blueprint-new", "/trainer/blueprints/new"},
		{"trainer", "blueprint", "/trainer/blueprints/{blueprint}"},
		{"trainer", "sittings", "/trainer/sittings"},
		{"trainer", "sitting-new", "/trainer/sittings/new"},
		{"trainer", "sitting", "/trainer/sittings/{sitting}"},
		{"trainer", "key-fixes", "/trainer/sittings/{sitting}/key-fix"},
		{"trainer", "key-fix", "/trainer/sittings/{sitting}/key-fix?version={key}"},
		{"trainer", "grading", "/trainer/sittings/{sitting}/grading"},
		{"trainer", "mark", "/trainer/sittings/{sitting}/grading/{version}"},
		{"trainer", "stats", "/trainer/sittings/{sitting}/stats"},
		{"trainer", "ticket", "/trainer/tickets/{ticket}"},
		{"sanxing", "sitting-town-admin", "/trainer/sittings/{sitting}"},
		{"13800000021", "my-exams", "/me/exams"},
		{"13800000021", "exam-before-start", "/exams/1"},
		{"district", "permits", "/admin/permits"},
		{"district", "permit", "/admin/permits/{permit}"},
		{"district", "print-job", "/jobs/{job}"},
		{"district", "refresher", "/admin/refresher"},
		{"13800000031", "my-permits", "/me/permits"},
		{"", "verify", "{verify}"},
		{"", "verify-key", "/verify/key"},
		{"", "publicity", "/openings/6/publicity"},
		{"district", "after-ranking", "/admin/openings/6/after-ranking"},
		{"district", "calendar", "/admin/calendar"},
		{"13800000041", "my-application-in-publicity", "/me/applications/10"},
	}
	b := newBrowser(t, p.URL)
	who := ""
	var ex examSetup
	var pm permitSetup
	for _, v := range visits {
		if strings.HasPrefix(v.path, "/trainer") && ex.Sitting == 0 {
			ex = seedExam(t, p.URL) // the trainers' pages show an exam
		}
		if v.name == "permits" {
			pm = seedPermits(t, p.URL)
		}
		v.path = strings.NewReplacer("{sitting}", fmt.Sprint(ex.Sitting), "{blueprint}", fmt.Sprint(ex.Blueprint),
			"{question}", fmt.Sprint(ex.Question), "{version}", fmt.Sprint(ex.Version), "{key}", fmt.Sprint(ex.KeyVersion),
			"{ticket}", ex.Ticket, "{permit}", fmt.Sprint(pm.Permit), "{job}", fmt.Sprint(pm.Job), "{verify}", pm.Verify).Replace(v.path)
		if v.user != who {
			if who != "" {
				b.logout("log out " + who)
			}
			if v.user != "" {
				b.desktop()
				b.open("login page", "/login", `/login`)
				b.do("log in as "+v.user, typeInto("#username", v.user), typeInto("#password", demoPassword))
				b.navigate("log in as "+v.user, `/.*`, click(`main form button[type=submit]`))
			}
			who = v.user
		}
		for _, size := range []struct {
			label string
			set   func()
		}{{"390", b.phone}, {"1366", func() { b.do("1366 wide", chromedp.EmulateViewport(1366, 900)) }}} {
			size.set()
			b.open(v.name, v.path, regexpQuote(v.path))
			b.checkPage(fmt.Sprintf("%s at %s px", v.name, size.label))
			b.shot(v.name + "-" + size.label)
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("script or policy errors: %s", strings.Join(errs, "\n"))
	}
}

// regexpQuote quotes a path for navigate's anchored regexp.
func regexpQuote(path string) string {
	r := strings.NewReplacer(".", `\.`, "?", `\?`, "+", `\+`, "(", `\(`, ")", `\)`)
	return r.Replace(path)
}
