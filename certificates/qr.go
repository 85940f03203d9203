package certificates

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// quietZone is the light margin around a QR symbol, in modules, that ISO/IEC 18004 requires
// for reliable scanning.
const quietZone = 4

// qr draws text as a QR code (error correction M: survives ~15% damage, a fair trade against
// symbol density for a printed, handled card) in the square (x, y, size), quiet zone included.
// The modules come from encodeQR (qrcode.go).
//
// The symbol is drawn as vector squares, not a raster image, so it is sharp at any print
// resolution and costs a few kilobytes. Dark modules are merged into one rectangle per
// horizontal run, and all rectangles are filled as one path: separate fills of abutting
// squares show hairline seams in anti-aliasing viewers. The encoder is called per code; nothing
// is cached between codes or documents (unlike gofpdf's contrib/barcode, which keeps a global map).
func (d *document) qr(text string, x, y, size float64) error {
	code, err := encodeQR(text)
	if err != nil {
		return fmt.Errorf("certificates: encode QR code (%d bytes): %w", len(text), err)
	}
	n := code.size
	m := size / float64(n+2*quietZone)

	pdf := d.pdf
	pdf.SetFillColor(255, 255, 255)
	pdf.Rect(x, y, size, size, "F") // the quiet zone must be light even on a tinted background
	pdf.SetFillColor(0, 0, 0)

	// gofpdf's Rect would write "x y w h re f" per run: a fill each, and a width rounded apart
	// from its position. Instead every edge is rounded once, to the 1/100 pt gofpdf itself
	// writes, so runs in neighbouring rows share exact edges; the path is written in one go
	// and filled once.
	k := pdf.GetConversionRatio()
	_, pageH := pdf.GetPageSize()
	ox, oy := x+quietZone*m, y+quietZone*m
	edgeX := func(i int) int64 { return int64(math.Round((ox + float64(i)*m) * k * 100)) }
	edgeY := func(i int) int64 { return int64(math.Round((pageH - oy - float64(i)*m) * k * 100)) }
	dark := code.Black
	var path strings.Builder
	for row := range n {
		top, bottom := edgeY(row), edgeY(row+1)
		for col := 0; col < n; {
			if !dark(col, row) {
				col++
				continue
			}
			end := col + 1
			for end < n && dark(end, row) {
				end++
			}
			left, right := edgeX(col), edgeX(end)
			writeRe(&path, left, bottom, right-left, top-bottom)
			col = end
		}
	}
	path.WriteString("f")
	pdf.RawWriteStr(path.String())
	return nil
}

// writeRe appends a PDF "re" operator; its operands are in hundredths of a point.
func writeRe(b *strings.Builder, x, y, w, h int64) {
	for _, v := range [4]int64{x, y, w, h} {
		b.WriteString(strconv.FormatFloat(float64(v)/100, 'f', -1, 64))
		b.WriteByte(' ')
	}
	b.WriteString("re\n")
}
