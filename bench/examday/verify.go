package main

import (
	"context"
	"fmt"
	"time"

	"auxportal/models"
)

// verification is what the database holds after the rehearsal, against what the candidates
// were told.
type verification struct {
	Acked      int // (candidate, question) pairs with an acknowledged answer
	Lost       int // acknowledged but not stored as the last acknowledged save (seq and answer)
	Unknown    int // pairs whose last save got no HTTP answer (not counted as lost)
	Extra      int // stored answers no candidate was told were written
	HandedIn   int // candidates told "handed in" with a receipt
	HandInsBad int // of those: not handed in in the database, another receipt, or not by the candidate
	Problems   []string
}

func (v *verification) problem(format string, a ...any) {
	if len(v.Problems) < 10 {
		v.Problems = append(v.Problems, fmt.Sprintf(format, a...))
	}
}

// verify reads every answer and hand-in of the rehearsal's candidates from the database.
func verify(ctx context.Context, dsn string, cands []*cand) (verification, error) {
	var v verification
	st, err := models.Open(ctx, dsn, nil)
	if err != nil {
		return v, err
	}
	defer st.Close()
	db := st.DB().WithContext(ctx)
	byID := map[uint64]*cand{}
	ids := make([]uint64, 0, len(cands))
	for _, c := range cands {
		byID[c.id] = c
		ids = append(ids, c.id)
	}
	stored := map[uint64]map[int]models.ExamAnswer{}
	for lo := 0; lo < len(ids); lo += 1000 {
		var rows []models.ExamAnswer
		if err := db.Where("candidate_id IN ?", ids[lo:min(len(ids), lo+1000)]).Find(&rows).Error; err != nil {
			return v, fmt.Errorf("answers: %w", err)
		}
		for _, a := range rows {
			if stored[a.CandidateID] == nil {
				stored[a.CandidateID] = map[int]models.ExamAnswer{}
			}
			stored[a.CandidateID][a.ItemNo] = a
		}
	}
	var rows []struct {
		ID          uint64
		SubmittedAt *time.Time
		Receipt     string
		ClosedBy    string
	}
	for lo := 0; lo < len(ids); lo += 1000 {
		var part []struct {
			ID          uint64
			SubmittedAt *time.Time
			Receipt     string
			ClosedBy    string
		}
		if err := db.Table("exam_candidates").Select("id, submitted_at, receipt, closed_by").
			Where("id IN ?", ids[lo:min(len(ids), lo+1000)]).Scan(&part).Error; err != nil {
			return v, fmt.Errorf("candidates: %w", err)
		}
		rows = append(rows, part...)
	}
	for _, c := range cands {
		got := stored[c.id]
		for no, a := range c.acked {
			if c.unknown[no] {
				v.Unknown++
				continue
			}
			v.Acked++
			s, ok := got[no]
			switch {
			case !ok:
				v.Lost++
				v.problem("candidate %d question %d: acknowledged seq %d, nothing stored", c.id, no, a.Seq)
			case s.Seq != a.Seq || s.Answer != a.Answer:
				v.Lost++
				v.problem("candidate %d question %d: acknowledged seq %d %s, stored seq %d %s", c.id, no, a.Seq, a.Answer, s.Seq, s.Answer)
			}
		}
		for no := range got {
			if _, ok := c.acked[no]; !ok && !c.unknown[no] {
				v.Extra++
				v.problem("candidate %d question %d: stored, never acknowledged", c.id, no)
			}
		}
	}
	for _, row := range rows {
		c := byID[row.ID]
		if c == nil || !c.handedIn {
			continue
		}
		v.HandedIn++
		if row.SubmittedAt == nil || row.Receipt != c.receipt || row.ClosedBy != "candidate" {
			v.HandInsBad++
			v.problem("candidate %d: told receipt %s, stored %q (closed by %q, at %v)", c.id, c.receipt, row.Receipt, row.ClosedBy, row.SubmittedAt)
		}
	}
	return v, nil
}
