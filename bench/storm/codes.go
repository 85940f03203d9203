package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"
)

// codeSink is the SMS adapter the storm's portal texts through (-sms-webhook): it takes the
// webhook's JSON, as a district's adapter to its operator would, and hands each verification
// code to the simulated applicant waiting for it.
type codeSink struct {
	URL string
	srv *http.Server

	mu      sync.Mutex
	codes   map[string]string        // phone → latest code
	waiting map[string]chan struct{} // phone → closed when a code arrives
}

var sinkCodeRE = regexp.MustCompile(`验证码为 ([0-9]{6})`)

func startCodeSink() (*codeSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &codeSink{URL: "http://" + ln.Addr().String() + "/sms", codes: map[string]string{}, waiting: map[string]chan struct{}{}}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *codeSink) serve(w http.ResponseWriter, r *http.Request) {
	var m struct{ ID, Phone, Text string }
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if c := sinkCodeRE.FindStringSubmatch(m.Text); c != nil {
		s.mu.Lock()
		s.codes[m.Phone] = c[1]
		if ch, ok := s.waiting[m.Phone]; ok {
			close(ch)
			delete(s.waiting, m.Phone)
		}
		s.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// expect registers interest in phone's next code; call it before asking for the code.
func (s *codeSink) expect(phone string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.codes, phone)
	ch := make(chan struct{})
	s.waiting[phone] = ch
	return ch
}

// wait returns the code texted to phone after expect, or an error after timeout.
func (s *codeSink) wait(ctx context.Context, phone string, ch <-chan struct{}, timeout time.Duration) (string, error) {
	select {
	case <-ch:
	case <-time.After(timeout):
		return "", fmt.Errorf("no code texted to %s within %v", phone, timeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.codes[phone], nil
}

func (s *codeSink) close() { _ = s.srv.Close() }
