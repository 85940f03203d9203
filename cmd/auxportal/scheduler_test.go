package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/google/uuid"
	"github.com/jonboulle/clockwork"

	"auxportal/accounts"
	"auxportal/certificates"
	"auxportal/certificates/permits"
	"auxportal/clock"
	"auxportal/exams"
	"auxportal/exams/training"
	"auxportal/jobs"
	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/email"
	"auxportal/notices/smtptest"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/refresher"
	"auxportal/screening"
)

// replica is one portal's services and scheduler over the shared database.
type replica struct {
	store  *models.Store
	exams  *training.Service
	cycle  *refresher.Service
	notes  *notices.Service
	sched  gocron.Scheduler
	owner  string
	trainr models.Actor
}

// Rule T-4 on two replicas sharing one database (MariaDB when AUXPORTAL_TEST_MYSQL_DSN is set,
// as CI runs it; else one SQLite file) for a simulated year on one fake clock: every tick of every job runs on
// exactly one replica, each notice is recorded and mailed exactly once, and each suspension
// happens once — while holders pass on time, pass late, or never sit.
func TestSchedulersOnTwoReplicas_T4(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated year")
	}
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "year.db")
	if os.Getenv(storetest.EnvMySQL) != "" {
		dsn = storetest.DSN(t)
	}
	fake := clockwork.NewFakeClockAt(time.Date(2026, 11, 8, 12, 0, 0, 0, clock.China))
	mail := smtptest.Start(t)
	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelWarn}))

	// Both replicas' jobs fire at the same instants; events counts what each tick did on each.
	events := make(chan string, 1024)
	listenersOf := func(owner string) []gocron.EventListener {
		return []gocron.EventListener{
			gocron.AfterJobRuns(func(_ uuid.UUID, name string) { events <- name }),
			gocron.AfterJobRunsWithError(func(_ uuid.UUID, name string, err error) { t.Errorf("%s on %s: %v", name, owner, err); events <- name }),
			gocron.AfterJobRunsWithPanic(func(_ uuid.UUID, name string, v any) {
				t.Errorf("%s on %s panicked: %v", name, owner, v)
				events <- name
			}),
			gocron.AfterLockError(func(_ uuid.UUID, name string, err error) {
				if err != models.ErrSlotTaken {
					t.Errorf("%s lock on %s: %v", name, owner, err)
				}
				events <- name
			}),
		}
	}
	// The year's jobs, once a day each (the portal runs the results every ten minutes; a day is
	// enough here and keeps the simulated year short).
	times := map[string]string{"refresher.results": "0 50 16 * * *", "refresher.daily": "0 0 17 * * *", "notices.deliver": "0 30 17 * * *"}
	var reps []*replica
	var shared *models.Store
	for i := range 2 {
		// On MariaDB each replica has its own connection pool, as two portals would. Replicas
		// on SQLite are not supported (one file, one portal): there the two schedulers share
		// one Store, which still has them race for every tick's lock.
		st := shared
		if st == nil {
			var err error
			if st, err = models.Open(ctx, dsn, nil); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(dsn, "mysql:") {
				shared = st
			}
		}
		r := newReplica(t, st, fake, mail, i)
		var js []job
		for _, j := range portalJobs(jobDeps{store: st, accounts: nil, exams: r.exams, notes: r.notes, refresher: r.cycle, log: log, clock: fake}) {
			if cron, ok := times[j.name]; ok {
				j.cron, j.slot = cron, 24*time.Hour
				js = append(js, j)
			}
		}
		var err error
		r.sched, err = newScheduler(ctx, st, fake, log, r.owner, js, listenersOf(r.owner)...)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	a := reps[0]
	stock(t, a)
	// Holders issued on 2026-01-10: valid until 2027-01-09, windows open 2026-11-10.
	onTime := holderOf(t, a.store, "吴志强", "2026-01-10", 1)
	late := holderOf(t, a.store, "郑晓燕", "2026-01-10", 2)
	never := holderOf(t, a.store, "钱一鸣", "2026-01-10", 3)
	// Issued 2026-03-01: valid until 2027-02-28, window from 2026-12-30.
	march := holderOf(t, a.store, "孙二娜", "2026-03-01", 4)
	for _, r := range reps {
		r.sched.Start()
		t.Cleanup(func() { _ = r.sched.Shutdown() })
	}

	// The year, day by day: each day's three ticks, each waited for until one replica has run
	// it to its end (its run record is finished). Both replicas fire at every tick; which one
	// wins the slot does not matter, that exactly one does is the point.
	go func() {
		for range events { // the listeners' events; errors are reported where they happen
		}
	}()
	t.Cleanup(func() { close(events) })
	wait := func(name string, tick time.Time) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			runs, err := a.store.JobRuns(ctx, name, 1)
			if err != nil {
				t.Fatal(err)
			}
			slot := tick.Add(12 * time.Hour).Truncate(24 * time.Hour) // the daily slot the lock rounds to
			if len(runs) == 1 && runs[0].Slot.Equal(slot) && runs[0].FinishedAt != nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not run for %s on either replica (last run %+v)", name, tick, runs)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	day := time.Date(2026, 11, 9, 0, 0, 0, 0, clock.China)
	end := day.AddDate(1, 0, 0)
	days := 0
	for ; day.Before(end); day = day.Add(24 * time.Hour) {
		for _, step := range []struct {
			at   time.Duration
			name string
		}{{50 * time.Minute, "refresher.results"}, {time.Hour, "refresher.daily"}, {90 * time.Minute, "notices.deliver"}} {
			tick := day.Add(step.at)
			armed(reps, step.name, tick) // both schedulers wait for this tick (as far as they can tell)
			fake.Advance(tick.Sub(fake.Now()))
			wait(step.name, tick)
		}
		days++
		// What the people do that day (at noon, after the night's jobs).
		fake.Advance(day.Add(12 * time.Hour).Sub(fake.Now()))
		switch day.Format("2006-01-02") {
		case "2026-11-12":
			sitIn(t, a, onTime)
		case "2026-12-01", "2027-01-01", "2027-02-01", "2027-03-01":
			publishOver(t, a) // the trainers publish last month's sitting
		case "2027-01-15":
			sitIn(t, a, late) // after the date: suspended since 2027-01-10
		case "2027-01-20":
			sitIn(t, a, march)
		}
	}

	// Every tick ran once: one run record per job and day, none doubled, none lost.
	for name := range times {
		runs, err := a.store.JobRuns(ctx, name, 1000)
		if err != nil {
			t.Fatal(err)
		}
		owners := map[string]int{}
		for _, r := range runs {
			owners[r.Owner]++
			if r.FinishedAt == nil {
				t.Errorf("%s at %s never finished", name, r.Slot)
			}
		}
		if len(runs) != days {
			t.Errorf("%s ran %d times in %d days", name, len(runs), days)
		}
		t.Logf("%s: %d runs, by replica %v", name, len(runs), owners)
	}
	// The outcomes.
	for _, c := range []struct {
		who    holder
		status string
		until  string
	}{
		{onTime, models.PermitActive, "2028-01-09"}, // renewed in time; the next window opens 2027-11-10, after this year
		{late, models.PermitActive, "2028-01-09"},   // suspended 2027-01-10, restored by the late pass on the same anniversary
		{never, models.PermitSuspended, "2027-01-09"},
		{march, models.PermitActive, "2028-02-29"}, // the day before 2028-03-01, a leap year
	} {
		p, err := a.store.PermitByID(ctx, c.who.permit)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != c.status || p.ValidUntil != c.until {
			t.Errorf("%s: %s until %s, want %s until %s", c.who.name, p.Status, p.ValidUntil, c.status, c.until)
		}
	}
	// Each suspension happened once.
	for _, h := range []holder{late, never} {
		es, err := a.store.PermitEvents(ctx, h.permit)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.Kind == "suspended" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s was suspended %d times", h.name, n)
		}
	}
	// Each notice was recorded once (the dedup key) and mailed once (one message per notice).
	counts := map[string]int{}
	for _, m := range mail.Messages() {
		counts[m.MessageID]++
	}
	sent := 0
	for id, n := range counts {
		if n != 1 {
			t.Errorf("message %s arrived %d times", id, n)
		}
		sent++
	}
	var recorded int
	for _, h := range []holder{onTime, late, never, march} {
		ns, err := a.store.ListNotices(ctx, h.user, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, n := range ns {
			kinds[n.Kind]++
		}
		for k, n := range kinds {
			if n != 1 {
				t.Errorf("%s got %d %s notices", h.name, n, k)
			}
		}
		recorded += len(ns)
		t.Logf("%s: %v", h.name, kinds)
	}
	if sent < recorded {
		t.Errorf("%d holder notices recorded, %d messages mailed in all", recorded, sent)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs.String())
	}
}

// armed waits a moment until every replica's scheduler has the job's next run at tick, so that
// the fake clock is not advanced before the timers are set. It does not fail: gocron may, with
// a clock that jumps, arm one replica late or twice; the other replica, or the duplicate's
// lost lock, makes up for it, and wait checks that the tick ran exactly once.
func armed(reps []*replica, name string, tick time.Time) {
	deadline := time.Now().Add(2 * time.Second)
	for _, r := range reps {
		for time.Now().Before(deadline) {
			ok := false
			for _, j := range r.sched.Jobs() {
				if j.Name() == name {
					next, err := j.NextRun()
					ok = err == nil && next.Equal(tick)
				}
			}
			if ok {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
}

// lockedWriter serialises the log of two replicas.
type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newReplica(t *testing.T, st *models.Store, fake clockwork.Clock, mail *smtptest.Server, i int) *replica {
	t.Helper()
	ctx := context.Background()
	c, err := pii.New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		t.Fatal(err)
	}
	rec := recruitment.New(st, c, fake, nil)
	ex := training.New(st, rec, fake, nil, "https://portal.example")
	signer, err := certificates.NewSigner(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	pm := permits.New(st, signer, fake, nil, jobs.New(st, fake, nil), "https://portal.example", permits.DefaultPolicy)
	snd, err := email.New(email.Config{Host: mail.Host, Port: mail.Port, From: "海门区城市管理局 <noreply@haimen.example>", TLS: email.NoTLS,
		PublicURL: "https://portal.example"})
	if err != nil {
		t.Fatal(err)
	}
	notes := notices.New(st, fake, nil, snd)
	r := &replica{store: st, exams: ex, cycle: refresher.New(st, pm, ex, notes, fake, nil, refresher.DefaultSettings),
		owner: fmt.Sprintf("replica-%d", i), notes: notes}
	if i == 0 {
		acc, err := accounts.New(st, fake, accounts.WithCheapHashing())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := acc.EnsureAdmin(ctx, "admin", "Correct-horse-battery-9"); err != nil {
			t.Fatal(err)
		}
		admin, _ := st.UserByUsername(ctx, "admin")
		u, err := acc.CreateStaff(ctx, actor(admin), accounts.StaffInput{Username: "trainer1", Password: "Correct-horse-battery-9",
			Name: "培训员", Role: models.RoleTrainer})
		if err != nil {
			t.Fatal(err)
		}
		r.trainr = actor(u)
	}
	return r
}

func actor(u *models.User) models.Actor {
	return models.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Role: u.Role, TownID: u.TownID}
}

// stock gives the bank the demo questions and a refresher blueprint without short answers.
func stock(t *testing.T, r *replica) {
	t.Helper()
	ctx := context.Background()
	for _, q := range exams.DemoBank() {
		if _, err := r.exams.CreateQuestion(ctx, r.trainr, q); err != nil {
			t.Fatal(err)
		}
	}
	spec := exams.DemoBlueprint()
	cells := spec.Cells[:0]
	for _, c := range spec.Cells {
		if c.Type != exams.Short {
			cells = append(cells, c)
		}
	}
	spec.Cells, spec.DurationMinutes = cells, 30
	if _, err := r.exams.CreateBlueprint(ctx, r.trainr, training.BlueprintInput{Name: "年度复训", Purpose: models.PurposeRefresher, Spec: spec}); err != nil {
		t.Fatal(err)
	}
}

type holder struct {
	name   string
	user   uint64
	permit uint64
}

// holderOf writes a permit holder of 三星镇 with an e-mail address.
func holderOf(t *testing.T, st *models.Store, name, issued string, n int) holder {
	t.Helper()
	ctx := context.Background()
	mailbox := fmt.Sprintf("holder%d@haimen.example", n)
	u := &models.User{Username: fmt.Sprintf("1370000000%d", n), PasswordHash: "unused", Role: models.RoleApplicant, DisplayName: name, Email: &mailbox}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	town, err := st.TownByName(ctx, "三星镇")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := screening.ParseDate(issued)
	p := &models.Permit{No: certificates.FormatPermitNo(d.Year, int64(n)), UserID: u.ID, TownID: &town.ID, HolderName: name,
		IDMasked: "320*************11", Post: "城市管理辅助人员", IssuedOn: issued, Cycle: 1,
		ValidUntil: certificates.ValidUntil(d, 1).String(), Status: models.PermitActive, IssuedBy: 1}
	if err := st.CreatePermit(ctx, p); err != nil {
		t.Fatal(err)
	}
	return holder{name: name, user: u.ID, permit: p.ID}
}

// sitIn has the holder take their refresher exam now and pass it.
func sitIn(t *testing.T, r *replica, h holder) {
	t.Helper()
	ctx := context.Background()
	who := models.Actor{UserID: h.user, Name: h.name, Role: models.RoleApplicant}
	mine, err := r.exams.MyExams(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mine {
		if m.State != training.StateReady {
			continue
		}
		if _, err := r.exams.Start(ctx, who, m.CandidateID); err != nil {
			t.Fatal(err)
		}
		c, err := r.store.CandidateByID(ctx, m.CandidateID)
		if err != nil {
			t.Fatal(err)
		}
		paper, err := exams.Open(exams.Sealed{JSON: c.Paper, SHA256: c.PaperHash})
		if err != nil {
			t.Fatal(err)
		}
		var saves []training.SaveInput
		for i, it := range paper.Items() {
			var a exams.Answer
			switch it.Type {
			case exams.Single, exams.Multiple:
				a.Choices = it.Correct
			case exams.TrueFalse:
				a.Truth = it.Truth
			case exams.Fill:
				for _, b := range it.Blanks {
					a.Blanks = append(a.Blanks, b.Accepted[0])
				}
			}
			saves = append(saves, training.SaveInput{No: it.No, Seq: int64(i + 1), Answer: a})
		}
		if _, err := r.exams.Save(ctx, who, m.CandidateID, saves); err != nil {
			t.Fatal(err)
		}
		if _, err := r.exams.HandIn(ctx, who, m.CandidateID); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("%s has no refresher exam to take on %s: %+v", h.name, time.Now(), mine)
}

// publishOver publishes every refresher sitting whose results can be published.
func publishOver(t *testing.T, r *replica) {
	t.Helper()
	ctx := context.Background()
	sts, err := r.exams.Sittings(ctx, r.trainr)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.Purpose == models.PurposeRefresher && st.Status == models.SittingScheduled && st.PublishBlocker == "" {
			if _, err := r.exams.PublishResults(ctx, r.trainr, st.ID); err != nil {
				t.Fatalf("publish %s: %v", st.Title, err)
			}
		}
	}
}

// The lock's slot is the tick rounded to the nearest period: replicas whose clocks differ by
// less than half a period claim the same slot, so one runs it; the next tick is a new slot.
func TestDBLocker_OneWinnerPerSlot(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	tick := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name       string
		period     time.Duration
		a, b       time.Duration // each replica's clock error at the tick
		bothLocked bool
	}{
		{"same instant", 24 * time.Hour, 0, 0, false},
		{"a second apart", 24 * time.Hour, -time.Second, time.Second, false},
		{"15-second job, 6 s of skew", 15 * time.Second, -3 * time.Second, 3 * time.Second, false},
		{"15-second job, a whole tick apart", 15 * time.Second, 0, 15 * time.Second, true},
	} {
		name := "test." + strings.ReplaceAll(c.name, " ", "_")
		la := &dbLocker{store: st, clock: clockwork.NewFakeClockAt(tick.Add(c.a)), owner: "a", slots: map[string]time.Duration{name: c.period}}
		lb := &dbLocker{store: st, clock: clockwork.NewFakeClockAt(tick.Add(c.b)), owner: "b", slots: map[string]time.Duration{name: c.period}}
		ka, errA := la.Lock(ctx, name)
		kb, errB := lb.Lock(ctx, name)
		if errA != nil {
			t.Fatalf("%s: the first lock failed: %v", c.name, errA)
		}
		if c.bothLocked != (errB == nil) {
			t.Errorf("%s: second lock %v, want both locked %v", c.name, errB, c.bothLocked)
		}
		if errB != nil && errB != models.ErrSlotTaken {
			t.Errorf("%s: second lock error %v", c.name, errB)
		}
		_ = ka.Unlock(ctx)
		if kb != nil {
			_ = kb.Unlock(ctx)
		}
	}
	runs, err := st.JobRuns(ctx, "test.same_instant", 10)
	if err != nil || len(runs) != 1 || runs[0].FinishedAt == nil || runs[0].Owner != "a" {
		t.Errorf("run record %+v %v", runs, err)
	}
}
