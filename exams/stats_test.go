package exams

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestItemStatistics_SmallCohort(t *testing.T) {
	q1 := []int64{100, 100, 100, 0, 100, 0, 100, 0, 0, 0}
	var cohort []Scored
	for i := 0; i < 10; i++ {
		s := Scored{Candidate: fmt.Sprintf("c%d", i), Items: []Response{
			{QuestionID: 1, VersionID: 11, Score: q1[i], Points: 100},
			{QuestionID: 2, VersionID: 21, Score: int64(900 - 100*i), Points: 900},
			// Q4 is right only for the weakest: negative discrimination.
			{QuestionID: 4, VersionID: 41, Score: map[bool]int64{true: 100}[i >= 7], Points: 100},
		}}
		if i < 4 { // Q3 only on four papers, everyone right
			s.Items = append(s.Items, Response{QuestionID: 3, VersionID: 31, Score: 200, Points: 200})
		}
		cohort = append(cohort, s)
	}
	st := ItemStatistics(cohort)
	if len(st) != 4 || st[0].QuestionID != 1 || st[3].QuestionID != 4 {
		t.Fatalf("stats %+v", st)
	}
	near := func(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-3 }

	s1 := st[0]
	if s1.N != 10 || s1.MeanScore != 50 || s1.Difficulty != 0.5 {
		t.Errorf("Q1 n/mean/difficulty %+v", s1)
	}
	// Upper 27 % (3 of 10: c0 c1 c2) all right, lower (c9 c8 c7) all wrong.
	if !near(s1.Discrimination, 1) {
		t.Errorf("Q1 D = %v", deref(s1.Discrimination))
	}
	// Pearson of Q1's share with the rest score (Q2 + Q3 + Q4), computed here
	// independently with the raw-sums formula.
	rest := make([]float64, 10)
	x := make([]float64, 10)
	for i := range rest {
		x[i] = float64(q1[i]) / 100
		rest[i] = float64(900 - 100*i)
		if i >= 7 {
			rest[i] += 100
		}
		if i < 4 {
			rest[i] += 200
		}
	}
	if want := refPearson(x, rest); !near(s1.PointBiserial, want) {
		t.Errorf("Q1 r = %v, want %v", deref(s1.PointBiserial), want)
	}

	s2 := st[1]
	// Upper shares 9/9 8/9 7/9, lower 0 1/9 2/9: D = (24/9 − 3/9) / 3 = 0.7778.
	if !near(&s2.Difficulty, 0.5) || !near(s2.Discrimination, 7.0/9) {
		t.Errorf("Q2 %+v D=%v", s2, deref(s2.Discrimination))
	}

	s3 := st[2]
	if s3.N != 4 || s3.Discrimination != nil || s3.PointBiserial != nil || s3.Difficulty != 1 {
		t.Errorf("Q3 with n=4 should report difficulty only: %+v", s3)
	}
	if !hasFlag(s3, "过易") || !hasFlag(s3, "少于 30 人") {
		t.Errorf("Q3 flags %v", s3.Flags)
	}

	s4 := st[3]
	if !near(s4.Discrimination, -1) || s4.PointBiserial == nil || *s4.PointBiserial >= 0 || !hasFlag(s4, "区分度为负") {
		t.Errorf("Q4 %+v", s4)
	}
}

func TestItemStatistics_Thresholds(t *testing.T) {
	mk := func(n int) []Scored {
		var c []Scored
		for i := 0; i < n; i++ {
			c = append(c, Scored{Candidate: fmt.Sprint(i), Items: []Response{
				{QuestionID: 1, VersionID: 1, Score: int64(100 * (i % 2)), Points: 100},
				{QuestionID: 2, VersionID: 2, Score: int64(10 * i), Points: 1000},
			}})
		}
		return c
	}
	tests := []struct {
		n        int
		hasD     bool
		hasR     bool
		reliable bool
	}{
		{1, false, false, false},
		{4, false, false, false},
		{5, false, true, false},
		{9, false, true, false},
		{10, true, true, false},
		{30, true, true, true},
	}
	for _, tt := range tests {
		s := ItemStatistics(mk(tt.n))[0]
		if (s.Discrimination != nil) != tt.hasD || (s.PointBiserial != nil) != tt.hasR || hasFlag(s, "少于 30 人") == tt.reliable {
			t.Errorf("n=%d: D %v r %v flags %v", tt.n, deref(s.Discrimination), deref(s.PointBiserial), s.Flags)
		}
	}
	if got := ItemStatistics(nil); len(got) != 0 {
		t.Errorf("empty cohort: %v", got)
	}
}

func TestResultResponses(t *testing.T) {
	p := gradingPaper(t, Partial)
	r, _ := Grade(p, Answers{1: {Choices: []string{"B"}}}, nil)
	rs := r.Responses()
	if len(rs) != 4 || rs[0].Score != 200 || rs[0].Points != 200 {
		t.Errorf("responses %+v (the pending short answer must be left out)", rs)
	}
}

func refPearson(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxy, sxx, syy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxy += x[i] * y[i]
		sxx += x[i] * x[i]
		syy += y[i] * y[i]
	}
	return (n*sxy - sx*sy) / math.Sqrt((n*sxx-sx*sx)*(n*syy-sy*sy))
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func hasFlag(s ItemStat, sub string) bool {
	for _, f := range s.Flags {
		if strings.Contains(f, sub) {
			return true
		}
	}
	return false
}
