package exams

import (
	"fmt"

	"auxportal/screening"
)

// Marks are the independent hand marks of one short answer, in hundredths;
// nil means not given yet. The service makes sure the markers are different
// people and that no marker sees another's mark before giving their own.
type Marks struct {
	First  *int64 `json:"first,omitempty"`
	Second *int64 `json:"second,omitempty"`
	Third  *int64 `json:"third,omitempty"`
}

// Marking is where the double marking of one answer stands.
type Marking struct {
	Done      bool  `json:"done"`       // Final is the answer's mark
	NeedThird bool  `json:"need_third"` // the first two differ by more than the gap and no third mark yet
	Final     int64 `json:"final"`      // hundredths; 0 until Done
}

// FinalMark applies the double-marking rule to one short answer worth points
// (hundredths), with gap the largest difference two marks may have without a
// third mark (Blueprint.ThirdMarkGap):
//
//   - Until both first and second marks are in, it is not done.
//   - |first − second| ≤ gap: the final mark is their mean.
//   - Otherwise a third mark is needed; with it, the final mark is the mean
//     of the third and whichever of the first two is closer to it (if both
//     are equally close, the higher of the two).
//
// A mean is rounded half up to the hundredth ((a+b+1)/2, in the candidate's
// favour by at most 0.005 points). Every mark must lie in 0…points, so the
// final mark never exceeds the question's points. A third mark given when
// none is needed is an error, as is a third without the first two.
func FinalMark(points, gap int64, m Marks) (Marking, error) {
	for _, x := range []struct {
		name string
		v    *int64
	}{{"初评", m.First}, {"复评", m.Second}, {"第三评", m.Third}} {
		if x.v != nil && (*x.v < 0 || *x.v > points) {
			return Marking{}, fmt.Errorf("%s分数 %s 超出本题分值范围 0 至 %s 分",
				x.name, screening.FormatScore(*x.v), screening.FormatScore(points))
		}
	}
	if m.First == nil || m.Second == nil {
		if m.Third != nil {
			return Marking{}, fmt.Errorf("初评和复评完成前不能进行第三评")
		}
		return Marking{}, nil
	}
	a, b := *m.First, *m.Second
	if abs64(a-b) <= gap {
		if m.Third != nil {
			return Marking{}, fmt.Errorf("两次评分相差 %s 分，未超过阈值 %s 分，不需要第三评",
				screening.FormatScore(abs64(a-b)), screening.FormatScore(gap))
		}
		return Marking{Done: true, Final: meanUp(a, b)}, nil
	}
	if m.Third == nil {
		return Marking{NeedThird: true}, nil
	}
	c := *m.Third
	closer := a
	switch da, db := abs64(a-c), abs64(b-c); {
	case db < da:
		closer = b
	case db == da:
		closer = max(a, b)
	}
	return Marking{Done: true, Final: meanUp(closer, c)}, nil
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// meanUp is the mean of two non-negative hundredths, rounded half up.
func meanUp(a, b int64) int64 { return (a + b + 1) / 2 }
