package recruitment_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
)

// The 报名表's further fields: each wrong answer is named on its own field, in Chinese, and
// nothing of the application is stored.
func TestApply_ProfileFieldsValidated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	type mod = func(f *recruitment.ApplicationForm, own string)
	rows := func(rs ...recruitment.ResumeRow) mod {
		return func(f *recruitment.ApplicationForm, _ string) { f.Resume = rs }
	}
	cases := []struct {
		name  string
		mod   mod
		field string
		text  string
	}{
		{"no ethnicity", func(f *recruitment.ApplicationForm, _ string) { f.Ethnicity = "" }, "ethnicity", "请填写民族"},
		{"ethnicity not of GB 3304", func(f *recruitment.ApplicationForm, _ string) { f.Ethnicity = "汉" }, "ethnicity", "请从列表中选择"},
		{"political status not on the list", func(f *recruitment.ApplicationForm, _ string) { f.Political = "党员" }, "political_status", "请从列表中选择"},
		{"CCP member claimed, status 群众", func(f *recruitment.ApplicationForm, _ string) { f.PartyMember = true }, "political_status", "中共党员"},
		{"no hukou place", func(f *recruitment.ApplicationForm, _ string) { f.Hukou = "  " }, "hukou_place", "请填写户籍所在地"},
		{"address too long", func(f *recruitment.ApplicationForm, _ string) { f.Address = strings.Repeat("海", 101) }, "address", "不能超过 100 个字"},
		{"newline in address", func(f *recruitment.ApplicationForm, _ string) { f.Address = "三星镇\n叠石桥" }, "address", "控制字符"},
		{"bidi override in school", func(f *recruitment.ApplicationForm, _ string) { f.School = "海门\u202e中学" }, "school", "控制字符"},
		{"graduated not a year-month", func(f *recruitment.ApplicationForm, _ string) { f.Graduated = "2015年6月" }, "graduated", "如 2015-06"},
		{"graduated in the future", func(f *recruitment.ApplicationForm, _ string) { f.Graduated = "2027-06" }, "graduated", "不能晚于本月"},
		{"graduated as a child", func(f *recruitment.ApplicationForm, _ string) { f.Graduated = "2005-06" }, "graduated", "出生日期不符"},
		{"second phone not a mobile", func(f *recruitment.ApplicationForm, _ string) { f.Phone2 = "0513-82212345" }, "phone2", "11 位"},
		{"second phone is the own one", func(f *recruitment.ApplicationForm, own string) { f.Phone2 = own }, "phone2", "不能与本人手机号相同"},
		{"emergency phone is the own one", func(f *recruitment.ApplicationForm, own string) { f.EmergencyPhone = own }, "emergency_phone", "不能与本人手机号相同"},
		{"emergency phone is the second one", func(f *recruitment.ApplicationForm, _ string) { f.Phone2 = f.EmergencyPhone }, "emergency_phone", "备用手机号相同"},
		{"no emergency contact", func(f *recruitment.ApplicationForm, _ string) { f.EmergencyName = "" }, "emergency_name", "请填写紧急联系人"},
		{"no history", rows(), "resume_from_1", "至少填写一行"},
		{"history line incomplete", rows(recruitment.ResumeRow{From: "2014-09", Org: "海门中学"}), "resume_role_1", "不完整"},
		{"history ends before it starts", rows(recruitment.ResumeRow{From: "2014-09", To: "2013-06", Org: "海门中学", Role: "学生"}), "resume_to_1", "早于起始年月"},
		{"history out of order", rows(recruitment.ResumeRow{From: "2017-07", To: "2020-06", Org: "家纺城", Role: "营业员"},
			recruitment.ResumeRow{From: "2014-09", To: "2017-06", Org: "海门中学", Role: "学生"}), "resume_from_2", "时间先后顺序"},
		{"至今 not on the last line", rows(recruitment.ResumeRow{From: "2014-09", Org: "海门中学", Role: "学生"},
			recruitment.ResumeRow{From: "2017-07", Org: "家纺城", Role: "营业员"}), "resume_to_1", "只有最后一行"},
		{"history before birth", rows(recruitment.ResumeRow{From: "1990-09", To: "1993-06", Org: "海门中学", Role: "学生"}), "resume_from_1", "早于身份证号码中的出生日期"},
		{"history in the future", rows(recruitment.ResumeRow{From: "2014-09", To: "2030-06", Org: "海门中学", Role: "学生"}), "resume_to_1", "不能晚于本月"},
		{"too many history lines", func(f *recruitment.ApplicationForm, _ string) {
			for i := range recruitment.MaxResumeRows + 1 {
				f.Resume = append(f.Resume, recruitment.ResumeRow{From: fmt.Sprintf("%d-09", 2014+i), To: fmt.Sprintf("%d-06", 2015+i), Org: "单位", Role: "职员"})
			}
		}, "resume", "最多填写"},
		{"family line incomplete", func(f *recruitment.ApplicationForm, _ string) {
			f.Family = append(f.Family, recruitment.FamilyRow{Relation: "母亲", Name: "李秀英"})
		}, "family_work_2", "不完整"},
		{"family name of one character", func(f *recruitment.ApplicationForm, _ string) {
			f.Family = []recruitment.FamilyRow{{Relation: "母亲", Name: "李", Work: "退休"}}
		}, "family_name_1", "至少 2 个字"},
		{"too many family lines", func(f *recruitment.ApplicationForm, _ string) {
			for range recruitment.MaxFamilyRows + 1 {
				f.Family = append(f.Family, recruitment.FamilyRow{Relation: "兄弟", Name: "王某某", Work: "务农"})
			}
		}, "family", "最多填写"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			who := e.candidate(t, "考生")
			f := formBorn(t, "1996-03-15")
			c.mod(&f, who.Username)
			_, err := e.svc.Apply(e.ctx, who, o.ID, f, filesFor(t, f))
			if got := wantField(t, err, c.field).Fields[c.field]; !strings.Contains(got, c.text) {
				t.Errorf("%s: %q, want it to say %q", c.field, got, c.text)
			}
		})
	}
	if n := e.countApps(t, o.ID); n != 0 {
		t.Fatalf("%d applications stored after refused forms", n)
	}
}

// Empty lines are dropped, a complete form is stored sealed (no address or family name in any
// plain column), and both the owner and the reviewer get it back; only the reviewer gets the
// birth date, which the ID number gives.
func TestApply_ProfileStoredSealedAndShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := formBorn(t, "1996-03-15")
	f.Phone2 = "13706281234"
	f.Resume = append(f.Resume, recruitment.ResumeRow{})
	f.Family = append([]recruitment.FamilyRow{{}}, f.Family...)
	v := e.apply(t, e.applicant, o.ID, f)
	if v.Profile == nil || len(v.Profile.Resume) != 2 || len(v.Profile.Family) != 1 || v.Profile.Phone2 != "13706281234" {
		t.Fatalf("owner's view profile %+v", v.Profile)
	}
	if v.Gender != "男" && v.Gender != "女" || v.BirthDate != "" {
		t.Errorf("owner's view gender %q birth %q", v.Gender, v.BirthDate)
	}
	plain, _ := json.Marshal(e.row(t, v.ID))
	for _, s := range []string{"叠石桥", "王建国", "13962800001", "汉族", "群众"} {
		if strings.Contains(string(plain), s) {
			t.Errorf("%s is stored in plain text", s)
		}
	}
	full, err := e.svc.AdminApplication(e.ctx, e.district, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.BirthDate != "1996-03-15" || full.Profile == nil || full.Profile.Address != f.Address || full.Profile.Family[0].Name != "王建国" {
		t.Errorf("reviewer's view: birth %q profile %+v", full.BirthDate, full.Profile)
	}
	// A sealed profile copied into another row does not open there.
	w := e.apply(t, e.otherApplicant, o.ID, form(t))
	row := e.row(t, v.ID)
	if err := e.store.SetApplicationProfile(e.ctx, w.ID, row.ProfileCipher); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AdminApplication(e.ctx, e.district, w.ID); err == nil {
		t.Error("a profile moved between rows opened")
	}
}

// The live check shows 性别 and 出生日期 from the ID number, and checks what profile fields
// are given without asking for the missing ones.
func TestCheckEligibility_GenderFromIDAndPartialProfile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := formBorn(t, "1996-03-15")
	f.Profile = recruitment.Profile{}
	res, err := e.svc.CheckEligibility(e.ctx, o.ID, f)
	if err != nil {
		t.Fatal(err)
	}
	male := (f.IDNumber[16]-'0')%2 == 1
	if want := map[bool]string{true: "男", false: "女"}[male]; res.Gender != want || res.BirthDate.String() != "1996-03-15" {
		t.Errorf("gender %q birth %s, want %s 1996-03-15", res.Gender, res.BirthDate, want)
	}
	f.Graduated = "2030-01"
	_, err = e.svc.CheckEligibility(e.ctx, o.ID, f)
	wantCode(t, err, models.ErrInvalid, "invalid_input")
	wantField(t, err, "graduated")
}
