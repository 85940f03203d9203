package exams

import (
	"slices"
	"strings"
	"testing"
)

// gradingPaper: one item of each type, no shuffling, so display keys are bank keys.
//
//	1 单选 2.00 (B)   2 多选 3.00 (A C D)   3 判断 2.00 (对)   4 填空 4.00 (一|1 ; 二|2)   5 简答 15.00
func gradingPaper(t *testing.T, policy MultiPolicy) Paper {
	t.Helper()
	var qs []Question
	var cells []Cell
	pts := map[Type]int64{Single: 200, Multiple: 300, TrueFalse: 200, Fill: 400, Short: 1500}
	for _, ty := range Types() {
		qs = append(qs, genBank(Law, ty, Easy, 1)...)
		cells = append(cells, Cell{Law, ty, AnyDifficulty, 1, pts[ty]})
	}
	bp := Blueprint{Cells: cells, PassMark: 1600, DurationMinutes: 30, Multi: policy}
	p, err := Assemble(bp, bankOf(qs), []byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGrade_T3_EveryType(t *testing.T) {
	tests := []struct {
		name   string
		policy MultiPolicy
		no     int
		a      Answer
		want   int64
		blanks []bool
	}{
		{"single right", AllOrNothing, 1, Answer{Choices: []string{"B"}}, 200, nil},
		{"single right, lower case and full width", AllOrNothing, 1, Answer{Choices: []string{"ｂ"}}, 200, nil},
		{"single wrong", AllOrNothing, 1, Answer{Choices: []string{"A"}}, 0, nil},
		{"single two chosen", AllOrNothing, 1, Answer{Choices: []string{"A", "B"}}, 0, nil},
		{"single blank", AllOrNothing, 1, Answer{}, 0, nil},
		{"single unknown key", AllOrNothing, 1, Answer{Choices: []string{"Z"}}, 0, nil},

		{"multiple exact, all-or-nothing", AllOrNothing, 2, Answer{Choices: []string{"D", "A", "C"}}, 300, nil},
		{"multiple 2 of 3, all-or-nothing", AllOrNothing, 2, Answer{Choices: []string{"A", "C"}}, 0, nil},
		{"multiple with a wrong one, all-or-nothing", AllOrNothing, 2, Answer{Choices: []string{"A", "B", "C", "D"}}, 0, nil},
		{"multiple exact, partial", Partial, 2, Answer{Choices: []string{"A", "C", "D"}}, 300, nil},
		{"multiple 2 of 3, partial: 3.00 × 2/3", Partial, 2, Answer{Choices: []string{"A", "C"}}, 200, nil},
		{"multiple 1 of 3, partial: 3.00 × 1/3", Partial, 2, Answer{Choices: []string{"D"}}, 100, nil},
		{"multiple with a wrong one, partial", Partial, 2, Answer{Choices: []string{"A", "B"}}, 0, nil},
		{"multiple all options, partial", Partial, 2, Answer{Choices: []string{"A", "B", "C", "D"}}, 0, nil},
		{"multiple nothing, partial", Partial, 2, Answer{}, 0, nil},
		{"empty policy is all-or-nothing", "", 2, Answer{Choices: []string{"A", "C"}}, 0, nil},

		{"true/false right", AllOrNothing, 3, Answer{Truth: ptr(true)}, 200, nil},
		{"true/false wrong", AllOrNothing, 3, Answer{Truth: ptr(false)}, 0, nil},
		{"true/false blank", AllOrNothing, 3, Answer{}, 0, nil},

		{"fill both", AllOrNothing, 4, Answer{Blanks: []string{"一", "２"}}, 400, []bool{true, true}},
		{"fill first only: 4.00 × 1/2", AllOrNothing, 4, Answer{Blanks: []string{"1", "三"}}, 200, []bool{true, false}},
		{"fill second only", AllOrNothing, 4, Answer{Blanks: []string{"", "二。"}}, 200, []bool{false, true}},
		{"fill swapped", AllOrNothing, 4, Answer{Blanks: []string{"二", "一"}}, 0, []bool{false, false}},
		{"fill one given", AllOrNothing, 4, Answer{Blanks: []string{"一"}}, 200, []bool{true, false}},
		{"fill none", AllOrNothing, 4, Answer{}, 0, []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gradingPaper(t, tt.policy)
			r, err := Grade(p, Answers{tt.no: tt.a}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ir := r.Items[tt.no-1]
			if ir.Score != tt.want || ir.Status != StatusAuto || !slices.Equal(ir.Blanks, tt.blanks) {
				t.Fatalf("item %d: score %d status %s blanks %v; want %d %v", tt.no, ir.Score, ir.Status, ir.Blanks, tt.want, tt.blanks)
			}
			if ir.Answered == tt.a.Empty() {
				t.Errorf("answered = %v", ir.Answered)
			}
			if r.Outcome != OutcomePending || r.Pending != 1 {
				t.Errorf("short answer unmarked: outcome %s pending %d", r.Outcome, r.Pending)
			}
		})
	}
}

func TestGrade_PartialRoundsDown(t *testing.T) {
	it := Item{Type: Multiple, Points: 200, Correct: []string{"A", "B", "C"}}
	if got := scoreMultiple(it, []string{"A"}, Partial); got != 66 {
		t.Errorf("2.00 × 1/3 = %d, want 66 (0.66)", got)
	}
	if got := scoreMultiple(it, []string{"A", "B"}, Partial); got != 133 {
		t.Errorf("2.00 × 2/3 = %d, want 133", got)
	}
}

func TestGrade_T3_ShortAndOutcome(t *testing.T) {
	p := gradingPaper(t, Partial)
	all := Answers{1: {Choices: []string{"B"}}, 2: {Choices: []string{"A", "C", "D"}}, 3: {Truth: ptr(true)},
		4: {Blanks: []string{"一", "二"}}, 5: {Text: "答"}}
	// Automatic part: 11.00. Pass mark 16.00.
	tests := []struct {
		name    string
		hand    map[int]int64
		score   int64
		outcome Outcome
	}{
		{"unmarked", nil, 1100, OutcomePending},
		{"one below the pass mark", map[int]int64{5: 499}, 1599, OutcomeFail},
		{"exactly the pass mark passes", map[int]int64{5: 500}, 1600, OutcomePass},
		{"full marks", map[int]int64{5: 1500}, 2600, OutcomePass},
		{"zero", map[int]int64{5: 0}, 1100, OutcomeFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Grade(p, all, tt.hand)
			if err != nil {
				t.Fatal(err)
			}
			if r.Score != tt.score || r.Outcome != tt.outcome || r.Max != 2600 || r.PassMark != 1600 {
				t.Fatalf("score %d outcome %s max %d", r.Score, r.Outcome, r.Max)
			}
			if r.Passed() != (tt.outcome == OutcomePass) {
				t.Error("Passed()")
			}
			if tt.hand != nil && r.Items[4].Status != StatusMarked {
				t.Error("short answer not marked")
			}
		})
	}
	r, _ := Grade(p, all, map[int]int64{5: 500})
	if s := r.Summary(); s != "得分 16.00 / 26.00，合格线 16.00，合格" {
		t.Errorf("Summary = %q", s)
	}
	for name, hand := range map[string]map[int]int64{
		"above points": {5: 1501},
		"negative":     {5: -1},
		"not short":    {1: 100},
		"not on paper": {9: 100},
	} {
		if _, err := Grade(p, all, hand); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Grade(p, Answers{9: {Text: "x"}}, nil); err == nil {
		t.Error("answer to item 9 accepted")
	}
}

// Option relabelling: a candidate answering the bank's correct option under its
// display label gets the points.
func TestGrade_RelabelledOptions(t *testing.T) {
	bank := DemoBank()
	for _, cand := range []string{"r1", "r2", "r3"} {
		p := demoPaper(t, cand)
		right, wrong := Answers{}, Answers{}
		var autoMax, choiceMax int64
		for _, it := range p.Items() {
			q := bank[it.QuestionID-1]
			switch it.Type {
			case Single, Multiple:
				var disp []string
				for _, k := range q.Correct { // bank key → display key through Origin
					disp = append(disp, it.Options[slices.Index(it.Origin, k)].Key)
				}
				right[it.No] = Answer{Choices: disp}
				wrong[it.No] = Answer{Choices: q.Correct} // the bank's letters, not the candidate's
			case TrueFalse:
				right[it.No] = Answer{Truth: q.Truth}
			case Fill:
				var bs []string
				for _, b := range q.Blanks {
					bs = append(bs, b.Accepted[len(b.Accepted)-1])
				}
				right[it.No] = Answer{Blanks: bs}
			}
			if it.Type.Auto() {
				autoMax += it.Points
			}
			if it.Type.Choice() {
				choiceMax += it.Points
			}
		}
		r, err := Grade(p, right, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Score != autoMax {
			t.Errorf("%s: right answers under display keys score %d, want %d", cand, r.Score, autoMax)
		}
		rw, _ := Grade(p, wrong, nil)
		if rw.Score >= choiceMax {
			t.Errorf("%s: bank letters score %d; options not shuffled?", cand, rw.Score)
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	p := gradingPaper(t, Partial)
	it := func(no int) Item { i, _ := p.Item(no); return i }
	tests := []struct {
		no   int
		a    Answer
		want string // "" ok
	}{
		{1, Answer{Choices: []string{"b"}}, ""},
		{1, Answer{Choices: []string{"A", "B"}}, "单选题只能选一个选项"},
		{1, Answer{Choices: []string{"E"}}, "没有选项 E"},
		{1, Answer{Text: "x"}, "答案形式与题型（单选题）不符"},
		{2, Answer{Choices: []string{"A", "D"}}, ""},
		{3, Answer{Truth: ptr(false)}, ""},
		{3, Answer{Choices: []string{"A"}}, "不符"},
		{4, Answer{Blanks: []string{"a", "b"}}, ""},
		{4, Answer{Blanks: []string{"a", "b", "c"}}, "本题只有 2 个空"},
		{4, Answer{Blanks: []string{strings.Repeat("字", 201)}}, "第 1 空的答案不能超过 200 个字"},
		{5, Answer{Text: strings.Repeat("字", 5000)}, ""},
		{5, Answer{Text: strings.Repeat("字", 5001)}, "答案不能超过 5000 个字"},
		{5, Answer{}, ""},
		// What a marker reads must be what is stored: no NUL, no reordering controls.
		{5, Answer{Text: "第一段\n\t第二段"}, ""},
		{5, Answer{Text: "答\x00案"}, "不可见的控制字符"},
		{5, Answer{Text: "依法\u202e行政"}, "不可见的控制字符"},
		{5, Answer{Text: "依法\u2066行政"}, "不可见的控制字符"},
		{5, Answer{Text: "\xff\xfe"}, "不可见的控制字符"},
		{4, Answer{Blanks: []string{"a\nb"}}, "第 1 空的答案含有不可见的控制字符"},
		{4, Answer{Blanks: []string{"ok", "x\u200fy"}}, "第 2 空的答案含有不可见的控制字符"},
	}
	for _, tt := range tests {
		err := it(tt.no).CheckAnswer(tt.a)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("item %d %+v: %v, want %q", tt.no, tt.a, err, tt.want)
		}
	}
}

func TestAnswerCanonical(t *testing.T) {
	a := Answer{Choices: []string{" c", "Ａ", "a"}, Blanks: []string{" x ", "", ""}, Text: " 答\r\n案 "}
	c := a.Canonical()
	if !slices.Equal(c.Choices, []string{"A", "C"}) || !slices.Equal(c.Blanks, []string{"x"}) || c.Text != "答\n案" {
		t.Errorf("Canonical = %+v", c)
	}
	if !a.Equal(c) || a.Equal(Answer{Choices: []string{"A"}}) {
		t.Error("Equal")
	}
	if !(Answer{Blanks: []string{" ", ""}, Choices: []string{" "}}).Empty() || (Answer{Truth: ptr(false)}).Empty() {
		t.Error("Empty")
	}
}

// Regrade: a corrected key for one question changes exactly the results that
// depend on it, on every paper whatever its option order.
func TestRegrade_T3_CorrectedKey(t *testing.T) {
	p := gradingPaper(t, AllOrNothing)
	single, _ := p.Item(1)
	tfItem, _ := p.Item(3)
	fillItem, _ := p.Item(4)
	ans := Answers{1: {Choices: []string{"C"}}, 3: {Truth: ptr(false)}, 4: {Blanks: []string{"壹", "二"}}}
	before, err := Grade(p, ans, map[int]int64{5: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if before.Score != 1200 || before.Outcome != OutcomeFail {
		t.Fatalf("before: %d %s", before.Score, before.Outcome)
	}
	fixes := map[uint64]Key{
		single.VersionID:   {Correct: []string{"C"}},
		tfItem.VersionID:   {Truth: ptr(false)},
		fillItem.VersionID: {Blanks: []Blank{{Accepted: []string{"一", "壹"}}, {Accepted: []string{"二"}}}},
		999999:             {Correct: []string{"A"}}, // not on this paper: ignored
	}
	after, err := Regrade(p, ans, map[int]int64{5: 1000}, fixes)
	if err != nil {
		t.Fatal(err)
	}
	if after.Score != 1800 || after.Outcome != OutcomePass {
		t.Fatalf("after: %d %s", after.Score, after.Outcome)
	}
	ch := Compare(before, after)
	if !ch.Changed || ch.Delta != 600 || !ch.OutcomeChanged || ch.From != OutcomeFail || ch.To != OutcomePass ||
		!slices.Equal(ch.Items, []int{1, 3, 4}) {
		t.Errorf("Compare = %+v", ch)
	}
	if c := Compare(before, before); c.Changed || len(c.Items) > 0 {
		t.Errorf("no change reported as %+v", c)
	}
	// The original paper is untouched.
	if again, _ := Grade(p, ans, map[int]int64{5: 1000}); again.Score != 1200 {
		t.Error("Regrade modified the paper")
	}

	// Corrections in bank keys follow each candidate's own option order.
	bank := DemoBank()
	for _, cand := range []string{"k1", "k2"} {
		dp := demoPaper(t, cand)
		var it Item
		for _, x := range dp.Items() {
			if x.Type == Single {
				it = x
				break
			}
		}
		q := bank[it.QuestionID-1]
		other := "A"
		if q.Correct[0] == "A" {
			other = "B"
		}
		disp := it.Options[slices.Index(it.Origin, other)].Key
		a := Answers{it.No: {Choices: []string{disp}}}
		b0, _ := Grade(dp, a, nil)
		b1, err := Regrade(dp, a, nil, map[uint64]Key{it.VersionID: {Correct: []string{other}}})
		if err != nil {
			t.Fatal(err)
		}
		if d := Compare(b0, b1); d.Delta != it.Points || !slices.Equal(d.Items, []int{it.No}) {
			t.Errorf("%s: regrade of item %d: %+v", cand, it.No, d)
		}
	}
}

func TestApplyKeys_Errors(t *testing.T) {
	p := gradingPaper(t, AllOrNothing)
	v := func(no int) uint64 { it, _ := p.Item(no); return it.VersionID }
	for name, fix := range map[string]map[uint64]Key{
		"single two keys":     {v(1): {Correct: []string{"A", "B"}}},
		"single unknown":      {v(1): {Correct: []string{"F"}}},
		"multiple one key":    {v(2): {Correct: []string{"A"}}},
		"true/false no value": {v(3): {}},
		"fill wrong count":    {v(4): {Blanks: []Blank{{Accepted: []string{"一"}}}}},
		"fill empty blank":    {v(4): {Blanks: []Blank{{Accepted: []string{"一"}}, {}}}},
		"short":               {v(5): {Correct: []string{"A"}}},
	} {
		if _, err := ApplyKeys(p, fix); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestQuestionWithKey(t *testing.T) {
	q := validSingle()
	if k := q.Key(); !slices.Equal(k.Correct, []string{"A"}) {
		t.Errorf("Key = %+v", k)
	}
	fixed, err := q.WithKey(Key{Correct: []string{"b"}})
	if err != nil || !slices.Equal(fixed.Correct, []string{"B"}) || fixed.Hash() == q.Hash() {
		t.Errorf("WithKey = %+v, %v", fixed, err)
	}
	if _, err := q.WithKey(Key{Correct: []string{"A", "B"}}); err == nil {
		t.Error("WithKey accepted two keys for a single choice")
	}
	if q.Correct[0] != "A" {
		t.Error("WithKey changed its receiver")
	}
}
