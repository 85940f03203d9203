package permits

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"auxportal/certificates"
	"auxportal/clock"
	"auxportal/jobs"
	"auxportal/models"
)

// PrintInput is a print run: the live permits of one sitting's hires or of one town, as one
// PDF of card sheets (ten cards to an A4 page, to cut) or as a .zip of the single cards exactly
// as issued.
type PrintInput struct {
	SittingID uint64 `json:"sitting_id"`
	TownID    uint64 `json:"town_id"`
	Format    string `json:"format"` // "pdf" or "zip"
}

// Print queues a print run in the background; the page follows its progress and downloads the
// file. A town admin may print their own town's permits.
func (s *Service) Print(ctx context.Context, actor models.Actor, in PrintInput) (*jobs.View, error) {
	if in.Format != "pdf" && in.Format != "zip" {
		return nil, fieldErr("format", "请选择 PDF 或 ZIP")
	}
	if (in.SittingID == 0) == (in.TownID == 0) {
		return nil, models.Invalid("invalid_input", "请选择一场考试或一个区镇")
	}
	var townScope *uint64
	title := ""
	switch {
	case in.TownID != 0:
		if !canIssue(actor) && !(actor.Role == models.RoleTownAdmin && actor.CanManageTown(in.TownID)) {
			return nil, models.Deny(actor, "无权打印该区镇的上岗证")
		}
		t, err := s.store.TownByID(ctx, in.TownID)
		if err != nil {
			return nil, err
		}
		title, townScope = "打印上岗证："+t.Name, &t.ID
	default:
		if !canIssue(actor) {
			return nil, denyIssue(actor)
		}
		st, err := s.store.SittingByID(ctx, in.SittingID)
		if err != nil {
			return nil, err
		}
		title = "打印上岗证：" + st.Title
	}
	j, err := s.jobs.Enqueue(ctx, actor, JobPrint, title, in, townScope)
	if err != nil {
		return nil, err
	}
	return s.jobs.Get(ctx, actor, j.ID)
}

// printable are the permits of a print run, oldest number first.
func (s *Service) printable(ctx context.Context, in PrintInput) ([]models.Permit, error) {
	f := models.PermitFilter{Statuses: live}
	if in.TownID != 0 {
		f.TownID = &in.TownID
	} else {
		cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &in.SittingID})
		if err != nil {
			return nil, err
		}
		var apps []uint64
		for _, c := range cs {
			if c.ApplicationID != nil {
				apps = append(apps, *c.ApplicationID)
			}
		}
		if len(apps) == 0 {
			return nil, nil
		}
		var ps []models.Permit
		for _, id := range apps {
			f.ApplicationID = &id
			got, err := s.store.ListPermits(ctx, f)
			if err != nil {
				return nil, err
			}
			ps = append(ps, got...)
		}
		return reverse(ps), nil
	}
	ps, err := s.store.ListPermits(ctx, f)
	if err != nil {
		return nil, err
	}
	return reverse(ps), nil
}

func reverse(ps []models.Permit) []models.Permit {
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
	return ps
}

// runPrint is the print job. The sheet PDF draws the cards again from what was issued (the
// same text, number and QR code; the font parsed once for the document); the .zip holds each
// card's PDF exactly as stored. Nothing is written until the job's end, so a takeover starts
// again cleanly.
func (s *Service) runPrint(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
	var in PrintInput
	if err := json.Unmarshal([]byte(j.Params), &in); err != nil {
		return nil, fmt.Errorf("job %d params: %w", j.ID, err)
	}
	ps, err := s.printable(ctx, in)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, models.Conflict("nothing_to_print", "没有有效的上岗证可打印")
	}
	if err := p.Set(ctx, len(ps), 0, 0, "准备中"); err != nil {
		return nil, err
	}
	towns, err := s.townNames(ctx)
	if err != nil {
		return nil, err
	}
	stamp := clock.InChina(s.clock.Now()).Format("20060102-1504")
	if in.Format == "zip" {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		ids := make([]uint64, len(ps))
		for i := range ps {
			ids[i] = ps[i].ID
		}
		docs, err := s.store.LatestPermitDocuments(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i := range ps {
			d, ok := docs[ps[i].ID]
			if !ok {
				return nil, fmt.Errorf("permit %s has no card", ps[i].No)
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: "上岗证-" + ps[i].No + ".pdf", Method: zip.Store, Modified: d.CreatedAt})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(d.PDF); err != nil {
				return nil, err
			}
			if (i+1)%20 == 0 || i == len(ps)-1 {
				if err := p.Set(ctx, len(ps), i+1, 0, fmt.Sprintf("已打包 %d / %d 张", i+1, len(ps))); err != nil {
					return nil, err
				}
			}
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return &jobs.File{Name: "上岗证-" + stamp + ".zip", Type: "application/zip", Data: buf.Bytes()}, nil
	}
	cards := make([]certificates.Permit, 0, len(ps))
	for i := range ps {
		town := ""
		if ps[i].TownID != nil {
			town = towns[*ps[i].TownID]
		}
		cards = append(cards, s.cardOf(ctx, s.store, &ps[i], town, printedOn(&ps[i])))
		if (i+1)%50 == 0 {
			if err := p.Set(ctx, len(ps), i/2, 0, fmt.Sprintf("已读取 %d / %d 张", i+1, len(ps))); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	began := time.Now()
	if err := certificates.RenderPermits(&buf, cards); err != nil {
		return nil, cardErr(err)
	}
	s.log.Info("print run", "cards", len(cards), "took", time.Since(began).Round(time.Millisecond))
	if err := p.Set(ctx, len(ps), len(ps), 0, fmt.Sprintf("已排版 %d 张", len(ps))); err != nil {
		return nil, err
	}
	return &jobs.File{Name: "上岗证-" + stamp + ".pdf", Type: "application/pdf", Data: buf.Bytes()}, nil
}
