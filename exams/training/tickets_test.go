package training_test

import (
	"regexp"
	"strings"
	"testing"

	"auxportal/certificates/pdftest"
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
