package paging_test

import (
	"fmt"
	"strings"
	"testing"

	"auxportal/paging"
)

func TestLinks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		current, pages int
		want           string
	}{
		{1, 0, ""}, {1, 1, ""}, {1, 2, "[1] 2"}, {1, 4, "[1] 2 3 4"}, {5, 10, "1 … 3 4 [5] 6 7 … 10"}, {10, 10, "1 … 8 9 [10]"},
	} {
		var got []string
		for _, l := range paging.Links(c.current, c.pages, func(n int) string { return fmt.Sprintf("page=%d", n) }) {
			switch {
			case l.Gap:
				got = append(got, "…")
			case l.Current:
				got = append(got, fmt.Sprintf("[%d]", l.N))
			default:
				if l.Query != fmt.Sprintf("page=%d", l.N) {
					t.Errorf("link %d query %q", l.N, l.Query)
				}
				got = append(got, fmt.Sprint(l.N))
			}
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("Links(%d, %d) = %q, want %q", c.current, c.pages, s, c.want)
		}
	}
}

func TestPagesAndOffset(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		total int64
		size  int
		want  int
	}{{0, 50, 0}, {1, 50, 1}, {50, 50, 1}, {51, 50, 2}, {507, 50, 11}} {
		if got := paging.Pages(c.total, c.size); got != c.want {
			t.Errorf("Pages(%d, %d) = %d, want %d", c.total, c.size, got, c.want)
		}
	}
	if paging.Offset(0, 50) != 0 || paging.Offset(3, 50) != 100 {
		t.Error("Offset")
	}
}
