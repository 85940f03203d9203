// Package pdftest reads PDFs the way the tests must check them: their text through poppler's
// pdftotext, their page count through pdfinfo, and their QR codes through pdftoppm + zbarimg
// (Debian's poppler-utils and zbar-tools, installed by .ci/run). For tests only.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// NeedTool returns the path of an external program a test needs. Without it the test skips,
// except under CI (CI non-empty), where a silent skip would hide a broken setup.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found: apt-get install poppler-utils zbar-tools"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Write saves a PDF in the test's temporary directory and returns its path.
func Write(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Text is pdftotext -layout's reading of the PDF: what a search or a screen reader gets.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	tool := NeedTool(t, "pdftotext")
	out, err := exec.Command(tool, "-layout", Write(t, pdf), "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// Pages is the page count pdfinfo reports.
func Pages(t testing.TB, pdf []byte) string {
	t.Helper()
	tool := NeedTool(t, "pdfinfo")
	out, err := exec.Command(tool, Write(t, pdf)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("pdfinfo printed no page count:\n%s", out)
	return ""
}

// ScanQR rasterises page 1 at 200 dpi, as a phone camera would see a print, and returns every
// QR code zbarimg decodes on it.
func ScanQR(t testing.TB, pdf []byte) []string {
	t.Helper()
	return ScanQRPage(t, pdf, 1)
}

// ScanQRPage is ScanQR for another page.
func ScanQRPage(t testing.TB, pdf []byte, page int) []string {
	t.Helper()
	ppm, zbar := NeedTool(t, "pdftoppm"), NeedTool(t, "zbarimg")
	prefix := filepath.Join(t.TempDir(), "page")
	n := strconv.Itoa(page)
	if out, err := exec.Command(ppm, "-r", "200", "-png", "-f", n, "-l", n, "-singlefile", Write(t, pdf), prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(zbar, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code on page %d: %v", page, err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}
