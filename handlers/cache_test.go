package handlers

import (
	"fmt"
	"testing"
)

// Threat: a cached copy of personal data. The reviewer's view of an application carries the whole
// ID number; it and every other /api/ answer (errors included) are Cache-Control: no-store, so
// no browser cache or proxy keeps them after the reviewer leaves a shared computer.
func TestAPI_CachedPersonalData_NoStoreOnEveryAnswer(t *testing.T) {
	f := newFixture(t)
	id := f.apply(applicant, f.opening, eligibleForm(f.idNumber("1991-05-06")))
	for _, c := range []struct {
		name   string
		r      role
		method string
		path   string
		status int
	}{
		{"reviewer's view with the whole ID number", district, "GET", fmt.Sprintf("/api/v1/admin/applications/%d", id), 200},
		{"applicant's view", applicant, "GET", fmt.Sprintf("/api/v1/applications/%d", id), 200},
		{"public list", anon, "GET", "/api/v1/openings", 200},
		{"me", applicant, "GET", "/api/v1/me", 200},
		{"not signed in", anon, "GET", "/api/v1/me", 401},
		{"another town's application", otherTown, "GET", fmt.Sprintf("/api/v1/admin/applications/%d", id), 404},
		{"no such route", district, "GET", "/api/v1/nowhere", 404},
		{"ranking export", district, "GET", fmt.Sprintf("/api/v1/openings/%d/ranking.xlsx", f.opening), 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.do(c.r, c.method, c.path, nil)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d", w.Code, c.status)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" && got != "private, no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
		})
	}
}
