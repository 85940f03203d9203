package certificates

import (
	"slices"
	"strings"
	"testing"
)

// The embedded font must be a plain TrueType file (gofpdf reads no TTC and no CFF) that kept
// the rare GBK characters of Chinese given names.
func TestEmbeddedFontIsPlainTrueTypeWithGBK(t *testing.T) {
	if got := fontTTF[:4]; got != "\x00\x01\x00\x00" {
		t.Fatalf("font starts with %q, want the TrueType version 0x00010000 (not a TTC or OTF)", got)
	}
	for _, tag := range []string{"glyf", "loca", "cmap", "hmtx"} {
		if !strings.Contains(fontTTF[:12+16*32], tag) {
			t.Errorf("font has no %s table", tag)
		}
	}
	const needed = "喆堃玥昇珺龑" + "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" +
		"，。、；：？！（）《》“”…—–·" + "南通市海门区城市管理辅助人员上岗证准考证"
	if m := Missing(needed); m != nil {
		t.Fatalf("font lacks %q", string(m))
	}
}

func TestMissing(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []rune
	}{
		{"empty", "", nil},
		{"ASCII", "Zhang Wei-2026 (No.42)", nil},
		{"GB2312 name", "张伟", nil},
		{"GBK rare names", "王喆 李堃 张玥 陈昇 刘珺 赵龑", nil},
		{"full-width punctuation", "欧阳·娜娜（备注）：是！", nil},
		{"beyond the BMP", "张𠀀", []rune{0x20000}},
		{"emoji", "李🙂明", []rune{'🙂'}},
		{"each missing character once, in order", "𠀀🙂𠀀a🙂", []rune{0x20000, '🙂'}},
		{"control characters", "张\t伟\n", []rune{'\t', '\n'}},
		// gofpdf panics on invalid UTF-8; ranging over it yields U+FFFD, which GBK lacks.
		{"invalid UTF-8", "张\xe4\xbc", []rune{0xFFFD}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Missing(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Missing(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
