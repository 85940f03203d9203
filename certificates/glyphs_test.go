package certificates

import (
	"bytes"
	"errors"
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

// A name the font cannot print is refused with ErrGlyphMissing naming the characters, and
// nothing is written: a blank box on a ticket or permit is worse than no document.
func TestRenderRefusesMissingGlyphs(t *testing.T) {
	for _, name := range []string{"张𠀀", "李🙂"} {
		missing := Missing(name)
		render := map[string]func(*bytes.Buffer) error{
			"ticket": func(b *bytes.Buffer) error { return RenderTicket(b, sampleTicket(t, name)) },
			"tickets": func(b *bytes.Buffer) error {
				return RenderTickets(b, []Ticket{sampleTicket(t, "王喆"), sampleTicket(t, name)})
			},
			"permit": func(b *bytes.Buffer) error { return RenderPermit(b, samplePermit(t, name)) },
		}
		for kind, fn := range render {
			t.Run(kind+"/"+name, func(t *testing.T) {
				var b bytes.Buffer
				err := fn(&b)
				if !errors.Is(err, ErrGlyphMissing) {
					t.Fatalf("err = %v, want ErrGlyphMissing", err)
				}
				var ge *GlyphError
				if !errors.As(err, &ge) || ge.Field != "姓名" || !slices.Equal(ge.Missing, missing) {
					t.Errorf("err = %#v, want a GlyphError for 姓名 with %q", ge, missing)
				}
				if !strings.Contains(err.Error(), string(missing)) || !strings.Contains(err.Error(), "姓名") {
					t.Errorf("message %q does not name the field and the characters", err)
				}
				if b.Len() != 0 {
					t.Errorf("%d bytes written despite the error", b.Len())
				}
			})
		}
	}
}
