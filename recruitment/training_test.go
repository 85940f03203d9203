package recruitment_test

import (
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
)

// Rules T-1, T-3: a proposed hire who passes the unified training is hired; one who fails is
// not, whatever their rank, and the seat is refilled from the ranking (递补); with the opening's
// makeup option a first failure leaves them proposed for one more sitting.
func TestTrainingResult_T1_T3_HiringGate(t *testing.T) {
	t.Parallel()
	for _, makeup := range []bool{false, true} {
		name := "no makeup"
		if makeup {
			name = "one makeup allowed"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			o := e.published(t, func(in *recruitment.OpeningInput) { in.Seats = 2; in.MakeupAllowed = makeup })
			if o.MakeupAllowed != makeup {
				t.Fatalf("makeup %v", o.MakeupAllowed)
			}
			ids := e.applyAll(t, o.ID, person{name: "考生甲"}, person{name: "考生乙"}, person{name: "考生丙"})
			e.clock.Set(afterClose)
			e.score(t, o.ID, map[uint64]string{ids["考生甲"]: "90", ids["考生乙"]: "85", ids["考生丙"]: "80"})
			if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
				t.Fatal(err)
			}
			if g := e.training(t, ids["考生甲"], true); g != recruitment.GateHired {
				t.Errorf("pass: gate %q", g)
			}
			if a := e.row(t, ids["考生甲"]); a.Status != models.AppHired || a.HiredAt == nil {
				t.Errorf("after passing: %s %v", a.Status, a.HiredAt)
			}
			g := e.training(t, ids["考生乙"], false)
			if makeup {
				if g != recruitment.GateMakeup || e.row(t, ids["考生乙"]).Status != models.AppProposed {
					t.Fatalf("first failure with makeup: gate %q status %s", g, e.row(t, ids["考生乙"]).Status)
				}
				v, _ := e.svc.ApplicationFor(e.ctx, e.district, ids["考生乙"])
				if !strings.Contains(v.Events[len(v.Events)-1].Message, "补考") {
					t.Errorf("timeline %+v", v.Events)
				}
				g = e.training(t, ids["考生乙"], false) // the makeup failed too
			}
			if g != recruitment.GateNotHired || e.row(t, ids["考生乙"]).Status != models.AppNotHired {
				t.Fatalf("failure: gate %q status %s", g, e.row(t, ids["考生乙"]).Status)
			}
			// The freed seat goes to the next ranked candidate when the admin refills it; the
			// hired one keeps theirs.
			rk, _ := e.svc.Ranking(e.ctx, e.district, o.ID)
			if rk.Hired != 1 || rk.Proposed != 0 || !rk.CanPropose {
				t.Fatalf("after the failure: hired %d proposed %d blockers %v", rk.Hired, rk.Proposed, rk.Blockers)
			}
			for _, row := range rk.Rows {
				if row.Application.Name == "考生乙" {
					t.Errorf("the candidate who failed the training is still ranked: %+v", row)
				}
			}
			if _, err := e.svc.Propose(e.ctx, e.district, o.ID); err != nil {
				t.Fatal(err)
			}
			if st := e.row(t, ids["考生丙"]).Status; st != models.AppProposed {
				t.Errorf("the next ranked is %s, want proposed (递补)", st)
			}
			// A result for someone no longer proposed changes nothing.
			if g := e.training(t, ids["考生乙"], true); g != "" || e.row(t, ids["考生乙"]).Status != models.AppNotHired {
				t.Errorf("a late pass revived a candidate who was not hired: gate %q", g)
			}
			if n := len(e.audit(t, "application.training_"+recruitment.GateNotHired)); n != 1 {
				t.Errorf("%d not-hired audit entries", n)
			}
		})
	}
}
