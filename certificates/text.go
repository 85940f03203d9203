package certificates

import (
	"strings"
	"unicode/utf8"
)

// ptToMM converts a font size in points to millimetres, the documents' unit.
const ptToMM = 25.4 / 72

// setFont selects the embedded font at size pt (points).
func (d *document) setFont(pt float64) { d.pdf.SetFont(fontFamily, "", pt) }

// width is the width of s in millimetres in the current font and size.
func (d *document) width(s string) float64 { return d.pdf.GetStringWidth(s) }

// runeWidth is the width of one character in the current font and size.
func (d *document) runeWidth(r rune) float64 {
	var b [utf8.UTFMax]byte
	return d.pdf.GetStringWidth(string(b[:utf8.EncodeRune(b[:], r)]))
}

// baseline is the baseline that centres a line of CJK text of size pt vertically in a box
// starting at top of height h. An ideograph's em box sits about 0.12 em below the baseline and
// 0.88 em above it, so its middle is 0.38 em above the baseline.
func baseline(top, h, pt float64) float64 { return top + h/2 + 0.38*pt*ptToMM }

// text draws s with its left end at x and its baseline at y.
func (d *document) text(x, y float64, s string) { d.pdf.Text(x, y, s) }

// centred draws s centred horizontally in [x, x+w], baseline at y.
func (d *document) centred(x, w, y float64, s string) {
	d.pdf.Text(x+(w-d.width(s))/2, y, s)
}

// spaced draws s centred in [x, x+w] with gap millimetres between characters: the way a
// heading such as 准 考 证 is set, without putting spaces into the text.
func (d *document) spaced(x, w, y, gap float64, s string) {
	rs := []rune(s)
	total := d.width(s) + gap*float64(len(rs)-1)
	d.runes(x+(w-total)/2, y, gap, rs)
}

// justified draws s spread evenly over [x, x+w], first character at x and last ending at x+w,
// so that labels of two, three and four characters line up at both ends (分散对齐).
func (d *document) justified(x, w, y float64, s string) {
	rs := []rune(s)
	if len(rs) < 2 {
		d.centred(x, w, y, s)
		return
	}
	d.runes(x, y, (w-d.width(s))/float64(len(rs)-1), rs)
}

func (d *document) runes(x, y, gap float64, rs []rune) {
	for _, r := range rs {
		c := string(r)
		d.pdf.Text(x, y, c)
		x += d.width(c) + gap
	}
}

// fit chooses the font size for s in a box of width w and height h, lines spaced lead×size
// apart: the largest size from maxPt down, in half points, at which s fits on one line, if that
// is no more than 2 pt below maxPt (a slightly smaller line reads better than a wrapped one),
// else the largest size down to minPt at which its wrapped lines fit. It leaves that size
// selected and returns it with the lines; ok is false when s does not fit even at minPt.
func (d *document) fit(s string, w, h, maxPt, minPt, lead float64) (pt float64, lines []string, ok bool) {
	for pt = maxPt; pt >= max(minPt, maxPt-2); pt -= 0.5 {
		d.setFont(pt)
		if d.width(s) <= w && pt*ptToMM*lead <= h && !strings.Contains(s, "\n") {
			return pt, []string{s}, true
		}
	}
	for pt = maxPt; pt >= minPt; pt -= 0.5 {
		d.setFont(pt)
		lines = wrap(s, w, d.runeWidth)
		if float64(len(lines))*pt*ptToMM*lead <= h {
			return pt, lines, true
		}
	}
	return minPt, lines, false
}

// align is where textBox puts each line.
type align int

const (
	alignLeft align = iota
	alignCentre
)

// textBox draws s inside the box (x, y, w, h), vertically centred, wrapped by character width
// and shrunk from maxPt down to minPt until it fits. It reports false, drawing nothing, when s
// does not fit even at minPt: the caller refuses the document rather than print over a line.
func (d *document) textBox(x, y, w, h float64, s string, maxPt, minPt float64, a align) bool {
	const lead = 1.3
	pt, lines, ok := d.fit(s, w, h, maxPt, minPt, lead)
	if !ok {
		return false
	}
	lh := pt * ptToMM * lead
	top := y + (h-lh*float64(len(lines)))/2
	for i, line := range lines {
		b := baseline(top+float64(i)*lh, lh, pt)
		if a == alignCentre {
			d.centred(x, w, b, line)
		} else {
			d.text(x, b, line)
		}
	}
	return true
}

// Line-breaking rules for Chinese (禁则): a closing mark never starts a line and an opening
// mark never ends one.
const (
	noLineStart = "，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}"
	noLineEnd   = "（《「『【〔〈“‘([{"
)

// inWord reports whether r belongs to a run that should stay on one line if it can: Latin
// letters and digits, and the punctuation inside numbers, codes and URLs.
func inWord(r rune) bool {
	return r < 0x80 && (r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' ||
		strings.ContainsRune("-_./:@#%&=?+~", r))
}

// wrap breaks s into lines no wider than width, measuring with runeWidth. gofpdf's MultiCell
// and SplitText break at spaces, which Chinese does not have, so this breaks between any two
// characters, except that it keeps closing punctuation off the start of a line, opening
// punctuation off the end, and a Latin word or number whole when it started mid-line. Newlines
// in s end a line. A single character wider than width gets a line of its own.
func wrap(s string, width float64, runeWidth func(rune) float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		start, acc := 0, 0.0
		for i := 0; i < len(rs); {
			w := runeWidth(rs[i])
			if acc+w <= width || i == start {
				acc += w
				i++
				continue
			}
			brk := i
			for brk-1 > start && strings.ContainsRune(noLineStart, rs[brk]) {
				brk-- // take the previous character down with the closing mark
			}
			for brk-1 > start && strings.ContainsRune(noLineEnd, rs[brk-1]) {
				brk-- // an opening mark goes down with what it opens
			}
			if inWord(rs[brk]) && inWord(rs[brk-1]) {
				j := brk
				for j > start && inWord(rs[j-1]) {
					j--
				}
				if j > start {
					brk = j // the word started mid-line: move it down whole
				}
			}
			lines = append(lines, strings.TrimRight(string(rs[start:brk]), " "))
			start = brk
			for start < len(rs) && rs[start] == ' ' {
				start++ // spaces at a break vanish
			}
			i = max(i, start)
			acc = 0
			for _, r := range rs[start:i] {
				acc += runeWidth(r)
			}
		}
		lines = append(lines, strings.TrimRight(string(rs[start:]), " "))
	}
	return lines
}
