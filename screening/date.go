package screening

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Date is a civil date (no time zone).
//
// The zero Date means "no date". Methods assume a real calendar date (see
// Valid); ParseDate and ParseID only ever produce real dates.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrDateFormat is returned (wrapped) by ParseDate and Date.UnmarshalJSON.
var ErrDateFormat = errors.New("日期格式不正确")

// ParseDate parses "2006-01-02" strictly: exactly four year digits, two month
// digits and two day digits separated by '-', and the date must exist
// (2023-02-29 is an error, 2024-02-29 is fine). Year 0000 is rejected.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%w：%q，应为“年-月-日”格式，例如 2006-01-02", ErrDateFormat, s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("%w：%q，应为“年-月-日”格式，例如 2006-01-02", ErrDateFormat, s)
	}
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if y < 1 || !date.Valid() {
		return Date{}, fmt.Errorf("%w：%s 不是有效的日期", ErrDateFormat, s)
	}
	return date, nil
}

// atoiDigits converts a string made only of ASCII digits; ok is false for any
// other character or an empty string.
func atoiDigits(s string) (n int, ok bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns t's calendar date in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Valid reports whether d is a real calendar date (month 1–12, day within the
// month, 29 February only in leap years).
func (d Date) Valid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

// String formats d as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Chinese formats d as "1985年7月1日" (no zero padding).
func (d Date) Chinese() string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// Compare returns -1 if d is before o, 0 if they are the same date, +1 if d is after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n days after d (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time().AddDate(0, 0, n))
}

// MarshalJSON encodes d as "2006-01-02", and the zero Date as null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON accepts "2006-01-02", and null or "" for the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w：应为字符串，例如 \"2006-01-02\"", ErrDateFormat)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
