package exams

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Category is a question category: a name a trainer chooses. The defaults are
// the four subjects of rule T-4 (DefaultCategories); any other non-empty name
// of at most MaxCategoryLen characters is allowed.
type Category string

// The four default categories of rule T-4: 法律知识、业务技能、纪律作风、职业道德.
const (
	Law        Category = "法律法规"
	Skills     Category = "业务技能"
	Discipline Category = "纪律作风"
	Ethics     Category = "职业道德"
)

// MaxCategoryLen is the longest category name, in characters.
const MaxCategoryLen = 20

// DefaultCategories returns the four categories of rule T-4 in their usual order.
func DefaultCategories() []Category { return []Category{Law, Skills, Discipline, Ethics} }

// Type is a question type. The section order of a paper is the order of Types().
type Type string

// The five question types.
const (
	Single    Type = "single"    // 单选题: one correct option of 2–8
	Multiple  Type = "multiple"  // 多选题: two or more correct options of 3–8
	TrueFalse Type = "truefalse" // 判断题: a statement that is true or false
	Fill      Type = "fill"      // 填空题: one or more blanks, each with accepted answers
	Short     Type = "short"     // 简答题: marked by hand against a reference answer and rubric
)

// Types returns the five types in paper section order.
func Types() []Type { return []Type{Single, Multiple, TrueFalse, Fill, Short} }

// Valid reports whether t is one of the five types.
func (t Type) Valid() bool { return slices.Contains(Types(), t) }

// Label is the Chinese name of the type, e.g. "单选题".
func (t Type) Label() string {
	switch t {
	case Single:
		return "单选题"
	case Multiple:
		return "多选题"
	case TrueFalse:
		return "判断题"
	case Fill:
		return "填空题"
	case Short:
		return "简答题"
	}
	return string(t)
}

// Auto reports whether questions of type t are graded automatically (all but Short).
func (t Type) Auto() bool { return t.Valid() && t != Short }

// Choice reports whether t has options (Single, Multiple).
func (t Type) Choice() bool { return t == Single || t == Multiple }

// ParseType reads a type from its code ("single") or Chinese name, with or
// without 题 ("单选题", "单选"), full-width and surrounding spaces tolerated.
func ParseType(s string) (Type, bool) {
	s = strings.TrimSpace(width.Fold.String(s))
	for _, t := range Types() {
		l := t.Label()
		if s == string(t) || s == l || s == strings.TrimSuffix(l, "题") {
			return t, true
		}
	}
	return "", false
}

// Difficulty is a question's difficulty, 1 易 to 3 难. In a blueprint cell,
// AnyDifficulty (0) means "any difficulty".
type Difficulty int

// Difficulties.
const (
	AnyDifficulty Difficulty = 0 // blueprint cells only: 不限
	Easy          Difficulty = 1 // 易
	Medium        Difficulty = 2 // 中
	Hard          Difficulty = 3 // 难
)

// Valid reports whether d is a question difficulty (1–3; 0 is not).
func (d Difficulty) Valid() bool { return d >= Easy && d <= Hard }

// Label is the Chinese name: 易, 中, 难, or 不限 for AnyDifficulty.
func (d Difficulty) Label() string {
	switch d {
	case AnyDifficulty:
		return "不限"
	case Easy:
		return "易"
	case Medium:
		return "中"
	case Hard:
		return "难"
	}
	return fmt.Sprint(int(d))
}

// ParseDifficulty reads 1/2/3, 易/中/难 or 简单/中等/困难 (and 容易/较难).
func ParseDifficulty(s string) (Difficulty, bool) {
	switch strings.TrimSpace(width.Fold.String(s)) {
	case "1", "易", "简单", "容易":
		return Easy, true
	case "2", "中", "中等", "一般":
		return Medium, true
	case "3", "难", "困难", "较难":
		return Hard, true
	}
	return 0, false
}

// Option is one option of a choice question. Keys are "A", "B", … in order.
type Option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Blank is one blank of a fill-in question: the answers accepted for it,
// compared after NormalizeFill.
type Blank struct {
	Accepted []string `json:"accepted,omitempty"`
}

// Question is one question of a bank. Which fields are used depends on Type:
//
//	Single, Multiple   Options, Correct (option keys), FixedOrder
//	TrueFalse          Truth
//	Fill               Blanks (one per blank marker in Stem)
//	Short              Reference (required), Rubric (optional)
//
// Explanation (解析) is optional for every type. Fields that do not belong to
// the type must be empty. Call Tidy before Validate on trainer input.
type Question struct {
	Category    Category   `json:"category"`
	Type        Type       `json:"type"`
	Difficulty  Difficulty `json:"difficulty"`
	Stem        string     `json:"stem"`
	Options     []Option   `json:"options,omitempty"`
	Correct     []string   `json:"correct,omitempty"`
	FixedOrder  bool       `json:"fixed_order,omitempty"` // choice: never shuffle the options (e.g. "以上都是")
	Truth       *bool      `json:"truth,omitempty"`
	Blanks      []Blank    `json:"blanks,omitempty"`
	Reference   string     `json:"reference,omitempty"`
	Rubric      string     `json:"rubric,omitempty"`
	Explanation string     `json:"explanation,omitempty"`
}

// Limits on question content, in characters.
const (
	MaxStemLen     = 2000 // stem, reference answer, rubric, explanation
	MaxOptionLen   = 500
	MaxAcceptedLen = 100
	MaxBlanks      = 10 // blanks per fill-in question
	MaxAccepted    = 10 // accepted answers per blank
	MinOptions     = 2  // single choice; multiple choice needs 3
	MaxOptions     = 8
)

// Field names used in FieldError.Field, one per Question field.
const (
	FieldCategory    = "category"
	FieldType        = "type"
	FieldDifficulty  = "difficulty"
	FieldStem        = "stem"
	FieldOptions     = "options"
	FieldCorrect     = "correct"
	FieldFixedOrder  = "fixed_order"
	FieldTruth       = "truth"
	FieldBlanks      = "blanks"
	FieldReference   = "reference"
	FieldRubric      = "rubric"
	FieldExplanation = "explanation"
)

// FieldError is one problem with one field of a question. Index is the
// 0-based option (FieldOptions) or blank (FieldBlanks) the problem is about,
// or -1 when it is about the field as a whole.
type FieldError struct {
	Field   string `json:"field"`
	Index   int    `json:"index"`
	Message string `json:"message"`
}

// QuestionError lists every problem Validate found. Error() joins them.
type QuestionError struct {
	Problems []FieldError
}

func (e *QuestionError) Error() string {
	m := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		m[i] = p.Message
	}
	return "试题有误：" + strings.Join(m, "；") + "。"
}

// OptionKey returns the key of the i-th option (0 → "A").
func OptionKey(i int) string { return string(rune('A' + i)) }

// BlankMarker is how a blank is written in a fill-in stem: a run of at least
// three underscores, half-width "_" or full-width "＿" (mixed is fine).
const BlankMarker = "____"

// CountBlanks returns the number of blank markers in stem.
func CountBlanks(stem string) int { return len(SplitStem(stem)) - 1 }

// SplitStem splits a fill-in stem at its blank markers: n markers give n+1
// pieces of text (possibly empty), so a page can put an input between pieces.
func SplitStem(stem string) []string {
	var parts []string
	var cur strings.Builder
	run := 0 // underscores seen in the current run
	var runText strings.Builder
	flush := func() {
		if run >= 3 {
			parts = append(parts, cur.String())
			cur.Reset()
		} else {
			cur.WriteString(runText.String())
		}
		run = 0
		runText.Reset()
	}
	for _, r := range stem {
		if r == '_' || r == '＿' {
			run++
			runText.WriteRune(r)
			continue
		}
		flush()
		cur.WriteRune(r)
	}
	flush()
	return append(parts, cur.String())
}

// Tidy returns q cleaned of what trainers type by accident: surrounding
// spaces trimmed from every text, line ends made "\n", option keys and
// correct keys folded to half-width upper case, correct keys sorted and
// de-duplicated, empty accepted answers dropped. It never changes meaning.
func (q Question) Tidy() Question {
	t := q
	t.Category = Category(strings.TrimSpace(string(q.Category)))
	t.Stem = tidyText(q.Stem)
	t.Reference = tidyText(q.Reference)
	t.Rubric = tidyText(q.Rubric)
	t.Explanation = tidyText(q.Explanation)
	if q.Options != nil {
		t.Options = make([]Option, len(q.Options))
		for i, o := range q.Options {
			t.Options[i] = Option{Key: tidyKey(o.Key), Text: tidyText(o.Text)}
		}
	}
	if q.Correct != nil {
		t.Correct = tidyKeys(q.Correct)
	}
	if q.Truth != nil {
		v := *q.Truth
		t.Truth = &v
	}
	if q.Blanks != nil {
		t.Blanks = make([]Blank, len(q.Blanks))
		for i, b := range q.Blanks {
			var acc []string
			for _, a := range b.Accepted {
				if a = tidyText(a); a != "" {
					acc = append(acc, a)
				}
			}
			t.Blanks[i] = Blank{Accepted: acc}
		}
	}
	return t
}

func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

func tidyKey(k string) string { return strings.ToUpper(strings.TrimSpace(width.Fold.String(k))) }

func tidyKeys(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k = tidyKey(k); k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Validate checks q and returns a *QuestionError listing every problem, each
// with its field and a Chinese message, or nil.
//
//   - category: 1–20 characters; type: one of the five; difficulty: 1–3;
//     stem: required, at most 2000 characters.
//   - Single: 2–8 options keyed A, B, … in order, none empty, no two alike
//     (after NormalizeFill), exactly one correct key.
//   - Multiple: 3–8 options likewise, at least two correct keys.
//   - TrueFalse: Truth set.
//   - Fill: as many Blanks as blank markers in the stem (at least one, at most
//     10); each blank has 1–10 accepted answers, none empty after
//     NormalizeFill and none containing ";" "；" "|" "｜" (the workbook's
//     separators).
//   - Short: a reference answer; the rubric is optional.
//   - Fields of other types must be empty.
func (q Question) Validate() error {
	var p []FieldError
	add := func(field string, index int, format string, args ...any) {
		p = append(p, FieldError{Field: field, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	p = append(p, validateCategory(q.Category, FieldCategory, -1)...)
	if !q.Type.Valid() {
		add(FieldType, -1, "题型 %q 不是单选题、多选题、判断题、填空题、简答题之一", string(q.Type))
	}
	if !q.Difficulty.Valid() {
		add(FieldDifficulty, -1, "难度应为 1（易）、2（中）或 3（难）")
	}
	switch n := utf8.RuneCountInString(q.Stem); {
	case strings.TrimSpace(q.Stem) == "":
		add(FieldStem, -1, "请填写题干")
	case n > MaxStemLen:
		add(FieldStem, -1, "题干不能超过 %d 个字，现有 %d 个字", MaxStemLen, n)
	}
	for _, f := range []struct {
		field, label, text string
	}{{FieldReference, "参考答案", q.Reference}, {FieldRubric, "评分要点", q.Rubric}, {FieldExplanation, "解析", q.Explanation}} {
		if n := utf8.RuneCountInString(f.text); n > MaxStemLen {
			add(f.field, -1, "%s不能超过 %d 个字，现有 %d 个字", f.label, MaxStemLen, n)
		}
	}
	label := q.Type.Label()
	if !q.Type.Choice() {
		if len(q.Options) > 0 {
			add(FieldOptions, -1, "%s不需要选项", label)
		}
		if len(q.Correct) > 0 {
			add(FieldCorrect, -1, "%s不使用选项字母作答案", label)
		}
		if q.FixedOrder {
			add(FieldFixedOrder, -1, "只有选择题可以固定选项顺序")
		}
	}
	if q.Type != TrueFalse && q.Truth != nil {
		add(FieldTruth, -1, "只有判断题有“对/错”答案")
	}
	if q.Type != Fill && len(q.Blanks) > 0 {
		add(FieldBlanks, -1, "只有填空题有填空答案")
	}
	if q.Type != Short {
		if q.Reference != "" {
			add(FieldReference, -1, "只有简答题有参考答案")
		}
		if q.Rubric != "" {
			add(FieldRubric, -1, "只有简答题有评分要点")
		}
	}
	switch q.Type {
	case Single, Multiple:
		p = append(p, validateChoice(q)...)
	case TrueFalse:
		if q.Truth == nil {
			add(FieldTruth, -1, "判断题请给出正确答案（对或错）")
		}
	case Fill:
		p = append(p, validateBlanks(q.Stem, q.Blanks)...)
	case Short:
		if strings.TrimSpace(q.Reference) == "" {
			add(FieldReference, -1, "简答题请填写参考答案")
		}
	}
	if len(p) > 0 {
		return &QuestionError{Problems: p}
	}
	return nil
}

func validateCategory(c Category, field string, index int) []FieldError {
	s := string(c)
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		return []FieldError{{field, index, "请填写分类"}}
	case n > MaxCategoryLen:
		return []FieldError{{field, index, fmt.Sprintf("分类名称不能超过 %d 个字", MaxCategoryLen)}}
	case strings.TrimSpace(s) != s:
		return []FieldError{{field, index, "分类名称首尾不能有空格"}}
	case strings.ContainsAny(s, "\n\t·"):
		return []FieldError{{field, index, "分类名称不能含有换行、制表符或“·”"}}
	}
	return nil
}

func validateChoice(q Question) []FieldError {
	var p []FieldError
	add := func(field string, index int, format string, args ...any) {
		p = append(p, FieldError{Field: field, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	label := q.Type.Label()
	minOpt := MinOptions
	if q.Type == Multiple {
		minOpt = 3
	}
	if n := len(q.Options); n < minOpt || n > MaxOptions {
		add(FieldOptions, -1, "%s需要 %d 至 %d 个选项，现有 %d 个", label, minOpt, MaxOptions, n)
	}
	keys := map[string]bool{}
	seen := map[string]string{} // normalised text → key
	for i, o := range q.Options {
		if i < MaxOptions && o.Key != OptionKey(i) {
			add(FieldOptions, i, "第 %d 个选项的标号应为 %s，而不是 %q", i+1, OptionKey(i), o.Key)
		}
		keys[o.Key] = true
		name := o.Key
		if name == "" {
			name = OptionKey(i)
		}
		switch n := utf8.RuneCountInString(o.Text); {
		case strings.TrimSpace(o.Text) == "":
			add(FieldOptions, i, "选项 %s 内容为空", name)
			continue
		case n > MaxOptionLen:
			add(FieldOptions, i, "选项 %s 不能超过 %d 个字", name, MaxOptionLen)
		}
		norm := NormalizeFill(o.Text)
		if prev, dup := seen[norm]; dup {
			add(FieldOptions, i, "选项 %s 与选项 %s 内容相同", name, prev)
		} else {
			seen[norm] = name
		}
	}
	dup := map[string]bool{}
	for _, k := range q.Correct {
		if dup[k] {
			add(FieldCorrect, -1, "正确答案 %s 重复", k)
		}
		dup[k] = true
		if !keys[k] {
			add(FieldCorrect, -1, "正确答案 %s 不是已有的选项", k)
		}
	}
	switch n := len(q.Correct); {
	case n == 0:
		add(FieldCorrect, -1, "请给出正确答案（选项字母）")
	case q.Type == Single && n > 1:
		add(FieldCorrect, -1, "单选题只能有一个正确答案")
	case q.Type == Multiple && n < 2:
		add(FieldCorrect, -1, "多选题至少要有两个正确答案")
	}
	return p
}

func validateBlanks(stem string, blanks []Blank) []FieldError {
	var p []FieldError
	add := func(index int, format string, args ...any) {
		p = append(p, FieldError{Field: FieldBlanks, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	n := CountBlanks(stem)
	switch {
	case n == 0:
		p = append(p, FieldError{Field: FieldStem, Index: -1,
			Message: "填空题的题干中没有空（用至少三个下划线 ____ 表示一个空）"})
	case n > MaxBlanks:
		p = append(p, FieldError{Field: FieldStem, Index: -1,
			Message: fmt.Sprintf("填空题最多 %d 个空，题干中有 %d 个", MaxBlanks, n)})
	}
	if n > 0 && len(blanks) != n {
		add(-1, "题干中有 %d 个空，答案给出了 %d 个空", n, len(blanks))
	}
	for i, b := range blanks {
		if len(b.Accepted) == 0 {
			add(i, "第 %d 空没有可接受的答案", i+1)
			continue
		}
		if len(b.Accepted) > MaxAccepted {
			add(i, "第 %d 空最多 %d 个可接受的答案", i+1, MaxAccepted)
		}
		for _, a := range b.Accepted {
			switch {
			case NormalizeFill(a) == "":
				add(i, "第 %d 空有空白的答案", i+1)
			case strings.ContainsAny(a, ";；|｜"):
				add(i, "第 %d 空的答案 %q 不能含有 ; ； | ｜", i+1, a)
			case utf8.RuneCountInString(a) > MaxAcceptedLen:
				add(i, "第 %d 空的答案不能超过 %d 个字", i+1, MaxAcceptedLen)
			}
		}
	}
	return p
}

// Hash is the SHA-256 (hex) of q's canonical JSON, prefixed by a format tag.
// Any edit — stem, an option, the key, the explanation, the category or the
// difficulty — changes it, so the service makes a new version when the hash
// changes and papers keep the version they were built from. Hash a Tidy
// question; nil and empty slices hash alike.
func (q Question) Hash() string {
	b, err := json.Marshal(q)
	if err != nil { // cannot happen: plain strings, ints and bools
		panic(err)
	}
	sum := sha256.Sum256(append([]byte("auxportal.exams.question.v1\n"), b...))
	return hex.EncodeToString(sum[:])
}

// Clone returns a deep copy of q.
func (q Question) Clone() Question {
	c := q
	c.Options = slices.Clone(q.Options)
	c.Correct = slices.Clone(q.Correct)
	if q.Truth != nil {
		v := *q.Truth
		c.Truth = &v
	}
	c.Blanks = cloneBlanks(q.Blanks)
	return c
}

func cloneBlanks(bs []Blank) []Blank {
	if bs == nil {
		return nil
	}
	out := make([]Blank, len(bs))
	for i, b := range bs {
		out[i] = Blank{Accepted: slices.Clone(b.Accepted)}
	}
	return out
}
