package certificates

import (
	"errors"
	"fmt"

	"rsc.io/qr/coding"
)

// qrSymbol is a QR code's modules, without the quiet zone: dark[y*size+x].
type qrSymbol struct {
	size int
	dark []bool
}

func (q *qrSymbol) Black(x, y int) bool { return q.dark[y*q.size+x] }

// encodeQR encodes text at error correction level M in the smallest version that holds it, and
// applies the data mask with the lowest penalty score of ISO/IEC 18004:2015 §7.8.3, as a
// conforming encoder must: a mask that happens to draw finder-like patterns or large blocks
// makes a worn card harder to scan.
//
// The modules come from rsc.io/qr/coding, which builds a symbol for a given version and mask
// in tens of microseconds; its convenience Encode always uses mask 0, and boombuler/barcode,
// which does choose the mask, spends 5.5 ms on it for a 140-character URL (docs/decisions.md).
func encodeQR(text string) (*qrSymbol, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(coding.M)*8; v++ {
		if v == coding.MaxVersion {
			return nil, errors.New("text too long for a QR code")
		}
	}
	var best *qrSymbol
	bestScore := -1
	for m := coding.Mask(0); m < 8; m++ {
		p, err := coding.NewPlan(v, coding.M, m)
		if err != nil {
			return nil, fmt.Errorf("QR plan: %w", err)
		}
		c, err := p.Encode(enc)
		if err != nil {
			return nil, fmt.Errorf("QR encode: %w", err)
		}
		s := &qrSymbol{size: c.Size, dark: make([]bool, c.Size*c.Size)}
		for y := range c.Size {
			for x := range c.Size {
				s.dark[y*c.Size+x] = c.Black(x, y)
			}
		}
		if score := qrPenalty(s); bestScore < 0 || score < bestScore {
			best, bestScore = s, score
		}
	}
	return best, nil
}

// qrPenalty is the penalty score of ISO/IEC 18004:2015 §7.8.3.1 (N1 = 3, N2 = 3, N3 = 40,
// N4 = 10): runs of five or more modules of one colour in a row or column, 2×2 blocks of one
// colour, finder-like 1:1:3:1:1 patterns next to four light modules, and dark modules far from
// half of the symbol.
func qrPenalty(s *qrSymbol) int {
	n := s.size
	at := func(x, y int, vertical bool) bool {
		if vertical {
			x, y = y, x
		}
		return s.dark[y*n+x]
	}
	score := 0
	for _, vertical := range []bool{false, true} {
		for line := range n {
			run := 1
			for i := 1; i <= n; i++ {
				if i < n && at(i, line, vertical) == at(i-1, line, vertical) {
					run++
					continue
				}
				if run >= 5 {
					score += 3 + run - 5
				}
				run = 1
			}
			// 1:1:3:1:1 (dark light dark×3 light dark) with four light modules on either side.
			for i := 0; i+7 <= n; i++ {
				if !at(i, line, vertical) || at(i+1, line, vertical) || !at(i+2, line, vertical) || !at(i+3, line, vertical) ||
					!at(i+4, line, vertical) || at(i+5, line, vertical) || !at(i+6, line, vertical) {
					continue
				}
				light := func(from, to int) bool {
					if from < 0 || to > n {
						return false
					}
					for j := from; j < to; j++ {
						if at(j, line, vertical) {
							return false
						}
					}
					return true
				}
				if light(i-4, i) || light(i+7, i+11) {
					score += 40
				}
			}
		}
	}
	dark := 0
	for y := range n {
		for x := range n {
			if s.dark[y*n+x] {
				dark++
			}
			if x+1 < n && y+1 < n {
				c := s.dark[y*n+x]
				if s.dark[y*n+x+1] == c && s.dark[(y+1)*n+x] == c && s.dark[(y+1)*n+x+1] == c {
					score += 3
				}
			}
		}
	}
	percent := dark * 100 / (n * n)
	dev := percent - 50
	if dev < 0 {
		dev = -dev
	}
	return score + 10*(dev/5)
}
