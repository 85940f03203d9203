package training_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"auxportal/certificates/pdftest"
	"auxportal/exams/training"
	"auxportal/models"
)

// The admission ticket (准考证) as its candidate downloads it: the text says who, when, where
// and which seat, with the ID number masked; its QR code is the ticket's page for staff at the
// door. Someone else's ticket is not found; the trainer gets every ticket of the sitting in one
// PDF, one page each.
func TestTickets_T1_TextAndQRCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "周建华", "孙丽娜")
	e.sitting(t, o)
	mine, err := e.svc.MyExams(e.ctx, people["周建华"])
	if err != nil || len(mine) != 1 {
		t.Fatalf("my exams %v %v", mine, err)
	}
	ex := mine[0]
	pdf, name, err := e.svc.TicketPDF(e.ctx, people["周建华"], ex.CandidateID)
	if err != nil {
		t.Fatal(err)
	}
	if name != "ticket-"+ex.TicketNo+".pdf" {
		t.Errorf("file name %q", name)
	}
	text := pdftest.Text(t, pdf)
	for _, want := range []string{"准考证", "周建华", ex.TicketNo, ex.Seat, "区城管局三楼考场", "2026年第一期岗前培训考试"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket's text lacks %q:\n%s", want, text)
		}
	}
	// Masked as everywhere (first three, last two); no 18-character ID number anywhere.
	flat := strings.ReplaceAll(text, " ", "")
	if !regexp.MustCompile(`320\*{13}[0-9X]{2}`).MatchString(flat) || regexp.MustCompile(`[0-9]{17}[0-9X]`).MatchString(flat) {
		t.Errorf("the ID number is not masked as 320*************NN:\n%s", text)
	}
	if qr := pdftest.ScanQR(t, pdf); len(qr) != 1 || qr[0] != "https://portal.example/trainer/tickets/"+ex.TicketNo {
		t.Errorf("QR codes %q", qr)
	}
	if _, _, err := e.svc.TicketPDF(e.ctx, people["孙丽娜"], ex.CandidateID); err == nil {
		t.Error("another candidate downloaded the ticket")
	} else {
		wantCode(t, err, models.ErrNotFound, "not_found")
	}

	all, _, err := e.svc.TicketsPDF(e.ctx, e.trainer, ex.SittingID)
	if err != nil {
		t.Fatal(err)
	}
	if n := pdftest.Pages(t, all); n != "2" {
		t.Errorf("the sitting's tickets have %s pages, want 2", n)
	}
	seen := map[string]bool{}
	for _, page := range []int{1, 2} {
		for _, code := range pdftest.ScanQRPage(t, all, page) {
			seen[code] = true
		}
	}
	if len(seen) != 2 || !seen["https://portal.example/trainer/tickets/"+ex.TicketNo] {
		t.Errorf("the sitting's QR codes %v", seen)
	}
	_, _, err = e.svc.TicketsPDF(e.ctx, people["周建华"], ex.SittingID)
	wantKind(t, err, models.ErrForbidden)
}

// A sitting's tickets printed in the background (the page may be closed meanwhile): as one PDF,
// and as a .zip of one PDF per candidate named by ticket number; a name the font cannot print
// is left out and counted as failed, not the whole run. Only those who run exams may start one.
func TestTickets_T1_PrintRunsInTheBackground(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.demoBank(t)
	o, people := e.proposedHires(t, false, "周建华", "孙丽娜", "王𠀾")
	sv := e.sitting(t, o)

	run := func(format string) (name string, data []byte, failed int) {
		t.Helper()
		v, err := e.svc.PrintTickets(e.ctx, e.trainer, training.TicketsInput{SittingID: sv.ID, Format: format})
		if err != nil {
			t.Fatal(err)
		}
		if ran, err := e.jobs.RunOne(e.ctx); err != nil || !ran {
			t.Fatalf("the print job ran %v: %v", ran, err)
		}
		got, err := e.jobs.Get(e.ctx, e.trainer, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		f, err := e.jobs.Result(e.ctx, e.trainer, v.ID)
		if err != nil {
			t.Fatalf("result of %+v: %v", got, err)
		}
		if got.Total != 3 || got.Done != 2 || got.Failed != 1 {
			t.Errorf("%s run's progress %d of %d, %d failed; want 2 of 3, 1 failed", format, got.Done, got.Total, got.Failed)
		}
		return f.Name, f.Data, got.Failed
	}

	name, pdf, _ := run("pdf")
	if name != fmt.Sprintf("tickets-sitting-%d-without-1.pdf", sv.ID) {
		t.Errorf("file name %q", name)
	}
	if n := pdftest.Pages(t, pdf); n != "2" {
		t.Errorf("the sitting's tickets have %s pages, want 2", n)
	}

	name, z, _ := run("zip")
	if !strings.HasSuffix(name, ".zip") {
		t.Errorf("file name %q", name)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	mine, _ := e.svc.MyExams(e.ctx, people["周建华"])
	found := false
	for _, f := range zr.File {
		if !regexp.MustCompile(`^准考证-[0-9]+\.pdf$`).MatchString(f.Name) {
			t.Errorf("zip entry %q", f.Name)
		}
		if f.Name == "准考证-"+mine[0].TicketNo+".pdf" {
			found = true
			rc, _ := f.Open()
			var one bytes.Buffer
			_, _ = one.ReadFrom(rc)
			_ = rc.Close()
			if text := pdftest.Text(t, one.Bytes()); !strings.Contains(text, "周建华") || strings.Contains(text, "孙丽娜") {
				t.Errorf("周建华's ticket in the zip reads:\n%s", text)
			}
		}
	}
	if len(zr.File) != 2 || !found {
		t.Errorf("zip holds %d tickets (周建华's found: %v), want 2", len(zr.File), found)
	}

	_, err = e.svc.PrintTickets(e.ctx, e.trainer, training.TicketsInput{SittingID: sv.ID, Format: "doc"})
	wantCode(t, err, models.ErrInvalid, "invalid_input")
	for _, who := range []models.Actor{people["周建华"], e.townAdmin} {
		_, err = e.svc.PrintTickets(e.ctx, who, training.TicketsInput{SittingID: sv.ID, Format: "zip"})
		wantKind(t, err, models.ErrForbidden)
	}
}
