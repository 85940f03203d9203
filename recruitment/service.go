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
	"sync/atomic"
	"time"

	"auxportal/clock"
	"auxportal/media"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/pii"
	"auxportal/screening"
)

// Limits.
const (
	// MaxApplyAttemptsPerHour is the per-account limit on calls of Apply, failed ones and
	// withdraw-and-reapply included, held in the database so it holds across replicas.
	MaxApplyAttemptsPerHour = 20
	openingCacheTTL         = 5 * time.Second
	// DecodeBudget is the memory that the image decodes of one replica may take at once.
	DecodeBudget = 512 << 20
)

// ID-number ciphertext bindings (Application.IDCipherVersion).
const (
	cipherColumnBound = 1 // AAD names the column: the first rows, upgraded by UpgradeIDCiphers
	cipherRowBound    = 2 // AAD names the row: see rowAAD
	legacyAAD         = "applications.id_number"
	legacyRetiredKey  = "id_cipher_column_bound_retired"
)

// rowAAD binds an ID number's ciphertext to its application row and keyed hash, so a
// ciphertext copied into another row does not open there.
func rowAAD(appID uint64, idHash string) string {
	return fmt.Sprintf("applications.id_number/v2/%d/%s", appID, idHash)
}

// openID decrypts an application's ID number under the binding its row records. Once every row
// is row-bound (UpgradeIDCiphers), a column-bound one can only be an old ciphertext put back
// (from a backup, by someone with write access): it is refused, not opened.
func (s *Service) openID(a *models.Application) (string, error) {
	aad := legacyAAD
	switch {
	case a.IDCipherVersion == cipherRowBound:
		aad = rowAAD(a.ID, a.IDHash)
	case s.legacyRetired.Load():
		return "", fmt.Errorf("application %d: a column-bound ID ciphertext after all were bound to their rows", a.ID)
	}
	n, err := s.cipher.Open(a.IDCipher, aad)
	if err != nil {
		return "", fmt.Errorf("application %d id number: %w", a.ID, err)
	}
	return n, nil
}

// UpgradeIDCiphers re-seals the ID numbers of rows written before ciphertexts were bound to
// their row. Run at start; it does nothing once every row is upgraded, and each row is one
// conditional write, so replicas starting together cannot do harm.
func (s *Service) UpgradeIDCiphers(ctx context.Context) (int, error) {
	if _, retired, err := s.store.GetSetting(ctx, legacyRetiredKey); err != nil {
		return 0, err
	} else if retired {
		// Every row was bound before; a column-bound row now is not ours to re-seal.
		s.legacyRetired.Store(true)
		rows, err := s.store.ApplicationsWithCipherVersion(ctx, cipherColumnBound, 1)
		if err != nil {
			return 0, err
		}
		if len(rows) > 0 {
			s.log.Warn("an application has a column-bound ID ciphertext after all were bound to their rows; it will not open", "application", rows[0].ID)
		}
		return 0, nil
	}
	done := 0
	for {
		rows, err := s.store.ApplicationsWithCipherVersion(ctx, cipherColumnBound, 200)
		if err != nil {
			return done, err
		}
		if len(rows) == 0 {
			if err := s.store.InsertSettingIfMissing(ctx, legacyRetiredKey, "1", s.clock.Now()); err != nil {
				return done, err
			}
			s.legacyRetired.Store(true)
			return done, nil
		}
		for i := range rows {
			a := &rows[i]
			number, err := s.openID(a)
			if err != nil {
				return done, err
			}
			sealed, err := s.cipher.Seal(number, rowAAD(a.ID, a.IDHash))
			if err != nil {
				return done, err
			}
			if err := s.store.SetApplicationCipher(ctx, a.ID, sealed, cipherRowBound); err != nil {
				return done, err
			}
			done++
		}
	}
}

// Service is the recruitment service.
type Service struct {
	store  *models.Store
	cipher *pii.Cipher
	clock  clock.Clock
	log    *slog.Logger

	mu    sync.RWMutex
	cache map[uint64]cachedOpening // published openings for the public eligibility check

	// images bounds concurrent image decoding to one per CPU and DecodeBudget bytes: it is the
	// costliest step of an application, and unbounded it starves every other request.
	images *media.Budget

	// legacyRetired is set once every ID ciphertext is bound to its row: openID then refuses a
	// column-bound one.
	legacyRetired atomic.Bool

	// notices is the outbox the steps after ranking tell applicants through (nil: the
	// timeline only). Set once at start by SetNotices.
	notices *notices.Service
}

// SetNotices wires the notice outbox: the steps after ranking (体检, 考察, 公示, objections) then
// send the applicant an in-app notice with the timeline entry. Call before serving.
func (s *Service) SetNotices(n *notices.Service) { s.notices = n }

type cachedOpening struct {
	o       *openingRules
	expires time.Time
}

// ImageBudget is the decode budget, for tests and benchmarks that watch it.
func (s *Service) ImageBudget() *media.Budget { return s.images }

// New returns the service.
func New(store *models.Store, cipher *pii.Cipher, c clock.Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, cipher: cipher, clock: c, log: log, cache: map[uint64]cachedOpening{},
		images: media.NewBudget(DecodeBudget, runtime.GOMAXPROCS(0))}
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
