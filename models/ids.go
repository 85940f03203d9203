package models

import "math"

// ValidID reports whether id can name a row: row ids are positive and, as every database
// driver binds integers as signed 64-bit values, at most math.MaxInt64. A larger id cannot exist,
// so a lookup by it answers NotFound without asking the database (which would refuse to bind
// it and turn a typo in a URL into a 500).
func ValidID(id uint64) bool { return id > 0 && id <= math.MaxInt64 }
