package models

import "time"

// Roles. A town admin is scoped to one town (rule M-1: whoever uses them manages them).
const (
	RoleApplicant     = "applicant"
	RoleTrainer       = "trainer"
	RoleTownAdmin     = "town_admin"
	RoleDistrictAdmin = "district_admin"
)

// RoleLabel names a role in Chinese.
func RoleLabel(role string) string {
	switch role {
	case RoleApplicant:
		return "报名人员"
	case RoleTrainer:
		return "培训员"
	case RoleTownAdmin:
		return "区镇管理员"
	case RoleDistrictAdmin:
		return "区城管局管理员"
	}
	return role
}

// Town is a 区镇/街道 with its minimum staffing (rules ).
type Town struct {
	ID            uint64 `gorm:"primaryKey"`
	Name          string `gorm:"size:64;not null;uniqueIndex"`
	Minimum       int    `gorm:"not null"`
	ExistingStaff int    `gorm:"not null;default:0"` // staff in post before the portal, set by the district
	Sort          int    `gorm:"not null;default:0"`
}

// User is any account: an applicant (username = phone number) or staff.
type User struct {
	ID           uint64  `gorm:"primaryKey"`
	Username     string  `gorm:"size:64;not null;uniqueIndex"`
	PasswordHash string  `gorm:"size:255;not null"`
	Role         string  `gorm:"size:32;not null;index"`
	TownID       *uint64 `gorm:"index"`
	DisplayName  string  `gorm:"size:64;not null"`
	// Email is where e-mail notices go, set by the user on 账号设置; nil for none.
	Email *string `gorm:"size:254"`
	// EmailVerifiedAt is when the address proved to be the user's (a code sent to it came back);
	// reset codes go only to a verified address.
	EmailVerifiedAt *time.Time
	// PhoneVerifiedAt is when an applicant proved the phone number (their username) with a code;
	// nil for accounts made before phone verification, which a verified owner may claim.
	PhoneVerifiedAt *time.Time
	// MustChangePassword is set when a district admin reset the password: the next sign-in
	// must choose a new one before anything else.
	MustChangePassword bool `gorm:"not null;default:false"`
	Disabled           bool `gorm:"not null;default:false"`
	FailedLogins       int  `gorm:"not null;default:0"`
	LockedUntil        *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Session is a server-side login. The cookie holds a random token; only its SHA-256 is stored,
// so a read of the table cannot be replayed as a login.
type Session struct {
	TokenHash string    `gorm:"primaryKey;size:64"`
	UserID    uint64    `gorm:"not null;index"`
	CreatedAt time.Time `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
	LastSeen  time.Time `gorm:"not null"`
	IP        string    `gorm:"size:64"`
	UserAgent string    `gorm:"size:255"`
}

// Setting is a small key/value row, e.g. the district's base conditions as JSON (rule R-2).
type Setting struct {
	Key       string `gorm:"primaryKey;size:64"`
	Value     string `gorm:"type:text;not null"`
	UpdatedAt time.Time
	UpdatedBy uint64
}

// Opening statuses.
const (
	OpeningDraft     = "draft"
	OpeningPublished = "published"
)

// Opening is a town's recruitment for a number of seats. Its conditions are the base conditions
// plus the town's extras (rule R-2), frozen at publishing.
type Opening struct {
	ID              uint64 `gorm:"primaryKey"`
	TownID          uint64 `gorm:"not null;index"`
	Title           string `gorm:"size:128;not null"`
	Description     string `gorm:"type:text;not null"`
	Seats           int    `gorm:"not null"`
	OpensAt         string `gorm:"size:10;not null"` // civil dates, YYYY-MM-DD, China
	ClosesAt        string `gorm:"size:10;not null"`
	ReferenceDate   string `gorm:"size:10;not null"`   // age is counted on this date (rule A2-3)
	Conditions      string `gorm:"type:text;not null"` // JSON screening.Conditions
	PreferenceChain string `gorm:"size:255;not null"`  // JSON array of preferences (rule R-3)
	// BonusPoints is the optional bonus-points policy (rule R-3 allows it as an explicit
	// per-opening option): JSON object preference → hundredths of a point; "{}" for none.
	BonusPoints string `gorm:"size:255;not null;default:'{}'"`
	// PassMark is the minimum score (合格分数线, hundredths) below which nobody is proposed; nil
	// for none. Frozen at publishing like the conditions, so it cannot be tuned to the scores.
	PassMark *int64
	// ScoresFrozenAt is set when the first proposals are made (rule R-1): from then on a score
	// change is refused until a district admin reopens scoring, which withdraws the proposals.
	ScoresFrozenAt *time.Time
	// MakeupAllowed lets a proposed hire who fails the pre-job training exam sit one makeup
	// sitting before they are not hired (rule T-3).
	MakeupAllowed bool `gorm:"not null;default:false"`
	// The steps after ranking (docs/decisions.md, "公示 and the steps after ranking"):
	// PublicityDays is the 拟录用人员公示期 in working days (0: no 公示 in the portal, as for
	// openings from before it); MedicalCheck and Vetting turn on the 体检 (rule A2-5) and the
	// 考察/政审 steps; the supervision phone and address are printed on the 公示.
	PublicityDays      int    `gorm:"not null;default:0"`
	MedicalCheck       bool   `gorm:"not null;default:false"`
	Vetting            bool   `gorm:"not null;default:false"`
	SupervisionPhone   string `gorm:"size:32;not null;default:''"`
	SupervisionAddress string `gorm:"size:200;not null;default:''"`
	Status             string `gorm:"size:16;not null;index"`
	PublishedAt        *time.Time
	PublishedBy        *uint64
	CreatedBy          uint64 `gorm:"not null"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Town               Town `gorm:"foreignKey:TownID"`
}

// Application statuses.
const (
	AppEligible      = "eligible"
	AppIneligible    = "ineligible"
	AppPendingReview = "pending_review"
	AppWithdrawn     = "withdrawn"
	AppProposed      = "proposed"    // 拟录用
	AppDroppedOut    = "dropped_out" // a proposed hire who left; replaced by the next (递补)
	AppHired         = "hired"       // passed the unified pre-job training (rules T-1, T-2)
	AppNotHired      = "not_hired"   // did not pass it (rule T-3: must not be hired)
	// AppCancelled is a proposed hire whose proposal was cancelled (取消拟录用资格): an
	// objection to the 公示 upheld, or a failed 体检 or 考察; the seat goes to 递补.
	AppCancelled = "cancelled"
)

// Application is one person's application to one opening. The ID number is stored encrypted
// (IDCipher) with a keyed hash (IDHash) for uniqueness and a masked copy for display.
type Application struct {
	ID        uint64 `gorm:"primaryKey"`
	OpeningID uint64 `gorm:"not null;index;uniqueIndex:ux_app_active_id,priority:1;uniqueIndex:ux_app_active_user,priority:1"`
	UserID    uint64 `gorm:"not null;index"`
	// ActiveIDHash and ActiveUserID equal IDHash and UserID while the application is not withdrawn
	// and are NULL after, so the unique indexes allow reapplying after a withdrawal but never two
	// live applications with one ID number (or from one account) to one opening.
	ActiveIDHash *string `gorm:"size:64;uniqueIndex:ux_app_active_id,priority:2"`
	ActiveUserID *uint64 `gorm:"uniqueIndex:ux_app_active_user,priority:2"`
	Status       string  `gorm:"size:32;not null;index"`

	Name     string `gorm:"size:64;not null"`
	Phone    string `gorm:"size:32;not null"`
	IDCipher []byte `gorm:"not null"`
	// IDCipherVersion says what IDCipher's AAD binds it to: 1, the column (legacy); 2, this row
	// (its id and IDHash), so a ciphertext moved to another row no longer opens.
	IDCipherVersion int    `gorm:"not null;default:1"`
	IDHash          string `gorm:"size:64;not null;index"`
	// IDMasked is the mask of screening.MaskID. No birth date is stored in plain text: beside
	// the mask it would give the whole number back (DESIGN.md, personal data); the birth date
	// lives only inside IDCipher.
	IDMasked   string `gorm:"size:32;not null"`
	Male       bool   `gorm:"not null"`
	Education  string `gorm:"size:32;not null"`
	Major      string `gorm:"size:128;not null"`
	Veteran    bool   `gorm:"not null"`
	FormerAux  bool   `gorm:"not null"`
	FormerEnd  string `gorm:"size:10"` // when former auxiliary work ended
	Party      bool   `gorm:"not null"`
	Heroic     bool   `gorm:"not null"`
	Accepts    bool   `gorm:"not null"` // A2-1
	Healthy    bool   `gorm:"not null"` // A2-5
	Discipline bool   `gorm:"not null"` // A2-6
	Criminal   bool   `gorm:"not null"`
	Investig   bool   `gorm:"not null"`
	OtherBar   bool   `gorm:"not null;default:false"` // A2-6 catch-all: other legal bars
	HasHukou   bool   `gorm:"not null"`
	HasLicence bool   `gorm:"not null"`
	// ProfileCipher is the rest of the 报名表 (民族, 政治面貌, addresses, schooling, history,
	// family, contacts) as JSON sealed like the ID number and bound to this row; NULL for
	// applications filed before the form asked for it.
	ProfileCipher []byte

	// Snapshot of what it was judged by and the result, so later edits never re-judge it silently.
	Conditions    string `gorm:"type:text;not null"`
	ReferenceDate string `gorm:"size:10;not null"`
	Result        string `gorm:"type:text;not null"` // JSON screening.Result of the latest judgement

	Score      *int64 // hundredths of a point
	ExtraScore *int64 // 加试, hundredths
	Absent     bool   `gorm:"not null;default:false"` // 缺考: counts as scored, never ranked or proposed
	ScoredBy   *uint64
	ScoredAt   *time.Time

	SubmittedAt time.Time `gorm:"not null"`
	WithdrawnAt *time.Time
	ProposedAt  *time.Time
	// TrainingFailures counts the pre-job training exams this proposed hire failed (rule T-3);
	// HiredAt is when they passed and were hired.
	TrainingFailures int `gorm:"not null;default:0"`
	HiredAt          *time.Time
	// PublicityID is the 公示 this proposal was published in (nil: not yet). The step results
	// are StepPass or StepFail ("" not yet), with the date told and a note.
	PublicityID *uint64 `gorm:"index"`
	// ProposedRank is the rank the proposal was made at (the frozen ranking, rule R-1): the 公示
	// and 成绩查询 show it also after the proposal ended (cancelled, not hired).
	ProposedRank  int    `gorm:"not null;default:0"`
	MedicalResult string `gorm:"size:8;not null;default:''"`
	MedicalOn     string `gorm:"size:10;not null;default:''"`
	MedicalNote   string `gorm:"size:500;not null;default:''"`
	VettingResult string `gorm:"size:8;not null;default:''"`
	VettingOn     string `gorm:"size:10;not null;default:''"`
	VettingNote   string `gorm:"size:500;not null;default:''"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Review item kinds: claims to verify and relaxations to decide.
const (
	ReviewAgeRelaxation       = "age_relaxation"       // A2-3
	ReviewEducationRelaxation = "education_relaxation" // A2-4
	ReviewVeteran             = "veteran"
	ReviewFormerAux           = "former_aux_staff"
	ReviewParty               = "party_member"
	ReviewUrbanManagement     = "urban_management_graduate"
	ReviewHeroic              = "heroic_honor"
	ReviewHukou               = "hukou"
	ReviewLicence             = "licence"
	// ReviewIdentity is raised when another account applies to the same opening with an ID
	// number that already has a live application there: one of them is not that person. Only
	// staff see it, so the second account learns nothing about who applied.
	ReviewIdentity = "identity_conflict"
)

// Review item statuses.
const (
	ReviewPending  = "pending"
	ReviewApproved = "approved"
	ReviewRejected = "rejected"
)

// ReviewItem is one thing a human must decide about an application.
type ReviewItem struct {
	ID            uint64 `gorm:"primaryKey"`
	ApplicationID uint64 `gorm:"not null;index"`
	Kind          string `gorm:"size:32;not null"`
	Status        string `gorm:"size:16;not null;index"`
	Reason        string `gorm:"size:500;not null;default:''"`
	DecidedBy     *uint64
	DecidedAt     *time.Time
	// Supplements counts the replacement evidence (补充材料) the applicant sent after a
	// rejection; one is allowed.
	Supplements int `gorm:"not null;default:0"`
	CreatedAt   time.Time
}

// Upload states. An upload is acknowledged after the cheap checks (type by content, size,
// dimensions, pixel and scan limits: media.Inspect) and waits in quarantine until a background
// worker has decoded and re-encoded it; only a ready upload is ever served, printed or exported.
const (
	UploadQuarantined = "quarantined" // the original waits, sealed, in Original; Data is empty
	UploadReady       = "ready"       // Data is the sanitised image; Original is gone
	UploadFailed      = "failed"      // sanitising refused the file: the applicant must upload again
)

// Upload is a file an applicant sent, re-encoded, kept in the database so every replica sees it.
// Its ID is random so a URL cannot be guessed, and it is served only after an access check, and
// only once it is ready.
type Upload struct {
	ID            string `gorm:"primaryKey;size:32"`
	ApplicationID uint64 `gorm:"not null;index"`
	Kind          string `gorm:"size:32;not null"`
	ContentType   string `gorm:"size:64;not null"`
	Size          int    `gorm:"not null"`
	Width         int    `gorm:"not null"`
	Height        int    `gorm:"not null"`
	SHA256        string `gorm:"size:64;not null"`
	Data          []byte `gorm:"type:longblob;not null"`
	Supplement    bool   `gorm:"not null;default:false"` // replacement evidence sent after a rejection
	// The worker claims the oldest quarantined file: (state, created_at) finds it without
	// sorting the whole backlog for each claim.
	CreatedAt time.Time `gorm:"index:ix_uploads_state_created,priority:2"`
	// State is UploadQuarantined, UploadReady or UploadFailed; rows from before quarantine
	// existed were sanitised in the request and are ready.
	State string `gorm:"size:16;not null;default:ready;index:ix_uploads_state_created,priority:1"`
	// Original is the file as it arrived, sealed (AES-GCM, bound to the upload's id), while it
	// is quarantined: the worker's input, never read by anything else, dropped once handled.
	Original []byte `gorm:"type:longblob"`
	// Problem says, in Chinese, why sanitising refused the file (UploadFailed).
	Problem string `gorm:"size:200;not null;default:''"`
	// The sanitising worker's lease: whichever replica holds it decodes the file, once; a
	// crashed replica's lease runs out and another takes the file over.
	LeaseOwner string `gorm:"size:64;not null;default:''"`
	LeaseUntil *time.Time
	Attempts   int `gorm:"not null;default:0"`
	// SanitizedAt is when the worker finished with the file (ready or failed).
	SanitizedAt *time.Time
}

// Ready reports whether the upload may be served: it was sanitised.
func (u *Upload) Ready() bool { return u.State == UploadReady }

// ApplyAttempt is one call of Apply by an account, kept for an hour: every attempt counts
// against the account's limit, failed ones included, so the form cannot be used to probe ID
// numbers at no cost.
type ApplyAttempt struct {
	ID     uint64    `gorm:"primaryKey"`
	UserID uint64    `gorm:"not null;index:ix_apply_attempts_user_at,priority:1"`
	At     time.Time `gorm:"not null;index:ix_apply_attempts_user_at,priority:2"`
}

// Event is one entry in an application's timeline, shown to the applicant.
type Event struct {
	ID            uint64    `gorm:"primaryKey"`
	ApplicationID uint64    `gorm:"not null;index"`
	At            time.Time `gorm:"not null"`
	Kind          string    `gorm:"size:32;not null"`
	Message       string    `gorm:"size:1000;not null"`
}

// AuditEntry is an append-only record of an admin decision: who, when, what, why.
type AuditEntry struct {
	ID         uint64    `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	ActorID    uint64    `gorm:"not null;index"`
	ActorName  string    `gorm:"size:64;not null"`
	Action     string    `gorm:"size:64;not null;index"`
	ObjectType string    `gorm:"size:32;not null"`
	ObjectID   uint64    `gorm:"not null"`
	TownID     *uint64   `gorm:"index"`
	Reason     string    `gorm:"size:1000;not null;default:''"`
	Detail     string    `gorm:"type:text;not null"`
}
