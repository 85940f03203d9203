package exams

import (
	"cmp"
	"math"
	"slices"
)

// Response is one candidate's graded score on one question version.
type Response struct {
	QuestionID uint64 `json:"question_id"`
	VersionID  uint64 `json:"version_id"`
	Score      int64  `json:"score"`
	Points     int64  `json:"points"`
}

// Scored is one candidate's graded paper as item statistics need it. Pass only
// complete results (no pending short answers), so totals compare.
type Scored struct {
	Candidate string     `json:"candidate"` // any stable key; breaks ties in the 27 % groups
	Items     []Response `json:"items"`
}

// Responses returns the graded items of a result (pending items left out).
func (r Result) Responses() []Response {
	var out []Response
	for _, ir := range r.Items {
		if ir.Status != StatusPending {
			out = append(out, Response{QuestionID: ir.QuestionID, VersionID: ir.VersionID, Score: ir.Score, Points: ir.Points})
		}
	}
	return out
}

// Sample sizes below which a statistic is not reported.
const (
	MinNDiscrimination = 10 // upper/lower 27 % groups of at least 3 candidates
	MinNCorrelation    = 5  // item–rest correlation
	ReliableN          = 30 // below this every statistic is flagged as indicative only
)

// ItemStat is the statistics of one question version over a cohort.
type ItemStat struct {
	QuestionID uint64 `json:"question_id"`
	VersionID  uint64 `json:"version_id"`
	N          int    `json:"n"` // candidates whose paper had the question
	// MeanScore is the mean score in hundredths.
	MeanScore float64 `json:"mean_score"`
	// Difficulty (难度系数, facility) is the mean of score / points: 1 means
	// everyone got full marks, 0 nobody scored.
	Difficulty float64 `json:"difficulty"`
	// Discrimination (区分度 D) is the mean share of points of the upper 27 %
	// of these candidates by total score minus that of the lower 27 %
	// (−1…1). Reported when N ≥ MinNDiscrimination.
	Discrimination *float64 `json:"discrimination,omitempty"`
	// PointBiserial is the Pearson correlation between the item's share of
	// points and the candidate's rest score (total minus this item, so the
	// item does not correlate with itself; for a right/wrong item this is the
	// corrected point-biserial). Reported when N ≥ MinNCorrelation and
	// neither varies by zero.
	PointBiserial *float64 `json:"point_biserial,omitempty"`
	// Flags are Chinese notes for the trainer.
	Flags []string `json:"flags,omitempty"`
}

// ItemStatistics computes per-question statistics over graded papers. Papers
// of one sitting hold different draws, so each question is judged over the
// candidates who had it; a candidate's total is the sum of their responses.
// The 27 % groups have round(0.27 × N) candidates each (at least 1), taken
// from the candidates sorted by total descending and then by Candidate key,
// so ties at a group boundary are split deterministically. Results are in
// QuestionID, VersionID order.
func ItemStatistics(cohort []Scored) []ItemStat {
	type obs struct {
		cand        string
		share       float64 // score / points
		score, rest float64 // hundredths
		total       int64
	}
	totals := make([]int64, len(cohort))
	for i, c := range cohort {
		for _, r := range c.Items {
			totals[i] += r.Score
		}
	}
	type key struct{ q, v uint64 }
	by := map[key][]obs{}
	for i, c := range cohort {
		for _, r := range c.Items {
			if r.Points <= 0 {
				continue
			}
			k := key{r.QuestionID, r.VersionID}
			by[k] = append(by[k], obs{cand: c.Candidate, share: float64(r.Score) / float64(r.Points),
				score: float64(r.Score), rest: float64(totals[i] - r.Score), total: totals[i]})
		}
	}
	var out []ItemStat
	for k, os := range by {
		n := len(os)
		st := ItemStat{QuestionID: k.q, VersionID: k.v, N: n}
		var sumScore, sumShare float64
		for _, o := range os {
			sumScore += o.score
			sumShare += o.share
		}
		st.MeanScore = sumScore / float64(n)
		st.Difficulty = sumShare / float64(n)
		if n >= MinNDiscrimination {
			slices.SortFunc(os, func(a, b obs) int {
				if c := cmp.Compare(b.total, a.total); c != 0 {
					return c
				}
				return cmp.Compare(a.cand, b.cand)
			})
			g := max(1, int(math.Round(0.27*float64(n))))
			var up, lo float64
			for i := 0; i < g; i++ {
				up += os[i].share
				lo += os[n-1-i].share
			}
			d := (up - lo) / float64(g)
			st.Discrimination = &d
		}
		if n >= MinNCorrelation {
			xs := make([]float64, n)
			ys := make([]float64, n)
			for i, o := range os {
				xs[i], ys[i] = o.share, o.rest
			}
			if r, ok := pearson(xs, ys); ok {
				st.PointBiserial = &r
			}
		}
		st.Flags = flags(st)
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b ItemStat) int {
		if c := cmp.Compare(a.QuestionID, b.QuestionID); c != 0 {
			return c
		}
		return cmp.Compare(a.VersionID, b.VersionID)
	})
	return out
}

func pearson(xs, ys []float64) (float64, bool) {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx < 1e-12 || syy < 1e-12 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// Thresholds of the flags (Ebel's rule of thumb for D).
const (
	TooHard           = 0.20 // Difficulty below: 过难
	TooEasy           = 0.90 // Difficulty above: 过易
	LowDiscrimination = 0.20 // D below: 区分度低
)

func flags(st ItemStat) []string {
	var f []string
	if st.N < ReliableN {
		f = append(f, "作答人数少于 30 人，统计结果仅供参考")
	}
	switch {
	case st.Difficulty < TooHard:
		f = append(f, "得分率低于 0.20：题目过难，或答案有误")
	case st.Difficulty > TooEasy:
		f = append(f, "得分率高于 0.90：题目过易")
	}
	neg := st.Discrimination != nil && *st.Discrimination < 0 || st.PointBiserial != nil && *st.PointBiserial < 0
	low := st.Discrimination != nil && *st.Discrimination < LowDiscrimination
	switch {
	case neg:
		f = append(f, "区分度为负：总分高的考生在本题上得分反而低，请检查答案")
	case low:
		f = append(f, "区分度低于 0.20：宜修改或淘汰")
	}
	return f
}
