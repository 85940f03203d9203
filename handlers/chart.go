package handlers

import (
	"fmt"
	"math"
	"strings"

	"auxportal/recruitment"
)

// staffChart is the dashboard's staffing picture (rule Q-1) as numbers for an SVG the server
// draws: per town one stacked bar (in post, hired, proposed, open seats) against a mark at the
// town's minimum, with the numbers written beside it. No script: it is there when the page is.
type staffChart struct {
	Width, Height float64
	BarX, BarW    float64
	Desc          string
	Legend        []chartLegend
	Rows          []chartRow
}

type chartLegend struct {
	X     float64
	Fill  string
	Label string
}

type chartRow struct {
	Y, TextY, MarkX float64
	Town, Value     string
	Segs            []chartSeg
	Short           bool // below the minimum once in post and hired are counted
}

type chartSeg struct {
	X, W  float64
	Fill  string
	Title string
}

// The series, in stacking order, with their colours (distinct in grey too, for printouts).
var chartSeries = []struct{ label, fill string }{
	{"在岗", "#1f4e79"}, {"已录用", "#2e8b57"}, {"拟录用", "#d4a017"}, {"招聘中名额", "#9ec5e8"},
}

const (
	chartRowH   = 30.0
	chartBarH   = 16.0
	chartTop    = 34.0 // room for the legend
	chartLabelW = 78.0
	chartBarW   = 236.0
	chartValueW = 86.0
)

func newStaffChart(d *recruitment.Dashboard) staffChart {
	c := staffChart{Width: chartLabelW + chartBarW + chartValueW, BarX: chartLabelW, BarW: chartBarW,
		Height: chartTop + chartRowH*float64(len(d.Towns)) + 6}
	x := 0.0
	for _, s := range chartSeries {
		c.Legend = append(c.Legend, chartLegend{X: x, Fill: s.fill, Label: s.label})
		x += 14 + 12*float64(len([]rune(s.label))) + 14
	}
	top := 1
	for _, t := range d.Towns {
		top = max(top, t.Minimum, t.ExistingStaff+t.Hired+t.Proposed+t.OpenSeats)
	}
	scale := chartBarW / float64(top)
	var desc []string
	for i, t := range d.Towns {
		y := chartTop + chartRowH*float64(i)
		r := chartRow{Y: y + (chartRowH-chartBarH)/2, TextY: y + chartRowH/2 + 4, Town: t.Town,
			MarkX: round1(chartLabelW + float64(t.Minimum)*scale), Short: t.Gap > 0,
			Value: fmt.Sprintf("%d/%d", t.ExistingStaff+t.Hired, t.Minimum)}
		at := chartLabelW
		for j, n := range []int{t.ExistingStaff, t.Hired, t.Proposed, t.OpenSeats} {
			if n == 0 {
				continue
			}
			w := float64(n) * scale
			r.Segs = append(r.Segs, chartSeg{X: round1(at), W: round1(w), Fill: chartSeries[j].fill,
				Title: fmt.Sprintf("%s %s %d 人", t.Town, chartSeries[j].label, n)})
			at += w
		}
		c.Rows = append(c.Rows, r)
		desc = append(desc, fmt.Sprintf("%s：最低配备 %d，在岗 %d，已录用 %d，拟录用 %d，招聘中名额 %d", t.Town, t.Minimum,
			t.ExistingStaff, t.Hired, t.Proposed, t.OpenSeats))
	}
	c.Desc = "每个区镇一条横条，依次为在岗、已录用、拟录用和招聘中名额，竖线为最低配备数；右侧数字为在岗加已录用 / 最低配备。" +
		strings.Join(desc, "；") + "。"
	return c
}

// round1 keeps the SVG's numbers short: a tenth of a unit is finer than any screen shows.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
