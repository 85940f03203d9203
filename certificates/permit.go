package certificates

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// PermitTitle is the district's title of the uniform work permit (rule T-2).
const PermitTitle = "南通市海门区城市管理辅助人员上岗证"

// Permit is one holder's work permit (上岗证), issued to those who passed the unified
// pre-job training (rule T-2).
type Permit struct {
	Title      string    // empty means PermitTitle
	Name       string    // the holder's name
	IDMasked   string    // the ID number, already masked (first 3 and last 4 at most)
	Town       string    // the town or sub-district (区镇/街道) the holder serves
	Post       string    // the post, e.g. 网格巡查
	PermitNo   string    // e.g. HM2026-00042
	Issued     time.Time // issue date, shown as its civil date in China
	ValidUntil time.Time // last day of validity, likewise
	// ValidFrom is the first day of the cycle ValidUntil ends (not printed); zero means
	// Issued. A re-issued card prints the re-issue day as its 发证日期, which comes after
	// ValidUntil when a suspended permit is re-issued: the dates are checked against this.
	ValidFrom time.Time
	Photo     []byte // the holder's photo as JPEG; nil draws an empty 照片 frame
	QRText    string // the verification URL the QR code encodes
}

// RenderPermit writes p as an A4 PDF with one card, at true size, in the top-left slot of the
// sheet RenderPermits uses, inside a cut line. On error nothing is written.
func RenderPermit(w io.Writer, p Permit) error {
	return RenderPermits(w, []Permit{p})
}

// Permit sheet: cards of ISO/IEC 7810 ID-1 size (85.6 × 54 mm, a bank card's) in two columns
// and five rows on A4, abutting so that one cut serves two cards. Printed at 100 % (not "fit to
// page") each card comes out at true size for a standard badge holder or laminating pouch.
const (
	cardW         = 85.6
	cardH         = 54.0
	sheetCols     = 2
	sheetRows     = 5
	cardsPerSheet = sheetCols * sheetRows
	sheetLeft     = (pageW - sheetCols*cardW) / 2
	sheetTop      = (pageH - sheetRows*cardH) / 2
)

// RenderPermits writes the permits as one A4 PDF, ten cards to a sheet, in order: a bulk issue
// printed in one go. The font is parsed once for the whole document. Every permit is checked
// before anything is drawn; on error nothing is written, and the error names the permit.
func RenderPermits(w io.Writer, ps []Permit) error {
	if len(ps) == 0 {
		return fmt.Errorf("没有上岗证可打印: %w", ErrInvalid)
	}
	for i, p := range ps {
		if err := p.check(); err != nil {
			return fmt.Errorf("%s: %w", which("上岗证", i, len(ps), p.PermitNo), err)
		}
	}
	d, err := newDocument(ps[0].title())
	if err != nil {
		return err
	}
	for i, p := range ps {
		slot := i % cardsPerSheet
		if slot == 0 {
			d.pdf.AddPage()
		}
		x := sheetLeft + float64(slot%sheetCols)*cardW
		y := sheetTop + float64(slot/sheetCols)*cardH
		if err := d.permit(p, x, y); err != nil {
			return fmt.Errorf("%s: %w", which("上岗证", i, len(ps), p.PermitNo), err)
		}
	}
	return d.writeTo(w)
}

// CheckPermit reports what RenderPermit would refuse in p — a missing field, a character the
// font lacks — without drawing anything, so an issue can be refused before a number is spent.
func CheckPermit(p Permit) error { return p.check() }

func (p Permit) title() string {
	if p.Title == "" {
		return PermitTitle
	}
	return p.Title
}

// check refuses a permit that lacks what a holder or an inspector needs, or whose text the
// font cannot print.
func (p Permit) check() error {
	for _, f := range []field{{"姓名", p.Name}, {"证号", p.PermitNo}, {"核验网址", p.QRText}} {
		if strings.TrimSpace(f.value) == "" {
			return fmt.Errorf("缺少%s: %w", f.label, ErrInvalid)
		}
	}
	from := p.ValidFrom
	if from.IsZero() {
		from = p.Issued
	}
	if p.Issued.IsZero() || p.ValidUntil.Before(from) {
		return fmt.Errorf("发证日期或有效期有误（有效期不得早于发证日期）: %w", ErrInvalid)
	}
	return checkPrintable(
		field{"证件名称", p.title()}, field{"姓名", p.Name}, field{"身份证号", p.IDMasked},
		field{"区镇", p.Town}, field{"岗位", p.Post}, field{"证号", p.PermitNo},
	)
}

// The card's layout, in millimetres from its top-left corner.
const (
	cardPhotoX = 4.0
	cardPhotoY = 12.5
	cardPhotoW = 19.0 // 一寸 proportions (25 × 35)
	cardPhotoH = 26.6
	cardLabelX = 26.0
	cardLabelW = 10.0
	cardValueX = 38.0
	cardValueW = 25.0
	cardRowsY  = 12.0
	cardRowH   = 5.4
	cardQR     = 19.0
	cardQRX    = cardW - 2.5 - cardQR
	cardQRY    = 12.5
)

// permit draws p as a card with its top-left corner at (x, y).
func (d *document) permit(p Permit, x, y float64) error {
	pdf := d.pdf
	pdf.SetLineWidth(0.15)
	pdf.SetDrawColor(170, 170, 170)
	pdf.SetDashPattern([]float64{1, 1}, 0)
	pdf.Rect(x, y, cardW, cardH, "D") // the cut line
	pdf.SetDashPattern(nil, 0)

	// Title in the district's red over a rule.
	pdf.SetTextColor(178, 34, 34)
	if !d.textBox(x+3, y+2, cardW-6, 7, p.title(), 11, 7, alignCentre) {
		return fmt.Errorf("证件名称过长，无法排入上岗证: %w", ErrInvalid)
	}
	pdf.SetDrawColor(178, 34, 34)
	pdf.SetLineWidth(0.4)
	pdf.Line(x+3, y+10, x+cardW-3, y+10)
	pdf.SetTextColor(0, 0, 0)

	d.photo(p.Photo, x+cardPhotoX, y+cardPhotoY, cardPhotoW, cardPhotoH)

	rows := []field{
		{"姓名", p.Name},
		{"身份证号", p.IDMasked},
		{"区镇", p.Town},
		{"岗位", p.Post},
		{"证号", p.PermitNo},
		{"发证日期", chineseDate(p.Issued)},
		{"有效期至", chineseDate(p.ValidUntil)},
	}
	for i, r := range rows {
		ry := y + cardRowsY + float64(i)*cardRowH
		d.setFont(6.5)
		pdf.SetTextColor(80, 80, 80)
		d.justified(x+cardLabelX, cardLabelW, baseline(ry, cardRowH, 6.5), r.label)
		pdf.SetTextColor(0, 0, 0)
		maxPt := 8.0
		if i == 0 {
			maxPt = 10
		}
		if !d.textBox(x+cardValueX, ry, cardValueW, cardRowH, r.value, maxPt, 5, alignLeft) {
			return fmt.Errorf("%s过长，无法排入上岗证: %w", r.label, ErrInvalid)
		}
	}

	if err := d.qr(p.QRText, x+cardQRX, y+cardQRY, cardQR); err != nil {
		return err
	}
	d.setFont(5.5)
	pdf.SetTextColor(90, 90, 90)
	d.centred(x+cardQRX, cardQR, y+cardQRY+cardQR+2.2, "扫码核验真伪")
	pdf.SetTextColor(0, 0, 0)
	return nil
}
