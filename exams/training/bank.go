package training

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"auxportal/exams"
	"auxportal/models"
)

// QuestionView is a bank question as trainers see it: its current content, key included.
type QuestionView struct {
	ID              uint64         `json:"id"`
	VersionID       uint64         `json:"version_id"`
	Version         int            `json:"version"`
	Category        string         `json:"category"`
	Type            exams.Type     `json:"type"`
	TypeLabel       string         `json:"type_label"`
	Difficulty      int            `json:"difficulty"`
	DifficultyLabel string         `json:"difficulty_label"`
	Question        exams.Question `json:"question"`
	Archived        bool           `json:"archived"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

func viewOf(e models.BankEntry) (QuestionView, error) {
	var q exams.Question
	if err := json.Unmarshal([]byte(e.Version.Content), &q); err != nil {
		return QuestionView{}, fmt.Errorf("question %d version %d: %w", e.ID, e.Version.ID, err)
	}
	return QuestionView{ID: e.ID, VersionID: e.Version.ID, Version: e.Version.Version, Category: e.Category,
		Type: q.Type, TypeLabel: q.Type.Label(), Difficulty: e.Difficulty, DifficultyLabel: q.Difficulty.Label(),
		Question: q, Archived: e.Archived, UpdatedAt: e.UpdatedAt}, nil
}

// questionErr turns a question's problems into field errors ("options.1", "correct", …).
func questionErr(err error) error {
	var qe *exams.QuestionError
	if !errors.As(err, &qe) {
		return models.Invalid("invalid_question", "试题有误：%s", err.Error())
	}
	fe := models.FieldErrors{}
	for _, p := range qe.Problems {
		field := p.Field
		if p.Index >= 0 {
			field = fmt.Sprintf("%s.%d", p.Field, p.Index)
		}
		fe.Add(field, p.Message)
	}
	return fe.Err()
}

// checkQuestion tidies and validates a trainer's question.
func checkQuestion(in exams.Question) (exams.Question, error) {
	q := in.Tidy()
	if err := q.Validate(); err != nil {
		return q, questionErr(err)
	}
	return q, nil
}

// CreateQuestion adds a question to the bank. The same content twice is refused: a bank of
// duplicates would let one question fill two cells of a paper.
func (s *Service) CreateQuestion(ctx context.Context, actor models.Actor, in exams.Question) (*QuestionView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	q, err := checkQuestion(in)
	if err != nil {
		return nil, err
	}
	var row models.BankQuestion
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := s.addQuestion(ctx, tx, actor, q, &row); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "bank.question.create", "question", row.ID, nil, "",
			map[string]any{"category": q.Category, "type": q.Type})
	})
	if err != nil {
		return nil, err
	}
	return s.Question(ctx, actor, row.ID)
}

func (s *Service) addQuestion(ctx context.Context, tx *models.Store, actor models.Actor, q exams.Question, row *models.BankQuestion) error {
	hash := q.Hash()
	if dup, err := tx.LiveQuestionWithHash(ctx, hash); err != nil {
		return err
	} else if dup {
		return models.Conflict("duplicate_question", "题库中已有内容完全相同的试题")
	}
	now := s.clock.Now()
	*row = models.BankQuestion{Category: string(q.Category), Type: string(q.Type), Difficulty: int(q.Difficulty),
		CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	v := &models.QuestionVersion{Hash: hash, Content: mustJSON(q), CreatedBy: actor.UserID, CreatedAt: now}
	return tx.CreateBankQuestion(ctx, row, v)
}

// UpdateQuestion edits a question: a new version becomes current; papers already made keep the
// version they were made from (their snapshot is sealed).
func (s *Service) UpdateQuestion(ctx context.Context, actor models.Actor, id uint64, in exams.Question) (*QuestionView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	q, err := checkQuestion(in)
	if err != nil {
		return nil, err
	}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		row, err := tx.BankQuestionByID(ctx, id)
		if err != nil {
			return err
		}
		cur, err := tx.QuestionVersionByID(ctx, row.CurrentVersionID)
		if err != nil {
			return err
		}
		hash := q.Hash()
		if cur.Hash == hash {
			return nil // nothing changed
		}
		if dup, err := tx.LiveQuestionWithHash(ctx, hash); err != nil {
			return err
		} else if dup {
			return models.Conflict("duplicate_question", "题库中已有内容完全相同的试题")
		}
		row.Category, row.Type, row.Difficulty = string(q.Category), string(q.Type), int(q.Difficulty)
		v := &models.QuestionVersion{Hash: hash, Content: mustJSON(q), CreatedBy: actor.UserID, CreatedAt: s.clock.Now()}
		if err := tx.AddQuestionVersion(ctx, row, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "bank.question.update", "question", id, nil, "",
			map[string]any{"old_version": cur.Version, "new_version": v.Version})
	})
	if err != nil {
		return nil, err
	}
	return s.Question(ctx, actor, id)
}

// ArchiveQuestion takes a question out of (or back into) the draw; papers made keep it.
func (s *Service) ArchiveQuestion(ctx context.Context, actor models.Actor, id uint64, archived bool) (*QuestionView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	err := s.store.WithTx(ctx, func(tx *models.Store) error {
		if err := tx.SetQuestionArchived(ctx, id, archived, s.clock.Now()); err != nil {
			return err
		}
		action := "bank.question.archive"
		if !archived {
			action = "bank.question.restore"
		}
		return s.audit(ctx, tx, actor, action, "question", id, nil, "", map[string]any{})
	})
	if err != nil {
		return nil, err
	}
	return s.Question(ctx, actor, id)
}

// Question shows one question to a trainer.
func (s *Service) Question(ctx context.Context, actor models.Actor, id uint64) (*QuestionView, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	row, err := s.store.BankQuestionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.store.QuestionVersionByID(ctx, row.CurrentVersionID)
	if err != nil {
		return nil, err
	}
	qv, err := viewOf(models.BankEntry{BankQuestion: *row, Version: *v})
	return &qv, err
}

// BankPage is one page of the bank with its filter and the counts per slot.
type BankPage struct {
	Questions []QuestionView    `json:"questions"`
	Total     int64             `json:"total"`
	Offset    int               `json:"offset"`
	Limit     int               `json:"limit"`
	Filter    models.BankFilter `json:"-"`
	Counts    []SlotCount       `json:"counts"` // live questions per category × type × difficulty
}

// SlotCount is how many live questions a slot of the bank holds.
type SlotCount struct {
	Category   string     `json:"category"`
	Type       exams.Type `json:"type"`
	Difficulty int        `json:"difficulty"`
	N          int        `json:"n"`
}

// Bank lists the bank for a trainer.
func (s *Service) Bank(ctx context.Context, actor models.Actor, f models.BankFilter) (*BankPage, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, total, err := s.store.ListBank(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &BankPage{Total: total, Offset: f.Offset, Limit: f.Limit, Filter: f, Questions: []QuestionView{}}
	for _, r := range rows {
		v, err := viewOf(r)
		if err != nil {
			return nil, err
		}
		p.Questions = append(p.Questions, v)
	}
	inv, err := s.inventory(ctx)
	if err != nil {
		return nil, err
	}
	for slot, n := range inv {
		p.Counts = append(p.Counts, SlotCount{Category: string(slot.Category), Type: slot.Type, Difficulty: int(slot.Difficulty), N: n})
	}
	sort.Slice(p.Counts, func(i, j int) bool {
		a, b := p.Counts[i], p.Counts[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		if a.Type != b.Type {
			return typeOrder(a.Type) < typeOrder(b.Type)
		}
		return a.Difficulty < b.Difficulty
	})
	return p, nil
}

func typeOrder(t exams.Type) int {
	for i, x := range exams.Types() {
		if x == t {
			return i
		}
	}
	return len(exams.Types())
}

// bank loads the live bank with each question's current version, as papers are drawn from.
func (s *Service) bank(ctx context.Context, st *models.Store) ([]exams.BankQuestion, error) {
	rows, err := st.CurrentBank(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]exams.BankQuestion, 0, len(rows))
	for _, r := range rows {
		var q exams.Question
		if err := json.Unmarshal([]byte(r.Version.Content), &q); err != nil {
			return nil, fmt.Errorf("question %d: %w", r.ID, err)
		}
		out = append(out, exams.BankQuestion{QuestionID: r.ID, VersionID: r.Version.ID, Question: q})
	}
	return out, nil
}

func (s *Service) inventory(ctx context.Context) (exams.Inventory, error) {
	b, err := s.bank(ctx, s.store)
	if err != nil {
		return nil, err
	}
	return exams.InventoryOf(b), nil
}

// ImportResult says what an import added.
type ImportResult struct {
	Added   int `json:"added"`
	Skipped int `json:"skipped"` // the same content is in the bank already
	Example int `json:"examples_skipped"`
}

// MaxImportBytes bounds an uploaded workbook.
const MaxImportBytes = 10 << 20

// ImportBank adds the questions of a workbook (the template's layout). It is all or nothing:
// any bad row is reported by row and column ("import_rejected", with one message per cell) and
// nothing of the file is imported; questions already in the bank are skipped, so importing an
// export again adds nothing.
func (s *Service) ImportBank(ctx context.Context, actor models.Actor, r io.Reader) (*ImportResult, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read workbook: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, models.Invalid("too_large", "题库文件不能超过 10MB")
	}
	im, err := exams.ImportXLSX(bytes.NewReader(data))
	if err != nil {
		var ie *exams.ImportError
		if errors.As(err, &ie) {
			e := models.Invalid("import_rejected", "题库文件有 %d 处错误，未导入任何试题，请修改后重新上传", len(ie.Problems))
			e.Fields = map[string]string{}
			for _, p := range ie.Problems {
				e.Fields[fmt.Sprintf("%s%d", p.Col, p.Row)] = p.String()
			}
			return nil, e
		}
		return nil, models.Invalid("not_a_workbook", "无法读取该文件，请上传按模板填写的 .xlsx 文件")
	}
	res := &ImportResult{Example: im.Skipped}
	err = s.store.WithTx(ctx, func(tx *models.Store) error {
		for _, q := range im.Questions {
			var row models.BankQuestion
			err := s.addQuestion(ctx, tx, actor, q, &row)
			if e, ok := models.AsError(err); ok && e.Code == "duplicate_question" {
				res.Skipped++
				continue
			}
			if err != nil {
				return err
			}
			res.Added++
		}
		return s.audit(ctx, tx, actor, "bank.import", "question", 0, nil, "",
			map[string]any{"added": res.Added, "skipped": res.Skipped})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ExportBank writes the live bank as a workbook in the import layout.
func (s *Service) ExportBank(ctx context.Context, actor models.Actor, w io.Writer) error {
	if !canRun(actor) {
		return denyRun(actor)
	}
	b, err := s.bank(ctx, s.store)
	if err != nil {
		return err
	}
	qs := make([]exams.Question, len(b))
	for i, q := range b {
		qs[i] = q.Question
	}
	return exams.ExportXLSX(w, qs)
}

// BankTemplate writes the empty import template.
func (s *Service) BankTemplate(actor models.Actor, w io.Writer) error {
	if !canRun(actor) {
		return denyRun(actor)
	}
	return exams.TemplateXLSX(w)
}

// Categories are the categories a trainer may pick: the defaults of rule T-4 and any the bank
// uses already.
func (s *Service) Categories(ctx context.Context, actor models.Actor) ([]string, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	out := []string{}
	seen := map[string]bool{}
	for _, c := range exams.DefaultCategories() {
		out, seen[string(c)] = append(out, string(c)), true
	}
	inv, err := s.inventory(ctx)
	if err != nil {
		return nil, err
	}
	var extra []string
	for slot := range inv {
		if c := string(slot.Category); !seen[c] {
			seen[c] = true
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	return append(out, extra...), nil
}
