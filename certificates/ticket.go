package certificates

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Ticket is one candidate's admission ticket (准考证) for a sitting of the unified pre-job
// training exam (rule T-1).
type Ticket struct {
	Title       string    // the exam, e.g. 南通市海门区城市管理辅助人员岗前培训统一考试
	SittingName string    // the sitting, e.g. 2026年第二期
	Name        string    // the candidate's name
	IDMasked    string    // the ID number, already masked (first 3 and last 4 at most)
	TicketNo    string    // the admission ticket number
	Seat        string    // the seat number
	Venue       string    // where the sitting takes place
	Start, End  time.Time // the sitting's time, shown in China time
	Photo       []byte    // the candidate's photo as JPEG; nil draws an empty 照片 frame
	QRText      string    // what the QR code encodes, e.g. a check-in URL; empty draws none
	Notes       []string  // the exam-room rules (考场规则), printed numbered under the ticket
}

// RenderTicket writes t as a one-page A4 PDF to w. On error nothing is written.
func RenderTicket(w io.Writer, t Ticket) error {
	return RenderTickets(w, []Ticket{t})
}

// RenderTickets writes the tickets as one A4 PDF, one ticket per page, in order: a sitting's
// tickets printed in one go. The ticket takes the top of the page and its exam-room rules the
// rest, the way candidates expect a downloaded 准考证 to look, and a candidate printing their
// own ticket gets the same page. The font is parsed once for the whole document and its
// subset embedded once. Every ticket is checked before anything is drawn; on error nothing is
// written, and the error names the ticket.
func RenderTickets(w io.Writer, ts []Ticket) error {
	if len(ts) == 0 {
		return fmt.Errorf("没有准考证可打印: %w", ErrInvalid)
	}
	for i, t := range ts {
		if err := t.check(); err != nil {
			return fmt.Errorf("%s: %w", which("准考证", i, len(ts), t.TicketNo), err)
		}
	}
	d, err := newDocument(ts[0].Title + " 准考证")
	if err != nil {
		return err
	}
	for i, t := range ts {
		if err := d.ticket(t); err != nil {
			return fmt.Errorf("%s: %w", which("准考证", i, len(ts), t.TicketNo), err)
		}
	}
	return d.writeTo(w)
}

// CheckTicket reports what RenderTicket would refuse in t, without drawing anything, so that a
// batch can leave out the one ticket that cannot be printed and print the rest.
func CheckTicket(t Ticket) error { return t.check() }

// which names document i of n for an error: 准考证（HM-0001） alone, 第3张准考证（HM-0003） in a batch.
func which(kind string, i, n int, number string) string {
	if n == 1 {
		return fmt.Sprintf("%s（%s）", kind, number)
	}
	return fmt.Sprintf("第%d张%s（%s）", i+1, kind, number)
}

// check refuses a ticket that lacks what a candidate needs to be admitted, or whose text the
// font cannot print.
func (t Ticket) check() error {
	for _, f := range []field{{"考试名称", t.Title}, {"姓名", t.Name}, {"准考证号", t.TicketNo}} {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("缺少%s: %w", f.label, ErrInvalid)
		}
	}
	if t.Start.IsZero() || !t.End.After(t.Start) {
		return fmt.Errorf("考试时间有误（结束须晚于开始）: %w", ErrInvalid)
	}
	fields := []field{
		{"考试名称", t.Title}, {"考试场次", t.SittingName}, {"姓名", t.Name}, {"身份证号", t.IDMasked},
		{"准考证号", t.TicketNo}, {"座位号", t.Seat}, {"考试地点", t.Venue},
	}
	for i, n := range t.Notes {
		fields = append(fields, field{fmt.Sprintf("考场规则第%d条", i+1), n})
	}
	return checkPrintable(fields...)
}

// The ticket's layout on an A4 page, in millimetres.
const (
	ticketLeft   = 15.0
	ticketTop    = 15.0
	ticketWidth  = 180.0
	ticketLabelW = 28.0 // the label column of the field table
	ticketSideW  = 50.0 // the photo and QR column at the right
	ticketTableY = 53.0 // top of the field table
	ticketRowH   = 12.5
	ticketPhotoW = 32.0 // about 二寸 proportions (35×49)
	ticketPhotoH = 44.0
	ticketQR     = 32.0
	pageBottom   = pageH - 15
)

// ticket draws t on a new page.
func (d *document) ticket(t Ticket) error {
	pdf := d.pdf
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)

	// Title: the exam's name, on up to two lines, over 准 考 证.
	if !d.textBox(ticketLeft+5, ticketTop+3, ticketWidth-10, 16, t.Title, 18, 12, alignCentre) {
		return fmt.Errorf("考试名称过长，无法排入准考证: %w", ErrInvalid)
	}
	d.setFont(24)
	d.spaced(ticketLeft, ticketWidth, ticketTop+30, 6, "准考证")

	rows := []field{
		{"姓名", t.Name},
		{"身份证号", t.IDMasked},
		{"准考证号", t.TicketNo},
		{"考试场次", t.SittingName},
		{"考试时间", timeSpan(t.Start, t.End)},
		{"考试地点", t.Venue},
		{"座位号", t.Seat},
	}
	tableH := ticketRowH * float64(len(rows))
	valueX := ticketLeft + ticketLabelW
	valueW := ticketWidth - ticketLabelW - ticketSideW
	sideX := valueX + valueW

	pdf.SetLineWidth(0.5)
	pdf.Rect(ticketLeft, ticketTop, ticketWidth, ticketTableY+tableH-ticketTop, "D")
	pdf.SetLineWidth(0.2)
	pdf.SetFillColor(242, 242, 242)
	for i, r := range rows {
		y := ticketTableY + float64(i)*ticketRowH
		pdf.Rect(ticketLeft, y, ticketLabelW, ticketRowH, "FD")
		pdf.Rect(valueX, y, valueW, ticketRowH, "D")
		d.setFont(11)
		d.justified(ticketLeft+4, ticketLabelW-8, baseline(y, ticketRowH, 11), r.label)
		maxPt := 12.0
		if i == 0 {
			maxPt = 15 // the name is what the invigilator compares with the ID card
		}
		if !d.textBox(valueX+3, y+0.5, valueW-6, ticketRowH-1, r.value, maxPt, 8, alignLeft) {
			return fmt.Errorf("%s过长，无法排入准考证: %w", r.label, ErrInvalid)
		}
	}
	pdf.Line(sideX, ticketTableY, sideX, ticketTableY+tableH)

	photoX := sideX + (ticketSideW-ticketPhotoW)/2
	d.photo(t.Photo, photoX, ticketTableY+3, ticketPhotoW, ticketPhotoH)
	if t.QRText != "" {
		qrX := sideX + (ticketSideW-ticketQR)/2
		qrY := ticketTableY + 3 + ticketPhotoH + 3
		if err := d.qr(t.QRText, qrX, qrY, ticketQR); err != nil {
			return err
		}
		d.setFont(8)
		pdf.SetTextColor(90, 90, 90)
		d.centred(sideX, ticketSideW, qrY+ticketQR+2.5, "扫码核验")
		pdf.SetTextColor(0, 0, 0)
	}

	return d.notes(t.Notes, ticketTableY+tableH+10)
}

// notes prints the exam-room rules, numbered, from top to the page's bottom margin, at the
// largest size from 10.5 pt down to 8 pt at which they all fit.
func (d *document) notes(notes []string, top float64) error {
	if len(notes) == 0 {
		return nil
	}
	const (
		left  = ticketLeft
		width = ticketWidth
		lead  = 1.45
		gap   = 1.2 // between two rules, mm
	)
	d.setFont(14)
	d.spaced(left, width, top+5, 3, "考场规则")
	top += 10
	for pt := 10.5; pt >= 8; pt -= 0.5 {
		d.setFont(pt)
		lh := pt * ptToMM * lead
		type item struct {
			num   string
			lines []string
		}
		items := make([]item, len(notes))
		numW := d.width(fmt.Sprintf("%d．", len(notes)))
		h := 0.0
		for i, n := range notes {
			items[i] = item{fmt.Sprintf("%d．", i+1), wrap(n, width-numW, d.runeWidth)}
			h += float64(len(items[i].lines))*lh + gap
		}
		if top+h > pageBottom {
			continue
		}
		y := top
		for _, it := range items {
			d.text(left, baseline(y, lh, pt), it.num)
			for _, line := range it.lines {
				d.text(left+numW, baseline(y, lh, pt), line)
				y += lh
			}
			y += gap
		}
		return nil
	}
	return fmt.Errorf("考场规则过长，一页排不下: %w", ErrInvalid)
}
