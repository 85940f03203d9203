package loadkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

const SessionCookie = "auxportal_session"

// WrongAnswer is the pseudo-status of a 2xx response whose body is not what it must be.
const WrongAnswer = -1

// Client talks to one portal over HTTP/1.1 keep-alive connections shared by every simulated user.
type Client struct {
	Base string
	HC   *http.Client
}

func NewClient(base string, conns int, timeout time.Duration) *Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &Client{Base: strings.TrimRight(base, "/"), HC: &http.Client{Transport: tr, Timeout: timeout}}
}

// Reply is what came back.
type Reply struct {
	Status int
	Body   []byte
	Token  string // the session cookie set, if any
}

// Do sends one request and records it in k: expected when the status is one of want and check
// (if any) accepts the body.
func (c *Client) Do(ctx context.Context, k *KindStats, method, path, ctype string, body []byte, token string,
	check func([]byte) bool, want ...int) Reply {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, bytes.NewReader(body))
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
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
	}
	start := time.Now()
	resp, err := c.HC.Do(req)
	if err != nil {
		k.Record(time.Since(start), 0, false, fmt.Sprintf("%s %s: %v", method, path, err))
		return Reply{}
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		k.Record(d, 0, false, fmt.Sprintf("%s %s: reading the body: %v", method, path, err))
		return Reply{}
	}
	r := Reply{Status: resp.StatusCode, Body: b}
	for _, ck := range resp.Cookies() {
		if ck.Name == SessionCookie {
			r.Token = ck.Value
		}
	}
	ok := slices.Contains(want, resp.StatusCode)
	st := resp.StatusCode
	if ok && check != nil && !check(b) {
		ok, st = false, WrongAnswer
	}
	desc := ""
	if !ok {
		desc = fmt.Sprintf("%s %s → %d: %s", method, path, resp.StatusCode, Tail(string(b), 300))
	}
	k.Record(d, st, ok, desc)
	return r
}

func (c *Client) PostJSON(ctx context.Context, k *KindStats, path string, body []byte, token string,
	check func([]byte) bool, want ...int) Reply {
	return c.Do(ctx, k, http.MethodPost, path, "application/json", body, token, check, want...)
}

func MustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
