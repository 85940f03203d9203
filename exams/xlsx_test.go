package exams

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"auxportal/officexlsx"
)

func template(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := TemplateXLSX(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTemplateXLSX(t *testing.T) {
	f, err := excelize.OpenReader(bytes.NewReader(template(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetBank, SheetInstructions}) {
		t.Fatalf("sheets %v", got)
	}
	// The office's print layout and properties, as on every export.
	if p, err := f.GetDocProps(); err != nil || p.Creator != officexlsx.Organisation || !strings.Contains(p.Title, "题库") {
		t.Errorf("properties %+v %v", p, err)
	}
	if pl, err := f.GetPageLayout(SheetBank); err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.Size == nil || *pl.Size != 9 {
		t.Errorf("page layout %+v %v", pl, err)
	}
	rows, err := f.GetRows(SheetBank)
	if err != nil {
		t.Fatal(err)
	}
	if len(BankColumns()) != numColumns {
		t.Fatalf("%d columns, constants say %d", len(BankColumns()), numColumns)
	}
	if !slices.Equal(rows[0], BankColumns()) {
		t.Errorf("header %q", rows[0])
	}
	types := map[string]bool{}
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[colStem], ExampleMark) {
			t.Errorf("example row without the mark: %q", r)
		}
		types[r[colType]] = true
	}
	if len(types) != 5 {
		t.Errorf("examples cover types %v, want all five", types)
	}
	dvs, err := f.GetDataValidations(SheetBank)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref[:1]] = dv.Formula1
	}
	for col, want := range map[string]string{"A": "法律法规", "B": "单选题", "C": "易", "P": "是"} {
		if !strings.Contains(lists[col], want) {
			t.Errorf("column %s drop-down %q lacks %q", col, lists[col], want)
		}
	}
	instr, _ := f.GetRows(SheetInstructions)
	if len(instr) < 8 || !strings.Contains(instr[0][0], "填写说明") {
		t.Errorf("instructions %q", instr)
	}
	// The examples themselves are valid questions.
	for _, q := range templateExamples() {
		if err := q.Validate(); err != nil {
			t.Errorf("template example invalid: %v", err)
		}
	}
	// Imported untouched, the template has no questions.
	_, err = ImportXLSX(bytes.NewReader(template(t)))
	if err == nil || !strings.Contains(err.Error(), "表格中没有试题") {
		t.Errorf("empty template import: %v", err)
	}
}

// fillTemplate appends rows (as a trainer types them) below the examples.
func fillTemplate(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := len(templateExamples()) + 2
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, start+i)
		if err := f.SetSheetRow(SheetBank, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// r builds a row: category, type, difficulty, stem, options A–H (as given), answer, rubric, explanation, fixed.
func r(cat, typ, diff, stem string, opts []string, answer, rubric, expl, fixed string) []string {
	row := make([]string, numColumns)
	row[colCategory], row[colType], row[colDifficulty], row[colStem] = cat, typ, diff, stem
	copy(row[colOptA:colOptA+MaxOptions], opts)
	row[colAnswer], row[colRubric], row[colExpl], row[colFixed] = answer, rubric, expl, fixed
	return row
}

func TestImportXLSX_T4_FilledTemplate(t *testing.T) {
	data := fillTemplate(t, [][]string{
		r("法律法规", "单选题", "易", "行政处罚由（　）实施。", []string{"执法人员", "辅助人员"}, "A", "", "第四十二条", ""),
		r(" 业务技能 ", "多选", "2", "事项清单包括（　）。", []string{"宣传", "巡查", "处罚", "以上都是"}, "ａ、b", "", "", "是"),
		r("纪律作风", "判断题", "难", "辅助人员可以单独执法。", nil, "×", "", "", ""),
		r("职业道德", "填空题", "中", "谁使用、谁____、谁负责；执法人员不得少于＿＿＿人", nil, "管理；两|2", "", "", ""),
		r("安全生产", "简答题", "3", "简述隐患排查的要点。", nil, "井盖、广告牌……", "每点 3 分", "", ""),
		{}, // an empty row in the middle is skipped
		r("法律法规", "单选题", "易", ExampleMark+"被保留的示例", []string{"甲", "乙"}, "A", "", "", ""),
	})
	got, err := ImportXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	first := len(templateExamples()) + 2
	if !slices.Equal(got.Rows, []int{first, first + 1, first + 2, first + 3, first + 4}) || got.Skipped != len(templateExamples())+1 {
		t.Errorf("rows %v skipped %d", got.Rows, got.Skipped)
	}
	f := false
	want := []Question{
		qSingle(Law, Easy, "行政处罚由（　）实施。", qOpts("执法人员", "辅助人员"), "A", "第四十二条"),
		func() Question {
			q := qMultiple(Skills, Medium, "事项清单包括（　）。", qOpts("宣传", "巡查", "处罚", "以上都是"), "AB", "")
			q.FixedOrder = true
			return q
		}(),
		{Category: Discipline, Type: TrueFalse, Difficulty: Hard, Stem: "辅助人员可以单独执法。", Truth: &f},
		qFill(Ethics, Medium, "谁使用、谁____、谁负责；执法人员不得少于＿＿＿人", "管理;两|2", ""),
		qShort("安全生产", Hard, "简述隐患排查的要点。", "井盖、广告牌……", "每点 3 分", ""),
	}
	if len(got.Questions) != len(want) {
		t.Fatalf("%d questions", len(got.Questions))
	}
	for i := range want {
		if got.Questions[i].Hash() != want[i].Hash() {
			t.Errorf("question %d\n got %+v\nwant %+v", i, got.Questions[i], want[i])
		}
	}
}

func TestImportXLSX_BadRowsReportedNothingImported(t *testing.T) {
	good := r("法律法规", "单选题", "易", "行政处罚由（　）实施。", []string{"执法人员", "辅助人员"}, "A", "", "", "")
	data := fillTemplate(t, [][]string{
		good, // row 8
		r("法律法规", "单选题", "易", "题", []string{"甲", "乙", "丙"}, "AB", "", "", ""), // 9
		r("", "论述题", "极难", "", nil, "", "", "", ""),                           // 10
		r("业务技能", "多选题", "中", "题", []string{"甲", "", "丙"}, "A", "", "", ""),   // 11
		r("业务技能", "判断题", "易", "题", nil, "也许", "", "", ""),                     // 12
		r("职业道德", "填空题", "易", "____和____", nil, "甲", "", "", ""),              // 13
		r("职业道德", "简答题", "易", "简述。", nil, "", "", "", "是"),                    // 14
		r("法律法规", "单选题", "易", "题二", []string{"甲", "乙"}, "7", "", "", ""),      // 15
		good, // 16: the same as row 8
		r("纪律作风", "判断题", "易", "题三", []string{"对", "错"}, "对", "评分要点", "", ""), // 17
	})
	got, err := ImportXLSX(bytes.NewReader(data))
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportError, got %v", err)
	}
	if len(got.Questions) != 0 {
		t.Fatal("questions imported despite errors")
	}
	var lines []string
	for _, p := range ie.Problems {
		lines = append(lines, p.String())
	}
	want := []string{
		"第 9 行 M 列（正确答案）：单选题只能有一个正确答案",
		"第 10 行 B 列（题型）：题型 \"论述题\" 应为单选题、多选题、判断题、填空题或简答题",
		"第 10 行 C 列（难度）：难度 \"极难\" 应为易、中、难（或 1、2、3）",
		"第 10 行 A 列（分类）：请填写分类",
		"第 10 行 D 列（题干）：请填写题干",
		"第 11 行 F 列（选项B）：选项B为空，但其后还有选项；选项须从 A 起连续填写",
		"第 11 行 M 列（正确答案）：多选题至少要有两个正确答案",
		"第 12 行 M 列（正确答案）：判断题的正确答案 \"也许\" 应为“对”或“错”",
		"第 13 行 M 列（正确答案）：题干中有 2 个空，答案给出了 1 个空",
		"第 14 行 M 列（正确答案）：简答题请填写参考答案",
		"第 14 行 P 列（固定选项顺序）：只有选择题可以固定选项顺序",
		"第 15 行 M 列（正确答案）：正确答案 \"7\" 应为选项字母，如 B 或 ABD（\"7\" 不是选项字母）",
		"第 16 行 D 列（题干）：与第 8 行的试题完全相同",
		"第 17 行 E 列（选项A）：判断题不需要选项",
		"第 17 行 N 列（评分要点）：只有简答题有评分要点",
	}
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("missing %q", w)
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "第 8 行") {
			t.Errorf("good row reported: %q", l)
		}
	}
	if !strings.HasPrefix(err.Error(), "导入失败，共 ") || !strings.Contains(err.Error(), "未导入任何试题") {
		t.Errorf("Error() = %q", err)
	}
}

func TestImportXLSX_NotATemplate(t *testing.T) {
	if _, err := ImportXLSX(strings.NewReader("not a zip")); err == nil || !strings.Contains(err.Error(), ".xlsx") {
		t.Errorf("garbage: %v", err)
	}
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"题目", "答案"})
	_ = f.SetSheetRow("Sheet1", "A2", &[]any{"x", "y"})
	var b bytes.Buffer
	_, _ = f.WriteTo(&b)
	_, err := ImportXLSX(&b)
	var ie *ImportError
	if !errors.As(err, &ie) || !strings.Contains(ie.Problems[0].String(), "第 1 行 A 列（分类）：表头应为“分类”") {
		t.Errorf("wrong headers: %v", err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	bank := DemoBank()
	var b bytes.Buffer
	if err := ExportXLSX(&b, bank); err != nil {
		t.Fatal(err)
	}
	got, err := ImportXLSX(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Questions) != len(bank) {
		t.Fatalf("%d of %d questions back", len(got.Questions), len(bank))
	}
	for i, q := range bank {
		if got.Questions[i].Hash() != q.Tidy().Hash() {
			t.Errorf("question %d changed:\n got %+v\nwant %+v", i, got.Questions[i], q)
		}
	}
	// Export validates and lists categories beyond the defaults.
	custom := qJudge("安全生产", Easy, "题", true, "")
	b.Reset()
	if err := ExportXLSX(&b, []Question{custom}); err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	dvs, _ := f.GetDataValidations(SheetBank)
	if !slices.ContainsFunc(dvs, func(dv *excelize.DataValidation) bool { return strings.Contains(dv.Formula1, "安全生产") }) {
		t.Error("custom category not in the drop-down")
	}
	if err := ExportXLSX(&b, []Question{{Type: Single}}); err == nil {
		t.Error("invalid question exported")
	}
}

func FuzzImportXLSX(f *testing.F) {
	var b bytes.Buffer
	_ = TemplateXLSX(&b)
	f.Add(b.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ImportXLSX(bytes.NewReader(data))
		if err != nil && len(got.Questions) > 0 {
			t.Fatal("questions returned with an error")
		}
		for _, q := range got.Questions {
			if q.Validate() != nil {
				t.Fatal("invalid question imported")
			}
		}
	})
}
