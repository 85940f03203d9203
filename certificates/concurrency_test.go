package certificates

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Documents rendered at the same time must not share mutable state: gofpdf (jung-kurt) may
// write into the font bytes it is given, so each document parses its own copy (newDocument).
// Run under -race, this fails if two documents write to the same memory; each output must
// also be a whole, readable PDF with its own text.
func TestRenderConcurrently(t *testing.T) {
	const n = 24
	names := []string{"王喆", "李堃", "张玥", "陈昇", "刘珺", "赵龑"}
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var b bytes.Buffer
			name := names[i%len(names)]
			switch i % 3 {
			case 0:
				errs[i] = RenderTicket(&b, sampleTicket(t, name))
			case 1:
				ts := []Ticket{sampleTicket(t, name), sampleTicket(t, names[(i+1)%len(names)])}
				errs[i] = RenderTickets(&b, ts)
			default:
				p := samplePermit(t, name)
				p.PermitNo = fmt.Sprintf("HM2026-%05d", i)
				errs[i] = RenderPermit(&b, p)
			}
			outs[i] = b.Bytes()
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("document %d: %v", i, errs[i])
		}
		if !bytes.HasPrefix(outs[i], []byte("%PDF-")) || !bytes.Contains(outs[i][len(outs[i])-16:], []byte("%%EOF")) {
			t.Fatalf("document %d is not a whole PDF", i)
		}
	}
	// pdftotext reading every document, with the right name in each, shows that no document
	// got another's font tables or text.
	for i := range n {
		text := pdfText(t, outs[i])
		if want := names[i%len(names)]; !strings.Contains(text, want) {
			t.Errorf("document %d lacks %q:\n%s", i, want, text)
		}
	}
}

// The embedded font happens not to take gofpdf's writing path: gofpdf pads only the tables
// it copies unchanged (name, post…) whose length is not a multiple of four, and this font has
// none. A variant whose name table is one byte shorter does take it, so this test shows, under
// -race, that the per-document copy is what keeps concurrent documents apart, whatever font
// regen.sh produces next. (Sharing one []byte of this variant between documents fails it.)
func TestRenderConcurrently_FontThatGofpdfWritesInto(t *testing.T) {
	ttf := withShorterTable(t, fontTTF, "name")
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		wg.Go(func() {
			d, err := newDocumentWithFont("test", ttf)
			if err != nil {
				errs[i] = err
				return
			}
			d.pdf.AddPage()
			d.setFont(12)
			d.text(20, 20, "南通市海门区 HM2026")
			var b bytes.Buffer
			errs[i] = d.writeTo(&b)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("document %d: %v", i, err)
		}
	}
}

// withShorterTable returns ttf with the length of the named table one byte less in the table
// directory, so that its length is no longer a multiple of four.
func withShorterTable(t *testing.T, ttf, tag string) string {
	t.Helper()
	b := []byte(ttf)
	numTables := int(binary.BigEndian.Uint16(b[4:]))
	for i := range numTables {
		rec := b[12+16*i:]
		if string(rec[:4]) == tag {
			length := binary.BigEndian.Uint32(rec[12:])
			if length%4 != 0 {
				t.Fatalf("%s table is already %d bytes long", tag, length)
			}
			binary.BigEndian.PutUint32(rec[12:], length-1)
			return string(b)
		}
	}
	t.Fatalf("font has no %s table", tag)
	return ""
}
