package exams

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"auxportal/screening"
)

// Answer is a candidate's answer to one item. Which field is used depends on
// the item's type: Choices (display keys, Single and Multiple), Truth
// (TrueFalse), Blanks (Fill, one string per blank in order), Text (Short).
type Answer struct {
	Choices []string `json:"choices,omitempty"`
	Truth   *bool    `json:"truth,omitempty"`
	Blanks  []string `json:"blanks,omitempty"`
	Text    string   `json:"text,omitempty"`
}

// Answers are a candidate's answers keyed by item number (Item.No).
type Answers map[int]Answer

// MaxTextLen is the longest short answer, and MaxBlankLen the longest blank
// answer, in characters.
const (
	MaxTextLen  = 5000
	MaxBlankLen = 200
)

// Canonical returns the stored form of the answer: choices folded to
// half-width upper case, sorted and de-duplicated; blanks trimmed, with
// trailing empty blanks dropped; text with "\n" line ends and trimmed. An
// answer with nothing in it becomes the zero Answer. The service stores
// canonical answers; save decisions and receipts compare canonical forms.
func (a Answer) Canonical() Answer {
	var c Answer
	if len(a.Choices) > 0 {
		c.Choices = tidyKeys(a.Choices)
		if len(c.Choices) == 0 {
			c.Choices = nil
		}
	}
	if a.Truth != nil {
		v := *a.Truth
		c.Truth = &v
	}
	for _, b := range a.Blanks {
		c.Blanks = append(c.Blanks, tidyText(b))
	}
	for len(c.Blanks) > 0 && c.Blanks[len(c.Blanks)-1] == "" {
		c.Blanks = c.Blanks[:len(c.Blanks)-1]
	}
	c.Text = tidyText(a.Text)
	return c
}

// Empty reports whether the answer says nothing (unanswered).
func (a Answer) Empty() bool {
	c := a.Canonical()
	return len(c.Choices) == 0 && c.Truth == nil && len(c.Blanks) == 0 && c.Text == ""
}

// Equal reports whether two answers have the same canonical form.
func (a Answer) Equal(b Answer) bool {
	x, y := a.Canonical(), b.Canonical()
	return slices.Equal(x.Choices, y.Choices) && slices.Equal(x.Blanks, y.Blanks) && x.Text == y.Text &&
		(x.Truth == nil) == (y.Truth == nil) && (x.Truth == nil || *x.Truth == *y.Truth)
}

// CheckAnswer checks that a is an answer the item can take, so the service
// can refuse a malformed save with a Chinese message: only the field of the
// item's type; choices among the displayed keys (one for Single); no more
// blanks than the item has; lengths within MaxBlankLen and MaxTextLen.
func (it Item) CheckAnswer(a Answer) error {
	c := a.Canonical()
	bad := func(format string, args ...any) error {
		return fmt.Errorf("第 %d 题：%s", it.No, fmt.Sprintf(format, args...))
	}
	if len(c.Choices) > 0 && !it.Type.Choice() ||
		c.Truth != nil && it.Type != TrueFalse ||
		len(c.Blanks) > 0 && it.Type != Fill ||
		c.Text != "" && it.Type != Short {
		return bad("答案形式与题型（%s）不符", it.Type.Label())
	}
	for _, k := range c.Choices {
		if !slices.ContainsFunc(it.Options, func(o Option) bool { return o.Key == k }) {
			return bad("没有选项 %s", k)
		}
	}
	if it.Type == Single && len(c.Choices) > 1 {
		return bad("单选题只能选一个选项")
	}
	if len(c.Blanks) > len(it.Blanks) {
		return bad("本题只有 %d 个空", len(it.Blanks))
	}
	for i, b := range c.Blanks {
		if utf8.RuneCountInString(b) > MaxBlankLen {
			return bad("第 %d 空的答案不能超过 %d 个字", i+1, MaxBlankLen)
		}
		if hiddenRune(b, false) {
			return bad("第 %d 空的答案含有不可见的控制字符，请删除后重新填写", i+1)
		}
	}
	if utf8.RuneCountInString(c.Text) > MaxTextLen {
		return bad("答案不能超过 %d 个字", MaxTextLen)
	}
	if hiddenRune(c.Text, true) {
		return bad("答案含有不可见的控制字符，请删除后重新填写")
	}
	return nil
}

// hiddenRune reports text a marker would not see as written: invalid UTF-8, control characters
// (NUL and the like; line breaks and tabs only in a short answer) and the bidirectional
// overrides and isolates that make text read in another order than it is stored.
func hiddenRune(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.ContainsFunc(s, func(r rune) bool {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
			return false
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
			return true
		}
		return false
	})
}

// ItemStatus says where an item's grading stands.
type ItemStatus string

// Item statuses.
const (
	StatusAuto    ItemStatus = "auto"    // graded automatically
	StatusPending ItemStatus = "pending" // a short answer awaiting its final hand mark
	StatusMarked  ItemStatus = "marked"  // a short answer with its final hand mark
)

// ItemResult is the grading of one item.
type ItemResult struct {
	No         int        `json:"no"`
	QuestionID uint64     `json:"question_id"`
	VersionID  uint64     `json:"version_id"`
	Type       Type       `json:"type"`
	Points     int64      `json:"points"` // full marks
	Score      int64      `json:"score"`  // hundredths; 0 while pending
	Status     ItemStatus `json:"status"`
	Answered   bool       `json:"answered"`
	Blanks     []bool     `json:"blanks,omitempty"` // Fill: which blanks were right
}

// Outcome is a paper's result against its pass mark (rule T-3: a proposed
// hire who does not pass must not be hired).
type Outcome string

// Outcomes.
const (
	OutcomePending Outcome = "pending" // some short answer still has no final mark
	OutcomePass    Outcome = "pass"    // total ≥ pass mark
	OutcomeFail    Outcome = "fail"
)

// Label is the Chinese word: 待评阅, 合格, 不合格.
func (o Outcome) Label() string {
	switch o {
	case OutcomePass:
		return "合格"
	case OutcomeFail:
		return "不合格"
	}
	return "待评阅"
}

// Result is a graded paper.
type Result struct {
	Items    []ItemResult `json:"items"`
	Score    int64        `json:"score"` // the sum of item scores so far
	Max      int64        `json:"max"`
	PassMark int64        `json:"pass_mark"`
	Pending  int          `json:"pending"` // items awaiting hand marks
	Outcome  Outcome      `json:"outcome"`
}

// Passed reports whether the result is final and at or above the pass mark.
func (r Result) Passed() bool { return r.Outcome == OutcomePass }

// Grade grades a paper: every automatic item from answers, every short answer
// from hand (final marks by item number, e.g. from FinalMark). The outcome is
// pending until every short answer has a final mark, then pass if the total
// reaches the pass mark and fail otherwise — even when the automatic part
// alone already decides it, so a result is announced once, complete.
//
// Scoring (points in hundredths, shares rounded down):
//   - Single: the one correct key chosen alone → full points, else 0.
//   - Multiple: exactly the correct set → full points; any wrong option → 0;
//     only correct options but not all → floor(points × chosen / correct)
//     under Partial, 0 under AllOrNothing.
//   - TrueFalse: the right value → full points.
//   - Fill: blanks share the points equally: floor(points × right / blanks),
//     so all blanks right → exactly the points. A blank is right when
//     Blank.Matches its answer.
//   - Short: the hand mark, 0 ≤ mark ≤ points; missing → pending.
//
// A hand mark for an item that is not a short answer, or out of range, is an
// error; so is an answer for an item number not on the paper.
func Grade(p Paper, answers Answers, hand map[int]int64) (Result, error) {
	r := Result{PassMark: p.Blueprint.PassMark}
	items := p.Items()
	on := map[int]Item{}
	for _, it := range items {
		on[it.No] = it
	}
	for no := range answers {
		if _, ok := on[no]; !ok {
			return Result{}, fmt.Errorf("试卷上没有第 %d 题", no)
		}
	}
	for no, m := range hand {
		it, ok := on[no]
		switch {
		case !ok:
			return Result{}, fmt.Errorf("试卷上没有第 %d 题", no)
		case it.Type != Short:
			return Result{}, fmt.Errorf("第 %d 题是%s，自动评分，不能人工给分", no, it.Type.Label())
		case m < 0 || m > it.Points:
			return Result{}, fmt.Errorf("第 %d 题的得分 %s 超出 0 至 %s 分", no, screening.FormatScore(m), screening.FormatScore(it.Points))
		}
	}
	for _, it := range items {
		a := answers[it.No].Canonical()
		ir := ItemResult{No: it.No, QuestionID: it.QuestionID, VersionID: it.VersionID,
			Type: it.Type, Points: it.Points, Status: StatusAuto, Answered: !a.Empty()}
		switch it.Type {
		case Single:
			if len(a.Choices) == 1 && len(it.Correct) == 1 && a.Choices[0] == it.Correct[0] {
				ir.Score = it.Points
			}
		case Multiple:
			ir.Score = scoreMultiple(it, a.Choices, p.Blueprint.Multi)
		case TrueFalse:
			if a.Truth != nil && it.Truth != nil && *a.Truth == *it.Truth {
				ir.Score = it.Points
			}
		case Fill:
			right := 0
			ir.Blanks = make([]bool, len(it.Blanks))
			for i, b := range it.Blanks {
				if i < len(a.Blanks) && b.Matches(a.Blanks[i]) {
					ir.Blanks[i] = true
					right++
				}
			}
			if len(it.Blanks) > 0 {
				ir.Score = it.Points * int64(right) / int64(len(it.Blanks))
			}
		case Short:
			if m, ok := hand[it.No]; ok {
				ir.Score, ir.Status = m, StatusMarked
			} else {
				ir.Status = StatusPending
				r.Pending++
			}
		}
		r.Score += ir.Score
		r.Max += it.Points
		r.Items = append(r.Items, ir)
	}
	switch {
	case r.Pending > 0:
		r.Outcome = OutcomePending
	case r.Score >= r.PassMark:
		r.Outcome = OutcomePass
	default:
		r.Outcome = OutcomeFail
	}
	return r, nil
}

func scoreMultiple(it Item, chosen []string, policy MultiPolicy) int64 {
	if len(chosen) == 0 || len(it.Correct) == 0 {
		return 0
	}
	for _, k := range chosen {
		if !slices.Contains(it.Correct, k) {
			return 0 // any wrong option
		}
	}
	if len(chosen) == len(it.Correct) {
		return it.Points
	}
	if policy == Partial {
		return it.Points * int64(len(chosen)) / int64(len(it.Correct))
	}
	return 0
}

// Key is the answer key of a question in bank terms (option keys of the
// bank, not a paper's display keys): what a trainer corrects.
type Key struct {
	Correct []string `json:"correct,omitempty"` // Single, Multiple
	Truth   *bool    `json:"truth,omitempty"`   // TrueFalse
	Blanks  []Blank  `json:"blanks,omitempty"`  // Fill
}

// Key returns q's answer key.
func (q Question) Key() Key {
	c := q.Clone()
	return Key{Correct: c.Correct, Truth: c.Truth, Blanks: c.Blanks}
}

// WithKey returns q with its key replaced by k (tidied), validated. The
// service uses it to make the corrected version of a question.
func (q Question) WithKey(k Key) (Question, error) {
	c := q.Clone()
	c.Correct, c.Truth, c.Blanks = slices.Clone(k.Correct), nil, cloneBlanks(k.Blanks)
	if k.Truth != nil {
		v := *k.Truth
		c.Truth = &v
	}
	c = c.Tidy()
	return c, c.Validate()
}

// ApplyKeys returns a copy of the paper with corrected keys (by VersionID,
// in bank keys) put on the items built from those versions; versions not on
// the paper are ignored, so one set of corrections serves every paper of a
// sitting. A correction must fit the item: Single exactly one of its keys,
// Multiple two or more, TrueFalse a value, Fill one non-empty blank per blank;
// short answers have no key.
func ApplyKeys(p Paper, fixes map[uint64]Key) (Paper, error) {
	out := p
	out.Blueprint = cloneBlueprint(p.Blueprint)
	out.Sections = make([]Section, len(p.Sections))
	for si, s := range p.Sections {
		out.Sections[si] = Section{Type: s.Type, Title: s.Title, Items: slices.Clone(s.Items)}
		for ii := range out.Sections[si].Items {
			it := &out.Sections[si].Items[ii]
			k, ok := fixes[it.VersionID]
			if !ok {
				continue
			}
			if err := applyKey(it, k); err != nil {
				return Paper{}, fmt.Errorf("更正试题 %d（版本 %d）的答案：%w", it.QuestionID, it.VersionID, err)
			}
		}
	}
	return out, nil
}

func applyKey(it *Item, k Key) error {
	switch it.Type {
	case Single, Multiple:
		keys := tidyKeys(k.Correct)
		if it.Type == Single && len(keys) != 1 {
			return errors.New("单选题只能有一个正确答案")
		}
		if it.Type == Multiple && len(keys) < 2 {
			return errors.New("多选题至少要有两个正确答案")
		}
		var disp []string
		for _, bk := range keys {
			i := slices.Index(it.Origin, bk)
			if i < 0 {
				return fmt.Errorf("正确答案 %s 不是已有的选项", bk)
			}
			disp = append(disp, it.Options[i].Key)
		}
		slices.Sort(disp)
		it.Correct = disp
	case TrueFalse:
		if k.Truth == nil {
			return errors.New("判断题请给出正确答案（对或错）")
		}
		v := *k.Truth
		it.Truth = &v
	case Fill:
		q := Question{Type: Fill, Stem: it.Stem, Blanks: cloneBlanks(k.Blanks)}.Tidy()
		if fes := validateBlanks(q.Stem, q.Blanks); len(fes) > 0 {
			return errors.New(fes[0].Message)
		}
		it.Blanks = q.Blanks
	default:
		return fmt.Errorf("%s由人工评分，没有标准答案可更正", it.Type.Label())
	}
	return nil
}

// Regrade grades the paper again with corrected keys (ApplyKeys then Grade).
// Compare the result with the stored one to see whose result changed.
func Regrade(p Paper, answers Answers, hand map[int]int64, fixes map[uint64]Key) (Result, error) {
	fixed, err := ApplyKeys(p, fixes)
	if err != nil {
		return Result{}, err
	}
	return Grade(fixed, answers, hand)
}

// Change is how a result moved between two gradings of the same paper.
type Change struct {
	Changed        bool    `json:"changed"` // a score or the outcome differs
	Before         int64   `json:"before"`
	After          int64   `json:"after"`
	Delta          int64   `json:"delta"`
	OutcomeChanged bool    `json:"outcome_changed"`
	From           Outcome `json:"from"`
	To             Outcome `json:"to"`
	Items          []int   `json:"items,omitempty"` // numbers of the items whose score changed
}

// Compare says what changed from before to after (e.g. a stored result and
// a Regrade).
func Compare(before, after Result) Change {
	c := Change{Before: before.Score, After: after.Score, Delta: after.Score - before.Score,
		From: before.Outcome, To: after.Outcome, OutcomeChanged: before.Outcome != after.Outcome}
	old := map[int]int64{}
	for _, ir := range before.Items {
		old[ir.No] = ir.Score
	}
	for _, ir := range after.Items {
		if s, ok := old[ir.No]; !ok || s != ir.Score {
			c.Items = append(c.Items, ir.No)
		}
	}
	c.Changed = c.Delta != 0 || c.OutcomeChanged || len(c.Items) > 0
	return c
}

// Summary is a one-line Chinese summary of a result, e.g.
// "得分 72.50 / 100.00，合格线 60.00，合格".
func (r Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "得分 %s / %s，合格线 %s，%s", screening.FormatScore(r.Score), screening.FormatScore(r.Max),
		screening.FormatScore(r.PassMark), r.Outcome.Label())
	if r.Pending > 0 {
		fmt.Fprintf(&b, "（%d 道简答题待评阅）", r.Pending)
	}
	return b.String()
}
