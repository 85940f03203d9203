package recruitment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/screening"
)

// appFormTitle heads every printed 报名表.
const appFormTitle = "南通市海门区城市管理辅助人员招聘报名表"

// ApplicationFormPDF is the printable 报名表 of an application: the applicant's own copy, or,
// for an admin of its town, the reviewer's copy with the whole ID number and the birth date.
// The applicant's copy follows the personal-data rules of DESIGN.md as the pages do: the
// masked number and no birth date beside it (together they give the number back).
func (s *Service) ApplicationFormPDF(ctx context.Context, actor models.Actor, id uint64) ([]byte, string, error) {
	var v *ApplicationView
	var err error
	reviewer := actor.IsAdmin()
	if reviewer {
		v, err = s.AdminApplication(ctx, actor, id)
	} else {
		v, err = s.ApplicationFor(ctx, actor, id)
	}
	if err != nil {
		return nil, "", err
	}
	app, err := s.store.ApplicationByID(ctx, id) // the phone and the declarations
	if err != nil {
		return nil, "", err
	}
	f := certificates.AppForm{
		Title: appFormTitle, Opening: v.Town + " · " + v.OpeningTitle, ApplicationNo: fmt.Sprint(v.ID),
		Submitted: clock.FormatChina(v.SubmittedAt), Name: v.Name, Gender: v.Gender,
		IDNumber: v.IDMasked, Birth: "以身份证为准", Phone: app.Phone,
		Education: v.EducationText, Major: v.Major, Claims: claimsLine(v),
		Copy: "本人留存：身份证号码已隐去中间部分，资格审查时出示身份证原件核对。",
	}
	if reviewer {
		f.IDNumber, f.Copy = v.IDNumber, "资格审查用（含完整身份证号码，注意保密）"
		if b, err := screening.ParseDate(v.BirthDate); err == nil {
			f.Birth = b.Chinese()
		}
	}
	if p := v.Profile; p != nil {
		f.Ethnicity, f.Political, f.School, f.Graduated = p.Ethnicity, p.Political, p.School, ChineseYearMonth(p.Graduated)
		f.Hukou, f.Address, f.Phone2 = p.Hukou, p.Address, p.Phone2
		f.Emergency = fmt.Sprintf("%s（%s） %s", p.EmergencyName, p.EmergencyRelation, p.EmergencyPhone)
		for _, r := range p.Resume {
			to := "至今"
			if r.To != "" {
				to = ChineseYearMonth(r.To)
			}
			f.Resume = append(f.Resume, certificates.AppFormLine{ChineseYearMonth(r.From) + "—" + to, r.Org, r.Role})
		}
		for _, r := range p.Family {
			f.Family = append(f.Family, certificates.AppFormLine{r.Relation, r.Name, r.Work})
		}
	}
	f.Declarations = declarations(app)
	for i := len(v.Files) - 1; i >= 0; i-- {
		if v.Files[i].Kind == FilePhoto {
			if u, err := s.store.UploadByID(ctx, v.Files[i].ID); err == nil {
				f.Photo = u.Data
			}
			break
		}
	}
	var b bytes.Buffer
	if err := certificates.RenderAppForm(&b, f); err != nil {
		if errors.Is(err, certificates.ErrGlyphMissing) || errors.Is(err, certificates.ErrInvalid) {
			return nil, "", models.Invalid("application_form_unprintable", "报名表无法生成：%s", err.Error())
		}
		return nil, "", err
	}
	return b.Bytes(), fmt.Sprintf("报名表-%d.pdf", v.ID), nil
}

// claimsLine is the 身份情况 cell: each claim of the form, answered.
func claimsLine(v *ApplicationView) string {
	parts := []string{"退役军人：" + yesNo(v.Veteran), "中共党员：" + yesNo(v.Party),
		"曾从事城市管理辅助工作：" + yesNo(v.FormerAux), "见义勇为积极分子：" + yesNo(v.Heroic)}
	if v.FormerAux && v.FormerAuxEnd != "" {
		parts[2] += "（" + v.FormerAuxEnd + " 结束）"
	}
	return strings.Join(parts, "；")
}

// declarations are the promises of rules A2-1 and A2-5 and the answers to A2-6 as the applicant
// gave them, and the truthfulness promise every 报名表 ends with.
func declarations(a *models.Application) []string {
	out := []string{}
	if a.Accepts {
		out = append(out, "一、本人拥护中国共产党的领导，遵守法律法规，品行端正，自愿从事城市管理辅助工作（附件2第一条）。")
	}
	if a.Healthy {
		out = append(out, "二、本人具备正常履行职责的身体条件，同意录用前参加体检（附件2第五条）。")
	}
	var bars []string
	for _, b := range []struct {
		on    bool
		label string
	}{
		{a.Discipline, "尚未解除纪律处分或者正在接受纪律审查"}, {a.Criminal, "刑事处罚期限未满"},
		{a.Investig, "涉嫌违法犯罪正在接受调查"}, {a.OtherBar, "其他不适合从事岗位工作或法律规定不得报考的情形"},
	} {
		if b.on {
			bars = append(bars, b.label)
		}
	}
	if len(bars) == 0 {
		out = append(out, "三、本人不存在附件2第六条所列不得报考的情形。")
	} else {
		out = append(out, "三、本人申报存在以下情形："+strings.Join(bars, "；")+"。")
	}
	return append(out, "本人承诺以上所填信息及所提交材料真实、准确、完整，如有虚假或隐瞒，自愿取消报名及录用资格，并承担相应责任。")
}
