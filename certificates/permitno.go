package certificates

import (
	"fmt"
	"regexp"
	"strings"
)

// PermitPrefix is the district's letters in a permit number (海门 → HM).
const PermitPrefix = "HM"

// FormatPermitNo is a permit number: the district's letters, the year of issue and a serial
// that never repeats within the year, at least five digits (HM2026-00042). Past 99999 the serial
// simply grows a digit; it never wraps around.
func FormatPermitNo(year int, serial int64) string {
	return fmt.Sprintf("%s%04d-%05d", PermitPrefix, year, serial)
}

var permitNoPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{4}-[0-9]{5,9}$`)

// ValidPermitNo reports whether s has the shape of a permit number (before any lookup: the
// verify page answers a malformed number without touching the database).
func ValidPermitNo(s string) bool { return permitNoPattern.MatchString(s) }

// MaskName is a holder's name as the public verification page shows it: the surname's first
// character and, from three characters on, the last one, the rest as * (张*明, 李*, 欧**锋).
// An inspector compares it with the card in hand; a stranger who scans a lost card learns
// little.
func MaskName(name string) string {
	r := []rune(name)
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}
