package certificates

import (
	"fmt"
	"io"

	"github.com/jung-kurt/gofpdf"
)

// document is one PDF being drawn: a gofpdf document with the embedded font, and the little
// per-document state the helpers need. It is never shared between goroutines.
type document struct {
	pdf    *gofpdf.Fpdf
	photos int // photos registered so far; numbers their image names, unique in this document
}

// fontFamily is the family name every document registers the embedded font under.
const fontFamily = "wqy"

// Every document is A4 portrait; its unit is the millimetre.
const (
	pageW = 210.0
	pageH = 297.0
)

// newDocument starts an A4 document titled title, with the embedded font registered under
// fontFamily and selected.
//
// Each document parses its own copy of the font bytes. When gofpdf (jung-kurt, archived) cuts
// the font subset at output, it pads tables it copies unchanged to four bytes by appending to
// sub-slices of the bytes it was given (generateChecksum), which writes into the caller's
// array: documents rendered at once from one shared slice race (go-pdf/fpdf#37, fixed only in
// the fork). The font is a string, so the conversion below is always a fresh copy. It is made and
// parsed once per document, however many pages or cards the document holds.
func newDocument(title string) (*document, error) {
	return newDocumentWithFont(title, fontTTF)
}

// newDocumentWithFont is newDocument with the TrueType font given; tests pass a variant that
// takes gofpdf's writing path, to show the copy is what keeps concurrent documents apart.
func newDocumentWithFont(title, ttf string) (*document, error) {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: gofpdf.SizeType{Wd: pageW, Ht: pageH}})
	// Every element is placed at computed coordinates; an automatic page break would only move
	// an overflowing element onto a page of its own instead of reporting it.
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCreator("auxportal", false)
	pdf.SetTitle(title, true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", []byte(ttf))
	// gofpdf only prints a message when it cannot parse a font; selecting it is what fails.
	pdf.SetFont(fontFamily, "", 12)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("certificates: load embedded font: %w", err)
	}
	return &document{pdf: pdf}, nil
}

// writeTo finishes the document and writes it to w. On error nothing is written: gofpdf
// builds the whole file in memory, and it is only copied to w once closing succeeded.
func (d *document) writeTo(w io.Writer) error {
	d.pdf.Close()
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("certificates: finish PDF: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("certificates: write PDF: %w", err)
	}
	return nil
}
