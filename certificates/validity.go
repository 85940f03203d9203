package certificates

import "auxportal/screening"

// A permit runs on a fixed anniversary (rule T-4's yearly training; Totara's "fixed expiry"):
// cycle k of a permit issued on day I ends the day before the k-th anniversary of I. Each
// anniversary is counted from I itself, never from the previous end date, so validity never
// drifts: a renewal late in its window, or a late pass that restores a suspended permit, keeps
// the same anniversary.
//
// 29 February: its anniversary in a common year is 1 March, so such a permit is valid until
// 28 February in every year, leap or not (Go's calendar normalisation, written down here so
// it is a decision rather than an accident).

// Anniversary is the k-th anniversary of issued (k ≥ 0; the 0th is issued itself).
func Anniversary(issued screening.Date, k int) screening.Date {
	return screening.DateOf(issued.Time().AddDate(k, 0, 0))
}

// ValidUntil is the last valid day of cycle k (k ≥ 1): the day before the k-th anniversary.
func ValidUntil(issued screening.Date, k int) screening.Date {
	return Anniversary(issued, k).AddDays(-1)
}

// WindowOpens is the first day on which the refresher for the cycle ending on until may be
// taken: windowDays before that last valid day.
func WindowOpens(until screening.Date, windowDays int) screening.Date {
	return until.AddDays(-windowDays)
}

// CycleAfterPass is the cycle a refresher passed on day passed moves a permit to, when its
// current cycle is k: k+1 for a pass on or before the current end (the new end is one year
// after the old one, not one year after the pass), and for a late pass the first cycle whose
// end is on or after the pass day — the same anniversary, however late.
func CycleAfterPass(issued screening.Date, k int, passed screening.Date) int {
	next := k + 1
	for ValidUntil(issued, next).Before(passed) {
		next++
	}
	return next
}
