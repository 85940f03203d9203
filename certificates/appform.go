package certificates

import (
	"fmt"
	"io"
	"strings"
)

// AppForm is a printable 报名表: the application as a bordered paper form, the way a
// 事业单位公开招聘 registration form looks, for the applicant to sign and bring to the
// qualification check and for the reviewer's file. Every value is already what is to be
// printed: the caller decides what a copy may show (the applicant's copy carries the masked ID
// number and no birth date; the reviewer's the whole number).
type AppForm struct {
	Title         string // e.g. 南通市海门区城市管理辅助人员招聘报名表
	Opening       string // 报考单位及岗位, e.g. 三星镇 · 城市管理辅助人员
	ApplicationNo string // 报名号
	Submitted     string // when it was submitted, China time
	Copy          string // which copy this is, printed at the foot (本人留存 / 资格审查用)

	Name, Gender, Birth, Ethnicity, Political string
	IDNumber                                  string // whole or masked, as the caller decided
	Education, Major, School, Graduated       string
	Hukou, Address                            string
	Phone, Phone2, Emergency                  string
	Claims                                    string // 身份情况: the claims of rules A2-3, A2-4 and R-3
	Photo                                     []byte // JPEG; nil draws the empty 照片 frame

	Resume       []AppFormLine // 学习与工作经历: 起止年月, 单位/学校, 职务/身份
	Family       []AppFormLine // 家庭主要成员: 称谓, 姓名, 工作单位及职务
	Declarations []string      // 本人承诺, one paragraph each
}

// AppFormLine is one line of a table inside the 报名表, three cells.
type AppFormLine [3]string

// RenderAppForm writes f as an A4 PDF (one page, a second when the lines do not fit) to w. On
// error nothing is written.
func RenderAppForm(w io.Writer, f AppForm) error {
	if err := f.check(); err != nil {
		return fmt.Errorf("报名表（%s）: %w", f.ApplicationNo, err)
	}
	d, err := newDocument(f.Title)
	if err != nil {
		return err
	}
	if err := d.appForm(f); err != nil {
		return fmt.Errorf("报名表（%s）: %w", f.ApplicationNo, err)
	}
	return d.writeTo(w)
}

func (f AppForm) check() error {
	for _, x := range []field{{"标题", f.Title}, {"姓名", f.Name}, {"报名号", f.ApplicationNo}} {
		if strings.TrimSpace(x.value) == "" {
			return fmt.Errorf("缺少%s: %w", x.label, ErrInvalid)
		}
	}
	fields := []field{
		{"标题", f.Title}, {"报考岗位", f.Opening}, {"报名号", f.ApplicationNo}, {"提交时间", f.Submitted}, {"份别", f.Copy},
		{"姓名", f.Name}, {"性别", f.Gender}, {"出生日期", f.Birth}, {"民族", f.Ethnicity}, {"政治面貌", f.Political},
		{"身份证号", f.IDNumber}, {"学历", f.Education}, {"所学专业", f.Major}, {"毕业院校", f.School},
		{"毕业时间", f.Graduated}, {"户籍所在地", f.Hukou}, {"现居住地址", f.Address}, {"联系电话", f.Phone},
		{"备用电话", f.Phone2}, {"紧急联系人", f.Emergency}, {"身份情况", f.Claims},
	}
	for i, l := range f.Resume {
		for j, label := range []string{"起止年月", "单位/学校", "职务/身份"} {
			fields = append(fields, field{fmt.Sprintf("经历第%d行的%s", i+1, label), l[j]})
		}
	}
	for i, l := range f.Family {
		for j, label := range []string{"称谓", "姓名", "工作单位及职务"} {
			fields = append(fields, field{fmt.Sprintf("家庭成员第%d行的%s", i+1, label), l[j]})
		}
	}
	for i, p := range f.Declarations {
		fields = append(fields, field{fmt.Sprintf("承诺第%d段", i+1), p})
	}
	// A line break inside a cell is layout, not a character to print.
	for i := range fields {
		fields[i].value = strings.ReplaceAll(fields[i].value, "\n", "")
	}
	return checkPrintable(fields...)
}

// The 报名表's layout, in millimetres.
const (
	afLeft   = 15.0
	afWidth  = 180.0
	afTop    = 15.0
	afBottom = pageH - 18
	afLabelW = 23.0 // a label cell: five characters on one line
	afPhotoW = 33.0 // the photo column, 一寸/二寸 proportions
	afRowH   = 9.0  // the least height of a row
	afLineH  = 7.5  // the least height of a line of 经历 or 家庭成员
	afPt     = 10.0 // values
	afPad    = 1.5
)

// cell is one box of a row: a grey label or a value, w wide.
type cell struct {
	w     float64
	text  string
	label bool
}

// afLayout tracks where the next row goes.
type afLayout struct {
	d *document
	y float64
}

// lines is s wrapped to a cell of width w at the values' size, with that size selected; a
// short value (a date, a phone number) a little too wide for its cell is set up to 1.5 pt
// smaller on one line instead, as a clerk writes it smaller rather than break it.
func (l *afLayout) lines(s string, w float64) []string {
	for pt := afPt; pt >= afPt-1.5; pt -= 0.5 {
		l.d.setFont(pt)
		if !strings.Contains(s, "\n") && l.d.width(s) <= w-2*afPad {
			return []string{s}
		}
	}
	l.d.setFont(afPt)
	return wrap(s, w-2*afPad, l.d.runeWidth)
}

func lineH() float64 { return afPt * ptToMM * 1.3 }

// height is what a row of cells needs: its wrapped text, and never less than least.
func (l *afLayout) height(cells []cell, least float64) float64 {
	h := least
	for _, c := range cells {
		if c.label {
			continue
		}
		h = max(h, float64(len(l.lines(c.text, c.w)))*lineH()+2*afPad)
	}
	return h
}

// room starts a new page when h does not fit below the current row; it reports false when h
// would not fit even on a page of its own.
func (l *afLayout) room(h float64) bool {
	if l.y+h <= afBottom {
		return true
	}
	if afTop+h > afBottom {
		return false
	}
	l.d.pdf.AddPage()
	l.y = afTop
	return true
}

// row draws cells from x at the current y, h high.
func (l *afLayout) row(x float64, cells []cell, h float64) {
	pdf := l.d.pdf
	for _, c := range cells {
		if c.label {
			pdf.SetFillColor(242, 242, 242)
			pdf.Rect(x, l.y, c.w, h, "FD")
			l.label(x, c.w, h, c.text)
		} else {
			pdf.Rect(x, l.y, c.w, h, "D")
			lines := l.lines(c.text, c.w) // selects the size they were measured at
			top := l.y + (h-float64(len(lines))*lineH())/2
			for i, s := range lines {
				l.d.text(x+afPad, baseline(top+float64(i)*lineH(), lineH(), afPt), s)
			}
		}
		x += c.w
	}
}

// label sets a label in its cell: a narrow cell's label spread over its width (分散对齐) so
// that labels of two to five characters line up, a header over a wide column centred; one that
// does not fit on a line at 9 pt is stacked a few characters a line, centred.
func (l *afLayout) label(x, w, h float64, s string) {
	inner := w - 2*afPad - 1
	for _, pt := range []float64{afPt, 9} {
		l.d.setFont(pt)
		if l.d.width(s) > inner {
			continue
		}
		if w <= afLabelW+2 {
			l.d.justified(x+afPad+0.5, inner, baseline(l.y, h, pt), s)
		} else {
			l.d.centred(x, w, baseline(l.y, h, pt), s)
		}
		return
	}
	l.d.setFont(afPt)
	lines := wrap(s, inner, l.d.runeWidth)
	top := l.y + (h-float64(len(lines))*lineH())/2
	for i, line := range lines {
		l.d.centred(x, w, baseline(top+float64(i)*lineH(), lineH(), afPt), line)
	}
}

// table draws a section of lines: its name in a label column spanning the lines, a header row
// and the lines (blank ones added up to least, for a form that looks like the paper one).
func (l *afLayout) table(name string, header [3]string, widths [3]float64, lines []AppFormLine, least int) error {
	for len(lines) < least {
		lines = append(lines, AppFormLine{})
	}
	rows := make([][]cell, 0, len(lines)+1)
	rows = append(rows, []cell{{widths[0], header[0], true}, {widths[1], header[1], true}, {widths[2], header[2], true}})
	for _, ln := range lines {
		rows = append(rows, []cell{{widths[0], ln[0], false}, {widths[1], ln[1], false}, {widths[2], ln[2], false}})
	}
	hs := make([]float64, len(rows))
	total := 0.0
	for i, r := range rows {
		hs[i] = l.height(r, afLineH)
		total += hs[i]
	}
	// The section moves to a new page whole when it fits on one, so its name stays beside it.
	if !l.room(min(total, afBottom-afTop)) {
		return fmt.Errorf("%s过长，无法排入报名表: %w", name, ErrInvalid)
	}
	start := l.y
	for i, r := range rows {
		if l.y+hs[i] > afBottom {
			l.nameColumn(name, start, l.y-start)
			if !l.room(hs[i]) {
				return fmt.Errorf("%s过长，无法排入报名表: %w", name, ErrInvalid)
			}
			start = l.y
		}
		l.row(afLeft+afLabelW, r, hs[i])
		l.y += hs[i]
	}
	l.nameColumn(name, start, l.y-start)
	return nil
}

// nameColumn is a section's name, one character a line, in the label column from top, h high.
func (l *afLayout) nameColumn(name string, top, h float64) {
	pdf := l.d.pdf
	pdf.SetFillColor(242, 242, 242)
	pdf.Rect(afLeft, top, afLabelW, h, "FD")
	rs := []rune(name)
	l.d.setFont(afPt)
	step := min(lineH()*1.1, (h-2)/float64(len(rs)))
	y := top + (h-step*float64(len(rs)))/2
	for _, r := range rs {
		l.d.centred(afLeft, afLabelW, baseline(y, step, afPt), string(r))
		y += step
	}
}

// appForm draws the whole form.
func (d *document) appForm(f AppForm) error {
	pdf := d.pdf
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.25)
	if !d.textBox(afLeft, afTop, afWidth, 12, f.Title, 17, 12, alignCentre) {
		return fmt.Errorf("标题过长: %w", ErrInvalid)
	}
	d.setFont(9.5)
	d.text(afLeft, afTop+18, "报考岗位："+f.Opening)
	right := "报名号：" + f.ApplicationNo
	if f.Submitted != "" {
		right += "    提交时间：" + f.Submitted
	}
	d.text(afLeft+afWidth-d.width(right), afTop+18, right)
	l := &afLayout{d: d, y: afTop + 21}

	// The first rows share the page with the photo column at the right.
	v := (afWidth - afPhotoW - 3*afLabelW) / 3
	wide := 2*v + afLabelW
	top := [][]cell{
		{{afLabelW, "姓名", true}, {v, f.Name, false}, {afLabelW, "性别", true}, {v, f.Gender, false}, {afLabelW, "出生日期", true}, {v, f.Birth, false}},
		{{afLabelW, "民族", true}, {v, f.Ethnicity, false}, {afLabelW, "政治面貌", true}, {v, f.Political, false}, {afLabelW, "学历", true}, {v, f.Education, false}},
		{{afLabelW, "身份证号", true}, {wide, f.IDNumber, false}, {afLabelW, "联系电话", true}, {v, f.Phone, false}},
		{{afLabelW, "毕业院校", true}, {wide, f.School, false}, {afLabelW, "毕业时间", true}, {v, f.Graduated, false}},
		{{afLabelW, "所学专业", true}, {wide, f.Major, false}, {afLabelW, "备用电话", true}, {v, f.Phone2, false}},
	}
	photoTop := l.y
	for _, r := range top {
		h := l.height(r, afRowH+1)
		l.row(afLeft, r, h)
		l.y += h
	}
	px := afLeft + afWidth - afPhotoW
	pdf.Rect(px, photoTop, afPhotoW, l.y-photoTop, "D")
	ph := min(l.y-photoTop-4, (afPhotoW-6)*1.4)
	d.photo(f.Photo, px+3, photoTop+(l.y-photoTop-ph)/2, afPhotoW-6, ph)

	rest := afWidth - afLabelW
	for _, r := range [][]cell{
		{{afLabelW, "户籍所在地", true}, {rest, f.Hukou, false}},
		{{afLabelW, "现居住地址", true}, {rest, f.Address, false}},
		{{afLabelW, "紧急联系人", true}, {rest, f.Emergency, false}},
		{{afLabelW, "身份情况", true}, {rest, f.Claims, false}},
	} {
		h := l.height(r, afRowH)
		if !l.room(h) {
			return fmt.Errorf("%s过长，无法排入报名表: %w", r[0].text, ErrInvalid)
		}
		l.row(afLeft, r, h)
		l.y += h
	}
	if err := l.table("学习与工作经历", [3]string{"起止年月", "单位 / 学校", "职务 / 身份"},
		[3]float64{36, rest - 36 - 42, 42}, f.Resume, 4); err != nil {
		return err
	}
	if err := l.table("家庭主要成员", [3]string{"称谓", "姓名", "工作单位及职务"},
		[3]float64{22, 30, rest - 52}, f.Family, 3); err != nil {
		return err
	}

	// The declarations, and the line the applicant signs.
	promise := strings.Join(f.Declarations, "\n")
	body := []cell{{rest, promise, false}}
	h := l.height(body, 12) + 10
	if !l.room(h) {
		return fmt.Errorf("承诺过长，无法排入报名表: %w", ErrInvalid)
	}
	top0 := l.y
	l.row(afLeft+afLabelW, body, h-10)
	pdf.Rect(afLeft+afLabelW, l.y+h-10, rest, 10, "D")
	d.setFont(afPt)
	sign := "报名人签名：________________        日期：______年____月____日"
	d.text(afLeft+afWidth-d.width(sign)-4, baseline(l.y+h-10, 10, afPt), sign)
	l.y += h
	l.nameColumn("本人承诺", top0, h)

	review := []cell{{rest, "", false}}
	if !l.room(24) {
		return fmt.Errorf("报名表排不下资格审查意见栏: %w", ErrInvalid)
	}
	top0 = l.y
	l.row(afLeft+afLabelW, review, 24)
	d.setFont(afPt)
	sign = "审查人：____________        日期：______年____月____日"
	d.text(afLeft+afWidth-d.width(sign)-4, l.y+20, sign)
	l.y += 24
	l.nameColumn("资格审查意见", top0, 24)

	if f.Copy != "" {
		d.setFont(8.5)
		pdf.SetTextColor(90, 90, 90)
		d.text(afLeft, pageH-10, f.Copy)
		pdf.SetTextColor(0, 0, 0)
	}
	return nil
}
