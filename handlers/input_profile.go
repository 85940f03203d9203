package handlers

import (
	"html/template"

	"auxportal/recruitment"
	"auxportal/screening"
)

// profileFrom reads the 报名表's further fields of an application form. Its lines come as
// repeated fields (resume_from, resume_to, resume_org, resume_role; family_relation, …), one
// value per line in order, as a browser sends the inputs of a table; a list shorter than the
// others reads as blanks, which the service then names.
func profileFrom(form map[string][]string) recruitment.Profile {
	p := recruitment.Profile{
		Ethnicity: formString(form, "ethnicity"), Political: formString(form, "political_status"),
		Hukou: formString(form, "hukou_place"), Address: formString(form, "address"),
		School: formString(form, "school"), Graduated: formString(form, "graduated"),
		Phone2: formString(form, "phone2"), EmergencyName: formString(form, "emergency_name"),
		EmergencyRelation: formString(form, "emergency_relation"), EmergencyPhone: formString(form, "emergency_phone"),
	}
	at := func(name string, i int) string {
		if vs := form[name]; i < len(vs) {
			return vs[i]
		}
		return ""
	}
	for i := range lines(form, "resume_from", "resume_to", "resume_org", "resume_role") {
		p.Resume = append(p.Resume, recruitment.ResumeRow{From: at("resume_from", i), To: at("resume_to", i),
			Org: at("resume_org", i), Role: at("resume_role", i)})
	}
	for i := range lines(form, "family_relation", "family_name", "family_work") {
		p.Family = append(p.Family, recruitment.FamilyRow{Relation: at("family_relation", i),
			Name: at("family_name", i), Work: at("family_work", i)})
	}
	return p
}

// profileHidden is the 报名表's further fields as the confirmation step sends them back, in the
// names profileFrom reads: the single fields, then each line's cells as repeated fields in order.
func profileHidden(p recruitment.Profile) []hiddenField {
	var out []hiddenField
	add := func(name, v string) {
		if v != "" {
			out = append(out, hiddenField{name, v})
		}
	}
	for _, x := range [][2]string{{"ethnicity", p.Ethnicity}, {"political_status", p.Political}, {"hukou_place", p.Hukou},
		{"address", p.Address}, {"school", p.School}, {"graduated", p.Graduated}, {"phone2", p.Phone2},
		{"emergency_name", p.EmergencyName}, {"emergency_relation", p.EmergencyRelation}, {"emergency_phone", p.EmergencyPhone}} {
		add(x[0], x[1])
	}
	// A line's blank cells go too, so that the columns stay in step.
	for _, r := range p.Resume {
		out = append(out, hiddenField{"resume_from", r.From}, hiddenField{"resume_to", r.To},
			hiddenField{"resume_org", r.Org}, hiddenField{"resume_role", r.Role})
	}
	for _, r := range p.Family {
		out = append(out, hiddenField{"family_relation", r.Relation}, hiddenField{"family_name", r.Name},
			hiddenField{"family_work", r.Work})
	}
	return out
}

// lines is the number of lines a table of the form sent: its longest column. The request body
// is capped, and the service refuses more lines than a 报名表 holds.
func lines(form map[string][]string, names ...string) int {
	n := 0
	for _, name := range names {
		n = max(n, len(form[name]))
	}
	return n
}

// numbered is one line of a table on the form, numbered from 1 like its field names.
type numbered[T any] struct {
	N   int
	Row T
}

// formLines pads the lines already typed to at least least (and one blank line more, up to
// limit), so that a form refilled after an error still has room to add a line without script.
func formLines[T any](rows []T, least, limit int) []numbered[T] {
	n := max(min(max(least, len(rows)+1), limit), len(rows))
	out := make([]numbered[T], n)
	for i := range out {
		out[i].N = i + 1
		if i < len(rows) {
			out[i].Row = rows[i]
		}
	}
	return out
}

// idFacts is what an ID number says of its holder, for the form to show once the number is
// valid: 性别 and 出生日期 are never typed. ok is false for an invalid number.
type idFacts struct {
	OK     bool
	Gender string
	Birth  string
}

// profileFuncs are the template functions of the 报名表's further fields.
var profileFuncs = template.FuncMap{
	"ethnicities":       func() []string { return recruitment.Ethnicities },
	"politicalStatuses": func() []string { return recruitment.PoliticalStatuses },
	"relations":         func() []string { return recruitment.Relations },
	"yearMonth":         recruitment.ChineseYearMonth,
	"maxResumeLines":    func() int { return recruitment.MaxResumeRows },
	"maxFamilyLines":    func() int { return recruitment.MaxFamilyRows },
	"resumeLines": func(p recruitment.Profile) []numbered[recruitment.ResumeRow] {
		return formLines(p.Resume, 3, recruitment.MaxResumeRows)
	},
	"familyLines": func(p recruitment.Profile) []numbered[recruitment.FamilyRow] {
		return formLines(p.Family, 2, recruitment.MaxFamilyRows)
	},
	// idFacts shows, on the form the applicant is filling in, what the number they typed says.
	"idFacts": func(number string) idFacts {
		id, err := screening.ParseID(number, screening.Date{})
		if err != nil {
			return idFacts{}
		}
		g := "女"
		if id.Male {
			g = "男"
		}
		return idFacts{OK: true, Gender: g, Birth: id.Birth.Chinese()}
	},
}
