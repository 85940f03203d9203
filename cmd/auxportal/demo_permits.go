package main

import (
	"context"
	"fmt"
	"time"

	"auxportal/accounts"
	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// demoHolders are staff in post from earlier recruitments: hired after passing that year's
// unified training, and holding permits. 吴志强's permit is due for its yearly refresher within
// two months (the window is open); 郑晓燕's lapsed five weeks ago (suspended).
var demoHolders = []struct {
	phone, name string
	daysAgo     int // when the permit was issued
}{{"13800000031", "吴志强", 320}, {"13800000032", "郑晓燕", 400}}

// seedPermitHolders replays each holder's history on a clock of its own, so the records are
// real ones: an opening, the application, the proposal, a sitting of the unified training taken
// and passed (a paper without short answers, so nobody has to mark it), the results published
// (the hiring gate hires), the permit issued and its card rendered.
func seedPermitHolders(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service,
	signer *certificates.Signer, publicURL string, clk clock.Clock) error {
	spec := exams.DemoBlueprint()
	cells := spec.Cells[:0]
	for _, c := range spec.Cells {
		if c.Type != exams.Short {
			cells = append(cells, c)
		}
	}
	spec.Cells, spec.Title = cells, "城市管理辅助人员岗前培训考试（往期演示，无简答题）"
	for i, h := range demoHolders {
		if err := seedPermitHolder(ctx, store, cipher, acc, signer, publicURL, clk, spec, i, h.phone, h.name, h.daysAgo); err != nil {
			return fmt.Errorf("demo permit holder %s: %w", h.name, err)
		}
	}
	return nil
}

func seedPermitHolder(ctx context.Context, store *models.Store, cipher *pii.Cipher, acc *accounts.Service,
	signer *certificates.Signer, publicURL string, clk clock.Clock, spec exams.Blueprint, i int, phone, name string, daysAgo int) error {
	issued := clk.Now().Add(-time.Duration(daysAgo) * 24 * time.Hour)
	then := clock.NewFake(issued.Add(-20 * 24 * time.Hour)) // applications open three weeks before
	rec := recruitment.New(store, cipher, then, nil)
	exam := training.New(store, rec, then, nil, publicURL)
	pm := permits.New(store, signer, then, nil, jobs.New(store, then, nil), publicURL, permits.DefaultPolicy)
	in := func(user string) (models.Actor, error) {
		s, err := acc.Login(ctx, user, demoPassword, accounts.ClientInfo{IP: "demo"})
		if err != nil {
			return models.Actor{}, err
		}
		return s.Actor, nil
	}
	district, err := in("district")
	if err != nil {
		return err
	}
	trainer, err := in("trainer")
	if err != nil {
		return err
	}
	day := func(d int) string { return screening.DateOf(clock.InChina(then.Now())).AddDays(d).String() }
	o, err := rec.CreateOpening(ctx, district, recruitment.OpeningInput{
		Town: "三星镇", Title: "城市管理辅助人员（巡查岗）", Seats: 1,
		Description: "往期招聘（演示）：已录用并持证上岗。", OpensAt: day(0), ClosesAt: day(5),
		// An earlier recruitment, before the 公示 ran in the portal.
		PublicityDays: new(int),
	})
	if err != nil {
		return err
	}
	if _, err := rec.Publish(ctx, district, o.ID); err != nil {
		return err
	}
	if _, err := acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: phone, Password: demoPassword, Name: name}); err != nil {
		return err
	}
	who, err := in(phone)
	if err != nil {
		return err
	}
	ref, _ := screening.ParseDate(o.ReferenceDate)
	no := false
	photo := demoJPEG(120, 160)
	id := demoID(ref, 30+3*i, 40+i)
	app, err := rec.Apply(ctx, who, o.ID, recruitment.ApplicationForm{Name: name, IDNumber: id,
		Education: "junior_college", Major: "行政管理", AcceptsConditions: true, Healthy: true,
		UnderDiscipline: &no, CriminalPenaltyUnfinished: &no, UnderInvestigation: &no, OtherBar: &no,
		Profile: demoProfile(20+i, id, then.Now(), "junior_college")},
		map[string][]byte{recruitment.FilePhoto: photo, recruitment.FileDiploma: photo})
	if err != nil {
		return err
	}
	if _, err := rec.SanitizeQueued(ctx, "demo"); err != nil {
		return err
	}
	then.Set(then.Now().Add(7 * 24 * time.Hour)) // the window closed
	if err := rec.SetScores(ctx, district, o.ID, []recruitment.ScoreInput{{ApplicationID: app.ID, Score: "86"}}); err != nil {
		return err
	}
	if _, err := rec.Propose(ctx, district, o.ID); err != nil {
		return err
	}
	bp, err := exam.CreateBlueprint(ctx, trainer, training.BlueprintInput{Name: "往期岗前培训（演示）", Purpose: models.PurposePreJob, Spec: spec})
	if err != nil {
		return err
	}
	opens := then.Now().Add(3 * 24 * time.Hour)
	layout := "2006-01-02T15:04"
	st, err := exam.ScheduleSitting(ctx, trainer, training.SittingInput{
		Title: "往期岗前培训统一考试（演示）", BlueprintID: bp.ID, Venue: "区城管局考场",
		Opens: clock.InChina(opens).Format(layout), Closes: clock.InChina(opens.Add(2 * time.Hour)).Format(layout), OpeningIDs: []uint64{o.ID},
	})
	if err != nil {
		return err
	}
	mine, err := exam.MyExams(ctx, who)
	if err != nil || len(mine) == 0 {
		return fmt.Errorf("no candidacy: %v", err)
	}
	cid := mine[0].CandidateID
	then.Set(opens.Add(5 * time.Minute))
	if _, err := exam.Start(ctx, who, cid); err != nil {
		return err
	}
	c, err := store.CandidateByID(ctx, cid)
	if err != nil {
		return err
	}
	paper, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
	if err != nil {
		return err
	}
	var saves []training.SaveInput
	for n, it := range paper.Items() {
		saves = append(saves, training.SaveInput{No: it.No, Seq: int64(n + 1), Answer: keyAnswer(it, n)})
	}
	if _, err := exam.Save(ctx, who, cid, saves); err != nil {
		return err
	}
	then.Set(opens.Add(40 * time.Minute))
	if _, err := exam.HandIn(ctx, who, cid); err != nil {
		return err
	}
	then.Set(opens.Add(3 * time.Hour))
	if _, err := exam.PublishResults(ctx, trainer, st.ID); err != nil {
		return err
	}
	then.Set(issued)
	_, err = pm.Issue(ctx, district, app.ID)
	return err
}

// keyAnswer is a good candidate's answer: the key, except for the fifth question.
func keyAnswer(it exams.Item, n int) exams.Answer {
	if n == 4 && len(it.Options) > 1 {
		for _, o := range it.Options {
			if len(it.Correct) == 0 || o.Key != it.Correct[0] {
				return exams.Answer{Choices: []string{o.Key}}
			}
		}
	}
	switch it.Type {
	case exams.Single, exams.Multiple:
		return exams.Answer{Choices: it.Correct}
	case exams.TrueFalse:
		return exams.Answer{Truth: it.Truth}
	case exams.Fill:
		bs := make([]string, len(it.Blanks))
		for i, b := range it.Blanks {
			bs[i] = b.Accepted[0]
		}
		return exams.Answer{Blanks: bs}
	}
	return exams.Answer{Text: it.Reference}
}
