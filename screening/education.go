package screening

import (
	"fmt"
	"strings"
)

// Education is the highest completed level of education.
type Education string

// Education levels, lowest first.
const (
	EduJuniorHigh          Education = "junior_high"
	EduHighSchool          Education = "high_school"
	EduVocationalSecondary Education = "vocational_secondary"
	EduJuniorCollege       Education = "junior_college"
	EduBachelor            Education = "bachelor"
	EduMaster              Education = "master"
	EduDoctorate           Education = "doctorate"
)

// educations is the immutable table behind Level, Label and Educations.
var educations = []struct {
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
}

// Educations returns every education level in ascending order (a fresh slice,
// for form <select>s).
func Educations() []Education {
	out := make([]Education, len(educations))
	for i, row := range educations {
		out[i] = row.e
	}
	return out
}

// ParseEducation accepts a code ("bachelor") or its Chinese label ("本科"),
// surrounding spaces trimmed.
func ParseEducation(s string) (Education, error) {
	s = strings.TrimSpace(s)
	for _, row := range educations {
		if s == string(row.e) || s == row.label {
			return row.e, nil
		}
	}
	if s == "" {
		return "", fmt.Errorf("请选择学历")
	}
	return "", fmt.Errorf("未知的学历：%q", s)
}

// Valid reports whether e is one of the known levels.
func (e Education) Valid() bool { return e.Level() > 0 }

// Level orders education: junior_high 1; high_school and vocational_secondary 2;
// junior_college 3; bachelor 4; master 5; doctorate 6; unknown 0.
func (e Education) Level() int {
	for _, row := range educations {
		if row.e == e {
			return row.level
		}
	}
	return 0
}

// Label is the Chinese name: 初中, 高中, 中专/职高/技校, 大专, 本科, 硕士研究生,
// 博士研究生; "未知学历" for anything else.
func (e Education) Label() string {
	for _, row := range educations {
		if row.e == e {
			return row.label
		}
	}
	return "未知学历"
}

// levelPhrase names a minimum education level for sentences such as
// "…及以上学历": level 2 covers both 高中 and 中专/职高/技校.
func levelPhrase(e Education) string {
	if e.Level() == 2 {
		return "高中（含中专、职高、技校）"
	}
	return e.Label()
}
