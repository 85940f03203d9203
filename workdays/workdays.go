// Package workdays is the working-day calendar of mainland China: Monday to Friday are working
// days, except the statutory holidays (法定节假日) the State Council announces each year, and
// some weekend days are working days (调休上班日) in exchange. It is pure: the district enters a
// year's holidays and adjusted workdays (ParseYear) and the portal stores them; periods counted
// in working days (a 公示期 of 5 working days) are computed here from those lists.
package workdays

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"auxportal/screening"
)

// Kinds of special day.
const (
	Holiday = "holiday" // a weekday that is not worked (法定节假日)
	Workday = "workday" // a weekend day that is worked (调休上班日)
)

// Limits of a year's entry.
const (
	MaxLines     = 60 // lines in one list
	MaxRangeDays = 31 // days in one range (春节 and 国庆 are at most nine)
	MaxNote      = 40 // runes of a line's note
	MinYear      = 2000
	MaxYear      = 2100
)

// Day is one special day.
type Day struct {
	Date screening.Date `json:"date"`
	Kind string         `json:"kind"`
	Note string         `json:"note,omitempty"` // e.g. 国庆节
}

// Calendar answers which days are working days.
type Calendar struct {
	special map[screening.Date]string // date → Holiday or Workday
}

// New returns the calendar of the special days given (any years).
func New(days []Day) Calendar {
	c := Calendar{special: make(map[screening.Date]string, len(days))}
	for _, d := range days {
		c.special[d.Date] = d.Kind
	}
	return c
}

// IsWorkday reports whether d is a working day.
func (c Calendar) IsWorkday(d screening.Date) bool {
	switch c.special[d] {
	case Holiday:
		return false
	case Workday:
		return true
	}
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Period is a stretch of n working days that begins on start: the first working day on or after
// start and the n-th working day counted from there, both inclusive, as a notice says
// "公示期为5个工作日（2026年12月2日至12月8日）". n must be at least 1.
func (c Calendar) Period(start screening.Date, n int) (first, last screening.Date) {
	if n < 1 {
		n = 1
	}
	d := start
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	first = d
	for left := n - 1; left > 0; {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			left--
		}
	}
	return first, d
}

// Count is the number of working days from a to b, both inclusive (0 if b is before a).
func (c Calendar) Count(a, b screening.Date) int {
	n := 0
	for d := a; !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// LineError is a refused line of a year's entry.
type LineError struct {
	List string // Holiday or Workday
	Line int    // 1-based
	Msg  string
}

func (e LineError) Error() string { return fmt.Sprintf("第 %d 行：%s", e.Line, e.Msg) }

// ParseYear reads a year's two lists, one entry a line: a date "2026-10-01" or a range
// "2026-10-01 至 2026-10-08" (also "~"), optionally followed by a note ("国庆节"). Every date must
// lie in year; an adjusted workday must fall on a Saturday or Sunday (a weekday is a working day
// already), and no date may be in both lists. It returns the days sorted by date, or the refused
// lines.
func ParseYear(year int, holidays, workdays string) ([]Day, []LineError) {
	var errs []LineError
	if year < MinYear || year > MaxYear {
		return nil, []LineError{{List: Holiday, Line: 0, Msg: fmt.Sprintf("年份须在 %d 至 %d 之间", MinYear, MaxYear)}}
	}
	seen := map[screening.Date]string{}
	var out []Day
	for _, list := range []struct {
		kind, text string
	}{{Holiday, holidays}, {Workday, workdays}} {
		lines := strings.Split(strings.ReplaceAll(list.text, "\r\n", "\n"), "\n")
		if len(lines) > MaxLines {
			errs = append(errs, LineError{List: list.kind, Line: MaxLines + 1, Msg: fmt.Sprintf("最多 %d 行", MaxLines)})
			continue
		}
		for i, line := range lines {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			days, msg := parseLine(year, list.kind, line)
			if msg != "" {
				errs = append(errs, LineError{List: list.kind, Line: i + 1, Msg: msg})
				continue
			}
			for _, d := range days {
				if k, dup := seen[d.Date]; dup && k != list.kind {
					errs = append(errs, LineError{List: list.kind, Line: i + 1,
						Msg: d.Date.Chinese() + " 已登记为法定节假日，不能同时是调休上班日"})
					continue
				} else if dup {
					continue // a repeated date in one list: harmless
				}
				seen[d.Date] = list.kind
				out = append(out, d)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// parseLine reads one entry; msg is the Chinese reason it is refused.
func parseLine(year int, kind, line string) ([]Day, string) {
	fields := strings.Fields(strings.NewReplacer("～", " ~ ", "~", " ~ ", "至", " 至 ").Replace(line))
	from, err := screening.ParseDate(fields[0])
	if err != nil {
		return nil, "“" + fields[0] + "”不是有效日期，请按 年-月-日 填写，例如 2026-10-01"
	}
	to, rest := from, fields[1:]
	if len(rest) > 0 && (rest[0] == "~" || rest[0] == "至") {
		if len(rest) < 2 {
			return nil, "日期范围缺少结束日期，例如 2026-10-01 至 2026-10-08"
		}
		if to, err = screening.ParseDate(rest[1]); err != nil {
			return nil, "“" + rest[1] + "”不是有效日期，请按 年-月-日 填写"
		}
		rest = rest[2:]
	}
	note := strings.Join(rest, " ")
	switch {
	case from.Year != year || to.Year != year:
		return nil, fmt.Sprintf("日期须在 %d 年内（跨年的假期请在两个年度分别登记）", year)
	case to.Before(from):
		return nil, "结束日期不能早于开始日期"
	case from.AddDays(MaxRangeDays - 1).Before(to):
		return nil, fmt.Sprintf("一个日期范围最多 %d 天", MaxRangeDays)
	case utf8.RuneCountInString(note) > MaxNote:
		return nil, fmt.Sprintf("备注最多 %d 个字", MaxNote)
	case strings.ContainsAny(note, "<>\"'&"):
		return nil, "备注只能是文字说明，例如 国庆节"
	}
	var out []Day
	for d := from; !d.After(to); d = d.AddDays(1) {
		if kind == Workday {
			if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fmt.Sprintf("%s 是%s，本来就是工作日，无须登记为调休上班日", d.Chinese(), weekdayName(wd))
			}
		}
		out = append(out, Day{Date: d, Kind: kind, Note: note})
	}
	return out, ""
}

// Format writes days of one kind back as ParseYear reads them, consecutive dates with the same
// note as one range.
func Format(days []Day, kind string) string {
	var b strings.Builder
	for i := 0; i < len(days); {
		if days[i].Kind != kind {
			i++
			continue
		}
		j := i
		for j+1 < len(days) && days[j+1].Kind == kind && days[j+1].Note == days[i].Note && days[j+1].Date == days[j].Date.AddDays(1) {
			j++
		}
		b.WriteString(days[i].Date.String())
		if j > i {
			b.WriteString(" 至 " + days[j].Date.String())
		}
		if days[i].Note != "" {
			b.WriteString(" " + days[i].Note)
		}
		b.WriteString("\n")
		i = j + 1
	}
	return b.String()
}

func weekdayName(wd time.Weekday) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[wd]
}
