// Package recruitment runs the hiring side of the portal: openings and their conditions (rule
// R-2), online applications screened by package screening (Attachment 2), the human review of
// relaxations and evidence, scores, the ranking with the preference tie-break (rule R-3),
// proposed hires and their replacement, and the filing report (rule R-4). Authorization lives
// here, so the JSON API and the HTML pages share it.
package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/pii"
	"auxportal/screening"
)

// Limits.
const (
	// MaxApplicationsPerHour is the per-account limit on submissions (withdraw-and-reapply
	// included), held in the database so it holds across replicas.
	MaxApplicationsPerHour = 10
	openingCacheTTL        = 5 * time.Second
	idAAD                  = "applications.id_number"
)

// Service is the recruitment service.
type Service struct {
	store  *models.Store
	cipher *pii.Cipher
	clock  clock.Clock
	log    *slog.Logger

	mu    sync.RWMutex
	cache map[uint64]cachedOpening // published openings for the public eligibility check

	// imageSlots bounds concurrent image re-encoding to one per CPU: it is the costliest step
	// of an application, and unbounded it starves every other request during a storm.
	imageSlots chan struct{}
}

type cachedOpening struct {
	o       *openingRules
	expires time.Time
}

// New returns the service.
func New(store *models.Store, cipher *pii.Cipher, c clock.Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, cipher: cipher, clock: c, log: log, cache: map[uint64]cachedOpening{},
		imageSlots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// today is the civil date in China now.
func (s *Service) today() screening.Date { return screening.DateOf(s.clock.Now().In(clock.China)) }

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

func ptr[T any](v T) *T { return &v }
