package recruitment

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"auxportal/certificates"
	"auxportal/models"
	"auxportal/screening"
)

// Profile is the rest of the 报名表 that public-institution recruitment systems ask for: the
// applicant's background, history and contacts. None of it is judged by the screening rules;
// the reviewer reads it and the filing report carries it. It is personal data, so an
// application keeps it sealed (profileAAD), never in plain columns.
//
// 性别 and 出生日期 are not here: they come from the ID number, never from what is typed.
type Profile struct {
	Ethnicity         string      `json:"ethnicity"`          // 民族, one of Ethnicities (GB 3304)
	Political         string      `json:"political_status"`   // 政治面貌, one of PoliticalStatuses
	Hukou             string      `json:"hukou_place"`        // 户籍所在地
	Address           string      `json:"address"`            // 现居住地址
	School            string      `json:"school"`             // 毕业院校
	Graduated         string      `json:"graduated"`          // 毕业时间, YYYY-MM
	Phone2            string      `json:"phone2"`             // 备用手机号, optional
	EmergencyName     string      `json:"emergency_name"`     // 紧急联系人
	EmergencyRelation string      `json:"emergency_relation"` // 与本人关系
	EmergencyPhone    string      `json:"emergency_phone"`    // 紧急联系人手机号
	Resume            []ResumeRow `json:"resume"`             // 学习与工作经历, oldest first
	Family            []FamilyRow `json:"family"`             // 家庭主要成员
}

// ResumeRow is one line of 学习与工作经历: 起止年月, 单位/学校, 职务/身份. An empty To is 至今.
type ResumeRow struct {
	From string `json:"from"` // YYYY-MM
	To   string `json:"to"`   // YYYY-MM, or empty for 至今 (the last line only)
	Org  string `json:"org"`
	Role string `json:"role"`
}

// FamilyRow is one line of 家庭主要成员: 称谓, 姓名, 工作单位及职务.
type FamilyRow struct {
	Relation string `json:"relation"`
	Name     string `json:"name"`
	Work     string `json:"work"`
}

// Row limits: one page of a paper 报名表 holds about this many lines.
const (
	MaxResumeRows = 8
	MaxFamilyRows = 6
)

// Ethnicities is the list of the 56 nationalities of GB/T 3304, in the standard's order.
var Ethnicities = []string{
	"汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
	"满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
	"佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
	"达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
	"塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
	"独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
}

// PoliticalStatuses is the 政治面貌 list of GB/T 4762, as recruitment forms offer it.
var PoliticalStatuses = []string{
	"中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员",
	"农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众",
}

// Relations are the usual 称谓 of family members and emergency contacts; the form offers
// them as suggestions and takes any short word.
var Relations = []string{"父亲", "母亲", "配偶", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹", "祖父", "祖母", "外祖父", "外祖母", "朋友", "其他"}

var mobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// yearMonth is a month counted from year 0: comparable and easy to subtract.
type yearMonth int

func parseYearMonth(s string) (yearMonth, bool) {
	if len(s) != 7 || s[4] != '-' {
		return 0, false
	}
	for _, c := range s[:4] + s[5:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	y, _ := strconv.Atoi(s[:4]) // four digits, checked above
	m, _ := strconv.Atoi(s[5:])
	if y < 1900 || m < 1 || m > 12 {
		return 0, false
	}
	return yearMonth(y*12 + m - 1), true
}

func ymOf(d screening.Date) yearMonth { return yearMonth(d.Year*12 + int(d.Month) - 1) }

// ChineseYearMonth writes 2015-06 as 2015.06, the way 报名表 print 起止年月; anything else as is.
func ChineseYearMonth(s string) string {
	if _, ok := parseYearMonth(s); ok {
		return s[:4] + "." + s[5:]
	}
	return s
}

// cleanText trims v and checks it is at most max characters of printable text: no control
// characters (a newline, a tab, a NUL) and no bidirectional overrides, which would make a
// name or an address read differently on the reviewer's screen than it was stored.
func cleanText(fe models.FieldErrors, field, label, v string, max int) string {
	v = strings.TrimSpace(v)
	for _, r := range v {
		if unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0xFEFF {
			fe.Add(field, label+"含有不可见的控制字符，请删除后重新填写")
			return v
		}
	}
	if utf8.RuneCountInString(v) > max {
		fe.Add(field, fmt.Sprintf("%s不能超过 %d 个字", label, max))
		return v
	}
	// Every field of the profile is printed on the 报名表 (certificates.RenderAppForm), which
	// refuses the whole form for one character its font lacks (an emoji, a character beyond
	// GBK): refused here, on its field, the form stays printable for applicant and reviewer.
	if missing := certificates.Missing(v); len(missing) > 0 {
		fe.Add(field, fmt.Sprintf("%s含有报名表无法打印的字符 %s，请删除或改用规范汉字", label, string(missing)))
	}
	return v
}

func oneOf(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// profileCheck is what checking a profile needs to know about the rest of the application.
type profileCheck struct {
	today    screening.Date
	birth    screening.Date // from the ID number; zero when the ID number is invalid
	ownPhone string         // the account's phone number (the applicant's own)
	party    bool           // the form claims 中共党员
	strict   bool           // a submission: the required fields must be there
}

// checkProfile validates p and returns it trimmed, adding every problem to fe under the form's
// field names (resume_org_2 is the 2nd 经历 line's 单位). Empty lines are dropped; a line is
// complete or empty. Without strict (the eligibility check) missing fields are not reported,
// but what is given must still be right.
func checkProfile(p Profile, c profileCheck, fe models.FieldErrors) Profile {
	req := func(field, label, v string) {
		if c.strict && v == "" {
			fe.Add(field, "请填写"+label)
		}
	}
	var out Profile
	out.Ethnicity = strings.TrimSpace(p.Ethnicity)
	if out.Ethnicity != "" && !oneOf(Ethnicities, out.Ethnicity) {
		fe.Add("ethnicity", "请从列表中选择民族")
	}
	req("ethnicity", "民族", out.Ethnicity)
	out.Political = strings.TrimSpace(p.Political)
	if out.Political != "" && !oneOf(PoliticalStatuses, out.Political) {
		fe.Add("political_status", "请从列表中选择政治面貌")
	} else if c.party && out.Political != "" && out.Political != "中共党员" && out.Political != "中共预备党员" {
		fe.Add("political_status", "已勾选“中共党员”，政治面貌应为中共党员或中共预备党员")
	}
	req("political_status", "政治面貌", out.Political)
	out.Hukou = cleanText(fe, "hukou_place", "户籍所在地", p.Hukou, 60)
	req("hukou_place", "户籍所在地（如：江苏省南通市海门区三星镇）", out.Hukou)
	out.Address = cleanText(fe, "address", "现居住地址", p.Address, 100)
	req("address", "现居住地址", out.Address)
	out.School = cleanText(fe, "school", "毕业院校", p.School, 60)
	req("school", "毕业院校", out.School)

	out.Graduated = strings.TrimSpace(p.Graduated)
	if out.Graduated != "" {
		g, ok := parseYearMonth(out.Graduated)
		switch {
		case !ok:
			fe.Add("graduated", "请填写毕业年月，如 2015-06")
		case !c.today.IsZero() && g > ymOf(c.today):
			fe.Add("graduated", "毕业时间不能晚于本月")
		case !c.birth.IsZero() && g < ymOf(c.birth)+14*12:
			// Nobody finishes even junior high before 14: a year typed wrong, or another
			// person's ID number.
			fe.Add("graduated", "毕业时间与身份证号码中的出生日期不符（毕业时应年满 14 周岁）")
		}
	}
	req("graduated", "毕业时间", out.Graduated)

	phone := func(field, label, v string) string {
		v = strings.TrimSpace(v)
		switch {
		case v == "":
		case !mobile.MatchString(v):
			fe.Add(field, label+"应为 11 位中国大陆手机号码")
		case v == c.ownPhone:
			fe.Add(field, label+"不能与本人手机号相同")
		}
		return v
	}
	out.Phone2 = phone("phone2", "备用手机号", p.Phone2)
	out.EmergencyName = cleanText(fe, "emergency_name", "紧急联系人姓名", p.EmergencyName, 32)
	if out.EmergencyName != "" && utf8.RuneCountInString(out.EmergencyName) < 2 {
		fe.Add("emergency_name", "紧急联系人姓名至少 2 个字")
	}
	req("emergency_name", "紧急联系人姓名", out.EmergencyName)
	out.EmergencyRelation = cleanText(fe, "emergency_relation", "与本人关系", p.EmergencyRelation, 8)
	req("emergency_relation", "紧急联系人与本人关系", out.EmergencyRelation)
	out.EmergencyPhone = phone("emergency_phone", "紧急联系人手机号", p.EmergencyPhone)
	req("emergency_phone", "紧急联系人手机号", out.EmergencyPhone)
	if out.Phone2 != "" && out.Phone2 == out.EmergencyPhone {
		fe.Add("emergency_phone", "紧急联系人手机号不能与本人备用手机号相同")
	}

	out.Resume = checkResume(p.Resume, c, fe)
	if c.strict && len(out.Resume) == 0 {
		fe.Add("resume_from_1", "请至少填写一行学习与工作经历（从高中起，按时间顺序）")
	}
	out.Family = checkFamily(p.Family, fe)
	return out
}

func checkResume(rows []ResumeRow, c profileCheck, fe models.FieldErrors) []ResumeRow {
	if len(rows) > MaxResumeRows {
		fe.Add("resume", fmt.Sprintf("学习与工作经历最多填写 %d 行", MaxResumeRows))
		return nil
	}
	var out []ResumeRow
	var prevFrom yearMonth
	for i, r := range rows {
		n := i + 1
		key := func(f string) string { return fmt.Sprintf("resume_%s_%d", f, n) }
		line := fmt.Sprintf("经历第 %d 行", n)
		r = ResumeRow{From: strings.TrimSpace(r.From), To: strings.TrimSpace(r.To),
			Org:  cleanText(fe, key("org"), line+"的单位/学校", r.Org, 60),
			Role: cleanText(fe, key("role"), line+"的职务/身份", r.Role, 30)}
		if r == (ResumeRow{}) {
			continue
		}
		if r.From == "" || r.Org == "" || r.Role == "" {
			for _, x := range []struct{ f, v, label string }{{"from", r.From, "起始年月"}, {"org", r.Org, "单位/学校"}, {"role", r.Role, "职务/身份"}} {
				if x.v == "" {
					fe.Add(key(x.f), line+"不完整：请填写"+x.label+"，或清空整行")
				}
			}
			continue
		}
		from, ok := parseYearMonth(r.From)
		if !ok {
			fe.Add(key("from"), line+"的起始年月应为“年-月”，如 2012-09")
			continue
		}
		switch {
		case !c.today.IsZero() && from > ymOf(c.today):
			fe.Add(key("from"), line+"的起始年月不能晚于本月")
		case !c.birth.IsZero() && from < ymOf(c.birth):
			fe.Add(key("from"), line+"的起始年月早于身份证号码中的出生日期")
		case from < prevFrom:
			fe.Add(key("from"), line+"早于上一行：请按时间先后顺序填写")
		}
		prevFrom = from
		if r.To == "" {
			if i != len(rows)-1 && !restEmpty(rows[i+1:]) {
				fe.Add(key("to"), line+"：只有最后一行可以填“至今”（结束年月留空）")
			}
		} else if to, ok := parseYearMonth(r.To); !ok {
			fe.Add(key("to"), line+"的结束年月应为“年-月”，如 2015-06；至今请留空")
		} else if to < from {
			fe.Add(key("to"), line+"的结束年月早于起始年月")
		} else if !c.today.IsZero() && to > ymOf(c.today) {
			fe.Add(key("to"), line+"的结束年月不能晚于本月；仍在进行请留空（至今）")
		}
		out = append(out, r)
	}
	return out
}

func restEmpty(rows []ResumeRow) bool {
	for _, r := range rows {
		if strings.TrimSpace(r.From+r.To+r.Org+r.Role) != "" {
			return false
		}
	}
	return true
}

func checkFamily(rows []FamilyRow, fe models.FieldErrors) []FamilyRow {
	if len(rows) > MaxFamilyRows {
		fe.Add("family", fmt.Sprintf("家庭主要成员最多填写 %d 行", MaxFamilyRows))
		return nil
	}
	var out []FamilyRow
	for i, r := range rows {
		n := i + 1
		key := func(f string) string { return fmt.Sprintf("family_%s_%d", f, n) }
		line := fmt.Sprintf("家庭成员第 %d 行", n)
		r = FamilyRow{Relation: cleanText(fe, key("relation"), line+"的称谓", r.Relation, 8),
			Name: cleanText(fe, key("name"), line+"的姓名", r.Name, 32),
			Work: cleanText(fe, key("work"), line+"的工作单位及职务", r.Work, 60)}
		if r == (FamilyRow{}) {
			continue
		}
		for _, x := range []struct{ f, v, label string }{{"relation", r.Relation, "称谓"}, {"name", r.Name, "姓名"}, {"work", r.Work, "工作单位及职务（无业、退休、学生请如实填写）"}} {
			if x.v == "" {
				fe.Add(key(x.f), line+"不完整：请填写"+x.label+"，或清空整行")
			}
		}
		if r.Name != "" && utf8.RuneCountInString(r.Name) < 2 {
			fe.Add(key("name"), line+"的姓名至少 2 个字")
		}
		out = append(out, r)
	}
	return out
}

// profileAAD binds a sealed profile to its application row, as rowAAD does the ID number.
func profileAAD(appID uint64, idHash string) string {
	return fmt.Sprintf("applications.profile/v1/%d/%s", appID, idHash)
}

// sealProfile stores p sealed in a's row (which has its id by now).
func (s *Service) sealProfile(ctx context.Context, tx *models.Store, a *models.Application, p Profile) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	sealed, err := s.cipher.Seal(string(b), profileAAD(a.ID, a.IDHash))
	if err != nil {
		return err
	}
	return tx.SetApplicationProfile(ctx, a.ID, sealed)
}

// openProfile is a's profile; nil for an application filed before the form asked for one.
func (s *Service) openProfile(a *models.Application) (*Profile, error) {
	if len(a.ProfileCipher) == 0 {
		return nil, nil
	}
	plain, err := s.cipher.Open(a.ProfileCipher, profileAAD(a.ID, a.IDHash))
	if err != nil {
		return nil, fmt.Errorf("application %d profile: %w", a.ID, err)
	}
	var p Profile
	if err := json.Unmarshal([]byte(plain), &p); err != nil {
		return nil, fmt.Errorf("application %d profile: %w", a.ID, err)
	}
	return &p, nil
}
