package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"auxportal/bench/fixture"
)

const sessionCookie = "auxportal_session"

// wrongAnswer is the pseudo-status of a 2xx response whose body is not what it must be.
const wrongAnswer = -1

// client talks to one portal over HTTP/1.1 keep-alive connections shared by every simulated user.
type client struct {
	base string
	hc   *http.Client
}

func newClient(base string, conns int, timeout time.Duration) *client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &client{base: strings.TrimRight(base, "/"), hc: &http.Client{Transport: tr, Timeout: timeout}}
}

// reply is what came back.
type reply struct {
	status int
	body   []byte
	token  string // the session cookie set, if any
}

// do sends one request and records it in k: expected when the status is one of want and check
// (if any) accepts the body.
func (c *client) do(ctx context.Context, k *kindStats, method, path, ctype string, body []byte, token string,
	check func([]byte) bool, want ...int) reply {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	if body == nil {
		req.Body = http.NoBody
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		k.record(time.Since(start), 0, false, fmt.Sprintf("%s %s: %v", method, path, err))
		return reply{}
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		k.record(d, 0, false, fmt.Sprintf("%s %s: reading the body: %v", method, path, err))
		return reply{}
	}
	r := reply{status: resp.StatusCode, body: b}
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			r.token = ck.Value
		}
	}
	ok := slices.Contains(want, resp.StatusCode)
	st := resp.StatusCode
	if ok && check != nil && !check(b) {
		ok, st = false, wrongAnswer
	}
	desc := ""
	if !ok {
		desc = fmt.Sprintf("%s %s → %d: %s", method, path, resp.StatusCode, tail(string(b), 300))
	}
	k.record(d, st, ok, desc)
	return r
}

func (c *client) postJSON(ctx context.Context, k *kindStats, path string, body []byte, token string,
	check func([]byte) bool, want ...int) reply {
	return c.do(ctx, k, http.MethodPost, path, "application/json", body, token, check, want...)
}

// person is one simulated applicant.
type person struct {
	fixture.Applicant
	token string
	elig  [][]byte      // eligibility bodies, one per variant of the form while it is typed
	appID atomic.Uint64 // set once the application is acknowledged (201)

	// Written by the one client that applies for this person, read after the phase.
	attempted bool     // an application was sent
	answered  bool     // the application got an HTTP answer (without one, its outcome is unknown)
	extraIDs  []uint64 // applications acknowledged beyond the first: duplicates
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// applicationBody builds the multipart body of an application: the form fields and the files.
func applicationBody(fields map[string]string, files map[string][]byte) (body []byte, ctype string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		_ = mw.WriteField(k, fields[k])
	}
	for _, kind := range slices.Sorted(maps.Keys(files)) {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s.jpg"`, kind, kind))
		h.Set("Content-Type", "image/jpeg")
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(files[kind])
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// applicationView is the part of an application the storm checks.
type applicationView struct {
	ID     uint64 `json:"id"`
	Status string `json:"status"`
	Files  []struct {
		Kind string `json:"kind"`
	} `json:"files"`
}

// summaries is the body of the application lists.
type summaries struct {
	Applications []struct {
		ID     uint64 `json:"id"`
		Status string `json:"status"`
	} `json:"applications"`
}
