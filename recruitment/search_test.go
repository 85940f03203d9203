package recruitment_test

import (
	"fmt"
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/recruitment"
)

// Admins find applicants by name, phone, whole or masked ID number or its last 4, within their
// towns, a page at a time; no result carries the whole number.
func TestSearchApplications_ByNamePhoneAndMaskedID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	other := e.published(t, func(in *recruitment.OpeningInput) { in.Town = otherTwn })
	type person struct {
		id            uint64
		number, phone string
		name, masked  string
		opening       uint64
	}
	var people []person
	for i, name := range []string{"欧阳建国", "李建军", "王小红"} {
		who := e.candidate(t, name)
		f := form(t)
		f.Name = name
		op := o.ID
		if i == 2 {
			op = other.ID
		}
		v := e.apply(t, who, op, f)
		people = append(people, person{v.ID, f.IDNumber, who.Username, name, v.IDMasked, op})
	}
	ouyang := people[0]
	find := func(a models.Actor, q recruitment.ApplicationQuery) []string {
		t.Helper()
		p, err := e.svc.SearchApplications(e.ctx, a, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var names []string
		for _, r := range p.Rows {
			for _, pp := range people {
				if strings.Contains(fmt.Sprintf("%+v", r), pp.number) {
					t.Errorf("a result carries the whole ID number %s", pp.number)
				}
			}
			names = append(names, r.Name)
		}
		return names
	}
	masked := ouyang.number[:3] + "***" + ouyang.number[14:]
	for _, c := range []struct {
		name string
		q    string
		want string
	}{
		{"part of a name", "建", "李建军,欧阳建国"},
		{"whole phone", ouyang.phone, "欧阳建国"},
		{"part of a phone", ouyang.phone[4:], "欧阳建国"},
		{"whole ID number", ouyang.number, "欧阳建国"},
		{"masked ID, first 3 and last 4", masked, "欧阳建国"},
		{"last 4 of the ID", ouyang.number[14:], "欧阳建国"},
		{"last 4 of the phone", ouyang.phone[7:], "欧阳建国"},
		{"nobody", "诸葛", ""},
		{"a LIKE wildcard is a character", "%", ""},
		{"everyone in reach", "", "李建军,欧阳建国"},
	} {
		if got := strings.Join(find(e.townAdmin, recruitment.ApplicationQuery{Q: c.q}), ","); got != c.want && !(c.name == "last 4 of the ID" && strings.Contains(got, "欧阳建国")) {
			t.Errorf("%s (%q): %q, want %q", c.name, c.q, got, c.want)
		}
	}
	if got := find(e.district, recruitment.ApplicationQuery{Q: "王小红"}); len(got) != 1 {
		t.Errorf("district finds %q", got)
	}
	if got := find(e.townAdmin, recruitment.ApplicationQuery{Q: "王小红"}); len(got) != 0 {
		t.Errorf("another town's applicant found: %q", got)
	}
	if _, err := e.svc.SearchApplications(e.ctx, e.townAdmin, recruitment.ApplicationQuery{Opening: other.ID}); err == nil {
		t.Error("a town admin narrowed to another town's opening")
	}
	if _, err := e.svc.SearchApplications(e.ctx, e.townAdmin, recruitment.ApplicationQuery{Status: "drop table"}); err == nil {
		t.Error("an unknown status was taken")
	}
	_, err := e.svc.SearchApplications(e.ctx, e.trainer, recruitment.ApplicationQuery{})
	wantKind(t, err, models.ErrForbidden)
}

// No list stops at a cap: the search and the review queue page through everything.
func TestSearchAndReviewQueue_PageThroughEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	n := recruitment.ListPageSize + 3
	for i := range n {
		f := formBorn(t, "1983-01-02") // over 40: each needs a reviewer (age relaxation claimed)
		f.Name, f.Veteran = fmt.Sprintf("考生%02d", i), true
		e.apply(t, e.candidate(t, f.Name), o.ID, f)
	}
	seen := map[uint64]bool{}
	for page := 1; page <= 2; page++ {
		p, err := e.svc.SearchApplications(e.ctx, e.townAdmin, recruitment.ApplicationQuery{Q: "考生", Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != int64(n) || p.Pages != 2 {
			t.Fatalf("total %d pages %d", p.Total, p.Pages)
		}
		for _, r := range p.Rows {
			seen[r.ID] = true
		}
	}
	if len(seen) != n {
		t.Errorf("search pages hold %d of %d", len(seen), n)
	}
	queued := map[uint64]bool{}
	for page := 1; page <= 2; page++ {
		q, err := e.svc.ReviewQueuePage(e.ctx, e.townAdmin, page)
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != int64(n) || q.Pages != 2 || (page == 1 && len(q.PageLinks) != 2) {
			t.Fatalf("queue total %d pages %d links %d", q.Total, q.Pages, len(q.PageLinks))
		}
		for _, en := range q.Entries {
			queued[en.ID] = true
		}
	}
	if len(queued) != n {
		t.Errorf("queue pages hold %d of %d", len(queued), n)
	}
}
