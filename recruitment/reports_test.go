package recruitment_test

import (
	"bytes"
	"fmt"
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
	if !strings.Contains(rows[1][0], "招聘人数 2") || !strings.Contains(rows[1][0], "城市管理类专业毕业生 > 退伍军人 > 见义勇为积极分子") {
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
	if r := rows[4]; r[8] != "退伍军人" || !strings.Contains(r[9], "退伍军人优先") {
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
	// Rule R-4: the summary sheet is seats offered against seats filled; no rule codes in headers.
	sum := readSheet(t, b, "备案汇总")
	if sum[0][0] != townName+"城市管理辅助人员招聘结果备案表" || !strings.Contains(sum[1][0], "报送单位："+townName) {
		t.Errorf("title %q note %q", sum[0][0], sum[1][0])
	}
	wantSum := "序号|岗位|报名截止日期|招聘人数|报名人数|已录用|拟录用（待培训）|放弃|取消拟录用|未通过培训|尚空缺"
	if strings.Join(sum[2], "|") != wantSum {
		t.Errorf("summary header %q", sum[2])
	}
	if got := strings.Join(sum[3], "|"); got != "1|城市管理辅助人员|"+o.ClosesAt+"|2|4|1|0|1|0|1|1" {
		t.Errorf("summary row %q", got)
	}
	for _, want := range []string{"填报单位（盖章）：", "经办人（签字）：", "日期："} {
		if !strings.Contains(strings.Join(flatten(sum[4:]), "|"), want) {
			t.Errorf("summary has no %q line: %q", want, sum[4:])
		}
	}
	rows = readSheet(t, b, "录用名单")
	head := strings.Join(rows[2], "|")
	for _, want := range []string{"序号", "姓名", "身份证号", "成绩", "排名", "加试成绩（决定名次时）", "录用情况", "递补情况"} {
		if !strings.Contains(head, want) {
			t.Errorf("list header %q has no %s", head, want)
		}
	}
	if strings.Contains(head, "R-") || strings.Contains(head, "A2-") {
		t.Errorf("rule codes in the header %q", head)
	}
	col := map[string]int{}
	for i, h := range rows[2] {
		col[h] = i
	}
	got := map[string][]string{}
	for _, r := range rows[3:] {
		if len(r) > col["姓名"] && r[col["姓名"]] != "" && len(r) > 3 {
			got[r[col["姓名"]]] = r
		}
	}
	if len(got) != 3 {
		t.Fatalf("filing rows %q, want the hire, the one who did not pass and the one who dropped out", rows[3:])
	}
	for n, want := range map[string][2]string{"赵一": {"已放弃（已递补）", "放弃，由孙三递补"}, "钱二": {"已录用", ""},
		"孙三": {"未通过岗前培训，不予录用", "递补赵一"}} {
		r := got[n]
		if r == nil || r[col["身份证号"]] != masked[n] || r[col["录用情况"]] != want[0] || r[col["岗位"]] != "城市管理辅助人员" {
			t.Errorf("%s: %q, want masked %s status %s", n, r, masked[n], want[0])
			continue
		}
		if g := cell(r, col["递补情况"]); g != want[1] {
			t.Errorf("%s 递补情况 %q, want %q", n, g, want[1])
		}
	}
	// The 报名表's columns follow the bureau's own.
	if r := got["钱二"]; r[col["民族"]] != "汉族" || r[col["毕业院校"]] != "江苏省海门中学" || !strings.Contains(r[col["现居住地址"]], "叠石桥村") ||
		!strings.HasPrefix(r[col["联系电话"]], "139") || r[col["紧急联系人"]] != "王建国（父亲）13962800001" {
		t.Errorf("the 报名表's cells of a hire: %q", r)
	}
	if rows[3][col["姓名"]] != "钱二" || rows[3][col["排名"]] != "1" {
		t.Errorf("the ranked hire comes first: %q", rows[3])
	}
	if got["钱二"][col["退伍军人"]] != "是" || got["钱二"][col["已核实优先条件"]] != "退伍军人" {
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
	if rows := readSheet(t, b, "录用名单"); len(rows) != 3+4 {
		t.Errorf("empty report has %d rows: %q", len(rows), rows)
	}
}

// readSheet returns the rows of the named sheet.
func readSheet(t *testing.T, b []byte, name string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an .xlsx file: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatalf("sheet %s: %v (sheets %q)", name, err, f.GetSheetList())
	}
	return rows
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func cell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

// Rule R-4: an opening's filing report shows the 加试 score where it decided the last seat, and
// only there; the 报名花名册 lists every applicant, withdrawn ones too, with numbers as numbers.
func TestReports_R4_OpeningFilingExtraTestAndRoster(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "高分甲"}, person{name: "并列乙"}, person{name: "并列丙"})
	quitter := e.candidate(t, "撤回丁")
	f := form(t)
	f.Name = "撤回丁"
	if err := e.svc.Withdraw(e.ctx, quitter, e.apply(t, quitter, o.ID, f).ID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["高分甲"]: "90", ids["并列乙"]: "80", ids["并列丙"]: "80"})
	if _, err := e.svc.Propose(e.ctx, e.townAdmin, o.ID); err == nil {
		t.Fatal("a tie across the last seat was proposed")
	}
	if err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{
		{ApplicationID: ids["并列乙"], ExtraScore: "66.5"}, {ApplicationID: ids["并列丙"], ExtraScore: "70"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Propose(e.ctx, e.townAdmin, o.ID); err != nil {
		t.Fatal(err)
	}
	b, name, err := e.svc.OpeningFilingXLSX(e.ctx, e.townAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if name != fmt.Sprintf("filing-opening-%d.xlsx", o.ID) {
		t.Errorf("file name %q", name)
	}
	rows := readSheet(t, b, "录用名单")
	col := map[string]int{}
	for i, h := range rows[2] {
		col[h] = i
	}
	byName := map[string][]string{}
	for _, r := range rows[3:] {
		if n := cell(r, col["姓名"]); n != "" {
			byName[n] = r
		}
	}
	if len(byName) != 2 {
		t.Fatalf("filed %q, want the two proposed hires", byName)
	}
	if g := cell(byName["高分甲"], col["加试成绩（决定名次时）"]); g != "" {
		t.Errorf("高分甲 had no extra test, shows %q", g)
	}
	if g := cell(byName["并列丙"], col["加试成绩（决定名次时）"]); g != "70.00" {
		t.Errorf("并列丙's deciding extra score %q, want 70.00", g)
	}
	sum := readSheet(t, b, "备案汇总")
	if got := strings.Join(sum[3][3:], "|"); got != "2|3|0|2|0|0|0|0" {
		t.Errorf("summary %q: 2 seats, 3 applicants, 2 proposed, none open", got)
	}
	_, _, err = e.svc.OpeningFilingXLSX(e.ctx, e.otherTownAdmin, o.ID)
	wantKind(t, err, models.ErrNotFound)

	b, _, err = e.svc.RosterXLSX(e.ctx, e.townAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	roster, err := x.GetRows("报名花名册")
	if err != nil {
		t.Fatal(err)
	}
	if len(roster) != 3+4 || !strings.Contains(roster[0][0], "报名花名册") || !strings.Contains(roster[1][0], "共 4 人") {
		t.Fatalf("roster %q", roster)
	}
	rc := map[string]int{}
	for i, h := range roster[2] {
		rc[h] = i
	}
	status := map[string]string{}
	for _, r := range roster[3:] {
		status[r[rc["姓名"]]] = r[rc["状态"]]
	}
	for n, want := range map[string]string{"高分甲": "拟录用", "并列丙": "拟录用", "并列乙": "资格审查合格", "撤回丁": "已撤回"} {
		if status[n] != want {
			t.Errorf("%s status %q, want %q", n, status[n], want)
		}
	}
	// Scores and ranks are numbers: a clerk sorts and sums them.
	scoreCell, _ := excelize.CoordinatesToCellName(rc["成绩"]+1, 4)
	if typ, _ := x.GetCellType("报名花名册", scoreCell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("score cell %s is %v, not a number", scoreCell, typ)
	}
	_, _, err = e.svc.RosterXLSX(e.ctx, e.trainer, o.ID)
	wantKind(t, err, models.ErrForbidden)
}
