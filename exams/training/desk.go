package training

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"auxportal/exams"
	"auxportal/models"
)

// TicketCheck is what an invigilator sees on scanning an admission ticket's QR code: the
// candidate's control-room row and the sitting.
type TicketCheck struct {
	Candidate CandidateRow `json:"candidate"`
	Sitting   SittingView  `json:"sitting"`
	// HasPhoto: the candidate's application photo can be shown beside the ticket, to compare
	// with the person at the door.
	HasPhoto bool `json:"has_photo"`
}

// maxTicketLen bounds a ticket number typed into a URL; real ones have 12 digits.
const maxTicketLen = 32

// CandidateByTicket finds the candidate of an admission ticket, for checking a candidate in at
// the door. Staff only: trainers and district admins see every ticket, a town admin the tickets
// of their own town's candidates. To anyone else a ticket number says nothing (not found), so
// the QR code printed on the ticket is no way to look a person up.
func (s *Service) CandidateByTicket(ctx context.Context, actor models.Actor, ticketNo string) (*TicketCheck, error) {
	if !canWatch(actor) {
		if actor.Anonymous() {
			return nil, models.Deny(actor, "")
		}
		return nil, models.NotFound("准考证")
	}
	ticketNo = strings.TrimSpace(ticketNo)
	if ticketNo == "" || utf8.RuneCountInString(ticketNo) > maxTicketLen {
		return nil, models.NotFound("准考证")
	}
	c, err := s.store.CandidateByTicket(ctx, ticketNo)
	if err != nil {
		return nil, err
	}
	if scope := actor.TownScope(); scope != nil && (c.TownID == nil || *c.TownID != *scope) {
		return nil, models.NotFound("准考证")
	}
	st, err := s.store.SittingByID(ctx, c.SittingID)
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, st, []models.ExamCandidate{*c})
	if err != nil {
		return nil, err
	}
	v, err := s.sittingView(ctx, actor, st)
	if err != nil {
		return nil, err
	}
	return &TicketCheck{Candidate: rows[0], Sitting: *v, HasPhoto: c.PhotoUploadID != ""}, nil
}

// PaperQuestion is one automatically graded question version on a sitting's papers, in the
// bank's terms (options in bank order, the key in bank option keys): what a trainer picks to
// correct a key.
type PaperQuestion struct {
	QuestionID uint64         `json:"question_id"`
	VersionID  uint64         `json:"version_id"`
	Category   string         `json:"category"`
	Type       exams.Type     `json:"type"`
	TypeLabel  string         `json:"type_label"`
	Stem       string         `json:"stem"`
	Options    []exams.Option `json:"options,omitempty"`
	Blanks     int            `json:"blanks,omitempty"`
	Key        exams.Key      `json:"key"`      // the key papers are graded with now
	KeyText    string         `json:"key_text"` // the same, as a trainer reads it
	Fixed      bool           `json:"fixed"`    // corrected for this sitting already
	Papers     int            `json:"papers"`   // papers that have it
}

// PaperQuestions lists the automatically graded question versions of a sitting's papers, with
// the key each is graded with now (a correction made for the sitting included), for choosing
// which key to correct. Short answers have no key and are left out.
func (s *Service) PaperQuestions(ctx context.Context, actor models.Actor, sittingID uint64) ([]PaperQuestion, error) {
	if !canRun(actor) {
		return nil, denyRun(actor)
	}
	st, err := s.store.SittingByID(ctx, sittingID)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCandidates(ctx, models.CandidateFilter{SittingID: &st.ID, WithPaper: true})
	if err != nil {
		return nil, err
	}
	fixes, err := s.keyFixes(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	byVersion := map[uint64]*PaperQuestion{}
	for i := range cs {
		p, err := exams.Open(exams.Sealed{JSON: cs[i].Paper, SHA256: cs[i].PaperHash})
		if err != nil {
			return nil, fmt.Errorf("candidate %d paper: %w", cs[i].ID, err)
		}
		for _, it := range p.Items() {
			if it.Type == exams.Short {
				continue
			}
			if q, ok := byVersion[it.VersionID]; ok {
				q.Papers++
				continue
			}
			q := bankTerms(it)
			if k, ok := fixes[it.VersionID]; ok {
				q.Key, q.Fixed = k, true
			}
			q.KeyText = keyTextOf(q.Type, q.Key)
			byVersion[it.VersionID] = &q
		}
	}
	out := make([]PaperQuestion, 0, len(byVersion))
	for _, q := range byVersion {
		out = append(out, *q)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if typeOrder(a.Type) != typeOrder(b.Type) {
			return typeOrder(a.Type) < typeOrder(b.Type)
		}
		if a.QuestionID != b.QuestionID {
			return a.QuestionID < b.QuestionID
		}
		return a.VersionID < b.VersionID
	})
	return out, nil
}

// bankTerms turns a paper's item back into the bank's order and keys: options sorted by their
// bank key, the correct display keys mapped to bank keys.
func bankTerms(it exams.Item) PaperQuestion {
	q := PaperQuestion{QuestionID: it.QuestionID, VersionID: it.VersionID, Category: string(it.Category), Type: it.Type,
		TypeLabel: it.Type.Label(), Stem: it.Stem, Papers: 1, Blanks: len(it.Blanks)}
	switch it.Type {
	case exams.Single, exams.Multiple:
		bankKey := map[string]string{}
		for i, o := range it.Options {
			k := o.Key
			if i < len(it.Origin) {
				k = it.Origin[i]
			}
			bankKey[o.Key] = k
			q.Options = append(q.Options, exams.Option{Key: k, Text: o.Text})
		}
		sort.Slice(q.Options, func(i, j int) bool { return q.Options[i].Key < q.Options[j].Key })
		for _, c := range it.Correct {
			q.Key.Correct = append(q.Key.Correct, bankKey[c])
		}
		sort.Strings(q.Key.Correct)
	case exams.TrueFalse:
		q.Key.Truth = it.Truth
	case exams.Fill:
		q.Key.Blanks = it.Blanks
	}
	return q
}

// keyTextOf writes a key as a trainer reads it: "B", "ABD", 对/错, or the blanks'
// accepted answers ("两|2；五|5").
func keyTextOf(t exams.Type, k exams.Key) string {
	switch t {
	case exams.Single, exams.Multiple:
		return strings.Join(k.Correct, "")
	case exams.TrueFalse:
		switch {
		case k.Truth == nil:
			return ""
		case *k.Truth:
			return "对"
		}
		return "错"
	case exams.Fill:
		parts := make([]string, len(k.Blanks))
		for i, b := range k.Blanks {
			parts[i] = strings.Join(b.Accepted, "|")
		}
		return strings.Join(parts, "；")
	}
	return ""
}

// TicketPhoto is the photo of a ticket's candidate, for the staff who check tickets (the same
// access as CandidateByTicket).
func (s *Service) TicketPhoto(ctx context.Context, actor models.Actor, ticketNo string) ([]byte, error) {
	if _, err := s.CandidateByTicket(ctx, actor, ticketNo); err != nil {
		return nil, err
	}
	c, err := s.store.CandidateByTicket(ctx, strings.TrimSpace(ticketNo))
	if err != nil {
		return nil, err
	}
	if c.PhotoUploadID == "" {
		return nil, models.NotFound("照片")
	}
	u, err := s.store.UploadByID(ctx, c.PhotoUploadID)
	if err != nil {
		return nil, err
	}
	return u.Data, nil
}
