package screening

import (
	"strings"
	"testing"
	"time"
)

// checkChar computes the GB 11643-1999 MOD 11-2 check character from first
// principles (weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 → X),
// independently of the package's tables.
func checkChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for k := 0; k < 17-i; k++ {
			w = w * 2 % 11
		}
		sum += int(first17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// mkID builds a valid 18-character number from a 6-digit region, an 8-digit
// birth date and a 3-digit sequence.
func mkID(region, birth, seq string) string {
	f := region + birth + seq
	return f + string(checkChar(f))
}

// flipCheck returns the number with a wrong check character.
func flipCheck(n string) string {
	c := n[17]
	w := byte('0')
	if c == '0' {
		w = '1'
	}
	return n[:17] + string(w)
}

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ptr(v int64) *int64 { return &v }

// idFor returns a parsed mainland ID with the given birth date.
func idFor(t *testing.T, birth Date) ID {
	t.Helper()
	b := strings.ReplaceAll(birth.String(), "-", "")
	id, err := ParseID(mkID("320684", b, "123"), Date{})
	if err != nil {
		t.Fatalf("idFor(%s): %v", birth, err)
	}
	return id
}

// goodApplicant passes every base rule on ref 2026-06-30 (age 30).
func goodApplicant(t *testing.T) Applicant {
	t.Helper()
	return Applicant{
		ID:                idFor(t, d("1996-01-15")),
		Education:         EduHighSchool,
		AcceptsConditions: true,
		Healthy:           true,
		BarsAnswered:      true,
	}
}

var refDate = Date{2026, time.June, 30}

func checkFor(t *testing.T, r Result, rule string) Check {
	t.Helper()
	var found []Check
	for _, c := range r.Checks {
		if c.Rule == rule {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one check for %s, got %d: %+v", rule, len(found), r.Checks)
	}
	return found[0]
}
