package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"auxportal/accounts"
	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Demo logins (README lists them). Used only with -demo.
const demoPassword = "Haimen-demo-2026"

// demoLogins is the log's list of the demo accounts (README has the same table).
const demoLogins = "district (区城管局), sanxing (三星镇管理员), trainer (培训员), 13800000001 (报名人员), " +
	"13800000011-13800000015 (已评分的候选人), 13800000021/22 (拟录用，参加考试), 13800000031/32 (持证上岗)"

// seedDemo adds demo accounts, an opening open for applications, a closed one with scored
// candidates ready for proposals, a third whose proposed hires sit the unified training exam
// open now, two staff in post with permits, and a few notices, once: if the demo district admin
// exists, it does nothing.
func seedDemo(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service, rec *recruitment.Service,
	exam *training.Service, notes *notices.Service, signer *certificates.Signer, publicURL string, clk clock.Clock) error {
	done, err := acc.UserExists(ctx, "district")
	if err != nil || done {
		return err
	}
	if err := acc.CreateDistrictAdmin(ctx, "district", demoPassword, "区城管局（演示）"); err != nil {
		return err
	}
	if err := seedDemoData(ctx, acc, rec, clk); err != nil {
		return err
	}
	if err := seedClosedOpening(ctx, store, cipher, acc, clk); err != nil {
		return err
	}
	if err := seedTraining(ctx, store, cipher, acc, exam, clk); err != nil {
		return err
	}
	if err := seedPermitHolders(ctx, store, cipher, acc, signer, publicURL, clk); err != nil {
		return err
	}
	if err := seedPublicity(ctx, store, cipher, acc, notes, clk); err != nil {
		return err
	}
	return seedNotices(ctx, store, acc, notes, clk)
}

// demoNotices are the notices of the demo: what the recruitment side and the training exam
// will send (issues 6 and 8), to two demo users who have set an e-mail address (example.com,
// which no mail reaches). On a portal with SMTP configured they go out by e-mail too.
var demoNotices = []struct {
	phone, mail, kind, title, body, link string
	read                                 bool
}{
	{"13800000011", "liming@example.com", "recruitment.screening", "资格审查结果：符合报名条件",
		"李明，您好：\n您报名的“城市管理辅助人员（已截止，演示排名）”经资格审查，符合报名条件。\n成绩录入后可在报名详情中查看排名情况。（演示通知）", "/me/applications/1", true},
	{"13800000011", "", "recruitment.score", "成绩已录入",
		"李明，您好：\n您的笔试成绩 85 分已录入，排名结果公布前请留意本平台通知。（演示通知）", "/me/applications/1", false},
	{"13800000021", "zhoujianhua@example.com", "exam.scheduled", "岗前培训统一考试安排",
		"周建华，您好：\n您已被确定为拟录用人员，请参加区统一组织的岗前培训考试。考试在本平台线上进行，请在“我的考试”中查看时间并下载准考证。（演示通知）", "/me/exams", false},
}

// seedNotices records the demo notices, with their e-mail deliveries, and asks for them to be
// sent now when e-mail is configured.
func seedNotices(ctx context.Context, store *models.Store, acc *accounts.Service, notes *notices.Service, clk clock.Clock) error {
	for i, n := range demoNotices {
		in, err := acc.Login(ctx, n.phone, demoPassword, accounts.ClientInfo{IP: "demo"})
		if err != nil {
			return err
		}
		if n.mail != "" {
			// The demo's addresses count as verified, as its phone numbers do.
			if err := store.SetVerifiedEmail(ctx, in.Actor.UserID, n.mail, clk.Now()); err != nil {
				return err
			}
		}
		if _, err := notes.Notify(ctx, nil, notices.Message{UserID: in.Actor.UserID, Kind: n.kind,
			DedupKey: fmt.Sprintf("demo:%d:user:%d", i, in.Actor.UserID), Title: n.title, Body: n.body, Link: n.link,
			Channels: []string{notices.ChannelEmail}}); err != nil {
			return fmt.Errorf("demo notice: %w", err)
		}
		if n.read {
			if _, err := notes.MarkAllRead(ctx, in.Actor); err != nil {
				return err
			}
		}
	}
	notes.Wake()
	return nil
}

// demoTrainees are the proposed hires of the demo's third opening, who sit the demo exam.
var demoTrainees = []struct{ phone, name string }{{"13800000021", "周建华"}, {"13800000022", "孙丽娜"}}

// seedTraining adds the demo of the unified pre-job training (rule T-1): an opening that closed
// ten days ago whose two proposed hires are enrolled in a sitting open now (for 30 days, so the
// demo stays usable), with the 84-question demo bank and the demo blueprint (30 questions, 60
// minutes, pass mark 60). A newcomer can sign in as a trainee, take the exam, then as the
// trainer grade it blind and publish the results.
func seedTraining(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service, exam *training.Service, clk clock.Clock) error {
	now := clk.Now()
	then := clock.NewFake(now.Add(-11 * 24 * time.Hour))
	past := recruitment.New(store, cipher, then, nil)
	district, err := acc.Login(ctx, "district", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	today := screening.DateOf(now.In(clock.China))
	o, err := past.CreateOpening(ctx, district.Actor, recruitment.OpeningInput{
		Town: "海门街道", Title: "城市管理辅助人员（已确定拟录用，演示岗前培训）", Seats: 2, MakeupAllowed: true,
		Description:      "报名已截止、已确定拟录用人员的演示岗位：拟录用人员公示期满无异议，两名拟录用人员正参加区统一岗前培训考试。",
		SupervisionPhone: demoSupervisionPhone, SupervisionAddress: demoSupervisionAddress,
		OpensAt: today.AddDays(-13).String(), ClosesAt: today.AddDays(-10).String(),
	})
	if err != nil {
		return err
	}
	if _, err := past.Publish(ctx, district.Actor, o.ID); err != nil {
		return err
	}
	ref, _ := screening.ParseDate(o.ReferenceDate)
	photo := demoJPEG(120, 160)
	var scores []recruitment.ScoreInput
	for i, p := range demoTrainees {
		if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: p.phone, Password: demoPassword, Name: p.name}); err != nil {
			return err
		}
		in, err := acc.Login(ctx, p.phone, demoPassword, accounts.ClientInfo{IP: "demo"})
		if err != nil {
			return err
		}
		no := false
		f := recruitment.ApplicationForm{Name: p.name, IDNumber: demoID(ref, 27+i*5, 20+i), Education: "junior_college",
			Major: "行政管理", AcceptsConditions: true, Healthy: true,
			UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no}
		f.Profile = demoProfile(i, f.IDNumber, then.Now(), f.Education)
		then.Advance(10 * time.Minute)
		v, err := past.Apply(ctx, in.Actor, o.ID, f, map[string][]byte{recruitment.FilePhoto: photo, recruitment.FileDiploma: photo})
		if err != nil {
			return fmt.Errorf("demo trainee %s: %w", p.name, err)
		}
		if _, err := past.SanitizeQueued(ctx, "demo"); err != nil {
			return err
		}
		scores = append(scores, recruitment.ScoreInput{ApplicationID: v.ID, Score: fmt.Sprint(88 - 3*i)})
	}
	then.Set(now.Add(-9 * 24 * time.Hour))
	if err := past.SetScores(ctx, district.Actor, o.ID, scores); err != nil {
		return err
	}
	if _, err := past.Propose(ctx, district.Actor, o.ID); err != nil {
		return err
	}
	// The 公示 ran from the day of the proposals for 5 working days and ended without an
	// objection: the proposals are final and may sit the training (docs/decisions.md).
	if _, err := past.StartPublicity(ctx, district.Actor, o.ID); err != nil {
		return fmt.Errorf("demo 公示: %w", err)
	}
	trainer, err := acc.Login(ctx, "trainer", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	for _, q := range exams.DemoBank() {
		if _, err := exam.CreateQuestion(ctx, trainer.Actor, q); err != nil {
			return fmt.Errorf("demo bank: %w", err)
		}
	}
	bp, err := exam.CreateBlueprint(ctx, trainer.Actor, training.BlueprintInput{Name: "岗前培训统一考试（演示方案）",
		Purpose: models.PurposePreJob, Spec: exams.DemoBlueprint()})
	if err != nil {
		return err
	}
	// The yearly refresher's blueprint: the same subjects, no short answers (they grade
	// themselves), 40 minutes.
	rbp := exams.DemoBlueprint()
	cells := rbp.Cells[:0:0]
	for _, c := range rbp.Cells {
		if c.Type != exams.Short {
			cells = append(cells, c)
		}
	}
	rbp.Cells, rbp.Title, rbp.DurationMinutes = cells, "城市管理辅助人员年度复训考试（示例）", 40
	if _, err := exam.CreateBlueprint(ctx, trainer.Actor, training.BlueprintInput{Name: "年度复训（演示方案）",
		Purpose: models.PurposeRefresher, Spec: rbp}); err != nil {
		return fmt.Errorf("demo refresher blueprint: %w", err)
	}
	layout := "2006-01-02T15:04"
	_, err = exam.ScheduleSitting(ctx, trainer.Actor, training.SittingInput{
		Title: "2026年度城市管理辅助人员岗前培训统一考试（演示）", BlueprintID: bp.ID,
		Opens: now.Add(-5 * time.Minute).In(clock.China).Format(layout), Closes: now.Add(30 * 24 * time.Hour).In(clock.China).Format(layout),
		Venue: "线上考试（本平台）", Online: true, OpeningIDs: []uint64{o.ID}, ShowPaper: true, DoubleMarking: false,
	})
	return err
}

func seedDemoData(ctx context.Context, acc *accounts.Service, rec *recruitment.Service, clk clock.Clock) error {
	in, err := acc.Login(ctx, "district", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	admin := in.Actor
	town, err := rec.TownByName(ctx, "三星镇")
	if err != nil {
		return err
	}
	for _, st := range []accounts.StaffInput{
		{Username: "sanxing", Password: demoPassword, Name: "三星镇管理员", Role: models.RoleTownAdmin, TownID: &town.ID},
		{Username: "trainer", Password: demoPassword, Name: "培训员", Role: models.RoleTrainer},
	} {
		if _, err := acc.CreateStaff(ctx, admin, st); err != nil {
			return err
		}
	}
	if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: "13800000001", Password: demoPassword, Name: "张三"}); err != nil {
		return err
	}
	today := screening.DateOf(clk.Now().In(clock.China))
	o, err := rec.CreateOpening(ctx, admin, recruitment.OpeningInput{
		TownID: town.ID, Title: "城市管理辅助人员（巡查岗）", Seats: 3,
		Description: "在执法人员带领下开展市容巡查、宣传劝导、信息采集和隐患排查，实行网格化管理，发现问题及时报告执法人员。",
		OpensAt:     today.AddDays(-1).String(), ClosesAt: today.AddDays(30).String(),
	})
	if err != nil {
		return err
	}
	_, err = rec.Publish(ctx, admin, o.ID)
	return err
}

// seedClosedOpening adds a 三星镇 opening whose application window ended ten days ago, with five
// reviewed and scored candidates, so the ranking, the preference tie-break (three are equal at
// 82.5), proposals, replacement and the filing report can be tried at once. It is written as of
// twenty days ago through a service on a clock set then, exactly as it would have happened.
func seedClosedOpening(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service, clk clock.Clock) error {
	now := clk.Now()
	then := clock.NewFake(now.Add(-20 * 24 * time.Hour))
	past := recruitment.New(store, cipher, then, nil)
	in, err := acc.Login(ctx, "district", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	admin := in.Actor
	today := screening.DateOf(now.In(clock.China))
	o, err := past.CreateOpening(ctx, admin, recruitment.OpeningInput{
		Town: "三星镇", Title: "城市管理辅助人员（已截止，演示排名）", Seats: 3,
		Description: "报名已截止、成绩已录入的演示岗位：可在“成绩与排名”中确定拟录用人员、登记放弃并递补、导出排名表和备案表。",
		OpensAt:     today.AddDays(-21).String(), ClosesAt: today.AddDays(-10).String(),
	})
	if err != nil {
		return err
	}
	if _, err := past.Publish(ctx, admin, o.ID); err != nil {
		return err
	}
	ref, _ := screening.ParseDate(o.ReferenceDate)
	photo := demoJPEG(120, 160)
	people := []struct {
		phone, name, major, score string
		age                       int
		veteran                   bool
	}{
		{"13800000011", "李明", "法学", "85", 29, false},
		{"13800000012", "王芳", "会计", "82.5", 26, false},
		{"13800000013", "陈强", "机械制造", "82.5", 43, true}, // a veteran over 40: age relaxed, reviewed
		{"13800000014", "赵磊", "计算机应用", "78", 31, false},
		{"13800000015", "刘洋", "城市管理", "82.5", 24, false}, // an urban-management graduate
	}
	var scores []recruitment.ScoreInput
	for i, p := range people {
		if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: p.phone, Password: demoPassword, Name: p.name}); err != nil {
			return err
		}
		in, err := acc.Login(ctx, p.phone, demoPassword, accounts.ClientInfo{IP: "demo"})
		if err != nil {
			return err
		}
		who := in.Actor
		no := false
		f := recruitment.ApplicationForm{Name: p.name, IDNumber: demoID(ref, p.age, i), Education: "high_school",
			Major: p.major, Veteran: p.veteran, AcceptsConditions: true, Healthy: true,
			UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no}
		f.Profile = demoProfile(10+i, f.IDNumber, then.Now(), f.Education)
		files := map[string][]byte{recruitment.FilePhoto: photo, recruitment.FileDiploma: photo}
		if p.veteran {
			files[recruitment.FileVeteran] = photo
		}
		then.Advance(10 * time.Minute)
		v, err := past.Apply(ctx, who, o.ID, f, files)
		if err != nil {
			return fmt.Errorf("demo applicant %s: %w", p.name, err)
		}
		// The demo's files are sanitised at once: the reviews below need to see the evidence.
		if _, err := past.SanitizeQueued(ctx, "demo"); err != nil {
			return err
		}
		for _, r := range v.Reviews {
			if _, err := past.Decide(ctx, admin, r.ID, recruitment.Decision{Approve: true, Reason: "材料齐全（演示）"}); err != nil {
				return err
			}
		}
		scores = append(scores, recruitment.ScoreInput{ApplicationID: v.ID, Score: p.score})
	}
	return past.SetScores(ctx, admin, o.ID, scores)
}

// demoProfile is the rest of a demo applicant's 报名表, consistent with the ID number's birth
// date and with the day the demo files the application.
func demoProfile(seed int, id string, at time.Time, education string) recruitment.Profile {
	p, _ := screening.ParseID(id, screening.Date{}) // demoID makes valid numbers
	china := clock.InChina(at)
	today := screening.Date{Year: china.Year(), Month: china.Month(), Day: china.Day()}
	return recruitment.DemoProfile(seed, p.Birth, today, education)
}

// demoID makes a valid ID number (Haimen, 320684) of someone age years old on ref.
func demoID(ref screening.Date, age, seq int) string {
	birth := screening.Date{Year: ref.Year - age, Month: 3, Day: 15}
	first := fmt.Sprintf("320684%04d%02d%02d%03d", birth.Year, int(birth.Month), birth.Day, 101+2*seq)
	c, _ := screening.IDCheckChar(first)
	return first + string(c)
}

// demoJPEG is a plain picture standing in for the demo applicants' photos.
func demoJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(200 - y/2), uint8(210 - x/3), 230, 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes()
}
