package micro

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"auxportal/accounts"
	"auxportal/bench/fixture"
	"auxportal/media"
)

func photo(b *testing.B, w, h, kb int) []byte {
	b.Helper()
	img, err := fixture.Photo(w, h, kb<<10, 1)
	if err != nil {
		b.Fatal(err)
	}
	return img
}

func benchSanitize(b *testing.B, w, h, kb int) {
	img := photo(b, w, h, kb)
	b.SetBytes(int64(len(img)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := media.Sanitize(img); err != nil {
			b.Fatal(err)
		}
	}
}

// The storm's uploads: a 600×800 photo of ≈200 KB and a 1000×700 diploma scan of ≈150 KB.
func BenchmarkSanitizePhoto600x800_200KB(b *testing.B)    { benchSanitize(b, 600, 800, 200) }
func BenchmarkSanitizeDiploma1000x700_150KB(b *testing.B) { benchSanitize(b, 1000, 700, 150) }

// What a photo cut to the permit's needs on the phone would cost: 358×441 px (a 2-inch photo
// at 300 dpi), ≈50 KB.
func BenchmarkSanitizePhoto358x441_50KB(b *testing.B) { benchSanitize(b, 358, 441, 50) }

// The two halves of Sanitize on the storm's photo.
func BenchmarkJPEGDecodePhoto600x800(b *testing.B) {
	img := photo(b, 600, 800, 200)
	b.SetBytes(int64(len(img)))
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(img)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJPEGEncodePhoto600x800(b *testing.B) {
	m, err := jpeg.Decode(bytes.NewReader(photo(b, 600, 800, 200)))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85}); err != nil {
			b.Fatal(err)
		}
	}
}

// DecodeConfig is what a check of type and size without decoding costs.
func BenchmarkJPEGDecodeConfig(b *testing.B) {
	img := photo(b, 600, 800, 200)
	for b.Loop() {
		if _, _, err := image.DecodeConfig(bytes.NewReader(img)); err != nil {
			b.Fatal(err)
		}
	}
}

// The production argon2id hash (accounts.HashPassword): one per registration, one check per login.
func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := accounts.HashPassword("correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHashParallel(b *testing.B, goroutinesPerCPU int) {
	b.SetParallelism(goroutinesPerCPU)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := accounts.HashPassword("correct horse battery"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Hashes at once: one per CPU (what a semaphore around hashing would allow) against 50 per CPU
// (100 concurrent registrations on 2 cores, as in the storm): each holds 19 MiB, so the second
// thrashes the caches and holds ~2 GB.
func BenchmarkHashPasswordParallel1PerCPU(b *testing.B)  { benchHashParallel(b, 1) }
func BenchmarkHashPasswordParallel50PerCPU(b *testing.B) { benchHashParallel(b, 50) }
