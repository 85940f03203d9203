package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestApplyFormShrinksBigPhotos: a phone photo of 12 megapixels is shrunk in the browser to
// at most 1600 px before it is sent, so it fits the 5 MB limit and uploads fast.
func TestApplyFormShrinksBigPhotos(t *testing.T) {
	p := startPortal(t)
	b := newBrowser(t, p.URL)

	img := image.NewRGBA(image.Rect(0, 0, 3000, 4000))
	for y := range 4000 {
		for x := range 3000 {
			img.Set(x, y, color.RGBA{uint8(x ^ y), uint8(x * 7), uint8(y * 3), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "IMG_0001.jpeg")
	if err := os.WriteFile(big, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	b.phone()
	b.open("login page", "/login?next=/openings/1/apply", `/login\?next=.+`)
	b.do("sign in as the demo applicant", typeInto("#username", "13800000001"), typeInto("#password", "Haimen-demo-2026"))
	b.navigate("sign in", `/openings/1/apply`, click(`main form button[type=submit]`))
	b.do("choose a 12-megapixel photo", chromedp.SetUploadFiles(chromedp.CSS(`#file_photo`), []string{big}))

	// The resize is asynchronous: wait for the input to hold the shrunk file.
	deadline := time.Now().Add(15 * time.Second)
	for eval[string](b, "file name", `(document.getElementById("file_photo").files[0] || {}).name || ""`) != "IMG_0001.jpg" {
		if time.Now().After(deadline) {
			t.Fatalf("the photo was not replaced by a shrunk copy (still %q)", eval[string](b, "file name", `document.getElementById("file_photo").files[0].name`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	size := eval[float64](b, "file size", `document.getElementById("file_photo").files[0].size`)
	if size <= 0 || size >= float64(len(buf.Bytes())) {
		t.Errorf("shrunk photo is %.0f bytes, original %d", size, len(buf.Bytes()))
	}
	b.do("measure it", chromedp.Evaluate[chromedp.Void](`createImageBitmap(document.getElementById("file_photo").files[0]).then(function (i) { window.__dims = [i.width, i.height]; })`))
	for eval[bool](b, "dimensions known", `!window.__dims`) {
		if time.Now().After(deadline) {
			t.Fatal("could not measure the shrunk photo")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if w, h := eval[float64](b, "width", `window.__dims[0]`), eval[float64](b, "height", `window.__dims[1]`); w != 1200 || h != 1600 {
		t.Errorf("shrunk photo is %vx%v, want 1200x1600", w, h)
	}
}
