package micro

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"auxportal/accounts"
	"auxportal/bench/fixture"
	"auxportal/clock"
	"auxportal/handlers"
	"auxportal/models/storetest"
	"auxportal/pii"
	"auxportal/recruitment"
	"auxportal/screening"
)

// world is the portal's real router on a fresh database, with one published, open opening.
type world struct {
	h       http.Handler
	acc     *accounts.Service
	rec     *recruitment.Service
	opening uint64
	salt    uint32
	next    atomic.Int64
}

func newWorld(b *testing.B) *world {
	b.Helper()
	ctx := context.Background()
	st := storetest.Open(b)
	clk := clock.Real{}
	cipher, err := pii.New(bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32))
	if err != nil {
		b.Fatal(err)
	}
	// Cheap hashing: these benchmarks create many accounts; BenchmarkHashPassword prices argon2id.
	acc, err := accounts.New(st, clk, accounts.WithCheapHashing())
	if err != nil {
		b.Fatal(err)
	}
	rec := recruitment.New(st, cipher, clk, nil)
	if err := rec.EnsureBaseConditions(ctx); err != nil {
		b.Fatal(err)
	}
	if err := acc.CreateDistrictAdmin(ctx, "district", "Sea-kite-orchard-71", "区城管局"); err != nil {
		b.Fatal(err)
	}
	in, err := acc.Login(ctx, "district", "Sea-kite-orchard-71", accounts.ClientInfo{IP: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	admin := in.Actor
	town, err := rec.TownByName(ctx, "三星镇")
	if err != nil {
		b.Fatal(err)
	}
	today := screening.DateOf(time.Now().In(clock.China))
	o, err := rec.CreateOpening(ctx, admin, recruitment.OpeningInput{
		TownID: town.ID, Title: "城市管理辅助人员（巡查岗）", Seats: 3, Description: "基准测试",
		OpensAt: today.AddDays(-1).String(), ClosesAt: today.AddDays(30).String(),
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := rec.Publish(ctx, admin, o.ID); err != nil {
		b.Fatal(err)
	}
	h, err := handlers.New(handlers.Deps{
		Accounts: acc, Recruitment: rec, Clock: clk, Log: slog.New(slog.DiscardHandler),
		RateLimits: handlers.RateLimits{Disabled: true},
	})
	if err != nil {
		b.Fatal(err)
	}
	return &world{h: h, acc: acc, rec: rec, opening: o.ID, salt: uint32(time.Now().UnixNano())}
}

// applicant registers and signs in a new applicant and returns it with its session token.
func (w *world) applicant(b *testing.B) (fixture.Applicant, string) {
	a := fixture.NewApplicant(w.salt, int(w.next.Add(1)))
	ctx := context.Background()
	if _, err := w.acc.CreateApplicant(ctx, accounts.RegisterInput{Phone: a.Phone, Password: a.Password, Name: a.Name}); err != nil {
		b.Fatal(err)
	}
	in, err := w.acc.Login(ctx, a.Phone, a.Password, accounts.ClientInfo{IP: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return a, in.Token
}

func (w *world) serve(b *testing.B, method, path, ctype string, body []byte, token string, want int) []byte {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "auxportal_session", Value: token})
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: %d, want %d: %s", method, path, rec.Code, want, rec.Body)
	}
	return rec.Body.Bytes()
}

func benchEligibility(b *testing.B, signedIn bool) {
	w := newWorld(b)
	type user struct {
		body  []byte
		token string
	}
	users := make([]user, 50)
	for i := range users {
		a, tok := w.applicant(b)
		if !signedIn {
			tok = ""
		}
		body, _ := json.Marshal(a.Form(i))
		users[i] = user{body, tok}
	}
	path := fmt.Sprintf("/api/v1/openings/%d/eligibility", w.opening)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := users[int(n.Add(1))%len(users)]
			w.serve(b, "POST", path, "application/json", u.body, u.token, http.StatusOK)
		}
	})
}

// The public eligibility check through the router, without a session cookie …
func BenchmarkEligibilityAnonymous(b *testing.B) { benchEligibility(b, false) }

// … and with one, as the application page sends it: every request first loads the session.
func BenchmarkEligibilitySignedIn(b *testing.B) { benchEligibility(b, true) }

func multipartBody(fields map[string]string, files map[string][]byte) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		_ = mw.WriteField(k, fields[k])
	}
	for _, k := range slices.Sorted(maps.Keys(files)) {
		fw, _ := mw.CreateFormFile(k, k+".jpg")
		_, _ = fw.Write(files[k])
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// A complete application with the storm's photo and diploma, through the router (one applicant
// per iteration; registering them is outside the timer).
func BenchmarkApply(b *testing.B) {
	w := newWorld(b)
	files := map[string][]byte{"photo": photo(b, 600, 800, 200), "diploma": photo(b, 1000, 700, 150)}
	path := fmt.Sprintf("/api/v1/openings/%d/applications", w.opening)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		a, tok := w.applicant(b)
		body, ctype := multipartBody(a.FormValues(0), files)
		b.StartTimer()
		w.serve(b, "POST", path, ctype, body, tok, http.StatusCreated)
	}
}

// The sanitising worker: one file of the storm's (photo or diploma, alternately) claimed from
// quarantine, decoded, re-encoded and stored ready. BenchmarkApply is now the acknowledgement
// alone; an application costs BenchmarkApply plus two of these.
func BenchmarkSanitizeQueued(b *testing.B) {
	w := newWorld(b)
	files := map[string][]byte{"photo": photo(b, 600, 800, 200), "diploma": photo(b, 1000, 700, 150)}
	path := fmt.Sprintf("/api/v1/openings/%d/applications", w.opening)
	ctx := context.Background()
	b.ReportAllocs()
	queued := 0
	for b.Loop() {
		if queued == 0 {
			b.StopTimer()
			a, tok := w.applicant(b)
			body, ctype := multipartBody(a.FormValues(0), files)
			w.serve(b, "POST", path, ctype, body, tok, http.StatusCreated)
			queued = 2
			b.StartTimer()
		}
		if out, err := w.rec.SanitizeNext(ctx, "bench"); err != nil || out != recruitment.SanitizeReady {
			b.Fatalf("sanitise: %v %v", out, err)
		}
		queued--
	}
}

// A status reload: the applicant's list and their application's page.
func BenchmarkStatusReload(b *testing.B) {
	w := newWorld(b)
	files := map[string][]byte{"photo": photo(b, 358, 441, 50), "diploma": photo(b, 358, 441, 50)}
	type user struct {
		token string
		id    uint64
	}
	users := make([]user, 50)
	for i := range users {
		a, tok := w.applicant(b)
		body, ctype := multipartBody(a.FormValues(0), files)
		var v struct {
			ID uint64 `json:"id"`
		}
		if err := json.Unmarshal(w.serve(b, "POST", fmt.Sprintf("/api/v1/openings/%d/applications", w.opening), ctype, body, tok, 201), &v); err != nil {
			b.Fatal(err)
		}
		users[i] = user{tok, v.ID}
	}
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			u := users[int(n.Add(1))%len(users)]
			w.serve(b, "GET", "/api/v1/me/applications", "", nil, u.token, http.StatusOK)
			w.serve(b, "GET", fmt.Sprintf("/api/v1/applications/%d", u.id), "", nil, u.token, http.StatusOK)
		}
	})
}
