package certificates

import (
	"io"
	"testing"
)

// BenchmarkAppForm is one 报名表 with a photo and full tables, as an applicant or a reviewer
// downloads it: the font parsed, the page laid out, the subset cut.
func BenchmarkAppForm(b *testing.B) {
	f := sampleAppForm(b, "欧阳玥昇")
	for range 5 {
		f.Resume = append(f.Resume, AppFormLine{"2018.01—2019.01", "海门区城市管理局三星镇执法中队", "辅助人员"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderAppForm(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
