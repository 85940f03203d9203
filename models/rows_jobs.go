package models

import "time"

// Job statuses.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is long work that must not depend on a page staying open (a bulk issue of permits, a
// print run): queued by a request, done step by step by whichever replica holds its lease,
// its progress read by the page that started it. A replica that dies mid-job leaves the lease
// to expire; the next one resumes from Done, the steps being idempotent.
type Job struct {
	ID        uint64  `gorm:"primaryKey"`
	Kind      string  `gorm:"size:32;not null;index"`
	Params    string  `gorm:"type:text;not null"` // JSON, the kind's own
	Title     string  `gorm:"size:200;not null"`  // what the page shows, in Chinese
	Status    string  `gorm:"size:16;not null;index"`
	Total     int     `gorm:"not null;default:0"`
	Done      int     `gorm:"not null;default:0"`
	Failed    int     `gorm:"not null;default:0"`
	Message   string  `gorm:"type:text;not null"` // the last step's news, or why the job failed
	CreatedBy uint64  `gorm:"not null;index"`
	TownID    *uint64 // a town admin's job: only their town's admins see it
	// Result is a file the job made (a PDF, a .zip), kept for download.
	ResultName   string `gorm:"size:200;not null;default:''"`
	ResultType   string `gorm:"size:100;not null;default:''"`
	Result       []byte `gorm:"type:longblob"`
	ResultSHA256 string `gorm:"size:64;not null;default:''"`
	LeaseOwner   string `gorm:"size:64;not null;default:''"`
	LeaseUntil   *time.Time
	Attempts     int `gorm:"not null;default:0"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FinishedAt   *time.Time
}
