package screening

import (
	"fmt"
	"strings"
)

// AgeOn returns the age in full years (周岁) on ref of someone born on birth.
// A 29 February birthday is reached on 1 March in non-leap years. If ref is
// before birth the result is negative.
func AgeOn(birth, ref Date) int {
	age := ref.Year - birth.Year
	if ref.Month < birth.Month || (ref.Month == birth.Month && ref.Day < birth.Day) {
		age--
	}
	return age
}

// Applicant is what an applicant states. Birth date and age come ONLY from
// the ID number (rule A2-3).
type Applicant struct {
	ID                        ID
	Education                 Education
	Major                     string
	Veteran                   bool
	FormerAuxStaff            bool
	PartyMember               bool
	HeroicHonor               bool
	AcceptsConditions         bool // A2-1 declaration
	Healthy                   bool // A2-5 declaration
	UnderDiscipline           bool // A2-6
	CriminalPenaltyUnfinished bool // A2-6
	UnderInvestigation        bool // A2-6
	OtherBar                  bool // A2-6: other circumstances unfit for the post, or a legal bar
	// BarsAnswered is true when the applicant answered each A2-6 question (是/否) explicitly.
	// An unanswered disqualifier is never read as "not barred".
	BarsAnswered bool
	HasHukou     bool // declares the town's hukou requirement is met (only checked if HukouRequired != "")
	HasLicence   bool // declares the licence (only checked if LicenceRequired != "")
}

// CheckOutcome is the result of one rule.
type CheckOutcome string

const (
	CheckPass    CheckOutcome = "pass"
	CheckFail    CheckOutcome = "fail"
	CheckRelaxed CheckOutcome = "relaxed" // passes only through a relaxation: a human reviewer decides
)

// Check is the judgement of one rule, with a Chinese message for the
// applicant and the reviewer.
type Check struct {
	Rule string `json:"rule"`
	// Name is the rule's plain Chinese name (年龄条件…): what an applicant reads in place of the
	// id, which only staff pages show.
	Name    string       `json:"rule_name"`
	Outcome CheckOutcome `json:"outcome"`
	Message string       `json:"message"`
	// Subject tells apart checks of one rule: SubjectHukou and SubjectLicence for the two R-2
	// extras; empty otherwise.
	Subject string `json:"subject,omitempty"`
}

// Subjects of the R-2 checks.
const (
	SubjectHukou   = "hukou"
	SubjectLicence = "licence"
)

// Outcome is the overall screening result.
type Outcome string

const (
	Eligible      Outcome = "eligible"
	Ineligible    Outcome = "ineligible"
	PendingReview Outcome = "pending_review"
)

// Result of Evaluate.
type Result struct {
	Outcome     Outcome      `json:"outcome"`
	BirthDate   Date         `json:"birth_date"`
	Age         int          `json:"age"`
	Checks      []Check      `json:"checks"`
	Preferences []Preference `json:"preferences"` // claimed (unverified) preferences, in DefaultPreferenceChain order
}

// Failed returns the checks that failed.
func (r Result) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Outcome == CheckFail {
			out = append(out, c)
		}
	}
	return out
}

// Rule ids used in Check.Rule.
const (
	RuleA2_1 = "A2-1"
	RuleA2_2 = "A2-2"
	RuleA2_3 = "A2-3"
	RuleA2_4 = "A2-4"
	RuleA2_5 = "A2-5"
	RuleA2_6 = "A2-6"
	RuleR_2  = "R-2"
)

// RuleName is the plain Chinese name of a rule an applicant is judged by, for the pages and
// messages they read (the ids are the staff's shorthand). subject tells apart the two R-2 checks.
func RuleName(rule, subject string) string {
	switch rule {
	case RuleA2_1:
		return "品行与意愿承诺"
	case RuleA2_2:
		return "国籍条件"
	case RuleA2_3:
		return "年龄条件"
	case RuleA2_4:
		return "学历条件"
	case RuleA2_5:
		return "身体条件"
	case RuleA2_6:
		return "不得报考的情形"
	case RuleR_2:
		switch subject {
		case SubjectHukou:
			return "户籍条件（区镇附加）"
		case SubjectLicence:
			return "证照条件（区镇附加）"
		}
		return "区镇附加条件"
	}
	return "报名条件"
}

// Named fills in each check's Name; results stored before names existed get them when read.
func (r Result) Named() Result {
	checks := make([]Check, len(r.Checks))
	for i, c := range r.Checks {
		c.Name = RuleName(c.Rule, c.Subject)
		checks[i] = c
	}
	r.Checks = checks
	return r
}

// Evaluate screens an applicant against an opening's conditions on the
// reference date ref (by default the opening's application deadline). It
// returns one Check per rule, in the order A2-1 … A2-6, then one R-2 check for
// the town's hukou requirement and one for its licence requirement, each only
// when required.
//
// Outcome: Ineligible if any check fails; otherwise PendingReview if any check
// passed only through a relaxation; otherwise Eligible. Claimed preferences
// (rule R-3) are listed but never change the outcome.
func Evaluate(c Conditions, a Applicant, ref Date) Result {
	res := Result{BirthDate: a.ID.Birth}
	if !a.ID.Birth.IsZero() {
		res.Age = AgeOn(a.ID.Birth, ref)
	}
	res.Checks = []Check{
		checkA21(a),
		checkA22(c, a),
		checkA23(c, a, ref),
		checkA24(c, a),
		checkA25(a),
		checkA26(a),
	}
	// Rule R-2: a town's extra conditions, declared by the applicant.
	if h := strings.TrimSpace(c.HukouRequired); h != "" {
		if a.HasHukou {
			res.Checks = append(res.Checks, Check{Rule: RuleR_2, Outcome: CheckPass, Message: fmt.Sprintf("已声明具有%s，资格审核时核验", hukouPhrase(h)), Subject: SubjectHukou})
		} else {
			res.Checks = append(res.Checks, Check{Rule: RuleR_2, Outcome: CheckFail, Message: fmt.Sprintf("本岗位要求具有%s，您未声明符合该条件", hukouPhrase(h)), Subject: SubjectHukou})
		}
	}
	if lic := strings.TrimSpace(c.LicenceRequired); lic != "" {
		if a.HasLicence {
			res.Checks = append(res.Checks, Check{Rule: RuleR_2, Outcome: CheckPass, Message: fmt.Sprintf("已声明持有%s，资格审核时核验", lic), Subject: SubjectLicence})
		} else {
			res.Checks = append(res.Checks, Check{Rule: RuleR_2, Outcome: CheckFail, Message: fmt.Sprintf("本岗位要求持有%s，您未声明持有", lic), Subject: SubjectLicence})
		}
	}

	res.Outcome = Eligible
	for _, ch := range res.Checks {
		switch ch.Outcome {
		case CheckFail:
			res.Outcome = Ineligible
		case CheckRelaxed:
			if res.Outcome == Eligible {
				res.Outcome = PendingReview
			}
		}
	}
	res.Preferences = claimedPreferences(a)
	return res.Named()
}

// Rule A2-1: political and character requirements, willingness to do the work — a declaration.
func checkA21(a Applicant) Check {
	if a.AcceptsConditions {
		return Check{Rule: RuleA2_1, Outcome: CheckPass, Message: "已承诺拥护中国共产党的领导、遵纪守法、品行端正，自愿从事城市管理辅助工作"}
	}
	return Check{Rule: RuleA2_1, Outcome: CheckFail, Message: "未作出政治素养、品行及自愿从事城市管理辅助工作的承诺，不能报名"}
}

// Rule A2-2: PRC nationality, shown by a mainland resident ID; other documents
// only where the opening allows them.
func checkA22(c Conditions, a Applicant) Check {
	switch a.ID.Kind {
	case IDMainland:
		return Check{Rule: RuleA2_2, Outcome: CheckPass, Message: "持中华人民共和国居民身份证，符合国籍要求"}
	case IDHKMacaoTaiwan:
		if c.AllowHKMacaoTaiwan {
			return Check{Rule: RuleA2_2, Outcome: CheckPass, Message: "持港澳台居民居住证，本岗位接受该证件报名"}
		}
		return Check{Rule: RuleA2_2, Outcome: CheckFail, Message: "本岗位须使用内地居民身份证报名，港澳台居民居住证不符合本岗位条件"}
	case IDForeign:
		if c.AllowForeign {
			return Check{Rule: RuleA2_2, Outcome: CheckPass, Message: "持外国人永久居留身份证，本岗位接受该证件报名"}
		}
		return Check{Rule: RuleA2_2, Outcome: CheckFail, Message: "须具有中华人民共和国国籍，外国人永久居留身份证不符合"}
	}
	return Check{Rule: RuleA2_2, Outcome: CheckFail, Message: "未提供有效的居民身份证号码，无法确认国籍"}
}

// Rule A2-3: age MinAge..MaxAge full years on ref, from the ID number only;
// up to RelaxedMaxAge for veterans and former auxiliary staff, which a
// reviewer confirms. Both limits are inclusive (以上/以下, Civil Code art. 1259).
func checkA23(c Conditions, a Applicant, ref Date) Check {
	if a.ID.Birth.IsZero() {
		return Check{Rule: RuleA2_3, Outcome: CheckFail, Message: "无法从身份证号码中读取出生日期，不能计算年龄"}
	}
	age := AgeOn(a.ID.Birth, ref)
	on := fmt.Sprintf("按 %s 计算，年龄为%d周岁", ref.Chinese(), age)
	switch {
	case age < c.MinAge:
		_, latest := c.BirthWindow(ref)
		return Check{Rule: RuleA2_3, Outcome: CheckFail, Message: fmt.Sprintf("%s，未满%d周岁（出生日期须不晚于 %s）", on, c.MinAge, latest.Chinese())}
	case age <= c.MaxAge:
		return Check{Rule: RuleA2_3, Outcome: CheckPass, Message: fmt.Sprintf("%s，在%d周岁至%d周岁之间", on, c.MinAge, c.MaxAge)}
	case c.relaxedAgeActive() && age <= c.RelaxedMaxAge:
		var who []string
		if a.Veteran {
			who = append(who, "退伍军人")
		}
		if a.FormerAuxStaff {
			who = append(who, "从事过城市管理辅助工作的人员")
		}
		if len(who) > 0 {
			return Check{Rule: RuleA2_3, Outcome: CheckRelaxed, Message: fmt.Sprintf("%s，超过%d周岁；您声明为%s，年龄可放宽到%d周岁，须在资格审核时核验相关证明",
				on, c.MaxAge, strings.Join(who, "、"), c.RelaxedMaxAge)}
		}
		return Check{Rule: RuleA2_3, Outcome: CheckFail, Message: fmt.Sprintf("%s，超过%d周岁上限；放宽到%d周岁仅适用于退伍军人和从事过城市管理辅助工作的人员",
			on, c.MaxAge, c.RelaxedMaxAge)}
	case c.relaxedAgeActive():
		return Check{Rule: RuleA2_3, Outcome: CheckFail, Message: fmt.Sprintf("%s，超过%d周岁上限（退伍军人和从事过城市管理辅助工作的人员放宽后上限为%d周岁）",
			on, c.MaxAge, c.RelaxedMaxAge)}
	default:
		return Check{Rule: RuleA2_3, Outcome: CheckFail, Message: fmt.Sprintf("%s，超过%d周岁上限（本岗位年龄条件不放宽）", on, c.MaxAge)}
	}
}

// Rule A2-4: high school or above, any major; where the opening allows it,
// relaxed for CCP members, veterans and former auxiliary staff down to
// RelaxedMinEducation — such a case goes to a human reviewer, never straight
// to eligible.
func checkA24(c Conditions, a Applicant) Check {
	if !a.Education.Valid() {
		return Check{Rule: RuleA2_4, Outcome: CheckFail, Message: "未填写有效的学历"}
	}
	lvl := a.Education.Level()
	if lvl >= c.MinEducation.Level() {
		return Check{Rule: RuleA2_4, Outcome: CheckPass, Message: fmt.Sprintf("学历为%s，符合%s及以上的要求", a.Education.Label(), levelPhrase(c.MinEducation))}
	}
	below := fmt.Sprintf("学历为%s，低于%s及以上的要求", a.Education.Label(), levelPhrase(c.MinEducation))
	if !c.EducationRelaxation || !c.RelaxedMinEducation.Valid() {
		return Check{Rule: RuleA2_4, Outcome: CheckFail, Message: below + "（本岗位学历条件不放宽）"}
	}
	var who []string
	if a.PartyMember {
		who = append(who, "中共党员")
	}
	if a.Veteran {
		who = append(who, "退伍军人")
	}
	if a.FormerAuxStaff {
		who = append(who, "从事过城市管理辅助工作的人员")
	}
	if len(who) == 0 {
		return Check{Rule: RuleA2_4, Outcome: CheckFail, Message: below + "；学历放宽仅适用于中共党员、退伍军人和从事过城市管理辅助工作的人员"}
	}
	if lvl < c.RelaxedMinEducation.Level() {
		return Check{Rule: RuleA2_4, Outcome: CheckFail, Message: fmt.Sprintf("%s；放宽后最低仍须具有%s及以上学历", below, levelPhrase(c.RelaxedMinEducation))}
	}
	return Check{Rule: RuleA2_4, Outcome: CheckRelaxed, Message: fmt.Sprintf("%s；您声明为%s，学历可放宽到%s及以上，须经人工资格审核",
		below, strings.Join(who, "、"), levelPhrase(c.RelaxedMinEducation))}
}

// Rule A2-5: physically able to do the job — a declaration, confirmed at the physical check.
func checkA25(a Applicant) Check {
	if a.Healthy {
		return Check{Rule: RuleA2_5, Outcome: CheckPass, Message: "已承诺具备正常履行职责的身体条件，体检时确认"}
	}
	return Check{Rule: RuleA2_5, Outcome: CheckFail, Message: "未承诺具备正常履行职责的身体条件及工作能力"}
}

// Rule A2-6: disqualifiers (不得报考). Each is an explicit 是/否 answer: an
// unanswered one is a failure, never a silent "not barred".
func checkA26(a Applicant) Check {
	if !a.BarsAnswered {
		return Check{Rule: RuleA2_6, Outcome: CheckFail, Message: "请逐项回答是否存在不得报考的情形（纪律处分、刑事处罚、涉嫌违法犯罪、其他不得报考情形）"}
	}
	var bars []string
	if a.UnderDiscipline {
		bars = append(bars, "尚未解除纪律处分或者正在接受纪律审查")
	}
	if a.CriminalPenaltyUnfinished {
		bars = append(bars, "刑事处罚期限未满")
	}
	if a.UnderInvestigation {
		bars = append(bars, "涉嫌违法犯罪正在接受调查")
	}
	if a.OtherBar {
		bars = append(bars, "具有其他不适合从事岗位工作或法律规定不得报考、录用的情形")
	}
	if len(bars) > 0 {
		return Check{Rule: RuleA2_6, Outcome: CheckFail, Message: "存在不得报考的情形：" + strings.Join(bars, "；")}
	}
	return Check{Rule: RuleA2_6, Outcome: CheckPass, Message: "已声明不存在不得报考的情形"}
}

// claimedPreferences lists the rule R-3 preferences an applicant claims, in
// DefaultPreferenceChain order. They are unverified and never affect the outcome.
//
// Urban-management graduate: a city/urban-management major (see
// IsUrbanManagementMajor) with any education of level 2 or above. Choice:
// secondary vocational schools (中专/职高/技校) run 城市管理 programmes too, and
// rule R-3 says only 城市管理类毕业生 without a level, so level 2 is accepted
// and not only college level (≥ 3); a junior-high education has no major.
func claimedPreferences(a Applicant) []Preference {
	out := []Preference{}
	for _, p := range DefaultPreferenceChain() {
		var has bool
		switch p {
		case PrefUrbanManagement:
			has = IsUrbanManagementMajor(a.Major) && a.Education.Level() >= 2
		case PrefVeteran:
			has = a.Veteran
		case PrefHeroic:
			has = a.HeroicHonor
		}
		if has {
			out = append(out, p)
		}
	}
	return out
}
