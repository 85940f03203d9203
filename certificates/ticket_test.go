package certificates

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func renderTicket(t testing.TB, tk Ticket) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderTicket(&b, tk); err != nil {
		t.Fatalf("RenderTicket: %v", err)
	}
	return b.Bytes()
}

// Rule T-1: the unified exam's admission ticket carries real Chinese text, so what is printed
// is what a search, a copy or a screen reader gets, rare name characters included.
func TestTicket_T1_TextExtracts(t *testing.T) {
	for _, name := range []string{"王喆", "李堃", "张玥", "陈昇", "刘珺", "赵龑", "欧阳玥昇"} {
		t.Run(name, func(t *testing.T) {
			tk := sampleTicket(t, name)
			text := pdfText(t, renderTicket(t, tk))
			for _, want := range []string{tk.Title, tk.Name, tk.TicketNo, tk.Venue, tk.IDMasked, tk.Seat,
				"2026年12月5日 09:00–10:30", "准 考 证", "考 场 规 则", "1．考生须凭本准考证"} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
				}
			}
			if strings.Contains(text, "照片") {
				t.Error("a ticket with a photo shows the empty 照片 frame")
			}
		})
	}
}

// The QR code survives printing at 200 dpi, a short check-in link and a 200-character one alike.
func TestTicket_T1_QRDecodes(t *testing.T) {
	long := "https://aux.haimen.example/checkin?ticket=HM20261205-0137&sitting=2026-2&sig=" +
		strings.Repeat("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_", 4)
	long = long[:200]
	for _, text := range []string{"https://aux.haimen.example/t/HM20261205-0137", long, "HM20261205-0137"} {
		t.Run(strconv.Itoa(len(text)), func(t *testing.T) {
			tk := sampleTicket(t, "王喆")
			tk.QRText = text
			got := scanQR(t, renderTicket(t, tk))
			if len(got) != 1 || got[0] != text {
				t.Errorf("decoded %q, want %q", got, text)
			}
		})
	}
}

func TestTicket_T1_Refused(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Ticket)
	}{
		{"no name", func(tk *Ticket) { tk.Name = " " }},
		{"no ticket number", func(tk *Ticket) { tk.TicketNo = "" }},
		{"no title", func(tk *Ticket) { tk.Title = "" }},
		{"no start", func(tk *Ticket) { tk.Start = time.Time{} }},
		{"end before start", func(tk *Ticket) { tk.End = tk.Start.Add(-time.Minute) }},
		{"venue too long", func(tk *Ticket) { tk.Venue = strings.Repeat("海门区城市管理局培训中心", 12) }},
		{"rules too long", func(tk *Ticket) {
			for range 4 {
				tk.Notes = append(tk.Notes, tk.Notes...)
			}
		}},
		{"QR text beyond a QR code's capacity", func(tk *Ticket) { tk.QRText = strings.Repeat("x", 3000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := sampleTicket(t, "王喆")
			tt.change(&tk)
			var b bytes.Buffer
			err := RenderTicket(&b, tk)
			if err == nil {
				t.Fatal("rendered, want an error")
			}
			if !errors.Is(err, ErrInvalid) && !strings.Contains(err.Error(), "QR") {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
			if b.Len() != 0 {
				t.Errorf("%d bytes written despite the error", b.Len())
			}
		})
	}
	var b bytes.Buffer
	if err := RenderTickets(&b, nil); !errors.Is(err, ErrInvalid) || b.Len() != 0 {
		t.Errorf("RenderTickets(nil) = %v, %d bytes; want ErrInvalid and nothing", err, b.Len())
	}
}

// A ticket in a batch that cannot be printed is named in the error, by position and number.
func TestTickets_T1_ErrorNamesTheTicket(t *testing.T) {
	ts := []Ticket{sampleTicket(t, "王喆"), sampleTicket(t, "张𠀀")}
	ts[1].TicketNo = "HM-0002"
	err := RenderTickets(&bytes.Buffer{}, ts)
	if err == nil || !strings.Contains(err.Error(), "第2张准考证（HM-0002）") {
		t.Errorf("err = %v, want it to name the second ticket", err)
	}
}

// A missing or broken photo draws the labelled empty frame, and the ticket still renders.
func TestTicket_T1_PhotoFallback(t *testing.T) {
	good := testPhoto(t, 330, 460)
	tests := []struct {
		name  string
		photo []byte
		frame bool
	}{
		{"photo", good, false},
		{"none", nil, true},
		{"not a JPEG", []byte("GIF89a this is not a photo"), true},
		{"truncated JPEG", good[:len(good)/2], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := sampleTicket(t, "王喆")
			tk.Photo = tt.photo
			pdf := renderTicket(t, tk)
			if got := bytes.Contains(pdf, []byte("/Subtype /Image")); got == tt.frame {
				t.Errorf("image embedded = %v, want %v", got, !tt.frame)
			}
			if got := strings.Contains(pdfText(t, pdf), "照片"); got != tt.frame {
				t.Errorf("照片 frame shown = %v, want %v", got, tt.frame)
			}
		})
	}
}

// A full-size upload (the portal keeps up to 1600 px) is resampled to what the box prints at
// 300 dpi, so a sitting's batch does not carry hundreds of full-size photos.
func TestTicket_PhotoResampled(t *testing.T) {
	tk := sampleTicket(t, "王喆")
	tk.Photo = testPhoto(t, 1200, 1600)
	pdf := renderTicket(t, tk)
	m := regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no image in the PDF")
	}
	w, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	boxW := ticketPhotoW / 25.4 * photoDPI
	maxW := int(boxW) + 1
	if w > maxW || abs(h*3-w*4) > 4 {
		t.Errorf("embedded photo %d×%d, want at most %d wide, 3:4 kept", w, h, maxW)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// 200 tickets in one document: 200 pages, the font parsed and its subset embedded once, so
// the file grows by the pages' content, not by a font per ticket.
func TestTickets_T1_OneDocument(t *testing.T) {
	one := sampleTicket(t, "王喆")
	one.Photo = nil // photos are per ticket by nature; this measures what is shared
	single := renderTicket(t, one)

	ts := make([]Ticket, 200)
	names := []string{"王喆", "李堃", "张玥", "陈昇", "刘珺", "赵龑"}
	for i := range ts {
		ts[i] = one
		ts[i].Name = names[i%len(names)]
		ts[i].TicketNo = fmt.Sprintf("HM20261205-%04d", i+1)
		ts[i].QRText = "https://aux.haimen.example/t/" + ts[i].TicketNo
	}
	var b bytes.Buffer
	if err := RenderTickets(&b, ts); err != nil {
		t.Fatal(err)
	}
	all := b.Bytes()
	if n := bytes.Count(all, []byte("/FontFile2")); n != 1 {
		t.Errorf("font embedded %d times, want once", n)
	}
	// The first ticket carries the font subset (~30 KB); each further one only its page (~4 KB,
	// most of it the QR code's rectangles). 200 separate files would be 200× one ticket.
	perTicket := (len(all) - len(single)) / (len(ts) - 1)
	if perTicket > len(single)/4 {
		t.Errorf("each further ticket adds %d bytes, more than a quarter of one ticket's %d", perTicket, len(single))
	}
	t.Logf("1 ticket: %d bytes; 200 tickets: %d bytes (%.1f×)", len(single), len(all), float64(len(all))/float64(len(single)))
	if got := pdfPages(t, all); got != "200" {
		t.Errorf("pages = %s, want 200", got)
	}
	text := pdfText(t, all)
	for _, i := range []int{0, 99, 199} {
		if !strings.Contains(text, ts[i].TicketNo) {
			t.Errorf("ticket %s missing from the text", ts[i].TicketNo)
		}
	}
}
