package exams

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/screening"
)

// MultiPolicy says how a multiple-choice question is scored.
type MultiPolicy string

// Multiple-choice policies. With both, choosing any wrong option scores 0 and
// choosing exactly the correct options scores the full points.
const (
	// AllOrNothing: anything but exactly the correct set scores 0. The empty
	// policy means AllOrNothing.
	AllOrNothing MultiPolicy = "all_or_nothing"
	// Partial: choosing only correct options but not all of them scores
	// floor(points × chosen / correct) in hundredths (e.g. 3.00 points, 2 of 3
	// correct options chosen → 2.00; 2.00 points, 1 of 3 → 0.66).
	Partial MultiPolicy = "partial"
)

// Label is the Chinese description shown to trainers and candidates.
func (m MultiPolicy) Label() string {
	if m == Partial {
		return "多选题全部选对得满分；少选且所选均正确的，按所选正确选项数占正确选项总数的比例得分；有错选不得分"
	}
	return "多选题须全部选对才得分，少选、错选均不得分"
}

// Cell is one line of a blueprint: Count questions of Category and Type at
// Difficulty (AnyDifficulty: any), each worth Points hundredths.
type Cell struct {
	Category   Category   `json:"category"`
	Type       Type       `json:"type"`
	Difficulty Difficulty `json:"difficulty"`
	Count      int        `json:"count"`
	Points     int64      `json:"points"`
}

// Label names the cell: "法律法规·单选题·难度中", "…·难度不限".
func (c Cell) Label() string { return Slot{c.Category, c.Type, c.Difficulty}.Label() }

// Subtotal is the points the cell contributes: Count × Points.
func (c Cell) Subtotal() int64 { return int64(c.Count) * c.Points }

// Blueprint is the recipe of an exam paper (组卷方案). Every candidate's paper
// follows it: the same cells, points, pass mark and time; only the draw of
// questions (where the bank has spares) and the orders differ.
//
// Cells may not repeat a category × type × difficulty. A cell of
// AnyDifficulty may sit beside cells of specific difficulties of the same
// category and type: the specific cells are filled first and the "any" cell
// draws from the questions they left (so "2 难 + 8 不限" means at least two
// hard ones).
type Blueprint struct {
	Title           string      `json:"title,omitempty"`
	Cells           []Cell      `json:"cells"`
	PassMark        int64       `json:"pass_mark"`        // hundredths; a total ≥ PassMark passes
	DurationMinutes int         `json:"duration_minutes"` // 5–240
	Multi           MultiPolicy `json:"multi,omitempty"`
	// ShuffleQuestions shuffles the questions within each section (a section is
	// one type; sections keep the order of Types()). Off: blueprint cell order.
	ShuffleQuestions bool `json:"shuffle_questions,omitempty"`
	// ShuffleOptions shuffles the options of choice questions (unless the
	// question has FixedOrder) and relabels them A, B, C… for display.
	ShuffleOptions bool `json:"shuffle_options,omitempty"`
	// ThirdMarkGap: a short answer whose two marks differ by more than this
	// (hundredths) needs a third mark (FinalMark). 0: any difference does.
	ThirdMarkGap int64 `json:"third_mark_gap,omitempty"`
}

// Blueprint limits.
const (
	MinDuration      = 5   // minutes
	MaxDuration      = 240 // minutes
	MaxCells         = 100
	MaxCellCount     = 200
	MaxPaperItems    = 300
	MaxQuestionScore = 10000 // 100.00 points for one question
)

// Total is the paper's full marks: the sum of the cells' subtotals.
func (b Blueprint) Total() int64 {
	var t int64
	for _, c := range b.Cells {
		t += c.Subtotal()
	}
	return t
}

// Count is the number of questions on a paper.
func (b Blueprint) Count() int {
	n := 0
	for _, c := range b.Cells {
		n += c.Count
	}
	return n
}

// Duration is DurationMinutes as a time.Duration.
func (b Blueprint) Duration() time.Duration { return time.Duration(b.DurationMinutes) * time.Minute }

// BlueprintError lists every problem Validate found, in Chinese.
type BlueprintError struct {
	Problems []string
}

func (e *BlueprintError) Error() string {
	return "组卷方案有误：" + strings.Join(e.Problems, "；") + "。"
}

// Validate checks the blueprint on its own (CheckBank checks it against a
// bank): at least one and at most 100 cells; each cell with a valid category,
// type and difficulty (0–3), a count of 1–200 and points of 0.01–100.00; no
// two cells alike; at most 300 questions and 1000.00 points in all; a pass
// mark above 0 and not above the total; a duration of 5–240 minutes; a known
// multiple-choice policy; a third-mark gap not below 0.
func (b Blueprint) Validate() error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if n := utf8.RuneCountInString(b.Title); n > 100 {
		add("试卷名称不能超过 100 个字")
	}
	switch n := len(b.Cells); {
	case n == 0:
		add("请至少设置一个组卷条目")
	case n > MaxCells:
		add("组卷条目不能超过 %d 个，现有 %d 个", MaxCells, n)
	}
	seen := map[Slot]int{}
	for i, c := range b.Cells {
		name := fmt.Sprintf("第 %d 条（%s）", i+1, c.Label())
		for _, fe := range validateCategory(c.Category, FieldCategory, i) {
			add("%s：%s", name, fe.Message)
		}
		if !c.Type.Valid() {
			add("%s：题型 %q 不是单选题、多选题、判断题、填空题、简答题之一", name, string(c.Type))
		}
		if c.Difficulty != AnyDifficulty && !c.Difficulty.Valid() {
			add("%s：难度应为 0（不限）、1（易）、2（中）或 3（难）", name)
		}
		if c.Count < 1 || c.Count > MaxCellCount {
			add("%s：题数应在 1 至 %d 之间", name, MaxCellCount)
		}
		if c.Points < 1 || c.Points > MaxQuestionScore {
			add("%s：每题分值应在 0.01 至 %s 分之间", name, screening.FormatScore(MaxQuestionScore))
		}
		s := Slot{c.Category, c.Type, c.Difficulty}
		if j, dup := seen[s]; dup {
			add("%s与第 %d 条重复，请合并为一条", name, j+1)
		} else {
			seen[s] = i
		}
	}
	if n := b.Count(); n > MaxPaperItems {
		add("一份试卷最多 %d 题，现有 %d 题", MaxPaperItems, n)
	}
	total := b.Total()
	if total > screening.MaxScore {
		add("试卷总分 %s 分超过 %s 分", screening.FormatScore(total), screening.FormatScore(screening.MaxScore))
	}
	switch {
	case b.PassMark <= 0:
		add("请设置合格分数线")
	case b.PassMark > total:
		add("合格分数线 %s 分高于试卷总分 %s 分", screening.FormatScore(b.PassMark), screening.FormatScore(total))
	}
	if b.DurationMinutes < MinDuration || b.DurationMinutes > MaxDuration {
		add("考试时长应在 %d 至 %d 分钟之间", MinDuration, MaxDuration)
	}
	if b.Multi != "" && b.Multi != AllOrNothing && b.Multi != Partial {
		add("多选题计分方式 %q 不是“全对得分”或“少选得部分分”", string(b.Multi))
	}
	if b.ThirdMarkGap < 0 {
		add("第三评阈值不能为负数")
	}
	if len(p) > 0 {
		return &BlueprintError{Problems: p}
	}
	return nil
}

// BankQuestion is a bank question as the service holds it: its stable id, the
// id of the version (one per content Hash) and the content of that version.
type BankQuestion struct {
	QuestionID uint64 `json:"question_id"`
	VersionID  uint64 `json:"version_id"`
	Question
}

// Slot is a bank coordinate: category × type × difficulty.
type Slot struct {
	Category   Category
	Type       Type
	Difficulty Difficulty
}

// Label names the slot: "法律法规·单选题·难度中".
func (s Slot) Label() string {
	return string(s.Category) + "·" + s.Type.Label() + "·难度" + s.Difficulty.Label()
}

// Inventory counts a bank's questions per slot (always a specific
// difficulty). The service may fill it from a GROUP BY query.
type Inventory map[Slot]int

// InventoryOf counts the questions of a bank.
func InventoryOf(bank []BankQuestion) Inventory {
	inv := Inventory{}
	for _, q := range bank {
		inv[Slot{q.Category, q.Type, q.Difficulty}]++
	}
	return inv
}

// Shortage is one cell the bank cannot fill.
type Shortage struct {
	Cell int  `json:"cell"` // 0-based index into Blueprint.Cells
	Slot Slot `json:"slot"`
	Need int  `json:"need"` // the cell's count
	Have int  `json:"have"` // questions available to the cell
	// Reserved is, for an AnyDifficulty cell, the questions of the same
	// category and type already taken by the specific-difficulty cells.
	Reserved int `json:"reserved,omitempty"`
}

// Missing is Need − Have.
func (s Shortage) Missing() int { return s.Need - s.Have }

// Message is the Chinese sentence for the shortage, e.g.
// "法律法规·单选题·难度中：需要 10 题，题库只有 7 题，缺 3 题".
func (s Shortage) Message() string {
	if s.Reserved > 0 {
		return fmt.Sprintf("%s：需要 %d 题，题库除指定难度条目已用的 %d 题外只有 %d 题，缺 %d 题",
			s.Slot.Label(), s.Need, s.Reserved, s.Have, s.Missing())
	}
	return fmt.Sprintf("%s：需要 %d 题，题库只有 %d 题，缺 %d 题", s.Slot.Label(), s.Need, s.Have, s.Missing())
}

// ShortageError lists every cell the bank cannot fill, in cell order.
type ShortageError struct {
	Shortages []Shortage
}

func (e *ShortageError) Error() string {
	m := make([]string, len(e.Shortages))
	for i, s := range e.Shortages {
		m[i] = s.Message()
	}
	return "题库题量不足：" + strings.Join(m, "；") + "。"
}

// CheckBank reports whether inv can fill every cell of b, and if not returns
// a *ShortageError naming each short cell and by how many. Specific
// difficulties are allocated first; an AnyDifficulty cell counts what they
// leave of its category and type (a short specific cell uses all there is).
// It assumes b is valid.
func (b Blueprint) CheckBank(inv Inventory) error {
	// Questions of each category × type taken by specific-difficulty cells.
	reserved := map[Slot]int{} // key has Difficulty 0
	for _, c := range b.Cells {
		if c.Difficulty != AnyDifficulty {
			reserved[Slot{c.Category, c.Type, AnyDifficulty}] += min(c.Count, inv[Slot{c.Category, c.Type, c.Difficulty}])
		}
	}
	var short []Shortage
	for i, c := range b.Cells {
		s := Slot{c.Category, c.Type, c.Difficulty}
		var have, res int
		if c.Difficulty == AnyDifficulty {
			for _, d := range []Difficulty{Easy, Medium, Hard} {
				have += inv[Slot{c.Category, c.Type, d}]
			}
			res = reserved[s]
			have -= res
		} else {
			have = inv[s]
		}
		if have < c.Count {
			short = append(short, Shortage{Cell: i, Slot: s, Need: c.Count, Have: have, Reserved: res})
		}
	}
	if len(short) > 0 {
		return &ShortageError{Shortages: short}
	}
	return nil
}

// Categories returns the categories the blueprint uses, in first-use order.
func (b Blueprint) Categories() []Category {
	var out []Category
	for _, c := range b.Cells {
		if !slices.Contains(out, c.Category) {
			out = append(out, c.Category)
		}
	}
	return out
}
