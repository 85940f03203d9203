package screening

import (
	"fmt"
	"strings"
)

// Conditions an opening is judged by: the district base (Attachment 2) plus
// a town's extras (rule R-2).
type Conditions struct {
	MinAge              int       `json:"min_age"`               // 18
	MaxAge              int       `json:"max_age"`               // 40
	RelaxedMaxAge       int       `json:"relaxed_max_age"`       // 45 for veterans & former aux staff; 0 = no age relaxation
	MinEducation        Education `json:"min_education"`         // high_school
	EducationRelaxation bool      `json:"education_relaxation"`  // relaxation for CCP members, veterans, former staff applies
	RelaxedMinEducation Education `json:"relaxed_min_education"` // junior_high
	AllowHKMacaoTaiwan  bool      `json:"allow_hk_macao_taiwan"`
	AllowForeign        bool      `json:"allow_foreign"`
	HukouRequired       string    `json:"hukou_required,omitempty"`   // town extra: household registration required, e.g. "海门区"; declared by applicant
	LicenceRequired     string    `json:"licence_required,omitempty"` // town extra: e.g. "C1 机动车驾驶证"; declared by applicant
	Extra               string    `json:"extra,omitempty"`            // free text shown to applicants, not machine-checked
}

// Base returns the district's base conditions of Attachment 2.
func Base() Conditions {
	return Conditions{
		MinAge:              18,            // Rule A2-3: 18周岁
		MaxAge:              40,            // Rule A2-3: 40周岁
		RelaxedMaxAge:       45,            // Rule A2-3: 退伍军人和从事过城市管理辅助工作的人员放宽到45周岁以下
		MinEducation:        EduHighSchool, // Rule A2-4: 高中及以上学历，不限专业
		EducationRelaxation: true,          // Rule A2-4: 中共党员、退伍军人、原城管辅助人员可以适当放宽
		RelaxedMinEducation: EduJuniorHigh, // Rule A2-4: how far: junior high
		AllowHKMacaoTaiwan:  false,         // Rule A2-2: a mainland resident ID
		AllowForeign:        false,         // Rule A2-2: PRC nationality
	}
}

// CheckAttachment2 enforces Attachment 2 as the notice's floor (rules A2-2,
// A2-3, A2-4): the district's base conditions, and so every opening, may
// tighten it but never relax it, exactly as a town's extras may only tighten
// the base (rule R-2). It reports every violated item:
//   - MinAge at least 18 and MaxAge at most 40 (18周岁-40周岁);
//   - RelaxedMaxAge 0 (no relaxation) or at most 45 (放宽到45周岁以下);
//   - MinEducation at least high school (高中及以上学历);
//   - no foreign nationals (中华人民共和国国籍). Residence permits of Hong Kong,
//     Macao and Taiwan residents may be accepted: their holders are PRC nationals.
//
// The education relaxation needs no bound here: Evaluate sends every relaxed
// case to a human reviewer, never straight to eligible.
func (c Conditions) CheckAttachment2() error {
	floor := Base()
	var p []string
	if c.MinAge < floor.MinAge {
		p = append(p, fmt.Sprintf("最低年龄 %d 周岁低于附件2规定的 %d 周岁", c.MinAge, floor.MinAge))
	}
	if c.MaxAge > floor.MaxAge {
		p = append(p, fmt.Sprintf("最高年龄 %d 周岁高于附件2规定的 %d 周岁", c.MaxAge, floor.MaxAge))
	}
	if c.RelaxedMaxAge > floor.RelaxedMaxAge {
		p = append(p, fmt.Sprintf("放宽后的年龄上限 %d 周岁高于附件2规定的 %d 周岁", c.RelaxedMaxAge, floor.RelaxedMaxAge))
	}
	if c.MinEducation.Level() < floor.MinEducation.Level() {
		p = append(p, fmt.Sprintf("最低学历（%s）低于附件2规定的%s及以上", c.MinEducation.Label(), levelPhrase(floor.MinEducation)))
	}
	if c.AllowForeign {
		p = append(p, "附件2要求具有中华人民共和国国籍，不得接受外国人永久居留身份证")
	}
	if len(p) > 0 {
		return &ConditionsError{Problems: p}
	}
	return nil
}

// ConditionsError lists every problem found by Validate or CheckTightens.
// Error() joins them into one Chinese sentence.
type ConditionsError struct {
	Problems []string
}

func (e *ConditionsError) Error() string {
	return "招聘条件设置有误：" + strings.Join(e.Problems, "；") + "。"
}

// relaxedAgeActive reports whether the age relaxation of rule A2-3 widens
// anything under c.
func (c Conditions) relaxedAgeActive() bool { return c.RelaxedMaxAge > c.MaxAge }

// Validate checks internal consistency: 16 ≤ MinAge ≤ MaxAge ≤ 60;
// RelaxedMaxAge is 0 or between MaxAge and 60; MinEducation is known; when
// EducationRelaxation is on, RelaxedMinEducation is known and not above
// MinEducation (when off, RelaxedMinEducation may be empty, and if set it
// must still be known and not above MinEducation).
func (c Conditions) Validate() error {
	var p []string
	if c.MinAge < 16 {
		p = append(p, fmt.Sprintf("最低年龄 %d 周岁低于法定最低就业年龄16周岁", c.MinAge))
	}
	if c.MaxAge > 60 {
		p = append(p, fmt.Sprintf("最高年龄 %d 周岁不得超过60周岁", c.MaxAge))
	}
	if c.MinAge > c.MaxAge {
		p = append(p, fmt.Sprintf("最低年龄 %d 周岁高于最高年龄 %d 周岁", c.MinAge, c.MaxAge))
	}
	if c.RelaxedMaxAge != 0 {
		if c.RelaxedMaxAge < c.MaxAge {
			p = append(p, fmt.Sprintf("放宽后的年龄上限 %d 周岁低于一般年龄上限 %d 周岁（不放宽请填0）", c.RelaxedMaxAge, c.MaxAge))
		}
		if c.RelaxedMaxAge > 60 {
			p = append(p, fmt.Sprintf("放宽后的年龄上限 %d 周岁不得超过60周岁", c.RelaxedMaxAge))
		}
	}
	if !c.MinEducation.Valid() {
		p = append(p, fmt.Sprintf("最低学历 %q 不是已知的学历", string(c.MinEducation)))
	}
	switch {
	case c.EducationRelaxation && !c.RelaxedMinEducation.Valid():
		p = append(p, fmt.Sprintf("已开启学历放宽，但放宽后的最低学历 %q 不是已知的学历", string(c.RelaxedMinEducation)))
	case c.RelaxedMinEducation != "" && !c.RelaxedMinEducation.Valid():
		p = append(p, fmt.Sprintf("放宽后的最低学历 %q 不是已知的学历", string(c.RelaxedMinEducation)))
	case c.RelaxedMinEducation.Valid() && c.MinEducation.Valid() &&
		c.RelaxedMinEducation.Level() > c.MinEducation.Level():
		p = append(p, fmt.Sprintf("放宽后的最低学历（%s）高于一般最低学历（%s）", c.RelaxedMinEducation.Label(), c.MinEducation.Label()))
	}
	if len(p) > 0 {
		return &ConditionsError{Problems: p}
	}
	return nil
}

// CheckTightens enforces rule R-2: a town's conditions may add to the
// district base but never relax it. It reports every violated item:
//   - MinAge ≥ base.MinAge and MaxAge ≤ base.MaxAge;
//   - RelaxedMaxAge ≤ base.RelaxedMaxAge (0, no relaxation, is always allowed);
//   - MinEducation at least base.MinEducation's level;
//   - EducationRelaxation may only be turned off, and when on, RelaxedMinEducation
//     at least base.RelaxedMinEducation's level;
//   - AllowHKMacaoTaiwan and AllowForeign only if the base allows them;
//   - a hukou or licence requirement of the base may not be dropped.
//
// It does not call Validate; check both.
func (c Conditions) CheckTightens(base Conditions) error {
	var p []string
	if c.MinAge < base.MinAge {
		p = append(p, fmt.Sprintf("最低年龄 %d 周岁低于区级基本条件的 %d 周岁", c.MinAge, base.MinAge))
	}
	if c.MaxAge > base.MaxAge {
		p = append(p, fmt.Sprintf("最高年龄 %d 周岁高于区级基本条件的 %d 周岁", c.MaxAge, base.MaxAge))
	}
	if c.RelaxedMaxAge != 0 && c.RelaxedMaxAge > base.RelaxedMaxAge {
		if base.RelaxedMaxAge == 0 {
			p = append(p, fmt.Sprintf("区级基本条件不放宽年龄，岗位不得放宽到 %d 周岁", c.RelaxedMaxAge))
		} else {
			p = append(p, fmt.Sprintf("放宽后的年龄上限 %d 周岁高于区级基本条件的 %d 周岁", c.RelaxedMaxAge, base.RelaxedMaxAge))
		}
	}
	if c.MinEducation.Level() < base.MinEducation.Level() {
		p = append(p, fmt.Sprintf("最低学历（%s）低于区级基本条件（%s）", c.MinEducation.Label(), base.MinEducation.Label()))
	}
	if c.EducationRelaxation {
		if !base.EducationRelaxation {
			p = append(p, "区级基本条件不放宽学历，岗位不得开启学历放宽")
		} else if c.RelaxedMinEducation.Level() < base.RelaxedMinEducation.Level() {
			p = append(p, fmt.Sprintf("放宽后的最低学历（%s）低于区级基本条件放宽后的最低学历（%s）", c.RelaxedMinEducation.Label(), base.RelaxedMinEducation.Label()))
		}
	}
	if c.AllowHKMacaoTaiwan && !base.AllowHKMacaoTaiwan {
		p = append(p, "区级基本条件不接受港澳台居民居住证，岗位不得放开")
	}
	if c.AllowForeign && !base.AllowForeign {
		p = append(p, "区级基本条件要求中华人民共和国国籍，岗位不得接受外国人永久居留身份证")
	}
	if strings.TrimSpace(base.HukouRequired) != "" && strings.TrimSpace(c.HukouRequired) == "" {
		p = append(p, fmt.Sprintf("区级基本条件要求%s，岗位不得取消户籍要求", hukouPhrase(base.HukouRequired)))
	}
	if strings.TrimSpace(base.LicenceRequired) != "" && strings.TrimSpace(c.LicenceRequired) == "" {
		p = append(p, fmt.Sprintf("区级基本条件要求持有%s，岗位不得取消该要求", strings.TrimSpace(base.LicenceRequired)))
	}
	if len(p) > 0 {
		return &ConditionsError{Problems: p}
	}
	return nil
}

// hukouPhrase turns "海门区" into "海门区户籍", leaving "海门区户籍"/"海门区户口" alone.
func hukouPhrase(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "户籍") || strings.HasSuffix(s, "户口") {
		return s
	}
	return s + "户籍"
}

// birthWindow returns the exact birth-date window of everyone whose AgeOn(·, ref)
// lies in minAge..maxAge (inclusive, rule A2-3's 以上/以下 counting).
//
// latest: AgeOn(b, ref) ≥ minAge ⇔ b is on or before the date minAge years
// before ref; if ref is 29 February and that year is not a leap year, the
// latest such date is 28 February (someone born 1 March has not turned).
//
// earliest: AgeOn(b, ref) ≤ maxAge ⇔ the (maxAge+1)-th birthday falls after
// ref ⇔ b is after the date maxAge+1 years before ref. The day after
// (Y, ref month, ref day) is exactly that, including 28 Feb → 29 Feb in a leap
// Y; for ref 29 February it is 1 March of Y.
func birthWindow(ref Date, minAge, maxAge int) (earliest, latest Date) {
	ly := ref.Year - minAge
	latest = Date{Year: ly, Month: ref.Month, Day: ref.Day}
	if !latest.Valid() { // ref is 29 February, ly is not a leap year
		latest = Date{Year: ly, Month: ref.Month, Day: daysIn(ly, ref.Month)}
	}
	ey := ref.Year - maxAge - 1
	anniversary := Date{Year: ey, Month: ref.Month, Day: ref.Day}
	if anniversary.Valid() {
		earliest = anniversary.AddDays(1)
	} else {
		earliest = Date{Year: ey, Month: ref.Month + 1, Day: 1}
	}
	return earliest, latest
}

// BirthWindow returns the exact birth-date window (inclusive) for ages
// MinAge..MaxAge on ref, consistent with AgeOn for every birth date.
// Rule A2-3. Example: ref 2026-06-30, 18..40 → 1985-07-01 .. 2008-06-30.
func (c Conditions) BirthWindow(ref Date) (earliest, latest Date) {
	return birthWindow(ref, c.MinAge, c.MaxAge)
}

// RelaxedBirthWindow is BirthWindow with RelaxedMaxAge as the upper age, for
// veterans and former auxiliary staff (rule A2-3). ok is false when there is no
// age relaxation (RelaxedMaxAge 0 or not above MaxAge).
func (c Conditions) RelaxedBirthWindow(ref Date) (earliest, latest Date, ok bool) {
	if !c.relaxedAgeActive() {
		return Date{}, Date{}, false
	}
	earliest, latest = birthWindow(ref, c.MinAge, c.RelaxedMaxAge)
	return earliest, latest, true
}

// Describe writes out every condition of an opening, in Chinese, one line
// each, for the opening page: A2-1 … A2-6 and the town's extras. ref is
// the date ages are counted on (by default the application deadline).
func (c Conditions) Describe(ref Date) []string {
	var lines []string
	// Rule A2-1
	lines = append(lines, "拥护中国共产党的领导，遵守国家法律法规和党的路线方针政策，具有良好的政治素养，品行端正，作风正派，具有较强的工作责任心和吃苦耐劳精神，自愿从事城市管理辅助工作（报名时须作出承诺）。")
	// Rule A2-2
	nat := "具有中华人民共和国国籍，须使用18位居民身份证号码报名"
	switch {
	case c.AllowHKMacaoTaiwan && c.AllowForeign:
		nat += "；本岗位也接受港澳台居民居住证和外国人永久居留身份证"
	case c.AllowHKMacaoTaiwan:
		nat += "；本岗位也接受港澳台居民居住证"
	case c.AllowForeign:
		nat += "；本岗位也接受外国人永久居留身份证"
	}
	lines = append(lines, nat+"。")
	// Rule A2-3
	e, l := c.BirthWindow(ref)
	lines = append(lines, fmt.Sprintf("年龄为%d周岁至%d周岁（含），按 %s 计算，即出生日期须在 %s 至 %s 之间（含当日）；年龄以身份证号码中的出生日期为准。",
		c.MinAge, c.MaxAge, ref.Chinese(), e.Chinese(), l.Chinese()))
	if re, rl, ok := c.RelaxedBirthWindow(ref); ok {
		lines = append(lines, fmt.Sprintf("退伍军人和从事过城市管理辅助工作的人员，年龄可放宽到%d周岁（含），即出生日期须在 %s 至 %s 之间（含当日）；放宽须经资格审核核验相关证明。",
			c.RelaxedMaxAge, re.Chinese(), rl.Chinese()))
	} else {
		lines = append(lines, "本岗位年龄条件不放宽。")
	}
	// Rule A2-4
	lines = append(lines, fmt.Sprintf("具有%s及以上学历，不限专业。", levelPhrase(c.MinEducation)))
	if c.EducationRelaxation && c.RelaxedMinEducation.Valid() && c.RelaxedMinEducation.Level() < c.MinEducation.Level() {
		lines = append(lines, fmt.Sprintf("中共党员、退伍军人、原从事过城市管理辅助工作的人员，学历可放宽到%s及以上；放宽须经人工资格审核。", levelPhrase(c.RelaxedMinEducation)))
	} else {
		lines = append(lines, "本岗位学历条件不放宽。")
	}
	// Rule A2-5
	lines = append(lines, "具备正常履行职责的身体条件及符合职位要求的工作能力（报名时作出承诺，体检时确认）。")
	// Rule A2-6
	lines = append(lines, "有以下情形之一的，不得报考：尚未解除纪律处分或者正在接受纪律审查的；刑事处罚期限未满或者涉嫌违法犯罪正在接受调查的；具有其他不适合从事岗位工作情形的，或法律规定不得参加报考、录用的其他情形。")
	// Rule R-2: the town's extras
	if h := strings.TrimSpace(c.HukouRequired); h != "" {
		lines = append(lines, fmt.Sprintf("本岗位附加条件：须具有%s（报名时声明，资格审核时核验）。", hukouPhrase(h)))
	}
	if lic := strings.TrimSpace(c.LicenceRequired); lic != "" {
		lines = append(lines, fmt.Sprintf("本岗位附加条件：须持有%s（报名时声明，资格审核时核验）。", lic))
	}
	if x := strings.TrimSpace(c.Extra); x != "" {
		lines = append(lines, "本岗位其他条件："+x)
	}
	return lines
}
