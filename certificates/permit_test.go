package certificates

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func renderPermit(t testing.TB, p Permit) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderPermit(&b, p); err != nil {
		t.Fatalf("RenderPermit: %v", err)
	}
	return b.Bytes()
}

// Rule T-2: the district's uniform work permit, with real text for every field.
func TestPermit_T2_TextExtracts(t *testing.T) {
	for _, name := range []string{"王喆", "李堃", "张玥", "陈昇", "刘珺", "赵龑"} {
		t.Run(name, func(t *testing.T) {
			p := samplePermit(t, name)
			text := pdfText(t, renderPermit(t, p))
			for _, want := range []string{PermitTitle, p.Name, p.IDMasked, p.Town, p.Post, p.PermitNo,
				"2026年12月20日", "2027年12月19日"} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
				}
			}
		})
	}
}

// The verification URL on a card-sized QR code (19 mm) still scans at 200 dpi, a signed URL
// of 130 characters included.
func TestPermit_T2_QRDecodes(t *testing.T) {
	for _, url := range []string{
		"https://aux.haimen.example/v/HM2026-00042",
		"https://aux.haimen.example/v/HM2026-00042?sig=" + strings.Repeat("Q2xhdWRlIHNpZ25z", 6)[:86],
	} {
		t.Run(fmt.Sprint(len(url)), func(t *testing.T) {
			p := samplePermit(t, "王喆")
			p.QRText = url
			got := scanQR(t, renderPermit(t, p))
			if len(got) != 1 || got[0] != url {
				t.Errorf("decoded %q, want %q", got, url)
			}
		})
	}
}

func TestPermit_T2_Refused(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Permit)
		want   error
	}{
		{"no name", func(p *Permit) { p.Name = "" }, ErrInvalid},
		{"no permit number", func(p *Permit) { p.PermitNo = "" }, ErrInvalid},
		{"no verification URL", func(p *Permit) { p.QRText = "" }, ErrInvalid},
		{"no issue date", func(p *Permit) { p.Issued = time.Time{} }, ErrInvalid},
		{"valid until before issue", func(p *Permit) { p.ValidUntil = p.Issued.AddDate(0, 0, -1) }, ErrInvalid},
		{"post too long for the card", func(p *Permit) { p.Post = strings.Repeat("市容巡查", 10) }, ErrInvalid},
		{"town the font lacks", func(p *Permit) { p.Town = "𠀀镇" }, ErrGlyphMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := samplePermit(t, "王喆")
			tt.change(&p)
			var b bytes.Buffer
			if err := RenderPermit(&b, p); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("%d bytes written despite the error", b.Len())
			}
		})
	}
}

// Bulk issue: ten cards to an A4 sheet, one font for the whole run.
func TestPermits_T2_Sheets(t *testing.T) {
	ps := make([]Permit, 23)
	for i := range ps {
		ps[i] = samplePermit(t, "王喆")
		ps[i].PermitNo = fmt.Sprintf("HM2026-%05d", i+1)
	}
	var b bytes.Buffer
	if err := RenderPermits(&b, ps); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b.Bytes(), []byte("/FontFile2")); n != 1 {
		t.Errorf("font embedded %d times, want once", n)
	}
	if got := pdfPages(t, b.Bytes()); got != "3" {
		t.Errorf("23 permits on %s pages, want 3", got)
	}
	text := pdfText(t, b.Bytes())
	for _, p := range ps {
		if !strings.Contains(text, p.PermitNo) {
			t.Errorf("permit %s missing", p.PermitNo)
		}
	}
}
