package recruitment_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"auxportal/models"
	"auxportal/recruitment"
)

// readXLSX opens a workbook and returns the rows of its first sheet.
func readXLSX(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an .xlsx file: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// noFullIDs fails if any cell holds any of the whole ID numbers.
func noFullIDs(t *testing.T, rows [][]string, numbers []string) {
	t.Helper()
	for i, r := range rows {
		for j, c := range r {
			for _, n := range numbers {
				if strings.Contains(c, n) || strings.Contains(c, n[6:14]+n[14:17]) {
					t.Errorf("cell (%d,%d) %q holds the ID number %s", i+1, j+1, c, n)
				}
			}
		}
	}
}

// Rules: the ranking export says which step decided each pair; the filing report lists
// the town's proposed hires and replacements; neither holds a whole ID number.
func TestReports_R3_R4_RankingAndFilingXLSX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	type cand struct {
		name, score string
		vet         bool
	}
	cands := []cand{{"赵一", "90", false}, {"钱二", "85", true}, {"孙三", "85", false}, {"李四四", "", false}}
	ids := map[string]uint64{}
	masked := map[string]string{}
	var numbers []string
	for _, c := range cands {
		f := form(t)
		f.Name, f.Veteran = c.name, c.vet
		v := e.apply(t, e.candidate(t, c.name), o.ID, f)
		e.approveAll(t, v.ID)
		ids[c.name], masked[c.name] = v.ID, v.IDMasked
		numbers = append(numbers, f.IDNumber)
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["赵一"]: "90", ids["钱二"]: "85", ids["孙三"]: "85"})

	// The ranking, with one candidate still unscored.
	b, name, err := e.svc.RankingXLSX(e.ctx, e.townAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(name, ".xlsx") {
		t.Errorf("file name %q", name)
	}
	rows := readXLSX(t, b)
	if len(rows) != 3+4 {
		t.Fatalf("%d rows, want title, note, header and 4 candidates: %q", len(rows), rows)
	}
	if !strings.Contains(rows[0][0], townName) || !strings.Contains(rows[0][0], "排名表") {
		t.Errorf("title %q", rows[0][0])
	}
	if !strings.Contains(rows[1][0], "招聘人数 2") || !strings.Contains(rows[1][0], "城市管理类专业毕业生 > 退役士兵 > 见义勇为积极分子") {
		t.Errorf("note %q", rows[1][0])
	}
	wantHeader := []string{"排名", "报名号", "姓名", "身份证号", "成绩", "加分", "总分", "加试成绩", "已核实优先条件", "与下一名的比较", "状态", "是否在招聘名额内"}
	if strings.Join(rows[2], "|") != strings.Join(wantHeader, "|") {
		t.Errorf("header %q", rows[2])
	}
	wantNames := []string{"赵一", "钱二", "孙三", "李四四"}
	for i, n := range wantNames {
		r := rows[3+i]
		if len(r) < 4 || r[2] != n || r[3] != masked[n] {
			t.Errorf("row %d %q, want %s %s", i+4, r, n, masked[n])
		}
	}
	if r := rows[3]; r[0] != "1" || r[4] != "90.00" || r[6] != "90.00" || !strings.Contains(r[9], "成绩 90.00 高于 85.00") || r[11] != "是" {
		t.Errorf("first row %q", r)
	}
	if r := rows[4]; r[8] != "退役士兵" || !strings.Contains(r[9], "退役士兵优先") {
		t.Errorf("second row %q", r)
	}
	if r := rows[6]; r[0] != "未录入成绩" {
		t.Errorf("unscored row %q", r)
	}
	noFullIDs(t, rows, numbers)

	_, _, err = e.svc.RankingXLSX(e.ctx, e.otherTownAdmin, o.ID)
	wantKind(t, err, models.ErrNotFound)
	_, _, err = e.svc.RankingXLSX(e.ctx, e.trainer, o.ID)
	wantKind(t, err, models.ErrForbidden)

	// Propose, one drops out and is replaced, then the filing report.
	e.score(t, o.ID, map[uint64]string{ids["李四四"]: "60"})
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DropOut(e.ctx, e.district, ids["赵一"], "本人放弃"); err != nil {
		t.Fatal(err)
	}
	// Rules T-1, T-3: one passes the unified training and is hired, one fails and is not.
	e.training(t, ids["钱二"], true)
	e.training(t, ids["孙三"], false)
	b, _, err = e.svc.FilingXLSX(e.ctx, e.townAdmin, e.town.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows = readXLSX(t, b)
	if rows[0][0] != townName+"城市管理辅助人员招聘结果备案表" || !strings.Contains(rows[1][0], "R-4") {
		t.Errorf("title %q note %q", rows[0][0], rows[1][0])
	}
	if rows[2][0] != "序号" || rows[2][2] != "姓名" || rows[2][5] != "身份证号" || rows[2][11] != "状态" {
		t.Errorf("header %q", rows[2])
	}
	got := map[string][]string{}
	for _, r := range rows[3:] {
		got[r[2]] = r
	}
	if len(got) != 3 {
		t.Fatalf("filing rows %q, want the hire, the one who did not pass and the one who dropped out", rows[3:])
	}
	for n, st := range map[string]string{"赵一": "已放弃（已递补）", "钱二": "已录用", "孙三": "未通过岗前培训，不予录用"} {
		r := got[n]
		if r == nil || r[5] != masked[n] || r[11] != st || r[1] != "城市管理辅助人员" {
			t.Errorf("%s: %q, want masked %s status %s", n, r, masked[n], st)
		}
	}
	// The 报名表's columns follow the bureau's own.
	if h := strings.Join(rows[2][14:], ","); h != "民族,政治面貌,毕业院校,毕业时间,户籍所在地,现居住地址,联系电话,备用电话,紧急联系人" {
		t.Errorf("the 报名表's columns %q", h)
	}
	if r := got["钱二"]; len(r) < 23 || r[14] != "汉族" || r[16] != "江苏省海门中学" || !strings.Contains(r[19], "叠石桥村") ||
		!strings.HasPrefix(r[20], "139") || r[22] != "王建国（父亲）13962800001" {
		t.Errorf("the 报名表's cells of a hire: %q", r)
	}
	if got["钱二"][8] != "是" || got["钱二"][9] != "退役士兵" {
		t.Errorf("veteran row %q", got["钱二"])
	}
	noFullIDs(t, rows, numbers)

	for name, a := range map[string]models.Actor{"other town": e.otherTownAdmin, "trainer": e.trainer} {
		if _, _, err := e.svc.FilingXLSX(e.ctx, a, e.town.ID); err == nil {
			t.Errorf("%s exported the filing report", name)
		}
	}
	_, _, err = e.svc.FilingXLSX(e.ctx, e.otherTownAdmin, e.town.ID)
	wantKind(t, err, models.ErrNotFound)
	// The district exports any town's; the other town's own report is empty but valid.
	if _, _, err := e.svc.FilingXLSX(e.ctx, e.district, e.town.ID); err != nil {
		t.Error(err)
	}
	b, _, err = e.svc.FilingXLSX(e.ctx, e.otherTownAdmin, e.otherTown.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rows := readXLSX(t, b); len(rows) != 3 {
		t.Errorf("empty report has %d rows", len(rows))
	}
}
