package recruitment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// RankingXLSX exports an opening's ranking: for each adjacent pair, the step that decided it.
func (s *Service) RankingXLSX(ctx context.Context, actor models.Actor, openingID uint64) ([]byte, string, error) {
	v, err := s.Ranking(ctx, actor, openingID)
	if err != nil {
		return nil, "", err
	}
	title := fmt.Sprintf("%s %s 排名表", v.Opening.Town, v.Opening.Title)
	if v.Provisional {
		title += "（临时）"
	}
	header := []string{"排名", "报名号", "姓名", "身份证号", "成绩", "加分", "总分", "加试成绩", "已核实优先条件", "与下一名的比较", "状态", "是否在招聘名额内"}
	var rows [][]any
	for _, r := range v.Rows {
		vs := ""
		if r.VsNext != nil {
			vs = r.VsNext.Message
		}
		rank := fmt.Sprint(r.Rank)
		if r.Tied {
			rank += "（并列）"
		}
		within := "否"
		switch {
		case r.WithinSeats:
			within = "是"
		case r.BelowPassMark:
			within = "否（未达合格分数线）"
		}
		rows = append(rows, []any{rank, r.Application.ID, r.Application.Name, r.Application.IDMasked, r.Score,
			r.Bonus, r.Total, r.ExtraScore, strings.Join(r.Verified, "、"), vs, r.Application.StatusLabel, within})
	}
	for _, u := range v.Absent {
		rows = append(rows, []any{"缺考", u.ID, u.Name, u.IDMasked, "", "", "", "", "", "", u.StatusLabel, "否（缺考）"})
	}
	for _, u := range v.Unscored {
		rows = append(rows, []any{"未录入成绩", u.ID, u.Name, u.IDMasked, "", "", "", "", "", "", u.StatusLabel, ""})
	}
	policy := "优先条件只在总分相同时比较"
	if len(v.Opening.BonusLines) > 0 {
		policy = "加分：" + strings.Join(v.Opening.BonusLines, "，")
	}
	if v.Opening.PassMark != "" {
		policy += "；合格分数线 " + v.Opening.PassMark + " 分（按成绩计，不含加分）"
	}
	b, err := sheet(title, header, rows, fmt.Sprintf("招聘人数 %d；优先顺序：%s；%s；导出时间 %s", v.Opening.Seats,
		strings.Join(v.Opening.PreferenceLabels, " > "), policy, clock.FormatChina(s.clock.Now())))
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("ranking-%d.xlsx", openingID), nil
}

// FilingXLSX is a town's filing report for the district bureau (rule R-4): every proposed hire
// (and every replacement) of the town's openings.
func (s *Service) FilingXLSX(ctx context.Context, actor models.Actor, townID uint64) ([]byte, string, error) {
	if !actor.IsAdmin() {
		return nil, "", models.Deny(actor, "只有管理员可以导出备案表")
	}
	if !actor.CanManageTown(townID) {
		return nil, "", models.NotFound("区镇")
	}
	t, err := s.store.TownByID(ctx, townID)
	if err != nil {
		return nil, "", err
	}
	// Rule R-4 with T-1: a hire is filed once hired (passed the unified training); those who left
	// or did not pass are on record too.
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{TownID: &townID,
		Statuses: []string{models.AppHired, models.AppDroppedOut, models.AppNotHired}})
	if err != nil {
		return nil, "", err
	}
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	items, err := s.store.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	verified := map[uint64][]string{}
	for _, it := range items {
		if p, ok := prefOfItem[it.Kind]; ok && it.Status == models.ReviewApproved {
			verified[it.ApplicationID] = append(verified[it.ApplicationID], p.Label())
		}
	}
	openings, err := s.openingsOf(ctx, apps)
	if err != nil {
		return nil, "", err
	}
	// No birth date beside the masked ID number: together they give the number back.
	header := []string{"序号", "岗位", "姓名", "性别", "年龄", "身份证号", "学历", "专业", "退役军人", "已核实优先条件", "成绩", "状态", "确定拟录用时间", "录用时间"}
	header = append(header, profileHeader...)
	var rows [][]any
	for i, a := range apps {
		p, err := s.openProfile(&a)
		if err != nil {
			return nil, "", err
		}
		o := openings[a.OpeningID]
		gender := "女"
		if a.Male {
			gender = "男"
		}
		rows = append(rows, []any{i + 1, o.Title, a.Name, gender, ageOf(&a), a.IDMasked,
			screening.Education(a.Education).Label(), a.Major, yesNo(a.Veteran), strings.Join(verified[a.ID], "、"),
			fmtScore(a.Score), StatusLabel(a.Status), clock.FormatChina(deref(a.ProposedAt)), clock.FormatChina(deref(a.HiredAt))})
		rows[i] = append(rows[i], profileCells(a.Phone, p)...)
	}
	b, err := sheet(t.Name+"城市管理辅助人员招聘结果备案表", header, rows,
		fmt.Sprintf("报送单位：%s；报区城管局备案（规则 R-4）；导出时间 %s", t.Name, clock.FormatChina(s.clock.Now())))
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("filing-town-%d.xlsx", townID), nil
}

// profileHeader names the 报名表's columns of an export, after the export's own.
var profileHeader = []string{"民族", "政治面貌", "毕业院校", "毕业时间", "户籍所在地", "现居住地址", "联系电话", "备用电话", "紧急联系人"}

// profileCells are the cells under profileHeader; blank for an application filed before the
// form asked for them, but for the phone, which every application has.
func profileCells(phone string, p *Profile) []any {
	if p == nil {
		return []any{"", "", "", "", "", "", phone, "", ""}
	}
	return []any{p.Ethnicity, p.Political, p.School, ChineseYearMonth(p.Graduated), p.Hukou, p.Address, phone, p.Phone2,
		fmt.Sprintf("%s（%s）%s", p.EmergencyName, p.EmergencyRelation, p.EmergencyPhone)}
}

// ageOf is the age on the reference date that an application's screening recorded.
func ageOf(a *models.Application) int {
	var res screening.Result
	_ = json.Unmarshal([]byte(a.Result), &res)
	return res.Age
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// sheet writes a one-sheet workbook: a title row, a note row, a header row and data rows.
func sheet(title string, header []string, rows [][]any, note string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const name = "Sheet1"
	if err := f.SetCellValue(name, "A1", title); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if err := f.SetCellValue(name, "A2", note); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if err := f.SetSheetRow(name, "A3", &header); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+4)
		if err := f.SetSheetRow(name, cell, &r); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err == nil {
		last, _ := excelize.CoordinatesToCellName(len(header), 3)
		_ = f.SetCellStyle(name, "A1", "A1", bold)
		_ = f.SetCellStyle(name, "A3", last, bold)
	}
	for i := range header {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(name, col, col, 16)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
