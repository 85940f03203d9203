package screening

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestBase_A2(t *testing.T) {
	b := Base()
	want := Conditions{MinAge: 18, MaxAge: 40, RelaxedMaxAge: 45, MinEducation: EduHighSchool,
		EducationRelaxation: true, RelaxedMinEducation: EduJuniorHigh}
	if b != want {
		t.Errorf("Base() = %+v, want %+v", b, want)
	}
	if err := b.Validate(); err != nil {
		t.Errorf("Base().Validate() = %v", err)
	}
	if err := b.CheckTightens(b); err != nil {
		t.Errorf("Base().CheckTightens(Base()) = %v", err)
	}
}

func TestBirthWindow_A2_3_Example(t *testing.T) {
	tests := []struct {
		ref                      string
		min, max                 int
		wantEarliest, wantLatest string
	}{
		{"2026-06-30", 18, 40, "1985-07-01", "2008-06-30"},
		{"2026-06-30", 18, 45, "1980-07-01", "2008-06-30"},
		{"2026-12-31", 18, 40, "1986-01-01", "2008-12-31"},
		{"2026-02-28", 18, 40, "1985-03-01", "2008-02-28"},
		// 1984 is a leap year: someone born 29 Feb 1984 is still 40 on 28 Feb 2025.
		{"2025-02-28", 18, 40, "1984-02-29", "2007-02-28"},
		// Reference 29 Feb 2028: 2010 is a common year, so the latest is 28 Feb 2010.
		{"2028-02-29", 18, 40, "1987-03-01", "2010-02-28"},
		// 29 Feb 2028 with ages landing on leap years (2028-16 = 2012, 2028-44-1 = 1983).
		{"2028-02-29", 16, 44, "1983-03-01", "2012-02-29"},
	}
	for _, tt := range tests {
		c := Conditions{MinAge: tt.min, MaxAge: tt.max}
		e, l := c.BirthWindow(d(tt.ref))
		if e != d(tt.wantEarliest) || l != d(tt.wantLatest) {
			t.Errorf("ref %s %d..%d: window %v..%v, want %s..%s", tt.ref, tt.min, tt.max, e, l, tt.wantEarliest, tt.wantLatest)
		}
	}
}

// Rule A2-3: the window must agree with AgeOn for every birth date.
func TestBirthWindow_A2_3_ConsistentWithAgeOn(t *testing.T) {
	refs := []string{"2026-06-30", "2028-02-29", "2026-02-28", "2025-02-28", "2028-02-28",
		"2028-03-01", "2024-02-29", "2026-03-01", "2026-12-31", "2027-01-01"}
	ranges := [][2]int{{18, 40}, {18, 45}, {16, 60}, {20, 20}, {18, 19}}
	for _, r := range refs {
		ref := d(r)
		for _, rg := range ranges {
			c := Conditions{MinAge: rg[0], MaxAge: rg[1]}
			e, l := c.BirthWindow(ref)
			if !e.Valid() || !l.Valid() {
				t.Fatalf("ref %s %v: invalid window %v..%v", r, rg, e, l)
			}
			// Every birth date from 62 years before ref to ref.
			for b := (Date{ref.Year - 62, 1, 1}); !b.After(ref); b = b.AddDays(1) {
				age := AgeOn(b, ref)
				inAge := age >= rg[0] && age <= rg[1]
				inWindow := !b.Before(e) && !b.After(l)
				if inAge != inWindow {
					t.Fatalf("ref %s %d..%d: born %v age %d, in window %v..%v = %v", r, rg[0], rg[1], b, age, e, l, inWindow)
				}
			}
		}
	}
}

func TestRelaxedBirthWindow_A2_3(t *testing.T) {
	tests := []struct {
		name      string
		relaxed   int
		ok        bool
		wantEarly string
	}{
		{"base 45", 45, true, "1980-07-01"},
		{"no relaxation", 0, false, ""},
		{"relaxed equal to max is no relaxation", 40, false, ""},
		{"relaxed 42", 42, true, "1983-07-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Base()
			c.RelaxedMaxAge = tt.relaxed
			e, l, ok := c.RelaxedBirthWindow(refDate)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				if !e.IsZero() || !l.IsZero() {
					t.Errorf("window %v..%v should be zero", e, l)
				}
				return
			}
			if e != d(tt.wantEarly) || l != d("2008-06-30") {
				t.Errorf("window %v..%v, want %s..2008-06-30", e, l, tt.wantEarly)
			}
		})
	}
}

func TestConditions_Validate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Conditions)
		msgs   []string // empty: valid
	}{
		{"base", func(*Conditions) {}, nil},
		{"min age 16", func(c *Conditions) { c.MinAge = 16 }, nil},
		{"max age 60, relaxed 0", func(c *Conditions) { c.MaxAge, c.RelaxedMaxAge = 60, 0 }, nil},
		{"relaxed equal to max", func(c *Conditions) { c.RelaxedMaxAge = 40 }, nil},
		{"relaxation off, relaxed education empty", func(c *Conditions) { c.EducationRelaxation, c.RelaxedMinEducation = false, "" }, nil},
		{"relaxed education equal to min", func(c *Conditions) { c.RelaxedMinEducation = EduVocationalSecondary }, nil},
		{"min age 15", func(c *Conditions) { c.MinAge = 15 }, []string{"16周岁"}},
		{"max age 61", func(c *Conditions) { c.MaxAge, c.RelaxedMaxAge = 61, 0 }, []string{"不得超过60周岁"}},
		{"min above max", func(c *Conditions) { c.MinAge, c.MaxAge = 30, 25 }, []string{"最低年龄 30 周岁高于最高年龄 25 周岁"}},
		{"relaxed below max", func(c *Conditions) { c.RelaxedMaxAge = 35 }, []string{"低于一般年龄上限"}},
		{"relaxed above 60", func(c *Conditions) { c.RelaxedMaxAge = 65 }, []string{"放宽后的年龄上限 65 周岁不得超过60周岁"}},
		{"unknown min education", func(c *Conditions) { c.MinEducation = "primary" }, []string{"最低学历"}},
		{"empty min education", func(c *Conditions) { c.MinEducation = "" }, []string{"最低学历"}},
		{"relaxation on, relaxed education empty", func(c *Conditions) { c.RelaxedMinEducation = "" }, []string{"已开启学历放宽"}},
		{"relaxation off, relaxed education unknown", func(c *Conditions) { c.EducationRelaxation, c.RelaxedMinEducation = false, "x" }, []string{"不是已知的学历"}},
		{"relaxed education above min", func(c *Conditions) { c.RelaxedMinEducation = EduBachelor }, []string{"高于一般最低学历"}},
		{"several at once", func(c *Conditions) { c.MinAge, c.MaxAge, c.RelaxedMaxAge, c.MinEducation = 10, 70, 20, "?" },
			[]string{"16周岁", "不得超过60周岁", "低于一般年龄上限", "最低学历"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Base()
			tt.mutate(&c)
			err := c.Validate()
			if len(tt.msgs) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *ConditionsError
			if !errors.As(err, &ce) {
				t.Fatalf("Validate() = %v (%T), want *ConditionsError", err, err)
			}
			if len(ce.Problems) != len(tt.msgs) {
				t.Errorf("problems = %q, want %d", ce.Problems, len(tt.msgs))
			}
			for _, m := range tt.msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%q does not contain %q", err.Error(), m)
				}
			}
		})
	}
}

// Attachment 2 is the floor of the district's base conditions (rules A2-2, A2-3, A2-4): they may
// tighten it but never relax it.
func TestCheckAttachment2_A2_2_A2_3_A2_4_Floor(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Conditions)
		want []string // problem fragments; none means allowed
	}{
		{"the notice itself", nil, nil},
		{"tighter ages", func(c *Conditions) { c.MinAge, c.MaxAge, c.RelaxedMaxAge = 20, 35, 40 }, nil},
		{"no age relaxation", func(c *Conditions) { c.RelaxedMaxAge = 0 }, nil},
		{"higher education", func(c *Conditions) { c.MinEducation = EduJuniorCollege }, nil},
		{"no education relaxation", func(c *Conditions) { c.EducationRelaxation = false }, nil},
		{"HK/Macao/Taiwan residents are PRC nationals", func(c *Conditions) { c.AllowHKMacaoTaiwan = true }, nil},
		{"minimum age 16", func(c *Conditions) { c.MinAge = 16 }, []string{"最低年龄 16"}},
		{"maximum age 60", func(c *Conditions) { c.MaxAge = 60 }, []string{"最高年龄 60"}},
		{"maximum age 41", func(c *Conditions) { c.MaxAge = 41 }, []string{"最高年龄 41"}},
		{"relaxed to 46", func(c *Conditions) { c.RelaxedMaxAge = 46 }, []string{"46"}},
		{"junior high for everyone", func(c *Conditions) { c.MinEducation = EduJuniorHigh }, []string{"最低学历（初中）"}},
		{"foreign nationals", func(c *Conditions) { c.AllowForeign = true }, []string{"国籍"}},
		{"everything at once", func(c *Conditions) { c.MinAge, c.MaxAge, c.AllowForeign = 16, 60, true }, []string{"16", "60", "国籍"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Base()
			if tt.mod != nil {
				tt.mod(&c)
			}
			err := c.CheckAttachment2()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("CheckAttachment2() = %v, want nil", err)
				}
				return
			}
			var ce *ConditionsError
			if !errors.As(err, &ce) || len(ce.Problems) != len(tt.want) {
				t.Fatalf("CheckAttachment2() = %v, want %d problems", err, len(tt.want))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestCheckTightens_R_2(t *testing.T) {
	tests := []struct {
		name   string
		base   func(*Conditions)
		mutate func(*Conditions)
		msgs   []string // empty: accepted
	}{
		// Accepted: the same or stricter.
		{"identical", nil, func(*Conditions) {}, nil},
		{"older minimum", nil, func(c *Conditions) { c.MinAge = 20 }, nil},
		{"younger maximum", nil, func(c *Conditions) { c.MaxAge = 35 }, nil},
		{"smaller relaxed maximum", nil, func(c *Conditions) { c.RelaxedMaxAge = 42 }, nil},
		{"age relaxation dropped", nil, func(c *Conditions) { c.RelaxedMaxAge = 0 }, nil},
		{"higher education", nil, func(c *Conditions) { c.MinEducation = EduJuniorCollege }, nil},
		{"vocational secondary same level as high school", nil, func(c *Conditions) { c.MinEducation = EduVocationalSecondary }, nil},
		{"education relaxation turned off", nil, func(c *Conditions) { c.EducationRelaxation = false }, nil},
		{"education relaxation off with any relaxed level", nil, func(c *Conditions) { c.EducationRelaxation, c.RelaxedMinEducation = false, "" }, nil},
		{"relaxed education raised", nil, func(c *Conditions) { c.RelaxedMinEducation = EduHighSchool }, nil},
		{"hukou and licence added", nil, func(c *Conditions) {
			c.HukouRequired, c.LicenceRequired, c.Extra = "海门区", "C1 机动车驾驶证", "夜班"
		}, nil},
		{"HKMT allowed where the base allows", func(b *Conditions) { b.AllowHKMacaoTaiwan = true }, func(c *Conditions) { c.AllowHKMacaoTaiwan = true }, nil},
		{"HKMT withdrawn", func(b *Conditions) { b.AllowHKMacaoTaiwan = true }, func(c *Conditions) { c.AllowHKMacaoTaiwan = false }, nil},
		{"foreign allowed where the base allows", func(b *Conditions) { b.AllowForeign = true }, func(c *Conditions) { c.AllowForeign = true }, nil},
		{"base hukou kept", func(b *Conditions) { b.HukouRequired = "海门区" }, func(c *Conditions) { c.HukouRequired = "海门区三星镇" }, nil},
		// Violations, one at a time.
		{"younger minimum", nil, func(c *Conditions) { c.MinAge = 17 }, []string{"最低年龄 17 周岁低于区级基本条件的 18 周岁"}},
		{"older maximum", nil, func(c *Conditions) { c.MaxAge = 42 }, []string{"最高年龄 42 周岁高于区级基本条件的 40 周岁"}},
		{"larger relaxed maximum", nil, func(c *Conditions) { c.RelaxedMaxAge = 50 }, []string{"放宽后的年龄上限 50 周岁高于区级基本条件的 45 周岁"}},
		{"relaxation where the base has none", func(b *Conditions) { b.RelaxedMaxAge = 0 }, func(c *Conditions) { c.RelaxedMaxAge = 45 }, []string{"区级基本条件不放宽年龄"}},
		{"lower education", nil, func(c *Conditions) { c.MinEducation = EduJuniorHigh }, []string{"最低学历（初中）低于区级基本条件（高中）"}},
		{"education relaxation where the base has none", func(b *Conditions) { b.EducationRelaxation = false }, func(c *Conditions) { c.EducationRelaxation = true }, []string{"区级基本条件不放宽学历"}},
		{"relaxed education lowered", func(b *Conditions) { b.RelaxedMinEducation = EduVocationalSecondary }, func(c *Conditions) { c.RelaxedMinEducation = EduJuniorHigh }, []string{"放宽后的最低学历（初中）低于"}},
		{"HKMT opened", nil, func(c *Conditions) { c.AllowHKMacaoTaiwan = true }, []string{"港澳台居民居住证"}},
		{"foreign opened", nil, func(c *Conditions) { c.AllowForeign = true }, []string{"外国人永久居留身份证"}},
		{"base hukou dropped", func(b *Conditions) { b.HukouRequired = "海门区" }, func(c *Conditions) { c.HukouRequired = "" }, []string{"不得取消户籍要求"}},
		{"base licence dropped", func(b *Conditions) { b.LicenceRequired = "C1 机动车驾驶证" }, func(c *Conditions) { c.LicenceRequired = " " }, []string{"不得取消该要求"}},
		// Every item at once, each listed.
		{"everything relaxed", nil, func(c *Conditions) {
			c.MinAge, c.MaxAge, c.RelaxedMaxAge, c.MinEducation = 16, 50, 55, EduJuniorHigh
			c.AllowHKMacaoTaiwan, c.AllowForeign = true, true
		}, []string{"最低年龄", "最高年龄", "放宽后的年龄上限", "最低学历", "港澳台", "外国人"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := Base()
			if tt.base != nil {
				tt.base(&base)
			}
			c := base
			tt.mutate(&c)
			err := c.CheckTightens(base)
			if len(tt.msgs) == 0 {
				if err != nil {
					t.Fatalf("CheckTightens = %v, want nil", err)
				}
				return
			}
			var ce *ConditionsError
			if !errors.As(err, &ce) {
				t.Fatalf("CheckTightens = %v (%T), want *ConditionsError", err, err)
			}
			if len(ce.Problems) != len(tt.msgs) {
				t.Errorf("problems = %q, want %d", ce.Problems, len(tt.msgs))
			}
			for _, m := range tt.msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%q does not contain %q", err.Error(), m)
				}
			}
		})
	}
}

func TestConditions_Describe(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Conditions)
		want    []string
		notWant []string
	}{
		{"base", func(*Conditions) {}, []string{
			"自愿从事城市管理辅助工作",
			"具有中华人民共和国国籍",
			"出生日期须在 1985年7月1日 至 2008年6月30日 之间",
			"18周岁至40周岁",
			"按 2026年6月30日 计算",
			"年龄可放宽到45周岁（含），即出生日期须在 1980年7月1日 至 2008年6月30日 之间",
			"高中（含中专、职高、技校）及以上学历，不限专业",
			"学历可放宽到初中及以上",
			"身体条件",
			"不得报考",
			"纪律处分",
			"刑事处罚期限未满",
		}, []string{"附加条件", "港澳台", "外国人", "不放宽"}},
		{"no relaxations", func(c *Conditions) { c.RelaxedMaxAge, c.EducationRelaxation = 0, false },
			[]string{"本岗位年龄条件不放宽", "本岗位学历条件不放宽"}, []string{"放宽到45周岁"}},
		{"town extras", func(c *Conditions) {
			c.HukouRequired, c.LicenceRequired, c.Extra = "海门区", "C1 机动车驾驶证", "能适应夜间巡查"
		}, []string{"须具有海门区户籍（报名时声明", "须持有C1 机动车驾驶证", "本岗位其他条件：能适应夜间巡查"}, nil},
		{"HKMT and foreign allowed", func(c *Conditions) { c.AllowHKMacaoTaiwan, c.AllowForeign = true, true },
			[]string{"港澳台居民居住证和外国人永久居留身份证"}, nil},
		{"college required", func(c *Conditions) { c.MinEducation = EduJuniorCollege; c.RelaxedMinEducation = EduHighSchool },
			[]string{"具有大专及以上学历", "学历可放宽到高中（含中专、职高、技校）及以上"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Base()
			tt.mutate(&c)
			lines := c.Describe(refDate)
			all := strings.Join(lines, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("Describe lacks %q:\n%s", w, all)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(all, w) {
					t.Errorf("Describe should not contain %q:\n%s", w, all)
				}
			}
			for i, l := range lines {
				if strings.TrimSpace(l) == "" {
					t.Errorf("line %d empty", i)
				}
			}
		})
	}
}

func TestConditions_JSON(t *testing.T) {
	c := Base()
	c.HukouRequired = "海门区"
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"min_age":18,"max_age":40,"relaxed_max_age":45,"min_education":"high_school","education_relaxation":true,"relaxed_min_education":"junior_high","allow_hk_macao_taiwan":false,"allow_foreign":false,"hukou_required":"海门区"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
	var back Conditions
	if err := json.Unmarshal(b, &back); err != nil || back != c {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}
