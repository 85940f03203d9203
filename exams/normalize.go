package exams

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// NormalizeFill returns the form in which a fill-in answer is compared with
// the accepted answers. Two answers are the same when their normal forms are
// equal. In order:
//
//  1. Width: full-width letters, digits and punctuation become half-width
//     (１２３ → 123, ＡＢ → AB, （）→ (), ，→ ",", ：→ ":"); the ideographic
//     space U+3000 becomes a space (golang.org/x/text/width.Fold).
//  2. Chinese punctuation that has no full-width twin is mapped to its ASCII
//     counterpart: 。→ "."  、→ ","  〔〕【】〖〗 → "[]"  dashes (— – ‐ −) → "-"
//     〜 → "~"  ∶ → ":"  and middle dots (・ • ‧) → "·".
//  3. Quotation and title marks are dropped, because candidates type them
//     inconsistently: “ ” ‘ ’ " ' 「 」 『 』 《 》 〈 〉. So 《行政处罚法》 equals
//     行政处罚法.
//  4. Latin letters are lower-cased (case-insensitive comparison).
//  5. Whitespace (any Unicode space, tabs, newlines) is trimmed at both ends;
//     inside, a run of whitespace between two Latin letters or digits becomes
//     one space ("city  management" → "city management") and is removed
//     elsewhere, since spaces between Chinese characters carry no meaning
//     ("城市 管理" → "城市管理", "5 日" → "5日").
//  6. Trailing sentence punctuation (. , ; : ! ?) is dropped: "基本合格。"
//     equals "基本合格".
//
// It does not equate Chinese and Arabic numerals (十五 vs 15) or synonyms:
// a trainer lists each form that is accepted (e.g. "15|十五").
func NormalizeFill(s string) string {
	s = width.Fold.String(s)
	var out []rune
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = true
			continue
		}
		switch r {
		case '“', '”', '‘', '’', '"', '\'', '「', '」', '『', '』', '《', '》', '〈', '〉':
			continue
		case '。':
			r = '.'
		case '、':
			r = ','
		case '〔', '【', '〖':
			r = '['
		case '〕', '】', '〗':
			r = ']'
		case '—', '–', '‐', '‑', '−', '―':
			r = '-'
		case '〜':
			r = '~'
		case '∶':
			r = ':'
		case '・', '•', '‧', '･':
			r = '·'
		}
		r = unicode.ToLower(r)
		if pendingSpace && len(out) > 0 && latinOrDigit(out[len(out)-1]) && latinOrDigit(r) {
			out = append(out, ' ')
		}
		pendingSpace = false
		out = append(out, r)
	}
	for len(out) > 0 && strings.ContainsRune(".,;:!?", out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return string(out)
}

// latinOrDigit reports whether r is an ASCII letter or digit or another
// letter of an alphabetic (non-Han) script, where spaces separate words.
func latinOrDigit(r rune) bool {
	if r < 0x80 {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) &&
		!unicode.Is(unicode.Hiragana, r) && !unicode.Is(unicode.Katakana, r) && !unicode.Is(unicode.Hangul, r)
}

// Matches reports whether answer fills blank b: its NormalizeFill form equals
// that of one of the accepted answers. An empty answer never matches.
func (b Blank) Matches(answer string) bool {
	a := NormalizeFill(answer)
	if a == "" {
		return false
	}
	for _, acc := range b.Accepted {
		if NormalizeFill(acc) == a {
			return true
		}
	}
	return false
}
