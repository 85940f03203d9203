// Package media accepts uploaded images safely: the type is decided by the bytes, not the name or
// the header; the image is decoded and re-encoded (which drops EXIF, GPS and anything hidden after
// the image data) and scaled down to a size the portal needs.
package media

import (
	"bytes"
	"crypto/sha256"
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
	MaxBytes  = 5 << 20 // a phone photo
	MaxPixels = 40e6    // refuse decompression bombs before decoding
	MaxSide   = 1600    // longest side kept; enough for a permit photo or a legible certificate
)

// ErrNotImage is returned for content that is not a JPEG or PNG image.
var ErrNotImage = errors.New("只接受 JPG 或 PNG 格式的图片")

// ErrTooLarge is returned for uploads over MaxBytes or MaxPixels.
var ErrTooLarge = errors.New("图片过大，请上传不超过 5MB、像素不超过 4000 万的图片")

// Image is a sanitised image.
type Image struct {
	Data          []byte
	ContentType   string
	Width, Height int
	SHA256        string
}

// Sanitize checks data is a JPEG or PNG by its bytes, decodes it and re-encodes it as JPEG
// (photos) with no metadata, scaled so its longest side is at most MaxSide.
func Sanitize(data []byte) (Image, error) {
	if len(data) == 0 {
		return Image{}, ErrNotImage
	}
	if len(data) > MaxBytes {
		return Image{}, ErrTooLarge
	}
	var decode func([]byte) (image.Image, error)
	var config func([]byte) (image.Config, error)
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
		config = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
	default:
		return Image{}, ErrNotImage
	}
	cfg, err := config(data)
	if err != nil {
		return Image{}, ErrNotImage
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, ErrNotImage
	}
	if float64(cfg.Width)*float64(cfg.Height) > MaxPixels {
		return Image{}, ErrTooLarge
	}
	img, err := decode(data)
	if err != nil {
		return Image{}, ErrNotImage
	}
	img = fit(orient(img, exifOrientation(data)), MaxSide)
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
