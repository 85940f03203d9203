package exams

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A sitting 09:00–11:00 China time (01:00–03:00 UTC), 60-minute paper.
var (
	opens  = time.Date(2026, 5, 20, 1, 0, 0, 0, time.UTC)
	closes = opens.Add(2 * time.Hour)
	hour   = time.Hour
)

func TestDeadline_T1_Accommodation(t *testing.T) {
	w := Window{Opens: opens, Closes: closes}
	tests := []struct {
		name  string
		start time.Time
		extra time.Duration
		want  time.Time
	}{
		{"start at open", opens, 0, opens.Add(hour)},
		{"start later", opens.Add(30 * time.Minute), 0, opens.Add(90 * time.Minute)},
		{"extra time", opens, 20 * time.Minute, opens.Add(80 * time.Minute)},
		{"extra cut at window end", opens.Add(50 * time.Minute), 20 * time.Minute, closes},
		{"exactly to window end", opens.Add(hour), 0, closes},
		{"late start cut at window end", opens.Add(100 * time.Minute), 0, closes},
		{"negative extra is none", opens, -10 * time.Minute, opens.Add(hour)},
		{"extra capped", opens, 1000 * time.Hour, closes},
	}
	for _, tt := range tests {
		if got := w.Deadline(tt.start, hour, tt.extra); !got.Equal(tt.want) {
			t.Errorf("%s: deadline %v, want %v", tt.name, got, tt.want)
		}
	}
	wide := Window{Opens: opens, Closes: opens.Add(10 * hour)}
	if got := wide.Deadline(opens, hour, 1000*time.Hour); !got.Equal(opens.Add(hour + MaxAccommodation)) {
		t.Errorf("extra above MaxAccommodation: %v", got)
	}
}

func TestWindowStart_T1(t *testing.T) {
	w := Window{Opens: opens, Closes: closes}
	tests := []struct {
		name      string
		w         Window
		now       time.Time
		extra     time.Duration
		reason    string // "" allowed
		deadline  time.Time
		shortened bool
	}{
		{"before open", w, opens.Add(-time.Second), 0, "not_open", time.Time{}, false},
		{"at open", w, opens, 0, "", opens.Add(hour), false},
		{"full time still fits", w, opens.Add(hour), 0, "", closes, false},
		{"late: shortened", w, opens.Add(90 * time.Minute), 0, "", closes, true},
		{"accommodated, cut short", w, opens.Add(50 * time.Minute), 15 * time.Minute, "", closes, true},
		{"last minute before the default last start", w, closes.Add(-DefaultLastStartLead - time.Second), 0, "", closes, true},
		{"inside the last five minutes", w, closes.Add(-DefaultLastStartLead), 0, "no_more_starts", time.Time{}, false},
		{"at window end", w, closes, 0, "closed", time.Time{}, false},
		{"after window end", w, closes.Add(hour), 0, "closed", time.Time{}, false},
		{"explicit last start: full time guaranteed", Window{Opens: opens, Closes: closes, LastStart: closes.Add(-hour)},
			closes.Add(-hour - time.Second), 0, "", closes.Add(-time.Second), false},
		{"explicit last start passed", Window{Opens: opens, Closes: closes, LastStart: closes.Add(-hour)},
			closes.Add(-hour), 0, "no_more_starts", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := tt.w.Start(tt.now, hour, tt.extra)
			if tt.reason != "" {
				var se *StartError
				if !errors.As(err, &se) || se.Reason != tt.reason || se.Message == "" {
					t.Fatalf("want %s, got %v", tt.reason, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !info.Deadline.Equal(tt.deadline) || info.Shortened != tt.shortened || info.Allowed != tt.deadline.Sub(tt.now) {
				t.Fatalf("got %+v, want deadline %v shortened %v", info, tt.deadline, tt.shortened)
			}
		})
	}
	_, err := w.Start(opens.Add(-hour), hour, 0)
	if err == nil || err.Error() != "考试尚未开始，开始时间为 2026年5月20日 09:00" {
		t.Errorf("message in China time: %v", err)
	}
}

func TestWindowValidate(t *testing.T) {
	tests := []struct {
		w    Window
		want string
	}{
		{Window{Opens: opens, Closes: closes}, ""},
		{Window{Opens: opens, Closes: opens.Add(hour)}, ""},
		{Window{}, "请设置考试开始和结束时间"},
		{Window{Opens: closes, Closes: opens}, "结束时间必须晚于开始时间"},
		{Window{Opens: opens, Closes: opens.Add(59 * time.Minute)}, "短于考试时长"},
		{Window{Opens: opens, Closes: closes, LastStart: opens}, "最晚开始时间"},
		{Window{Opens: opens, Closes: closes, LastStart: closes.Add(time.Second)}, "最晚开始时间"},
	}
	for _, tt := range tests {
		err := tt.w.Validate(hour)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v, want %q", tt.w, err, tt.want)
		}
	}
}

func TestAttemptClock(t *testing.T) {
	d := opens.Add(hour)
	if TimeLeft(d, opens) != hour || TimeLeft(d, d) != 0 || TimeLeft(d, d.Add(time.Minute)) != 0 {
		t.Error("TimeLeft")
	}
	if Overdue(d, d.Add(-time.Nanosecond)) || !Overdue(d, d) || !Overdue(d, d.Add(time.Hour)) {
		t.Error("Overdue: closed at the deadline itself")
	}
	if !FinishTime(d, d.Add(time.Hour)).Equal(d) || !FinishTime(d, opens.Add(time.Minute)).Equal(opens.Add(time.Minute)) {
		t.Error("FinishTime: an overdue attempt finishes at its deadline")
	}
}
