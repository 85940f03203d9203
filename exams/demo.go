package exams

// DemoBlueprint is the demo paper: 30 questions, 100 points, pass mark 60,
// 60 minutes, partial credit for multiple choice, questions and options
// shuffled, a third mark when two marks of a short answer differ by more
// than 3 points. DemoBank fills every cell with spare questions, so two
// candidates' draws differ.
//
//	单选题 12 × 2 分   法律法规 1 难 + 3 不限，业务技能 4，纪律作风 2，职业道德 2
//	多选题  6 × 3 分   法律法规 2，业务技能 2，纪律作风 1，职业道德 1
//	判断题  6 × 2 分   法律法规 2，业务技能 2，纪律作风 1，职业道德 1
//	填空题  4 × 4 分   每个分类 1
//	简答题  2 × 15 分  业务技能 1，法律法规 1
func DemoBlueprint() Blueprint {
	c := func(cat Category, t Type, d Difficulty, n int, pts int64) Cell {
		return Cell{Category: cat, Type: t, Difficulty: d, Count: n, Points: pts}
	}
	return Blueprint{
		Title: "城市管理辅助人员岗前培训考试（示例）",
		Cells: []Cell{
			c(Law, Single, Hard, 1, 200),
			c(Law, Single, AnyDifficulty, 3, 200),
			c(Skills, Single, AnyDifficulty, 4, 200),
			c(Discipline, Single, AnyDifficulty, 2, 200),
			c(Ethics, Single, AnyDifficulty, 2, 200),
			c(Law, Multiple, AnyDifficulty, 2, 300),
			c(Skills, Multiple, AnyDifficulty, 2, 300),
			c(Discipline, Multiple, AnyDifficulty, 1, 300),
			c(Ethics, Multiple, AnyDifficulty, 1, 300),
			c(Law, TrueFalse, AnyDifficulty, 2, 200),
			c(Skills, TrueFalse, AnyDifficulty, 2, 200),
			c(Discipline, TrueFalse, AnyDifficulty, 1, 200),
			c(Ethics, TrueFalse, AnyDifficulty, 1, 200),
			c(Law, Fill, AnyDifficulty, 1, 400),
			c(Skills, Fill, AnyDifficulty, 1, 400),
			c(Discipline, Fill, AnyDifficulty, 1, 400),
			c(Ethics, Fill, AnyDifficulty, 1, 400),
			c(Skills, Short, AnyDifficulty, 1, 1500),
			c(Law, Short, AnyDifficulty, 1, 1500),
		},
		PassMark:         6000,
		DurationMinutes:  60,
		Multi:            Partial,
		ShuffleQuestions: true,
		ShuffleOptions:   true,
		ThirdMarkGap:     300,
	}
}
