package screening

import (
	"fmt"
	"strings"
)

// Preference is one of the rule R-3 preferences (同等条件下，优先招聘).
type Preference string

// Rule R-3: the three preferred groups.
const (
	PrefUrbanManagement Preference = "urban_management_graduate"
	PrefVeteran         Preference = "veteran"
	PrefHeroic          Preference = "heroic_honor"
)

// DefaultPreferenceChain is the order of rule R-3's text: urban-management
// graduates, veterans, people honoured for bravery. A fresh slice each call.
func DefaultPreferenceChain() []Preference {
	return []Preference{PrefUrbanManagement, PrefVeteran, PrefHeroic}
}

// Valid reports whether p is a known preference.
func (p Preference) Valid() bool {
	switch p {
	case PrefUrbanManagement, PrefVeteran, PrefHeroic:
		return true
	}
	return false
}

// Label is the Chinese name: 城市管理类专业毕业生, 退伍军人, 见义勇为积极分子.
func (p Preference) Label() string {
	switch p {
	case PrefUrbanManagement:
		return "城市管理类专业毕业生"
	case PrefVeteran:
		return "退伍军人"
	case PrefHeroic:
		return "见义勇为积极分子"
	}
	return string(p)
}

// ParsePreferenceChain parses an opening's preference order (rule R-3): every
// entry must be a known preference (surrounding spaces trimmed) and appear at
// most once. An empty list is allowed (no preference tie-break). The result is
// never nil.
func ParsePreferenceChain(ss []string) ([]Preference, error) {
	out := make([]Preference, 0, len(ss))
	seen := make(map[Preference]bool, len(ss))
	for i, s := range ss {
		p := Preference(strings.TrimSpace(s))
		if !p.Valid() {
			return nil, fmt.Errorf("优先顺序第%d项 %q 不是已知的优先条件（可选：城市管理类专业毕业生、退伍军人、见义勇为积极分子）", i+1, s)
		}
		if seen[p] {
			return nil, fmt.Errorf("优先顺序中“%s”重复出现", p.Label())
		}
		seen[p] = true
		out = append(out, p)
	}
	return out, nil
}

// DescribePreferences writes the rule R-3 tie-break for an opening's page.
func DescribePreferences(chain []Preference) string {
	if len(chain) == 0 {
		return "成绩相同时，本岗位不设优先条件，由加试成绩决定先后。"
	}
	labels := make([]string, len(chain))
	for i, p := range chain {
		labels[i] = p.Label()
	}
	return "同等条件下优先招聘：成绩相同时，依次按" + strings.Join(labels, "、") +
		"的顺序优先（优先条件只在成绩相同时比较，不加分）；仍相同的，由加试成绩决定先后。"
}

// IsUrbanManagementMajor reports whether a declared major counts as a
// city/urban-management major for rule R-3: the code "urban_management"
// exactly, or text containing 城市管理, 城管 or 市政管理 (surrounding spaces
// trimmed).
func IsUrbanManagementMajor(major string) bool {
	major = strings.TrimSpace(major)
	if major == "urban_management" {
		return true
	}
	for _, kw := range []string{"城市管理", "城管", "市政管理"} {
		if strings.Contains(major, kw) {
			return true
		}
	}
	return false
}
