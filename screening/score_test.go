package screening

import (
	"math"
	"strings"
	"testing"
)

func TestParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string // substring; empty: ok
	}{
		{"85.5", 8550, ""},
		{"85", 8500, ""},
		{"85.50", 8550, ""},
		{"85.05", 8505, ""},
		{" 85.5 ", 8550, ""},
		{"0", 0, ""},
		{"0.00", 0, ""},
		{"0.01", 1, ""},
		{"0085.5", 8550, ""},
		{"100", 10000, ""},
		{"999.99", 99999, ""},
		{"1000", 100000, ""},
		{"1000.00", 100000, ""},
		{"1000.01", 0, "超出范围"},
		{"1001", 0, "超出范围"},
		{"99999999999999999999999", 0, "超出范围"},
		{"85.555", 0, "最多保留两位小数"},
		{"", 0, "请填写成绩"},
		{"  ", 0, "请填写成绩"},
		{"-1", 0, "格式不正确"},
		{"+5", 0, "格式不正确"},
		{"85.", 0, "格式不正确"},
		{".5", 0, "格式不正确"},
		{"85,5", 0, "格式不正确"},
		{"1e2", 0, "格式不正确"},
		{"8 5", 0, "格式不正确"},
		{"85.5.1", 0, "格式不正确"},
		{"abc", 0, "格式不正确"},
		{"８５", 0, "格式不正确"},
		{"NaN", 0, "格式不正确"},
	}
	for _, tt := range tests {
		got, err := ParseScore(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseScore(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseScore(%q) = %d, %v; want error containing %q", tt.in, got, err, tt.err)
		}
	}
}

func TestFormatScore(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{8550, "85.50"},
		{8600, "86.00"},
		{8505, "85.05"},
		{0, "0.00"},
		{1, "0.01"},
		{99, "0.99"},
		{100000, "1000.00"},
		{-150, "-1.50"},
		{-1, "-0.01"},
		{math.MaxInt64, "92233720368547758.07"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := FormatScore(tt.in); got != tt.want {
			t.Errorf("FormatScore(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Round trip over the whole accepted range.
	for v := int64(0); v <= MaxScore; v++ {
		back, err := ParseScore(FormatScore(v))
		if err != nil || back != v {
			t.Fatalf("round trip %d: %d, %v", v, back, err)
		}
	}
}
