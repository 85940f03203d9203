// Package training is the exam service: the question bank, blueprints, sittings with sealed
// papers and admission tickets, server-timed attempts that lose no answer, blind hand grading,
// key corrections and regrades, results, and the hiring gate of the unified pre-job training
// (rules T-1, T-3) — the same engine runs the yearly refresher exams (T-4), so nothing here
// assumes that a candidate is an applicant. The rules themselves are package exams, as the
// screening rules are package screening under recruitment; authorization lives here.
package training

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"auxportal/clock"
	"auxportal/exams"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/recruitment"
)

// Service is the exam service.
type Service struct {
	store     *models.Store
	rec       *recruitment.Service
	clock     clock.Clock
	log       *slog.Logger
	random    io.Reader
	publicURL string
	jobs      *jobs.Runner // background print runs of admission tickets; nil: none

	// shapes caches, per candidate, what a save is checked against: the items of the sealed
	// paper without their texts or keys. Papers never change once sealed, so entries never go
	// stale; the map is bounded and simply emptied when full.
	mu     sync.RWMutex
	shapes map[uint64]*shape
}

// shape is a candidate's paper as the save path needs it.
type shape struct {
	userID uint64
	items  map[int]exams.Item // key-less items by number
}

// Option configures the service.
type Option func(*Service)

// WithRandom replaces crypto/rand (seeds, anonymous codes, ticket numbers) in tests.
func WithRandom(r io.Reader) Option { return func(s *Service) { s.random = r } }

// WithJobs lets the service print a sitting's admission tickets in the background on r (a
// sitting's tickets as one PDF or as a .zip of single tickets, with progress that survives the
// page being closed).
func WithJobs(r *jobs.Runner) Option {
	return func(s *Service) {
		s.jobs = r
		r.Register(JobTickets, s.runTickets)
	}
}

// New returns the service. publicURL is the portal's public address (for the QR codes of
// admission tickets), e.g. "https://rczp.haimen.gov.cn".
func New(store *models.Store, rec *recruitment.Service, c clock.Clock, log *slog.Logger, publicURL string, opts ...Option) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store, rec: rec, clock: c, log: log, random: rand.Reader, publicURL: publicURL,
		shapes: map[uint64]*shape{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Roles. Trainers and the district's admins run the exams (the unified training is the
// district's, rule T-1); a town admin sees how its own town's candidates are doing.

func canRun(a models.Actor) bool { return a.Role == models.RoleTrainer || a.IsDistrictAdmin() }

func denyRun(a models.Actor) error {
	return models.Deny(a, "只有培训员或区城管局管理员可以管理考试")
}

// canWatch reports whether a may look at a sitting's candidates at all; town admins see only
// their own town's (filtered by the caller).
func canWatch(a models.Actor) bool { return canRun(a) || a.Role == models.RoleTownAdmin }

// audit appends an audit entry within tx.
func (s *Service) audit(ctx context.Context, tx *models.Store, actor models.Actor, action, objType string,
	objID uint64, townID *uint64, reason string, detail any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	return tx.AppendAudit(ctx, &models.AuditEntry{
		At: s.clock.Now(), ActorID: actor.UserID, ActorName: actor.Name, Action: action,
		ObjectType: objType, ObjectID: objID, TownID: townID, Reason: reason, Detail: string(b),
	})
}

// randomBytes reads n random bytes.
func (s *Service) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.random, b); err != nil {
		return nil, fmt.Errorf("random: %w", err)
	}
	return b, nil
}

// anonAlphabet has no letters that read alike (0/O, 1/I/L), for codes people read aloud.
const anonAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// code is a random code of n characters of anonAlphabet.
func (s *Service) code(n int) (string, error) {
	b, err := s.randomBytes(n)
	if err != nil {
		return "", err
	}
	out := make([]byte, n)
	for i, x := range b {
		out[i] = anonAlphabet[int(x)%len(anonAlphabet)]
	}
	return string(out), nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only plain values are marshalled here
	}
	return string(b)
}
