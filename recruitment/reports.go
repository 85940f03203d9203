package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"auxportal/clock"
	"auxportal/models"
	"auxportal/officexlsx"
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
	cols := []officexlsx.Column{{Header: "排名"}, {Header: "报名号", Kind: officexlsx.Integer}, {Header: "姓名"},
		{Header: "身份证号"}, {Header: "成绩", Kind: officexlsx.Score}, {Header: "加分", Kind: officexlsx.Score},
		{Header: "总分", Kind: officexlsx.Score}, {Header: "加试成绩", Kind: officexlsx.Score}, {Header: "已核实优先条件"},
		{Header: "与下一名的比较"}, {Header: "状态"}, {Header: "是否在招聘名额内"}}
	var rows [][]any
	for _, r := range v.Rows {
		vs := ""
		if r.VsNext != nil {
			vs = r.VsNext.Message
		}
		// The rank is a number a clerk can sort by; a tie is said in words beside it.
		var rank any = r.Rank
		if r.Tied {
			rank = fmt.Sprintf("%d（并列）", r.Rank)
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
	now := s.clock.Now()
	b, err := officexlsx.Book{Title: title, Subject: "招聘成绩排名", Created: now, Sheets: []officexlsx.Sheet{{
		Name: "排名", Title: title, Columns: cols, Rows: rows,
		Note: fmt.Sprintf("招聘人数 %d；优先顺序：%s；%s；导出时间 %s", v.Opening.Seats,
			strings.Join(v.Opening.PreferenceLabels, " > "), policy, clock.FormatChina(now)),
	}}}.Bytes()
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("ranking-%d.xlsx", openingID), nil
}

// filedStatuses are what a filing report lists (rule R-4 with T-1): hires, proposed hires still
// in training, those who gave up their seat, whose proposal was cancelled (体检, 考察, a 公示
// objection) and those who did not pass the training.
var filedStatuses = []string{models.AppHired, models.AppProposed, models.AppDroppedOut, models.AppCancelled, models.AppNotHired}

// vacatingActions are the audit actions that free a proposed hire's seat (vacate), each followed
// in its transaction by the replacements it made.
var vacatingActions = []string{"application.drop_out", "objection.upheld", "application.medical_fail", "application.vetting_fail"}

// FilingXLSX is a town's filing report for the district bureau (rule R-4): every opening of the
// town that has proposed anyone, with its hires and replacements.
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
	all, err := s.store.ListOpenings(ctx, models.OpeningFilter{TownID: &townID, Published: true})
	if err != nil {
		return nil, "", err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	b, err := s.filingBook(ctx, t.Name, t.Name+"城市管理辅助人员招聘结果备案表", all, true)
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("filing-town-%d.xlsx", townID), nil
}

// OpeningFilingXLSX is one opening's filing report (rule R-4).
func (s *Service) OpeningFilingXLSX(ctx context.Context, actor models.Actor, openingID uint64) ([]byte, string, error) {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return nil, "", err
	}
	b, err := s.filingBook(ctx, o.Town.Name, fmt.Sprintf("%s城市管理辅助人员招聘结果备案表（%s）", o.Town.Name, o.Title),
		[]models.Opening{*o}, false)
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("filing-opening-%d.xlsx", openingID), nil
}

// filingLine is one person on a filing report.
type filingLine struct {
	app      *models.Application
	opening  *models.Opening
	rank     int    // 0: not ranked (dropped out, not hired)
	extra    string // the 加试 score, only where it decided this candidate's place
	verified []string
	replaced string   // for a replacement: whom they replaced (递补)
	by       string   // for a drop-out: who took the seat
	profile  *Profile // the rest of the 报名表; nil for an application filed before it was asked
}

// filingColumns are the 录用名单's columns, each with how it is filled: a column is one line here.
// Headers are the office's words; rule codes stay out of them.
var filingColumns = []struct {
	col   officexlsx.Column
	value func(l *filingLine) any
}{
	{officexlsx.Column{Header: "岗位"}, func(l *filingLine) any { return l.opening.Title }},
	{officexlsx.Column{Header: "姓名"}, func(l *filingLine) any { return l.app.Name }},
	{officexlsx.Column{Header: "性别"}, func(l *filingLine) any { return genderOf(l.app) }},
	{officexlsx.Column{Header: "年龄", Kind: officexlsx.Integer}, func(l *filingLine) any { return ageOf(l.app) }},
	// Masked: no birth date beside it either, together they give the number back.
	{officexlsx.Column{Header: "身份证号"}, func(l *filingLine) any { return l.app.IDMasked }},
	{officexlsx.Column{Header: "学历"}, func(l *filingLine) any { return screening.Education(l.app.Education).Label() }},
	{officexlsx.Column{Header: "专业"}, func(l *filingLine) any { return l.app.Major }},
	{officexlsx.Column{Header: "退伍军人"}, func(l *filingLine) any { return yesNo(l.app.Veteran) }},
	{officexlsx.Column{Header: "已核实优先条件"}, func(l *filingLine) any { return strings.Join(l.verified, "、") }},
	{officexlsx.Column{Header: "成绩", Kind: officexlsx.Score}, func(l *filingLine) any { return fmtScore(l.app.Score) }},
	{officexlsx.Column{Header: "排名", Kind: officexlsx.Integer}, func(l *filingLine) any { return intOrBlank(l.rank) }},
	{officexlsx.Column{Header: "加试成绩（决定名次时）", Kind: officexlsx.Score}, func(l *filingLine) any { return l.extra }},
	{officexlsx.Column{Header: "录用情况"}, func(l *filingLine) any { return StatusLabel(l.app.Status) }},
	{officexlsx.Column{Header: "递补情况"}, func(l *filingLine) any { return l.replacement() }},
	{officexlsx.Column{Header: "确定拟录用时间"}, func(l *filingLine) any { return clock.FormatChina(deref(l.app.ProposedAt)) }},
	{officexlsx.Column{Header: "录用时间"}, func(l *filingLine) any { return clock.FormatChina(deref(l.app.HiredAt)) }},
	// The 报名表's columns follow the bureau's own.
	{officexlsx.Column{Header: "民族"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[0] }},
	{officexlsx.Column{Header: "政治面貌"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[1] }},
	{officexlsx.Column{Header: "毕业院校"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[2] }},
	{officexlsx.Column{Header: "毕业时间"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[3] }},
	{officexlsx.Column{Header: "户籍所在地"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[4] }},
	{officexlsx.Column{Header: "现居住地址"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[5] }},
	{officexlsx.Column{Header: "联系电话"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[6] }},
	{officexlsx.Column{Header: "备用电话"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[7] }},
	{officexlsx.Column{Header: "紧急联系人"}, func(l *filingLine) any { return profileCells(l.app.Phone, l.profile)[8] }},
}

func (l *filingLine) replacement() string {
	left := "放弃"
	if l.app.Status == models.AppCancelled {
		left = "取消拟录用资格"
	}
	switch {
	case l.replaced != "" && l.by != "":
		return "递补" + l.replaced + "；" + left + "后由" + l.by + "递补"
	case l.replaced != "":
		return "递补" + l.replaced
	case l.by != "" && l.app.Status == models.AppCancelled:
		return "取消拟录用资格，由" + l.by + "递补"
	case l.by != "":
		return left + "，由" + l.by + "递补"
	case l.app.Status == models.AppDroppedOut:
		return "放弃，暂无人递补"
	case l.app.Status == models.AppCancelled:
		return "取消拟录用资格，暂无人递补"
	}
	return ""
}

// signature is the block a filing report ends with: the unit stamps and signs the printout.
var signature = []string{"填报单位（盖章）：", "经办人（签字）：　　　　　　　　联系电话：", "日期：　　　　年　　月　　日"}

// filingBook builds a filing workbook: a summary sheet (per opening: seats offered against
// filled) and the list of people, both ending with the signature block. With skipEmpty,
// openings that have proposed nobody are left out (a town's report lists what it hired).
func (s *Service) filingBook(ctx context.Context, unit, title string, openings []models.Opening, skipEmpty bool) ([]byte, error) {
	sumCols := []officexlsx.Column{{Header: "序号", Kind: officexlsx.Integer}, {Header: "岗位"}, {Header: "报名截止日期"},
		{Header: "招聘人数", Kind: officexlsx.Integer}, {Header: "报名人数", Kind: officexlsx.Integer},
		{Header: "已录用", Kind: officexlsx.Integer}, {Header: "拟录用（待培训）", Kind: officexlsx.Integer},
		{Header: "放弃", Kind: officexlsx.Integer}, {Header: "取消拟录用", Kind: officexlsx.Integer}, {Header: "未通过培训", Kind: officexlsx.Integer},
		{Header: "尚空缺", Kind: officexlsx.Integer}}
	var sumRows, listRows [][]any
	var seats, hired, proposed int
	for i := range openings {
		o := &openings[i]
		lines, counts, err := s.filingLines(ctx, o)
		if err != nil {
			return nil, err
		}
		if skipEmpty && len(lines) == 0 {
			continue
		}
		open := max(0, o.Seats-counts[models.AppHired]-counts[models.AppProposed])
		sumRows = append(sumRows, []any{len(sumRows) + 1, o.Title, o.ClosesAt, o.Seats, counts["*"],
			counts[models.AppHired], counts[models.AppProposed], counts[models.AppDroppedOut], counts[models.AppCancelled], counts[models.AppNotHired], open})
		seats, hired, proposed = seats+o.Seats, hired+counts[models.AppHired], proposed+counts[models.AppProposed]
		for _, l := range lines {
			row := []any{len(listRows) + 1}
			for _, c := range filingColumns {
				row = append(row, c.value(l))
			}
			listRows = append(listRows, row)
		}
	}
	listCols := []officexlsx.Column{{Header: "序号", Kind: officexlsx.Integer}}
	for _, c := range filingColumns {
		listCols = append(listCols, c.col)
	}
	now := s.clock.Now()
	note := fmt.Sprintf("报送单位：%s；报送：海门区城市管理局；招聘人数 %d，已录用 %d，拟录用（待培训）%d；导出时间 %s",
		unit, seats, hired, proposed, clock.FormatChina(now))
	return officexlsx.Book{Title: title, Subject: "城市管理辅助人员招聘结果备案", Created: now, Sheets: []officexlsx.Sheet{
		{Name: "备案汇总", Title: title, Note: note, Columns: sumCols, Rows: sumRows, After: signature},
		{Name: "录用名单", Title: title, Note: note, Columns: listCols, Rows: listRows, After: signature},
	}}.Bytes()
}

// filingLines reads one opening's filed people in ranking order (then the rest by application),
// who replaced whom, and the counts by status ("*": every application but the withdrawn).
func (s *Service) filingLines(ctx context.Context, o *models.Opening) ([]*filingLine, map[string]int, error) {
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]int{}
	var filed []models.Application
	for _, a := range apps {
		counts[a.Status]++
		if a.Status != models.AppWithdrawn {
			counts["*"]++
		}
		for _, st := range filedStatuses {
			if a.Status == st {
				filed = append(filed, a)
			}
		}
	}
	if len(filed) == 0 {
		return nil, counts, nil
	}
	v, _, err := s.ranking(ctx, s.store, o)
	if err != nil {
		return nil, nil, err
	}
	rank, extra := map[uint64]int{}, map[uint64]string{}
	for i, r := range v.Rows {
		id := r.Application.ID
		rank[id] = r.Rank
		// The extra test decided a place when it ordered this row against a neighbour.
		if r.VsNext != nil && r.VsNext.Step == screening.StepExtraTest {
			extra[id] = r.ExtraScore
			if i+1 < len(v.Rows) {
				extra[v.Rows[i+1].Application.ID] = v.Rows[i+1].ExtraScore
			}
		}
	}
	ids := make([]uint64, len(filed))
	names := map[uint64]string{}
	for i, a := range filed {
		ids[i], names[a.ID] = a.ID, a.Name
	}
	items, err := s.store.ReviewItemsFor(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	verified := map[uint64][]string{}
	for _, it := range items {
		if p, ok := prefOfItem[it.Kind]; ok && it.Status == models.ReviewApproved {
			verified[it.ApplicationID] = append(verified[it.ApplicationID], p.Label())
		}
	}
	replaced, by, err := s.replacements(ctx, ids, names)
	if err != nil {
		return nil, nil, err
	}
	lines := make([]*filingLine, len(filed))
	for i := range filed {
		a := &filed[i]
		p, err := s.openProfile(a)
		if err != nil {
			return nil, nil, err
		}
		lines[i] = &filingLine{app: a, opening: o, rank: rank[a.ID], extra: extra[a.ID], verified: verified[a.ID],
			replaced: replaced[a.ID], by: by[a.ID], profile: p}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		ri, rj := lines[i].rank, lines[j].rank
		if (ri == 0) != (rj == 0) {
			return ri != 0
		}
		return ri < rj
	})
	return lines, counts, nil
}

// replacements pairs drop-outs with the candidates who moved up into their seats (递补) from the
// audit log: DropOut records the drop-out and, in the same transaction under the opening's lock,
// the replacements it made, so each replacement belongs to the drop-out recorded just before it.
func (s *Service) replacements(ctx context.Context, ids []uint64, names map[uint64]string) (replaced, by map[uint64]string, err error) {
	var es []models.AuditEntry
	for offset := 0; ; offset += models.MaxAuditPage {
		page, total, err := s.store.SearchAudit(ctx, models.AuditQuery{ObjectType: "application", ObjectIDs: ids,
			Actions: append([]string{"application.replace"}, vacatingActions...), Offset: offset, Limit: models.MaxAuditPage})
		if err != nil {
			return nil, nil, err
		}
		es = append(es, page...)
		if len(page) == 0 || int64(offset+len(page)) >= total {
			break
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	replaced, by = map[uint64]string{}, map[uint64]string{}
	var last uint64
	for _, e := range es {
		switch {
		case slices.Contains(vacatingActions, e.Action):
			last = e.ObjectID
		case e.Action == "application.replace":
			if last != 0 {
				replaced[e.ObjectID] = names[last]
				if by[last] != "" {
					by[last] += "、"
				}
				by[last] += names[e.ObjectID]
			}
		}
	}
	return replaced, by, nil
}

// rosterColumns are the 报名花名册's columns: every applicant of an opening, for the office.
var rosterColumns = []struct {
	col   officexlsx.Column
	value func(a *models.Application, rank int) any
}{
	{officexlsx.Column{Header: "报名号", Kind: officexlsx.Integer}, func(a *models.Application, _ int) any { return a.ID }},
	{officexlsx.Column{Header: "姓名"}, func(a *models.Application, _ int) any { return a.Name }},
	{officexlsx.Column{Header: "性别"}, func(a *models.Application, _ int) any { return genderOf(a) }},
	{officexlsx.Column{Header: "年龄", Kind: officexlsx.Integer}, func(a *models.Application, _ int) any { return ageOf(a) }},
	{officexlsx.Column{Header: "身份证号"}, func(a *models.Application, _ int) any { return a.IDMasked }},
	{officexlsx.Column{Header: "手机号"}, func(a *models.Application, _ int) any { return a.Phone }},
	{officexlsx.Column{Header: "学历"}, func(a *models.Application, _ int) any { return screening.Education(a.Education).Label() }},
	{officexlsx.Column{Header: "专业"}, func(a *models.Application, _ int) any { return a.Major }},
	{officexlsx.Column{Header: "退伍军人"}, func(a *models.Application, _ int) any { return yesNo(a.Veteran) }},
	{officexlsx.Column{Header: "报名时间"}, func(a *models.Application, _ int) any { return clock.FormatChina(a.SubmittedAt) }},
	{officexlsx.Column{Header: "状态"}, func(a *models.Application, _ int) any { return rosterStatus(a) }},
	{officexlsx.Column{Header: "成绩", Kind: officexlsx.Score}, func(a *models.Application, _ int) any { return fmtScore(a.Score) }},
	{officexlsx.Column{Header: "加试成绩", Kind: officexlsx.Score}, func(a *models.Application, _ int) any { return fmtScore(a.ExtraScore) }},
	{officexlsx.Column{Header: "排名", Kind: officexlsx.Integer}, func(_ *models.Application, rank int) any { return intOrBlank(rank) }},
}

func rosterStatus(a *models.Application) string {
	if a.Absent {
		return StatusLabel(a.Status) + "（缺考）"
	}
	return StatusLabel(a.Status)
}

// RosterXLSX is an opening's 报名花名册: every application with its status, in order of
// application, for the office to call, check and file.
func (s *Service) RosterXLSX(ctx context.Context, actor models.Actor, openingID uint64) ([]byte, string, error) {
	o, err := s.adminOpening(ctx, actor, openingID)
	if err != nil {
		return nil, "", err
	}
	apps, err := s.store.ListApplications(ctx, models.ApplicationFilter{OpeningID: &o.ID})
	if err != nil {
		return nil, "", err
	}
	v, _, err := s.ranking(ctx, s.store, o)
	if err != nil {
		return nil, "", err
	}
	rank := map[uint64]int{}
	for _, r := range v.Rows {
		rank[r.Application.ID] = r.Rank
	}
	cols := []officexlsx.Column{{Header: "序号", Kind: officexlsx.Integer}}
	for _, c := range rosterColumns {
		cols = append(cols, c.col)
	}
	rows := make([][]any, 0, len(apps))
	counts := map[string]int{}
	for i := range apps {
		a := &apps[i]
		counts[StatusLabel(a.Status)]++
		row := []any{i + 1}
		for _, c := range rosterColumns {
			row = append(row, c.value(a, rank[a.ID]))
		}
		rows = append(rows, row)
	}
	var tally []string
	for label, n := range counts {
		tally = append(tally, fmt.Sprintf("%s %d", label, n))
	}
	sort.Strings(tally)
	now := s.clock.Now()
	title := fmt.Sprintf("%s %s 报名花名册", o.Town.Name, o.Title)
	note := fmt.Sprintf("招聘人数 %d；报名 %s 至 %s；共 %d 人（%s）；导出时间 %s", o.Seats, o.OpensAt, o.ClosesAt,
		len(apps), strings.Join(tally, "，"), clock.FormatChina(now))
	b, err := officexlsx.Book{Title: title, Subject: "报名花名册", Created: now, Sheets: []officexlsx.Sheet{{
		Name: "报名花名册", Title: title, Note: note, Columns: cols, Rows: rows,
	}}}.Bytes()
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("roster-%d.xlsx", openingID), nil
}

// profileCells are the 报名表's cells of an export (民族 … 紧急联系人); blank for an application filed before the
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

func genderOf(a *models.Application) string {
	if a.Male {
		return "男"
	}
	return "女"
}

func intOrBlank(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
