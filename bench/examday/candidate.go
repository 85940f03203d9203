package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"auxportal/exams"
)

// item is what the simulated page knows of a question: what the candidate view shows.
type item struct {
	No      int
	Type    exams.Type
	Options []string
	Blanks  int
}

// ack is the last save of an item the portal acknowledged as written: what must be stored.
type ack struct {
	Seq    int64
	Answer string // canonical JSON, as the portal stores it
}

// cand is one simulated candidate on exam day.
type cand struct {
	candidate
	rng *rand.Rand

	mu       sync.Mutex
	token    string
	id       uint64 // the exam candidate id (/api/v1/exams/{id})
	items    []item
	seq      int64
	acked    map[int]ack
	last     map[int]saveReq // the last save sent per item, for repeats and stale re-sends
	deadline time.Time
	submitAt time.Time // when this candidate hands in: in the last submit window before the deadline
	receipt  string
	handedIn bool
	unknown  map[int]bool // items whose last save got no answer: its outcome is unknown
}

type saveReq struct {
	No     int          `json:"no"`
	Seq    int64        `json:"seq"`
	Answer exams.Answer `json:"answer"`
}

// nextSeq numbers the next save. The page numbers with the server's clock in milliseconds;
// a counter keeps the same order for one candidate across sessions (the simulated candidate
// carries it to the new device, as the server's clock would).
func (c *cand) nextSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	return c.seq
}

// answer draws an answer of the right shape for it (a random one: the bench checks storage,
// not marks).
func (c *cand) answer(it item) exams.Answer {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.rng
	switch it.Type {
	case exams.Single:
		return exams.Answer{Choices: []string{it.Options[r.IntN(len(it.Options))]}}
	case exams.Multiple:
		a, b := r.IntN(len(it.Options)), r.IntN(len(it.Options)-1)
		if b >= a {
			b++
		}
		return exams.Answer{Choices: []string{it.Options[a], it.Options[b]}}
	case exams.TrueFalse:
		v := r.IntN(2) == 0
		return exams.Answer{Truth: &v}
	case exams.Fill:
		bs := make([]string, max(1, it.Blanks))
		for i := range bs {
			bs[i] = fmt.Sprintf("答案%d", r.IntN(1000))
		}
		return exams.Answer{Blanks: bs}
	}
	return exams.Answer{Text: fmt.Sprintf("辅助人员应当在执法人员的指挥下开展劝导、巡查和报告工作（第%d稿）。", r.IntN(100000))}
}

// canonical is the answer as the portal stores it.
func canonical(a exams.Answer) string {
	b, err := json.Marshal(a.Canonical())
	if err != nil {
		panic(err)
	}
	return string(b)
}

// saveReply is the body of POST /exams/{id}/saves.
type saveReply struct {
	Results []struct {
		No        int               `json:"no"`
		Seq       int64             `json:"seq"`
		Outcome   exams.SaveOutcome `json:"outcome"`
		StoredSeq int64             `json:"stored_seq"`
	} `json:"results"`
	Closed bool `json:"closed"`
}

// examState is the part of ExamState the rehearsal reads.
type examState struct {
	CandidateID uint64                `json:"candidate_id"`
	State       string                `json:"state"`
	Deadline    *time.Time            `json:"deadline"`
	Paper       *exams.CandidatePaper `json:"paper"`
	Answers     map[int]exams.Answer  `json:"answers"`
	Seqs        map[int]int64         `json:"seqs"`
	Receipt     string                `json:"receipt"`
}

// itemsOf is the paper's questions in the order the page shows them.
func itemsOf(p *exams.CandidatePaper) []item {
	var out []item
	for _, s := range p.Sections {
		for _, it := range s.Items {
			keys := make([]string, len(it.Options))
			for i, o := range it.Options {
				keys[i] = o.Key
			}
			out = append(out, item{No: it.No, Type: it.Type, Options: keys, Blanks: it.Blanks})
		}
	}
	return out
}
