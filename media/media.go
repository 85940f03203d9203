// Package media accepts uploaded images safely: the type is decided by the bytes, not the name or
// the header; the image is decoded and re-encoded (which drops EXIF, GPS and anything hidden after
// the image data) and scaled down to a size the portal needs.
//
// Decoding is the one costly step, so it is split from the cheap one: Inspect reads only the
// header (type, size, pixels) and refuses what is too big before any pixel is decoded, and a
// Budget bounds the memory that concurrent decodes may take, not just their number.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

// Limits for uploads.
const (
	MaxBytes = 5 << 20 // a phone photo
	// MaxPixels caps what is decoded at all: a 12-megapixel phone photo (4032×3024) or an A4
	// scan at 400 dpi fits; a 6300×6300 "photo" (40 megapixels, about 1 GB to decode when
	// progressive) does not. The apply page shrinks bigger photos in the browser before upload.
	MaxPixels = 1 << 24 // 16,777,216: 4096×4096
	MaxSide   = 1600    // longest side kept; enough for a permit photo or a legible certificate
	// MaxScans caps the scans of a progressive JPEG. Go's decoder walks every block once per
	// scan, and an empty scan costs about 31 bytes of file: 5,000 of them in 198 KB made a
	// 4096×4096 image take 28 s of CPU to decode, which no pixel or memory cap sees. Encoders
	// write about 10 (libjpeg's default progression) and rarely more than 20.
	MaxScans = 32
)

// ErrNotImage is returned for content that is not a JPEG or PNG image.
var ErrNotImage = errors.New("只接受 JPG 或 PNG 格式的图片")

// ErrTooLarge is returned for uploads over MaxBytes or MaxPixels.
var ErrTooLarge = errors.New("图片过大，请上传不超过 5MB、像素不超过 1600 万（如 4000×4000）的图片")

// ErrTooComplex is returned for a JPEG of more than MaxScans scans.
var ErrTooComplex = errors.New("图片编码过于复杂，无法处理，请用手机相册或截图工具另存为普通 JPG 后重新上传")

// Refused reports whether err is Inspect's or Sanitize's refusal of an upload (not an image,
// too large, too complex), a message for the user rather than a failure of the portal.
func Refused(err error) bool {
	return errors.Is(err, ErrNotImage) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTooComplex)
}

// Image is a sanitised image.
type Image struct {
	Data          []byte
	ContentType   string
	Width, Height int
	SHA256        string
}

// Info is what Inspect reads from an image's header without decoding it.
type Info struct {
	Format        string // "jpeg" or "png"
	Width, Height int
	Progressive   bool // a progressive JPEG keeps every coefficient while it decodes
	Scans         int  // JPEG: the number of scans (start-of-scan markers)
}

// Inspect checks that data is a JPEG or PNG by its bytes, within MaxBytes and MaxPixels, reading
// only its header. It costs microseconds whatever the image claims to be.
func Inspect(data []byte) (Info, error) {
	if len(data) == 0 {
		return Info{}, ErrNotImage
	}
	if len(data) > MaxBytes {
		return Info{}, ErrTooLarge
	}
	var info Info
	var cfg image.Config
	var err error
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		info.Format = "jpeg"
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		info.Progressive = progressiveJPEG(data)
		if info.Scans = countScans(data); info.Scans > MaxScans {
			return Info{}, ErrTooComplex
		}
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		info.Format = "png"
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	default:
		return Info{}, ErrNotImage
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, ErrNotImage
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Info{}, ErrTooLarge
	}
	info.Width, info.Height = cfg.Width, cfg.Height
	return info, nil
}

// DecodeCost is an upper estimate of the bytes Sanitize allocates for this image: the decoded
// pixels (YCbCr up to 3 bytes a pixel; a progressive JPEG also keeps 12 bytes of coefficients a
// pixel; PNG up to 8 bytes a pixel at 16 bits per channel) and the scaled, turned copy.
func (i Info) DecodeCost() int64 {
	px := int64(i.Width) * int64(i.Height)
	perPixel := int64(4)
	switch {
	case i.Format == "png":
		perPixel = 16 // 16-bit RGBA (8) plus an interlaced image's passes
	case i.Progressive:
		perPixel = 16
	}
	side := int64(min(MaxSide, max(i.Width, i.Height)))
	return px*perPixel + 3*side*side*4 + 1<<20
}

// MaxDecodeCost is the largest DecodeCost an image that passes Inspect can have.
const MaxDecodeCost = MaxPixels*16 + 3*MaxSide*MaxSide*4 + 1<<20

// countScans counts the start-of-scan markers of a JPEG. Between markers lies entropy-coded data,
// where 0xFF is always followed by 0x00 (a stuffed byte) or a restart marker (D0–D7), so any other
// 0xFF xx is a marker; SOS (DA) is the one that starts a scan. It reads the file once, in
// microseconds, and gives up (answering MaxScans+1) on a structure it cannot follow.
func countScans(data []byte) int {
	n := 0
	for p := 2; p+1 < len(data); {
		if data[p] != 0xFF {
			p++ // entropy-coded data
			continue
		}
		marker := data[p+1]
		switch {
		case marker == 0xFF:
			p++ // a fill byte before a marker
			continue
		case marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7):
			p += 2 // a stuffed byte or a restart marker inside coded data
			continue
		case marker == 0xD9: // end of image
			return n
		case marker == 0xDA:
			n++
		}
		if p+4 > len(data) {
			return n
		}
		size := int(binary.BigEndian.Uint16(data[p+2:]))
		if size < 2 {
			return MaxScans + 1
		}
		p += 2 + size
	}
	return n
}

// progressiveJPEG reports whether a JPEG's frame header is progressive (SOF2) by walking its
// marker segments up to the first frame header.
func progressiveJPEG(data []byte) bool {
	p := 2
	for p+4 <= len(data) {
		if data[p] != 0xFF {
			return false
		}
		marker := data[p+1]
		switch {
		case marker == 0xFF: // fill byte
			p++
			continue
		case marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE:
			return true
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return false // another frame type
		case marker == 0xDA || marker == 0xD9:
			return false
		}
		size := int(binary.BigEndian.Uint16(data[p+2:]))
		if size < 2 {
			return false
		}
		p += 2 + size
	}
	return false
}

// Sanitize checks data is a JPEG or PNG by its bytes, decodes it and re-encodes it as JPEG
// (photos) with no metadata, scaled so its longest side is at most MaxSide. It does not wait
// for memory: use a Budget where requests meet.
func Sanitize(data []byte) (Image, error) {
	if _, err := Inspect(data); err != nil {
		return Image{}, err
	}
	var img image.Image
	var err error
	if bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return Image{}, ErrNotImage
	}
	// Scale before turning: the turn then copies at most MaxSide² pixels, not the original's.
	img = orient(fit(img, MaxSide), exifOrientation(data))
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 85}); err != nil {
		return Image{}, fmt.Errorf("re-encode image: %w", err)
	}
	sum := sha256.Sum256(out.Bytes())
	b := img.Bounds()
	return Image{Data: out.Bytes(), ContentType: "image/jpeg", Width: b.Dx(), Height: b.Dy(), SHA256: hex.EncodeToString(sum[:])}, nil
}

// fit scales img down so its longest side is at most side; smaller images are returned as they are.
func fit(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		h = max(1, h*side/w)
		w = side
	} else {
		w = max(1, w*side/h)
		h = side
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}
