package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"sync"
	"testing"
)

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 100, 255})
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withEXIF inserts an APP1 segment carrying a marker string after the JPEG SOI.
func withEXIF(data []byte, marker string) []byte {
	payload := append([]byte("Exif\x00\x00"), marker...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	seg = append(seg, payload...)
	out := append([]byte{}, data[:2]...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

func TestSanitize(t *testing.T) {
	var gifBuf bytes.Buffer
	_ = gif.Encode(&gifBuf, testImage(10, 10), nil)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		wantW   int
		wantH   int
	}{
		{"jpeg kept size", encJPEG(t, testImage(300, 400)), nil, 300, 400},
		{"png becomes jpeg", encPNG(t, testImage(50, 20)), nil, 50, 20},
		{"large scaled down", encJPEG(t, testImage(3200, 1600)), nil, 1600, 800},
		{"tall scaled down", encJPEG(t, testImage(800, 2400)), nil, 533, 1600},
		{"empty", nil, ErrNotImage, 0, 0},
		{"text named jpg", []byte("hello, not an image"), ErrNotImage, 0, 0},
		{"html", []byte("<html><script>alert(1)</script></html>"), ErrNotImage, 0, 0},
		{"gif refused", gifBuf.Bytes(), ErrNotImage, 0, 0},
		{"truncated jpeg", encJPEG(t, testImage(100, 100))[:200], ErrNotImage, 0, 0},
		{"too many bytes", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, MaxBytes)...), ErrTooLarge, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Sanitize(tt.data)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != tt.wantW || img.Height != tt.wantH || img.ContentType != "image/jpeg" {
				t.Errorf("got %dx%d %s, want %dx%d image/jpeg", img.Width, img.Height, img.ContentType, tt.wantW, tt.wantH)
			}
			if _, err := jpeg.Decode(bytes.NewReader(img.Data)); err != nil {
				t.Errorf("output is not a JPEG: %v", err)
			}
		})
	}
}

func TestSanitizeDropsEXIF(t *testing.T) {
	in := withEXIF(encJPEG(t, testImage(64, 64)), "GPS-SECRET-31.9N-121.2E")
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("test input invalid: %v", err)
	}
	out, err := Sanitize(in)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out.Data, []byte("GPS-SECRET")) || bytes.Contains(out.Data, []byte("Exif")) {
		t.Error("metadata survived re-encoding")
	}
}

func TestSanitizeRefusesPixelBomb(t *testing.T) {
	// A PNG header claiming 10000x10000 pixels with no real data behind it.
	var b bytes.Buffer
	_ = png.Encode(&b, testImage(1, 1))
	data := b.Bytes()
	// IHDR width/height live at bytes 16..23.
	copy(data[16:24], []byte{0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10})
	if _, err := Sanitize(data); !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrNotImage) {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

// exifWithOrientation builds an APP1 Exif segment whose IFD0 holds only the orientation tag.
func exifWithOrientation(o uint16, bigEndian bool) []byte {
	var t []byte
	if bigEndian {
		t = []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o >> 8), byte(o), 0, 0, 0, 0, 0, 0}
	} else {
		t = []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(o), byte(o >> 8), 0, 0, 0, 0, 0, 0}
	}
	payload := append([]byte("Exif\x00\x00"), t...)
	return append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
}

func TestSanitizeAppliesEXIFOrientation(t *testing.T) {
	// A 40x20 image whose left half is black and right half white.
	src := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			c := color.RGBA{0, 0, 0, 255}
			if x >= 20 {
				c = color.RGBA{255, 255, 255, 255}
			}
			src.Set(x, y, c)
		}
	}
	plain := encJPEG(t, src)
	tests := []struct {
		name      string
		o         uint16
		bigEndian bool
		w, h      int
		brightAt  image.Point // a pixel that must be white after orienting
	}{
		{"none", 1, false, 40, 20, image.Pt(35, 10)},
		{"rotate 180", 3, false, 40, 20, image.Pt(5, 10)},
		{"rotate 90 cw (6), big-endian", 6, true, 20, 40, image.Pt(10, 35)},
		{"rotate 90 ccw (8)", 8, false, 20, 40, image.Pt(10, 5)},
		{"mirror (2)", 2, false, 40, 20, image.Pt(5, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append(append([]byte{0xFF, 0xD8}, exifWithOrientation(tt.o, tt.bigEndian)...), plain[2:]...)
			if got := exifOrientation(in); got != int(tt.o) {
				t.Fatalf("orientation read as %d, want %d", got, tt.o)
			}
			out, err := Sanitize(in)
			if err != nil {
				t.Fatal(err)
			}
			if out.Width != tt.w || out.Height != tt.h {
				t.Fatalf("size %dx%d, want %dx%d", out.Width, out.Height, tt.w, tt.h)
			}
			img, _ := jpeg.Decode(bytes.NewReader(out.Data))
			if r, _, _, _ := img.At(tt.brightAt.X, tt.brightAt.Y).RGBA(); r < 0xC000 {
				t.Errorf("pixel %v is dark; the image was not turned as its EXIF says", tt.brightAt)
			}
		})
	}
	for _, junk := range [][]byte{nil, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE1, 0, 1}, append([]byte{0xFF, 0xD8}, exifWithOrientation(9, false)...)} {
		if got := exifOrientation(junk); got != 1 {
			t.Errorf("exifOrientation(%x) = %d, want 1", junk, got)
		}
	}
}

// FuzzSanitize: whatever bytes arrive, Sanitize returns an image or an error, never panics.
// `go test -fuzz FuzzSanitize ./media/` explores further; plain `go test` runs the seeds.
func FuzzSanitize(f *testing.F) {
	f.Add(encJPEG(f, testImage(16, 16)))
	f.Add(withEXIF(encJPEG(f, testImage(8, 8)), "x"))
	f.Add(append(append([]byte{0xFF, 0xD8}, exifWithOrientation(6, true)...), encJPEG(f, testImage(8, 8))[2:]...))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Sanitize(data)
		if err == nil && (img.Width <= 0 || img.Height <= 0 || len(img.Data) == 0) {
			t.Fatalf("accepted without an image: %+v", img)
		}
		_ = exifOrientation(data)
	})
}

// The decode flood (a security report): a 466 KB progressive JPEG of 6300×6300 pixels takes about
// 1 GB to decode. Inspect refuses it from its header, in microseconds, before any decoding.
func TestInspect_RefusesDecompressionBombsFromTheHeader(t *testing.T) {
	big, err := os.ReadFile("testdata/progressive-6300.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Inspect(6300×6300) = %v, want ErrTooLarge", err)
	}
	if _, err := Sanitize(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Sanitize(6300×6300) = %v, want ErrTooLarge", err)
	}
	mid, err := os.ReadFile("testdata/progressive-3000.jpg")
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(mid)
	if err != nil || !info.Progressive || info.Width != 3000 || info.Height != 3000 {
		t.Fatalf("Inspect(3000×3000 progressive) = %+v, %v", info, err)
	}
	if base, _ := Inspect(encJPEG(t, image.NewGray(image.Rect(0, 0, 3000, 3000)))); base.Progressive || base.DecodeCost() >= info.DecodeCost() {
		t.Errorf("a baseline JPEG costs %d, the progressive one %d", base.DecodeCost(), info.DecodeCost())
	}
}

// A Budget bounds the memory of concurrent decodes, not only their number: with room for two
// progressive 9-megapixel decodes and eight slots, four at once never reserve more than the
// budget, and all of them finish.
func TestBudget_BoundsMemoryNotJustCount(t *testing.T) {
	mid, err := os.ReadFile("testdata/progressive-3000.jpg")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := Inspect(mid)
	b := NewBudget(MaxDecodeCost+info.DecodeCost(), 8)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = b.Sanitize(context.Background(), mid)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	peak, decodes := b.Stats()
	if decodes != 4 || peak > b.Size() || peak < info.DecodeCost() {
		t.Errorf("peak %d of %d, %d decodes", peak, b.Size(), decodes)
	}
	// A waiting decode gives up when its request does.
	full := NewBudget(0, 1)
	full.mu.Lock()
	full.running = 1
	full.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := full.Sanitize(ctx, mid); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}

// scanBomb repeats the last scan of a progressive JPEG until it has n scans: every copy makes
// Go's decoder walk all the image's blocks again.
func scanBomb(t *testing.T, src []byte, n int) []byte {
	t.Helper()
	last := bytes.LastIndex(src, []byte{0xFF, 0xDA})
	eoi := bytes.LastIndex(src, []byte{0xFF, 0xD9})
	if last < 0 || eoi < last {
		t.Fatal("no scan in the fixture")
	}
	have := countScans(src)
	out := append([]byte{}, src[:eoi]...)
	for range n - have {
		out = append(out, src[last:eoi]...)
	}
	return append(out, 0xFF, 0xD9)
}

// The scan bomb (a security report): a progressive JPEG of thousands of scans passes every
// pixel and memory cap and takes half a minute of CPU to decode. Inspect counts the scans from
// the file's structure and refuses more than MaxScans, before any decoding.
func TestInspect_RefusesScanBombs(t *testing.T) {
	mid, err := os.ReadFile("testdata/progressive-3000.jpg")
	if err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(mid)
	if err != nil || info.Scans < 2 || info.Scans > MaxScans {
		t.Fatalf("an ordinary progressive JPEG: %+v %v", info, err)
	}
	if base, _ := Inspect(encJPEG(t, testImage(64, 64))); base.Scans != 1 {
		t.Errorf("a baseline JPEG has %d scans, want 1", base.Scans)
	}
	for _, n := range []int{MaxScans, MaxScans + 1, 5000} {
		b := scanBomb(t, mid, n)
		if got := countScans(b); got != n {
			t.Fatalf("bomb of %d scans counted as %d", n, got)
		}
		_, err := Inspect(b)
		switch {
		case n <= MaxScans && err != nil:
			t.Errorf("%d scans: %v, want accepted", n, err)
		case n > MaxScans && !errors.Is(err, ErrTooComplex):
			t.Errorf("%d scans: %v, want ErrTooComplex", n, err)
		}
		if n > MaxScans && !Refused(err) {
			t.Errorf("%d scans: not a refusal for the user", n)
		}
	}
	if _, err := Sanitize(scanBomb(t, mid, 5000)); !errors.Is(err, ErrTooComplex) {
		t.Errorf("Sanitize decoded a scan bomb: %v", err)
	}
}
