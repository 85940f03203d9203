// Package handlers is the HTTP face of the portal: Gin routes, middleware (sessions, CSRF,
// rate limits, errors), the server-rendered Chinese pages and the JSON API under /api/v1/.
// Handlers are thin: bind and check the input, make one service call, render.
package handlers

import (
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"auxportal/accounts"
	"auxportal/auditlog"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/recruitment"
	"auxportal/refresher"
)

// Deps is what the HTTP layer needs.
type Deps struct {
	Accounts    *accounts.Service
	Recruitment *recruitment.Service
	Exams       *training.Service
	Permits     *permits.Service
	Jobs        *jobs.Runner
	Notices     *notices.Service
	Refresher   *refresher.Service
	Audit       *auditlog.Service
	Clock       clock.Clock
	Log         *slog.Logger
	// SecureCookies marks the session cookie Secure even on plain HTTP (set it behind a TLS proxy).
	SecureCookies bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed for the client IP.
	TrustedProxies []string
	RateLimits     RateLimits
	// Ping reports whether the database answers, for /healthz.
	Ping func(*http.Request) error
}

// Server holds the routes' dependencies.
type Server struct {
	acc      *accounts.Service
	rec      *recruitment.Service
	exams    *training.Service
	permits  *permits.Service
	jobs     *jobs.Runner
	notes    *notices.Service
	cycle    *refresher.Service
	audit    *auditlog.Service
	clock    clock.Clock
	log      *slog.Logger
	secure   bool
	limits   RateLimits
	limiters map[string]*ipLimiter
	pages    map[string]*template.Template
	ping     func(*http.Request) error
}

const (
	sessionCookie = "auxportal_session"
	deviceCookie  = "auxportal_device"
	actorKey      = "actor"
	maxBody       = 32 << 20 // an application with several photos
)

// New builds the HTTP handler.
func New(d Deps) (http.Handler, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		acc: d.Accounts, rec: d.Recruitment, exams: d.Exams, permits: d.Permits, jobs: d.Jobs, notes: d.Notices, cycle: d.Refresher, audit: d.Audit, clock: d.Clock, log: d.Log, secure: d.SecureCookies,
		limits: d.RateLimits, pages: pages, ping: d.Ping,
		limiters: map[string]*ipLimiter{
			"login":       newIPLimiter(d.RateLimits.Login),
			"register":    newIPLimiter(d.RateLimits.Register),
			"apply":       newIPLimiter(d.RateLimits.Apply),
			"eligibility": newIPLimiter(d.RateLimits.Eligibility),
		},
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.MaxMultipartMemory = 8 << 20
	r.Use(s.recoverer(), s.logRequests(), securityHeaders(), noStoreAPI(), s.csrf(), s.validText(), s.loadSession())
	r.NoRoute(func(c *gin.Context) { s.fail(c, models.NotFound("页面")) })
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) {
		s.fail(c, models.E(models.ErrInvalid, "method_not_allowed", "不支持的请求方式"))
	})
	s.routes(r)
	return r, nil
}

// recoverer turns a panic into a logged 500.
func (s *Server) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				if err, ok := v.(error); ok {
					v = models.LogErr(err)
				}
				s.log.ErrorContext(c.Request.Context(), "panic", "value", v, "path", c.Request.URL.Path)
				c.Abort()
				s.fail(c, errPanic)
			}
		}()
		c.Next()
	}
}

type panicError struct{}

func (panicError) Error() string { return "handler panicked" }

var errPanic error = panicError{}

func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		if status >= 500 {
			s.log.WarnContext(c.Request.Context(), "request", "method", c.Request.Method, "path", c.FullPath(),
				"status", status, "ms", time.Since(start).Milliseconds())
		}
	}
}

// securityHeaders sets the headers every response carries. Pages load only their own scripts
// and styles; nothing may frame them.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		c.Next()
	}
}

// noStoreAPI marks every /api/ answer Cache-Control: no-store unless its handler says otherwise:
// API answers carry personal data (the reviewer's view has the whole ID number and the phone) or
// depend on who asks, and no browser cache or proxy on a shared office computer may keep them.
// Opting out is the exception a handler must make on purpose, not a header each must remember.
func noStoreAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		if isAPI(c) {
			c.Header("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// csrf refuses cross-origin state-changing requests (net/http CrossOriginProtection: the
// browser's Sec-Fetch-Site and Origin headers), so forms need no tokens.
func (s *Server) csrf() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		if err := cop.Check(c.Request); err != nil {
			s.fail(c, models.E(models.ErrForbidden, "cross_origin", "跨站请求已被拒绝，请从本站页面提交"))
			return
		}
		c.Next()
	}
}

// stateless are the routes that never look at who is asking: they skip the session lookup,
// which is most of the cost of the eligibility check the application form calls as it is typed.
var stateless = map[string]bool{
	"/api/v1/openings/:id/eligibility": true,
	"/api/v1/healthz":                  true,
	"/healthz":                         true,
	"/static/*filepath":                true,
}

// loadSession puts the signed-in Actor (or the anonymous one) in the context. A stale cookie
// is cleared, not an error: the page simply shows the visitor signed out.
func (s *Server) loadSession() gin.HandlerFunc {
	return func(c *gin.Context) {
		var actor models.Actor
		if stateless[c.FullPath()] {
			c.Set(actorKey, actor)
			c.Next()
			return
		}
		if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" {
			a, err := s.acc.Authenticate(c.Request.Context(), tok)
			switch {
			case err == nil:
				actor = a
			case statusOf(err) == http.StatusUnauthorized:
				s.clearSession(c)
			default:
				s.fail(c, err)
				return
			}
		}
		c.Set(actorKey, actor)
		c.Next()
	}
}

func actorOf(c *gin.Context) models.Actor {
	a, _ := c.Get(actorKey)
	actor, _ := a.(models.Actor)
	return actor
}

// limit applies the per-IP budget of one endpoint group.
func (s *Server) limit(group string) gin.HandlerFunc {
	l := s.limiters[group]
	return func(c *gin.Context) {
		if !s.limits.Disabled && !l.allow(c.ClientIP(), time.Now()) {
			c.Header("Retry-After", "60")
			s.fail(c, models.E(models.ErrRateLimited, "rate_limited", "请求过于频繁，请稍后再试"))
			return
		}
		c.Next()
	}
}

func (s *Server) isSecure(c *gin.Context) bool {
	return s.secure || c.Request.TLS != nil
}

// setSession sets the session cookie to live exactly as long as the session: a cookie outliving
// its session (it was always 7 days, while staff sessions end after 12 hours) keeps a dead token
// on a shared computer and tells the browser the sign-in still holds.
func (s *Server) setSession(c *gin.Context, in accounts.SignIn) {
	maxAge := int(math.Ceil(in.ExpiresAt.Sub(s.clock.Now()).Seconds()))
	if maxAge <= 0 {
		maxAge = -1 // already over (a clock step): delete, never a session cookie of no end
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: in.Token, Path: "/", HttpOnly: true, Secure: s.isSecure(c),
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge,
	})
	if in.Device != "" {
		// The browser is one its owner signs in with: the login throttle counts its attempts
		// apart from everyone else's (accounts.ClientInfo.Device).
		http.SetCookie(c.Writer, &http.Cookie{
			Name: deviceCookie, Value: in.Device, Path: "/", HttpOnly: true, Secure: s.isSecure(c),
			SameSite: http.SameSiteLaxMode, MaxAge: int(accounts.DeviceTTL / time.Second),
		})
	}
}

// clientInfo describes the client of a login for the accounts service.
func (s *Server) clientInfo(c *gin.Context) accounts.ClientInfo {
	dev, _ := c.Cookie(deviceCookie)
	return accounts.ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent(), Device: dev}
}

func (s *Server) clearSession(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.isSecure(c),
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// idParam reads a numeric path parameter; anything else is a 404, since no such object exists.
// So is an id above math.MaxInt64: no row has one, and the database driver cannot even bind it
// (it answered 500 and logged an error for a URL anyone can type).
func idParam(c *gin.Context, name string) (uint64, error) {
	id, err := strconv.ParseUint(c.Param(name), 10, 64)
	if err != nil || !models.ValidID(id) {
		return 0, models.NotFound("对象")
	}
	return id, nil
}

// optionalID reads an optional numeric id from a query value: "" is 0 (no filter), anything else
// must be a valid id or the request is refused on that field.
func optionalID(v, field, what string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || !models.ValidID(id) {
		e := models.Invalid("invalid_"+field, "%s参数无效，请从列表中选择", what)
		e.Fields = map[string]string{field: e.Message}
		return 0, e
	}
	return id, nil
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext returns a local path to go to after login, never another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || len(next) > 512 ||
		next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return ""
	}
	return next
}
