package certificates

import (
	"testing"

	"auxportal/screening"
)

func day(t *testing.T, s string) screening.Date {
	t.Helper()
	d, err := screening.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Rule T-4, fixed anniversary: every end date is counted from the issue day, so none drifts,
// 29 February included.
func TestValidUntil_T4_FixedAnniversary(t *testing.T) {
	for _, c := range []struct {
		issued string
		k      int
		want   string
	}{
		{"2026-12-20", 1, "2027-12-19"},
		{"2026-12-20", 2, "2028-12-19"},
		{"2026-01-01", 1, "2026-12-31"},
		{"2026-03-01", 1, "2027-02-28"},
		{"2027-03-01", 1, "2028-02-29"}, // the leap day is a valid day
		{"2028-02-29", 1, "2029-02-28"},
		{"2028-02-29", 3, "2031-02-28"},
		{"2028-02-29", 4, "2032-02-28"}, // leap year again: still the 28th, no drift
		{"2028-02-28", 4, "2032-02-27"},
		{"2026-12-31", 10, "2036-12-30"},
	} {
		if got := ValidUntil(day(t, c.issued), c.k).String(); got != c.want {
			t.Errorf("ValidUntil(%s, %d) = %s, want %s", c.issued, c.k, got, c.want)
		}
	}
	if got := WindowOpens(day(t, "2027-12-19"), 60).String(); got != "2027-10-20" {
		t.Errorf("WindowOpens = %s", got)
	}
}

// A pass in the window extends by one year from the old end date; a late pass restores the
// permit with the same anniversary, however late.
func TestCycleAfterPass_T4(t *testing.T) {
	issued := day(t, "2026-12-20") // cycle 1 ends 2027-12-19
	for _, c := range []struct {
		name   string
		k      int
		passed string
		want   int
		until  string
	}{
		{"early in the window", 1, "2027-10-21", 2, "2028-12-19"},
		{"on the last valid day", 1, "2027-12-19", 2, "2028-12-19"},
		{"a day late (suspended)", 1, "2027-12-20", 2, "2028-12-19"},
		{"eleven months late", 1, "2028-11-30", 2, "2028-12-19"},
		{"more than a year late", 1, "2029-01-05", 3, "2029-12-19"},
		{"second cycle, in time", 2, "2028-11-01", 3, "2029-12-19"},
	} {
		k := CycleAfterPass(issued, c.k, day(t, c.passed))
		if k != c.want || ValidUntil(issued, k).String() != c.until {
			t.Errorf("%s: cycle %d (until %s), want %d (until %s)", c.name, k, ValidUntil(issued, k), c.want, c.until)
		}
	}
	leap := day(t, "2028-02-29")
	if k := CycleAfterPass(leap, 1, day(t, "2029-03-01")); ValidUntil(leap, k).String() != "2030-02-28" {
		t.Errorf("late pass of a 29 February permit: until %s", ValidUntil(leap, k))
	}
}
