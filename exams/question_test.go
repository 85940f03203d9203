package exams

import (
	"slices"
	"strings"
	"testing"
)

func validSingle() Question {
	return qSingle(Law, Easy, "行政处罚应当由（　）实施。", qOpts("执法人员", "辅助人员"), "A", "第四十二条")
}

func TestQuestionValidate_T4(t *testing.T) {
	type mod func(q *Question)
	tests := []struct {
		name  string
		base  func() Question
		mod   mod
		field string // "" → valid
		index int
		msg   string
	}{
		{"single ok", validSingle, nil, "", 0, ""},
		{"single 8 options ok", validSingle, func(q *Question) {
			*q = qSingle(Law, Easy, "题", qOpts("1", "2", "3", "4", "5", "6", "7", "8"), "H", "")
		}, "", 0, ""},
		{"single one option", validSingle, func(q *Question) { q.Options = q.Options[:1] }, FieldOptions, -1, "单选题需要 2 至 8 个选项，现有 1 个"},
		{"single nine options", validSingle, func(q *Question) {
			*q = qSingle(Law, Easy, "题", qOpts("1", "2", "3", "4", "5", "6", "7", "8", "9"), "A", "")
		}, FieldOptions, -1, "单选题需要 2 至 8 个选项，现有 9 个"},
		{"single two correct", validSingle, func(q *Question) { q.Correct = []string{"A", "B"} }, FieldCorrect, -1, "单选题只能有一个正确答案"},
		{"single no correct", validSingle, func(q *Question) { q.Correct = nil }, FieldCorrect, -1, "请给出正确答案"},
		{"single unknown key", validSingle, func(q *Question) { q.Correct = []string{"C"} }, FieldCorrect, -1, "正确答案 C 不是已有的选项"},
		{"single empty option", validSingle, func(q *Question) { q.Options[1].Text = " " }, FieldOptions, 1, "选项 B 内容为空"},
		{"single same options", validSingle, func(q *Question) { q.Options[1].Text = "执法人员。" }, FieldOptions, 1, "选项 B 与选项 A 内容相同"},
		{"single key out of order", validSingle, func(q *Question) { q.Options[1].Key = "C" }, FieldOptions, 1, "第 2 个选项的标号应为 B"},
		{"no stem", validSingle, func(q *Question) { q.Stem = "" }, FieldStem, -1, "请填写题干"},
		{"long stem", validSingle, func(q *Question) { q.Stem = strings.Repeat("字", 2001) }, FieldStem, -1, "题干不能超过 2000 个字"},
		{"no category", validSingle, func(q *Question) { q.Category = "" }, FieldCategory, -1, "请填写分类"},
		{"long category", validSingle, func(q *Question) { q.Category = Category(strings.Repeat("类", 21)) }, FieldCategory, -1, "分类名称不能超过 20 个字"},
		{"custom category ok", validSingle, func(q *Question) { q.Category = "安全生产" }, "", 0, ""},
		{"bad difficulty", validSingle, func(q *Question) { q.Difficulty = 0 }, FieldDifficulty, -1, "难度应为 1（易）、2（中）或 3（难）"},
		{"bad type", validSingle, func(q *Question) { q.Type = "essay" }, FieldType, -1, "题型 \"essay\" 不是"},
		{"single with truth", validSingle, func(q *Question) { q.Truth = ptr(true) }, FieldTruth, -1, "只有判断题有"},

		{"multiple ok", func() Question {
			return qMultiple(Skills, Medium, "事项清单包括（　）。", qOpts("宣传", "巡查", "处罚"), "AB", "")
		}, nil, "", 0, ""},
		{"multiple one correct", func() Question {
			return qMultiple(Skills, Medium, "题", qOpts("宣传", "巡查", "处罚"), "A", "")
		}, nil, FieldCorrect, -1, "多选题至少要有两个正确答案"},
		{"multiple two options", func() Question {
			return qMultiple(Skills, Medium, "题", qOpts("宣传", "巡查"), "AB", "")
		}, nil, FieldOptions, -1, "多选题需要 3 至 8 个选项，现有 2 个"},
		{"multiple duplicate correct", func() Question {
			q := qMultiple(Skills, Medium, "题", qOpts("宣传", "巡查", "处罚"), "AB", "")
			q.Correct = []string{"A", "A"}
			return q
		}, nil, FieldCorrect, -1, "正确答案 A 重复"},

		{"truefalse ok", func() Question { return qJudge(Discipline, Easy, "辅助人员不得单独执法。", true, "") }, nil, "", 0, ""},
		{"truefalse false ok", func() Question { return qJudge(Discipline, Easy, "辅助人员可以罚款。", false, "") }, nil, "", 0, ""},
		{"truefalse no answer", func() Question { return Question{Category: Discipline, Type: TrueFalse, Difficulty: Easy, Stem: "题"} }, nil, FieldTruth, -1, "判断题请给出正确答案（对或错）"},
		{"truefalse with options", func() Question {
			q := qJudge(Discipline, Easy, "题", true, "")
			q.Options = []Option{{"A", "对"}, {"B", "错"}}
			return q
		}, nil, FieldOptions, -1, "判断题不需要选项"},

		{"fill ok", func() Question { return qFill(Ethics, Easy, "谁使用、谁____、谁负责", "管理", "") }, nil, "", 0, ""},
		{"fill two blanks ok", func() Question {
			return qFill(Skills, Easy, "辅助人员____+执法人员＿＿＿", "吹哨;亮证", "")
		}, nil, "", 0, ""},
		{"fill no marker", func() Question { return qFill(Ethics, Easy, "谁使用、谁__、谁负责", "管理", "") }, nil, FieldStem, -1, "填空题的题干中没有空"},
		{"fill count mismatch", func() Question { return qFill(Ethics, Easy, "____和____", "甲", "") }, nil, FieldBlanks, -1, "题干中有 2 个空，答案给出了 1 个空"},
		{"fill blank without answers", func() Question {
			q := qFill(Ethics, Easy, "____和____", "甲;乙", "")
			q.Blanks[1].Accepted = nil
			return q
		}, nil, FieldBlanks, 1, "第 2 空没有可接受的答案"},
		{"fill punctuation-only answer", func() Question { return qFill(Ethics, Easy, "____", "。", "") }, nil, FieldBlanks, 0, "第 1 空有空白的答案"},
		{"fill separator in answer", func() Question {
			q := qFill(Ethics, Easy, "____", "x", "")
			q.Blanks[0].Accepted = []string{"甲；乙"}
			return q
		}, nil, FieldBlanks, 0, "不能含有"},

		{"short ok", func() Question { return qShort(Skills, Hard, "简述事项清单。", "宣传、巡查……", "", "") }, nil, "", 0, ""},
		{"short no reference", func() Question { return qShort(Skills, Hard, "简述事项清单。", "", "要点", "") }, nil, FieldReference, -1, "简答题请填写参考答案"},
		{"rubric on single", validSingle, func(q *Question) { q.Rubric = "x" }, FieldRubric, -1, "只有简答题有评分要点"},
		{"fixed order on fill", func() Question {
			q := qFill(Ethics, Easy, "____", "x", "")
			q.FixedOrder = true
			return q
		}, nil, FieldFixedOrder, -1, "只有选择题可以固定选项顺序"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.base()
			if tt.mod != nil {
				tt.mod(&q)
			}
			ps := fieldProblems(t, q.Validate())
			if tt.field == "" {
				if len(ps) > 0 {
					t.Fatalf("want valid, got %v", ps)
				}
				return
			}
			i := slices.IndexFunc(ps, func(p FieldError) bool {
				return p.Field == tt.field && p.Index == tt.index && strings.Contains(p.Message, tt.msg)
			})
			if i < 0 {
				t.Fatalf("want %s[%d] %q, got %+v", tt.field, tt.index, tt.msg, ps)
			}
		})
	}
}

func TestQuestionError_ListsEveryProblem(t *testing.T) {
	q := Question{Type: Single, Options: []Option{{"A", ""}}}
	err := q.Validate()
	ps := fieldProblems(t, err)
	if len(ps) < 5 {
		t.Fatalf("want every problem, got %v", ps)
	}
	if !containsAll(err.Error(), "试题有误：", "请填写分类", "难度应为", "请填写题干", "选项 A 内容为空") {
		t.Errorf("Error() = %q", err)
	}
}

func TestSplitStem(t *testing.T) {
	tests := []struct {
		stem string
		want []string
	}{
		{"无空", []string{"无空"}},
		{"谁____负责", []string{"谁", "负责"}},
		{"____开头", []string{"", "开头"}},
		{"结尾____", []string{"结尾", ""}},
		{"a__b", []string{"a__b"}},
		{"全角＿＿＿与半角___", []string{"全角", "与半角", ""}},
		{"混合_＿_一空", []string{"混合", "一空"}},
		{"file_name 与 ______", []string{"file_name 与 ", ""}},
	}
	for _, tt := range tests {
		if got := SplitStem(tt.stem); !slices.Equal(got, tt.want) {
			t.Errorf("SplitStem(%q) = %q, want %q", tt.stem, got, tt.want)
		}
		if got := CountBlanks(tt.stem); got != len(tt.want)-1 {
			t.Errorf("CountBlanks(%q) = %d", tt.stem, got)
		}
	}
}

func TestTidy(t *testing.T) {
	q := Question{Category: " 法律法规 ", Type: Multiple, Difficulty: Easy, Stem: " 题干\r\n第二行 ",
		Options: []Option{{"ａ", " 甲 "}, {" b", "乙"}, {"C", "丙"}}, Correct: []string{"c", "Ａ", "A"},
		Explanation: " 解析 "}
	got := q.Tidy()
	if got.Category != Law || got.Stem != "题干\n第二行" || got.Options[0] != (Option{"A", "甲"}) ||
		got.Options[1].Key != "B" || !slices.Equal(got.Correct, []string{"A", "C"}) || got.Explanation != "解析" {
		t.Errorf("Tidy = %+v", got)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("tidied question invalid: %v", err)
	}
	f := qFill(Law, Easy, "____", " 两 | |2", "").Tidy()
	if !slices.Equal(f.Blanks[0].Accepted, []string{"两", "2"}) {
		t.Errorf("Tidy blanks = %q", f.Blanks[0].Accepted)
	}
	if q.Options[0].Key != "ａ" {
		t.Error("Tidy changed its receiver's options")
	}
}

func TestHash(t *testing.T) {
	base := validSingle()
	h := base.Hash()
	if len(h) != 64 || h != validSingle().Hash() {
		t.Fatalf("hash %q not stable", h)
	}
	same := base
	same.Options = slices.Clone(base.Options)
	same.Blanks = []Blank{} // empty vs nil
	if same.Hash() != h {
		t.Error("empty and nil slices hash differently")
	}
	edits := map[string]func(q *Question){
		"stem":        func(q *Question) { q.Stem += "？" },
		"option":      func(q *Question) { q.Options[1].Text = "网格员" },
		"key":         func(q *Question) { q.Correct = []string{"B"} },
		"explanation": func(q *Question) { q.Explanation = "改" },
		"category":    func(q *Question) { q.Category = Skills },
		"difficulty":  func(q *Question) { q.Difficulty = Hard },
		"fixed":       func(q *Question) { q.FixedOrder = true },
	}
	for name, edit := range edits {
		q := base.Clone()
		edit(&q)
		if q.Hash() == h {
			t.Errorf("editing %s does not change the hash", name)
		}
	}
	tf := qJudge(Law, Easy, "题", false, "")
	if tf.Hash() == qJudge(Law, Easy, "题", true, "").Hash() {
		t.Error("truth not hashed")
	}
}

func TestParseTypeAndDifficulty(t *testing.T) {
	for in, want := range map[string]Type{"单选题": Single, "多选": Multiple, " 判断题 ": TrueFalse, "填空": Fill, "简答题": Short, "short": Short} {
		if got, ok := ParseType(in); !ok || got != want {
			t.Errorf("ParseType(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseType("论述题"); ok {
		t.Error("ParseType(论述题) ok")
	}
	for in, want := range map[string]Difficulty{"易": Easy, "2": Medium, "３": Hard, "困难": Hard, "简单": Easy} {
		if got, ok := ParseDifficulty(in); !ok || got != want {
			t.Errorf("ParseDifficulty(%q) = %d, %v", in, got, ok)
		}
	}
	if _, ok := ParseDifficulty("0"); ok {
		t.Error("ParseDifficulty(0) ok")
	}
}
