// Package accounts registers applicants, creates staff accounts, signs people in and out, and
// turns a session cookie back into an Actor. Sessions live in the database so every replica
// sees them and they can be revoked.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/notices"
)

// Login throttling (see throttle.go) and session lifetimes.
const (
	// LoginWindow is how long a throttle window lasts from its first attempt.
	LoginWindow = 15 * time.Minute
	// MaxFailuresPerSource is how many failed logins one client address may make against one
	// account name in a window; then that address waits out the window for that name.
	MaxFailuresPerSource = 5
	// MaxFailuresPerAccount is how many failed logins one account name may take from all
	// addresses together in a window. It is the price against guessing from many addresses: an
	// attacker with ten addresses can keep an account's owner out for the rest of a window.
	MaxFailuresPerAccount = 50

	ApplicantTTL = 7 * 24 * time.Hour
	StaffTTL     = 12 * time.Hour
	touchEvery   = 5 * time.Minute
)

// Service is the accounts service.
type Service struct {
	store *models.Store
	clock clock.Clock
	dummy string // a hash to check against when the user does not exist, so timing tells nothing
	argon argonParams
	// slots bounds how many argon2id computations run at once (one per CPU): each takes 19 MiB,
	// and a hundred at once in a registration storm took 3.6 GB for no gain in throughput.
	slots chan struct{}
	// onCheck, if set, is called once per password comparison (tests count them).
	onCheck func()
	// demoPassword is allowed despite the policy: the demo's logins are public by design.
	demoPassword string
	// codeKey keys the hashes of verification codes and their targets (codes.go).
	codeKey []byte
	// notes sends verification codes and account alerts (nil: codes cannot be sent).
	notes *notices.Service
	// noSourceLimit: no per-address limit on codes (load tests, -rate-limit=false).
	noSourceLimit bool
}

// Option configures the service.
type Option func(*Service)

// WithDemoPassword lets the demo's published password (README) be set on accounts, which the
// policy refuses otherwise: only a portal started with -demo uses it.
func WithDemoPassword(pw string) Option { return func(s *Service) { s.demoPassword = pw } }

// checkNewPassword records in fe why pw may not be set as a new password (the policy of
// policy.go), unless it is the demo's own password on a demo portal.
func (s *Service) checkNewPassword(fe models.FieldErrors, field, pw string, min int, personal ...string) {
	if s.demoPassword != "" && pw == s.demoPassword {
		return
	}
	checkNewPassword(fe, field, pw, min, personal...)
}

// WithCheapHashing makes password hashing nearly free. Tests that create many accounts use it;
// production never does (the stored hash records its parameters, so CheckPassword works either way).
func WithCheapHashing() Option {
	return func(s *Service) { s.argon = argonParams{memory: 64, time: 1, threads: 1} }
}

// WithCheckObserver has fn called each time a password is compared with a stored hash, before
// the comparison. Tests use it to count how many login attempts were actually judged.
func WithCheckObserver(fn func()) Option {
	return func(s *Service) { s.onCheck = fn }
}

// New returns the service.
func New(store *models.Store, c clock.Clock, opts ...Option) (*Service, error) {
	s := &Service{store: store, clock: c, argon: defaultArgon, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
	for _, o := range opts {
		o(s)
	}
	if s.codeKey == nil {
		s.codeKey = make([]byte, 32)
		if _, err := rand.Read(s.codeKey); err != nil {
			return nil, fmt.Errorf("code key: %w", err)
		}
	}
	dummy, err := hashPassword("not a real password", s.argon)
	if err != nil {
		return nil, err
	}
	s.dummy = dummy
	return s, nil
}

var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func validateName(fe models.FieldErrors, field, name string) {
	if n := utf8.RuneCountInString(name); n < 2 || n > 32 {
		fe.Add(field, "请填写 2 至 32 个字的姓名")
	}
}

// hash hashes a password once a slot is free.
func (s *Service) hash(ctx context.Context, pw string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.slots }()
	return hashPassword(pw, s.argon)
}

// check compares a password with a hash once a slot is free.
func (s *Service) check(ctx context.Context, encoded, pw string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.slots }()
	if s.onCheck != nil {
		s.onCheck()
	}
	return CheckPassword(encoded, pw), nil
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a hashing slot: %w", ctx.Err())
	}
}

// ClientInfo describes where a login comes from, for the session record.
type ClientInfo struct {
	IP        string
	UserAgent string
	// Device is the browser's device cookie, if it has one: the token a successful login to
	// this account issued (SignIn.Device). It takes the attempt out of the account's overall
	// limit (see throttle.go).
	Device string
}

// errBadLogin is the one answer to every failed login: a wrong password, an unknown account and a
// disabled account cannot be told apart (the same code, status and message, after the same
// hashing), so the answer reveals neither which usernames exist nor, for a disabled account,
// whether the password was right.
var errBadLogin = models.E(models.ErrUnauthenticated, "bad_credentials", "账号或密码错误；如账号已停用，请联系区城管局")

// SignIn is a session Login opened: the token for the cookie, who signed in, and when the session
// ends, which is when the cookie must end too (12 hours for staff, 7 days for applicants).
type SignIn struct {
	Token     string
	Actor     models.Actor
	ExpiresAt time.Time
	// Device is a new device token for the browser to keep (DeviceTTL), when it brought none
	// valid for this account; "" when its own still is.
	Device string
}

// DeviceTTL is how long a device cookie marks a browser as one the owner uses.
const DeviceTTL = 365 * 24 * time.Hour

// maxDevices is how many remembered browsers an account keeps.
const maxDevices = 20

// Login checks a username and password and opens a session.
//
// Before any hashing it takes a slot in the login throttle (throttle.go) for the account name
// from this address and for the account name overall; a full throttle is answered at once. The
// same happens for names that do not exist, so the throttle tells nothing about them either.
func (s *Service) Login(ctx context.Context, username, password string, ci ClientInfo) (SignIn, error) {
	now := s.clock.Now()
	username = strings.TrimSpace(username)
	if username == "" || password == "" || len(password) > 1024 {
		return SignIn{}, errBadLogin
	}
	keys := throttleKeysOf(username, ci.IP)
	trusted := ""
	if d := ci.Device; d != "" && len(d) <= 128 {
		h := hashToken(d)
		ok, err := s.store.DeviceOwner(ctx, h, username)
		if err != nil {
			return SignIn{}, err
		}
		if ok {
			// A browser the owner has signed in with: counted per device, not under the
			// account's overall limit, so guessing from elsewhere cannot lock the owner out.
			trusted, keys = h, throttleKeys{source: throttleKey("device", h)}
		}
	}
	if err := s.reserveLogin(ctx, keys, now); err != nil {
		return SignIn{}, err
	}
	u, err := s.store.UserByUsername(ctx, username)
	hash := s.dummy // an unknown name costs the same hash as a known one
	switch {
	case errors.Is(err, models.ErrNotFound):
		u = nil
	case err != nil:
		return SignIn{}, err
	default:
		hash = u.PasswordHash
	}
	match, err := s.check(ctx, hash, password)
	if err != nil {
		return SignIn{}, err
	}
	if u == nil || !match || u.Disabled {
		// The slots stay taken: this attempt counts as a failure.
		return SignIn{}, errBadLogin
	}
	var release []string
	if keys.account != "" {
		release = []string{keys.account}
	}
	if err := s.store.ClearLoginAttempt(ctx, []string{keys.source}, release); err != nil {
		return SignIn{}, err
	}
	device := ""
	if trusted == "" {
		if device, err = newToken(); err != nil {
			return SignIn{}, err
		}
		trusted = hashToken(device)
	}
	if err := s.store.RememberDevice(ctx, trusted, u.ID, now, maxDevices); err != nil {
		return SignIn{}, err
	}
	token, err := newToken()
	if err != nil {
		return SignIn{}, err
	}
	ttl := StaffTTL
	if u.Role == models.RoleApplicant {
		ttl = ApplicantTTL
	}
	sess := &models.Session{
		TokenHash: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl), LastSeen: now,
		IP: truncate(ci.IP, 64), UserAgent: truncate(ci.UserAgent, 255),
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return SignIn{}, err
	}
	return SignIn{Token: token, Actor: actorOf(u), ExpiresAt: sess.ExpiresAt, Device: device}, nil
}

// Authenticate turns a session token into the Actor; an unknown, expired or revoked session,
// or a disabled account, is ErrUnauthenticated.
func (s *Service) Authenticate(ctx context.Context, token string) (models.Actor, error) {
	if token == "" || len(token) > 128 {
		return models.Actor{}, models.E(models.ErrUnauthenticated, "no_session", "请先登录")
	}
	now := s.clock.Now()
	h := hashToken(token)
	u, lastSeen, err := s.store.SessionUser(ctx, h, now)
	if errors.Is(err, models.ErrNotFound) {
		return models.Actor{}, models.E(models.ErrUnauthenticated, "session_expired", "登录已过期，请重新登录")
	}
	if err != nil {
		return models.Actor{}, err
	}
	if u.Disabled {
		return models.Actor{}, models.E(models.ErrUnauthenticated, "account_disabled", "该账号已停用")
	}
	if now.Sub(lastSeen) > touchEvery {
		if err := s.store.TouchSession(ctx, h, now); err != nil {
			return models.Actor{}, err
		}
	}
	return actorOf(u), nil
}

// Logout revokes the session behind token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashToken(token))
}

// StaffInput describes a staff account a district admin creates.
type StaffInput struct {
	Username string  `json:"username"`
	Password string  `json:"password"`
	Name     string  `json:"name"`
	Role     string  `json:"role"`
	TownID   *uint64 `json:"town_id"`
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,32}$`)

// CreateStaff creates a town admin, trainer or district admin. Only district admins may.
func (s *Service) CreateStaff(ctx context.Context, actor models.Actor, in StaffInput) (*models.User, error) {
	if !actor.IsDistrictAdmin() {
		return nil, models.Deny(actor, "只有区城管局管理员可以创建工作人员账号")
	}
	in.Username = strings.TrimSpace(in.Username)
	in.Name = strings.TrimSpace(in.Name)
	fe := models.FieldErrors{}
	if !usernameRE.MatchString(in.Username) {
		fe.Add("username", "账号须为 3 至 32 位字母、数字或 _ . -")
	}
	s.checkNewPassword(fe, "password", in.Password, MinPasswordStaff, in.Username, in.Name)
	validateName(fe, "name", in.Name)
	switch in.Role {
	case models.RoleTownAdmin:
		if in.TownID == nil {
			fe.Add("town_id", "区镇管理员须指定所属区镇")
		} else if !models.ValidID(*in.TownID) {
			fe.Add("town_id", "所选区镇不存在")
		} else if _, err := s.store.TownByID(ctx, *in.TownID); errors.Is(err, models.ErrNotFound) {
			fe.Add("town_id", "所选区镇不存在")
		} else if err != nil {
			return nil, err
		}
	case models.RoleTrainer, models.RoleDistrictAdmin:
		in.TownID = nil
	default:
		fe.Add("role", "请选择角色：区镇管理员、培训员或区级管理员")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u := &models.User{Username: in.Username, PasswordHash: hash, Role: in.Role, TownID: in.TownID, DisplayName: in.Name}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, models.ErrConflict) {
				e := models.Conflict("username_taken", "账号 %s 已存在", in.Username)
				e.Fields = map[string]string{"username": "该账号已存在"}
				return e
			}
			return err
		}
		return tx.AppendAudit(ctx, audit(actor, s.clock.Now(), "user.create", u.ID, u.TownID,
			fmt.Sprintf(`{"username":%q,"role":%q}`, u.Username, u.Role)))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetDisabled disables (and signs out) or re-enables a staff account.
func (s *Service) SetDisabled(ctx context.Context, actor models.Actor, userID uint64, disabled bool) error {
	if !actor.IsDistrictAdmin() {
		return models.Deny(actor, "只有区城管局管理员可以停用账号")
	}
	if userID == actor.UserID {
		return models.Invalid("self_disable", "不能停用自己的账号")
	}
	return s.store.WithTx(ctx, func(tx *models.Store) error {
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		if err := tx.SetUserDisabled(ctx, userID, disabled); err != nil {
			return err
		}
		if disabled {
			if err := tx.DeleteUserSessions(ctx, userID); err != nil {
				return err
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		return tx.AppendAudit(ctx, audit(actor, s.clock.Now(), action, userID, u.TownID, "{}"))
	})
}

// ListStaff lists staff accounts for the district admin.
func (s *Service) ListStaff(ctx context.Context, actor models.Actor) ([]models.User, error) {
	if !actor.IsDistrictAdmin() {
		return nil, models.Deny(actor, "只有区城管局管理员可以查看工作人员账号")
	}
	return s.store.ListStaff(ctx)
}

// EnsureAdmin creates the first district admin from configuration, only while none exists.
// It reports whether it created one.
func (s *Service) EnsureAdmin(ctx context.Context, username, password string) (bool, error) {
	n, err := s.store.CountUsersByRole(ctx, models.RoleDistrictAdmin)
	if err != nil {
		return false, err
	}
	if n > 0 || username == "" {
		return false, nil
	}
	if err := s.CreateDistrictAdmin(ctx, username, password, "区城管局管理员"); err != nil {
		return false, err
	}
	return true, nil
}

// CreateDistrictAdmin creates a district admin without an acting user: for the first start and
// the demo data only, never reachable from HTTP.
func (s *Service) CreateDistrictAdmin(ctx context.Context, username, password, name string) error {
	fe := models.FieldErrors{}
	s.checkNewPassword(fe, "password", password, MinPasswordStaff, username, name)
	if !usernameRE.MatchString(username) {
		fe.Add("username", "账号须为 3 至 32 位字母、数字或 _ . -")
	}
	if len(fe) > 0 {
		return fmt.Errorf("district admin %q: %v", username, map[string]string(fe))
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	u := &models.User{Username: username, PasswordHash: hash, Role: models.RoleDistrictAdmin, DisplayName: name}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return fmt.Errorf("create district admin: %w", err)
	}
	return nil
}

// UserExists reports whether a username is taken.
func (s *Service) UserExists(ctx context.Context, username string) (bool, error) {
	_, err := s.store.UserByUsername(ctx, username)
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// PurgeExpiredSessions deletes ended sessions and the login throttle rows whose window has
// ended (they would restart on the next attempt anyway). It returns how many of each it deleted.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (sessions, throttles int64, err error) {
	now := s.clock.Now()
	if sessions, err = s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return 0, 0, err
	}
	if throttles, err = s.store.DeleteEndedLoginThrottles(ctx, now.Add(-LoginWindow)); err != nil {
		return sessions, 0, err
	}
	if _, err := s.store.DeleteUnusedDevices(ctx, now.Add(-DeviceTTL)); err != nil {
		return sessions, throttles, err
	}
	// Verification codes are kept a day past their expiry (the cooldown and "spent" answers
	// need the newest one), their rate slots until their window ends, and the text of a code
	// notice never past the code's expiry.
	if _, err := s.store.DeleteOldVerificationCodes(ctx, now.Add(-24*time.Hour)); err != nil {
		return sessions, throttles, err
	}
	if _, err := s.store.DeleteEndedRateSlots(ctx, now); err != nil {
		return sessions, throttles, err
	}
	if _, err := s.store.ScrubExpiredNotices(ctx, now, notices.ScrubbedBody); err != nil {
		return sessions, throttles, err
	}
	return sessions, throttles, nil
}

func actorOf(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID,
		MustChangePassword: u.MustChangePassword}
}

func audit(actor models.Actor, now time.Time, action string, objID uint64, town *uint64, detail string) *models.AuditEntry {
	return &models.AuditEntry{At: now, ActorID: actor.UserID, ActorName: actor.Name, Action: action,
		ObjectType: "user", ObjectID: objID, TownID: town, Detail: detail}
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
