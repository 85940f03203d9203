package recruitment

import (
	"reflect"
	"testing"
)

func TestBoardOf_OpenFirstThenSoonThenClosed(t *testing.T) {
	all := []OpeningView{
		{ID: 1, TownID: 7, Town: "三星镇", ClosesAt: "2026-03-01", PastDeadline: true},
		{ID: 2, TownID: 1, Town: "海门街道", OpensAt: "2026-06-01", ClosesAt: "2026-06-30", Accepting: true},
		{ID: 3, TownID: 7, Town: "三星镇", OpensAt: "2026-06-01", ClosesAt: "2026-06-15", Accepting: true},
		{ID: 4, TownID: 1, Town: "海门街道", OpensAt: "2026-08-01", ClosesAt: "2026-08-30"},
		{ID: 5, TownID: 1, Town: "海门街道", ClosesAt: "2026-05-01", PastDeadline: true},
	}
	ids := func(vs []OpeningView) []uint64 {
		var out []uint64
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name               string
		town               uint64
		open, soon, closed []uint64
	}{
		{"all towns", 0, []uint64{3, 2}, []uint64{4}, []uint64{5, 1}},
		{"one town", 7, []uint64{3}, nil, []uint64{1}},
		{"a town without openings", 99, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := boardOf(all, tc.town)
			if !reflect.DeepEqual(ids(b.Open), tc.open) || !reflect.DeepEqual(ids(b.Soon), tc.soon) || !reflect.DeepEqual(ids(b.Closed), tc.closed) {
				t.Errorf("open %v soon %v closed %v; want %v %v %v", ids(b.Open), ids(b.Soon), ids(b.Closed), tc.open, tc.soon, tc.closed)
			}
			if len(b.Towns) != 2 || b.Towns[0].Name != "海门街道" || b.Towns[1].Name != "三星镇" {
				t.Errorf("towns %+v: every town with an opening, whatever the filter", b.Towns)
			}
		})
	}
}
