package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"auxportal/accounts"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/models"
	"auxportal/pii"
	"auxportal/recruitment"
)

// seedPassword is every simulated candidate's password. The hash is computed once and stored
// for all of them (seeding is not measured); each sign-in still runs argon2id in the portal.
const seedPassword = "Exam-day-2026-rehearsal"

// candidate is one simulated candidate as seeded.
type candidate struct {
	Username string
	UserID   uint64
	Token    string // a session from the last week ("" when the candidate signs in on exam day)
}

// blueprint50 is the rehearsal's paper: 50 questions of the demo bank (84 questions), every type,
// 100 points, the shortest duration a blueprint allows (the exam's time is the real clock's).
func blueprint50(minutes int) exams.Blueprint {
	c := func(cat exams.Category, t exams.Type, n int, pts int64) exams.Cell {
		return exams.Cell{Category: cat, Type: t, Count: n, Points: pts}
	}
	return exams.Blueprint{Title: "考试日演练（50 题）", DurationMinutes: minutes, PassMark: 6000, Multi: exams.Partial,
		ShuffleQuestions: true, ShuffleOptions: true, ThirdMarkGap: 300,
		Cells: []exams.Cell{
			c(exams.Law, exams.Single, 7, 150), c(exams.Skills, exams.Single, 7, 150),
			c(exams.Discipline, exams.Single, 3, 150), c(exams.Ethics, exams.Single, 3, 150),
			c(exams.Law, exams.Multiple, 3, 200), c(exams.Skills, exams.Multiple, 3, 200),
			c(exams.Discipline, exams.Multiple, 2, 200), c(exams.Ethics, exams.Multiple, 2, 200),
			c(exams.Law, exams.TrueFalse, 4, 100), c(exams.Skills, exams.TrueFalse, 4, 100),
			c(exams.Discipline, exams.TrueFalse, 2, 100), c(exams.Ethics, exams.TrueFalse, 2, 100),
			c(exams.Law, exams.Fill, 1, 200), c(exams.Skills, exams.Fill, 1, 200),
			c(exams.Discipline, exams.Fill, 1, 200), c(exams.Ethics, exams.Fill, 1, 200),
			c(exams.Law, exams.Short, 2, 750), c(exams.Skills, exams.Short, 2, 750),
		}}
}

// seed fills a fresh database: the reference data (by migrating), a district admin, an opening
// with n proposed hires (rows written directly: the application path is the registration
// storm's business), the demo bank, the 50-question blueprint and a sitting that opens now,
// scheduled through the training service, which seals one paper per candidate.
//
// A share of the candidates (signedIn) has a session from the last week, as a phone that signed in
// to read the admission notice keeps one (applicant sessions last 7 days): they open the exam
// without signing in again. The session rows are written as the portal writes them (the SHA-256
// of the token); the first request with one shows whether the portal accepts it.
func seed(ctx context.Context, dsn string, n, minutes int, salt uint32, signedIn float64) ([]candidate, error) {
	st, err := models.Open(ctx, dsn, nil)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	k1, k2 := make([]byte, 32), make([]byte, 32)
	_, _ = rand.Read(k1)
	_, _ = rand.Read(k2)
	cipher, err := pii.New(k1, k2)
	if err != nil {
		return nil, err
	}
	// The opening is made on a past calendar so its dates validate; the sitting on the real
	// clock, since the portal that runs it uses the real clock.
	past := clock.NewFake(time.Date(2026, time.January, 2, 9, 0, 0, 0, clock.China))
	acc, err := accounts.New(st, past, accounts.WithCheapHashing())
	if err != nil {
		return nil, err
	}
	rec := recruitment.New(st, cipher, past, nil)
	if err := rec.EnsureBaseConditions(ctx); err != nil {
		return nil, err
	}
	if _, err := acc.EnsureAdmin(ctx, "examday-admin", seedPassword); err != nil {
		return nil, err
	}
	admin, err := st.UserByUsername(ctx, "examday-admin")
	if err != nil {
		return nil, err
	}
	district := models.Actor{UserID: admin.ID, Username: admin.Username, Name: admin.DisplayName, Role: admin.Role}
	// An opening has at most 500 seats: a sitting of n takes several, as a district-wide
	// sitting does.
	// The rehearsal starts at the exam: its openings run no 公示 and no steps after ranking, so
	// the seeded proposals are final at once.
	noPublicity := 0
	var openings []uint64
	for lo := 0; lo < n; lo += 500 {
		o, err := rec.CreateOpening(ctx, district, recruitment.OpeningInput{Town: "三星镇",
			Title: fmt.Sprintf("考试日演练岗位 %d", lo/500+1), Seats: min(500, n-lo), OpensAt: "2026-01-05", ClosesAt: "2026-01-20",
			PublicityDays: &noPublicity})
		if err != nil {
			return nil, fmt.Errorf("opening: %w", err)
		}
		if _, err := rec.Publish(ctx, district, o.ID); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		openings = append(openings, o.ID)
	}
	hash, err := accounts.HashPassword(seedPassword)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	cands := make([]candidate, n)
	const batch = 500
	for lo := 0; lo < n; lo += batch {
		hi := min(n, lo+batch)
		users := make([]models.User, 0, hi-lo)
		for i := lo; i < hi; i++ {
			users = append(users, models.User{Username: phone(salt, i), PasswordHash: hash, Role: models.RoleApplicant,
				DisplayName: fmt.Sprintf("考生%05d", i), CreatedAt: now, UpdatedAt: now})
		}
		if err := st.DB().WithContext(ctx).Create(&users).Error; err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		apps := make([]models.Application, 0, len(users))
		for j, u := range users {
			uid := u.ID
			h := fmt.Sprintf("examday-%d-%d", salt, lo+j)
			proposed := now
			apps = append(apps, models.Application{OpeningID: openings[(lo+j)/500], UserID: u.ID, ActiveIDHash: &h, ActiveUserID: &uid,
				Status: models.AppProposed, Name: u.DisplayName, Phone: u.Username, IDCipher: []byte{0}, IDCipherVersion: 2,
				IDHash: h, IDMasked: "320***********0000", Education: "high_school", Major: "法学", Accepts: true, Healthy: true,
				Conditions: "{}", ReferenceDate: "2026-01-20", Result: "{}", SubmittedAt: now, ProposedAt: &proposed,
				CreatedAt: now, UpdatedAt: now})
			cands[lo+j] = candidate{Username: u.Username, UserID: u.ID}
		}
		if err := st.DB().WithContext(ctx).Create(&apps).Error; err != nil {
			return nil, fmt.Errorf("applications: %w", err)
		}
		var sessions []models.Session
		for j, u := range users {
			if float64((lo+j)%1000) >= signedIn*1000 {
				continue
			}
			tok := make([]byte, 32)
			_, _ = rand.Read(tok)
			token := hex.EncodeToString(tok)
			sum := sha256.Sum256([]byte(token))
			at := now.Add(-time.Duration(1+(lo+j)%72) * time.Hour)
			sessions = append(sessions, models.Session{TokenHash: hex.EncodeToString(sum[:]), UserID: u.ID, CreatedAt: at,
				ExpiresAt: at.Add(accounts.ApplicantTTL), LastSeen: at, IP: "127.0.0.1", UserAgent: "examday"})
			cands[lo+j].Token = token
		}
		if len(sessions) > 0 {
			if err := st.DB().WithContext(ctx).Create(&sessions).Error; err != nil {
				return nil, fmt.Errorf("sessions: %w", err)
			}
		}
	}
	svc := training.New(st, rec, clock.Real{}, nil, "http://127.0.0.1")
	for _, q := range exams.DemoBank() {
		if _, err := svc.CreateQuestion(ctx, district, q); err != nil {
			return nil, fmt.Errorf("bank: %w", err)
		}
	}
	bp, err := svc.CreateBlueprint(ctx, district, training.BlueprintInput{Name: "考试日演练", Spec: blueprint50(minutes)})
	if err != nil {
		return nil, fmt.Errorf("blueprint: %w", err)
	}
	// Opens at the current minute (sittings are set to the minute) and closes well after every
	// deadline; the last start is the window's end minus the default lead.
	opens := clock.InChina(time.Now()).Truncate(time.Minute)
	closes := opens.Add(time.Duration(minutes+60) * time.Minute)
	if _, err := svc.ScheduleSitting(ctx, district, training.SittingInput{Title: "考试日演练", BlueprintID: bp.ID,
		Opens: opens.Format("2006-01-02T15:04"), Closes: closes.Format("2006-01-02T15:04"), Venue: "区城管局考场",
		OpeningIDs: openings}); err != nil {
		return nil, fmt.Errorf("sitting: %w", err)
	}
	return cands, nil
}

// phone is a candidate's username: an 11-digit mobile number, unique per salt and index.
func phone(salt uint32, i int) string {
	return fmt.Sprintf("19%01d%08d", salt%10, (uint64(salt)*100003+uint64(i))%100000000)
}
