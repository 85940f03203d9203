package exams

import (
	"testing"
	"time"
)

func TestDecideSave(t *testing.T) {
	deadline := opens.Add(hour)
	before, after := deadline.Add(-time.Second), deadline
	a1 := Answer{Choices: []string{"A"}}
	a2 := Answer{Choices: []string{"B"}}
	tests := []struct {
		name   string
		stored Stored
		save   Save
		now    time.Time
		want   SaveOutcome
	}{
		{"first save", Stored{}, Save{1, a1}, before, SaveAccepted},
		{"newer save", Stored{3, a1}, Save{4, a2}, before, SaveAccepted},
		{"gap in sequence is fine (other items took the numbers)", Stored{3, a1}, Save{9, a2}, before, SaveAccepted},
		{"repeat of the stored save: idempotent", Stored{4, a2}, Save{4, a2}, before, SaveDuplicate},
		{"repeat differing only in form", Stored{4, Answer{Choices: []string{"A", "C"}}}, Save{4, Answer{Choices: []string{"c", "a"}}}, before, SaveDuplicate},
		{"late older save never overwrites", Stored{5, a2}, Save{4, a1}, before, SaveStale},
		{"out of order: older arrives second", Stored{7, a2}, Save{6, a2}, before, SaveStale},
		{"same seq, other answer", Stored{4, a2}, Save{4, a1}, before, SaveConflict},
		{"at the deadline", Stored{3, a1}, Save{4, a2}, after, SaveClosed},
		{"after the deadline", Stored{3, a1}, Save{4, a2}, after.Add(time.Hour), SaveClosed},
		{"retry after the deadline of a save stored in time", Stored{4, a2}, Save{4, a2}, after.Add(time.Minute), SaveDuplicate},
		{"stale after the deadline is closed", Stored{5, a2}, Save{4, a1}, after, SaveClosed},
		{"zero seq", Stored{}, Save{0, a1}, before, SaveInvalid},
		{"negative seq", Stored{2, a1}, Save{-1, a1}, before, SaveInvalid},
		{"clearing an answer is a save", Stored{2, a1}, Save{3, Answer{}}, before, SaveAccepted},
	}
	for _, tt := range tests {
		got := DecideSave(tt.stored, tt.save, deadline, tt.now)
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		if got.Message() == "" {
			t.Errorf("%s: no message", tt.name)
		}
	}
}

// Per-item sequences: saves for different items interleave freely, and a
// replay of the whole stream in any order leaves the newest answer of each.
func TestDecideSave_ReplayAnyOrder(t *testing.T) {
	deadline := opens.Add(hour)
	type ev struct {
		item int
		save Save
	}
	stream := []ev{
		{1, Save{1, Answer{Choices: []string{"A"}}}},
		{2, Save{2, Answer{Truth: ptr(true)}}},
		{1, Save{3, Answer{Choices: []string{"B"}}}},
		{2, Save{4, Answer{Truth: ptr(false)}}},
		{1, Save{5, Answer{Choices: []string{"C"}}}},
	}
	orders := [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}, {4, 4, 0, 3, 3, 1, 2}}
	for _, order := range orders {
		store := map[int]Stored{}
		for _, i := range order {
			e := stream[i]
			if DecideSave(store[e.item], e.save, deadline, opens) == SaveAccepted {
				store[e.item] = Stored{e.save.Seq, e.save.Answer}
			}
		}
		if store[1].Seq != 5 || store[1].Answer.Choices[0] != "C" || store[2].Seq != 4 || *store[2].Answer.Truth {
			t.Errorf("order %v left %+v", order, store)
		}
	}
}
