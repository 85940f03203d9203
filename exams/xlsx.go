package exams

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"auxportal/officexlsx"
)

// The question-bank workbook (题库导入模板). Sheet "题库", one question per row
// from row 2, columns:
//
//	A 分类  B 题型  C 难度  D 题干  E–L 选项A–选项H  M 正确答案  N 评分要点  O 解析  P 固定选项顺序
//
// 正确答案 holds, by type: the option letter (单选, "B") or letters (多选,
// "ABD"; commas, 、 and spaces between letters are allowed); 对 or 错 (判断;
// also 正确/错误, √/×, T/F); for 填空 the blanks in order separated by ";" or
// "；", each blank's accepted answers separated by "|" or "｜" ("两|2;五|5");
// for 简答 the reference answer. 评分要点 is the rubric of a 简答 question.
// 固定选项顺序 "是" keeps a choice question's options unshuffled. Rows whose 题干
// begins with 【示例】 (the template's examples) and empty rows are skipped.
const (
	SheetBank         = "题库"
	SheetInstructions = "填写说明"
	ExampleMark       = "【示例】"
	MaxImportRows     = 5000
	maxImportBytes    = 64 << 20 // unzipped
)

// BankColumns returns the header row of the workbook, column A first (a new
// slice on every call).
func BankColumns() []string {
	return []string{"分类", "题型", "难度", "题干", "选项A", "选项B", "选项C", "选项D",
		"选项E", "选项F", "选项G", "选项H", "正确答案", "评分要点", "解析", "固定选项顺序"}
}

// numColumns is len(BankColumns()).
const numColumns = colFixed + 1

const (
	colCategory = iota
	colType
	colDifficulty
	colStem
	colOptA   // … colOptA+7
	colAnswer = colOptA + MaxOptions
	colRubric = colAnswer + 1
	colExpl   = colAnswer + 2
	colFixed  = colAnswer + 3
)

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i + 1)
	return n
}

// CellError is one problem with one cell of an imported workbook. Row is the
// worksheet row number (the header is row 1), Col the column letter.
type CellError struct {
	Row     int    `json:"row"`
	Col     string `json:"col"`
	Header  string `json:"header"`
	Message string `json:"message"`
}

// String is the Chinese line, e.g. "第 7 行 M 列（正确答案）：单选题只能有一个正确答案".
func (e CellError) String() string {
	if e.Col == "" {
		return fmt.Sprintf("第 %d 行：%s", e.Row, e.Message)
	}
	return fmt.Sprintf("第 %d 行 %s 列（%s）：%s", e.Row, e.Col, e.Header, e.Message)
}

// ImportError lists every bad cell of a workbook; when it is returned nothing
// was imported.
type ImportError struct {
	Problems []CellError
}

func (e *ImportError) Error() string {
	m := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		m[i] = p.String()
	}
	return fmt.Sprintf("导入失败，共 %d 处错误，未导入任何试题：%s", len(e.Problems), strings.Join(m, "；"))
}

// Imported is the result of a successful import: the questions (tidied and
// valid) and the worksheet row each came from.
type Imported struct {
	Questions []Question `json:"questions"`
	Rows      []int      `json:"rows"`
	Skipped   int        `json:"skipped"` // example rows skipped
}

// ImportXLSX reads a question-bank workbook (the layout above; sheet 题库, or
// the first sheet if there is none of that name). It is all or nothing: if any
// row is bad it returns an *ImportError listing every bad cell, by row and
// column, in Chinese, and no questions. Two rows with the same question
// (same Hash) are an error too. At most MaxImportRows rows; the caller limits
// the upload's size.
func ImportXLSX(r io.Reader) (Imported, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxImportBytes, UnzipXMLSizeLimit: maxImportBytes / 4})
	if err != nil {
		return Imported{}, fmt.Errorf("无法读取该文件，请上传 .xlsx 格式的题库表格：%w", err)
	}
	defer f.Close()
	sheet := SheetBank
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		list := f.GetSheetList()
		if len(list) == 0 {
			return Imported{}, errors.New("表格中没有工作表")
		}
		sheet = list[0]
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return Imported{}, fmt.Errorf("无法读取工作表“%s”：%w", sheet, err)
	}
	var probs []CellError
	cellErr := func(row, col int, msg string) {
		probs = append(probs, CellError{Row: row, Col: colName(col), Header: BankColumns()[col], Message: msg})
	}
	if len(rows) == 0 {
		return Imported{}, &ImportError{[]CellError{{Row: 1, Message: "表格是空的，请使用下载的模板"}}}
	}
	for i, h := range BankColumns() {
		got := ""
		if i < len(rows[0]) {
			got = strings.TrimSpace(width.Fold.String(rows[0][i]))
		}
		if got != width.Fold.String(h) {
			cellErr(1, i, fmt.Sprintf("表头应为“%s”，请使用下载的模板", h))
		}
	}
	if len(probs) > 0 {
		return Imported{}, &ImportError{probs}
	}
	if len(rows)-1 > MaxImportRows {
		return Imported{}, &ImportError{[]CellError{{Row: MaxImportRows + 2,
			Message: fmt.Sprintf("一次最多导入 %d 行试题", MaxImportRows)}}}
	}
	var out Imported
	seen := map[string]int{} // hash → row
	for ri := 1; ri < len(rows); ri++ {
		rowNo := ri + 1
		cells := make([]string, numColumns)
		empty := true
		for i := range cells {
			if i < len(rows[ri]) {
				cells[i] = rows[ri][i]
			}
			if strings.TrimSpace(cells[i]) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(cells[colStem]), ExampleMark) {
			out.Skipped++
			continue
		}
		q, rowProbs := parseRow(cells)
		reported := map[int]bool{}
		for _, p := range rowProbs {
			cellErr(rowNo, p.col, p.msg)
			reported[p.col] = true
		}
		q = q.Tidy()
		var qe *QuestionError
		if err := q.Validate(); errors.As(err, &qe) {
			for _, fe := range qe.Problems {
				if col := fieldColumn(fe); !reported[col] {
					cellErr(rowNo, col, fe.Message)
				}
			}
		}
		if len(rowProbs) > 0 || qe != nil {
			continue
		}
		h := q.Hash()
		if prev, dup := seen[h]; dup {
			cellErr(rowNo, colStem, fmt.Sprintf("与第 %d 行的试题完全相同", prev))
			continue
		}
		seen[h] = rowNo
		out.Questions = append(out.Questions, q)
		out.Rows = append(out.Rows, rowNo)
	}
	if len(probs) > 0 {
		return Imported{}, &ImportError{probs}
	}
	if len(out.Questions) == 0 {
		return Imported{}, &ImportError{[]CellError{{Row: 2, Message: "表格中没有试题（示例行不会导入）"}}}
	}
	return out, nil
}

type rowProblem struct {
	col int
	msg string
}

// parseRow turns the cells of one row into a question, reporting what cannot
// be read at all; Validate checks the rest.
func parseRow(cells []string) (Question, []rowProblem) {
	var p []rowProblem
	q := Question{Category: Category(strings.TrimSpace(cells[colCategory])), Stem: cells[colStem],
		Rubric: cells[colRubric], Explanation: cells[colExpl]}
	t, ok := ParseType(cells[colType])
	if !ok {
		p = append(p, rowProblem{colType, fmt.Sprintf("题型 %q 应为单选题、多选题、判断题、填空题或简答题", strings.TrimSpace(cells[colType]))})
	}
	q.Type = t
	d, ok := ParseDifficulty(cells[colDifficulty])
	if !ok {
		p = append(p, rowProblem{colDifficulty, fmt.Sprintf("难度 %q 应为易、中、难（或 1、2、3）", strings.TrimSpace(cells[colDifficulty]))})
	}
	q.Difficulty = d
	last := -1
	for i := 0; i < MaxOptions; i++ {
		if strings.TrimSpace(cells[colOptA+i]) != "" {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		text := cells[colOptA+i]
		if strings.TrimSpace(text) == "" {
			p = append(p, rowProblem{colOptA + i, fmt.Sprintf("选项%s为空，但其后还有选项；选项须从 A 起连续填写", OptionKey(i))})
		}
		q.Options = append(q.Options, Option{Key: OptionKey(i), Text: text})
	}
	ans := strings.TrimSpace(cells[colAnswer])
	switch t {
	case Single, Multiple:
		keys, bad := parseLetters(ans)
		if bad != "" {
			p = append(p, rowProblem{colAnswer, fmt.Sprintf("正确答案 %q 应为选项字母，如 B 或 ABD（%q 不是选项字母）", ans, bad)})
		}
		q.Correct = keys
	case TrueFalse:
		if ans != "" {
			v, ok := parseTruth(ans)
			if !ok {
				p = append(p, rowProblem{colAnswer, fmt.Sprintf("判断题的正确答案 %q 应为“对”或“错”", ans)})
			} else {
				q.Truth = &v
			}
		}
	case Fill:
		if ans != "" {
			for _, blank := range strings.FieldsFunc(ans, func(r rune) bool { return r == ';' || r == '；' }) {
				acc := strings.FieldsFunc(blank, func(r rune) bool { return r == '|' || r == '｜' })
				q.Blanks = append(q.Blanks, Blank{Accepted: acc})
			}
		}
	case Short:
		q.Reference = cells[colAnswer]
	}
	switch v := strings.TrimSpace(width.Fold.String(cells[colFixed])); v {
	case "", "否", "N", "n", "0":
	case "是", "Y", "y", "1", "√":
		q.FixedOrder = true
	default:
		p = append(p, rowProblem{colFixed, fmt.Sprintf("“固定选项顺序”应为“是”或留空，而不是 %q", v)})
	}
	return q, p
}

// parseLetters reads option letters; bad is the first character that is
// neither a letter nor a separator.
func parseLetters(s string) (keys []string, bad string) {
	for _, r := range strings.ToUpper(width.Fold.String(s)) {
		switch {
		case r >= 'A' && r <= 'Z':
			keys = append(keys, string(r))
		case strings.ContainsRune(" ,、;/\t", r):
		default:
			return nil, string(r)
		}
	}
	return keys, ""
}

func parseTruth(s string) (bool, bool) {
	switch strings.ToUpper(strings.TrimSpace(width.Fold.String(s))) {
	case "对", "正确", "√", "✓", "✔", "T", "TRUE", "是", "Y":
		return true, true
	case "错", "错误", "×", "✗", "✘", "X", "F", "FALSE", "否", "N":
		return false, true
	}
	return false, false
}

func fieldColumn(fe FieldError) int {
	switch fe.Field {
	case FieldCategory:
		return colCategory
	case FieldType:
		return colType
	case FieldDifficulty:
		return colDifficulty
	case FieldStem:
		return colStem
	case FieldOptions:
		if fe.Index >= 0 && fe.Index < MaxOptions {
			return colOptA + fe.Index
		}
		return colOptA
	case FieldRubric:
		return colRubric
	case FieldExplanation:
		return colExpl
	case FieldFixedOrder:
		return colFixed
	}
	return colAnswer // correct, truth, blanks, reference
}

// row returns the cells of q in the workbook layout.
func row(q Question) []string {
	cells := make([]string, numColumns)
	cells[colCategory] = string(q.Category)
	cells[colType] = q.Type.Label()
	cells[colDifficulty] = q.Difficulty.Label()
	cells[colStem] = q.Stem
	for i, o := range q.Options {
		if i < MaxOptions {
			cells[colOptA+i] = o.Text
		}
	}
	switch q.Type {
	case Single, Multiple:
		cells[colAnswer] = strings.Join(q.Correct, "")
	case TrueFalse:
		if q.Truth != nil {
			cells[colAnswer] = map[bool]string{true: "对", false: "错"}[*q.Truth]
		}
	case Fill:
		bs := make([]string, len(q.Blanks))
		for i, b := range q.Blanks {
			bs[i] = strings.Join(b.Accepted, "|")
		}
		cells[colAnswer] = strings.Join(bs, ";")
	case Short:
		cells[colAnswer] = q.Reference
	}
	cells[colRubric] = q.Rubric
	cells[colExpl] = q.Explanation
	if q.FixedOrder {
		cells[colFixed] = "是"
	}
	return cells
}

// ExportXLSX writes the questions as a workbook in the import layout, so that
// ImportXLSX of the result gives the same questions back (each tidied). Every
// question must be valid.
func ExportXLSX(w io.Writer, qs []Question) error {
	var bad []string
	for i, q := range qs {
		if err := q.Validate(); err != nil {
			bad = append(bad, fmt.Sprintf("第 %d 题：%v", i+1, err))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("不能导出无效的试题：%s", joinCN(bad))
	}
	cats := DefaultCategories()
	for _, q := range qs {
		if !containsCat(cats, q.Category) {
			cats = append(cats, q.Category)
		}
	}
	rows := make([][]string, len(qs))
	for i, q := range qs {
		rows[i] = row(q.Tidy())
	}
	return writeBook(w, rows, cats, false)
}

func containsCat(cs []Category, c Category) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// TemplateXLSX writes the empty import template: the header row, one example
// row per type (题干 beginning with 【示例】, skipped on import), drop-down
// lists for 分类 (the defaults; other names allowed after a warning), 题型,
// 难度 and 固定选项顺序, and a 填写说明 sheet.
func TemplateXLSX(w io.Writer) error {
	var rows [][]string
	for _, q := range templateExamples() {
		r := row(q)
		r[colStem] = ExampleMark + r[colStem]
		rows = append(rows, r)
	}
	return writeBook(w, rows, DefaultCategories(), true)
}

func templateExamples() []Question {
	t, f := true, false
	return []Question{
		{Category: Law, Type: Single, Difficulty: Easy,
			Stem:    "城市管理辅助人员在工作中发现违法行为，下列做法正确的是（　）。",
			Options: []Option{{"A", "当场作出罚款决定"}, {"B", "劝导制止并及时报告执法人员"}, {"C", "扣押当事人物品"}, {"D", "视而不见"}},
			Correct: []string{"B"}, Explanation: "辅助人员只能从事劝导、报告等辅助性工作，行政处罚和强制措施由执法人员依法实施。"},
		{Category: Skills, Type: Multiple, Difficulty: Medium,
			Stem:    "下列属于城市管理辅助人员事项清单的有（　）。",
			Options: []Option{{"A", "政策法规宣传"}, {"B", "巡查发现"}, {"C", "信息收集"}, {"D", "作出行政处罚决定"}},
			Correct: []string{"A", "B", "C"}, Explanation: "作出行政处罚决定属于执法人员的职权。"},
		{Category: Discipline, Type: TrueFalse, Difficulty: Easy,
			Stem: "辅助人员可以在没有执法人员带领的情况下单独开展执法检查。", Truth: &f,
			Explanation: "辅助人员须在执法人员监督下开展辅助性工作，不得单独执法。"},
		{Category: Ethics, Type: Fill, Difficulty: Easy,
			Stem:   "城市管理辅助人员须在城市管理____人员监督下开展宣传、教育、劝导等辅助性工作。",
			Blanks: []Blank{{Accepted: []string{"执法"}}}, Explanation: "见海政办发〔2022〕8号第三部分第5条。"},
		{Category: Skills, Type: Short, Difficulty: Hard,
			Stem:      "简述巡查中发现占道经营时辅助人员的处置步骤。",
			Reference: "文明劝导当事人自行整改；劝导无效的及时报告执法人员；做好记录并上报平台；配合执法人员后续处置。",
			Rubric:    "劝导 3 分，报告 3 分，记录上报 2 分，配合执法 2 分。"},
		{Category: Law, Type: TrueFalse, Difficulty: Easy,
			Stem: "行政处罚应当由具有行政执法资格的执法人员实施。", Truth: &t,
			Explanation: "《行政处罚法》第四十二条。"},
	}
}

func writeBook(w io.Writer, rows [][]string, cats []Category, template bool) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetBank); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		NumFmt: 49}) // "@": text, so typed answers like 0012 stay as typed
	if err != nil {
		return err
	}
	hdr := make([]any, numColumns)
	for i, h := range BankColumns() {
		hdr[i] = h
	}
	if err := f.SetSheetRow(SheetBank, "A1", &hdr); err != nil {
		return err
	}
	last := colName(numColumns - 1)
	if err := f.SetCellStyle(SheetBank, "A1", last+"1", bold); err != nil {
		return err
	}
	for i, r := range rows {
		for c, v := range r {
			if v == "" {
				continue
			}
			if err := f.SetCellStr(SheetBank, fmt.Sprintf("%s%d", colName(c), i+2), v); err != nil {
				return err
			}
		}
	}
	maxRow := max(len(rows)+1, 1000)
	if err := f.SetCellStyle(SheetBank, "A2", fmt.Sprintf("%s%d", last, maxRow), wrap); err != nil {
		return err
	}
	widths := map[string]float64{"A": 12, "B": 10, "C": 8, "D": 50, "M": 24, "N": 30, "O": 40, "P": 14}
	if err := f.SetColWidth(SheetBank, "E", "L", 18); err != nil {
		return err
	}
	for c, wd := range widths {
		if err := f.SetColWidth(SheetBank, c, c, wd); err != nil {
			return err
		}
	}
	// Row 1 stays the header (the import reads it); the print layout and properties are the
	// office's, as on every other export.
	if err := officexlsx.PrintLayout(f, SheetBank, 1); err != nil {
		return err
	}
	title := "城市管理辅助人员培训题库"
	if template {
		title += "导入模板"
	}
	if err := officexlsx.Properties(f, title, "岗前培训与年度复训题库", time.Time{}); err != nil {
		return err
	}
	catNames := make([]string, len(cats))
	for i, c := range cats {
		catNames[i] = string(c)
	}
	var typeNames []string
	for _, t := range Types() {
		typeNames = append(typeNames, t.Label())
	}
	lists := []struct {
		col   int
		keys  []string
		style excelize.DataValidationErrorStyle
		msg   string
	}{
		{colCategory, catNames, excelize.DataValidationErrorStyleWarning, "建议使用法律法规、业务技能、纪律作风、职业道德四个分类；也可以使用其他分类名称"},
		{colType, typeNames, excelize.DataValidationErrorStyleStop, "题型只能是单选题、多选题、判断题、填空题、简答题"},
		{colDifficulty, []string{"易", "中", "难"}, excelize.DataValidationErrorStyleStop, "难度只能是易、中、难"},
		{colFixed, []string{"是", "否"}, excelize.DataValidationErrorStyleStop, "填“是”表示不打乱选项顺序，其余留空"},
	}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", colName(l.col), colName(l.col), maxRow))
		if err := dv.SetDropList(l.keys); err != nil {
			// Too many custom categories for an inline list: leave the column free.
			if l.col == colCategory {
				continue
			}
			return err
		}
		dv.SetError(l.style, BankColumns()[l.col], l.msg)
		if err := f.AddDataValidation(SheetBank, dv); err != nil {
			return err
		}
	}
	if template {
		if _, err := f.NewSheet(SheetInstructions); err != nil {
			return err
		}
		for i, line := range instructions() {
			if err := f.SetCellStr(SheetInstructions, fmt.Sprintf("A%d", i+1), line); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(SheetInstructions, "A", "A", 120); err != nil {
			return err
		}
		if err := f.SetCellStyle(SheetInstructions, "A1", "A1", bold); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func instructions() []string {
	return []string{
		"城市管理辅助人员培训考试题库导入模板 · 填写说明",
		"1. 在“题库”工作表中每行填写一道题，第 1 行表头不要修改；题干以【示例】开头的示例行不会导入，可以删除，也可以保留。",
		"2. 分类：建议使用法律法规、业务技能、纪律作风、职业道德（年度培训的四方面内容），也可填写其他分类名称（不超过 20 个字）。",
		"3. 题型：单选题、多选题、判断题、填空题、简答题。难度：易、中、难。",
		"4. 选项：单选题 2 至 8 个选项，多选题 3 至 8 个选项，从“选项A”起连续填写；判断题、填空题、简答题不填选项。",
		"5. 正确答案：单选题填一个字母（如 B）；多选题填全部正确选项的字母（如 ABD），至少两个；判断题填“对”或“错”。",
		"6. 填空题：题干中用至少三个下划线 ____ 表示一个空；正确答案按空的顺序填写，空与空之间用分号 ; 分隔，同一空有多个可接受答案时用竖线 | 分隔，例如“两|2;五|5”。",
		"   判分时不区分全角半角和英文大小写，忽略首尾空格、汉字间的空格、引号和书名号以及句末标点；中文数字与阿拉伯数字视为不同答案，如都可接受请分别列出。",
		"7. 简答题：“正确答案”列填写参考答案，“评分要点”列填写给分要点，由两名阅卷人分别评分。",
		"8. 解析：选填，考试结束后供复习查看。固定选项顺序：选项中有“以上都对”之类依赖顺序的内容时填“是”，组卷时不打乱该题选项。",
		"9. 导入时逐行检查，任何一行有误都会列出所有错误的行和列，整个文件不导入；请修改后重新上传。同一文件中完全相同的题目视为错误。",
		fmt.Sprintf("10. 一次最多导入 %d 道题。", MaxImportRows),
	}
}
