package exams

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func smallBlueprint() Blueprint {
	return Blueprint{
		Cells: []Cell{
			{Category: Law, Type: Single, Difficulty: AnyDifficulty, Count: 2, Points: 500},
			{Category: Skills, Type: TrueFalse, Difficulty: AnyDifficulty, Count: 2, Points: 500},
		},
		PassMark: 1200, DurationMinutes: 30,
	}
}

func TestBlueprintValidate_T1(t *testing.T) {
	tests := []struct {
		name string
		mod  func(b *Blueprint)
		want string // "" valid
	}{
		{"ok", func(b *Blueprint) {}, ""},
		{"pass mark equal to total ok", func(b *Blueprint) { b.PassMark = 2000 }, ""},
		{"partial policy ok", func(b *Blueprint) { b.Multi = Partial }, ""},
		{"no cells", func(b *Blueprint) { b.Cells = nil }, "请至少设置一个组卷条目"},
		{"count zero", func(b *Blueprint) { b.Cells[0].Count = 0 }, "第 1 条（法律法规·单选题·难度不限）：题数应在 1 至 200 之间"},
		{"count negative", func(b *Blueprint) { b.Cells[1].Count = -3 }, "第 2 条（业务技能·判断题·难度不限）：题数应在 1 至 200 之间"},
		{"points zero", func(b *Blueprint) { b.Cells[0].Points = 0 }, "每题分值应在 0.01 至 100.00 分之间"},
		{"points too high", func(b *Blueprint) { b.Cells[0].Points = 10001 }, "每题分值应在 0.01 至 100.00 分之间"},
		{"bad type", func(b *Blueprint) { b.Cells[0].Type = "essay" }, "题型 \"essay\" 不是"},
		{"bad difficulty", func(b *Blueprint) { b.Cells[0].Difficulty = 4 }, "难度应为 0（不限）"},
		{"no category", func(b *Blueprint) { b.Cells[0].Category = "" }, "请填写分类"},
		{"duplicate cells", func(b *Blueprint) { b.Cells = append(b.Cells, b.Cells[0]) }, "第 3 条（法律法规·单选题·难度不限）与第 1 条重复"},
		{"pass mark above total", func(b *Blueprint) { b.PassMark = 2001 }, "合格分数线 20.01 分高于试卷总分 20.00 分"},
		{"no pass mark", func(b *Blueprint) { b.PassMark = 0 }, "请设置合格分数线"},
		{"duration short", func(b *Blueprint) { b.DurationMinutes = 4 }, "考试时长应在 5 至 240 分钟之间"},
		{"duration long", func(b *Blueprint) { b.DurationMinutes = 241 }, "考试时长应在 5 至 240 分钟之间"},
		{"policy", func(b *Blueprint) { b.Multi = "half" }, "多选题计分方式"},
		{"gap", func(b *Blueprint) { b.ThirdMarkGap = -1 }, "第三评阈值不能为负数"},
		{"too many questions", func(b *Blueprint) {
			b.Cells = []Cell{{Law, Single, 1, 200, 100}, {Law, Single, 2, 200, 100}}
			b.PassMark = 100
		}, "一份试卷最多 300 题，现有 400 题"},
		{"total too high", func(b *Blueprint) {
			b.Cells = []Cell{{Law, Short, 0, 20, 10000}}
		}, "试卷总分 2000.00 分超过 1000.00 分"},
		// Specific and any of one category × type may sit together (filled specific first).
		{"specific beside any ok", func(b *Blueprint) {
			b.Cells = append(b.Cells, Cell{Law, Single, Hard, 1, 500})
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := smallBlueprint()
			b.Cells = slices.Clone(b.Cells)
			tt.mod(&b)
			err := b.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var be *BlueprintError
			if !errors.As(err, &be) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want %q, got %v", tt.want, err)
			}
		})
	}
}

func TestCheckBank_Shortages_T1(t *testing.T) {
	inv := Inventory{
		{Law, Single, Easy}:   3,
		{Law, Single, Medium}: 4,
		{Law, Single, Hard}:   2,
		{Skills, Fill, Easy}:  1,
	}
	tests := []struct {
		name  string
		cells []Cell
		want  []string // the messages, in cell order
	}{
		{"enough", []Cell{{Law, Single, AnyDifficulty, 9, 100}}, nil},
		{"specific short",
			[]Cell{{Law, Single, Medium, 10, 100}},
			[]string{"法律法规·单选题·难度中：需要 10 题，题库只有 4 题，缺 6 题"}},
		{"any short",
			[]Cell{{Law, Single, AnyDifficulty, 10, 100}},
			[]string{"法律法规·单选题·难度不限：需要 10 题，题库只有 9 题，缺 1 题"}},
		{"any after specific: reserved questions are not counted twice",
			[]Cell{{Law, Single, Hard, 2, 100}, {Law, Single, AnyDifficulty, 8, 100}},
			[]string{"法律法规·单选题·难度不限：需要 8 题，题库除指定难度条目已用的 2 题外只有 7 题，缺 1 题"}},
		{"specific short and any short: the specific takes what there is",
			[]Cell{{Law, Single, Hard, 3, 100}, {Law, Single, AnyDifficulty, 8, 100}},
			[]string{"法律法规·单选题·难度难：需要 3 题，题库只有 2 题，缺 1 题",
				"法律法规·单选题·难度不限：需要 8 题，题库除指定难度条目已用的 2 题外只有 7 题，缺 1 题"}},
		{"every short cell listed, empty slots too",
			[]Cell{{Skills, Fill, AnyDifficulty, 3, 100}, {Ethics, Short, Hard, 1, 100}, {Law, Single, Easy, 3, 100}},
			[]string{"业务技能·填空题·难度不限：需要 3 题，题库只有 1 题，缺 2 题",
				"职业道德·简答题·难度难：需要 1 题，题库只有 0 题，缺 1 题"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Blueprint{Cells: tt.cells, PassMark: 1, DurationMinutes: 10}
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			err := b.CheckBank(inv)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want enough, got %v", err)
				}
				return
			}
			var se *ShortageError
			if !errors.As(err, &se) {
				t.Fatalf("want *ShortageError, got %v", err)
			}
			var got []string
			for _, s := range se.Shortages {
				got = append(got, s.Message())
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("shortages\n got %q\nwant %q", got, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "题库题量不足：") || !strings.Contains(err.Error(), tt.want[0]) {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}
