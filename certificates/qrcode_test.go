package certificates

import (
	"testing"

	"rsc.io/qr/coding"
)

func symbolOf(rows ...string) *qrSymbol {
	s := &qrSymbol{size: len(rows)}
	for _, r := range rows {
		for _, c := range r {
			s.dark = append(s.dark, c == '#')
		}
	}
	return s
}

// The penalty rules of ISO/IEC 18004 §7.8.3.1, one at a time.
func TestQRPenalty(t *testing.T) {
	for _, c := range []struct {
		name string
		s    *qrSymbol
		want int
	}{
		// 10 runs of 5 (3 each), 16 blocks (3 each), 100 % dark (10 × 10).
		{"all dark", symbolOf("#####", "#####", "#####", "#####", "#####"), 30 + 48 + 100},
		// No runs, no blocks, 13 of 25 dark (52 %: within 5 % of half).
		{"checkerboard", symbolOf("#.#.#", ".#.#.", "#.#.#", ".#.#.", "#.#.#"), 0},
		// Row 0 holds 1011101 followed by four light modules: 40. Its four light modules make one
		// run of 4 (no penalty); every other row and column alternates.
		{"finder-like row", symbolOf(
			"#.###.#....",
			".#.#.#.#.#.",
			"#.#.#.#.#.#",
			".#.#.#.#.#.",
			"#.#.#.#.#.#",
			".#.#.#.#.#.",
			"#.#.#.#.#.#",
			".#.#.#.#.#.",
			"#.#.#.#.#.#",
			".#.#.#.#.#.",
			"#.#.#.#.#.#"), 40},
	} {
		if got := qrPenalty(c.s); got != c.want {
			t.Errorf("%s: penalty %d, want %d", c.name, got, c.want)
		}
	}
}

// encodeQR keeps the mask with the lowest penalty of the eight.
func TestEncodeQR_ChoosesTheLowestPenalty(t *testing.T) {
	text := "https://cg.haimen.gov.cn/verify/HM2026-00042?sig=" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODktXw"
	got, err := encodeQR(text)
	if err != nil {
		t.Fatal(err)
	}
	best := qrPenalty(got)
	v := coding.Version(1)
	for coding.String(text).Bits(v) > v.DataBytes(coding.M)*8 {
		v++
	}
	for m := coding.Mask(0); m < 8; m++ {
		p, _ := coding.NewPlan(v, coding.M, m)
		c, err := p.Encode(coding.String(text))
		if err != nil {
			t.Fatal(err)
		}
		s := &qrSymbol{size: c.Size}
		for y := range c.Size {
			for x := range c.Size {
				s.dark = append(s.dark, c.Black(x, y))
			}
		}
		if qrPenalty(s) < best {
			t.Errorf("mask %d scores %d, below the chosen symbol's %d", m, qrPenalty(s), best)
		}
	}
	if got.size != 17+4*int(v) {
		t.Errorf("size %d for version %d", got.size, v)
	}
}
