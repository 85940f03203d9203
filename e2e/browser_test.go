package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// findChrome returns the browser to drive: $AUXPORTAL_CHROME, else Debian's
// chromium-headless-shell or a Chromium in PATH or the usual places. Without one the test
// skips, except under CI (CI non-empty), where a silent skip would hide a broken setup.
func findChrome(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("AUXPORTAL_CHROME"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("AUXPORTAL_CHROME=%s: %v", p, err)
		}
		return p
	}
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser", "headless-shell", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	for _, p := range []string{
		"/usr/bin/chromium-headless-shell",
		"/usr/lib/chromium/chromium-headless-shell",
		"/usr/bin/chromium",
		"/usr/lib/chromium/chromium",
		"/headless-shell/headless-shell",
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "no Chromium found: install Debian's chromium-headless-shell (apt-get install chromium-headless-shell) or set AUXPORTAL_CHROME"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium with one tab, for one test.
type browser struct {
	t     *testing.T
	ctx   context.Context // the tab's context; actions derive their deadlines from it
	base  string          // the portal's URL
	shots string          // directory for screenshots
	n     int             // screenshot counter

	mu      sync.Mutex
	dialogs []string // messages of the JavaScript dialogs accepted so far
	console []string // uncaught exceptions and console errors
}

// newBrowser starts Chromium with a fresh profile and opens a tab. Every JavaScript dialog
// (window.confirm of forms with data-confirm) is accepted and recorded.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	execPath := findChrome(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "zh-CN"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Start the browser with a context that has no deadline (a deadline on the first run
	// would bound the browser's life), but give up if it hangs.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start %s: %v", execPath, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("start %s: no answer within 30s", execPath)
	}

	b := &browser{t: t, ctx: ctx, base: base, shots: os.Getenv("AUXPORTAL_E2E_SHOTS")}
	if b.shots == "" {
		b.shots = t.TempDir()
	} else if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			// Failed requests are the steps' business (they check every status); what is
			// left is script errors and refusals such as Content-Security-Policy violations.
			if m.IsException() || (m.Type == chromedp.ConsoleError && !strings.HasPrefix(m.Text, "Failed to load resource")) {
				b.mu.Lock()
				b.console = append(b.console, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// stepTimeout bounds every single step; the whole journey takes a few seconds.
const stepTimeout = 20 * time.Second

// fail reports a failed step with a screenshot and the page's text, and stops the test.
func (b *browser) fail(step string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		name := filepath.Join(b.shots, "FAILED-"+safeName(step)+".png")
		if os.WriteFile(name, png, 0o644) == nil {
			b.t.Logf("screenshot of the failure: %s", name)
		}
	}
	b.t.Fatalf("%s: %v\nat %s\npage text:\n%s", step, err, loc, text)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-") }

// do runs actions as one named step.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(step, err)
	}
}

// eval evaluates a JavaScript expression and returns its value.
func eval[T any](b *browser, step, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail(step, err)
	}
	return v
}

// navigate runs actions that load a new page (a link or a submit button), waits for the page,
// and checks that it answered 200 at a path matching wantPath (a regexp anchored at both ends).
// It returns the final path.
func (b *browser) navigate(step, wantPath string, actions ...chromedp.Action[chromedp.Void]) string {
	b.t.Helper()
	return b.navigateStatus(step, http.StatusOK, wantPath, actions...)
}

// navigateStatus is navigate for a page that answers with another status (a form shown
// again with its errors).
func (b *browser) navigateStatus(step string, status int64, wantPath string, actions ...chromedp.Action[chromedp.Void]) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fail(step, err)
	}
	if resp.Status != status {
		b.fail(step, fmt.Errorf("%s answered %d %s", resp.URL, resp.Status, resp.StatusText))
	}
	path := eval[string](b, step, `location.pathname + location.search`)
	if !regexp.MustCompile(`^` + wantPath + `$`).MatchString(path) {
		b.fail(step, fmt.Errorf("landed on %s, want %s", path, wantPath))
	}
	return path
}

// open loads a page of the portal by path.
func (b *browser) open(step, path, wantPath string) string {
	b.t.Helper()
	return b.navigate(step, wantPath, chromedp.Navigate(b.base+path))
}

// click clicks the first element matching a CSS selector.
func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

// typeInto clears a field and types v into it key by key, as a user would.
func typeInto(sel, v string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		// chromedp.SetValue(sel, "") answers "could not set value": clear it by script.
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const e = document.querySelector(%s);
			e.value = "";
			e.dispatchEvent(new Event("input", {bubbles: true}));
		})()`, js(sel))),
		chromedp.SendKeys(chromedp.CSS(sel), v),
	)
}

// choose selects an option of a <select> and fires the change event the page listens to.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitReady(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const s = document.querySelector(%s);
			s.focus();
			s.value = %s;
			if (s.value !== %[2]s) { throw new Error("no option " + %[2]s); }
			s.dispatchEvent(new Event("input", {bubbles: true}));
			s.dispatchEvent(new Event("change", {bubbles: true}));
		})()`, js(sel), js(value))),
	)
}

// waitText waits until the element matching sel exists and its text contains every want.
func waitText(sel string, want ...string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		return !!e && %s.every(w => e.textContent.includes(w));
	})()`, js(sel), js(want)), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
}

// waitAnyText waits until some element matching sel has text containing every want.
func waitAnyText(sel string, want ...string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`[...document.querySelectorAll(%s)].some(e => %s.every(w => e.textContent.includes(w)))`,
		js(sel), js(want)), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
}

// js quotes a Go value as a JavaScript literal.
func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// text is the visible text of the first element matching sel.
func (b *browser) text(step, sel string) string {
	b.t.Helper()
	return eval[string](b, step, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) { throw new Error("no element " + %[1]s); } return e.innerText; })()`, js(sel)))
}

// shot saves a full-page PNG screenshot named after the step.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fail("screenshot "+name, err)
	}
	b.n++
	file := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, safeName(name)))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// phone emulates a phone-sized screen (390×844 CSS pixels, touch, mobile meta viewport).
func (b *browser) phone() {
	b.do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// desktop emulates a desktop screen.
func (b *browser) desktop() {
	b.do("desktop viewport", chromedp.EmulateViewport(1280, 900))
}

// cookies are the browser's cookies for the portal, for a Go HTTP client.
func (b *browser) cookies() []*http.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + "/"}})
	if err != nil {
		b.fail("read cookies", err)
	}
	var out []*http.Cookie
	for _, c := range res.Cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// acceptedDialogs are the messages of the dialogs accepted so far.
func (b *browser) acceptedDialogs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.dialogs...)
}

// consoleErrors are the page errors seen so far.
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// checkPage runs the checks every page must pass: lang="zh-CN", a label for every visible
// form control (a <label for> or an enclosing <label>), and, on a phone, no sideways scrolling.
func (b *browser) checkPage(step string) {
	b.t.Helper()
	if lang := eval[string](b, step, `document.documentElement.lang`); lang != "zh-CN" {
		b.t.Errorf("%s: <html lang=%q>, want zh-CN", step, lang)
	}
	unlabelled := eval[[]string](b, step, `(() => {
		const bad = [];
		for (const el of document.querySelectorAll("input, select, textarea")) {
			if (el.type === "hidden") { continue; }
			const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
			if (!byFor && !el.closest("label")) { bad.push(el.name || el.id || el.outerHTML); }
		}
		return bad;
	})()`)
	if len(unlabelled) > 0 {
		b.t.Errorf("%s: form controls without a label: %v", step, unlabelled)
	}
	overflow := eval[int](b, step, `(() => {
		if (!matchMedia("(max-width: 600px)").matches) { return 0; }
		return document.documentElement.scrollWidth - document.documentElement.clientWidth;
	})()`)
	if overflow > 0 {
		culprit := eval[string](b, step, `(() => {
			const w = document.documentElement.clientWidth;
			let worst = null, right = w;
			for (const el of document.querySelectorAll("body *")) {
				if (el.parentElement && el.parentElement.closest(".scroll")) { continue; } // clipped: scrolls inside
				const r = el.getBoundingClientRect();
				if (r.right > right + 0.5) { right = r.right; worst = el; }
			}
			return worst ? worst.outerHTML.slice(0, 160) : "";
		})()`)
		b.t.Errorf("%s: the page is %dpx wider than the phone's screen (sideways scrolling); widest: %s", step, overflow, culprit)
	}
	// Nor may a table scroll sideways inside its box: on a phone a table is a card per row.
	inner := eval[[]string](b, step, `(() => {
		if (!matchMedia("(max-width: 600px)").matches) { return []; }
		const bad = [];
		for (const el of document.querySelectorAll(".scroll, table")) {
			if (el.scrollWidth > el.clientWidth + 1 && el.getClientRects().length) { bad.push(el.outerHTML.slice(0, 120)); }
		}
		return bad;
	})()`)
	if len(inner) > 0 {
		b.t.Errorf("%s: scrolls sideways inside (no card layout on the phone): %q", step, inner)
	}
}

// waitImage waits until the image matching sel has loaded a picture.
func waitImage(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		return !!e && e.complete && e.naturalWidth > 0;
	})()`, js(sel)), chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))
}

// logout presses the 退出 button in the header.
func (b *browser) logout(step string) {
	b.t.Helper()
	b.navigate(step, `/`, click(`form[action="/logout"] button`))
	b.do(step, waitText("header nav", "登录", "注册"))
}
