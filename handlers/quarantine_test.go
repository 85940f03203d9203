package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
)

// A file in quarantine (acknowledged, not yet sanitised) is served by no route: not the file
// route to its owner or the reviewers, not the pages (they say 照片处理中 instead of a link), not
// the admission-ticket and permit photos and PDFs. The worker's run makes it viewable.
func TestQuarantine_NeverServed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.clock.Advance(7 * time.Minute)
	v, err := f.rec.Apply(ctx, f.actors[applicant], f.opening, eligibleForm(f.idNumber("1993-03-03")),
		map[string][]byte{"photo": testJPEG(60, 80), "diploma": testJPEG(80, 60)})
	if err != nil {
		t.Fatal(err)
	}
	var photo string
	for _, fv := range v.Files {
		if fv.Kind == recruitment.FilePhoto {
			photo = fv.ID
		}
	}
	for _, r := range []role{applicant, ownTown, district} {
		w := f.do(r, "GET", "/files/"+photo, nil)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "照片处理中") || bytes.Contains(w.Body.Bytes(), []byte{0xFF, 0xD8, 0xFF}) {
			t.Errorf("GET /files as %s: %d %.200s", r, w.Code, w.Body.String())
		}
	}
	// Anyone the application is not shown to learns nothing of the file, not even its state.
	for _, r := range []role{otherApplicant, otherTown, trainer} {
		if w := f.do(r, "GET", "/files/"+photo, nil); w.Code != http.StatusNotFound {
			t.Errorf("GET /files as %s: %d %.200s, want 404", r, w.Code, w.Body.String())
		}
	}
	w := f.do(applicant, "GET", fmt.Sprintf("/api/v1/applications/%d", v.ID), nil)
	var got recruitment.ApplicationView
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || !got.FilesProcessing || got.Files[0].State != models.UploadQuarantined {
		t.Errorf("API view: %d %v %+v", w.Code, err, got.Files)
	}
	for _, c := range []struct {
		r    role
		path string
	}{{applicant, fmt.Sprintf("/me/applications/%d", v.ID)}, {ownTown, fmt.Sprintf("/admin/applications/%d", v.ID)}} {
		w := f.do(c.r, "GET", c.path, nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "照片处理中") || strings.Contains(w.Body.String(), `href="/files/`+photo) {
			t.Errorf("%s: %d, no 照片处理中 or a link to the file", c.path, w.Code)
		}
	}
	f.drain()
	if w := f.do(applicant, "GET", "/files/"+photo, nil); w.Code != http.StatusOK || !bytes.HasPrefix(w.Body.Bytes(), []byte{0xFF, 0xD8, 0xFF}) {
		t.Errorf("after the worker: %d", w.Code)
	}
	if w := f.do(applicant, "GET", fmt.Sprintf("/me/applications/%d", v.ID), nil); !strings.Contains(w.Body.String(), `href="/files/`+photo) {
		t.Errorf("after the worker the page has no link to the photo")
	}

	// The ticket and the permit print the candidate's photo: put it back into quarantine and
	// neither the photo routes nor the PDFs carry it.
	pa := f.permitApplicants() // on the fixture's first day, as the authorization matrix does
	ex := f.examFixture()
	pf := f.permitFixture(pa)
	live, err := f.exams.Live(ctx, f.actors[trainer], ex.sitting)
	if err != nil || len(live.Rows) != 1 {
		t.Fatalf("live: %v", err)
	}
	ticket := live.Rows[0].TicketNo
	cand, err := f.store.CandidateByID(ctx, ex.candidate)
	if err != nil || cand.PhotoUploadID == "" {
		t.Fatalf("candidate photo: %v", err)
	}
	permit, err := f.store.PermitByNo(ctx, pf.no)
	if err != nil || permit.PhotoUploadID == "" {
		t.Fatalf("permit photo: %v", err)
	}
	withPhoto := f.do(applicant, "GET", fmt.Sprintf("/api/v1/exams/%d/ticket.pdf", ex.candidate), nil)
	if !bytes.Contains(withPhoto.Body.Bytes(), []byte("/Subtype /Image")) {
		t.Fatalf("the ticket PDF has no image to begin with: %d", withPhoto.Code)
	}
	if err := f.store.DB().Model(&models.Upload{}).Where("id IN ?", []string{cand.PhotoUploadID, permit.PhotoUploadID}).
		Updates(map[string]any{"state": models.UploadQuarantined}).Error; err != nil {
		t.Fatal(err)
	}
	if w := f.do(trainer, "GET", "/trainer/tickets/"+ticket+"/photo", nil); w.Code == http.StatusOK {
		t.Errorf("ticket photo served from quarantine")
	}
	if w := f.do(anon, "GET", "/verify/"+pf.no+"/photo?sig="+pf.sig, nil); w.Code == http.StatusOK {
		t.Errorf("permit photo served from quarantine")
	}
	w = f.do(applicant, "GET", fmt.Sprintf("/api/v1/exams/%d/ticket.pdf", ex.candidate), nil)
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte("/Subtype /Image")) {
		t.Errorf("ticket PDF: %d, printed the quarantined photo", w.Code)
	}
}
