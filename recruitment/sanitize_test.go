package recruitment_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"sync"
	"testing"
	"time"

	"auxportal/models"
	"auxportal/recruitment"
)

// badJPEG passes every cheap check (a JPEG by its bytes, dimensions and scans read from the
// header) but its image data stops half-way: only decoding finds out, in the worker.
func badJPEG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 400, 300)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()[:b.Len()/2]
}

// A file that sanitising refuses marks the application 需重新上传: the file is never served,
// the timeline says why, the applicant gets a notice, the page offers the upload again, a
// review of evidence waits; the new file goes through quarantine like the first.
func TestSanitize_RefusedFileMarksApplicationAndNotifies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	files := filesFor(t, f)
	files[recruitment.FilePhoto] = badJPEG(t)
	v, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, files)
	if err != nil {
		t.Fatalf("a file whose header is right is acknowledged: %v", err)
	}
	if n := e.drain(t); n != 2 {
		t.Fatalf("handled %d files, want 2", n)
	}
	v, err = e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.NeedsReupload) != 1 || v.NeedsReupload[0] != "证件照" || v.FilesProcessing {
		t.Fatalf("needs re-upload %v, processing %v", v.NeedsReupload, v.FilesProcessing)
	}
	var photo recruitment.FileView
	for _, fv := range v.Files {
		if fv.Kind == recruitment.FilePhoto {
			photo = fv
		}
	}
	if photo.State != models.UploadFailed || !photo.CanReplace || photo.Problem != "证件照无法处理：图片文件已损坏或不完整，无法读取" {
		t.Fatalf("photo %+v", photo)
	}
	for _, a := range []models.Actor{e.applicant, e.townAdmin} {
		_, err := e.svc.File(e.ctx, a, photo.ID)
		wantCode(t, err, models.ErrConflict, "file_rejected")
	}
	if u, err := e.store.UploadMeta(e.ctx, photo.ID); err != nil || u.Original != nil || len(u.Data) != 0 {
		t.Errorf("the refused original is kept: %v", err)
	}
	rejected := false
	for _, ev := range v.Events {
		rejected = rejected || ev.Kind == "upload_rejected" && strings.Contains(ev.Message, "重新上传证件照")
	}
	if !rejected {
		t.Errorf("timeline %+v", v.Events)
	}
	box, err := e.notes.Inbox(e.ctx, e.applicant, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(box.Notices) != 1 || box.Notices[0].Kind != "recruitment.upload_rejected" ||
		box.Notices[0].Link != fmt.Sprintf("/me/applications/%d", v.ID) || !strings.Contains(box.Notices[0].Title, "证件照") {
		t.Fatalf("inbox %+v", box.Notices)
	}
	// The reviewer sees the state, not a link; the admin's view offers no replacement.
	adm, err := e.svc.AdminApplication(e.ctx, e.townAdmin, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, fv := range adm.Files {
		if fv.Kind == recruitment.FilePhoto && (fv.State != models.UploadFailed || fv.CanReplace) {
			t.Errorf("admin's view of the photo: %+v", fv)
		}
	}

	// Only the owner replaces it, only a refused file, only with an image.
	_, err = e.svc.ReplaceFile(e.ctx, e.otherApplicant, photo.ID, testJPEG(t))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.ReplaceFile(e.ctx, e.townAdmin, photo.ID, testJPEG(t))
	wantKind(t, err, models.ErrNotFound)
	_, err = e.svc.ReplaceFile(e.ctx, e.applicant, photo.ID, []byte("not an image"))
	wantField(t, err, "file")
	for _, fv := range v.Files {
		if fv.Kind == recruitment.FileDiploma {
			_, err = e.svc.ReplaceFile(e.ctx, e.applicant, fv.ID, testJPEG(t))
			wantCode(t, err, models.ErrConflict, "cannot_replace")
		}
	}
	got, err := e.svc.ReplaceFile(e.ctx, e.applicant, photo.ID, testJPEG(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.NeedsReupload) != 0 || !got.FilesProcessing || len(got.Files) != 2 {
		t.Fatalf("after the replacement: %+v", got)
	}
	_, err = e.svc.ReplaceFile(e.ctx, e.applicant, photo.ID, testJPEG(t))
	wantKind(t, err, models.ErrNotFound) // the refused file is gone
	if n := e.drain(t); n != 1 {
		t.Fatalf("handled %d, want the replacement", n)
	}
	got, _ = e.svc.ApplicationFor(e.ctx, e.applicant, v.ID)
	for _, fv := range got.Files {
		if fv.State != models.UploadReady {
			t.Errorf("%s is %s", fv.Kind, fv.State)
		}
		if _, err := e.svc.File(e.ctx, e.applicant, fv.ID); err != nil {
			t.Errorf("%s: %v", fv.Kind, err)
		}
	}
}

// A decompression bomb's header is refused in the request; the worker never sees it. The pixel
// and scan caps of package media hold for the quarantine (media's own tests cover them).
func TestSanitize_BombsRefusedBeforeQuarantine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	files := filesFor(t, f)
	var b bytes.Buffer
	_ = jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	bomb := b.Bytes()
	// SOF0 height and width (offsets after the marker's length and precision) claim 65000×65000.
	i := bytes.Index(bomb, []byte{0xFF, 0xC0})
	copy(bomb[i+5:], []byte{0xFD, 0xE8, 0xFD, 0xE8})
	files[recruitment.FilePhoto] = bomb
	_, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, files)
	wantField(t, err, "file_photo")
	if n, err := e.store.QuarantineBacklog(e.ctx); err != nil || n != 0 {
		t.Fatalf("backlog %d %v: nothing of a refused form is stored", n, err)
	}
}

// Two replicas' workers racing over one database sanitise each file exactly once: the claim is
// one conditional write, and a worker whose lease was taken over cannot finish.
func TestSanitize_EachFileOnceAcrossTwoWorkers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	const apps = 12
	for i := range apps {
		who := e.candidate(t, fmt.Sprintf("考生%d", i))
		f := form(t)
		if _, err := e.svc.Apply(e.ctx, who, o.ID, f, filesFor(t, f)); err != nil {
			t.Fatal(err)
		}
	}
	other := recruitment.New(e.store, e.cipher, e.clock, nil) // a second replica
	workers := []*recruitment.Service{e.svc, other}
	counts := make([]int, len(workers))
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := w.SanitizeQueued(context.Background(), fmt.Sprintf("replica-%d", i))
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	_, d0 := e.svc.ImageBudget().Stats()
	_, d1 := other.ImageBudget().Stats()
	if counts[0]+counts[1] != 2*apps || d0+d1 != 2*apps {
		t.Fatalf("handled %v, decoded %d+%d, want %d in all", counts, d0, d1, 2*apps)
	}
	if n, _ := e.store.QuarantineBacklog(e.ctx); n != 0 {
		t.Fatalf("%d left in quarantine", n)
	}
	t.Logf("replica 0 sanitised %d, replica 1 %d", counts[0], counts[1])
}

// A worker that claimed a file and died leaves the lease to run out; another takes the file
// over, and the first, should it come back, cannot write its outcome.
func TestSanitize_LeaseTakeover(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.published(t, nil)
	f := form(t)
	if _, err := e.svc.Apply(e.ctx, e.applicant, o.ID, f, filesFor(t, f)); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	dead, err := e.store.ClaimQuarantinedUpload(e.ctx, "dead-replica", now, now.Add(recruitment.SanitizeLease))
	if err != nil || dead == nil {
		t.Fatalf("claim: %v %v", dead, err)
	}
	if n := e.drain(t); n != 1 {
		t.Fatalf("while the lease holds, the other file only: %d", n)
	}
	// A second past the lease: MariaDB rounds the stored lease to its column's milliseconds.
	e.clock.Advance(recruitment.SanitizeLease + time.Second)
	if n := e.drain(t); n != 1 {
		t.Fatalf("after the lease: %d", n)
	}
	err = e.store.FinishQuarantinedUpload(e.ctx, dead.ID, "dead-replica", map[string]any{"state": models.UploadReady})
	wantKind(t, err, models.ErrLeaseLost)
}
