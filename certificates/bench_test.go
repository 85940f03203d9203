package certificates

import (
	"bytes"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

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
	start := cpuTime(b)
	for b.Loop() {
		if err := RenderPermit(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, 1)
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
		code, err := encodeQR(tk.QRText)
		if err != nil {
			b.Fatal(err)
		}
		n := code.size
		m := 32.0 / float64(n+8)
		pdf.SetFillColor(0, 0, 0)
		for y := range n {
			for x := range n {
				if code.Black(x, y) {
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

// BenchmarkPermits1000 is a print run of 1,000 permits, each with its own photo bytes, number
// and QR code, in one document of ten cards a sheet; ns/permit is the cost of one more card in
// a batch (issue 6: at most a tenth of BenchmarkPermit's single card).
func BenchmarkPermits1000(b *testing.B) {
	base := samplePermit(b, "李堃")
	ps := make([]Permit, 1000)
	for i := range ps {
		ps[i] = base
		ps[i].Photo = append([]byte(nil), base.Photo...)
		ps[i].PermitNo = fmt.Sprintf("HM2026-%05d", i+1)
		ps[i].QRText = "https://aux.haimen.example/verify/" + ps[i].PermitNo + "?sig=Q2xhdWRlIHNpZ25zIHRoaXMgcGVybWl0IHdpdGggRWQyNTUxOSBrZXlzIGFuZCBub3RoaW5nIGVsc2UgaGVyZQ"
	}
	b.ReportAllocs()
	var size int
	start := cpuTime(b)
	for b.Loop() {
		var w countingWriter
		if err := RenderPermits(&w, ps); err != nil {
			b.Fatal(err)
		}
		size = int(w)
	}
	reportCPU(b, start, len(ps))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/permit")
	b.ReportMetric(float64(size)/float64(len(ps)), "bytes/permit")
}

// BenchmarkBarePermit draws the same card with gofpdf alone, as the shortest program would:
// the same font, page and positions, the photo's bytes embedded without checking, the same QR
// modules (encodeQR) drawn as one Rect per dark module, no glyph check, no fitting of long
// values. BenchmarkPermit's
// goal is at most 1.3 times this.
func BenchmarkBarePermit(b *testing.B) {
	p := samplePermit(b, "李堃")
	rows := [][2]string{{"姓名", p.Name}, {"身份证号", p.IDMasked}, {"区镇", p.Town}, {"岗位", p.Post},
		{"证号", p.PermitNo}, {"发证日期", "2026年12月20日"}, {"有效期至", "2027年12月19日"}}
	b.ReportAllocs()
	start := cpuTime(b)
	defer func() { reportCPU(b, start, 1) }()
	for b.Loop() {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.SetAutoPageBreak(false, 0)
		pdf.AddUTF8FontFromBytes("wqy", "", []byte(fontTTF))
		pdf.AddPage()
		x, y := sheetLeft, sheetTop
		pdf.SetLineWidth(0.15)
		pdf.SetDashPattern([]float64{1, 1}, 0)
		pdf.Rect(x, y, cardW, cardH, "D")
		pdf.SetDashPattern(nil, 0)
		pdf.SetTextColor(178, 34, 34)
		pdf.SetFont("wqy", "", 11)
		pdf.Text(x+6, y+7.5, PermitTitle)
		pdf.SetDrawColor(178, 34, 34)
		pdf.SetLineWidth(0.4)
		pdf.Line(x+3, y+10, x+cardW-3, y+10)
		pdf.SetTextColor(0, 0, 0)
		pdf.RegisterImageOptionsReader("photo", gofpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(p.Photo))
		pdf.ImageOptions("photo", x+cardPhotoX, y+cardPhotoY, cardPhotoW, cardPhotoH, false, gofpdf.ImageOptions{ImageType: "JPG"}, 0, "")
		for i, r := range rows {
			ry := y + cardRowsY + float64(i)*cardRowH
			pdf.SetFont("wqy", "", 6.5)
			pdf.Text(x+cardLabelX, ry+3.6, r[0])
			pdf.SetFont("wqy", "", 8)
			pdf.Text(x+cardValueX, ry+3.8, r[1])
		}
		code, err := encodeQR(p.QRText)
		if err != nil {
			b.Fatal(err)
		}
		n := code.size
		m := cardQR / float64(n+8)
		pdf.SetFillColor(0, 0, 0)
		for qy := range n {
			for qx := range n {
				if code.Black(qx, qy) {
					pdf.Rect(x+cardQRX+float64(qx+4)*m, y+cardQRY+float64(qy+4)*m, m, m, "F")
				}
			}
		}
		pdf.SetFont("wqy", "", 5.5)
		pdf.Text(x+cardQRX+3, y+cardQRY+cardQR+2.2, "扫码核验真伪")
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's CPU time so far (user + system): steadier than the wall clock on a
// shared machine, where other work takes turns on the same cores.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per op (and per item, when items > 1) since start.
func reportCPU(b *testing.B, start time.Duration, items int) {
	per := float64(cpuTime(b)-start) / float64(b.N)
	b.ReportMetric(per/1e6, "cpu-ms/op")
	if items > 1 {
		b.ReportMetric(per/float64(items)/1e3, "cpu-µs/item")
	}
}
