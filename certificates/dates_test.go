package certificates

import (
	"testing"
	"time"
)

func TestTimeSpanInChinaTime(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		start, end string
		want       string
	}{
		{"2026-12-05T01:00:00Z", "2026-12-05T02:30:00Z", "2026年12月5日 09:00–10:30"},
		// 16:30 UTC is already the next day in China.
		{"2026-12-04T16:30:00Z", "2026-12-04T18:00:00Z", "2026年12月5日 00:30–02:00"},
		{"2026-12-05T14:00:00Z", "2026-12-05T17:00:00Z", "2026年12月5日 22:00–2026年12月6日 01:00"},
	}
	for _, tt := range tests {
		if got := timeSpan(utc(tt.start), utc(tt.end)); got != tt.want {
			t.Errorf("timeSpan(%s, %s) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
	if got := chineseDate(utc("2027-12-18T16:00:00Z")); got != "2027年12月19日" {
		t.Errorf("chineseDate = %q", got)
	}
}
