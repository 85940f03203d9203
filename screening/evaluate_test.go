package screening

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestAgeOn_A2_3(t *testing.T) {
	tests := []struct {
		birth, ref string
		want       int
	}{
		{"1985-07-01", "2026-06-30", 40},
		{"1985-06-30", "2026-06-30", 41},
		{"2008-06-30", "2026-06-30", 18},
		{"2008-07-01", "2026-06-30", 17},
		{"2000-01-01", "2000-01-01", 0},
		{"2000-01-02", "2000-01-01", -1},
		{"1999-12-31", "2000-12-30", 0},
		{"1999-12-31", "2000-12-31", 1},
		// Rule A2-3 with a 29 February birthday: reached on 1 March in common years.
		{"2008-02-29", "2026-02-28", 17},
		{"2008-02-29", "2026-03-01", 18},
		{"2008-02-29", "2028-02-28", 19},
		{"2008-02-29", "2028-02-29", 20},
		{"2008-02-29", "2009-02-28", 0},
		{"2008-02-29", "2009-03-01", 1},
		// A 28 February / 1 March birthday on a 29 February reference date.
		{"2010-02-28", "2028-02-29", 18},
		{"2010-03-01", "2028-02-29", 17},
	}
	for _, tt := range tests {
		if got := AgeOn(d(tt.birth), d(tt.ref)); got != tt.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", tt.birth, tt.ref, got, tt.want)
		}
	}
}

func TestEvaluate_A2_3_AgeBoundaries(t *testing.T) {
	// Reference date 2026-06-30; base conditions 18–40, relaxed to 45.
	type who struct{ veteran, former bool }
	none, vet, former, both := who{}, who{true, false}, who{false, true}, who{true, true}
	tests := []struct {
		name  string
		birth string
		who   who
		age   int
		want  CheckOutcome
		msg   string
	}{
		{"17, turns 18 tomorrow", "2008-07-01", none, 17, CheckFail, "未满18周岁"},
		{"17, veteran: no relaxation downwards", "2008-07-01", vet, 17, CheckFail, "未满18周岁"},
		{"18 on the reference date", "2008-06-30", none, 18, CheckPass, "18周岁至40周岁"},
		{"18 and a day", "2008-06-29", none, 18, CheckPass, ""},
		{"40, turned 40 on the reference date", "1986-06-30", none, 40, CheckPass, ""},
		{"40, turns 41 tomorrow", "1985-07-01", none, 40, CheckPass, "年龄为40周岁"},
		{"41 on the reference date", "1985-06-30", none, 41, CheckFail, "仅适用于退伍军人和从事过城市管理辅助工作的人员"},
		{"41, veteran", "1985-06-30", vet, 41, CheckRelaxed, "退伍军人"},
		{"41, former aux staff", "1985-06-30", former, 41, CheckRelaxed, "从事过城市管理辅助工作的人员"},
		{"41, both", "1985-06-30", both, 41, CheckRelaxed, "资格审核"},
		{"45, turns 46 tomorrow", "1980-07-01", none, 45, CheckFail, "超过40周岁上限"},
		{"45, veteran", "1980-07-01", vet, 45, CheckRelaxed, "放宽到45周岁"},
		{"45, former aux staff", "1980-07-01", former, 45, CheckRelaxed, ""},
		{"46 on the reference date", "1980-06-30", none, 46, CheckFail, ""},
		{"46, veteran", "1980-06-30", vet, 46, CheckFail, "放宽后上限为45周岁"},
		{"46, former aux staff", "1980-06-30", former, 46, CheckFail, ""},
		{"46, both", "1980-06-30", both, 46, CheckFail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.ID = idFor(t, d(tt.birth))
			a.Veteran, a.FormerAuxStaff = tt.who.veteran, tt.who.former
			r := Evaluate(Base(), a, refDate)
			if r.Age != tt.age || r.BirthDate != d(tt.birth) {
				t.Errorf("Age = %d, BirthDate = %v; want %d, %s", r.Age, r.BirthDate, tt.age, tt.birth)
			}
			c := checkFor(t, r, "A2-3")
			if c.Outcome != tt.want {
				t.Fatalf("A2-3 = %s (%s), want %s", c.Outcome, c.Message, tt.want)
			}
			if !strings.Contains(c.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", c.Message, tt.msg)
			}
			wantOutcome := map[CheckOutcome]Outcome{CheckPass: Eligible, CheckRelaxed: PendingReview, CheckFail: Ineligible}[tt.want]
			if r.Outcome != wantOutcome {
				t.Errorf("Outcome = %s, want %s", r.Outcome, wantOutcome)
			}
		})
	}
}

func TestEvaluate_A2_3_LeapDayBirthday(t *testing.T) {
	tests := []struct {
		ref  string
		age  int
		want CheckOutcome
	}{
		{"2026-02-28", 17, CheckFail},
		{"2026-03-01", 18, CheckPass},
	}
	for _, tt := range tests {
		a := goodApplicant(t)
		a.ID = idFor(t, d("2008-02-29"))
		r := Evaluate(Base(), a, d(tt.ref))
		if c := checkFor(t, r, "A2-3"); c.Outcome != tt.want || r.Age != tt.age {
			t.Errorf("ref %s: age %d, %s (%s); want %d, %s", tt.ref, r.Age, c.Outcome, c.Message, tt.age, tt.want)
		}
	}
}

func TestEvaluate_A2_3_NoRelaxationConfigured(t *testing.T) {
	c := Base()
	c.RelaxedMaxAge = 0
	for _, who := range []struct{ vet, former bool }{{false, false}, {true, false}, {false, true}} {
		a := goodApplicant(t)
		a.ID = idFor(t, d("1985-06-30")) // 41
		a.Veteran, a.FormerAuxStaff = who.vet, who.former
		r := Evaluate(c, a, refDate)
		ch := checkFor(t, r, "A2-3")
		if ch.Outcome != CheckFail || !strings.Contains(ch.Message, "不放宽") {
			t.Errorf("%+v: %s %q, want fail mentioning 不放宽", who, ch.Outcome, ch.Message)
		}
	}
}

func TestEvaluate_A2_3_MissingBirthDate(t *testing.T) {
	a := goodApplicant(t)
	a.ID = ID{}
	r := Evaluate(Base(), a, refDate)
	if r.Outcome != Ineligible || checkFor(t, r, "A2-3").Outcome != CheckFail || checkFor(t, r, "A2-2").Outcome != CheckFail {
		t.Errorf("an applicant without a parsed ID must fail A2-2 and A2-3: %+v", r)
	}
	if r.Age != 0 {
		t.Errorf("Age = %d, want 0", r.Age)
	}
}

func TestEvaluate_A2_4_Education(t *testing.T) {
	noRelax := Base()
	noRelax.EducationRelaxation = false
	college := Base() // a town asking for 大专, relaxed only down to 高中
	college.MinEducation = EduJuniorCollege
	college.RelaxedMinEducation = EduHighSchool
	tests := []struct {
		name                   string
		c                      Conditions
		edu                    Education
		party, veteran, former bool
		want                   CheckOutcome
		msg                    string
	}{
		{"high school meets base", Base(), EduHighSchool, false, false, false, CheckPass, "符合"},
		{"vocational secondary counts as high school", Base(), EduVocationalSecondary, false, false, false, CheckPass, ""},
		{"bachelor", Base(), EduBachelor, false, false, false, CheckPass, ""},
		{"doctorate", Base(), EduDoctorate, false, false, false, CheckPass, ""},
		{"junior high, nobody special", Base(), EduJuniorHigh, false, false, false, CheckFail, "仅适用于中共党员、退伍军人"},
		{"junior high, party member", Base(), EduJuniorHigh, true, false, false, CheckRelaxed, "中共党员"},
		{"junior high, veteran", Base(), EduJuniorHigh, false, true, false, CheckRelaxed, "退伍军人"},
		{"junior high, former aux staff", Base(), EduJuniorHigh, false, false, true, CheckRelaxed, "人工资格审核"},
		{"junior high, all three", Base(), EduJuniorHigh, true, true, true, CheckRelaxed, "中共党员、退伍军人、从事过城市管理辅助工作的人员"},
		{"relaxation off, party member", noRelax, EduJuniorHigh, true, false, false, CheckFail, "不放宽"},
		{"relaxation off, veteran", noRelax, EduJuniorHigh, false, true, false, CheckFail, "不放宽"},
		{"relaxation off, former staff", noRelax, EduJuniorHigh, false, false, true, CheckFail, "不放宽"},
		{"relaxation off, high school still fine", noRelax, EduHighSchool, false, false, false, CheckPass, ""},
		{"town asks college; high school party member relaxed", college, EduHighSchool, true, false, false, CheckRelaxed, "大专"},
		{"town asks college; junior high party member below relaxed level", college, EduJuniorHigh, true, false, false, CheckFail, "放宽后最低仍须具有高中"},
		{"town asks college; college passes", college, EduJuniorCollege, false, false, false, CheckPass, ""},
		{"unknown education", Base(), Education("primary"), true, true, true, CheckFail, "未填写有效的学历"},
		{"empty education", Base(), "", false, false, false, CheckFail, "未填写有效的学历"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.Education, a.PartyMember, a.Veteran, a.FormerAuxStaff = tt.edu, tt.party, tt.veteran, tt.former
			r := Evaluate(tt.c, a, refDate)
			c := checkFor(t, r, "A2-4")
			if c.Outcome != tt.want {
				t.Fatalf("A2-4 = %s (%s), want %s", c.Outcome, c.Message, tt.want)
			}
			if !strings.Contains(c.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", c.Message, tt.msg)
			}
			// Rule A2-4: a relaxed case goes to a human, never straight to eligible.
			if tt.want == CheckRelaxed && r.Outcome != PendingReview {
				t.Errorf("Outcome = %s, want pending_review", r.Outcome)
			}
		})
	}
}

func TestEvaluate_A2_6_Disqualifiers(t *testing.T) {
	tests := []struct {
		name                                  string
		unanswered                            bool
		discipline, criminal, investig, other bool
		want                                  CheckOutcome
		msgs                                  []string
	}{
		{"none", false, false, false, false, false, CheckPass, []string{"不存在"}},
		{"unanswered is never read as not barred", true, false, false, false, false, CheckFail, []string{"逐项回答"}},
		{"under discipline", false, true, false, false, false, CheckFail, []string{"纪律处分"}},
		{"criminal penalty unfinished", false, false, true, false, false, CheckFail, []string{"刑事处罚期限未满"}},
		{"under investigation", false, false, false, true, false, CheckFail, []string{"正在接受调查"}},
		{"other legal bar (catch-all)", false, false, false, false, true, CheckFail, []string{"法律规定不得报考"}},
		{"all four", false, true, true, true, true, CheckFail, []string{"纪律处分", "刑事处罚期限未满", "正在接受调查", "其他"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.UnderDiscipline, a.CriminalPenaltyUnfinished, a.UnderInvestigation, a.OtherBar = tt.discipline, tt.criminal, tt.investig, tt.other
			a.BarsAnswered = !tt.unanswered
			r := Evaluate(Base(), a, refDate)
			c := checkFor(t, r, "A2-6")
			if c.Outcome != tt.want {
				t.Fatalf("A2-6 = %s, want %s", c.Outcome, tt.want)
			}
			for _, m := range tt.msgs {
				if !strings.Contains(c.Message, m) {
					t.Errorf("message %q does not contain %q", c.Message, m)
				}
			}
			if tt.want == CheckFail && r.Outcome != Ineligible {
				t.Errorf("Outcome = %s, want ineligible", r.Outcome)
			}
		})
	}
}

func TestEvaluate_A2_1_A2_5_Declarations(t *testing.T) {
	tests := []struct {
		name            string
		accepts, health bool
		a21, a25        CheckOutcome
		outcome         Outcome
	}{
		{"both declared", true, true, CheckPass, CheckPass, Eligible},
		{"A2-1 not declared", false, true, CheckFail, CheckPass, Ineligible},
		{"A2-5 not declared", true, false, CheckPass, CheckFail, Ineligible},
		{"neither declared", false, false, CheckFail, CheckFail, Ineligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.AcceptsConditions, a.Healthy = tt.accepts, tt.health
			r := Evaluate(Base(), a, refDate)
			if c := checkFor(t, r, "A2-1"); c.Outcome != tt.a21 || c.Message == "" {
				t.Errorf("A2-1 = %s %q, want %s", c.Outcome, c.Message, tt.a21)
			}
			if c := checkFor(t, r, "A2-5"); c.Outcome != tt.a25 || c.Message == "" {
				t.Errorf("A2-5 = %s %q, want %s", c.Outcome, c.Message, tt.a25)
			}
			if r.Outcome != tt.outcome {
				t.Errorf("Outcome = %s, want %s", r.Outcome, tt.outcome)
			}
		})
	}
}

func TestEvaluate_A2_2_Nationality(t *testing.T) {
	tests := []struct {
		name              string
		region            string
		allowHKMT, allowF bool
		want              CheckOutcome
		msg               string
	}{
		{"mainland", "320684", false, false, CheckPass, "居民身份证"},
		{"mainland, flags irrelevant", "320684", true, true, CheckPass, ""},
		{"Hong Kong permit refused", "810000", false, false, CheckFail, "港澳台居民居住证不符合"},
		{"Macao permit refused", "820000", false, true, CheckFail, "港澳台居民居住证不符合"},
		{"Taiwan permit refused", "830000", false, false, CheckFail, ""},
		{"Hong Kong permit allowed", "810000", true, false, CheckPass, "接受"},
		{"Taiwan permit allowed", "830000", true, false, CheckPass, ""},
		{"foreign refused", "910000", false, false, CheckFail, "须具有中华人民共和国国籍，外国人永久居留身份证不符合"},
		{"foreign refused though HKMT allowed", "910000", true, false, CheckFail, "国籍"},
		{"foreign allowed", "910000", false, true, CheckPass, "外国人永久居留身份证"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseID(mkID(tt.region, "19900101", "321"), refDate)
			if err != nil {
				t.Fatal(err)
			}
			a := goodApplicant(t)
			a.ID = id
			c := Base()
			c.AllowHKMacaoTaiwan, c.AllowForeign = tt.allowHKMT, tt.allowF
			ch := checkFor(t, Evaluate(c, a, refDate), "A2-2")
			if ch.Outcome != tt.want || !strings.Contains(ch.Message, tt.msg) {
				t.Errorf("A2-2 = %s %q, want %s containing %q", ch.Outcome, ch.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestEvaluate_R_2_TownExtras(t *testing.T) {
	tests := []struct {
		name             string
		hukou, licence   string
		hasHukou, hasLic bool
		wantChecks       []CheckOutcome // the R-2 checks, hukou first
		outcome          Outcome
		msgs             []string
	}{
		{"no extras: no R-2 checks", "", "", false, false, nil, Eligible, nil},
		{"blank extras are no extras", "  ", " ", false, false, nil, Eligible, nil},
		{"hukou required, declared", "海门区", "", true, false, []CheckOutcome{CheckPass}, Eligible, []string{"已声明具有海门区户籍"}},
		{"hukou required, not declared", "海门区", "", false, true, []CheckOutcome{CheckFail}, Ineligible, []string{"本岗位要求具有海门区户籍"}},
		{"hukou text already says 户籍", "海门区户籍", "", true, false, []CheckOutcome{CheckPass}, Eligible, []string{"海门区户籍，"}},
		{"licence required, declared", "", "C1 机动车驾驶证", false, true, []CheckOutcome{CheckPass}, Eligible, []string{"已声明持有C1 机动车驾驶证"}},
		{"licence required, not declared", "", "C1 机动车驾驶证", true, false, []CheckOutcome{CheckFail}, Ineligible, []string{"未声明持有"}},
		{"both, both declared", "海门区", "C1 机动车驾驶证", true, true, []CheckOutcome{CheckPass, CheckPass}, Eligible, nil},
		{"both, licence missing", "海门区", "C1 机动车驾驶证", true, false, []CheckOutcome{CheckPass, CheckFail}, Ineligible, nil},
		{"both, hukou missing", "海门区", "C1 机动车驾驶证", false, true, []CheckOutcome{CheckFail, CheckPass}, Ineligible, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Base()
			c.HukouRequired, c.LicenceRequired, c.Extra = tt.hukou, tt.licence, "能适应夜间巡查"
			a := goodApplicant(t)
			a.HasHukou, a.HasLicence = tt.hasHukou, tt.hasLic
			r := Evaluate(c, a, refDate)
			var got []CheckOutcome
			var text string
			for _, ch := range r.Checks {
				if ch.Rule == "R-2" {
					got = append(got, ch.Outcome)
					text += ch.Message + "|"
				}
			}
			if !reflect.DeepEqual(got, tt.wantChecks) {
				t.Errorf("R-2 checks = %v, want %v", got, tt.wantChecks)
			}
			if r.Outcome != tt.outcome {
				t.Errorf("Outcome = %s, want %s", r.Outcome, tt.outcome)
			}
			for _, m := range tt.msgs {
				if !strings.Contains(text, m) {
					t.Errorf("messages %q do not contain %q", text, m)
				}
			}
		})
	}
}

func TestEvaluate_CheckOrderAndOutcome(t *testing.T) {
	c := Base()
	c.HukouRequired, c.LicenceRequired = "海门区", "C1 机动车驾驶证"
	a := goodApplicant(t)
	a.HasHukou, a.HasLicence = true, true
	r := Evaluate(c, a, refDate)
	var rules []string
	for _, ch := range r.Checks {
		rules = append(rules, ch.Rule)
		if ch.Message == "" {
			t.Errorf("rule %s has no message", ch.Rule)
		}
	}
	want := []string{"A2-1", "A2-2", "A2-3", "A2-4", "A2-5", "A2-6", "R-2", "R-2"}
	if !reflect.DeepEqual(rules, want) {
		t.Fatalf("rules = %v, want %v", rules, want)
	}

	tests := []struct {
		name   string
		mutate func(*Applicant)
		want   Outcome
	}{
		{"all pass", func(*Applicant) {}, Eligible},
		{"one relaxed", func(a *Applicant) { a.Education, a.PartyMember = EduJuniorHigh, true }, PendingReview},
		{"two relaxed", func(a *Applicant) { a.Education, a.Veteran, a.ID = EduJuniorHigh, true, idFor(t, d("1983-01-01")) }, PendingReview},
		{"relaxed and failed", func(a *Applicant) { a.Education, a.PartyMember, a.Healthy = EduJuniorHigh, true, false }, Ineligible},
		{"failed only", func(a *Applicant) { a.UnderInvestigation = true }, Ineligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.HasHukou, a.HasLicence = true, true
			tt.mutate(&a)
			if got := Evaluate(c, a, refDate).Outcome; got != tt.want {
				t.Errorf("Outcome = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestEvaluate_R_3_ClaimedPreferences(t *testing.T) {
	tests := []struct {
		name    string
		edu     Education
		major   string
		veteran bool
		heroic  bool
		want    []Preference
	}{
		{"none", EduHighSchool, "", false, false, []Preference{}},
		{"urban management code, college", EduJuniorCollege, "urban_management", false, false, []Preference{PrefUrbanManagement}},
		{"城市管理 bachelor", EduBachelor, "城市管理", false, false, []Preference{PrefUrbanManagement}},
		// Level >= 2 accepted: secondary vocational programmes count.
		{"城管 vocational secondary", EduVocationalSecondary, "城管执法", false, false, []Preference{PrefUrbanManagement}},
		{"市政管理 high school level", EduHighSchool, "市政管理", false, false, []Preference{PrefUrbanManagement}},
		{"城市管理 junior high does not count", EduJuniorHigh, "城市管理", false, false, []Preference{}},
		{"other major", EduBachelor, "计算机科学与技术", false, false, []Preference{}},
		{"all three, chain order", EduBachelor, "城市管理", true, true, []Preference{PrefUrbanManagement, PrefVeteran, PrefHeroic}},
		{"veteran and heroic", EduHighSchool, "", true, true, []Preference{PrefVeteran, PrefHeroic}},
		{"heroic only", EduHighSchool, "", false, true, []Preference{PrefHeroic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			a.Education, a.Major, a.Veteran, a.HeroicHonor = tt.edu, tt.major, tt.veteran, tt.heroic
			a.PartyMember = true // so that junior high is relaxed, not failed
			r := Evaluate(Base(), a, refDate)
			if !reflect.DeepEqual(r.Preferences, tt.want) {
				t.Errorf("Preferences = %v, want %v", r.Preferences, tt.want)
			}
		})
	}
}

// Rule R-3: preferences are a tie-break, never a route to eligibility.
func TestEvaluate_R_3_PreferencesDoNotChangeOutcome(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(*Applicant)
		wantPrefs []Preference
	}{
		{"eligible", func(a *Applicant) {}, []Preference{PrefUrbanManagement, PrefHeroic}},
		{"ineligible", func(a *Applicant) { a.Healthy = false }, []Preference{PrefUrbanManagement, PrefHeroic}},
		{"pending review; junior high has no major", func(a *Applicant) { a.Education = EduJuniorHigh; a.PartyMember = true }, []Preference{PrefHeroic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goodApplicant(t)
			tt.mutate(&a)
			plain := Evaluate(Base(), a, refDate)
			a.Major, a.HeroicHonor = "城市管理", true
			pref := Evaluate(Base(), a, refDate)
			if plain.Outcome != pref.Outcome || !reflect.DeepEqual(plain.Checks, pref.Checks) {
				t.Errorf("preferences changed the result: %+v vs %+v", plain, pref)
			}
			if !reflect.DeepEqual(pref.Preferences, tt.wantPrefs) {
				t.Errorf("Preferences = %v, want %v", pref.Preferences, tt.wantPrefs)
			}
		})
	}
}

func TestResult_JSON(t *testing.T) {
	r := Evaluate(Base(), goodApplicant(t), refDate)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"outcome":"eligible"`, `"birth_date":"1996-01-15"`, `"age":30`, `"rule":"A2-1"`, `"preferences":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s does not contain %s", b, want)
		}
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, r) {
		t.Errorf("round trip: %v\n%+v\n%+v", err, back, r)
	}
	if f := r.Failed(); len(f) != 0 {
		t.Errorf("Failed() = %v", f)
	}
}

func TestIsUrbanManagementMajor_R_3(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"urban_management", true},
		{" urban_management ", true},
		{"Urban_Management", false},
		{"urban management", false},
		{"城市管理", true},
		{"城市管理（本科）", true},
		{"  城管  ", true},
		{"城管执法", true},
		{"市政管理", true},
		{"公共事业管理", false},
		{"城市规划", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsUrbanManagementMajor(tt.in); got != tt.want {
			t.Errorf("IsUrbanManagementMajor(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
