package recruitment_test

import (
	"fmt"
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Birth dates for the ages of rule A2-3 on the default reference date 2026-06-30.
const (
	born17 = "2008-07-01" // turns 18 the day after the reference date
	born18 = "2008-06-30" // turns 18 on it
	born40 = "1985-07-01" // turns 41 the day after
	born41 = "1985-06-30"
	born43 = "1983-01-10"
	born45 = "1980-07-01"
	born46 = "1980-06-30"
)

// ageCases are rule A2-3's boundaries, with and without the relaxation for veterans and former
// auxiliary staff (up to 45 inclusive), all counted on the opening's reference date.
var ageCases = []struct {
	name            string
	birth           string
	veteran, former bool
	age             int
	outcome         screening.Outcome
	a23             screening.CheckOutcome
}{
	{"17", born17, false, false, 17, screening.Ineligible, screening.CheckFail},
	{"17 veteran", born17, true, false, 17, screening.Ineligible, screening.CheckFail},
	{"18", born18, false, false, 18, screening.Eligible, screening.CheckPass},
	{"40", born40, false, false, 40, screening.Eligible, screening.CheckPass},
	{"40 veteran", born40, true, false, 40, screening.Eligible, screening.CheckPass},
	{"41", born41, false, false, 41, screening.Ineligible, screening.CheckFail},
	{"41 veteran", born41, true, false, 41, screening.PendingReview, screening.CheckRelaxed},
	{"41 former staff", born41, false, true, 41, screening.PendingReview, screening.CheckRelaxed},
	{"45", born45, false, false, 45, screening.Ineligible, screening.CheckFail},
	{"45 veteran", born45, true, false, 45, screening.PendingReview, screening.CheckRelaxed},
	{"45 former staff", born45, false, true, 45, screening.PendingReview, screening.CheckRelaxed},
	{"46 veteran", born46, true, false, 46, screening.Ineligible, screening.CheckFail},
	{"46 former staff", born46, false, true, 46, screening.Ineligible, screening.CheckFail},
	{"46 veteran and former staff", born46, true, true, 46, screening.Ineligible, screening.CheckFail},
}

func TestCheckEligibility_A2_3_AgeBoundariesOnReferenceDate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	for _, c := range ageCases {
		t.Run(c.name, func(t *testing.T) {
			f := formBorn(t, c.birth)
			f.Veteran, f.FormerAuxStaff = c.veteran, c.former
			if c.former {
				f.FormerAuxEnd = "2024-12-31"
			}
			res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			if res.Age != c.age || res.Outcome != c.outcome || res.BirthDate.String() != c.birth {
				t.Errorf("age %d outcome %s birth %s, want %d %s %s", res.Age, res.Outcome, res.BirthDate, c.age, c.outcome, c.birth)
			}
			if ch := check(t, res.Result, screening.RuleA2_3); ch.Outcome != c.a23 {
				t.Errorf("A2-3 %s (%s), want %s", ch.Outcome, ch.Message, c.a23)
			}
		})
	}
	if n := e.countApps(t, o.ID); n != 0 {
		t.Errorf("the eligibility check stored %d applications", n)
	}
	// The result is given rule by rule, each with a message in Chinese.
	res, err := e.svc.CheckEligibility(e.ctx, o.ID, form(t))
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, c := range res.Checks {
		rules = append(rules, c.Rule)
		if c.Message == "" {
			t.Errorf("%s has no message", c.Rule)
		}
	}
	if strings.Join(rules, ",") != "A2-1,A2-2,A2-3,A2-4,A2-5,A2-6" {
		t.Errorf("checks %v", rules)
	}
}

// Rule A2-3: age is counted on the reference date, not today, and a reference date other than
// the deadline moves the window.
func TestCheckEligibility_A2_3_ReferenceDateNotToday(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	deadline := e.published(t, nil)
	early := e.published(t, func(in *recruitment.OpeningInput) { in.ReferenceDate = "2026-06-15" })
	noRelax := e.published(t, func(in *recruitment.OpeningInput) { in.Conditions.RelaxedMaxAge = ptrInt(0) })
	cases := []struct {
		name    string
		opening uint64
		birth   string
		veteran bool
		want    screening.Outcome
	}{
		// 17 today (2026-06-10), 18 on the deadline.
		{"18 on the deadline, 17 today", deadline.ID, "2008-06-20", false, screening.Eligible},
		{"17 on an earlier reference date", early.ID, "2008-06-20", false, screening.Ineligible},
		{"18 on the earlier reference date itself", early.ID, "2008-06-15", false, screening.Eligible},
		{"41 veteran where the opening does not relax age", noRelax.ID, born41, true, screening.Ineligible},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := formBorn(t, c.birth)
			f.Veteran = c.veteran
			res, err := e.svc.CheckEligibility(e.ctx, c.opening, f)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != c.want {
				t.Errorf("outcome %s (%+v), want %s", res.Outcome, res.Checks, c.want)
			}
		})
	}
}

func TestCheckEligibility_A2_4_EducationRelaxation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.published(t, nil)
	strict := e.published(t, func(in *recruitment.OpeningInput) { in.Conditions.EducationRelaxation = ptrBool(false) })
	college := e.published(t, func(in *recruitment.OpeningInput) {
		in.Conditions.MinEducation = ptrStr("junior_college")
		in.Conditions.EducationRelaxation = ptrBool(false)
	})
	cases := []struct {
		name                   string
		opening                uint64
		edu                    string
		party, veteran, former bool
		want                   screening.Outcome
		a24                    screening.CheckOutcome
	}{
		{"high school", base.ID, "high_school", false, false, false, screening.Eligible, screening.CheckPass},
		{"vocational secondary", base.ID, "vocational_secondary", false, false, false, screening.Eligible, screening.CheckPass},
		{"bachelor", base.ID, "bachelor", false, false, false, screening.Eligible, screening.CheckPass},
		{"Chinese label accepted", base.ID, "本科", false, false, false, screening.Eligible, screening.CheckPass},
		{"junior high", base.ID, "junior_high", false, false, false, screening.Ineligible, screening.CheckFail},
		{"junior high, CCP member", base.ID, "junior_high", true, false, false, screening.PendingReview, screening.CheckRelaxed},
		{"junior high, veteran", base.ID, "junior_high", false, true, false, screening.PendingReview, screening.CheckRelaxed},
		{"junior high, former staff", base.ID, "junior_high", false, false, true, screening.PendingReview, screening.CheckRelaxed},
		{"junior high, CCP member, relaxation off", strict.ID, "junior_high", true, false, false, screening.Ineligible, screening.CheckFail},
		{"high school where college is required", college.ID, "high_school", false, false, false, screening.Ineligible, screening.CheckFail},
		{"college where college is required", college.ID, "junior_college", false, false, false, screening.Eligible, screening.CheckPass},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := form(t)
			f.Education, f.PartyMember, f.Veteran, f.FormerAuxStaff = c.edu, c.party, c.veteran, c.former
			if c.party {
				f.Political = "中共党员"
			}
			res, err := e.svc.CheckEligibility(e.ctx, c.opening, f)
			if err != nil {
				t.Fatal(err)
			}
			if ch := check(t, res.Result, screening.RuleA2_4); res.Outcome != c.want || ch.Outcome != c.a24 {
				t.Errorf("outcome %s, A2-4 %s (%s); want %s, %s", res.Outcome, ch.Outcome, ch.Message, c.want, c.a24)
			}
		})
	}
	f := form(t)
	f.Education = "primary_school"
	_, err := e.svc.CheckEligibility(e.ctx, base.ID, f)
	wantField(t, err, "education")
}

// Rules A2-1, A2-5 (declarations) and A2-6 (disqualifiers) each fail on their own.
func TestCheckEligibility_A2_1_A2_5_A2_6_DeclarationsAndDisqualifiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	cases := []struct {
		name, rule, msg string
		mod             func(*recruitment.ApplicationForm)
	}{
		{"A2-1 not affirmed", screening.RuleA2_1, "承诺", func(f *recruitment.ApplicationForm) { f.AcceptsConditions = false }},
		{"A2-5 not affirmed", screening.RuleA2_5, "身体条件", func(f *recruitment.ApplicationForm) { f.Healthy = false }},
		{"A2-6 under discipline", screening.RuleA2_6, "纪律", func(f *recruitment.ApplicationForm) { f.UnderDiscipline = ptrBool(true) }},
		{"A2-6 criminal penalty unfinished", screening.RuleA2_6, "刑事处罚", func(f *recruitment.ApplicationForm) { f.CriminalPenaltyUnfinished = ptrBool(true) }},
		{"A2-6 under investigation", screening.RuleA2_6, "调查", func(f *recruitment.ApplicationForm) { f.UnderInvestigation = ptrBool(true) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := form(t)
			c.mod(&f)
			res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			ch := check(t, res.Result, c.rule)
			if res.Outcome != screening.Ineligible || ch.Outcome != screening.CheckFail || !strings.Contains(ch.Message, c.msg) {
				t.Errorf("outcome %s, %s %s %q", res.Outcome, c.rule, ch.Outcome, ch.Message)
			}
			if len(res.Failed()) != 1 {
				t.Errorf("failed checks %+v, want only %s", res.Failed(), c.rule)
			}
		})
	}
	// A veteran's relaxation does not cure a disqualifier.
	f := formBorn(t, born43)
	f.Veteran, f.UnderInvestigation = true, ptrBool(true)
	res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != screening.Ineligible {
		t.Errorf("relaxed age plus A2-6: %s, want ineligible", res.Outcome)
	}
}

// Rule A2-2: an 18-character mainland resident ID with a valid GB 11643 check character; HK,
// Macao, Taiwan and foreigners' numbers pass the checksum but fail the nationality rule.
func TestCheckEligibility_A2_2_IDNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	good := idNumber(t, "1990-05-05")
	wrongCheck := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	withCheck := func(first17 string) string {
		c, _ := screening.IDCheckChar(first17)
		return first17 + string(c)
	}
	invalid := []struct{ name, number string }{
		{"empty", ""},
		{"17 characters", good[:17]},
		{"19 characters", good + "1"},
		{"wrong check character", wrongCheck},
		{"letters inside", good[:5] + "A" + good[6:]},
		{"30 February", withCheck("32068419900230123")},
		{"month 13", withCheck("32068419901301123")},
		{"born tomorrow", withCheck("32068420260611123")},
		{"leading zero", withCheck("02068419900505123")},
	}
	for _, c := range invalid {
		t.Run("invalid/"+c.name, func(t *testing.T) {
			f := form(t)
			f.IDNumber = c.number
			_, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
			me := wantCode(t, err, models.ErrInvalid, "invalid_id_number")
			if me.Fields["id_number"] == "" {
				t.Errorf("no id_number field message: %+v", me)
			}
		})
	}
	nationality := []struct {
		name, prefix string
		want         screening.Outcome
	}{
		{"mainland Jiangsu", "320684", screening.Eligible},
		{"mainland Xinjiang", "650102", screening.Eligible},
		{"Hong Kong residence permit", "810000", screening.Ineligible},
		{"Macao residence permit", "820000", screening.Ineligible},
		{"Taiwan residence permit", "830000", screening.Ineligible},
		{"foreign permanent resident", "933020", screening.Ineligible},
	}
	for _, c := range nationality {
		t.Run("A2-2/"+c.name, func(t *testing.T) {
			f := form(t)
			f.IDNumber = idWith(t, c.prefix, "1990-05-05")
			res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			ch := check(t, res.Result, screening.RuleA2_2)
			if res.Outcome != c.want || (c.want == screening.Eligible) != (ch.Outcome == screening.CheckPass) {
				t.Errorf("outcome %s, A2-2 %s %q", res.Outcome, ch.Outcome, ch.Message)
			}
		})
	}
	// A lower-case x check character is accepted.
	for seq := 0; seq < 1000; seq++ {
		first := fmt.Sprintf("32068419900505%03d", seq)
		if c, _ := screening.IDCheckChar(first); c == 'X' {
			f := form(t)
			f.IDNumber = first + "x"
			res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
			if err != nil || res.Outcome != screening.Eligible {
				t.Errorf("lower-case x: %v %s", err, res.Outcome)
			}
			break
		}
	}
	// Other form errors are per field.
	f := form(t)
	f.Name = "张"
	f.Major = strings.Repeat("专", 65)
	f.FormerAuxStaff, f.FormerAuxEnd = true, "2026-06-11"
	_, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
	me := wantField(t, err, "name")
	if me.Fields["major"] == "" || me.Fields["former_aux_end"] == "" {
		t.Errorf("fields %+v, want name, major and former_aux_end", me.Fields)
	}
}
