package recruitment_test

import (
	"fmt"
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
	"auxportal/screening"
)

// person is a candidate for ranking tests: a name and the R-3 preferences claimed.
type person struct {
	name             string
	urban, vet, hero bool
}

// applyAll applies each person (a new account each) to the opening and approves every claim,
// returning the application ids by name.
func (e *env) applyAll(t *testing.T, openingID uint64, ps ...person) map[string]uint64 {
	t.Helper()
	ids := map[string]uint64{}
	for _, p := range ps {
		f := form(t)
		f.Name, f.Veteran, f.HeroicHonor = p.name, p.vet, p.hero
		if p.urban {
			f.Major = "城市管理"
		}
		v := e.apply(t, e.candidate(t, p.name), openingID, f)
		e.approveAll(t, v.ID)
		ids[p.name] = v.ID
	}
	return ids
}

func names(r *recruitment.RankingView) []string {
	var out []string
	for _, row := range r.Rows {
		out = append(out, row.Application.Name)
	}
	return out
}

// Rule R-3: score first; equal scores are ordered by the opening's preference chain (default:
// urban-management graduate, veteran, bravery honour) — the first category that differs decides.
func TestRanking_R3_ScoreThenPreferenceChain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	def := e.published(t, nil)
	custom := e.published(t, func(in *recruitment.OpeningInput) {
		in.PreferenceChain = []string{"heroic_honor", "veteran", "urban_management_graduate"}
	})
	people := []person{
		{name: "无优先"}, {name: "高分"}, {name: "退伍军人", vet: true},
		{name: "城管专业", urban: true}, {name: "见义勇为", hero: true},
	}
	scores := map[string]string{"无优先": "80", "高分": "85.5", "退伍军人": "80", "城管专业": "80.00", "见义勇为": "80"}
	cases := []struct {
		name    string
		opening *recruitment.OpeningView
		want    []string
		steps   []screening.Step
		prefs   []screening.Preference
	}{
		{"default chain", def, []string{"高分", "城管专业", "退伍军人", "见义勇为", "无优先"},
			[]screening.Step{screening.StepScore, screening.StepPreference, screening.StepPreference, screening.StepPreference},
			[]screening.Preference{"", screening.PrefUrbanManagement, screening.PrefVeteran, screening.PrefHeroic}},
		{"custom chain", custom, []string{"高分", "见义勇为", "退伍军人", "城管专业", "无优先"},
			[]screening.Step{screening.StepScore, screening.StepPreference, screening.StepPreference, screening.StepPreference},
			[]screening.Preference{"", screening.PrefHeroic, screening.PrefVeteran, screening.PrefUrbanManagement}},
	}
	ids := map[*recruitment.OpeningView]map[string]uint64{}
	for _, c := range cases {
		ids[c.opening] = e.applyAll(t, c.opening.ID, people...)
	}
	e.clock.Set(afterClose)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := map[uint64]string{}
			for n, id := range ids[c.opening] {
				in[id] = scores[n]
			}
			e.score(t, c.opening.ID, in)
			r, err := e.svc.Ranking(e.ctx, e.townAdmin, c.opening.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(r); strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("order %v, want %v", got, c.want)
			}
			for i, row := range r.Rows {
				if row.Rank != i+1 || row.Tied {
					t.Errorf("row %d: rank %d tied %v", i, row.Rank, row.Tied)
				}
				if i == len(r.Rows)-1 {
					if row.VsNext != nil {
						t.Errorf("last row has a comparison %+v", row.VsNext)
					}
					continue
				}
				if row.VsNext == nil || row.VsNext.Step != c.steps[i] || row.VsNext.Preference != c.prefs[i] || row.VsNext.Message == "" {
					t.Errorf("row %d vs next %+v, want %s %s", i, row.VsNext, c.steps[i], c.prefs[i])
				}
			}
			if r.Rows[0].Score != "85.50" {
				t.Errorf("score shown as %q", r.Rows[0].Score)
			}
			if !r.CanPropose || r.Provisional || len(r.Blockers) != 0 {
				t.Errorf("can propose %v provisional %v blockers %v", r.CanPropose, r.Provisional, r.Blockers)
			}
		})
	}
}

// Rule R-3: candidates equal in score and preferences are a visible tie, never a hidden order;
// an extra test (加试) settles it once every tied candidate has a score for it.
func TestRanking_R3_VisibleTieThenExtraTest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "75", ids["考生乙"]: "75", ids["考生丙"]: "90"})
	r, err := e.svc.Ranking(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rows[0].Application.Name != "考生丙" || r.Rows[0].Tied {
		t.Errorf("top %+v", r.Rows[0])
	}
	for _, row := range r.Rows[1:] {
		if row.Rank != 2 || !row.Tied {
			t.Errorf("row %+v: want tied at rank 2", row)
		}
	}
	if vs := r.Rows[1].VsNext; vs == nil || vs.Step != screening.StepTie {
		t.Errorf("tie comparison %+v", vs)
	}
	// One extra score is not enough: still a visible tie.
	if err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生甲"], ExtraScore: "60"}}); err != nil {
		t.Fatal(err)
	}
	r, _ = e.svc.Ranking(e.ctx, e.district, o.ID)
	if !r.Rows[1].Tied || !r.Rows[2].Tied {
		t.Errorf("partial extra scores broke the tie: %+v", r.Rows)
	}
	if err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生乙"], ExtraScore: "70"}}); err != nil {
		t.Fatal(err)
	}
	r, _ = e.svc.Ranking(e.ctx, e.district, o.ID)
	if got := strings.Join(names(r), ","); got != "考生丙,考生乙,考生甲" {
		t.Errorf("order %s", got)
	}
	if r.Rows[1].Tied || r.Rows[2].Rank != 3 || r.Rows[1].VsNext.Step != screening.StepExtraTest || r.Rows[1].ExtraScore != "70.00" {
		t.Errorf("after the extra test: %+v", r.Rows[1:])
	}
}

func TestSetScores_Validation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	other := e.published(t, func(in *recruitment.OpeningInput) { in.Title = "另一个岗位" })
	draft, err := e.svc.CreateOpening(e.ctx, e.district, openingInput())
	if err != nil {
		t.Fatal(err)
	}
	ok := e.apply(t, e.applicant, o.ID, form(t)).ID
	pending := e.veteran43(t, e.otherApplicant, o.ID).ID
	f := formBorn(t, born46)
	ineligible := e.apply(t, e.candidate(t, "超龄考生"), o.ID, f).ID
	elsewhere := e.apply(t, e.candidate(t, "别处考生"), other.ID, form(t)).ID

	cases := []struct {
		name  string
		in    []recruitment.ScoreInput
		field string
	}{
		{"not a number", []recruitment.ScoreInput{{ApplicationID: ok, Score: "八十"}}, fmt.Sprintf("score_%d", ok)},
		{"negative", []recruitment.ScoreInput{{ApplicationID: ok, Score: "-1"}}, fmt.Sprintf("score_%d", ok)},
		{"three decimals", []recruitment.ScoreInput{{ApplicationID: ok, Score: "85.555"}}, fmt.Sprintf("score_%d", ok)},
		{"too high", []recruitment.ScoreInput{{ApplicationID: ok, Score: "1000.01"}}, fmt.Sprintf("score_%d", ok)},
		{"bad extra score", []recruitment.ScoreInput{{ApplicationID: ok, ExtraScore: "1e2"}}, fmt.Sprintf("extra_%d", ok)},
		{"pending review", []recruitment.ScoreInput{{ApplicationID: pending, Score: "80"}}, fmt.Sprintf("score_%d", pending)},
		{"ineligible", []recruitment.ScoreInput{{ApplicationID: ineligible, Score: "80"}}, fmt.Sprintf("score_%d", ineligible)},
		{"another opening's application", []recruitment.ScoreInput{{ApplicationID: elsewhere, Score: "80"}}, fmt.Sprintf("score_%d", elsewhere)},
		{"missing application", []recruitment.ScoreInput{{ApplicationID: 999999, Score: "80"}}, "score_999999"},
		{"one bad spoils all", []recruitment.ScoreInput{{ApplicationID: ok, Score: "88"}, {ApplicationID: pending, Score: "80"}}, fmt.Sprintf("score_%d", pending)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantField(t, e.svc.SetScores(e.ctx, e.district, o.ID, c.in), c.field)
			if got := e.row(t, ok); got.Score != nil {
				t.Fatalf("a refused batch stored a score %d", *got.Score)
			}
		})
	}
	wantCode(t, e.svc.SetScores(e.ctx, e.district, o.ID, nil), models.ErrInvalid, "no_scores")
	wantCode(t, e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ok}}), models.ErrInvalid, "no_scores")
	wantCode(t, e.svc.SetScores(e.ctx, e.district, draft.ID, []recruitment.ScoreInput{{ApplicationID: ok, Score: "80"}}), models.ErrConflict, "not_published")
	wantKind(t, e.svc.SetScores(e.ctx, e.otherTownAdmin, o.ID, []recruitment.ScoreInput{{ApplicationID: ok, Score: "80"}}), models.ErrNotFound)
	wantKind(t, e.svc.SetScores(e.ctx, e.trainer, o.ID, []recruitment.ScoreInput{{ApplicationID: ok, Score: "80"}}), models.ErrForbidden)

	if err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{{ApplicationID: ok, Score: " 85.5 "}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetScores(e.ctx, e.townAdmin, o.ID, []recruitment.ScoreInput{{ApplicationID: ok, Score: "86"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.row(t, ok); got.Score == nil || *got.Score != 8600 || got.ScoredBy == nil || *got.ScoredBy != e.townAdmin.UserID {
		t.Errorf("stored score %v by %v", got.Score, got.ScoredBy)
	}
	es := e.audit(t, "score.set")
	if len(es) != 2 || !strings.Contains(es[0].Detail, `"old_score":"85.50"`) || !strings.Contains(es[0].Detail, `"score":"86.00"`) {
		t.Errorf("audit %+v", es)
	}
	// 成绩查询 opens with the release (the proposals): before it the applicant sees no score,
	// the reviewer does.
	if v, _ := e.svc.ApplicationFor(e.ctx, e.applicant, ok); v.Score != "" || v.Results != nil {
		t.Errorf("applicant sees score %q %+v before the release", v.Score, v.Results)
	}
	if v, _ := e.svc.AdminApplication(e.ctx, e.district, ok); v.Score != "86.00" {
		t.Errorf("reviewer sees score %q", v.Score)
	}
}

// Proposals (拟录用) wait until the deadline has passed, every review is decided and every
// eligible candidate is scored; then the top `seats` candidates are proposed.
func TestPropose_R3_BlockersThenFillsSeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	vet := e.veteran43(t, e.applicant, o.ID)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "85", ids["考生丙"]: "70"})

	_, err := e.svc.Propose(e.ctx, e.district, o.ID)
	me := wantCode(t, err, models.ErrConflict, "cannot_propose")
	if !strings.Contains(me.Message, "尚未截止") {
		t.Errorf("message %q", me.Message)
	}
	e.clock.Set(afterClose)
	_, err = e.svc.Propose(e.ctx, e.district, o.ID)
	me = wantCode(t, err, models.ErrConflict, "cannot_propose")
	if !strings.Contains(me.Message, "待复核") {
		t.Errorf("pending review: message %q", me.Message)
	}
	if _, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, vet.ID, models.ReviewAgeRelaxation), recruitment.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Propose(e.ctx, e.district, o.ID)
	me = wantCode(t, err, models.ErrConflict, "cannot_propose")
	if !strings.Contains(me.Message, "待核实") || !strings.Contains(me.Message, "未录入成绩") {
		t.Errorf("pending evidence and unscored: message %q", me.Message)
	}
	e.approveAll(t, vet.ID)
	r, _ := e.svc.Ranking(e.ctx, e.district, o.ID)
	if len(r.Unscored) != 1 || r.Unscored[0].ID != vet.ID || r.CanPropose {
		t.Errorf("unscored %+v can propose %v", r.Unscored, r.CanPropose)
	}
	e.score(t, o.ID, map[uint64]string{vet.ID: "60"})
	_, err = e.svc.Propose(e.ctx, e.otherTownAdmin, o.ID)
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.Propose(e.ctx, e.trainer, o.ID)
	wantKind(t, err, models.ErrForbidden)
	if n := len(e.audit(t, "application.propose")); n != 0 {
		t.Fatalf("%d proposals before they were allowed", n)
	}

	r, err = e.svc.Propose(e.ctx, e.townAdmin, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Proposed != 2 || r.CanPropose {
		t.Errorf("proposed %d can propose %v", r.Proposed, r.CanPropose)
	}
	want := map[string]string{"考生甲": models.AppProposed, "考生乙": models.AppProposed, "考生丙": models.AppEligible}
	for n, st := range want {
		if got := e.row(t, ids[n]); got.Status != st || (st == models.AppProposed) != (got.ProposedAt != nil) {
			t.Errorf("%s: %s proposed at %v, want %s", n, got.Status, got.ProposedAt, st)
		}
	}
	if got := e.row(t, vet.ID).Status; got != models.AppEligible {
		t.Errorf("the veteran is %s", got)
	}
	if n := len(e.audit(t, "application.propose")); n != 2 {
		t.Errorf("%d application.propose audit entries, want 2", n)
	}
	_, err = e.svc.Propose(e.ctx, e.district, o.ID)
	wantCode(t, err, models.ErrConflict, "seats_filled")
	// Rule R-1: once proposals are made, no score changes (not even a proposed hire's).
	wantCode(t, e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{{ApplicationID: ids["考生甲"], Score: "10"}}), models.ErrConflict, "scores_frozen")
	// The proposed hire's timeline.
	v, _ := e.svc.AdminApplication(e.ctx, e.district, ids["考生甲"])
	// Proposed: the 公示 (the opening's default of 5 working days) is the stage it waits for.
	if v.Status != models.AppProposed || v.Timeline[4].Label != "拟录用" || v.Timeline[4].State != "done" ||
		v.Timeline[5].Label != "公示" || v.Timeline[5].State != "current" {
		t.Errorf("timeline %+v", v.Timeline)
	}
	// Rules Q-1, T-1: the dashboard shows proposed hires, and counts a hire against the minimum
	// only once they passed the training.
	d, _ := e.svc.Dashboard(e.ctx, e.townAdmin)
	if d.Towns[0].Proposed != 2 || d.Towns[0].Hired != 0 || d.Towns[0].Gap != 110 {
		t.Errorf("dashboard %+v", d.Towns[0])
	}
	e.training(t, ids["考生甲"], true)
	d, _ = e.svc.Dashboard(e.ctx, e.townAdmin)
	if d.Towns[0].Proposed != 1 || d.Towns[0].Hired != 1 || d.Towns[0].Gap != 109 {
		t.Errorf("dashboard after a hire %+v", d.Towns[0])
	}
}

// Rule R-3: a tie across the last seat is never broken silently; those above it are proposed,
// the tied ones wait for an extra test.
func TestPropose_R3_TieAcrossLastSeat(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"}, person{name: "考生丁"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "80", ids["考生丙"]: "80", ids["考生丁"]: "70"})
	_, err := e.svc.Propose(e.ctx, e.district, o.ID)
	me := wantCode(t, err, models.ErrConflict, "tie_at_boundary")
	if !strings.Contains(me.Message, "加试") {
		t.Errorf("message %q", me.Message)
	}
	status := func(n string) string { return e.row(t, ids[n]).Status }
	if status("考生甲") != models.AppProposed || status("考生乙") != models.AppEligible || status("考生丙") != models.AppEligible {
		t.Fatalf("statuses %s %s %s", status("考生甲"), status("考生乙"), status("考生丙"))
	}
	r, _ := e.svc.Ranking(e.ctx, e.district, o.ID)
	if r.Proposed != 1 || !r.Rows[1].Tied || r.Rows[1].WithinSeats || r.Rows[2].WithinSeats {
		t.Errorf("ranking %+v", r.Rows)
	}
	// The extra test settles it.
	if err := e.svc.SetScores(e.ctx, e.district, o.ID, []recruitment.ScoreInput{
		{ApplicationID: ids["考生乙"], ExtraScore: "60"}, {ApplicationID: ids["考生丙"], ExtraScore: "65"}}); err != nil {
		t.Fatal(err)
	}
	r, err = e.svc.Propose(e.ctx, e.district, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Proposed != 2 || status("考生丙") != models.AppProposed || status("考生乙") != models.AppEligible {
		t.Errorf("after the extra test: proposed %d, 丙 %s, 乙 %s", r.Proposed, status("考生丙"), status("考生乙"))
	}
}

// A proposed hire who drops out is replaced by the next ranked candidate (递补), audited.
func TestDropOut_ReplacesWithNextRanked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2 })
	ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
	e.clock.Set(afterClose)
	e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "85", ids["考生丙"]: "80"})
	if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
		t.Fatal(err)
	}

	_, err := e.svc.DropOut(e.ctx, e.district, ids["考生甲"], " ")
	wantField(t, err, "reason")
	_, err = e.svc.DropOut(e.ctx, e.district, ids["考生丙"], "本人放弃")
	wantCode(t, err, models.ErrConflict, "not_proposed")
	_, err = e.svc.DropOut(e.ctx, e.otherTownAdmin, ids["考生甲"], "本人放弃")
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.DropOut(e.ctx, e.trainer, ids["考生甲"], "本人放弃")
	wantKind(t, err, models.ErrForbidden)

	r, err := e.svc.DropOut(e.ctx, e.townAdmin, ids["考生甲"], "已在外地就业，本人书面放弃")
	if err != nil {
		t.Fatal(err)
	}
	status := func(n string) string { return e.row(t, ids[n]).Status }
	if status("考生甲") != models.AppDroppedOut || status("考生乙") != models.AppProposed || status("考生丙") != models.AppProposed {
		t.Errorf("statuses %s %s %s", status("考生甲"), status("考生乙"), status("考生丙"))
	}
	if r.Proposed != 2 || len(r.Rows) != 2 {
		t.Errorf("ranking after drop-out: proposed %d rows %+v", r.Proposed, r.Rows)
	}
	drops := e.audit(t, "application.drop_out")
	if len(drops) != 1 || drops[0].ObjectID != ids["考生甲"] || drops[0].Reason != "已在外地就业，本人书面放弃" {
		t.Errorf("drop-out audit %+v", drops)
	}
	repl := e.audit(t, "application.replace")
	if len(repl) != 1 || repl[0].ObjectID != ids["考生丙"] || !strings.Contains(repl[0].Reason, "递补") || !strings.Contains(repl[0].Reason, "考生甲") {
		t.Errorf("replacement audit %+v", repl)
	}
	v, _ := e.svc.AdminApplication(e.ctx, e.district, ids["考生丙"])
	if ev := v.Events[len(v.Events)-1]; !strings.Contains(ev.Message, "递补") {
		t.Errorf("replacement event %+v", ev)
	}

	// Rule T-1: trainers see every proposed hire of the district; town admins their own town's.
	for name, c := range map[string]struct {
		actor models.Actor
		n     int
	}{"trainer": {e.trainer, 2}, "district": {e.district, 2}, "own town": {e.townAdmin, 2}, "other town": {e.otherTownAdmin, 0}} {
		hires, err := e.svc.ProposedHires(e.ctx, c.actor)
		if err != nil {
			t.Fatal(err)
		}
		if len(hires) != c.n {
			t.Errorf("%s sees %d proposed hires, want %d", name, len(hires), c.n)
		}
		for _, h := range hires {
			if h.Status != models.AppProposed || h.Town != townName {
				t.Errorf("%s sees %+v", name, h)
			}
		}
	}
	_, err = e.svc.ProposedHires(e.ctx, e.applicant)
	wantKind(t, err, models.ErrForbidden)

	// With nobody left to move up, the drop-out still stands and the ranking says why.
	r, err = e.svc.DropOut(e.ctx, e.district, ids["考生乙"], "体检不合格")
	if err != nil {
		t.Fatal(err)
	}
	if status("考生乙") != models.AppDroppedOut || r.Proposed != 1 {
		t.Errorf("second drop-out: %s, proposed %d", status("考生乙"), r.Proposed)
	}
	if !strings.Contains(strings.Join(r.Blockers, "；"), "未能自动递补") {
		t.Errorf("blockers %v", r.Blockers)
	}
}

// Rule R-3 allows a bonus-points policy as an explicit per-opening option: verified preferences
// add their points to the score; equal totals still go down the preference chain; an unverified
// claim adds nothing; without the option preferences never change the order of unequal scores.
func TestRanking_R3_BonusPointsOption(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	plain := e.published(t, nil)
	bonus := e.published(t, func(in *recruitment.OpeningInput) {
		in.BonusPoints = map[string]string{"veteran": "2", "heroic_honor": "1.5"}
	})
	if len(bonus.BonusLines) != 2 || bonus.BonusPoints[screening.PrefVeteran] != "2.00" {
		t.Fatalf("bonus policy not shown: %+v %v", bonus.BonusPoints, bonus.BonusLines)
	}
	if len(plain.BonusLines) != 0 {
		t.Fatalf("an opening without the option shows a bonus policy: %v", plain.BonusLines)
	}
	people := []person{{name: "退伍军人", vet: true}, {name: "高一分"}, {name: "见义勇为", hero: true}}
	for _, tc := range []struct {
		name    string
		opening uint64
		want    []string
		first   string // the first row's comparison
	}{
		{"tie-break only", plain.ID, []string{"高一分", "退伍军人", "见义勇为"}, "成绩 81.00 高于 80.00"},
		{"bonus points", bonus.ID, []string{"退伍军人", "见义勇为", "高一分"}, "总分 82.00 高于 81.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids := e.applyAll(t, tc.opening, people...)
			e.score(t, tc.opening, map[uint64]string{ids["退伍军人"]: "80", ids["高一分"]: "81", ids["见义勇为"]: "80"})
			r, err := e.svc.Ranking(e.ctx, e.district, tc.opening)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(r); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("order %v, want %v", got, tc.want)
			}
			if msg := r.Rows[0].VsNext.Message; msg != tc.first {
				t.Errorf("first comparison %q, want %q", msg, tc.first)
			}
			if tc.opening == bonus.ID && (r.Rows[0].Score != "80.00" || r.Rows[0].Bonus != "2.00" || r.Rows[0].Total != "82.00") {
				t.Errorf("row %+v: want score 80.00, bonus 2.00, total 82.00", r.Rows[0])
			}
		})
	}

	// An unverified claim earns nothing: reject the bravery evidence of a new applicant.
	f := form(t)
	f.Name, f.HeroicHonor = "未核实", true
	v := e.apply(t, e.candidate(t, f.Name), bonus.ID, f)
	if _, err := e.svc.Decide(e.ctx, e.district, e.reviewItem(t, v.ID, models.ReviewHeroic),
		recruitment.Decision{Reason: "证书与本人不符"}); err != nil {
		t.Fatal(err)
	}
	e.score(t, bonus.ID, map[uint64]string{v.ID: "81"})
	r, err := e.svc.Ranking(e.ctx, e.district, bonus.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range r.Rows {
		if row.Application.Name == "未核实" && (row.Bonus != "" || row.Total != "81.00") {
			t.Errorf("a rejected claim earned points: %+v", row)
		}
	}
}

func TestCreateOpening_R3_BonusPointsValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name  string
		bonus map[string]string
		field string
	}{
		{"over 10 points", map[string]string{"veteran": "10.5"}, "bonus_points.veteran"},
		{"zero", map[string]string{"veteran": "0"}, "bonus_points.veteran"},
		{"not a number", map[string]string{"heroic_honor": "两分"}, "bonus_points.heroic_honor"},
		{"unknown preference", map[string]string{"party_member": "2"}, "bonus_points"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := openingInput()
			in.BonusPoints = tc.bonus
			_, err := e.svc.CreateOpening(e.ctx, e.district, in)
			wantField(t, err, tc.field)
		})
	}
}
