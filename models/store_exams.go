package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ---- The question bank ----

// CreateBankQuestion inserts a question and its first version and points the question at it.
// Run it inside WithTx.
func (s *Store) CreateBankQuestion(ctx context.Context, q *BankQuestion, v *QuestionVersion) error {
	if err := s.q(ctx).Create(q).Error; err != nil {
		return fmt.Errorf("create bank question: %w", err)
	}
	v.QuestionID, v.Version = q.ID, 1
	if err := s.q(ctx).Create(v).Error; err != nil {
		return fmt.Errorf("create question version: %w", err)
	}
	q.CurrentVersionID = v.ID
	return s.q(ctx).Model(q).Update("current_version_id", v.ID).Error
}

// AddQuestionVersion adds a version to a question and makes it current, with the slot columns
// the version's content has. Run it inside WithTx.
func (s *Store) AddQuestionVersion(ctx context.Context, q *BankQuestion, v *QuestionVersion) error {
	var last int
	if err := s.q(ctx).Model(&QuestionVersion{}).Where("question_id = ?", q.ID).
		Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
		return fmt.Errorf("last version: %w", err)
	}
	v.QuestionID, v.Version = q.ID, last+1
	if err := s.q(ctx).Create(v).Error; err != nil {
		return fmt.Errorf("create question version: %w", err)
	}
	q.CurrentVersionID = v.ID
	err := s.q(ctx).Model(&BankQuestion{}).Where("id = ?", q.ID).Updates(map[string]any{
		"current_version_id": v.ID, "category": q.Category, "type": q.Type, "difficulty": q.Difficulty,
		"updated_at": v.CreatedAt,
	}).Error
	if err != nil {
		return fmt.Errorf("point question at its version: %w", err)
	}
	return nil
}

// BankQuestionByID loads a question.
func (s *Store) BankQuestionByID(ctx context.Context, id uint64) (*BankQuestion, error) {
	if !ValidID(id) {
		return nil, NotFound("试题")
	}
	var q BankQuestion
	if err := s.q(ctx).Take(&q, id).Error; err != nil {
		return nil, notFound(err, "试题")
	}
	return &q, nil
}

// QuestionVersionByID loads a version.
func (s *Store) QuestionVersionByID(ctx context.Context, id uint64) (*QuestionVersion, error) {
	if !ValidID(id) {
		return nil, NotFound("试题版本")
	}
	var v QuestionVersion
	if err := s.q(ctx).Take(&v, id).Error; err != nil {
		return nil, notFound(err, "试题版本")
	}
	return &v, nil
}

// VersionsOf lists a question's versions, oldest first.
func (s *Store) VersionsOf(ctx context.Context, questionID uint64) ([]QuestionVersion, error) {
	var vs []QuestionVersion
	if err := s.q(ctx).Where("question_id = ?", questionID).Order("version").Find(&vs).Error; err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return vs, nil
}

// BankEntry is a question with its current version.
type BankEntry struct {
	BankQuestion
	Version QuestionVersion
}

// BankFilter narrows ListBank.
type BankFilter struct {
	Category   string
	Type       string
	Difficulty int
	Archived   bool // list archived questions instead of live ones
	Limit      int
	Offset     int
}

// ListBank lists questions with their current versions, newest first, and how many match.
func (s *Store) ListBank(ctx context.Context, f BankFilter) ([]BankEntry, int64, error) {
	q := s.q(ctx).Model(&BankQuestion{}).Where("archived = ?", f.Archived)
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.Difficulty != 0 {
		q = q.Where("difficulty = ?", f.Difficulty)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count bank: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	var qs []BankQuestion
	if err := q.Order("id DESC").Limit(f.Limit).Offset(f.Offset).Find(&qs).Error; err != nil {
		return nil, 0, fmt.Errorf("list bank: %w", err)
	}
	out, err := s.withVersions(ctx, qs)
	return out, total, err
}

// CurrentBank lists every live question with its current version, by id: what papers are
// drawn from.
func (s *Store) CurrentBank(ctx context.Context) ([]BankEntry, error) {
	var qs []BankQuestion
	if err := s.q(ctx).Where("archived = ?", false).Order("id").Find(&qs).Error; err != nil {
		return nil, fmt.Errorf("load bank: %w", err)
	}
	return s.withVersions(ctx, qs)
}

func (s *Store) withVersions(ctx context.Context, qs []BankQuestion) ([]BankEntry, error) {
	ids := make([]uint64, len(qs))
	for i, q := range qs {
		ids[i] = q.CurrentVersionID
	}
	vs := map[uint64]QuestionVersion{}
	for start := 0; start < len(ids); start += 500 {
		var batch []QuestionVersion
		if err := s.q(ctx).Where("id IN ?", ids[start:min(start+500, len(ids))]).Find(&batch).Error; err != nil {
			return nil, fmt.Errorf("load versions: %w", err)
		}
		for _, v := range batch {
			vs[v.ID] = v
		}
	}
	out := make([]BankEntry, len(qs))
	for i, q := range qs {
		out[i] = BankEntry{BankQuestion: q, Version: vs[q.CurrentVersionID]}
	}
	return out, nil
}

// LiveQuestionWithHash finds a live question whose current version has this content hash.
func (s *Store) LiveQuestionWithHash(ctx context.Context, hash string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&BankQuestion{}).
		Joins("JOIN question_versions ON question_versions.id = bank_questions.current_version_id").
		Where("bank_questions.archived = ? AND question_versions.hash = ?", false, hash).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("find question by hash: %w", err)
	}
	return n > 0, nil
}

// SetQuestionArchived archives a question (it is drawn no more) or brings it back.
func (s *Store) SetQuestionArchived(ctx context.Context, id uint64, archived bool, at time.Time) error {
	res := s.q(ctx).Model(&BankQuestion{}).Where("id = ?", id).Updates(map[string]any{"archived": archived, "updated_at": at})
	if res.Error != nil {
		return fmt.Errorf("archive question: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("试题")
	}
	return nil
}

// ---- Blueprints ----

// CreateBlueprint inserts a blueprint.
func (s *Store) CreateBlueprint(ctx context.Context, b *Blueprint) error {
	if err := s.q(ctx).Create(b).Error; err != nil {
		return fmt.Errorf("create blueprint: %w", err)
	}
	return nil
}

// SaveBlueprint writes a blueprint's name, purpose and spec.
func (s *Store) SaveBlueprint(ctx context.Context, b *Blueprint) error {
	res := s.q(ctx).Model(&Blueprint{}).Where("id = ?", b.ID).
		Updates(map[string]any{"name": b.Name, "purpose": b.Purpose, "spec": b.Spec, "updated_at": b.UpdatedAt})
	if res.Error != nil {
		return fmt.Errorf("save blueprint: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return NotFound("组卷方案")
	}
	return nil
}

// BlueprintByID loads a blueprint.
func (s *Store) BlueprintByID(ctx context.Context, id uint64) (*Blueprint, error) {
	if !ValidID(id) {
		return nil, NotFound("组卷方案")
	}
	var b Blueprint
	if err := s.q(ctx).Take(&b, id).Error; err != nil {
		return nil, notFound(err, "组卷方案")
	}
	return &b, nil
}

// ListBlueprints lists blueprints, newest first.
func (s *Store) ListBlueprints(ctx context.Context) ([]Blueprint, error) {
	var bs []Blueprint
	if err := s.q(ctx).Where("archived = ?", false).Order("id DESC").Find(&bs).Error; err != nil {
		return nil, fmt.Errorf("list blueprints: %w", err)
	}
	return bs, nil
}

// ---- Sittings and candidates ----

// CreateSitting inserts a sitting.
func (s *Store) CreateSitting(ctx context.Context, st *Sitting) error {
	if err := s.q(ctx).Create(st).Error; err != nil {
		return fmt.Errorf("create sitting: %w", err)
	}
	return nil
}

// SittingByID loads a sitting.
func (s *Store) SittingByID(ctx context.Context, id uint64) (*Sitting, error) {
	if !ValidID(id) {
		return nil, NotFound("考试场次")
	}
	var st Sitting
	if err := s.q(ctx).Take(&st, id).Error; err != nil {
		return nil, notFound(err, "考试场次")
	}
	return &st, nil
}

// LockSitting loads a sitting inside a transaction with its row locked on MySQL (SQLite's
// immediate transactions hold the database already).
func (s *Store) LockSitting(ctx context.Context, id uint64) (*Sitting, error) {
	if !ValidID(id) {
		return nil, NotFound("考试场次")
	}
	q := s.q(ctx)
	if s.dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var st Sitting
	if err := q.Take(&st, id).Error; err != nil {
		return nil, notFound(err, "考试场次")
	}
	return &st, nil
}

// ListSittings lists sittings, newest first.
func (s *Store) ListSittings(ctx context.Context) ([]Sitting, error) {
	var ss []Sitting
	if err := s.q(ctx).Omit("seed").Order("id DESC").Limit(500).Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("list sittings: %w", err)
	}
	return ss, nil
}

// SittingsByIDs loads sittings by id, without their seeds.
func (s *Store) SittingsByIDs(ctx context.Context, ids []uint64) (map[uint64]*Sitting, error) {
	out := map[uint64]*Sitting{}
	if len(ids) == 0 {
		return out, nil
	}
	var ss []Sitting
	if err := s.q(ctx).Omit("seed").Where("id IN ?", ids).Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("load sittings: %w", err)
	}
	for i := range ss {
		out[ss[i].ID] = &ss[i]
	}
	return out, nil
}

// PublishSitting marks a scheduled sitting's results published; ErrConflict if they were.
func (s *Store) PublishSitting(ctx context.Context, id, by uint64, at time.Time) error {
	res := s.q(ctx).Model(&Sitting{}).Where("id = ? AND status = ?", id, SittingScheduled).
		Updates(map[string]any{"status": SittingPublished, "published_at": at, "published_by": by, "updated_at": at})
	if res.Error != nil {
		return fmt.Errorf("publish sitting: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict("already_published", "本场考试成绩已发布")
	}
	return nil
}

// CreateCandidates inserts the candidates of a sitting.
func (s *Store) CreateCandidates(ctx context.Context, cs []ExamCandidate) error {
	if len(cs) == 0 {
		return nil
	}
	if err := s.q(ctx).CreateInBatches(&cs, 200).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("already_enrolled", "有考生已在本场考试中")
		}
		return fmt.Errorf("create candidates: %w", err)
	}
	return nil
}

// CandidateByID loads a candidate with the sealed paper.
func (s *Store) CandidateByID(ctx context.Context, id uint64) (*ExamCandidate, error) {
	if !ValidID(id) {
		return nil, NotFound("考试")
	}
	var c ExamCandidate
	if err := s.q(ctx).Take(&c, id).Error; err != nil {
		return nil, notFound(err, "考试")
	}
	return &c, nil
}

// CandidateByAnon loads a sitting's candidate by the anonymous code graders see.
func (s *Store) CandidateByAnon(ctx context.Context, sittingID uint64, code string) (*ExamCandidate, error) {
	var c ExamCandidate
	if err := s.q(ctx).Where("sitting_id = ? AND anon_code = ?", sittingID, code).Take(&c).Error; err != nil {
		return nil, notFound(err, "答卷")
	}
	return &c, nil
}

// CandidateFilter narrows ListCandidates.
type CandidateFilter struct {
	SittingID     *uint64
	UserID        *uint64
	ApplicationID *uint64
	TownID        *uint64
	WithPaper     bool // load the sealed papers too (grading); lists leave them out
}

// ListCandidates lists candidates by id.
func (s *Store) ListCandidates(ctx context.Context, f CandidateFilter) ([]ExamCandidate, error) {
	q := s.q(ctx).Order("id")
	if !f.WithPaper {
		q = q.Omit("paper")
	}
	if f.SittingID != nil {
		q = q.Where("sitting_id = ?", *f.SittingID)
	}
	if f.UserID != nil {
		q = q.Where("user_id = ?", *f.UserID)
	}
	if f.ApplicationID != nil {
		q = q.Where("application_id = ?", *f.ApplicationID)
	}
	if f.TownID != nil {
		q = q.Where("town_id = ?", *f.TownID)
	}
	var cs []ExamCandidate
	if err := q.Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("list candidates: %w", err)
	}
	return cs, nil
}

// UpdateCandidate writes columns of a candidate when cond (SQL with args) holds; ErrConflict
// (code) with msg otherwise. Every attempt transition is such a conditional write, so two
// replicas or two tabs never both win it.
func (s *Store) UpdateCandidate(ctx context.Context, id uint64, cols map[string]any, code, msg string, cond string, args ...any) error {
	q := s.q(ctx).Model(&ExamCandidate{}).Where("id = ?", id)
	if cond != "" {
		q = q.Where(cond, args...)
	}
	res := q.Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update candidate: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Conflict(code, "%s", msg)
	}
	return nil
}

// OverdueCandidates lists up to limit started attempts that are not handed in and whose
// deadline is at or before now.
func (s *Store) OverdueCandidates(ctx context.Context, now time.Time, limit int) ([]ExamCandidate, error) {
	var cs []ExamCandidate
	err := s.q(ctx).Where("started_at IS NOT NULL AND submitted_at IS NULL AND deadline <= ?", now).
		Order("deadline").Limit(limit).Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("list overdue attempts: %w", err)
	}
	return cs, nil
}

// ---- Answers ----

// SaveAnswer writes an answer if the attempt is still open at now (started, not handed in,
// before its deadline) and seq is newer than the stored one, in one conditional statement (two
// for an item's first save); it reports whether it wrote. A save that lost a race or came late
// is left to the caller to classify (exams.DecideSave) from what is stored.
func (s *Store) SaveAnswer(ctx context.Context, candidateID uint64, itemNo int, seq int64, answer string, now time.Time) (bool, error) {
	// The statements are idempotent, so a deadlock victim (rare now: see saveAnswer) is simply
	// tried again.
	for attempt := 0; ; attempt++ {
		wrote, err := s.saveAnswer(ctx, candidateID, itemNo, seq, answer, now)
		if err == nil || !isDeadlock(err) || attempt == 4 {
			return wrote, err
		}
	}
}

// IsRetryable reports whether the database gave a transaction up — a MySQL/MariaDB deadlock
// victim or a lock wait timeout — so that running the whole transaction again is right.
func IsRetryable(err error) bool { return isDeadlock(err) }

// isDeadlock reports whether MySQL/MariaDB chose this statement as a deadlock victim or gave
// up waiting for a lock.
func isDeadlock(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}

func (s *Store) saveAnswer(ctx context.Context, candidateID uint64, itemNo int, seq int64, answer string, now time.Time) (bool, error) {
	const open = "EXISTS (SELECT 1 FROM exam_candidates c WHERE c.id = ? AND c.started_at IS NOT NULL AND c.submitted_at IS NULL AND c.deadline > ?)"
	res := s.q(ctx).Exec("UPDATE exam_answers SET seq = ?, answer = ?, saved_at = ? WHERE candidate_id = ? AND item_no = ? AND seq < ? AND "+open,
		seq, answer, now, candidateID, itemNo, seq, candidateID, now)
	if res.Error != nil {
		return false, fmt.Errorf("save answer: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		return true, nil
	}
	// The first save of an item inserts; the primary key refuses a second first save. There is
	// deliberately no NOT EXISTS (SELECT … FROM exam_answers …) here: on InnoDB that subquery
	// takes a shared gap lock, and two candidates' first saves whose keys fall into one gap then
	// each wait for the other's insert-intention lock — a deadlock on nearly every start storm
	// (the exam-day rehearsal found 500s from it). The read of exam_candidates still takes a
	// shared lock on the attempt's row, so a hand-in (which updates that row, then reads the
	// answers for the receipt) is ordered before or after this insert, never in between.
	res = s.q(ctx).Exec("INSERT INTO exam_answers (candidate_id, item_no, seq, answer, saved_at) SELECT ?, ?, ?, ?, ? FROM exam_candidates c "+
		"WHERE c.id = ? AND c.started_at IS NOT NULL AND c.submitted_at IS NULL AND c.deadline > ?",
		candidateID, itemNo, seq, answer, now, candidateID, now)
	if res.Error != nil {
		if IsDuplicate(res.Error) {
			return false, nil // another save of this item was first; the caller re-reads
		}
		return false, fmt.Errorf("save first answer: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// AnswerOf loads one stored answer; ok is false when none is stored.
func (s *Store) AnswerOf(ctx context.Context, candidateID uint64, itemNo int) (ExamAnswer, bool, error) {
	var a ExamAnswer
	err := s.q(ctx).Where("candidate_id = ? AND item_no = ?", candidateID, itemNo).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ExamAnswer{}, false, nil
	}
	if err != nil {
		return ExamAnswer{}, false, fmt.Errorf("load answer: %w", err)
	}
	return a, true, nil
}

// AnswersOf lists a candidate's stored answers by item.
func (s *Store) AnswersOf(ctx context.Context, candidateID uint64) ([]ExamAnswer, error) {
	var as []ExamAnswer
	if err := s.q(ctx).Where("candidate_id = ?", candidateID).Order("item_no").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("list answers: %w", err)
	}
	return as, nil
}

// AnswersOfSitting lists the stored answers of every candidate of a sitting.
func (s *Store) AnswersOfSitting(ctx context.Context, sittingID uint64) ([]ExamAnswer, error) {
	var as []ExamAnswer
	err := s.q(ctx).Table("exam_answers").Select("exam_answers.*").
		Joins("JOIN exam_candidates ON exam_candidates.id = exam_answers.candidate_id").
		Where("exam_candidates.sitting_id = ?", sittingID).Order("exam_answers.candidate_id, exam_answers.item_no").
		Scan(&as).Error
	if err != nil {
		return nil, fmt.Errorf("list answers of sitting: %w", err)
	}
	return as, nil
}

// SaveActivity is when a candidate last saved and how many answers they have stored.
type SaveActivity struct {
	CandidateID uint64
	Answers     int
	LastSeq     int64
	LastSave    time.Time
}

// ActivityOfSitting sums up every candidate's saves, for the control room, in one aggregate
// query (no write on the save path keeps it).
func (s *Store) ActivityOfSitting(ctx context.Context, sittingID uint64) (map[uint64]SaveActivity, error) {
	var rows []struct {
		CandidateID uint64
		Answers     int
		LastSeq     int64
		LastSave    sql.NullString // MAX() of a time: text on SQLite, a time (as RFC 3339) on MySQL
	}
	err := s.q(ctx).Table("exam_answers").
		Select("exam_answers.candidate_id AS candidate_id, COUNT(*) AS answers, MAX(exam_answers.seq) AS last_seq, MAX(exam_answers.saved_at) AS last_save").
		Joins("JOIN exam_candidates ON exam_candidates.id = exam_answers.candidate_id").
		Where("exam_candidates.sitting_id = ?", sittingID).Group("exam_answers.candidate_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("save activity: %w", err)
	}
	out := make(map[uint64]SaveActivity, len(rows))
	for _, r := range rows {
		act := SaveActivity{CandidateID: r.CandidateID, Answers: r.Answers, LastSeq: r.LastSeq}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999"} {
			if t, err := time.Parse(layout, r.LastSave.String); err == nil {
				act.LastSave = t.UTC()
				break
			}
		}
		out[r.CandidateID] = act
	}
	return out, nil
}

// ---- Marks, events, key fixes ----

// AddMark stores a hand mark; a second mark by the same marker, or a second mark of the same
// round, is ErrConflict.
func (s *Store) AddMark(ctx context.Context, m *ExamMark) error {
	if err := s.q(ctx).Create(m).Error; err != nil {
		if IsDuplicate(err) {
			return Conflict("already_marked", "该答案的这一评已有评分（或您已评过该答案）")
		}
		return fmt.Errorf("add mark: %w", err)
	}
	return nil
}

// MarksOfSitting lists every hand mark of a sitting.
func (s *Store) MarksOfSitting(ctx context.Context, sittingID uint64) ([]ExamMark, error) {
	var ms []ExamMark
	err := s.q(ctx).Table("exam_marks").Select("exam_marks.*").
		Joins("JOIN exam_candidates ON exam_candidates.id = exam_marks.candidate_id").
		Where("exam_candidates.sitting_id = ?", sittingID).Order("exam_marks.id").Scan(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("list marks: %w", err)
	}
	return ms, nil
}

// AddExamEvents appends invigilation evidence.
func (s *Store) AddExamEvents(ctx context.Context, es ...ExamEvent) error {
	if len(es) == 0 {
		return nil
	}
	if err := s.q(ctx).Create(&es).Error; err != nil {
		return fmt.Errorf("add exam events: %w", err)
	}
	return nil
}

// ExamEventsOf lists the evidence of some candidates, oldest first.
func (s *Store) ExamEventsOf(ctx context.Context, candidateIDs []uint64) ([]ExamEvent, error) {
	if len(candidateIDs) == 0 {
		return nil, nil
	}
	var es []ExamEvent
	if err := s.q(ctx).Where("candidate_id IN ?", candidateIDs).Order("id").Find(&es).Error; err != nil {
		return nil, fmt.Errorf("list exam events: %w", err)
	}
	return es, nil
}

// ExamEventCount is how many events of one kind a candidate has.
type ExamEventCount struct {
	CandidateID uint64
	Kind        string
	N           int
}

// ExamEventCounts counts the evidence of some candidates by kind, in the database: the control
// room refreshes every few seconds and needs the counts, not the rows.
func (s *Store) ExamEventCounts(ctx context.Context, candidateIDs []uint64) ([]ExamEventCount, error) {
	var out []ExamEventCount
	for start := 0; start < len(candidateIDs); start += 1000 {
		chunk := candidateIDs[start:min(start+1000, len(candidateIDs))]
		var part []ExamEventCount
		if err := s.q(ctx).Model(&ExamEvent{}).Select("candidate_id, kind, COUNT(*) AS n").
			Where("candidate_id IN ?", chunk).Group("candidate_id, kind").Scan(&part).Error; err != nil {
			return nil, fmt.Errorf("count exam events: %w", err)
		}
		out = append(out, part...)
	}
	return out, nil
}

// CountExamEvents is how many events one candidate has recorded.
func (s *Store) CountExamEvents(ctx context.Context, candidateID uint64) (int, error) {
	var n int64
	if err := s.q(ctx).Model(&ExamEvent{}).Where("candidate_id = ?", candidateID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count exam events: %w", err)
	}
	return int(n), nil
}

// PutKeyFix stores (or replaces) a sitting's correction of one version's key.
func (s *Store) PutKeyFix(ctx context.Context, f *KeyFix) error {
	err := s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "sitting_id"}, {Name: "version_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"key", "reason", "by", "at"}),
	}).Create(f).Error
	if err != nil {
		return fmt.Errorf("put key fix: %w", err)
	}
	return nil
}

// KeyFixesOf lists a sitting's key corrections.
func (s *Store) KeyFixesOf(ctx context.Context, sittingID uint64) ([]KeyFix, error) {
	var fs []KeyFix
	if err := s.q(ctx).Where("sitting_id = ?", sittingID).Order("id").Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("list key fixes: %w", err)
	}
	return fs, nil
}

// CandidateMeta loads a candidate without the sealed paper and the result: the attempt's state.
func (s *Store) CandidateMeta(ctx context.Context, id uint64) (*ExamCandidate, error) {
	if !ValidID(id) {
		return nil, NotFound("考试")
	}
	var c ExamCandidate
	if err := s.q(ctx).Omit("paper", "result").Take(&c, id).Error; err != nil {
		return nil, notFound(err, "考试")
	}
	return &c, nil
}

// MarksOfCandidate lists a candidate's hand marks.
func (s *Store) MarksOfCandidate(ctx context.Context, candidateID uint64) ([]ExamMark, error) {
	var ms []ExamMark
	if err := s.q(ctx).Where("candidate_id = ?", candidateID).Order("id").Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("list marks: %w", err)
	}
	return ms, nil
}

// CountOpenCandidacies counts the places of these applications in sittings whose results are
// still to be published.
func (s *Store) CountOpenCandidacies(ctx context.Context, appIDs []uint64) (int64, error) {
	if len(appIDs) == 0 {
		return 0, nil
	}
	var n int64
	err := s.q(ctx).Table("exam_candidates").Joins("JOIN sittings ON sittings.id = exam_candidates.sitting_id").
		Where("exam_candidates.application_id IN ? AND sittings.status = ?", appIDs, SittingScheduled).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count open candidacies: %w", err)
	}
	return n, nil
}

// CandidateByTicket loads a candidate, without the sealed paper and the result, by the number
// printed on their admission ticket.
func (s *Store) CandidateByTicket(ctx context.Context, ticketNo string) (*ExamCandidate, error) {
	var c ExamCandidate
	if err := s.q(ctx).Omit("paper", "result").Where("ticket_no = ?", ticketNo).Take(&c).Error; err != nil {
		return nil, notFound(err, "准考证")
	}
	return &c, nil
}

// ClaimMark gives marker the hold on an answer until until, if nobody else holds it now; it
// reports whether marker holds it.
func (s *Store) ClaimMark(ctx context.Context, candidateID uint64, itemNo int, marker uint64, now, until time.Time) (bool, error) {
	err := s.q(ctx).Create(&MarkClaim{CandidateID: candidateID, ItemNo: itemNo, MarkerID: marker, Until: until}).Error
	if err == nil {
		return true, nil
	}
	if !IsDuplicate(err) {
		return false, fmt.Errorf("claim answer: %w", err)
	}
	res := s.q(ctx).Model(&MarkClaim{}).Where("candidate_id = ? AND item_no = ? AND (marker_id = ? OR until < ?)", candidateID, itemNo, marker, now).
		Updates(map[string]any{"marker_id": marker, "until": until})
	if res.Error != nil {
		return false, fmt.Errorf("claim answer: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReleaseMark ends a hold on an answer (it has been marked).
func (s *Store) ReleaseMark(ctx context.Context, candidateID uint64, itemNo int) error {
	if err := s.q(ctx).Where("candidate_id = ? AND item_no = ?", candidateID, itemNo).Delete(&MarkClaim{}).Error; err != nil {
		return fmt.Errorf("release answer: %w", err)
	}
	return nil
}
