package certificates

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/boombuler/barcode/qr"
	"github.com/jung-kurt/gofpdf"
)

// BenchmarkTicket is one admission ticket as one document: the font parsed, a page drawn, the
// font subset cut and the file written.
func BenchmarkTicket(b *testing.B) {
	tk := sampleTicket(b, "王喆")
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderTicket(io.Discard, tk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTickets1000 is a sitting of 1,000 tickets, each with its own photo bytes and QR
// code, in one document; ns/ticket is the cost of one more ticket in a batch.
func BenchmarkTickets1000(b *testing.B) {
	base := sampleTicket(b, "王喆")
	ts := make([]Ticket, 1000)
	for i := range ts {
		ts[i] = base
		ts[i].TicketNo = fmt.Sprintf("HM20261205-%04d", i+1)
		ts[i].QRText = "https://aux.haimen.example/t/" + ts[i].TicketNo
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var w countingWriter
		if err := RenderTickets(&w, ts); err != nil {
			b.Fatal(err)
		}
		size = int(w)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ts)), "ns/ticket")
	b.ReportMetric(float64(size)/float64(len(ts)), "bytes/ticket")
}

// BenchmarkPermit is one work permit as one document.
func BenchmarkPermit(b *testing.B) {
	p := samplePermit(b, "李堃")
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderPermit(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareGofpdf draws the same ticket with gofpdf alone: the same font and page, fixed
// coordinates and pre-broken lines, the photo's bytes embedded without decoding, the QR code
// as one gofpdf Rect per dark module. No glyph check, no fitting, no wrapping, no photo check:
// the floor that BenchmarkTicket's helpers add to.
func BenchmarkBareGofpdf(b *testing.B) {
	tk := sampleTicket(b, "王喆")
	// The rules pre-broken to one line each, as a bare program would hard-code them.
	notes := make([]string, len(tk.Notes))
	for i, n := range tk.Notes {
		rs := []rune(n)
		notes[i] = string(rs[:min(len(rs), 45)])
	}
	rows := [][2]string{
		{"姓名", tk.Name}, {"身份证号", tk.IDMasked}, {"准考证号", tk.TicketNo}, {"考试场次", tk.SittingName},
		{"考试时间", "2026年12月5日 09:00–10:30"}, {"考试地点", tk.Venue}, {"座位号", tk.Seat},
	}
	b.ReportAllocs()
	for b.Loop() {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.SetAutoPageBreak(false, 0)
		pdf.AddUTF8FontFromBytes("wqy", "", []byte(fontTTF))
		pdf.AddPage()
		pdf.SetFont("wqy", "", 18)
		pdf.Text(40, 28, tk.Title)
		pdf.SetFont("wqy", "", 24)
		pdf.Text(86, 45, "准 考 证")
		pdf.Rect(15, 15, 180, 125.5, "D")
		pdf.SetFillColor(242, 242, 242)
		for i, r := range rows {
			y := 53 + float64(i)*12.5
			pdf.Rect(15, y, 28, 12.5, "FD")
			pdf.Rect(43, y, 102, 12.5, "D")
			pdf.SetFont("wqy", "", 11)
			pdf.Text(19, y+8, r[0])
			pdf.SetFont("wqy", "", 12)
			pdf.Text(46, y+8, r[1])
		}
		pdf.RegisterImageOptionsReader("photo", gofpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(tk.Photo))
		pdf.ImageOptions("photo", 154, 56, 32, 44, false, gofpdf.ImageOptions{ImageType: "JPG"}, 0, "")
		code, err := qr.Encode(tk.QRText, qr.M, qr.Auto)
		if err != nil {
			b.Fatal(err)
		}
		n := code.Bounds().Dx()
		m := 32.0 / float64(n+8)
		pdf.SetFillColor(0, 0, 0)
		for y := range n {
			for x := range n {
				if r, _, _, _ := code.At(x, y).RGBA(); r < 0x8000 {
					pdf.Rect(154+float64(x+4)*m, 103+float64(y+4)*m, m, m, "F")
				}
			}
		}
		pdf.SetFont("wqy", "", 10.5)
		for i, note := range notes {
			pdf.Text(15, 160+float64(i)*10, note)
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
