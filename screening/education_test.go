package screening

import (
	"reflect"
	"strings"
	"testing"
)

func TestEducation_A2_4_LevelsAndLabels(t *testing.T) {
	tests := []struct {
		e     Education
		level int
		label string
	}{
		{EduJuniorHigh, 1, "初中"},
		{EduHighSchool, 2, "高中"},
		{EduVocationalSecondary, 2, "中专/职高/技校"},
		{EduJuniorCollege, 3, "大专"},
		{EduBachelor, 4, "本科"},
		{EduMaster, 5, "硕士研究生"},
		{EduDoctorate, 6, "博士研究生"},
		{Education("primary"), 0, "未知学历"},
		{Education(""), 0, "未知学历"},
	}
	for _, tt := range tests {
		if got := tt.e.Level(); got != tt.level {
			t.Errorf("%q.Level() = %d, want %d", tt.e, got, tt.level)
		}
		if got := tt.e.Label(); got != tt.label {
			t.Errorf("%q.Label() = %q, want %q", tt.e, got, tt.label)
		}
		if tt.e.Valid() != (tt.level > 0) {
			t.Errorf("%q.Valid() wrong", tt.e)
		}
	}
}

func TestEducations(t *testing.T) {
	want := []Education{EduJuniorHigh, EduHighSchool, EduVocationalSecondary, EduJuniorCollege, EduBachelor, EduMaster, EduDoctorate}
	got := Educations()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Educations() = %v", got)
	}
	got[0] = "mutated"
	if Educations()[0] != EduJuniorHigh {
		t.Error("Educations() exposes the package table")
	}
	for i := 1; i < len(want); i++ {
		if want[i].Level() < want[i-1].Level() {
			t.Errorf("not ascending at %d", i)
		}
	}
}

func TestParseEducation(t *testing.T) {
	tests := []struct {
		in   string
		want Education
		ok   bool
	}{
		{"bachelor", EduBachelor, true},
		{" high_school ", EduHighSchool, true},
		{"vocational_secondary", EduVocationalSecondary, true},
		{"本科", EduBachelor, true},
		{"中专/职高/技校", EduVocationalSecondary, true},
		{"博士研究生", EduDoctorate, true},
		{"Bachelor", "", false},
		{"primary", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := ParseEducation(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("ParseEducation(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "学历") {
			t.Errorf("error %q is not Chinese", err)
		}
	}
}

func TestPreferences_R_3(t *testing.T) {
	want := []Preference{PrefUrbanManagement, PrefVeteran, PrefHeroic}
	chain := DefaultPreferenceChain()
	if !reflect.DeepEqual(chain, want) {
		t.Fatalf("DefaultPreferenceChain() = %v", chain)
	}
	chain[0] = PrefHeroic
	if DefaultPreferenceChain()[0] != PrefUrbanManagement {
		t.Error("DefaultPreferenceChain shares its slice")
	}
	labels := map[Preference]string{PrefUrbanManagement: "城市管理类专业毕业生", PrefVeteran: "退伍军人", PrefHeroic: "见义勇为积极分子", "x": "x"}
	for p, l := range labels {
		if p.Label() != l {
			t.Errorf("%q.Label() = %q, want %q", p, p.Label(), l)
		}
	}
}

func TestParsePreferenceChain_R_3(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []Preference
		err  string
	}{
		{"default order", []string{"urban_management_graduate", "veteran", "heroic_honor"}, DefaultPreferenceChain(), ""},
		{"custom order", []string{"heroic_honor", "veteran"}, []Preference{PrefHeroic, PrefVeteran}, ""},
		{"spaces trimmed", []string{" veteran "}, []Preference{PrefVeteran}, ""},
		{"empty", []string{}, []Preference{}, ""},
		{"nil", nil, []Preference{}, ""},
		{"unknown", []string{"veteran", "bonus"}, nil, "第2项"},
		{"empty entry", []string{""}, nil, "第1项"},
		{"duplicate", []string{"veteran", "heroic_honor", "veteran"}, nil, "“退伍军人”重复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePreferenceChain(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want containing %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("= %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestDescribePreferences_R_3(t *testing.T) {
	if s := DescribePreferences(DefaultPreferenceChain()); !strings.Contains(s, "城市管理类专业毕业生、退伍军人、见义勇为积极分子") || !strings.Contains(s, "不加分") {
		t.Errorf("DescribePreferences = %q", s)
	}
	if s := DescribePreferences(nil); !strings.Contains(s, "不设优先条件") {
		t.Errorf("DescribePreferences(nil) = %q", s)
	}
}
