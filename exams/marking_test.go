package exams

import (
	"strings"
	"testing"
)

func TestFinalMark_DoubleMarking(t *testing.T) {
	m := func(v ...int64) Marks {
		var out Marks
		ps := []**int64{&out.First, &out.Second, &out.Third}
		for i, x := range v {
			if x >= 0 {
				*ps[i] = ptr(x)
			}
		}
		return out
	}
	const none = -1
	tests := []struct {
		name   string
		points int64
		gap    int64
		marks  Marks
		want   Marking
		err    string
	}{
		{"nothing yet", 1500, 300, m(), Marking{}, ""},
		{"first only", 1500, 300, m(1000), Marking{}, ""},
		{"second only", 1500, 300, m(none, 1000), Marking{}, ""},
		{"equal", 1500, 300, m(1000, 1000), Marking{Done: true, Final: 1000}, ""},
		{"within gap: mean", 1500, 300, m(1000, 1200), Marking{Done: true, Final: 1100}, ""},
		{"exactly the gap: mean", 1500, 300, m(1000, 1300), Marking{Done: true, Final: 1150}, ""},
		{"mean rounds half up", 1500, 300, m(1000, 1001), Marking{Done: true, Final: 1001}, ""},
		{"above the gap: third needed", 1500, 300, m(900, 1201), Marking{NeedThird: true}, ""},
		{"zero gap: any difference", 1500, 0, m(1000, 1001), Marking{NeedThird: true}, ""},
		{"third closer to first", 1500, 300, m(600, 1200, 700), Marking{Done: true, Final: 650}, ""},
		{"third closer to second", 1500, 300, m(600, 1200, 1100), Marking{Done: true, Final: 1150}, ""},
		{"third equidistant: the higher", 1500, 300, m(600, 1200, 900), Marking{Done: true, Final: 1050}, ""},
		{"third at full marks", 1500, 300, m(1000, 1500, 1500), Marking{Done: true, Final: 1500}, ""},
		{"third outside both", 1500, 300, m(200, 800, 0), Marking{Done: true, Final: 100}, ""},
		{"full marks never exceeded", 1500, 0, m(1500, 1499, 1500), Marking{Done: true, Final: 1500}, ""},
		{"mark above points", 1500, 300, m(1501, 1000), Marking{}, "初评分数 15.01 超出本题分值范围 0 至 15.00 分"},
		{"negative mark", 1500, 300, m(1000, none, none), Marking{}, ""},
		{"third above points", 1500, 300, m(0, 1500, 1600), Marking{}, "第三评分数 16.00 超出"},
		{"third not needed", 1500, 300, m(1000, 1100, 1050), Marking{}, "不需要第三评"},
		{"third before the others", 1500, 300, m(1000, none, 1000), Marking{}, "初评和复评完成前不能进行第三评"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FinalMark(tt.points, tt.gap, tt.marks)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("FinalMark = %+v, %v; want %+v", got, err, tt.want)
			}
			if got.Final > tt.points {
				t.Fatal("final above points")
			}
		})
	}
	neg := Marks{First: ptr(int64(-1)), Second: ptr(int64(0))}
	if _, err := FinalMark(1500, 300, neg); err == nil {
		t.Error("negative mark accepted")
	}
}

// The demo blueprint's gap drives the demo paper's short answers to a result.
func TestFinalMark_IntoGrade_T3(t *testing.T) {
	p := gradingPaper(t, Partial)
	mk, err := FinalMark(1500, DemoBlueprint().ThirdMarkGap, Marks{First: ptr(int64(800)), Second: ptr(int64(1000))})
	if err != nil || !mk.Done {
		t.Fatal(mk, err)
	}
	r, err := Grade(p, Answers{1: {Choices: []string{"B"}}, 2: {Choices: []string{"A", "C", "D"}}, 3: {Truth: ptr(true)},
		4: {Blanks: []string{"一", "二"}}}, map[int]int64{5: mk.Final})
	if err != nil || r.Score != 2000 || r.Outcome != OutcomePass {
		t.Fatalf("%+v %v", r, err)
	}
}
