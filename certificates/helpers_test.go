package certificates

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"auxportal/certificates/pdftest"
	"auxportal/clock"
)

// The PDF readers (pdftest) under the names these tests use.
var (
	pdfText  = pdftest.Text
	pdfPages = pdftest.Pages
	scanQR   = pdftest.ScanQR
)

// testPhoto is a w×h JPEG with a gradient and a dark "head", like a passport photo.
func testPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(200 - 80*y/h), uint8(210 - 60*x/w), 235, 255}
			dx, dy := x-w/2, y-h*2/5
			if dx*dx*9+dy*dy*5 < w*w {
				c = color.RGBA{70, 50, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sampleNotes are exam-room rules of the usual length.
var sampleNotes = []string{
	"考生须凭本准考证和本人有效居民身份证原件，于开考前30分钟进入考场，对号入座，并将两证放在桌面左上角以备查验。",
	"开考15分钟后不得入场；考试开始30分钟后方可交卷离场，离场后不得在考场附近逗留、喧哗。",
	"除黑色签字笔、2B铅笔、橡皮外，不得携带任何书籍、资料、通讯工具（手机、智能手表等）和电子存储设备进入考场。",
	"考生应自觉服从监考人员管理，不得以任何理由妨碍监考人员正常工作；严禁交头接耳、偷看、夹带、冒名顶替等违纪作弊行为。",
	"考试结束铃响，考生应立即停止答题，将试卷、答题卡背面向上放在桌面，经监考人员允许后方可离开。",
	"本准考证请妥善保管，不得涂改；遗失者请于考前一日到南通市海门区城市管理局培训科补办。",
}

func sampleTicket(t testing.TB, name string) Ticket {
	start := time.Date(2026, 12, 5, 9, 0, 0, 0, clock.China)
	return Ticket{
		Title:       "南通市海门区城市管理辅助人员岗前培训统一考试",
		SittingName: "2026年第二期岗前培训考试",
		Name:        name,
		IDMasked:    "320***********1234",
		TicketNo:    "HM20261205-0137",
		Seat:        "第07考场 15号",
		Venue:       "海门区城市管理局培训中心（海门街道人民中路1号）",
		Start:       start.UTC(),
		End:         start.Add(90 * time.Minute).UTC(),
		Photo:       testPhoto(t, 330, 460),
		QRText:      "https://aux.haimen.example/t/HM20261205-0137",
		Notes:       sampleNotes,
	}
}

func samplePermit(t testing.TB, name string) Permit {
	return Permit{
		Name:       name,
		IDMasked:   "320***********1234",
		Town:       "海门港新区",
		Post:       "市容巡查辅助员",
		PermitNo:   "HM2026-00042",
		Issued:     time.Date(2026, 12, 20, 0, 0, 0, 0, clock.China),
		ValidUntil: time.Date(2027, 12, 19, 0, 0, 0, 0, clock.China),
		Photo:      testPhoto(t, 250, 350),
		QRText:     "https://aux.haimen.example/v/HM2026-00042?sig=Q2xhdWRlIHNpZ25zIHRoaXMgcGVybWl0IHdpdGggRWQyNTUxOS4",
	}
}
