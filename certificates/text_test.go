package certificates

import (
	"slices"
	"testing"
)

func TestWrap(t *testing.T) {
	// Every character one unit wide, so the width is the number of characters per line.
	unit := func(rune) float64 { return 1 }
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits", "海门街道", 4, []string{"海门街道"}},
		{"breaks between any two hanzi", "南通市海门区城市管理", 4, []string{"南通市海", "门区城市", "管理"}},
		{"closing mark never starts a line", "海门街道，三厂", 4, []string{"海门街", "道，三厂"}},
		{"opening mark never ends a line", "海门街（三厂", 4, []string{"海门街", "（三厂"}},
		{"Latin word kept whole", "座位号A0123", 5, []string{"座位号", "A0123"}},
		{"word longer than a line is cut", "ABCDEFGHIJ", 4, []string{"ABCD", "EFGH", "IJ"}},
		{"spaces at a break vanish", "ab cd ef", 5, []string{"ab cd", "ef"}},
		{"newline ends a line", "海门\n三厂", 10, []string{"海门", "三厂"}},
		{"one character wider than the line", "海门", 0.5, []string{"海", "门"}},
		{"empty", "", 4, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrap(tt.in, tt.width, unit); !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}
