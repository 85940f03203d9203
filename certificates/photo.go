package certificates

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/draw"
)

// Photo limits. The portal stores photos re-encoded as JPEG at most 1600 px on a side; a photo
// far beyond that is not one of ours and is not decoded at all.
const (
	photoDPI       = 300 // print resolution a photo is resampled to when it has more
	maxPhotoPixels = 6000 * 6000
)

// photo places a JPEG into the box (x, y, w, h), centred, aspect ratio kept, inside a thin
// frame. A missing or undecodable photo draws the empty frame labelled 照片 instead: a ticket
// without a photo is still a ticket, and the invigilator sees at once what is missing.
//
// The JPEG is decoded in full, because gofpdf copies JPEG bytes into the PDF without decoding
// them (a truncated file would print as a broken image) and fails the whole document on a
// header it cannot read. A photo with many more pixels than the box can print at photoDPI is
// resampled and re-encoded, so a batch of tickets does not carry full-size photos.
func (d *document) photo(data []byte, x, y, w, h float64) {
	pdf := d.pdf
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	pdf.Rect(x, y, w, h, "D")

	jpg, pw, ph, ok := printablePhoto(data, w, h)
	if !ok {
		pdf.SetTextColor(150, 150, 150)
		d.setFont(10)
		d.centred(x, w, baseline(y, h, 10), "照片")
		pdf.SetTextColor(0, 0, 0)
		return
	}
	name := fmt.Sprintf("photo-%d", d.photos)
	d.photos++
	pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(jpg))
	// Inset by the frame's line so the photo does not cover it.
	const inset = 0.3
	bw, bh := w-2*inset, h-2*inset
	scale := min(bw/float64(pw), bh/float64(ph))
	iw, ih := float64(pw)*scale, float64(ph)*scale
	pdf.ImageOptions(name, x+inset+(bw-iw)/2, y+inset+(bh-ih)/2, iw, ih, false, gofpdf.ImageOptions{ImageType: "JPG"}, 0, "")
}

// printablePhoto returns the JPEG to embed for a box of w×h mm and its pixel size, or ok false
// when data is empty, not a JPEG, too large or corrupt.
func printablePhoto(data []byte, w, h float64) (jpg []byte, pw, ph int, ok bool) {
	if len(data) == 0 {
		return nil, 0, 0, false
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return nil, 0, 0, false
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, false
	}
	// The largest size the box shows at photoDPI, aspect kept.
	maxW, maxH := w/25.4*photoDPI, h/25.4*photoDPI
	scale := min(maxW/float64(cfg.Width), maxH/float64(cfg.Height))
	plainColour := cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel
	// Keep the original bytes unless resampling saves much (more than 1.5× the pixels needed per
	// side) or the colour model is one PDF viewers disagree on (Adobe CMYK JPEGs print inverted).
	if scale >= 1/1.5 && plainColour {
		return data, cfg.Width, cfg.Height, true
	}
	scale = min(scale, 1)
	tw, th := max(1, int(float64(cfg.Width)*scale+0.5)), max(1, int(float64(cfg.Height)*scale+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 88}); err != nil {
		return nil, 0, 0, false
	}
	return buf.Bytes(), tw, th, true
}
