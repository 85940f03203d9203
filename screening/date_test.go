package screening

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2006-01-02", Date{2006, time.January, 2}, true},
		{"2024-02-29", Date{2024, time.February, 29}, true},
		{"2000-02-29", Date{2000, time.February, 29}, true},
		{"1999-12-31", Date{1999, time.December, 31}, true},
		{"0001-01-01", Date{1, time.January, 1}, true},
		{"2023-02-29", Date{}, false},
		{"1900-02-29", Date{}, false},
		{"2026-04-31", Date{}, false},
		{"2026-13-01", Date{}, false},
		{"2026-00-10", Date{}, false},
		{"2026-01-00", Date{}, false},
		{"0000-01-01", Date{}, false},
		{"2026-1-01", Date{}, false},
		{"2026-01-1", Date{}, false},
		{"26-01-01", Date{}, false},
		{"2026/01/01", Date{}, false},
		{"2026-01-01T00:00:00Z", Date{}, false},
		{" 2026-01-01", Date{}, false},
		{"2026-0a-01", Date{}, false},
		{"+026-01-01", Date{}, false},
		{"", Date{}, false},
		{"２０２６-01-01", Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want error", tt.in, got)
			}
			if !errors.Is(err, ErrDateFormat) {
				t.Errorf("error %v does not wrap ErrDateFormat", err)
			}
		})
	}
}

func TestDate_StringChineseTime(t *testing.T) {
	tests := []struct {
		d       Date
		str, zh string
	}{
		{Date{1985, time.July, 1}, "1985-07-01", "1985年7月1日"},
		{Date{2008, time.December, 31}, "2008-12-31", "2008年12月31日"},
		{Date{2028, time.February, 29}, "2028-02-29", "2028年2月29日"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if got := tt.d.Chinese(); got != tt.zh {
			t.Errorf("Chinese() = %q, want %q", got, tt.zh)
		}
		tm := tt.d.Time()
		if tm.Location() != time.UTC || tm.Hour() != 0 || tm.Minute() != 0 || DateOf(tm) != tt.d {
			t.Errorf("Time() = %v, not midnight UTC of %v", tm, tt.d)
		}
		if back, err := ParseDate(tt.str); err != nil || back != tt.d {
			t.Errorf("round trip %q: %v %v", tt.str, back, err)
		}
	}
}

func TestDateOf_UsesOwnLocation(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		t    time.Time
		want Date
	}{
		{time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), Date{2026, time.June, 30}},
		{time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC).In(shanghai), Date{2026, time.July, 1}},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, shanghai), Date{2026, time.July, 1}},
	}
	for _, tt := range tests {
		if got := DateOf(tt.t); got != tt.want {
			t.Errorf("DateOf(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestDate_CompareBeforeAfter(t *testing.T) {
	tests := []struct {
		a, b Date
		want int
	}{
		{d("2026-06-30"), d("2026-06-30"), 0},
		{d("2026-06-29"), d("2026-06-30"), -1},
		{d("2026-07-01"), d("2026-06-30"), 1},
		{d("2025-12-31"), d("2026-01-01"), -1},
		{d("2026-02-01"), d("2026-01-31"), 1},
		{Date{}, d("0001-01-01"), -1},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := tt.b.Compare(tt.a); got != -tt.want {
			t.Errorf("%v.Compare(%v) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if tt.a.Before(tt.b) != (tt.want < 0) || tt.a.After(tt.b) != (tt.want > 0) {
			t.Errorf("Before/After inconsistent for %v, %v", tt.a, tt.b)
		}
	}
}

func TestDate_AddDaysIsZeroValid(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{d("2028-02-28"), 1, d("2028-02-29")},
		{d("2026-02-28"), 1, d("2026-03-01")},
		{d("2026-12-31"), 1, d("2027-01-01")},
		{d("2026-03-01"), -1, d("2026-02-28")},
		{d("2026-06-30"), 0, d("2026-06-30")},
		{d("2026-06-30"), 365, d("2027-06-30")},
		{d("2024-03-01"), -366, d("2023-03-01")},
	}
	for _, tt := range tests {
		if got := tt.d.AddDays(tt.n); got != tt.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
	}
	if !(Date{}).IsZero() || d("2026-01-01").IsZero() {
		t.Error("IsZero wrong")
	}
	for _, bad := range []Date{{2023, 2, 29}, {2026, 4, 31}, {2026, 0, 1}, {2026, 13, 1}, {2026, 1, 0}, {}} {
		if bad.Valid() {
			t.Errorf("%v.Valid() = true", bad)
		}
	}
}

func TestDate_JSON(t *testing.T) {
	type wrap struct {
		D Date `json:"d"`
	}
	tests := []struct {
		in   Date
		json string
	}{
		{d("1985-07-01"), `{"d":"1985-07-01"}`},
		{Date{}, `{"d":null}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(wrap{tt.in})
		if err != nil || string(b) != tt.json {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.json)
		}
		var back wrap
		if err := json.Unmarshal(b, &back); err != nil || back.D != tt.in {
			t.Errorf("Unmarshal(%s) = %v, %v", b, back.D, err)
		}
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"d":""}`), &w); err != nil || !w.D.IsZero() {
		t.Errorf(`"" should decode to the zero date: %v %v`, w.D, err)
	}
	for _, bad := range []string{`{"d":"2023-02-29"}`, `{"d":20260101}`, `{"d":"2026-1-1"}`} {
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("Unmarshal(%s) should fail", bad)
		}
	}
}
