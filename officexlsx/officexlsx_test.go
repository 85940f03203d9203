package officexlsx_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"auxportal/officexlsx"
)

func TestDisplayWidth(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0}, {"abc", 3}, {"姓名", 4}, {"成绩（加试）", 12}, {"320***1234", 10}, {"三星镇，A岗", 11},
	} {
		if got := officexlsx.DisplayWidth(c.in); got != c.want {
			t.Errorf("DisplayWidth(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func sample() officexlsx.Book {
	return officexlsx.Book{
		Title: "三星镇备案表", Subject: "招聘结果备案", Created: time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC),
		Sheets: []officexlsx.Sheet{{
			Name: "录用名单", Title: "三星镇城市管理辅助人员招聘结果备案表", Note: "招聘人数 2",
			Columns: []officexlsx.Column{{Header: "序号", Kind: officexlsx.Integer}, {Header: "姓名"},
				{Header: "成绩", Kind: officexlsx.Score}, {Header: "备注"}},
			Rows: [][]any{
				{1, "欧阳建国", "85.5", strings.Repeat("很长的备注", 20)},
				{2, "李四", "", "未录入成绩"},
				{3, "王五", 90.0, ""},
				{4, "赵六", "缺考", ""},
			},
			After: []string{"单位（盖章）：", "经办人：", "日期："},
		}, {
			Name: "说明", Title: "说明", Columns: []officexlsx.Column{{Header: "项目"}}, Rows: [][]any{{"x"}},
		}},
	}
}

func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an .xlsx file: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// The workbook is office-ready: what a clerk checks when opening, sorting and printing it.
func TestBook_OfficeReady(t *testing.T) {
	t.Parallel()
	b, err := sample().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, b)
	const sh = "录用名单"
	if got := f.GetSheetList(); strings.Join(got, ",") != "录用名单,说明" {
		t.Errorf("sheets %q", got)
	}
	mc, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	merged := map[string]bool{}
	for _, m := range mc {
		merged[m.GetStartAxis()+":"+m.GetEndAxis()] = true
	}
	for _, want := range []string{"A1:D1", "A2:D2", "A9:D9", "A10:D10", "A11:D11"} {
		if !merged[want] {
			t.Errorf("%s not merged; merged: %v", want, merged)
		}
	}
	if v, _ := f.GetCellValue(sh, "A9"); v != "单位（盖章）：" {
		t.Errorf("signature line A9 = %q", v)
	}
	p, err := f.GetPanes(sh)
	if err != nil || !p.Freeze || p.YSplit != 3 || p.TopLeftCell != "A4" {
		t.Errorf("panes %+v %v, want frozen under the header row 3", p, err)
	}
	// Numbers are numbers: they sort and sum; blanks stay blank, words stay words.
	// (OOXML: a cell without a t attribute is a number; excelize reports it as Unset.)
	for cell, number := range map[string]bool{"A4": true, "C4": true, "C6": true, "B4": false, "C7": false} {
		got, err := f.GetCellType(sh, cell)
		isNumber := got == excelize.CellTypeUnset || got == excelize.CellTypeNumber
		if err != nil || isNumber != number {
			t.Errorf("%s type %v, number %v", cell, got, number)
		}
	}
	if v, _ := f.GetCellValue(sh, "C4"); v != "85.50" {
		t.Errorf("C4 shows %q, want 85.50", v)
	}
	if v, _ := f.GetCellValue(sh, "C5"); v != "" {
		t.Errorf("C5 = %q, want blank", v)
	}
	if err := f.SetCellFormula(sh, "C12", "SUM(C4:C7)"); err != nil {
		t.Fatal(err)
	}
	if v, err := f.CalcCellValue(sh, "C12"); err != nil || v != "175.5" {
		t.Errorf("SUM of scores = %q %v, want 175.5", v, err)
	}
	// Widths fit the text: 欧阳建国 is 8 cells wide, the long remark is capped and wraps.
	if w, _ := f.GetColWidth(sh, "B"); w < 10 || w > 12 {
		t.Errorf("name column width %v", w)
	}
	if w, _ := f.GetColWidth(sh, "D"); w != 60 {
		t.Errorf("remark column width %v, want the cap 60", w)
	}
	pl, err := f.GetPageLayout(sh)
	if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v %v, want A4 landscape one page wide", pl, err)
	}
	hf, err := f.GetHeaderFooter(sh)
	if err != nil || hf == nil || !strings.Contains(hf.OddFooter, "第 &P 页 共 &N 页") {
		t.Errorf("footer %+v %v", hf, err)
	}
	titles := ""
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sh {
			titles = d.RefersTo
		}
	}
	if titles != "'录用名单'!$3:$3" {
		t.Errorf("print titles %q, want the header row repeated", titles)
	}
	dp, err := f.GetDocProps()
	if err != nil || dp.Creator != officexlsx.Organisation || dp.LastModifiedBy != officexlsx.Organisation ||
		dp.Title != "三星镇备案表" || !strings.HasPrefix(dp.Created, "2026-12-02T01:00:00") {
		t.Errorf("doc props %+v %v", dp, err)
	}
	ap, err := f.GetAppProps()
	if err != nil || ap.Company != officexlsx.Organisation {
		t.Errorf("app props %+v %v", ap, err)
	}
	// Without a note the header is row 2.
	if p, _ := f.GetPanes("说明"); p.YSplit != 2 {
		t.Errorf("second sheet panes %+v", p)
	}
}

func TestBook_RefusesBadSheetNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "a/b", "名单[1]", strings.Repeat("名", 32)} {
		b := sample()
		b.Sheets[0].Name = name
		if _, err := b.Bytes(); err == nil {
			t.Errorf("sheet name %q accepted", name)
		}
	}
}
