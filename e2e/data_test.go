package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"auxportal/screening"
)

// idNumber builds a valid 18-character resident ID number (GB 11643-1999) for a birth date,
// in Haimen (320684), with the given 3-digit sequence code.
func idNumber(t *testing.T, birth time.Time, seq string) string {
	t.Helper()
	first17 := "320684" + birth.Format("20060102") + seq
	c, ok := screening.IDCheckChar(first17)
	if !ok {
		t.Fatalf("IDCheckChar(%q) failed", first17)
	}
	return first17 + string(c)
}

// bornAged returns a birth date at which a person is exactly `age` full years old on ref
// (and stays so for a while either side, so no boundary is involved).
func bornAged(ref time.Time, age int) time.Time {
	return ref.AddDate(-age, 0, -100)
}

// writeJPEG writes a small but real JPEG photo (the portal decodes and re-encodes uploads).
func writeJPEG(t *testing.T, dir, name string, shade uint8) string {
	t.Helper()
	b := jpegBytes(t, shade)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func jpegBytes(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 400))
	for y := range 400 {
		for x := range 300 {
			img.Set(x, y, color.RGBA{shade, uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openingInfo is the part of GET /api/v1/openings/{id} the tests need.
type openingInfo struct {
	ID            uint64 `json:"id"`
	Town          string `json:"town"`
	Title         string `json:"title"`
	ReferenceDate string `json:"reference_date"`
}

func (o openingInfo) reference(t *testing.T) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", o.ReferenceDate)
	if err != nil {
		t.Fatalf("reference_date %q: %v", o.ReferenceDate, err)
	}
	return d
}

// apiClient is an applicant or admin talking to the JSON API with its own cookie jar.
type apiClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func newAPIClient(t *testing.T, base string) *apiClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

// do sends a request and decodes a JSON answer; it fails the test unless the status is want.
func (c *apiClient) do(req *http.Request, want int, into any) {
	c.t.Helper()
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %s, want %d\n%s", req.Method, req.URL.Path, resp.Status, want, body)
	}
	if into != nil {
		if err := json.Unmarshal(body, into); err != nil {
			c.t.Fatalf("%s %s: %v\n%s", req.Method, req.URL.Path, err, body)
		}
	}
}

func (c *apiClient) postJSON(path string, in any, want int, into any) {
	c.t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	c.do(req, want, into)
}

// apiApplication is the part of an application view the tests need.
type apiApplication struct {
	ID     uint64 `json:"id"`
	Status string `json:"status"`
	Name   string `json:"name"`
}

// registerAndApply registers an applicant and submits an application through the JSON API
// (multipart, with photo and diploma), as the page script of another client would.
func (c *apiClient) registerAndApply(p *portal, openingID uint64, phone, name, password string, fields map[string]string) apiApplication {
	c.t.Helper()
	c.postJSON("/api/v1/verification-codes", map[string]string{"purpose": "register", "phone": phone}, http.StatusAccepted, nil)
	c.postJSON("/api/v1/applicants", map[string]any{"phone": phone, "code": p.code(c.t, phone), "name": name, "password": password,
		"consent_sensitive": true}, http.StatusCreated, nil)
	c.postJSON("/api/v1/session", map[string]string{"username": phone, "password": password}, http.StatusOK, nil)
	return c.apply(openingID, fields, map[string][]byte{"photo": jpegBytes(c.t, 10), "diploma": jpegBytes(c.t, 50)})
}

// apply submits an application through the JSON API as the signed-in account (multipart).
func (c *apiClient) apply(openingID uint64, fields map[string]string, files map[string][]byte) apiApplication {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			c.t.Fatal(err)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(files)) {
		fw, err := w.CreateFormFile(kind, kind+".jpg")
		if err != nil {
			c.t.Fatal(err)
		}
		if _, err := fw.Write(files[kind]); err != nil {
			c.t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/openings/%d/applications", c.base, openingID), &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var app apiApplication
	c.do(req, http.StatusCreated, &app)
	return app
}

// useCookies puts a browser's cookies in the client's jar: the client then acts in the same
// session (the journeys read what the server holds for the user in the browser).
func (c *apiClient) useCookies(cookies []*http.Cookie) {
	u, err := url.Parse(c.base)
	if err != nil {
		c.t.Fatal(err)
	}
	c.http.Jar.SetCookies(u, cookies)
}

func (c *apiClient) getJSON(path string, want int, into any) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	c.do(req, want, into)
}
