package certificates

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// ErrGlyphMissing is wrapped by every error that refuses text the embedded font cannot draw.
var ErrGlyphMissing = errors.New("字库缺少字符")

// Missing returns the characters of s that the embedded font cannot draw, each once, in the
// order they first appear; nil when every character can be drawn. Control characters (tab,
// newline) count as missing: none belongs on a certificate.
func Missing(s string) []rune {
	var (
		buf     sfnt.Buffer
		missing []rune
	)
	for _, r := range s {
		// gofpdf addresses glyphs with 16-bit codes, so a character beyond the BMP could not be
		// drawn even by a font that had it.
		if r > 0xFFFF || !hasGlyph(&buf, r) {
			if !containsRune(missing, r) {
				missing = append(missing, r)
			}
		}
	}
	return missing
}

func hasGlyph(buf *sfnt.Buffer, r rune) bool {
	gi, err := fontCmap.GlyphIndex(buf, r)
	return err == nil && gi != 0
}

func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// GlyphError refuses the text of one field because the font lacks some of its characters.
// It wraps ErrGlyphMissing; its message, in Chinese, names the field and the characters (not
// the whole value, which may be personal data) so an admin can correct the record.
type GlyphError struct {
	Field   string // the field's Chinese label, e.g. "姓名"
	Missing []rune // the characters the font lacks
}

func (e *GlyphError) Error() string {
	parts := make([]string, len(e.Missing))
	for i, r := range e.Missing {
		if r < 0x20 || r == 0x7F {
			parts[i] = fmt.Sprintf("U+%04X", r)
		} else {
			parts[i] = fmt.Sprintf("「%c」(U+%04X)", r, r)
		}
	}
	return fmt.Sprintf("%s含有字库无法打印的字符 %s，请改用规范汉字或联系管理员: %v",
		e.Field, strings.Join(parts, "、"), ErrGlyphMissing)
}

func (e *GlyphError) Unwrap() error { return ErrGlyphMissing }

// field is one labelled piece of text a document prints.
type field struct{ label, value string }

// checkPrintable returns a *GlyphError for the first field with a character the font lacks.
func checkPrintable(fields ...field) error {
	for _, f := range fields {
		if m := Missing(f.value); m != nil {
			return &GlyphError{Field: f.label, Missing: m}
		}
	}
	return nil
}
