package exams

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"auxportal/screening"
)

// PaperFormat tags the JSON of a Paper; it changes if the layout does.
const PaperFormat = "auxportal.exams.paper.v1"

// Paper is one candidate's exam paper, with everything needed to grade it:
// the blueprint it follows (pass mark, policy, time) and each item's key in
// the candidate's own option labels. It is the trainer's and the grader's
// view; a candidate only ever gets CandidateView.
type Paper struct {
	Format    string    `json:"format"`
	Blueprint Blueprint `json:"blueprint"`
	Sections  []Section `json:"sections"`
}

// Section is one part of a paper: all items of one type, e.g. "一、单选题".
type Section struct {
	Type  Type   `json:"type"`
	Title string `json:"title"` // "一、单选题（共 12 题，24 分）"
	Items []Item `json:"items"`
}

// Item is one question on a paper, as the candidate sees it plus its key.
// Options are in display order and keyed A, B, C…; Origin[i] is the bank key
// of the displayed Options[i], and Correct holds display keys.
type Item struct {
	No          int        `json:"no"` // 1-based across the paper; answers are keyed by it
	QuestionID  uint64     `json:"question_id"`
	VersionID   uint64     `json:"version_id"`
	Hash        string     `json:"hash"` // Question.Hash of the version
	Category    Category   `json:"category"`
	Type        Type       `json:"type"`
	Difficulty  Difficulty `json:"difficulty"`
	Points      int64      `json:"points"`
	Stem        string     `json:"stem"`
	Options     []Option   `json:"options,omitempty"`
	Origin      []string   `json:"origin,omitempty"`
	Correct     []string   `json:"correct,omitempty"`
	Truth       *bool      `json:"truth,omitempty"`
	Blanks      []Blank    `json:"blanks,omitempty"`
	Reference   string     `json:"reference,omitempty"`
	Rubric      string     `json:"rubric,omitempty"`
	Explanation string     `json:"explanation,omitempty"`
}

// Items returns every item of the paper in number order.
func (p Paper) Items() []Item {
	var out []Item
	for _, s := range p.Sections {
		out = append(out, s.Items...)
	}
	return out
}

// Item returns the item numbered no.
func (p Paper) Item(no int) (Item, bool) {
	for _, s := range p.Sections {
		for _, it := range s.Items {
			if it.No == no {
				return it, true
			}
		}
	}
	return Item{}, false
}

// Total is the paper's full marks (the sum of its items' points).
func (p Paper) Total() int64 {
	var t int64
	for _, it := range p.Items() {
		t += it.Points
	}
	return t
}

// Assemble builds one candidate's paper from a blueprint, the bank (the
// current version of each question) and the candidate's seed (at least 16
// bytes, normally CandidateSeed). The same inputs always give the same paper,
// whatever the order of bank; different seeds give different papers where the
// bank allows. Steps:
//
//  1. The blueprint is validated, every bank question is validated, and ids
//     must be unique (a question may appear in one version only); then
//     CheckBank: a *ShortageError if any cell cannot be filled.
//  2. Draw: the bank is sorted by QuestionID. Specific-difficulty cells are
//     drawn first, in cell order, then AnyDifficulty cells from what is left
//     of their category and type. Each cell draws Count questions uniformly
//     without replacement (a partial Fisher–Yates on its own random stream).
//  3. Sections follow Types() (单选, 多选, 判断, 填空, 简答); a type with no
//     cell has no section. Within a section the items are in cell order then
//     drawn order, or shuffled when ShuffleQuestions. Questions never move
//     between sections.
//  4. Options of choice questions are shuffled when ShuffleOptions (unless
//     the question has FixedOrder), on a stream keyed by the version id, and
//     relabelled A, B, C…; Origin keeps the bank keys and Correct is
//     translated to display keys.
//  5. Items are numbered 1…N across sections.
func Assemble(bp Blueprint, bank []BankQuestion, seed []byte) (Paper, error) {
	if len(seed) < 16 {
		return Paper{}, errors.New("试卷随机种子至少需要 16 字节")
	}
	if err := bp.Validate(); err != nil {
		return Paper{}, err
	}
	sorted := slices.Clone(bank)
	slices.SortFunc(sorted, func(a, b BankQuestion) int { return cmp.Compare(a.QuestionID, b.QuestionID) })
	var bad []string
	versions := map[uint64]bool{}
	for i, q := range sorted {
		if i > 0 && sorted[i-1].QuestionID == q.QuestionID {
			bad = append(bad, fmt.Sprintf("试题 %d 出现了不止一个版本", q.QuestionID))
		}
		if versions[q.VersionID] {
			bad = append(bad, fmt.Sprintf("试题版本 %d 重复", q.VersionID))
		}
		versions[q.VersionID] = true
		if err := q.Validate(); err != nil {
			bad = append(bad, fmt.Sprintf("试题 %d：%v", q.QuestionID, err))
		}
	}
	if len(bad) > 0 {
		return Paper{}, fmt.Errorf("题库数据有误：%s", joinCN(bad))
	}
	if err := bp.CheckBank(InventoryOf(sorted)); err != nil {
		return Paper{}, err
	}

	// Pools per bank slot, in QuestionID order.
	pools := map[Slot][]BankQuestion{}
	for _, q := range sorted {
		s := Slot{q.Category, q.Type, q.Difficulty}
		pools[s] = append(pools[s], q)
	}
	drawn := make([][]BankQuestion, len(bp.Cells))
	draw := func(i int, pool []BankQuestion, n int) (picked, rest []BankQuestion) {
		pool = slices.Clone(pool)
		st := newStream(seed, "draw\x00"+strconv.Itoa(i))
		for k := 0; k < n; k++ { // partial Fisher–Yates: pool[:k] are the picks
			j := k + st.intn(len(pool)-k)
			pool[k], pool[j] = pool[j], pool[k]
		}
		rest = slices.Clone(pool[n:])
		slices.SortFunc(rest, func(a, b BankQuestion) int { return cmp.Compare(a.QuestionID, b.QuestionID) })
		return pool[:n], rest
	}
	for i, c := range bp.Cells {
		if c.Difficulty == AnyDifficulty {
			continue
		}
		s := Slot{c.Category, c.Type, c.Difficulty}
		drawn[i], pools[s] = draw(i, pools[s], c.Count)
	}
	for i, c := range bp.Cells {
		if c.Difficulty != AnyDifficulty {
			continue
		}
		var pool []BankQuestion
		for _, d := range []Difficulty{Easy, Medium, Hard} {
			pool = append(pool, pools[Slot{c.Category, c.Type, d}]...)
		}
		slices.SortFunc(pool, func(a, b BankQuestion) int { return cmp.Compare(a.QuestionID, b.QuestionID) })
		var rest []BankQuestion
		drawn[i], rest = draw(i, pool, c.Count)
		left := map[uint64]bool{}
		for _, q := range rest {
			left[q.QuestionID] = true
		}
		for _, d := range []Difficulty{Easy, Medium, Hard} {
			s := Slot{c.Category, c.Type, d}
			pools[s] = slices.DeleteFunc(pools[s], func(q BankQuestion) bool { return !left[q.QuestionID] })
		}
	}

	p := Paper{Format: PaperFormat, Blueprint: cloneBlueprint(bp)}
	no := 0
	for _, t := range Types() {
		var items []Item
		for i, c := range bp.Cells {
			if c.Type != t {
				continue
			}
			for _, q := range drawn[i] {
				items = append(items, makeItem(q, c.Points, bp.ShuffleOptions, seed))
			}
		}
		if len(items) == 0 {
			continue
		}
		if bp.ShuffleQuestions {
			st := newStream(seed, "order\x00"+string(t))
			st.shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		}
		var pts int64
		for k := range items {
			no++
			items[k].No = no
			pts += items[k].Points
		}
		p.Sections = append(p.Sections, Section{
			Type:  t,
			Title: fmt.Sprintf("%s、%s（共 %d 题，%s 分）", cnNumeral(len(p.Sections)+1), t.Label(), len(items), FormatPoints(pts)),
			Items: items,
		})
	}
	return p, nil
}

func makeItem(bq BankQuestion, points int64, shuffle bool, seed []byte) Item {
	q := bq.Question.Clone()
	it := Item{
		QuestionID: bq.QuestionID, VersionID: bq.VersionID, Hash: bq.Question.Hash(),
		Category: q.Category, Type: q.Type, Difficulty: q.Difficulty, Points: points,
		Stem: q.Stem, Truth: q.Truth, Blanks: q.Blanks,
		Reference: q.Reference, Rubric: q.Rubric, Explanation: q.Explanation,
	}
	if !q.Type.Choice() {
		return it
	}
	order := make([]int, len(q.Options))
	for i := range order {
		order[i] = i
	}
	if shuffle && !q.FixedOrder {
		st := newStream(seed, "options\x00"+strconv.FormatUint(bq.VersionID, 10))
		st.shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	display := map[string]string{} // bank key → display key
	for i, o := range order {
		k := OptionKey(i)
		it.Options = append(it.Options, Option{Key: k, Text: q.Options[o].Text})
		it.Origin = append(it.Origin, q.Options[o].Key)
		display[q.Options[o].Key] = k
	}
	for _, k := range q.Correct {
		it.Correct = append(it.Correct, display[k])
	}
	slices.Sort(it.Correct)
	return it
}

func cloneBlueprint(b Blueprint) Blueprint {
	c := b
	c.Cells = slices.Clone(b.Cells)
	return c
}

func cnNumeral(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n >= 0 && n <= 10 {
		return digits[n]
	}
	return strconv.Itoa(n)
}

func joinCN(parts []string) string { return strings.Join(parts, "；") }

// Sealed is a paper's canonical bytes and their SHA-256, stored once when the
// paper is built: the service can later prove the paper unchanged (Open).
type Sealed struct {
	JSON   []byte `json:"json"`
	SHA256 string `json:"sha256"` // hex
}

// Canonical returns the canonical JSON of the paper: encoding/json's fixed
// field order, HTML characters not escaped, no trailing newline. The same
// paper always gives the same bytes.
func (p Paper) Canonical() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Seal returns the paper's sealed snapshot.
func Seal(p Paper) (Sealed, error) {
	b, err := p.Canonical()
	if err != nil {
		return Sealed{}, err
	}
	sum := sha256.Sum256(b)
	return Sealed{JSON: b, SHA256: hex.EncodeToString(sum[:])}, nil
}

// ErrSealBroken is returned by Open when the bytes do not match their hash or
// are not a canonical paper.
var ErrSealBroken = errors.New("试卷快照校验失败：内容与封存时不一致")

// Open checks a sealed snapshot against its hash and decodes it. It fails
// with ErrSealBroken if the bytes were changed, are not canonical (decoding
// and re-encoding must give them back exactly) or are of another format.
func Open(s Sealed) (Paper, error) {
	sum := sha256.Sum256(s.JSON)
	if hex.EncodeToString(sum[:]) != s.SHA256 {
		return Paper{}, ErrSealBroken
	}
	dec := json.NewDecoder(bytes.NewReader(s.JSON))
	dec.DisallowUnknownFields()
	var p Paper
	if err := dec.Decode(&p); err != nil || p.Format != PaperFormat {
		return Paper{}, ErrSealBroken
	}
	again, err := p.Canonical()
	if err != nil || !bytes.Equal(again, s.JSON) {
		return Paper{}, ErrSealBroken
	}
	return p, nil
}

// CandidatePaper is what a candidate is sent: the paper without any key,
// rubric, reference answer, explanation, bank id or option mapping. It is a
// separate type so that no code path can leak a key by forgetting to blank a
// field.
type CandidatePaper struct {
	Title           string             `json:"title,omitempty"`
	DurationMinutes int                `json:"duration_minutes"`
	Total           int64              `json:"total"`
	PassMark        int64              `json:"pass_mark"`
	Multi           MultiPolicy        `json:"multi"`
	Sections        []CandidateSection `json:"sections"`
}

// CandidateSection is one section of a CandidatePaper.
type CandidateSection struct {
	Type  Type            `json:"type"`
	Title string          `json:"title"`
	Items []CandidateItem `json:"items"`
}

// CandidateItem is one question as the candidate sees it. For TrueFalse the
// page offers 对/错; for Fill, Blanks is the number of blanks (SplitStem cuts
// the stem around them).
type CandidateItem struct {
	No       int      `json:"no"`
	Type     Type     `json:"type"`
	Category Category `json:"category"`
	Points   int64    `json:"points"`
	Stem     string   `json:"stem"`
	Options  []Option `json:"options,omitempty"`
	Blanks   int      `json:"blanks,omitempty"`
}

// CandidateView returns the candidate's view of the paper.
func (p Paper) CandidateView() CandidatePaper {
	multi := p.Blueprint.Multi
	if multi == "" {
		multi = AllOrNothing
	}
	cp := CandidatePaper{
		Title: p.Blueprint.Title, DurationMinutes: p.Blueprint.DurationMinutes,
		Total: p.Total(), PassMark: p.Blueprint.PassMark, Multi: multi,
	}
	for _, s := range p.Sections {
		cs := CandidateSection{Type: s.Type, Title: s.Title}
		for _, it := range s.Items {
			ci := CandidateItem{No: it.No, Type: it.Type, Category: it.Category, Points: it.Points,
				Stem: it.Stem, Options: slices.Clone(it.Options)}
			if it.Type == Fill {
				ci.Blanks = len(it.Blanks)
			}
			cs.Items = append(cs.Items, ci)
		}
		cp.Sections = append(cp.Sections, cs)
	}
	return cp
}

// FormatPoints is a question's or a section's points as a paper prints them, without the
// zeros a whole number does not need: 200 → "2", 250 → "2.5", 1525 → "15.25".
func FormatPoints(hundredths int64) string {
	s := screening.FormatScore(hundredths)
	s = strings.TrimSuffix(s, "0")
	s = strings.TrimSuffix(s, "0")
	return strings.TrimSuffix(s, ".")
}
