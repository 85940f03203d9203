package main

import (
	"bytes"
	"fmt"
	"maps"
	"mime/multipart"
	"net/textproto"
	"slices"
	"sync/atomic"

	"auxportal/bench/fixture"
)

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
