// Package paging numbers the pages of a long list and the links between them, so that every
// list pages the same way and none stops silently at a cap.
package paging

// Link is one link of a pager.
type Link struct {
	N       int    `json:"n"`
	Query   string `json:"query"`
	Current bool   `json:"current"`
	Gap     bool   `json:"gap"` // "…" between non-adjacent numbers
}

// Pages is how many pages total items fill at size a page (at least 1 once there is one).
func Pages(total int64, size int) int {
	if size <= 0 || total <= 0 {
		return 0
	}
	return int((total + int64(size) - 1) / int64(size))
}

// Clamp keeps a 1-based page number at 1 or more.
func Clamp(page int) int { return max(page, 1) }

// Offset is where 1-based page starts.
func Offset(page, size int) int { return (Clamp(page) - 1) * size }

// Links are the first, the last and two either side of the current page, with gaps between;
// query(n) is the query string of page n. One page or none needs no links.
func Links(current, pages int, query func(n int) string) []Link {
	if pages <= 1 {
		return nil
	}
	var out []Link
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < current-2 || n > current+2) {
			continue
		}
		if last != 0 && n != last+1 {
			out = append(out, Link{Gap: true})
		}
		out = append(out, Link{N: n, Query: query(n), Current: n == current})
		last = n
	}
	return out
}
