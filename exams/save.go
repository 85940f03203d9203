package exams

import "time"

// SaveOutcome is the decision on one autosave of one answer.
type SaveOutcome string

// Save outcomes. Only SaveAccepted writes anything.
const (
	// SaveAccepted: newer than what is stored; store the answer and its Seq.
	SaveAccepted SaveOutcome = "accepted"
	// SaveDuplicate: the stored answer came from this very save (same Seq,
	// same canonical answer) — a retry. Acknowledge as saved; write nothing.
	// A duplicate is acknowledged even after the deadline, because it was
	// stored in time.
	SaveDuplicate SaveOutcome = "duplicate"
	// SaveStale: older than the stored answer (a late or reordered request).
	// Ignore it and tell the client the stored Seq.
	SaveStale SaveOutcome = "stale"
	// SaveConflict: the same Seq as the stored answer but a different answer;
	// a client bug or a forged request. Refuse; write nothing.
	SaveConflict SaveOutcome = "conflict"
	// SaveClosed: the attempt is at or past its deadline (or handed in).
	SaveClosed SaveOutcome = "closed"
	// SaveInvalid: Seq is not positive.
	SaveInvalid SaveOutcome = "invalid"
)

// Message is the Chinese text for the candidate's page.
func (o SaveOutcome) Message() string {
	switch o {
	case SaveAccepted, SaveDuplicate:
		return "已保存"
	case SaveStale:
		return "已有更新的作答，本次保存被忽略"
	case SaveConflict:
		return "保存序号冲突，请刷新页面"
	case SaveClosed:
		return "考试时间已到，作答不能再修改"
	}
	return "保存请求无效"
}

// Stored is what the service holds for one item of one attempt: the Seq of
// the save that wrote the answer (0: nothing saved yet) and the answer.
type Stored struct {
	Seq    int64  `json:"seq"`
	Answer Answer `json:"answer"`
}

// Save is one autosave from the candidate's page. Seq is a client sequence
// number that increases with every save of the attempt (across all items),
// starting at 1; a page reloaded mid-attempt continues from the largest Seq
// the server reports.
type Save struct {
	Seq    int64  `json:"seq"`
	Answer Answer `json:"answer"`
}

// DecideSave decides one save of one item. The service keeps the last
// accepted Seq per item, not per attempt, so an answer to item 3 sent with
// Seq 7 and a delayed answer to item 2 sent with Seq 6 are both kept, while a
// delayed Seq 6 for item 3 can never overwrite its Seq 7. In order:
//
//  1. Seq < 1 → SaveInvalid.
//  2. Seq equals stored.Seq and the answer is the same → SaveDuplicate
//     (idempotent, also after the deadline); a different answer → SaveConflict.
//  3. now ≥ deadline → SaveClosed (pass the hand-in time as deadline once an
//     attempt is handed in).
//  4. Seq < stored.Seq → SaveStale.
//  5. Otherwise → SaveAccepted.
//
// The service must read, decide and write in one transaction with the row
// locked, or write with a conditional UPDATE … WHERE seq < new seq, so two
// saves racing on two replicas cannot both win.
func DecideSave(stored Stored, s Save, deadline, now time.Time) SaveOutcome {
	switch {
	case s.Seq < 1:
		return SaveInvalid
	case s.Seq == stored.Seq && s.Answer.Equal(stored.Answer):
		return SaveDuplicate
	case s.Seq == stored.Seq:
		return SaveConflict
	case Overdue(deadline, now):
		return SaveClosed
	case s.Seq < stored.Seq:
		return SaveStale
	}
	return SaveAccepted
}
