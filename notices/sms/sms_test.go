package sms_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"auxportal/models"
	"auxportal/models/storetest"
	"auxportal/notices"
	"auxportal/notices/sms"
)

func TestSender_AddressAndText(t *testing.T) {
	rec := &sms.Recorder{}
	s := sms.New(rec, "海门城管")
	for _, c := range []struct {
		u    models.User
		want string
	}{
		{models.User{Username: "13800000001", Role: models.RoleApplicant}, "13800000001"},
		{models.User{Username: "district", Role: models.RoleDistrictAdmin}, ""},
		{models.User{Username: "13800000001", Role: models.RoleTrainer}, ""}, // staff have no SMS address
		{models.User{Username: "unverified-9-13800000001", Role: models.RoleApplicant}, ""},
	} {
		if got := s.Address(&c.u); got != c.want {
			t.Errorf("Address(%+v) = %q, want %q", c.u, got, c.want)
		}
	}
	if err := s.Send(context.Background(), notices.Outgoing{DeliveryID: 7, To: "13800000001", Title: "t", Body: "验证码为 123456"}); err != nil {
		t.Fatal(err)
	}
	if m := rec.Messages(); len(m) != 1 || m[0].Text != "【海门城管】验证码为 123456" || m[0].ID != "auxportal-7" {
		t.Fatalf("sent %+v", m)
	}
	var se *notices.SendError
	if err := s.Send(context.Background(), notices.Outgoing{To: "12345", Body: "x"}); !errors.As(err, &se) || !se.Permanent {
		t.Fatalf("a bad number: %v", err)
	}
}

// The development gateway logs that a text went out, to a masked number, never the text
// (which holds the code) unless ShowText says so.
func TestLogGateway_KeepsCodesOutOfTheLog(t *testing.T) {
	var buf storetest.LogBuffer
	g := sms.LogGateway{Log: slog.New(slog.NewTextHandler(&buf, nil))}
	if err := g.Send(context.Background(), "auxportal-1", "13800000001", "【海门城管】您的注册验证码为 483920"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "483920") || strings.Contains(out, "13800000001") || !strings.Contains(out, "138****0001") || !strings.Contains(out, "level=INFO") {
		t.Fatalf("log %q", out)
	}
	g.ShowText = true
	_ = g.Send(context.Background(), "auxportal-2", "13800000001", "验证码为 111222")
	if !strings.Contains(buf.String(), "111222") {
		t.Fatalf("ShowText did not show the text: %q", buf.String())
	}
}

func TestWebhook(t *testing.T) {
	var got map[string]string
	var auth, key string
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, key = r.Header.Get("Authorization"), r.Header.Get("Idempotency-Key")
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":"quota"}`))
	}))
	defer srv.Close()
	w, err := sms.NewWebhook(srv.URL, "tok") // http to 127.0.0.1 is allowed
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Send(context.Background(), "auxportal-3", "13800000001", "hello"); err != nil {
		t.Fatal(err)
	}
	if got["phone"] != "13800000001" || got["text"] != "hello" || auth != "Bearer tok" || key != "auxportal-3" {
		t.Fatalf("request %v %q %q", got, auth, key)
	}
	for _, c := range []struct {
		status    int
		permanent bool
	}{{400, true}, {429, false}, {503, false}} {
		status = c.status
		var se *notices.SendError
		if err := w.Send(context.Background(), "id", "13800000001", "x"); !errors.As(err, &se) || se.Permanent != c.permanent {
			t.Errorf("%d: %v", c.status, err)
		}
	}
	for _, bad := range []string{"http://sms.example/send", "ftp://x", "not a url"} {
		if _, err := sms.NewWebhook(bad, ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
