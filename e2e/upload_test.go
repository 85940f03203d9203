package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
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

// TestRefusedPhotoIsUploadedAgain: a photo whose header is right but whose image data is cut
// off is acknowledged with the application; the background worker cannot decode it, the
// application's page says 需重新上传 with the reason and a form, the applicant has a notice, and
// the replacement goes through quarantine to 已上传.
func TestRefusedPhotoIsUploadedAgain(t *testing.T) {
	p := startPortal(t)
	var o openingInfo
	p.getJSON(t, "/api/v1/openings/1", &o)
	dir := t.TempDir()
	good := jpegBytes(t, 40)
	photo := writeJPEG(t, dir, "photo.jpg", 60)

	b := newBrowser(t, p.URL)
	b.phone()
	b.open("login page", "/login?next=/openings/1/apply", `/login\?next=.+`)
	b.do("sign in as the demo applicant", typeInto("#username", "13800000001"), typeInto("#password", "Haimen-demo-2026"))
	b.navigate("sign in", `/openings/1/apply`, click(`main form button[type=submit]`))
	// The page form cleans each file as it is received (a failed round keeps it), so a file
	// that cannot be decoded is named on its field at once; the API acknowledges after the
	// header checks and leaves the decoding to the worker. This applicant's client is the API.
	api := newAPIClient(t, p.URL)
	api.useCookies(b.cookies())
	filed := api.apply(1, withProfile(map[string]string{"name": "张三", "id_number": idNumber(t, bornAged(o.reference(t), 30), "384"),
		"education": "high_school", "major": "法学", "accepts_conditions": "true", "healthy": "true", "under_discipline": "false",
		"criminal_penalty_unfinished": "false", "under_investigation": "false", "other_bar": "false"}, bornAged(o.reference(t), 30).Year()+18),
		map[string][]byte{"photo": good[:len(good)/2], "diploma": jpegBytes(t, 120)})
	app := fmt.Sprint(filed.ID)
	b.open("the application", "/me/applications/"+app, `/me/applications/\d+`)
	waitPage := func(step, want string) {
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(b.text(step, "main"), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the page never said %q: %s", step, want, b.text(step, "main"))
			}
			time.Sleep(300 * time.Millisecond)
			b.open(step, "/me/applications/"+app, `/me/applications/\d+`)
		}
	}
	waitPage("the worker refuses the photo", "需重新上传")
	b.do("the page names the photo and offers the form",
		waitAnyText(".notice", "证件照"),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/replacement"] input[type=file]`)),
	)
	b.checkPage("application needing a new photo")
	b.shot("application-reupload-phone")
	b.desktop()
	b.shot("application-reupload-desktop")
	b.phone()
	b.open("notices", "/me/notices", `/me/notices`)
	b.do("the notice is there", waitAnyText("main", "报名材料需重新上传：证件照"))

	b.open("back to the application", "/me/applications/"+app, `/me/applications/\d+`)
	b.do("choose a good photo", chromedp.SetUploadFiles(chromedp.CSS(`form[action$="/replacement"] input[type=file]`), []string{photo}))
	b.navigate("upload it again", `/me/applications/\d+\?ok=replaced`, click(`form[action$="/replacement"] button[type=submit]`))
	waitPage("the worker sanitises the new photo", "已上传材料")
	deadline := time.Now().Add(20 * time.Second)
	for eval[bool](b, "photo link", `!document.querySelector('ul.files a[href^="/files/"]') || document.body.innerText.includes("需重新上传") || document.body.innerText.includes("处理中")`) {
		if time.Now().After(deadline) {
			t.Fatalf("the new photo never became viewable: %s", b.text("files", "main"))
		}
		time.Sleep(300 * time.Millisecond)
		b.open("reload", "/me/applications/"+app, `/me/applications/\d+`)
	}
	b.checkPage("application with the new photo")
	b.shot("application-replaced-phone")
}
