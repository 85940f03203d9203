package exams

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalizeFill(t *testing.T) {
	tests := []struct{ in, want string }{
		{"１２３", "123"},
		{"ＡＢ", "ab"},
		{"AbC", "abc"},
		{"  管理  ", "管理"},
		{"\u3000管理\u3000", "管理"},
		{"城市\u3000管理", "城市管理"},
		{"城市 管理", "城市管理"},
		{"5 日", "5日"},
		{"city   management", "city management"},
		{"city\u3000\tmanagement", "city management"},
		{"C1 驾照", "c1驾照"},
		{"基本合格。", "基本合格"},
		{"基本合格.", "基本合格"},
		{"基本合格！", "基本合格"},
		{"《行政处罚法》", "行政处罚法"},
		{"“吹哨”", "吹哨"},
		{"'亮证'", "亮证"},
		{"「局队合一」", "局队合一"},
		{"宣传、巡查", "宣传,巡查"},
		{"宣传，巡查", "宣传,巡查"},
		{"宣传,巡查", "宣传,巡查"},
		{"（一）", "(一)"},
		{"〔2022〕8号", "[2022]8号"},
		{"【示例】", "[示例]"},
		{"3．5", "3.5"},
		{"3。5", "3.5"},
		{"十五", "十五"}, // Chinese numerals are not Arabic ones
		{"15%", "15%"},
		{"１５％", "15%"},
		{"A—B", "a-b"},
		{"A－B", "a-b"},
		{"ｶﾀｶﾅ", "カタカナ"},
		{"", ""},
		{"   ", ""},
		{"。", ""},
	}
	for _, tt := range tests {
		if got := NormalizeFill(tt.in); got != tt.want {
			t.Errorf("NormalizeFill(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlankMatches(t *testing.T) {
	b := Blank{Accepted: []string{"两", "2", "二"}}
	for _, a := range []string{"两", "２", " 2 ", "二。", "2"} {
		if !b.Matches(a) {
			t.Errorf("%q should match", a)
		}
	}
	for _, a := range []string{"", " ", "3", "两人", "22"} {
		if b.Matches(a) {
			t.Errorf("%q should not match", a)
		}
	}
	latin := Blank{Accepted: []string{"GPS"}}
	if !latin.Matches("ｇｐｓ") || !latin.Matches("gps") {
		t.Error("Latin letters should compare case- and width-insensitively")
	}
}

func FuzzNormalizeFill(f *testing.F) {
	for _, s := range []string{"１２３ ＡＢ", "城市\u3000管理。", "《法》、“x”", "a  b", "  ", "—～・"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := NormalizeFill(s)
		if NormalizeFill(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, NormalizeFill(n))
		}
		if strings.TrimSpace(n) != n || strings.Contains(n, "  ") || strings.ContainsRune(n, '\u3000') {
			t.Fatalf("whitespace left in %q", n)
		}
		for _, r := range n {
			if r >= 0xFF01 && r <= 0xFF5E {
				t.Fatalf("full-width %q left in %q", r, n)
			}
			if unicode.IsUpper(r) && r < 0x80 {
				t.Fatalf("upper case left in %q", n)
			}
		}
		if (Blank{Accepted: []string{s}}).Matches(s) != (n != "") {
			t.Fatalf("an answer must match itself unless it is empty: %q", s)
		}
	})
}
