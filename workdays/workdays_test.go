package workdays

import (
	"strings"
	"testing"

	"auxportal/screening"
)

func d(s string) screening.Date {
	v, err := screening.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// cal2025 is the 2025 State Council schedule as a district clerk would enter it: 元旦, 春节
// (1月28日至2月4日, with 1月26日 and 2月8日 worked) and 国庆+中秋 (10月1日至8日, with 9月28日 and
// 10月11日 worked); and 2026's 元旦 with 1月4日 worked.
func cal2025(t *testing.T) Calendar {
	t.Helper()
	days, errs := ParseYear(2025, "2025-01-01 元旦\n2025-01-28 至 2025-02-04 春节\n2025-10-01~2025-10-08 国庆节、中秋节",
		"2025-01-26 春节调休\n2025-02-08\n2025-09-28\n2025-10-11")
	if errs != nil {
		t.Fatal(errs)
	}
	next, errs := ParseYear(2026, "2026-01-01 至 2026-01-03 元旦", "2026-01-04")
	if errs != nil {
		t.Fatal(errs)
	}
	return New(append(days, next...))
}

func TestPeriodInWorkingDays(t *testing.T) {
	c := cal2025(t)
	for _, tc := range []struct {
		name        string
		start       string
		n           int
		first, last string
	}{
		{"a plain week: Wednesday to Tuesday", "2025-12-03", 5, "2025-12-03", "2025-12-09"},
		{"started on a Saturday: counting begins on Monday", "2025-12-06", 5, "2025-12-08", "2025-12-12"},
		{"one day", "2025-12-05", 1, "2025-12-05", "2025-12-05"},
		{"国庆: the Sunday worked counts, the eight days off do not", "2025-09-26", 5, "2025-09-26", "2025-10-09"},
		{"started inside 国庆: the Saturday worked after it counts", "2025-10-03", 5, "2025-10-09", "2025-10-14"},
		{"春节: across the 调休 Sunday and the holiday", "2025-01-24", 5, "2025-01-24", "2025-02-06"},
		{"春节: the Saturday worked after it counts", "2025-02-05", 5, "2025-02-05", "2025-02-10"},
		{"across the new year: 元旦 off, the Sunday after worked", "2025-12-29", 5, "2025-12-29", "2026-01-05"},
		{"seven working days", "2025-12-01", 7, "2025-12-01", "2025-12-09"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, last := c.Period(d(tc.start), tc.n)
			if first != d(tc.first) || last != d(tc.last) {
				t.Fatalf("Period(%s, %d) = %s – %s, want %s – %s", tc.start, tc.n, first, last, tc.first, tc.last)
			}
			if got := c.Count(first, last); got != tc.n {
				t.Fatalf("Count(%s, %s) = %d, want %d", first, last, got, tc.n)
			}
		})
	}
}

func TestIsWorkday(t *testing.T) {
	c := cal2025(t)
	empty := New(nil)
	for _, tc := range []struct {
		day  string
		cal  Calendar
		want bool
	}{
		{"2025-12-05", c, true},      // Friday
		{"2025-12-06", c, false},     // Saturday
		{"2025-12-07", c, false},     // Sunday
		{"2025-10-01", c, false},     // 国庆, a Wednesday
		{"2025-10-11", c, true},      // 调休, a Saturday
		{"2025-10-01", empty, true},  // nobody entered 2025: a Wednesday
		{"2025-10-11", empty, false}, // nor the 调休
	} {
		if got := tc.cal.IsWorkday(d(tc.day)); got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tc.day, got, tc.want)
		}
	}
}

func TestParseYearRefusesBadLines(t *testing.T) {
	for _, tc := range []struct {
		name               string
		holidays, workdays string
		want               string
	}{
		{"not a date", "十月一日", "", "不是有效日期"},
		{"no such date", "2025-02-30", "", "不是有效日期"},
		{"another year", "2026-10-01", "", "2025 年内"},
		{"range backwards", "2025-10-08 至 2025-10-01", "", "不能早于开始日期"},
		{"range without its end", "2025-10-01 至", "", "缺少结束日期"},
		{"range too long", "2025-01-01 至 2025-03-01", "", "最多 31 天"},
		{"a weekday entered as a 调休 workday", "", "2025-10-10", "星期五，本来就是工作日"},
		{"a date in both lists", "2025-10-11", "2025-10-11", "不能同时是调休上班日"},
		{"markup in the note", "2025-10-01 <b>国庆</b>", "", "只能是文字说明"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			days, errs := ParseYear(2025, tc.holidays, tc.workdays)
			if days != nil || len(errs) == 0 {
				t.Fatalf("accepted: %v", days)
			}
			if !strings.Contains(errs[0].Error(), tc.want) || !strings.HasPrefix(errs[0].Error(), "第 1 行") {
				t.Fatalf("error %q, want it to name line 1 and say %q", errs[0].Error(), tc.want)
			}
		})
	}
	if _, errs := ParseYear(1999, "", ""); len(errs) == 0 {
		t.Fatal("year 1999 accepted")
	}
}

func TestFormatRoundTrips(t *testing.T) {
	in := "2025-01-01 元旦\n2025-10-01 至 2025-10-08 国庆节\n"
	days, errs := ParseYear(2025, in, "2025-09-28\n2025-10-11\n")
	if errs != nil {
		t.Fatal(errs)
	}
	if got := Format(days, Holiday); got != in {
		t.Fatalf("Format(holidays) = %q, want %q", got, in)
	}
	if got := Format(days, Workday); got != "2025-09-28\n2025-10-11\n" {
		t.Fatalf("Format(workdays) = %q", got)
	}
}
