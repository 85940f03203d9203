package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"auxportal/recruitment"
)

// Threat: an id the database cannot bind. Ids of 2^63 and above reached the driver, which
// refused them: a 500 and an error in the log for a URL anyone can type. Every malformed or
// impossible id is a plain 404, logged nowhere.
func TestHugeIDs_NotFoundWithoutErrorLog(t *testing.T) {
	f := newFixture(t)
	ids := []string{
		"18446744073709551615",    // 2^64-1, the largest uint64
		"9223372036854775808",     // 2^63
		"9223372036854775807",     // the largest int64: valid, and no such row
		"99999999999999999999999", // beyond uint64
		"0", "-1", "abc", "1.5", "0x10", "%20",
	}
	routes := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/applications/%s", nil},
		{"GET", "/api/v1/openings/%s", nil},
		{"GET", "/api/v1/admin/applications/%s", nil},
		{"GET", "/api/v1/admin/openings/%s", nil},
		{"GET", "/api/v1/openings/%s/ranking", nil},
		{"GET", "/api/v1/towns/%s/filing.xlsx", nil},
		{"POST", "/api/v1/users/%s/disable", nil},
		{"POST", "/api/v1/reviews/%s/decision", recruitment.Decision{Approve: true}},
		{"GET", "/admin/openings/%s", nil},
		{"GET", "/admin/applications/%s", nil},
		{"GET", "/me/applications/%s", nil},
	}
	for _, rt := range routes {
		for _, id := range ids {
			path := fmt.Sprintf(rt.path, id)
			t.Run(rt.method+" "+path, func(t *testing.T) {
				w := f.do(district, rt.method, path, rt.body)
				if w.Code != http.StatusNotFound {
					t.Errorf("status %d, want 404; body %.200s", w.Code, w.Body.String())
				}
			})
		}
	}
	if logs := f.logs.String(); strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "level=WARN") {
		t.Errorf("malformed ids were logged as errors:\n%s", logs)
	}
}
