package recruitment

import (
	"encoding/json"
	"fmt"
	"strings"

	"auxportal/models"
	"auxportal/screening"
)

// judged is an application's standing after the human review so far.
type judged struct {
	result   screening.Result
	status   string
	verified map[screening.Preference]bool // preferences whose evidence a reviewer accepted
}

// prefOfItem maps the review items that verify a preference (rule R-3) to that preference.
var prefOfItem = map[string]screening.Preference{
	models.ReviewVeteran:         screening.PrefVeteran,
	models.ReviewUrbanManagement: screening.PrefUrbanManagement,
	models.ReviewHeroic:          screening.PrefHeroic,
}

// judge re-runs screening on an application with every rejected claim taken away, then applies
// the decisions on relaxations: a relaxation (rules A2-3, A2-4) counts only once approved, and
// a rejected one fails its rule with the reviewer's reason. It is pure: the same application and
// items always give the same standing.
func judge(a *models.Application, id screening.ID, items []models.ReviewItem) (judged, error) {
	var cond screening.Conditions
	if err := json.Unmarshal([]byte(a.Conditions), &cond); err != nil {
		return judged{}, fmt.Errorf("application %d conditions: %w", a.ID, err)
	}
	ref, err := screening.ParseDate(a.ReferenceDate)
	if err != nil {
		return judged{}, fmt.Errorf("application %d reference date: %w", a.ID, err)
	}
	byKind := map[string]models.ReviewItem{}
	for _, it := range items {
		byKind[it.Kind] = it
	}
	rejected := func(kind string) bool { return byKind[kind].Status == models.ReviewRejected }
	ap := screening.Applicant{
		ID: id, Education: screening.Education(a.Education), Major: a.Major,
		Veteran: a.Veteran && !rejected(models.ReviewVeteran), FormerAuxStaff: a.FormerAux && !rejected(models.ReviewFormerAux),
		PartyMember: a.Party && !rejected(models.ReviewParty), HeroicHonor: a.Heroic && !rejected(models.ReviewHeroic),
		AcceptsConditions: a.Accepts, Healthy: a.Healthy, UnderDiscipline: a.Discipline,
		CriminalPenaltyUnfinished: a.Criminal, UnderInvestigation: a.Investig, OtherBar: a.OtherBar,
		BarsAnswered: true, // an application is filed only with every A2-6 question answered
		HasHukou:     a.HasHukou && !rejected(models.ReviewHukou), HasLicence: a.HasLicence && !rejected(models.ReviewLicence),
	}
	if rejected(models.ReviewUrbanManagement) {
		ap.Major = "" // the urban-management major was not accepted: no R-3 preference from it
	}
	res := screening.Evaluate(cond, ap, ref)
	explainRejections(&res, cond, ref, a, byKind)
	out := judged{status: statusOf(res.Outcome), verified: map[screening.Preference]bool{}}
	if res.Outcome != screening.Ineligible {
		pending := false
		for i, ch := range res.Checks {
			if ch.Outcome != screening.CheckRelaxed {
				continue
			}
			kind := models.ReviewAgeRelaxation
			if ch.Rule == screening.RuleA2_4 {
				kind = models.ReviewEducationRelaxation
			}
			switch it, ok := byKind[kind]; {
			case ok && it.Status == models.ReviewRejected:
				res.Checks[i].Outcome = screening.CheckFail
				res.Checks[i].Message += "；复核未同意放宽：" + it.Reason
				res.Outcome = screening.Ineligible
			case ok && it.Status == models.ReviewApproved:
				res.Checks[i].Message += "；复核已同意放宽"
			default:
				pending = true
			}
		}
		switch {
		case res.Outcome == screening.Ineligible:
			out.status = models.AppIneligible
		case pending:
			out.status = models.AppPendingReview
			res.Outcome = screening.PendingReview
		default:
			out.status = models.AppEligible
			res.Outcome = screening.Eligible
		}
	}
	out.result = res
	for _, p := range res.Preferences {
		for kind, pp := range prefOfItem {
			if pp == p && byKind[kind].Status == models.ReviewApproved {
				out.verified[p] = true
			}
		}
	}
	return out, nil
}

// rejectedClaims are, for each rule a failed check belongs to, the review items whose rejection
// takes away what the applicant declared for it.
var rejectedClaims = []struct {
	rule, subject string
	kinds         []string
}{
	{screening.RuleA2_2, "", []string{models.ReviewIdentity}},
	{screening.RuleA2_3, "", []string{models.ReviewVeteran, models.ReviewFormerAux}},
	{screening.RuleA2_4, "", []string{models.ReviewParty, models.ReviewVeteran, models.ReviewFormerAux}},
	{screening.RuleR_2, screening.SubjectHukou, []string{models.ReviewHukou}},
	{screening.RuleR_2, screening.SubjectLicence, []string{models.ReviewLicence}},
}

// explainRejections rewrites the message of each check that fails because a reviewer rejected
// what the applicant declared, so it says what really happened ("复核未通过：" and the
// reviewer's reason) rather than that they did not declare it. A rejected identity check
// (rule A2-2) fails the application.
func explainRejections(res *screening.Result, cond screening.Conditions, ref screening.Date, a *models.Application, byKind map[string]models.ReviewItem) {
	for i := range res.Checks {
		ch := &res.Checks[i]
		for _, rc := range rejectedClaims {
			if ch.Rule != rc.rule || ch.Subject != rc.subject {
				continue
			}
			var why []string
			for _, k := range rc.kinds {
				if it := byKind[k]; it.Status == models.ReviewRejected {
					why = append(why, fmt.Sprintf("您声明的%s复核未通过（%s）", ReviewKindLabel(k), it.Reason))
				}
			}
			if len(why) == 0 {
				continue
			}
			reason := strings.Join(why, "；")
			switch ch.Rule {
			case screening.RuleA2_2:
				ch.Outcome, ch.Message = screening.CheckFail, "身份核验未通过："+byKind[models.ReviewIdentity].Reason
			case screening.RuleA2_3:
				if ch.Outcome == screening.CheckFail {
					ch.Message = fmt.Sprintf("按 %s 计算，年龄为%d周岁，超过%d周岁；%s，不能放宽年龄", ref.Chinese(), res.Age, cond.MaxAge, reason)
				}
			case screening.RuleA2_4:
				if ch.Outcome == screening.CheckFail {
					ch.Message = fmt.Sprintf("学历为%s，低于%s及以上的要求；%s，不能放宽学历", screening.Education(a.Education).Label(), cond.MinEducation.Label(), reason)
				}
			case screening.RuleR_2:
				if ch.Outcome == screening.CheckFail {
					ch.Message = "本岗位附加条件：" + reason
				}
			}
		}
	}
	res.Outcome = screening.Eligible
	for _, ch := range res.Checks {
		switch ch.Outcome {
		case screening.CheckFail:
			res.Outcome = screening.Ineligible
		case screening.CheckRelaxed:
			if res.Outcome == screening.Eligible {
				res.Outcome = screening.PendingReview
			}
		}
	}
}
