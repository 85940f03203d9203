package screening

import (
	"fmt"
	"strings"
)

// MaxScore is the highest score ParseScore accepts, in hundredths (1000.00).
const MaxScore int64 = 100000

// FormatScore formats a score held in hundredths of a point: 8550 → "85.50".
func FormatScore(hundredths int64) string {
	sign := ""
	u := uint64(hundredths)
	if hundredths < 0 {
		sign = "-"
		u = uint64(-(hundredths + 1)) + 1 // safe for math.MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// ParseScore parses a score into hundredths of a point: "85.5" → 8550,
// "85" → 8500, "85.50" → 8550. Plain decimal only (ASCII digits, at most one
// point, at most two decimals, no sign, no exponent), surrounding spaces
// trimmed, range 0 to 1000.
func ParseScore(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("请填写成绩")
	}
	intPart, frac, hasPoint := strings.Cut(t, ".")
	bad := func() (int64, error) {
		return 0, fmt.Errorf("成绩 %q 格式不正确，应为数字，最多保留两位小数，例如 85.5", s)
	}
	if intPart == "" || !allDigits(intPart) || (hasPoint && (frac == "" || !allDigits(frac))) {
		return bad()
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("成绩 %q 最多保留两位小数", s)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 4 { // > 9999, certainly above MaxScore; avoids overflow
		return 0, fmt.Errorf("成绩 %q 超出范围，应在 0 至 %s 之间", s, FormatScore(MaxScore))
	}
	var v int64
	for i := 0; i < len(intPart); i++ {
		v = v*10 + int64(intPart[i]-'0')
	}
	v *= 100
	switch len(frac) {
	case 1:
		v += int64(frac[0]-'0') * 10
	case 2:
		v += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if v > MaxScore {
		return 0, fmt.Errorf("成绩 %q 超出范围，应在 0 至 %s 之间", s, FormatScore(MaxScore))
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
