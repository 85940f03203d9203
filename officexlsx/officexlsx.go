// Package officexlsx makes the portal's .xlsx exports what a district office expects to open,
// sort and print: named sheets, a merged title, a frozen header row, column widths that fit
// Chinese text, numbers stored as numbers, an A4 landscape print layout that repeats the header
// and numbers its pages, and document properties naming the district instead of the library.
//
// It has one job and no domain knowledge: callers say what the columns are and hand over rows.
package officexlsx

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Organisation is the author and company written into every workbook's properties.
const Organisation = "南通市海门区城市管理局"

// Kind is how a column's cells are stored.
type Kind int

const (
	// Text cells are strings, whatever the value.
	Text Kind = iota
	// Integer cells are whole numbers (序号, 报名号, 名额): they sort and sum.
	Integer
	// Score cells are decimal numbers shown with two places (成绩 90.00): they sort and sum.
	// A string value is parsed; an empty one leaves the cell blank (no score yet), and one that is
	// not a number is kept as text rather than lost.
	Score
)

// Column is one column of a sheet's table.
type Column struct {
	Header string
	Kind   Kind
}

// Sheet is one worksheet: a merged title, an optional note line, the header row, the rows and
// lines after the table (a signature block).
type Sheet struct {
	// Name is the tab's name: at most 31 characters, none of []:*?/\ (Excel's rules).
	Name    string
	Title   string
	Note    string
	Columns []Column
	Rows    [][]any
	// After are lines under the table, one text a row, each merged across the table, such as
	// 单位（盖章）、经办人、日期 for a filing report.
	After []string
}

// Book is a workbook's metadata and sheets.
type Book struct {
	Title   string
	Subject string
	Created time.Time
	Sheets  []Sheet
}

// Layout of every sheet: title on row 1, note on row 2 (if any), then the header.
const (
	maxWidth = 60 // characters; longer text wraps
	minWidth = 6
)

// HeaderRow is the 1-based row of a sheet's header: after the title and the note, if any.
func (sh Sheet) HeaderRow() int {
	if sh.Note != "" {
		return 3
	}
	return 2
}

// Bytes renders the book as an .xlsx file.
func (b Book) Bytes() ([]byte, error) {
	if len(b.Sheets) == 0 {
		return nil, fmt.Errorf("xlsx: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	for i, sh := range b.Sheets {
		if err := checkName(sh.Name); err != nil {
			return nil, err
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return nil, fmt.Errorf("xlsx: sheet name: %w", err)
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, fmt.Errorf("xlsx: sheet %q: %w", sh.Name, err)
		}
		if err := writeSheet(f, st, sh); err != nil {
			return nil, fmt.Errorf("xlsx: sheet %q: %w", sh.Name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := setProps(f, b); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// checkName refuses a tab name Excel would refuse (the file would open with a repair prompt).
func checkName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 31 || strings.ContainsAny(name, `[]:*?/\`) {
		return fmt.Errorf("xlsx: sheet name %q: 1 to 31 characters, none of []:*?/\\", name)
	}
	return nil
}

type styles struct{ title, note, header, text, wrap, integer, score, after int }

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1}}
	middle := &excelize.Alignment{Vertical: "center"}
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Size: 10, Color: "404040"}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: middle},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Border: border, Alignment: middle, NumFmt: 1}, // 0
		{Border: border, Alignment: middle, NumFmt: 2}, // 0.00
		{Alignment: &excelize.Alignment{Vertical: "center"}, Font: &excelize.Font{Size: 12}},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return styles{}, fmt.Errorf("xlsx: style: %w", err)
		}
		ids[i] = id
	}
	return styles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7]}, nil
}

func writeSheet(f *excelize.File, st styles, sh Sheet) error {
	n := len(sh.Columns)
	if n == 0 {
		return fmt.Errorf("no columns")
	}
	last, _ := excelize.ColumnNumberToName(n)
	mergeLine := func(row int, text string, style int, height float64) error {
		a, b := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)
		if err := f.SetCellStr(sh.Name, a, text); err != nil {
			return err
		}
		if n > 1 {
			if err := f.MergeCell(sh.Name, a, b); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sh.Name, a, b, style); err != nil {
			return err
		}
		return f.SetRowHeight(sh.Name, row, height)
	}
	if err := mergeLine(1, sh.Title, st.title, 30); err != nil {
		return err
	}
	hr := sh.HeaderRow()
	if sh.Note != "" {
		// A long note wraps inside the merged row; give it room for the lines it needs.
		lines := 1 + displayWidth(sh.Note)/max(1, int(totalWidth(sh)))
		if err := mergeLine(2, sh.Note, st.note, float64(16*min(lines, 6))); err != nil {
			return err
		}
	}
	widths := make([]float64, n)
	for j, c := range sh.Columns {
		cell, _ := excelize.CoordinatesToCellName(j+1, hr)
		if err := f.SetCellStr(sh.Name, cell, c.Header); err != nil {
			return err
		}
		widths[j] = float64(displayWidth(c.Header))
	}
	hl, _ := excelize.CoordinatesToCellName(n, hr)
	if err := f.SetCellStyle(sh.Name, fmt.Sprintf("A%d", hr), hl, st.header); err != nil {
		return err
	}
	for i, r := range sh.Rows {
		row := hr + 1 + i
		for j, c := range sh.Columns {
			var v any
			if j < len(r) {
				v = r[j]
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, row)
			style, text, err := setCell(f, st, sh.Name, cell, c.Kind, v)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sh.Name, cell, cell, style); err != nil {
				return err
			}
			widths[j] = max(widths[j], float64(displayWidth(text)))
		}
	}
	for j, w := range widths {
		col, _ := excelize.ColumnNumberToName(j + 1)
		w = min(max(w+2, minWidth), maxWidth)
		if err := f.SetColWidth(sh.Name, col, col, w); err != nil {
			return err
		}
		if w == maxWidth {
			// Text wider than the column wraps instead of running under its neighbours.
			top, _ := excelize.CoordinatesToCellName(j+1, hr+1)
			bottom, _ := excelize.CoordinatesToCellName(j+1, hr+max(1, len(sh.Rows)))
			if err := f.SetCellStyle(sh.Name, top, bottom, st.wrap); err != nil {
				return err
			}
		}
	}
	row := hr + len(sh.Rows) + 1
	for i, line := range sh.After {
		if err := mergeLine(row+1+i, line, st.after, 24); err != nil {
			return err
		}
	}
	return printLayout(f, sh.Name, hr)
}

// setCell stores v as kind says and returns the cell's style and the text it shows.
func setCell(f *excelize.File, st styles, sheet, cell string, kind Kind, v any) (int, string, error) {
	switch kind {
	case Integer, Score:
		if x, ok := number(v); ok {
			style, text := st.integer, strconv.FormatFloat(x, 'f', 0, 64)
			if kind == Score {
				style, text = st.score, strconv.FormatFloat(x, 'f', 2, 64)
			}
			return style, text, f.SetCellFloat(sheet, cell, x, -1, 64)
		}
	}
	text := textOf(v)
	if text == "" {
		return st.text, "", nil
	}
	return st.text, text, f.SetCellStr(sheet, cell, text)
}

// number reads a numeric value: Go numbers, pointers to them, and decimal strings ("85.50").
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint:
		return float64(x), true
	case float64:
		return x, true
	case *float64:
		if x != nil {
			return *x, true
		}
	case *int:
		if x != nil {
			return float64(*x), true
		}
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, false
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', 2, 64)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// printLayout: A4 landscape, all columns on one page's width, the header row repeated on every
// page, 第 n 页 共 m 页 in the footer.
func printLayout(f *excelize.File, sheet string, headerRow int) error {
	size, orient, one, zero := 9, "landscape", 1, 0 // 9 = A4
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页 共 &N 页"}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow)}); err != nil {
		return err
	}
	top, _ := excelize.CoordinatesToCellName(1, headerRow+1)
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: top, ActivePane: "bottomLeft"})
}

func setProps(f *excelize.File, b Book) error {
	created := b.Created.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: Organisation, LastModifiedBy: Organisation,
		Title: b.Title, Subject: b.Subject, Created: created, Modified: created, Language: "zh-CN"}); err != nil {
		return fmt.Errorf("xlsx: properties: %w", err)
	}
	if err := f.SetAppProps(&excelize.AppProperties{Company: Organisation, Application: "海门区城市管理辅助人员招聘与培训平台"}); err != nil {
		return fmt.Errorf("xlsx: properties: %w", err)
	}
	return nil
}

// totalWidth is the table's width in characters, to guess how many lines a merged note needs.
func totalWidth(sh Sheet) float64 {
	w := 0.0
	for _, c := range sh.Columns {
		w += float64(max(displayWidth(c.Header)+2, 10))
	}
	return w
}

// DisplayWidth is how many character cells s takes in a spreadsheet's default font: East Asian
// wide and full-width characters (汉字, ，（）) count two, the rest one.
func DisplayWidth(s string) int { return displayWidth(s) }

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r == '\n':
			continue
		case wide(r):
			w += 2
		default:
			w++
		}
	}
	return w
}

// wide reports East Asian wide/full-width runes: the CJK blocks, their punctuation, full-width
// forms and Hangul.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x1100 && r <= 0x115F) || // Hangul Jamo
		(r >= 0x2E80 && r <= 0x303E) || // CJK radicals, punctuation 、。「」
		(r >= 0x3041 && r <= 0x33FF) || // kana, CJK symbols
		(r >= 0xAC00 && r <= 0xD7A3) || // Hangul syllables
		(r >= 0xFE30 && r <= 0xFE4F) || // CJK compatibility forms
		(r >= 0xFF00 && r <= 0xFF60) || // full-width forms （），：
		(r >= 0xFFE0 && r <= 0xFFE6)
}
