package recruitment

import (
	"encoding/json"
	"fmt"

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
		CriminalPenaltyUnfinished: a.Criminal, UnderInvestigation: a.Investig,
		HasHukou: a.HasHukou && !rejected(models.ReviewHukou), HasLicence: a.HasLicence && !rejected(models.ReviewLicence),
	}
	if rejected(models.ReviewUrbanManagement) {
		ap.Major = "" // the urban-management major was not accepted: no R-3 preference from it
	}
	res := screening.Evaluate(cond, ap, ref)
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
