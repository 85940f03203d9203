package main

import (
	"context"
	"fmt"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/models"
	"auxportal/notices"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// Supervision contacts of the demo's 公示 (a made-up number of the district bureau).
const (
	demoSupervisionPhone   = "0513-82100000"
	demoSupervisionAddress = "海门区城市管理局人事科（海门街道北京东路 1 号，演示地址）"
)

// demoPublicized are the candidates of the demo's opening with a running 公示 (拟录用人员公示).
var demoPublicized = []struct {
	phone, name, score string
	age                int
}{
	{"13800000041", "顾志明", "91", 28},
	{"13800000042", "钱晓燕", "87.5", 25},
	{"13800000043", "黄国栋", "84", 33},
	{"13800000044", "何静", "80", 30},
}

// seedPublicity adds a 悦来镇 opening whose three proposed hires passed the 体检 and are in a
// 公示 that started today, with one objection recorded and not yet decided; the fourth candidate
// waits for a 递补. A visitor sees the public page at /openings/{id}/publicity, the admin the
// 公示与后续环节 page, 13800000041 the timeline. Proposals were made three days ago and the
// 体检 two days ago, each through the service on a clock set then.
func seedPublicity(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service,
	notes *notices.Service, clk clock.Clock) error {
	now := clk.Now()
	then := clock.NewFake(now.Add(-15 * 24 * time.Hour))
	past := recruitment.New(store, cipher, then, nil)
	past.SetNotices(notes)
	in, err := acc.Login(ctx, "district", demoPassword, accounts.ClientInfo{IP: "demo"})
	if err != nil {
		return err
	}
	admin := in.Actor
	today := screening.DateOf(now.In(clock.China))
	days := recruitment.DefaultPublicityDays
	o, err := past.CreateOpening(ctx, admin, recruitment.OpeningInput{
		Town: "悦来镇", Title: "城市管理辅助人员（拟录用人员公示中，演示）", Seats: 3,
		Description: "已确定拟录用人员、体检合格、正在公示的演示岗位：公示期满无异议后参加区统一岗前培训。",
		OpensAt:     today.AddDays(-16).String(), ClosesAt: today.AddDays(-6).String(),
		PublicityDays: &days, MedicalCheck: true,
		SupervisionPhone: demoSupervisionPhone, SupervisionAddress: demoSupervisionAddress,
	})
	if err != nil {
		return err
	}
	if _, err := past.Publish(ctx, admin, o.ID); err != nil {
		return err
	}
	ref, _ := screening.ParseDate(o.ReferenceDate)
	photo := demoJPEG(120, 160)
	var scores []recruitment.ScoreInput
	for i, p := range demoPublicized {
		if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: p.phone, Password: demoPassword, Name: p.name}); err != nil {
			return err
		}
		who, err := acc.Login(ctx, p.phone, demoPassword, accounts.ClientInfo{IP: "demo"})
		if err != nil {
			return err
		}
		no := false
		f := recruitment.ApplicationForm{Name: p.name, IDNumber: demoID(ref, p.age, 40+i), Education: "high_school",
			Major: "市场营销", AcceptsConditions: true, Healthy: true,
			UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no}
		f.Profile = demoProfile(30+i, f.IDNumber, then.Now(), f.Education)
		then.Advance(10 * time.Minute)
		v, err := past.Apply(ctx, who.Actor, o.ID, f, map[string][]byte{recruitment.FilePhoto: photo, recruitment.FileDiploma: photo})
		if err != nil {
			return fmt.Errorf("demo candidate %s: %w", p.name, err)
		}
		scores = append(scores, recruitment.ScoreInput{ApplicationID: v.ID, Score: p.score})
	}
	then.Set(now.Add(-3 * 24 * time.Hour))
	if err := past.SetScores(ctx, admin, o.ID, scores); err != nil {
		return err
	}
	if _, err := past.Propose(ctx, admin, o.ID); err != nil {
		return err
	}
	then.Set(now.Add(-2 * 24 * time.Hour))
	checked := screening.DateOf(then.Now().In(clock.China)).String()
	for _, sc := range scores[:3] {
		if _, err := past.RecordStep(ctx, admin, sc.ApplicationID, recruitment.StepInput{Step: recruitment.StepMedical,
			Result: models.StepPass, On: checked, Note: "海门区人民医院体检中心（演示）"}); err != nil {
			return fmt.Errorf("demo 体检: %w", err)
		}
	}
	then.Set(now)
	if _, err := past.StartPublicity(ctx, admin, o.ID); err != nil {
		return fmt.Errorf("demo 公示: %w", err)
	}
	_, err = past.RecordObjection(ctx, admin, scores[2].ApplicationID, recruitment.ObjectionInput{
		Objector: "匿名（来电）", Content: "反映该考生曾在其他单位受过处分（演示，待核查）", ReceivedOn: today.String()})
	return err
}
