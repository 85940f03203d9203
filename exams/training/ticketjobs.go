package training

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"auxportal/certificates"
	"auxportal/jobs"
	"auxportal/models"
)

// JobTickets is the background print run of a sitting's admission tickets.
const JobTickets = "sitting_tickets"

// TicketsInput is a print run of admission tickets: one sitting's, as one PDF for printing or
// as a .zip of one PDF per candidate (to send each candidate their own).
type TicketsInput struct {
	SittingID uint64 `json:"sitting_id"`
	Format    string `json:"format"` // "pdf" or "zip"
}

// PrintTickets queues a print run of a sitting's tickets; the job page shows its progress and
// offers the file, even after the page that started it was closed.
func (s *Service) PrintTickets(ctx context.Context, actor models.Actor, in TicketsInput) (*jobs.View, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	if in.Format != "pdf" && in.Format != "zip" {
		fe := models.FieldErrors{}
		fe.Add("format", "请选择 PDF 或 ZIP")
		return nil, fe.Err()
	}
	if s.jobs == nil {
		return nil, fmt.Errorf("print tickets: no job runner configured")
	}
	st, err := s.store.SittingByID(ctx, in.SittingID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, models.Conflict("no_candidates", "本场考试没有考生")
	}
	kind := "PDF"
	if in.Format == "zip" {
		kind = "ZIP"
	}
	j, err := s.jobs.Enqueue(ctx, actor, JobTickets, fmt.Sprintf("打印准考证（%s）：%s", kind, st.Title), in, nil)
	if err != nil {
		return nil, err
	}
	return s.jobs.Get(ctx, actor, j.ID)
}

// runTickets is the print job. Nothing is written until the end, so a replica that takes over
// a dead one's job starts again cleanly.
func (s *Service) runTickets(ctx context.Context, j *models.Job, p *jobs.Progress) (*jobs.File, error) {
	var in TicketsInput
	if err := json.Unmarshal([]byte(j.Params), &in); err != nil {
		return nil, fmt.Errorf("job %d params: %w", j.ID, err)
	}
	st, err := s.store.SittingByID(ctx, in.SittingID)
	if err != nil {
		return nil, err
	}
	ts, skipped, err := s.printableTickets(ctx, st)
	if err != nil {
		return nil, err
	}
	total := len(ts) + skipped
	if err := p.Set(ctx, total, 0, skipped, "准备中"); err != nil {
		return nil, err
	}
	if in.Format == "pdf" {
		var b bytes.Buffer
		if err := certificates.RenderTickets(&b, ts); err != nil {
			return nil, ticketErr(err)
		}
		if err := p.Set(ctx, total, len(ts), skipped, fmt.Sprintf("已排版 %d 张", len(ts))); err != nil {
			return nil, err
		}
		return &jobs.File{Name: ticketsName(st, skipped, "pdf"), Type: "application/pdf", Data: b.Bytes()}, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range ts {
		var one bytes.Buffer
		if err := certificates.RenderTicket(&one, ts[i]); err != nil {
			return nil, ticketErr(err)
		}
		// Ticket numbers are digits only: the entry's name cannot climb out of the archive.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "准考证-" + ts[i].TicketNo + ".pdf", Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(one.Bytes()); err != nil {
			return nil, err
		}
		if (i+1)%20 == 0 || i == len(ts)-1 {
			if err := p.Set(ctx, total, i+1, skipped, fmt.Sprintf("已生成 %d / %d 张", i+1, len(ts))); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &jobs.File{Name: ticketsName(st, skipped, "zip"), Type: "application/zip", Data: buf.Bytes()}, nil
}
