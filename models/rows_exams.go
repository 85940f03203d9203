package models

import "time"

// The unified pre-job training exam and the yearly refresher exam (rules T-1, T-3, T-4). The
// rules themselves (papers, grading, the clock) are package exams; these rows are what the
// exam service keeps of them.

// BankQuestion is a question of the bank: its stable identity. Its content lives in versions;
// editing a question adds a version and moves CurrentVersionID, so a paper made from an older
// version keeps exactly what its candidate saw.
type BankQuestion struct {
	ID               uint64 `gorm:"primaryKey"`
	Category         string `gorm:"size:64;not null;index:ix_bank_slot,priority:1"`
	Type             string `gorm:"size:16;not null;index:ix_bank_slot,priority:2"`
	Difficulty       int    `gorm:"not null;index:ix_bank_slot,priority:3"`
	CurrentVersionID uint64 `gorm:"not null"`
	Archived         bool   `gorm:"not null;default:false;index"`
	CreatedBy        uint64 `gorm:"not null"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// QuestionVersion is one immutable content of a bank question (JSON of exams.Question) with its
// content hash.
type QuestionVersion struct {
	ID         uint64    `gorm:"primaryKey"`
	QuestionID uint64    `gorm:"not null;uniqueIndex:ux_qv_question_version,priority:1"`
	Version    int       `gorm:"not null;uniqueIndex:ux_qv_question_version,priority:2"`
	Hash       string    `gorm:"size:64;not null;index"`
	Content    string    `gorm:"type:text;not null"`
	CreatedBy  uint64    `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

// Exam purposes: the unified pre-job training of proposed hires (T-1) and the yearly refresher
// of staff in post (T-4).
const (
	PurposePreJob    = "pre_job"
	PurposeRefresher = "refresher"
)

// Blueprint is a trainer's recipe of a paper (组卷方案): JSON of exams.Blueprint.
type Blueprint struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"size:100;not null"`
	Purpose   string `gorm:"size:16;not null"`
	Spec      string `gorm:"type:text;not null"`
	Archived  bool   `gorm:"not null;default:false"`
	CreatedBy uint64 `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Sitting statuses.
const (
	SittingScheduled = "scheduled" // papers built and sealed; candidates sit within the window
	SittingPublished = "published" // results published (and, for pre-job sittings, the hiring gate applied)
)

// Sitting is one scheduled exam (考试场次): a window, a venue, a frozen copy of its blueprint and
// a secret seed every candidate's paper is drawn from.
type Sitting struct {
	ID          uint64 `gorm:"primaryKey"`
	Title       string `gorm:"size:100;not null"`
	Purpose     string `gorm:"size:16;not null;index"`
	BlueprintID uint64 `gorm:"not null"`
	Blueprint   string `gorm:"type:text;not null"` // JSON exams.Blueprint as scheduled
	Opens       time.Time
	Closes      time.Time
	LastStart   time.Time
	Venue       string `gorm:"size:200;not null"`
	Online      bool   `gorm:"not null"`
	// Seed is the secret the papers are drawn from (exams.CandidateSeed); never shown.
	Seed          []byte `gorm:"not null"`
	Status        string `gorm:"size:16;not null;index"`
	ShowPaper     bool   `gorm:"not null"` // candidates see their paper with the key once results are out
	DoubleMarking bool   `gorm:"not null"`
	CreatedBy     uint64 `gorm:"not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	PublishedAt   *time.Time
	PublishedBy   *uint64
}

// ExamCandidate is one person's place in a sitting: their ticket, their sealed paper and their
// attempt. Candidates are users, so the same rows serve applicants (pre-job) and staff in post
// (refresher); ApplicationID links a pre-job candidate to the application the hiring gate acts
// on.
type ExamCandidate struct {
	ID            uint64  `gorm:"primaryKey"`
	SittingID     uint64  `gorm:"not null;uniqueIndex:ux_exam_cand_user,priority:1;uniqueIndex:ux_exam_cand_anon,priority:1;index"`
	UserID        uint64  `gorm:"not null;uniqueIndex:ux_exam_cand_user,priority:2;index"`
	ApplicationID *uint64 `gorm:"index"`
	Name          string  `gorm:"size:64;not null"`
	IDMasked      string  `gorm:"size:32;not null"`
	TownID        *uint64 `gorm:"index"`
	PhotoUploadID string  `gorm:"size:32;not null;default:''"`
	TicketNo      string  `gorm:"size:32;not null;uniqueIndex"`
	Seat          string  `gorm:"size:16;not null"`
	// AnonCode is the only name a grader sees (blind grading): random, per sitting.
	AnonCode     string `gorm:"size:16;not null;uniqueIndex:ux_exam_cand_anon,priority:2"`
	ExtraMinutes int    `gorm:"not null;default:0"` // accommodation, set once before the start
	Paper        []byte `gorm:"type:longblob;not null"`
	PaperHash    string `gorm:"size:64;not null"`

	StartedAt   *time.Time
	Deadline    *time.Time
	SubmittedAt *time.Time // handed in, by the candidate or at the deadline
	ClosedBy    string     `gorm:"size:16;not null;default:''"` // "candidate" or "deadline"
	Receipt     string     `gorm:"size:16;not null;default:''"`
	LastSeq     int64      `gorm:"not null;default:0"`
	LastSaveAt  *time.Time

	// Result is the JSON exams.Result of the latest grading ("" before hand-in); Score and
	// Outcome copy its total and outcome for lists and queries.
	Result  string `gorm:"type:text;not null"`
	Score   *int64
	Outcome string `gorm:"size:16;not null;default:''"`
	// Gate is what the hiring gate did with a pre-job candidate when results were published
	// (rules T-1, T-3): hired, makeup (failed, one makeup sitting allowed) or not_hired.
	Gate      string `gorm:"size:16;not null;default:''"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ExamAnswer is a candidate's latest accepted answer to one item, with the client sequence
// number of the save that wrote it: a save with a lower number never overwrites it.
type ExamAnswer struct {
	CandidateID uint64    `gorm:"primaryKey;autoIncrement:false"`
	ItemNo      int       `gorm:"primaryKey;autoIncrement:false"`
	Seq         int64     `gorm:"not null"`
	Answer      string    `gorm:"type:text;not null"` // JSON exams.Answer, canonical
	SavedAt     time.Time `gorm:"not null"`
}

// ExamMark is one hand mark of a short answer: round 1 and 2 independently, round 3 when they
// differ by more than the blueprint allows. A marker marks an answer once.
type ExamMark struct {
	ID          uint64 `gorm:"primaryKey"`
	CandidateID uint64 `gorm:"not null;uniqueIndex:ux_exam_mark_round,priority:1;uniqueIndex:ux_exam_mark_marker,priority:1"`
	ItemNo      int    `gorm:"not null;uniqueIndex:ux_exam_mark_round,priority:2;uniqueIndex:ux_exam_mark_marker,priority:2"`
	Round       int    `gorm:"not null;uniqueIndex:ux_exam_mark_round,priority:3"`
	MarkerID    uint64 `gorm:"not null;uniqueIndex:ux_exam_mark_marker,priority:3"`
	Points      int64  `gorm:"not null"`
	Comment     string `gorm:"size:500;not null;default:''"`
	At          time.Time
}

// ExamEvent is evidence for the invigilator from the candidate's page (focus lost, tab hidden,
// paste, reconnect) or from staff (time added). Never an automatic fail.
type ExamEvent struct {
	ID          uint64    `gorm:"primaryKey"`
	CandidateID uint64    `gorm:"not null;index"`
	At          time.Time `gorm:"not null"`
	Kind        string    `gorm:"size:32;not null"`
	Detail      string    `gorm:"size:500;not null;default:''"`
}

// KeyFix is a trainer's correction of a wrong answer key for one question version in one
// sitting (JSON exams.Key, bank option keys): grading applies it to every paper of the sitting.
type KeyFix struct {
	ID        uint64 `gorm:"primaryKey"`
	SittingID uint64 `gorm:"not null;uniqueIndex:ux_keyfix,priority:1"`
	VersionID uint64 `gorm:"not null;uniqueIndex:ux_keyfix,priority:2"`
	Key       string `gorm:"type:text;not null"`
	Reason    string `gorm:"size:500;not null"`
	By        uint64 `gorm:"not null"`
	At        time.Time
}

// MarkClaim is a marker's hold on one short answer while its marking page is open, so that two
// markers sharing a question are not given the same answer; it lapses after a while.
type MarkClaim struct {
	CandidateID uint64    `gorm:"primaryKey;autoIncrement:false"`
	ItemNo      int       `gorm:"primaryKey;autoIncrement:false"`
	MarkerID    uint64    `gorm:"not null"`
	Until       time.Time `gorm:"not null"`
}
